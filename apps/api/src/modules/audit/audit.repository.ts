import { auditLog, type Executor, users, uuidv7 } from '@kush/db';
import { and, desc, eq, sql, type SQL } from 'drizzle-orm';

export interface AuditEntry {
  actorId: string | null;
  action: string;
  entityType: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
  requestId?: string;
  ip?: string;
}

/** Written in the same transaction as the change it describes. */
export async function recordAudit(db: Executor, entry: AuditEntry): Promise<void> {
  await db.insert(auditLog).values({ id: uuidv7(), ...entry });
}

export async function listAudit(
  db: Executor,
  filter: {
    entityType?: string;
    entityId?: string;
    actorId?: string;
    after?: { createdAt: Date; id: string };
    limit: number;
  },
) {
  const conditions: (SQL | undefined)[] = [];
  if (filter.entityType) conditions.push(eq(auditLog.entityType, filter.entityType));
  if (filter.entityId) conditions.push(eq(auditLog.entityId, filter.entityId));
  if (filter.actorId) conditions.push(eq(auditLog.actorId, filter.actorId));
  if (filter.after) {
    // Newest first: continue strictly after the last entry of the previous page.
    conditions.push(
      sql`(${auditLog.createdAt}, ${auditLog.id}) < (${filter.after.createdAt.toISOString()}::timestamptz, ${filter.after.id}::uuid)`,
    );
  }
  return db
    .select({
      entry: auditLog,
      actor: { id: users.id, displayName: users.displayName, email: users.email },
    })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorId))
    .where(and(...conditions))
    .orderBy(desc(auditLog.createdAt), desc(auditLog.id))
    .limit(filter.limit);
}
