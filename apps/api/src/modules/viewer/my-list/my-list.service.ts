import { AppError } from '@kush/contracts';
import type { Database } from '@kush/db';
import type { ImagePresenter } from '../../catalog/images.presenter';
import { findOwnProfile } from '../../profiles/profile-context';
import { findVisibleTitle, toViewerTitle } from '../catalog-access';
import { decodeAfter, toPage } from '../../../lib/cursor';
import * as repo from './my-list.repository';

/** Keeps one list from growing without bound (and the fan-out per title with it). */
export const MY_LIST_MAX = 500;

/** A profile's My List. */
export class MyListService {
  constructor(
    private readonly db: Database,
    private readonly images: ImagePresenter,
  ) {}

  async list(userId: string, profileId: string, query: { cursor?: string; limit: number }) {
    const profile = await findOwnProfile(this.db, userId, profileId);
    const rows = await repo.listEntries(this.db, profile, { after: decodeAfter(query.cursor), limit: query.limit + 1 });
    const page = toPage(
      rows,
      query.limit,
      (r) => r,
      (r) => ({ createdAt: r.addedAt, id: r.title.id }),
    );
    return {
      items: await Promise.all(
        page.items.map(async (r) => ({
          title: await toViewerTitle(r.title, this.images),
          addedAt: r.addedAt.toISOString(),
        })),
      ),
      nextCursor: page.nextCursor,
    };
  }

  async status(userId: string, profileId: string, titleId: string) {
    const profile = await findOwnProfile(this.db, userId, profileId);
    await findVisibleTitle(this.db, profile, titleId);
    const entry = await repo.findEntry(this.db, profile.id, titleId);
    return { titleId, inList: !!entry, addedAt: entry?.addedAt.toISOString() ?? null };
  }

  async add(userId: string, profileId: string, titleId: string) {
    const profile = await findOwnProfile(this.db, userId, profileId);
    const title = await findVisibleTitle(this.db, profile, titleId);
    if (
      !(await repo.findEntry(this.db, profile.id, titleId)) &&
      (await repo.countList(this.db, profile.id)) >= MY_LIST_MAX
    ) {
      throw new AppError('CONFLICT', `My List holds at most ${MY_LIST_MAX} titles; remove some first.`);
    }
    const entry = await repo.addToList(this.db, profile.id, titleId);
    return { title: await toViewerTitle(title, this.images), addedAt: entry.addedAt.toISOString() };
  }

  async remove(userId: string, profileId: string, titleId: string): Promise<void> {
    const profile = await findOwnProfile(this.db, userId, profileId);
    if (!(await repo.removeFromList(this.db, profile.id, titleId))) {
      throw new AppError('NOT_FOUND', 'This title is not in the list.');
    }
  }
}
