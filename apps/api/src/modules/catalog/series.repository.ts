import { episodes, type Executor, seasons, uuidv7 } from '@kush/db';
import { asc, eq } from 'drizzle-orm';

/** Seasons and episodes of series. */

export type SeasonRow = typeof seasons.$inferSelect;
export type EpisodeRow = typeof episodes.$inferSelect;
type SeasonValues = Partial<Pick<SeasonRow, 'number' | 'name' | 'synopsis'>>;
type EpisodeValues = Partial<
  Pick<EpisodeRow, 'number' | 'name' | 'synopsis' | 'runtimeMinutes' | 'videoId' | 'publishAt'>
>;

export async function findSeason(db: Executor, id: string): Promise<SeasonRow | undefined> {
  const [row] = await db.select().from(seasons).where(eq(seasons.id, id)).limit(1);
  return row;
}

export async function insertSeason(db: Executor, titleId: string, values: SeasonValues & { number: number }) {
  const [row] = await db
    .insert(seasons)
    .values({ id: uuidv7(), titleId, ...values })
    .returning();
  return row!;
}

export async function updateSeason(db: Executor, id: string, values: SeasonValues) {
  const [row] = await db
    .update(seasons)
    .set({ ...values, updatedAt: new Date() })
    .where(eq(seasons.id, id))
    .returning();
  return row!;
}

export async function deleteSeason(db: Executor, id: string): Promise<void> {
  await db.delete(seasons).where(eq(seasons.id, id));
}

export async function episodesOfSeason(db: Executor, seasonId: string): Promise<EpisodeRow[]> {
  return db.select().from(episodes).where(eq(episodes.seasonId, seasonId)).orderBy(asc(episodes.number));
}

export async function findEpisode(db: Executor, id: string): Promise<EpisodeRow | undefined> {
  const [row] = await db.select().from(episodes).where(eq(episodes.id, id)).limit(1);
  return row;
}

export async function insertEpisode(
  db: Executor,
  season: Pick<SeasonRow, 'id' | 'titleId'>,
  values: EpisodeValues & { number: number; name: string },
) {
  const [row] = await db
    .insert(episodes)
    .values({ id: uuidv7(), titleId: season.titleId, seasonId: season.id, ...values })
    .returning();
  return row!;
}

export async function updateEpisode(db: Executor, id: string, values: EpisodeValues) {
  const [row] = await db
    .update(episodes)
    .set({ ...values, updatedAt: new Date() })
    .where(eq(episodes.id, id))
    .returning();
  return row!;
}

export async function deleteEpisode(db: Executor, id: string): Promise<void> {
  await db.delete(episodes).where(eq(episodes.id, id));
}
