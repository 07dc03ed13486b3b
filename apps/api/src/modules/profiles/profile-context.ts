import { AppError } from '@kush/contracts';
import { type Executor, profiles } from '@kush/db';
import { and, eq } from 'drizzle-orm';

export type ProfileRow = typeof profiles.$inferSelect;

/** The header a client sends to act as one of its account's profiles. */
export const PROFILE_HEADER = 'x-profile-id';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Loads a profile that belongs to `userId`. Another account's profile id is reported as not found,
 * never as forbidden, so ids cannot be probed.
 */
export async function findOwnProfile(db: Executor, userId: string, profileId: string): Promise<ProfileRow> {
  if (!UUID.test(profileId)) throw new AppError('VALIDATION_FAILED', 'The profile id is not valid.');
  const [row] = await db
    .select()
    .from(profiles)
    .where(and(eq(profiles.id, profileId), eq(profiles.userId, userId)))
    .limit(1);
  if (!row) throw new AppError('NOT_FOUND', 'No such profile.');
  return row;
}
