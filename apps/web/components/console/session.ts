/**
 * Who is using the console, for server components. The console is hidden: a signed-out visitor is
 * sent to sign in, a signed-in account without a staff permission sees the not-found page, as if
 * /console did not exist.
 */
import { notFound } from 'next/navigation';
import type { Permission } from '@kush/contracts';
import { requireMe } from '@/lib/session';
import type { MeAccount } from './types';

/** Permissions that open some part of the console (every account holds account:self). */
export const STAFF_PERMISSIONS: readonly Permission[] = [
  'catalog:manage',
  'uploads:manage',
  'comments:moderate',
  'ads:manage',
  'finance:manage',
  'users:manage',
  'audit:read',
];

export function can(account: MeAccount, permission: Permission): boolean {
  return account.permissions.includes(permission);
}

/** The signed-in staff account, or the sign-in redirect / not-found page. */
export async function requireStaff(): Promise<MeAccount> {
  const account: MeAccount = await requireMe('/console');
  if (!STAFF_PERMISSIONS.some((p) => can(account, p))) notFound();
  return account;
}

/** A console section: staff without its permission get the not-found page too. */
export async function requirePermission(permission: Permission): Promise<MeAccount> {
  const account = await requireStaff();
  if (!can(account, permission)) notFound();
  return account;
}
