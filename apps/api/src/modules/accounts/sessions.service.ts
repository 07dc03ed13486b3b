import { AppError } from '@kush/contracts';
import type { Database } from '@kush/db';
import * as repo from './accounts.repository';
import type { Principal } from './auth.service';

/** A viewer's signed-in devices. */
export class SessionsService {
  constructor(private readonly db: Database) {}

  async list(principal: Principal, now = new Date()) {
    const rows = await repo.listActiveSessions(this.db, principal.userId, now);
    return rows.map((s) => ({
      id: s.id,
      userAgent: s.userAgent,
      ip: s.ip,
      createdAt: s.createdAt.toISOString(),
      lastUsedAt: s.lastUsedAt.toISOString(),
      current: s.id === principal.sessionId,
    }));
  }

  async revoke(principal: Principal, sessionId: string): Promise<void> {
    // Another user's session id is reported as not found, never as forbidden.
    if (!(await repo.revokeSession(this.db, sessionId, principal.userId, 'signed_out_by_user'))) {
      throw new AppError('NOT_FOUND', 'No such active session.');
    }
  }

  async revokeOthers(principal: Principal): Promise<number> {
    return repo.revokeUserSessions(this.db, principal.userId, 'signed_out_by_user', principal.sessionId);
  }
}
