import type { NotificationType } from '@kush/contracts';
import {
  episodes,
  type Executor,
  myList,
  notificationPreferences,
  notifications,
  profiles,
  seasons,
  titles,
  users,
} from '@kush/db';
import { and, asc, desc, eq, gt, inArray, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import type { ProfileRow } from '../../profiles/profile-context';
import type { TimeKey } from '../../../lib/cursor';

export type NotificationRow = typeof notifications.$inferSelect;
export type NewNotification = Omit<typeof notifications.$inferInsert, 'createdAt'>;

/** Inserts what is not there yet (by dedupe key) and returns only the rows actually inserted. */
export async function insertNotifications(db: Executor, rows: NewNotification[]): Promise<NotificationRow[]> {
  if (rows.length === 0) return [];
  const now = new Date();
  return db
    .insert(notifications)
    .values(rows.map((r) => ({ ...r, createdAt: now })))
    .onConflictDoNothing()
    .returning();
}

/** A profile sees its own notifications and, unless it is a kids profile, the account's. */
function visibleTo(profile: ProfileRow): SQL {
  return and(
    eq(notifications.userId, profile.userId),
    profile.isKids
      ? eq(notifications.profileId, profile.id)
      : or(eq(notifications.profileId, profile.id), isNull(notifications.profileId)),
  )!;
}

export async function listNotifications(
  db: Executor,
  profile: ProfileRow,
  page: { after?: TimeKey; limit: number; unreadOnly?: boolean },
): Promise<NotificationRow[]> {
  const after = page.after
    ? or(
        lt(notifications.createdAt, page.after.createdAt),
        and(eq(notifications.createdAt, page.after.createdAt), lt(notifications.id, page.after.id)),
      )
    : undefined;
  return db
    .select()
    .from(notifications)
    .where(and(visibleTo(profile), page.unreadOnly ? isNull(notifications.readAt) : undefined, after))
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(page.limit);
}

export async function countUnread(db: Executor, profile: ProfileRow): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(notifications)
    .where(and(visibleTo(profile), isNull(notifications.readAt)));
  return row?.n ?? 0;
}

/** Marks one as read (already read stays as it was); false when the profile cannot see it. */
export async function markRead(db: Executor, profile: ProfileRow, id: string): Promise<boolean> {
  const rows = await db
    .update(notifications)
    .set({ readAt: sql`coalesce(${notifications.readAt}, now())` })
    .where(and(eq(notifications.id, id), visibleTo(profile)))
    .returning({ id: notifications.id });
  return rows.length > 0;
}

export async function markAllRead(db: Executor, profile: ProfileRow): Promise<number> {
  const rows = await db
    .update(notifications)
    .set({ readAt: new Date() })
    .where(and(visibleTo(profile), isNull(notifications.readAt)))
    .returning({ id: notifications.id });
  return rows.length;
}

export async function findPreferences(db: Executor, userIds: string[]) {
  if (userIds.length === 0) return [];
  return db.select().from(notificationPreferences).where(inArray(notificationPreferences.userId, userIds));
}

export async function upsertPreference(
  db: Executor,
  userId: string,
  type: NotificationType,
  values: { inApp: boolean; email: boolean },
): Promise<void> {
  await db
    .insert(notificationPreferences)
    .values({ userId, type, ...values, updatedAt: new Date() })
    .onConflictDoUpdate({
      target: [notificationPreferences.userId, notificationPreferences.type],
      set: { ...values, updatedAt: new Date() },
    });
}

/** Where an account's email goes; only active accounts receive anything. */
export async function findRecipient(db: Executor, userId: string) {
  const [row] = await db
    .select({ id: users.id, email: users.email, displayName: users.displayName, status: users.status })
    .from(users)
    .where(eq(users.id, userId))
    .limit(1);
  return row;
}

// Fan-out to the profiles that listed a title

export async function findFanoutTitle(db: Executor, titleId: string) {
  const [row] = await db
    .select({
      id: titles.id,
      slug: titles.slug,
      name: titles.name,
      status: titles.status,
      publishAt: titles.publishAt,
      maturityRating: titles.maturityRating,
      accessTier: titles.accessTier,
    })
    .from(titles)
    .where(eq(titles.id, titleId))
    .limit(1);
  return row;
}

export async function findEpisode(db: Executor, titleId: string, episodeId: string) {
  const [row] = await db
    .select({ id: episodes.id, name: episodes.name, number: episodes.number, seasonNumber: seasons.number })
    .from(episodes)
    .innerJoin(seasons, eq(seasons.id, episodes.seasonId))
    .where(and(eq(episodes.id, episodeId), eq(episodes.titleId, titleId)))
    .limit(1);
  return row;
}

/** The next batch of active accounts (by id) with at least one profile that listed the title. */
export async function listFanoutAccounts(
  db: Executor,
  titleId: string,
  afterUserId: string | undefined,
  limit: number,
): Promise<string[]> {
  const rows = await db
    .selectDistinct({ userId: profiles.userId })
    .from(myList)
    .innerJoin(profiles, eq(profiles.id, myList.profileId))
    .innerJoin(users, eq(users.id, profiles.userId))
    .where(
      and(
        eq(myList.titleId, titleId),
        eq(users.status, 'active'),
        afterUserId ? gt(profiles.userId, afterUserId) : undefined,
      ),
    )
    .orderBy(asc(profiles.userId))
    .limit(limit);
  return rows.map((r) => r.userId);
}

/** Those accounts' profiles that listed the title, with where their email goes. */
export async function listFanoutProfiles(db: Executor, titleId: string, userIds: string[]) {
  if (userIds.length === 0) return [];
  return db
    .select({ profile: profiles, email: users.email, displayName: users.displayName })
    .from(myList)
    .innerJoin(profiles, eq(profiles.id, myList.profileId))
    .innerJoin(users, eq(users.id, profiles.userId))
    .where(and(eq(myList.titleId, titleId), inArray(profiles.userId, userIds)))
    .orderBy(asc(profiles.userId), asc(profiles.id));
}
