import type { Executor } from '@kush/db';
import { decodeAfter, toPage } from '../../lib/cursor';
import { listAudit } from './audit.repository';

/** Reading the audit log: newest first, filtered by entity and actor. */
export class AuditService {
  constructor(private readonly db: Executor) {}

  async list(query: { entityType?: string; entityId?: string; actorId?: string; cursor?: string; limit: number }) {
    const rows = await listAudit(this.db, { ...query, after: decodeAfter(query.cursor), limit: query.limit + 1 });
    return toPage(
      rows,
      query.limit,
      ({ entry, actor }) => ({
        id: entry.id,
        // A deleted actor's entries remain, without the actor.
        actor: actor && actor.id ? actor : null,
        action: entry.action,
        entityType: entry.entityType,
        entityId: entry.entityId,
        before: entry.before ?? null,
        after: entry.after ?? null,
        requestId: entry.requestId,
        ip: entry.ip,
        createdAt: entry.createdAt.toISOString(),
      }),
      (r) => r.entry,
    );
  }
}
