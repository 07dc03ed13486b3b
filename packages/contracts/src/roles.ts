import { z } from 'zod';

export const ROLES = ['viewer', 'content_manager', 'ad_manager', 'finance', 'admin'] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

export const PERMISSIONS = [
  /** Any signed-in account acting on itself. */
  'account:self',
  'catalog:manage',
  'uploads:manage',
  'comments:moderate',
  'ads:manage',
  'finance:manage',
  'users:manage',
  'audit:read',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** The one map from roles to permissions. Admin holds every permission. */
export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  viewer: ['account:self'],
  content_manager: ['account:self', 'catalog:manage', 'uploads:manage', 'comments:moderate'],
  ad_manager: ['account:self', 'ads:manage'],
  finance: ['account:self', 'finance:manage'],
  admin: PERMISSIONS,
};

export function permissionsOf(roles: readonly Role[]): Set<Permission> {
  const set = new Set<Permission>();
  for (const role of roles) for (const p of ROLE_PERMISSIONS[role] ?? []) set.add(p);
  return set;
}

export function hasPermission(roles: readonly Role[], permission: Permission): boolean {
  return roles.some((r) => ROLE_PERMISSIONS[r]?.includes(permission));
}
