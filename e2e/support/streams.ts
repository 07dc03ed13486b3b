import { type Database, playbackStreams } from '@kush/db';
import { and, eq, isNull } from 'drizzle-orm';

/**
 * Playback streams the API has not marked ended, for one title or one account. The player's stop
 * (POST /playback/stop) sets endedAt; a stream that only went idle keeps it null.
 */
export async function unendedStreams(db: Database, of: { titleId: string } | { userId: string }): Promise<string[]> {
  const owner = 'titleId' in of ? eq(playbackStreams.titleId, of.titleId) : eq(playbackStreams.userId, of.userId);
  const rows = await db
    .select({ id: playbackStreams.id })
    .from(playbackStreams)
    .where(and(owner, isNull(playbackStreams.endedAt)));
  return rows.map((row) => row.id);
}

/**
 * An init script that drops every request a page makes once `pagehide` has fired, as Chromium
 * now and then does with requests made while a document is being torn down (seen in its net log:
 * a keepalive fetch or beacon from `pagehide` that never reached the network). A test that leaves
 * a page with this script checks what still gets through.
 */
export const DROP_REQUESTS_FROM_PAGEHIDE = `
  window.addEventListener('pagehide', () => {
    window.fetch = () => new Promise(() => {});
    navigator.sendBeacon = () => true;
  });
`;
