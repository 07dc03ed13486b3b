import { episodes, type Executor, seasons, titles, uuidv7, videos } from '@kush/db';
import { eq } from 'drizzle-orm';

/**
 * Catalog rows written straight to the database, for tests of features that only read the catalog.
 * Unique slugs, so tests never collide on a shared database.
 */

let seq = 0;
const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

export type TitleRow = typeof titles.$inferSelect;

/** A published free film rated 13 unless overridden. */
export async function insertTitle(
  db: Executor,
  overrides: Partial<typeof titles.$inferInsert> = {},
): Promise<TitleRow> {
  seq += 1;
  const name = overrides.name ?? `Test Title ${seq}`;
  const status = overrides.status ?? 'published';
  const [row] = await db
    .insert(titles)
    .values({
      id: uuidv7(),
      kind: 'film',
      slug: `test-title-${run}-${seq}`,
      name,
      year: 2024,
      maturityRating: '13',
      accessTier: 'free',
      status,
      publishedAt: status === 'published' ? new Date() : null,
      ...overrides,
    })
    .returning();
  return row!;
}

/** An uploaded video row (no media behind it): what progress and playback rows point at. */
export async function insertVideo(db: Executor, durationSeconds = 3600): Promise<string> {
  const id = uuidv7();
  await db.insert(videos).values({
    id,
    purpose: 'feature',
    status: 'ready',
    originalFilename: 'test.mp4',
    contentType: 'video/mp4',
    sourceSize: 1000,
    sourceKey: `videos/${id}/source`,
    uploadMode: 'single',
    durationSeconds,
  });
  return id;
}

const RENDITIONS = {
  360: { label: '360p', width: 640, height: 360, bandwidth: 800_000, averageBandwidth: 700_000, totalBytes: 1 },
  1080: { label: '1080p', width: 1920, height: 1080, bandwidth: 5_000_000, averageBandwidth: 4_000_000, totalBytes: 1 },
} as const;

/**
 * A playable video: a published revision with a manifest of the given renditions (no stream bytes
 * behind it), for tests of who may start playback rather than of the media.
 */
export async function insertPlayableVideo(
  db: Executor,
  { durationSeconds = 60, heights = [360] }: { durationSeconds?: number; heights?: (keyof typeof RENDITIONS)[] } = {},
): Promise<string> {
  const id = await insertVideo(db, durationSeconds);
  await db
    .update(videos)
    .set({
      outputPrefix: `videos/${id}/r1/`,
      manifest: { master: 'master.m3u8', durationSeconds, renditions: heights.map((h) => ({ ...RENDITIONS[h] })) },
    })
    .where(eq(videos.id, id));
  return id;
}

/** An episode of a series (season created when missing), with its own video. */
export async function insertEpisode(
  db: Executor,
  seriesId: string,
  options: { season?: number; number?: number; name?: string } = {},
) {
  seq += 1;
  const seasonNumber = options.season ?? 1;
  const [season] = await db
    .insert(seasons)
    .values({ id: uuidv7(), titleId: seriesId, number: seasonNumber })
    .onConflictDoUpdate({ target: [seasons.titleId, seasons.number], set: { number: seasonNumber } })
    .returning();
  const videoId = await insertVideo(db, 1800);
  const [episode] = await db
    .insert(episodes)
    .values({
      id: uuidv7(),
      titleId: seriesId,
      seasonId: season!.id,
      number: options.number ?? seq,
      name: options.name ?? `Episode ${seq}`,
      videoId,
    })
    .returning();
  return { ...episode!, seasonNumber, videoId };
}
