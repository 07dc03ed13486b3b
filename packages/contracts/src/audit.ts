import { z } from 'zod';
import { PageQuery, Timestamp, pageOf } from './common';

/** The audit log: who changed what, when, with the state before and after (permission audit:read). */

export const AuditQuery = z.strictObject({
  ...PageQuery.shape,
  entityType: z
    .string()
    .regex(/^[a-z][a-z_]{0,39}$/, 'must be an entity type such as title or user')
    .optional(),
  entityId: z.string().trim().min(1).max(100).optional(),
  actorId: z.uuid().optional(),
});

export const AuditEntry = z
  .object({
    id: z.uuid(),
    actor: z.object({ id: z.uuid(), displayName: z.string(), email: z.string().nullable() }).nullable(),
    action: z.string(),
    entityType: z.string(),
    entityId: z.string(),
    before: z.unknown(),
    after: z.unknown(),
    requestId: z.string().nullable(),
    ip: z.string().nullable(),
    createdAt: Timestamp,
  })
  .meta({ id: 'AuditEntry' });
export const AuditPage = pageOf(AuditEntry);
