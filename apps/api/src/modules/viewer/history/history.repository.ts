import { episodes, type Executor, seasons, titles, watchProgress } from '@kush/db';
import { and, desc, eq, getTableColumns, gt, lt, or, sql } from 'drizzle-orm';
import type { ProfileRow } from '../../profiles/profile-context';
import { titleVisibleTo, viewerTitleColumns } from '../catalog-access';
import type { TimeKey } from '../../../lib/cursor';

export type ProgressRow = typeof watchProgress.$inferSelect;

export interface ProgressValues {
  profileId: string;
  videoId: string;
  titleId: string;
  episodeId: string | null;
  positionSeconds: number;
  durationSeconds: number;
  rendition: string | null;
  bytes: number;
  completed: boolean;
  clientTime: Date;
}

/**
 * One statement, so concurrent heartbeats are decided row by row in the database: a save replaces
 * the stored position only if it is newer by the client's clock (ties: the further position wins),
 * so a late-arriving older heartbeat never moves progress backwards. Bytes always add up: they were
 * spent whichever heartbeat reported them. A newer save also brings a hidden entry back.
 */
export async function upsertProgress(db: Executor, v: ProgressValues): Promise<ProgressRow> {
  const now = new Date();
  const newer = sql`(excluded.client_time, excluded.position_seconds) > (${watchProgress.clientTime}, ${watchProgress.positionSeconds})`;
  const pick = (column: string, current: unknown) =>
    sql`case when ${newer} then excluded.${sql.identifier(column)} else ${current} end`;
  const [row] = await db
    .insert(watchProgress)
    .values({
      profileId: v.profileId,
      videoId: v.videoId,
      titleId: v.titleId,
      episodeId: v.episodeId,
      positionSeconds: v.positionSeconds,
      durationSeconds: v.durationSeconds,
      rendition: v.rendition,
      bytesDownloaded: v.bytes,
      completed: v.completed,
      hidden: false,
      clientTime: v.clientTime,
      updatedAt: now,
    })
    .onConflictDoUpdate({
      target: [watchProgress.profileId, watchProgress.videoId],
      set: {
        titleId: pick('title_id', watchProgress.titleId),
        episodeId: pick('episode_id', watchProgress.episodeId),
        positionSeconds: pick('position_seconds', watchProgress.positionSeconds),
        durationSeconds: pick('duration_seconds', watchProgress.durationSeconds),
        rendition: sql`case when ${newer} then coalesce(excluded.rendition, ${watchProgress.rendition}) else ${watchProgress.rendition} end`,
        completed: pick('completed', watchProgress.completed),
        hidden: sql`case when ${newer} then false else ${watchProgress.hidden} end`,
        updatedAt: pick('updated_at', watchProgress.updatedAt),
        bytesDownloaded: sql`${watchProgress.bytesDownloaded} + excluded.bytes_downloaded`,
        // Every expression here reads the stored row as it was before this update.
        clientTime: pick('client_time', watchProgress.clientTime),
      },
    })
    .returning();
  return row!;
}

const historyColumns = {
  progress: getTableColumns(watchProgress),
  title: viewerTitleColumns,
  episode: { id: episodes.id, name: episodes.name, number: episodes.number, seasonNumber: seasons.number },
};

/** Visible entries, most recently watched first, on titles the profile may still see. */
export async function listHistory(db: Executor, profile: ProfileRow, page: { after?: TimeKey; limit: number }) {
  const after = page.after
    ? or(
        lt(watchProgress.updatedAt, page.after.createdAt),
        and(eq(watchProgress.updatedAt, page.after.createdAt), lt(watchProgress.videoId, page.after.id)),
      )
    : undefined;
  return db
    .select(historyColumns)
    .from(watchProgress)
    .innerJoin(titles, eq(titles.id, watchProgress.titleId))
    .leftJoin(episodes, eq(episodes.id, watchProgress.episodeId))
    .leftJoin(seasons, eq(seasons.id, episodes.seasonId))
    .where(
      and(eq(watchProgress.profileId, profile.id), eq(watchProgress.hidden, false), titleVisibleTo(profile), after),
    )
    .orderBy(desc(watchProgress.updatedAt), desc(watchProgress.videoId))
    .limit(page.limit);
}

/**
 * Per title, the most recently watched video that is started but not finished (between 5% and
 * 95%), not hidden, on a published title the profile may see; the most recent titles first.
 */
export async function listContinueWatching(db: Executor, profile: ProfileRow, limit: number) {
  const latest = db
    .selectDistinctOn([watchProgress.titleId], {
      videoId: watchProgress.videoId,
      titleId: watchProgress.titleId,
      updatedAt: watchProgress.updatedAt,
    })
    .from(watchProgress)
    .innerJoin(titles, eq(titles.id, watchProgress.titleId))
    .where(
      and(
        eq(watchProgress.profileId, profile.id),
        eq(watchProgress.hidden, false),
        gt(watchProgress.positionSeconds, sql`0.05 * ${watchProgress.durationSeconds}`),
        lt(watchProgress.positionSeconds, sql`0.95 * ${watchProgress.durationSeconds}`),
        titleVisibleTo(profile),
      ),
    )
    .orderBy(watchProgress.titleId, desc(watchProgress.updatedAt), desc(watchProgress.videoId))
    .as('latest');
  return db
    .select(historyColumns)
    .from(latest)
    .innerJoin(watchProgress, and(eq(watchProgress.profileId, profile.id), eq(watchProgress.videoId, latest.videoId)))
    .innerJoin(titles, eq(titles.id, watchProgress.titleId))
    .leftJoin(episodes, eq(episodes.id, watchProgress.episodeId))
    .leftJoin(seasons, eq(seasons.id, episodes.seasonId))
    .orderBy(desc(latest.updatedAt), desc(latest.videoId))
    .limit(limit);
}

/** Hides one entry; false when the profile has no such entry. */
export async function hideEntry(db: Executor, profileId: string, videoId: string): Promise<boolean> {
  const rows = await db
    .update(watchProgress)
    .set({ hidden: true })
    .where(and(eq(watchProgress.profileId, profileId), eq(watchProgress.videoId, videoId)))
    .returning({ videoId: watchProgress.videoId });
  return rows.length > 0;
}

export async function hideAll(db: Executor, profileId: string): Promise<number> {
  const rows = await db
    .update(watchProgress)
    .set({ hidden: true })
    .where(and(eq(watchProgress.profileId, profileId), eq(watchProgress.hidden, false)))
    .returning({ videoId: watchProgress.videoId });
  return rows.length;
}
