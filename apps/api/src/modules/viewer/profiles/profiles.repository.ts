import { type Executor, profiles, uuidv7 } from '@kush/db';
import { and, asc, eq, sql } from 'drizzle-orm';
import type { ProfileRow } from '../../profiles/profile-context';

// Two-key advisory locks live in their own key space, apart from the migration lock.
const PROFILES_LOCK_CLASS = 41_001;

/** Serialises profile creation and deletion per account, so the limit of five holds under races. */
export async function lockAccountProfiles(tx: Executor, userId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${PROFILES_LOCK_CLASS}, hashtext(${userId}))`);
}

export async function listProfiles(db: Executor, userId: string): Promise<ProfileRow[]> {
  return db
    .select()
    .from(profiles)
    .where(eq(profiles.userId, userId))
    .orderBy(asc(profiles.createdAt), asc(profiles.id));
}

export async function countProfiles(db: Executor, userId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(profiles)
    .where(eq(profiles.userId, userId));
  return row?.n ?? 0;
}

export type NewProfile = Omit<typeof profiles.$inferInsert, 'id' | 'userId' | 'createdAt' | 'updatedAt'>;

export async function insertProfile(db: Executor, userId: string, values: NewProfile): Promise<ProfileRow> {
  const now = new Date();
  const [row] = await db
    .insert(profiles)
    .values({ ...values, id: uuidv7(), userId, createdAt: now, updatedAt: now })
    .returning();
  return row!;
}

export async function updateProfile(
  db: Executor,
  userId: string,
  id: string,
  values: Partial<NewProfile>,
): Promise<ProfileRow | undefined> {
  const [row] = await db
    .update(profiles)
    .set({ ...values, updatedAt: new Date() })
    .where(and(eq(profiles.id, id), eq(profiles.userId, userId)))
    .returning();
  return row;
}

export async function deleteProfile(db: Executor, userId: string, id: string): Promise<boolean> {
  const rows = await db
    .delete(profiles)
    .where(and(eq(profiles.id, id), eq(profiles.userId, userId)))
    .returning({ id: profiles.id });
  return rows.length > 0;
}
