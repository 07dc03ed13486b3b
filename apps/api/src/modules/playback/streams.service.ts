import { createHash } from 'node:crypto';
import { AppError } from '@kush/contracts';
import { type Database, playbackStreams } from '@kush/db';
import { and, asc, eq, isNull, lt, ne, sql } from 'drizzle-orm';

/** A stream is one playback token: each start hands out a new one, heartbeats carry it. */
export const streamIdOf = (token: string) => createHash('sha256').update(token).digest('base64url').slice(0, 32);

/** "Chrome on Android", "Safari on iPhone"…: enough for a viewer to recognise their own devices. */
export function deviceLabel(userAgent: string | undefined): string {
  const ua = userAgent ?? '';
  const os = /Android/i.test(ua)
    ? 'Android'
    : /iPhone/i.test(ua)
      ? 'iPhone'
      : /iPad/i.test(ua)
        ? 'iPad'
        : /Windows/i.test(ua)
          ? 'Windows'
          : /Mac OS X|Macintosh/i.test(ua)
            ? 'Mac'
            : /CrOS/i.test(ua)
              ? 'Chromebook'
              : /Linux/i.test(ua)
                ? 'Linux'
                : /TV|Tizen|WebOS/i.test(ua)
                  ? 'TV'
                  : null;
  const browser = /Edg\//.test(ua)
    ? 'Edge'
    : /OPR\/|Opera/.test(ua)
      ? 'Opera'
      : /Firefox\//.test(ua)
        ? 'Firefox'
        : /Chrome\//.test(ua)
          ? 'Chrome'
          : /Safari\//.test(ua)
            ? 'Safari'
            : null;
  if (browser && os) return `${browser} on ${os}`;
  return browser ?? os ?? 'Unknown device';
}

/**
 * The concurrent-stream limit. A stream counts while its heartbeats keep arriving; one silent for
 * longer than `idleSeconds` stops counting. Claims for one account are serialised by an advisory
 * lock, so two devices starting together cannot both slip under the limit.
 */
export class StreamLimiter {
  constructor(
    private readonly db: Database,
    private readonly idleSeconds: number,
  ) {}

  async claim(
    stream: { id: string; userId: string; device: string; titleId: string },
    maxStreams: number,
    now = new Date(),
  ): Promise<void> {
    const idleSince = new Date(now.getTime() - this.idleSeconds * 1000);
    await this.db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`streams:${stream.userId}`}))`);
      await tx
        .delete(playbackStreams)
        .where(and(eq(playbackStreams.userId, stream.userId), lt(playbackStreams.lastSeenAt, idleSince)));
      const [mine] = await tx
        .update(playbackStreams)
        .set({ lastSeenAt: now })
        .where(and(eq(playbackStreams.id, stream.id), eq(playbackStreams.userId, stream.userId)))
        .returning({ id: playbackStreams.id, endedAt: playbackStreams.endedAt });
      // A stopped stream stays stopped: a heartbeat that arrives after the stop does not count it again.
      if (mine) return;
      const others = await tx
        .select({ device: playbackStreams.device, since: playbackStreams.startedAt })
        .from(playbackStreams)
        .where(
          and(
            eq(playbackStreams.userId, stream.userId),
            ne(playbackStreams.id, stream.id),
            isNull(playbackStreams.endedAt),
          ),
        )
        .orderBy(asc(playbackStreams.startedAt));
      if (others.length >= maxStreams) {
        const devices = others.map((o) => o.device);
        throw new AppError(
          'STREAM_LIMIT_REACHED',
          `Your plan allows ${maxStreams} stream${maxStreams === 1 ? '' : 's'} at a time, and Kush Films is already playing on ${listOf(devices)}. Stop one of them, or wait a minute after it stops, to watch here.`,
          { maxStreams, devices: others.map((o) => ({ device: o.device, since: o.since.toISOString() })) },
        );
      }
      await tx
        .insert(playbackStreams)
        .values({ ...stream, startedAt: now, lastSeenAt: now })
        .onConflictDoUpdate({ target: playbackStreams.id, set: { lastSeenAt: now } });
    });
  }
}

/**
 * Ends one of the account's streams at once (the player stopped), so it no longer counts. The row
 * stays, marked ended, until the idle clean-up, so a late heartbeat cannot count it again.
 */
export async function releaseStream(db: Database, streamId: string, userId: string, now = new Date()): Promise<void> {
  await db
    .update(playbackStreams)
    .set({ endedAt: now })
    .where(and(eq(playbackStreams.id, streamId), eq(playbackStreams.userId, userId)));
}

function listOf(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}
