import { type Executor, ratings, titles } from '@kush/db';
import { and, desc, eq, lt, or, sql } from 'drizzle-orm';
import type { ProfileRow } from '../../profiles/profile-context';
import { titleVisibleTo, viewerTitleColumns } from '../catalog-access';
import type { TimeKey } from '../../../lib/cursor';

export type RatingRow = typeof ratings.$inferSelect;

/** Inserts a first rating; undefined when the profile already rated the title. */
export async function insertRatingIfAbsent(
  db: Executor,
  profileId: string,
  titleId: string,
  score: number,
): Promise<RatingRow | undefined> {
  const now = new Date();
  const [row] = await db
    .insert(ratings)
    .values({ profileId, titleId, score, createdAt: now, updatedAt: now })
    .onConflictDoNothing()
    .returning();
  return row;
}

/** The current rating, locked until the transaction ends, so its old score is the one replaced. */
export async function lockRating(db: Executor, profileId: string, titleId: string): Promise<RatingRow | undefined> {
  const [row] = await db
    .select()
    .from(ratings)
    .where(and(eq(ratings.profileId, profileId), eq(ratings.titleId, titleId)))
    .for('update');
  return row;
}

export async function updateRatingScore(
  db: Executor,
  profileId: string,
  titleId: string,
  score: number,
): Promise<RatingRow> {
  const [row] = await db
    .update(ratings)
    .set({ score, updatedAt: new Date() })
    .where(and(eq(ratings.profileId, profileId), eq(ratings.titleId, titleId)))
    .returning();
  return row!;
}

export async function deleteRating(db: Executor, profileId: string, titleId: string): Promise<RatingRow | undefined> {
  const [row] = await db
    .delete(ratings)
    .where(and(eq(ratings.profileId, profileId), eq(ratings.titleId, titleId)))
    .returning();
  return row;
}

export async function deleteProfileRatings(db: Executor, profileId: string): Promise<RatingRow[]> {
  return db.delete(ratings).where(eq(ratings.profileId, profileId)).returning();
}

/** Moves the title's running totals by the change; one atomic UPDATE, so concurrent raters add up. */
export async function adjustTitleRating(
  db: Executor,
  titleId: string,
  sumDelta: number,
  countDelta: number,
): Promise<{ ratingSum: number; ratingCount: number }> {
  const [row] = await db
    .update(titles)
    .set({
      ratingSum: sql`${titles.ratingSum} + ${sumDelta}`,
      ratingCount: sql`${titles.ratingCount} + ${countDelta}`,
    })
    .where(eq(titles.id, titleId))
    .returning({ ratingSum: titles.ratingSum, ratingCount: titles.ratingCount });
  return row ?? { ratingSum: 0, ratingCount: 0 };
}

export async function findRating(db: Executor, profileId: string, titleId: string) {
  const [row] = await db
    .select({ rating: ratings, ratingSum: titles.ratingSum, ratingCount: titles.ratingCount })
    .from(ratings)
    .innerJoin(titles, eq(titles.id, ratings.titleId))
    .where(and(eq(ratings.profileId, profileId), eq(ratings.titleId, titleId)))
    .limit(1);
  return row;
}

export async function listRatings(db: Executor, profile: ProfileRow, page: { after?: TimeKey; limit: number }) {
  const after = page.after
    ? or(
        lt(ratings.updatedAt, page.after.createdAt),
        and(eq(ratings.updatedAt, page.after.createdAt), lt(ratings.titleId, page.after.id)),
      )
    : undefined;
  return db
    .select({ title: viewerTitleColumns, score: ratings.score, updatedAt: ratings.updatedAt })
    .from(ratings)
    .innerJoin(titles, eq(titles.id, ratings.titleId))
    .where(and(eq(ratings.profileId, profile.id), titleVisibleTo(profile), after))
    .orderBy(desc(ratings.updatedAt), desc(ratings.titleId))
    .limit(page.limit);
}
