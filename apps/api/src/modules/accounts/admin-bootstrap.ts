import { randomBytes } from 'node:crypto';
import type { Database } from '@kush/db';
import * as repo from './accounts.repository';
import { hashPassword } from './passwords';

/** A random, readable password: 20 characters from an alphabet without look-alikes. */
export function generatePassword(length = 20): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = randomBytes(length);
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
}

/**
 * Makes sure an admin account exists for `email`. Creates it with `password` (or a random one)
 * when missing, and grants admin when the account exists without it. Never resets a password.
 */
export async function ensureAdmin(
  db: Database,
  email: string,
  options: { password?: string; displayName?: string } = {},
): Promise<{ created: boolean; password?: string; userId: string }> {
  const normalized = email.trim().toLowerCase();
  const existing = await repo.findUserByIdentifier(db, normalized);
  if (existing) {
    if (!existing.roles.includes('admin'))
      await repo.updateUser(db, existing.id, { roles: [...existing.roles, 'admin'].sort() });
    return { created: false, userId: existing.id };
  }
  const password = options.password ?? generatePassword();
  const user = await repo.insertUser(db, {
    email: normalized,
    phone: null,
    passwordHash: await hashPassword(password),
    displayName: options.displayName ?? 'Administrator',
    roles: ['admin'],
    emailVerifiedAt: new Date(),
  });
  return { created: true, password, userId: user.id };
}
