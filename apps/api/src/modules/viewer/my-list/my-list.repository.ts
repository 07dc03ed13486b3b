import { type Executor, myList, titles } from '@kush/db';
import { and, desc, eq, lt, or, sql } from 'drizzle-orm';
import type { ProfileRow } from '../../profiles/profile-context';
import { titleVisibleTo, viewerTitleColumns } from '../catalog-access';
import type { TimeKey } from '../../../lib/cursor';

export type MyListRow = typeof myList.$inferSelect;

/** Adds the title once; adding it again keeps its original date. */
export async function addToList(db: Executor, profileId: string, titleId: string): Promise<MyListRow> {
  const [inserted] = await db
    .insert(myList)
    .values({ profileId, titleId, addedAt: new Date() })
    .onConflictDoNothing()
    .returning();
  return inserted ?? (await findEntry(db, profileId, titleId))!;
}

export async function findEntry(db: Executor, profileId: string, titleId: string): Promise<MyListRow | undefined> {
  const [row] = await db
    .select()
    .from(myList)
    .where(and(eq(myList.profileId, profileId), eq(myList.titleId, titleId)))
    .limit(1);
  return row;
}

export async function countList(db: Executor, profileId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(myList)
    .where(eq(myList.profileId, profileId));
  return row?.n ?? 0;
}

export async function removeFromList(db: Executor, profileId: string, titleId: string): Promise<boolean> {
  const rows = await db
    .delete(myList)
    .where(and(eq(myList.profileId, profileId), eq(myList.titleId, titleId)))
    .returning({ titleId: myList.titleId });
  return rows.length > 0;
}

/** Newest first; titles the profile may no longer see (unpublished, above its limit) are left out. */
export async function listEntries(db: Executor, profile: ProfileRow, page: { after?: TimeKey; limit: number }) {
  const after = page.after
    ? or(
        lt(myList.addedAt, page.after.createdAt),
        and(eq(myList.addedAt, page.after.createdAt), lt(myList.titleId, page.after.id)),
      )
    : undefined;
  return db
    .select({ title: viewerTitleColumns, addedAt: myList.addedAt })
    .from(myList)
    .innerJoin(titles, eq(titles.id, myList.titleId))
    .where(and(eq(myList.profileId, profile.id), titleVisibleTo(profile), after))
    .orderBy(desc(myList.addedAt), desc(myList.titleId))
    .limit(page.limit);
}
