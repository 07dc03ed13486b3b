import { AppError } from '@kush/contracts';
import type { Database, Executor } from '@kush/db';
import type { ImagePresenter } from '../../catalog/images.presenter';
import { findOwnProfile } from '../../profiles/profile-context';
import { findVisibleTitle, ratingAverage, toViewerTitle } from '../catalog-access';
import { decodeAfter, toPage } from '../../../lib/cursor';
import * as repo from './ratings.repository';

const toRating = (row: repo.RatingRow, totals: { ratingSum: number; ratingCount: number }) => ({
  titleId: row.titleId,
  score: row.score,
  ratedAt: row.updatedAt.toISOString(),
  average: ratingAverage(totals.ratingSum, totals.ratingCount),
  count: totals.ratingCount,
});

/**
 * Removes every rating of a profile and takes them out of the titles' totals. Called in the
 * transaction that deletes the profile (the foreign key would drop the rows but not the totals).
 */
export async function removeProfileRatings(tx: Executor, profileId: string): Promise<void> {
  const removed = await repo.deleteProfileRatings(tx, profileId);
  // One title at a time in a fixed order, so two deletions never wait on each other in a cycle.
  for (const r of removed.sort((a, b) => a.titleId.localeCompare(b.titleId))) {
    await repo.adjustTitleRating(tx, r.titleId, -r.score, -1);
  }
}

/** 1–5 ratings per profile per title; the title's sum and count change in the same transaction. */
export class RatingsService {
  constructor(
    private readonly db: Database,
    private readonly images: ImagePresenter,
  ) {}

  async rate(userId: string, profileId: string, titleId: string, score: number) {
    const profile = await findOwnProfile(this.db, userId, profileId);
    await findVisibleTitle(this.db, profile, titleId);
    return this.db.transaction(async (tx) => {
      // A concurrent delete can remove the row between the failed insert and the lock: try again.
      for (let attempt = 0; attempt < 3; attempt++) {
        const inserted = await repo.insertRatingIfAbsent(tx, profile.id, titleId, score);
        if (inserted) return toRating(inserted, await repo.adjustTitleRating(tx, titleId, score, 1));
        const previous = await repo.lockRating(tx, profile.id, titleId);
        if (!previous) continue;
        const updated = await repo.updateRatingScore(tx, profile.id, titleId, score);
        return toRating(updated, await repo.adjustTitleRating(tx, titleId, score - previous.score, 0));
      }
      throw new AppError('CONFLICT', 'The rating changed while saving; try again.');
    });
  }

  async get(userId: string, profileId: string, titleId: string) {
    const profile = await findOwnProfile(this.db, userId, profileId);
    await findVisibleTitle(this.db, profile, titleId);
    const found = await repo.findRating(this.db, profile.id, titleId);
    if (!found) throw new AppError('NOT_FOUND', 'This profile has not rated this title.');
    return toRating(found.rating, found);
  }

  async remove(userId: string, profileId: string, titleId: string): Promise<void> {
    const profile = await findOwnProfile(this.db, userId, profileId);
    const removed = await this.db.transaction(async (tx) => {
      const row = await repo.deleteRating(tx, profile.id, titleId);
      if (row) await repo.adjustTitleRating(tx, titleId, -row.score, -1);
      return row;
    });
    if (!removed) throw new AppError('NOT_FOUND', 'This profile has not rated this title.');
  }

  async list(userId: string, profileId: string, query: { cursor?: string; limit: number }) {
    const profile = await findOwnProfile(this.db, userId, profileId);
    const rows = await repo.listRatings(this.db, profile, { after: decodeAfter(query.cursor), limit: query.limit + 1 });
    const page = toPage(
      rows,
      query.limit,
      (r) => r,
      (r) => ({ createdAt: r.updatedAt, id: r.title.id }),
    );
    return {
      items: await Promise.all(
        page.items.map(async (r) => ({
          title: await toViewerTitle(r.title, this.images),
          score: r.score,
          ratedAt: r.updatedAt.toISOString(),
        })),
      ),
      nextCursor: page.nextCursor,
    };
  }
}
