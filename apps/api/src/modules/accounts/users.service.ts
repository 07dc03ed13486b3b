import { AppError, type Role } from '@kush/contracts';
import type { Database } from '@kush/db';
import { decodeTimeCursor, encodeTimeCursor } from '../../lib/cursor';
import { recordAudit } from '../audit/audit.repository';
import * as repo from './accounts.repository';
import { toUser } from './accounts.mapper';
import type { Principal } from './auth.service';

export interface ActionContext {
  actor: Principal;
  requestId?: string;
  ip?: string;
}

/** Staff administration of accounts: search, roles, suspension. Every change is audited. */
export class UsersService {
  constructor(private readonly db: Database) {}

  async list(query: { q?: string; role?: Role; status?: 'active' | 'suspended'; cursor?: string; limit: number }) {
    const after = query.cursor ? decodeTimeCursor(query.cursor) : undefined;
    const rows = await repo.listUsers(this.db, { ...query, after, limit: query.limit + 1 });
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    return { items: page.map(toUser), nextCursor: rows.length > query.limit && last ? encodeTimeCursor(last) : null };
  }

  async get(id: string) {
    const row = await repo.findUserById(this.db, id);
    if (!row) throw new AppError('NOT_FOUND', 'No such user.');
    return toUser(row);
  }

  async setRoles(id: string, roles: Role[], ctx: ActionContext) {
    return this.db.transaction(async (tx) => {
      const before = await repo.findUserById(tx, id);
      if (!before) throw new AppError('NOT_FOUND', 'No such user.');
      if (before.roles.includes('admin') && !roles.includes('admin') && (await repo.countAdmins(tx)) <= 1) {
        throw new AppError('CONFLICT', 'This is the last active admin; make someone else admin first.');
      }
      const after = (await repo.updateUser(tx, id, { roles: [...roles].sort() }))!;
      await recordAudit(tx, {
        actorId: ctx.actor.userId,
        action: 'user.roles.set',
        entityType: 'user',
        entityId: id,
        before: { roles: before.roles },
        after: { roles: after.roles },
        requestId: ctx.requestId,
        ip: ctx.ip,
      });
      return toUser(after);
    });
  }

  async suspend(id: string, reason: string | undefined, ctx: ActionContext) {
    if (id === ctx.actor.userId) throw new AppError('CONFLICT', 'You cannot suspend your own account.');
    return this.db.transaction(async (tx) => {
      const before = await repo.findUserById(tx, id);
      if (!before) throw new AppError('NOT_FOUND', 'No such user.');
      if (before.status === 'suspended') return toUser(before);
      const after = (await repo.updateUser(tx, id, { status: 'suspended', suspendedAt: new Date() }))!;
      const revoked = await repo.revokeUserSessions(tx, id, 'suspended');
      await recordAudit(tx, {
        actorId: ctx.actor.userId,
        action: 'user.suspend',
        entityType: 'user',
        entityId: id,
        before: { status: before.status },
        after: { status: after.status, reason: reason ?? null, sessionsRevoked: revoked },
        requestId: ctx.requestId,
        ip: ctx.ip,
      });
      return toUser(after);
    });
  }

  async reinstate(id: string, ctx: ActionContext) {
    return this.db.transaction(async (tx) => {
      const before = await repo.findUserById(tx, id);
      if (!before) throw new AppError('NOT_FOUND', 'No such user.');
      if (before.status === 'active') return toUser(before);
      const after = (await repo.updateUser(tx, id, { status: 'active', suspendedAt: null }))!;
      await recordAudit(tx, {
        actorId: ctx.actor.userId,
        action: 'user.reinstate',
        entityType: 'user',
        entityId: id,
        before: { status: before.status },
        after: { status: after.status },
        requestId: ctx.requestId,
        ip: ctx.ip,
      });
      return toUser(after);
    });
  }
}
