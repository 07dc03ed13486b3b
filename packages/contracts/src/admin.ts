import { z } from 'zod';
import { User } from './auth';
import { Role } from './roles';
import { PageQuery, pageOf } from './common';

export const UserListQuery = PageQuery.extend({
  q: z.string().trim().max(100).optional().describe('matches email, phone or display name'),
  role: Role.optional(),
  status: z.enum(['active', 'suspended']).optional(),
});

export const UserPage = pageOf(User);

export const SetRolesBody = z.strictObject({
  roles: z
    .array(Role)
    .min(1)
    .max(5)
    .refine((r) => new Set(r).size === r.length, 'roles must not repeat'),
});

export const SuspendBody = z.strictObject({ reason: z.string().trim().max(500).optional() }).default({});
