import type { Executor } from '@kush/db';
import type { FastifyInstance } from 'fastify';
import { auditRoutes } from './audit.routes';
import { AuditService } from './audit.service';

/** The audit log for staff with audit:read. Entries are written by each module in its own transactions. */
export async function auditModule(app: FastifyInstance, options: { db: Executor }): Promise<void> {
  await app.register(auditRoutes, { prefix: '/api/v1/admin/audit', audit: new AuditService(options.db) });
}
