import { type Executor, videos, videoSubtitles } from '@kush/db';
import { and, desc, eq, inArray, lt, or, sql } from 'drizzle-orm';

export type VideoRow = typeof videos.$inferSelect;
export type SubtitleRow = typeof videoSubtitles.$inferSelect;

export async function insertVideo(db: Executor, values: typeof videos.$inferInsert): Promise<VideoRow> {
  const [row] = await db.insert(videos).values(values).returning();
  return row!;
}

export async function findVideo(db: Executor, id: string): Promise<VideoRow | undefined> {
  const [row] = await db.select().from(videos).where(eq(videos.id, id)).limit(1);
  return row;
}

export async function updateVideo(
  db: Executor,
  id: string,
  values: Partial<typeof videos.$inferInsert>,
): Promise<VideoRow | undefined> {
  const [row] = await db
    .update(videos)
    .set({ ...values, updatedAt: new Date() })
    .where(eq(videos.id, id))
    .returning();
  return row;
}

/**
 * Moves a video from one of `from` to `to` only if it is still there (and on the expected revision):
 * two workers, or a worker and the reconciler, can never both win the same transition.
 */
export async function transition(
  db: Executor,
  id: string,
  from: VideoRow['status'][],
  values: Partial<typeof videos.$inferInsert>,
  revision?: number,
): Promise<VideoRow | undefined> {
  const [row] = await db
    .update(videos)
    .set({ ...values, updatedAt: new Date() })
    .where(
      and(
        eq(videos.id, id),
        inArray(videos.status, from),
        revision === undefined ? undefined : eq(videos.revision, revision),
      ),
    )
    .returning();
  return row;
}

export async function listVideos(
  db: Executor,
  filter: { status?: VideoRow['status']; after?: { createdAt: Date; id: string }; limit: number },
): Promise<VideoRow[]> {
  return db
    .select()
    .from(videos)
    .where(
      and(
        filter.status ? eq(videos.status, filter.status) : undefined,
        filter.after
          ? or(
              lt(videos.createdAt, filter.after.createdAt),
              and(eq(videos.createdAt, filter.after.createdAt), lt(videos.id, filter.after.id)),
            )
          : undefined,
      ),
    )
    .orderBy(desc(videos.createdAt), desc(videos.id))
    .limit(filter.limit);
}

/** Videos whose transcode should be running but shows no sign of life, and uploads waiting for one. */
export async function findStalled(db: Executor, staleBefore: Date): Promise<VideoRow[]> {
  return db
    .select()
    .from(videos)
    .where(
      or(
        and(
          eq(videos.status, 'processing'),
          or(lt(videos.heartbeatAt, staleBefore), sql`${videos.heartbeatAt} is null`),
        ),
        and(eq(videos.status, 'uploaded'), lt(videos.updatedAt, staleBefore)),
      ),
    )
    .limit(100);
}

/** Uploads that were started but never completed. */
export async function findAbandonedUploads(db: Executor, olderThan: Date): Promise<VideoRow[]> {
  return db
    .select()
    .from(videos)
    .where(and(eq(videos.status, 'uploading'), lt(videos.createdAt, olderThan)))
    .limit(100);
}

export async function listSubtitles(db: Executor, videoId: string): Promise<SubtitleRow[]> {
  return db.select().from(videoSubtitles).where(eq(videoSubtitles.videoId, videoId)).orderBy(videoSubtitles.language);
}

export async function upsertSubtitle(db: Executor, values: typeof videoSubtitles.$inferInsert): Promise<void> {
  await db
    .insert(videoSubtitles)
    .values(values)
    .onConflictDoUpdate({
      target: [videoSubtitles.videoId, videoSubtitles.language],
      set: { label: values.label, key: values.key },
    });
}

export async function deleteVideo(db: Executor, id: string): Promise<void> {
  await db.delete(videos).where(eq(videos.id, id));
}
