import type { Role, User } from '@kush/contracts';
import type { UserRow } from './accounts.repository';

export function toUser(row: UserRow): User {
  return {
    id: row.id,
    email: row.email,
    phone: row.phone,
    displayName: row.displayName,
    roles: row.roles as Role[],
    status: row.status,
    emailVerified: row.emailVerifiedAt !== null,
    createdAt: row.createdAt.toISOString(),
  };
}
