import { AppError, type Role } from '@kush/contracts';
import type { Database, Transaction } from '@kush/db';
import { decodeAfter, toPage } from '../../lib/cursor';
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
    const rows = await repo.listUsers(this.db, { ...query, after: decodeAfter(query.cursor), limit: query.limit + 1 });
    return toPage(rows, query.limit, toUser, (r) => r);
  }

  async get(id: string) {
    const row = await repo.findUserById(this.db, id);
    if (!row) throw new AppError('NOT_FOUND', 'No such user.');
    return toUser(row);
  }

  async setRoles(id: string, roles: Role[], ctx: ActionContext) {
    return this.change(id, ctx, 'user.roles.set', async (tx, before) => {
      if (before.roles.includes('admin') && !roles.includes('admin') && (await repo.countAdmins(tx)) <= 1) {
        throw new AppError('CONFLICT', 'This is the last active admin; make someone else admin first.');
      }
      const after = (await repo.updateUser(tx, id, { roles: [...roles].sort() }))!;
      return { after, audit: { before: { roles: before.roles }, after: { roles: after.roles } } };
    });
  }

  async suspend(id: string, reason: string | undefined, ctx: ActionContext) {
    if (id === ctx.actor.userId) throw new AppError('CONFLICT', 'You cannot suspend your own account.');
    return this.change(id, ctx, 'user.suspend', async (tx, before) => {
      if (before.status === 'suspended') return null;
      const after = (await repo.updateUser(tx, id, { status: 'suspended', suspendedAt: new Date() }))!;
      const revoked = await repo.revokeUserSessions(tx, id, 'suspended');
      return {
        after,
        audit: {
          before: { status: before.status },
          after: { status: after.status, reason: reason ?? null, sessionsRevoked: revoked },
        },
      };
    });
  }

  async reinstate(id: string, ctx: ActionContext) {
    return this.change(id, ctx, 'user.reinstate', async (tx, before) => {
      if (before.status === 'active') return null;
      const after = (await repo.updateUser(tx, id, { status: 'active', suspendedAt: null }))!;
      return { after, audit: { before: { status: before.status }, after: { status: after.status } } };
    });
  }

  /**
   * Loads the account, applies one change and audits it, all in one transaction. `apply` returns
   * null when there is nothing to change (already in the asked-for state): nothing is audited.
   */
  private change(
    id: string,
    ctx: ActionContext,
    action: string,
    apply: (
      tx: Transaction,
      before: repo.UserRow,
    ) => Promise<{ after: repo.UserRow; audit: { before: unknown; after: unknown } } | null>,
  ) {
    return this.db.transaction(async (tx) => {
      const before = await repo.findUserById(tx, id);
      if (!before) throw new AppError('NOT_FOUND', 'No such user.');
      const changed = await apply(tx, before);
      if (!changed) return toUser(before);
      await recordAudit(tx, {
        actorId: ctx.actor.userId,
        action,
        entityType: 'user',
        entityId: id,
        ...changed.audit,
        requestId: ctx.requestId,
        ip: ctx.ip,
      });
      return toUser(changed.after);
    });
  }
}
