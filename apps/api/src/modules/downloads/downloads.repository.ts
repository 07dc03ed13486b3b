import { downloads, episodes, type Executor, seasons, titles, videos } from '@kush/db';
import { and, count, desc, eq, gt, not, type SQL, sql } from 'drizzle-orm';

export type DownloadRow = typeof downloads.$inferSelect;
export type NewDownload = Omit<DownloadRow, 'createdAt'> & { createdAt: Date };

export async function findTitle(db: Executor, titleId: string) {
  const [row] = await db.select().from(titles).where(eq(titles.id, titleId)).limit(1);
  return row;
}

export async function findEpisode(db: Executor, titleId: string, episodeId: string) {
  const [row] = await db
    .select({
      id: episodes.id,
      name: episodes.name,
      number: episodes.number,
      publishAt: episodes.publishAt,
      videoId: episodes.videoId,
      seasonNumber: seasons.number,
    })
    .from(episodes)
    .innerJoin(seasons, eq(seasons.id, episodes.seasonId))
    .where(and(eq(episodes.id, episodeId), eq(episodes.titleId, titleId)))
    .limit(1);
  return row;
}

export async function findVideo(db: Executor, videoId: string) {
  const [row] = await db
    .select({ id: videos.id, outputPrefix: videos.outputPrefix, manifest: videos.manifest })
    .from(videos)
    .where(eq(videos.id, videoId))
    .limit(1);
  return row;
}

/** The same profile, title and episode: what a new download of it renews. */
function sameItem(item: { profileId: string; titleId: string; episodeId: string | null }): SQL {
  return and(
    eq(downloads.profileId, item.profileId),
    eq(downloads.titleId, item.titleId),
    // Never null, so that not() of it is true for every other item.
    sql`${downloads.episodeId} is not distinct from ${item.episodeId}`,
  )!;
}

/** Holds the account's downloads still until the transaction ends: the limit is counted, then kept. */
export async function lockAccountDownloads(tx: Executor, userId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`downloads:${userId}`}))`);
}

/** The account's downloads still licensed at `now`, not counting the item being renewed. */
export async function countActiveOthers(
  db: Executor,
  userId: string,
  item: { profileId: string; titleId: string; episodeId: string | null },
  now: Date,
): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(downloads)
    .where(and(eq(downloads.userId, userId), gt(downloads.expiresAt, now), not(sameItem(item))));
  return row?.n ?? 0;
}

/** Records the download, or renews the profile's earlier download of the same title or episode. */
export async function saveDownload(db: Executor, row: NewDownload): Promise<DownloadRow> {
  const [saved] = await db
    .insert(downloads)
    .values(row)
    .onConflictDoUpdate({
      target: [downloads.profileId, downloads.titleId, downloads.episodeId],
      set: {
        videoId: row.videoId,
        revision: row.revision,
        height: row.height,
        bytes: row.bytes,
        createdAt: row.createdAt,
        expiresAt: row.expiresAt,
      },
    })
    .returning();
  return saved!;
}

const listColumns = {
  download: downloads,
  title: {
    id: titles.id,
    kind: titles.kind,
    slug: titles.slug,
    name: titles.name,
    year: titles.year,
    runtimeMinutes: titles.runtimeMinutes,
    maturityRating: titles.maturityRating,
  },
  episodeName: episodes.name,
  episodeNumber: episodes.number,
  seasonNumber: seasons.number,
};

export type DownloadListRow = Awaited<ReturnType<typeof listForProfile>>[number];

/** A profile's downloads, newest first. The owner is in the where clause. */
export async function listForProfile(db: Executor, userId: string, profileId: string) {
  return db
    .select(listColumns)
    .from(downloads)
    .innerJoin(titles, eq(titles.id, downloads.titleId))
    .leftJoin(episodes, eq(episodes.id, downloads.episodeId))
    .leftJoin(seasons, eq(seasons.id, episodes.seasonId))
    .where(and(eq(downloads.userId, userId), eq(downloads.profileId, profileId)))
    .orderBy(desc(downloads.createdAt), desc(downloads.id));
}

/** Deletes one of the account's downloads; false when there is none (another account's included). */
export async function deleteOwn(db: Executor, userId: string, id: string): Promise<boolean> {
  const deleted = await db
    .delete(downloads)
    .where(and(eq(downloads.id, id), eq(downloads.userId, userId)))
    .returning({ id: downloads.id });
  return deleted.length > 0;
}
