import {
  AppError,
  permissionsOf,
  type AuthResult,
  type Permission,
  type Role,
  type JobPayloads,
} from '@kush/contracts';
import type { Database } from '@kush/db';
import { isUniqueViolation } from '@kush/db';
import type { JobQueue, RateLimiter } from '@kush/infra';
import * as repo from './accounts.repository';
import { toUser } from './accounts.mapper';
import { passwordChangedEmail, passwordResetEmail, verifyEmailEmail } from './emails';
import { hashPassword, verifyAgainstDummy, verifyPassword } from './passwords';
import { type AccessTokens, digestToken, newOpaqueToken } from './tokens';

export interface AuthSettings {
  refreshTtlDays: number;
  refreshReuseGraceSeconds: number;
  loginMaxPerIp: number;
  loginMaxPerAccount: number;
  loginWindowSeconds: number;
  webUrl: string;
}

export interface ClientMeta {
  ip: string | null;
  userAgent: string | null;
}

export interface Principal {
  user: repo.UserRow;
  userId: string;
  sessionId: string;
  roles: Role[];
  permissions: Set<Permission>;
}

/** Tokens issued for a session; the route decides whether they go in cookies or the body. */
export interface IssuedSession extends Omit<AuthResult, 'accessToken' | 'refreshToken'> {
  accessToken: string;
  refreshToken: string;
  refreshTokenExpiresAt: Date;
}

const RESET_TTL_MS = 30 * 60 * 1000;
const VERIFY_TTL_MS = 24 * 60 * 60 * 1000;
const RESET_MAX_PER_ACCOUNT = 3;
const RESET_MAX_PER_IP = 20;
const RESET_WINDOW_SECONDS = 3600;

const invalidCredentials = () =>
  new AppError('INVALID_CREDENTIALS', 'The email, phone number or password is incorrect.');
const invalidRefresh = () => new AppError('TOKEN_INVALID', 'The session has ended. Please sign in again.');

function rateLimited(retryAfterSeconds: number, what: string): AppError {
  const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
  return new AppError(
    'RATE_LIMITED',
    `Too many ${what}. Try again in ${seconds} seconds.`,
    { retryAfterSeconds: seconds },
    {
      'retry-after': String(seconds),
    },
  );
}

export class AuthService {
  constructor(
    private readonly db: Database,
    private readonly tokens: AccessTokens,
    private readonly queue: JobQueue<JobPayloads>,
    private readonly limiter: RateLimiter,
    private readonly settings: AuthSettings,
  ) {}

  async register(
    input: { email?: string; phone?: string; password: string; displayName: string },
    meta: ClientMeta,
  ): Promise<IssuedSession> {
    const passwordHash = await hashPassword(input.password);
    let user: repo.UserRow;
    try {
      user = await repo.insertUser(this.db, {
        email: input.email ?? null,
        phone: input.phone ?? null,
        passwordHash,
        displayName: input.displayName,
      });
    } catch (err) {
      if (isUniqueViolation(err, 'users_email_key'))
        throw new AppError('EMAIL_TAKEN', 'An account with this email address already exists.');
      if (isUniqueViolation(err, 'users_phone_key'))
        throw new AppError('PHONE_TAKEN', 'An account with this phone number already exists.');
      throw err;
    }
    if (user.email) await this.sendEmailVerification(user);
    return this.startSession(user, meta);
  }

  async login(identifier: string, password: string, meta: ClientMeta): Promise<IssuedSession> {
    const { loginMaxPerIp, loginMaxPerAccount, loginWindowSeconds } = this.settings;
    const byIp = await this.limiter.consume(`login:ip:${meta.ip ?? 'unknown'}`, loginMaxPerIp, loginWindowSeconds);
    if (!byIp.allowed) throw rateLimited(byIp.retryAfterSeconds, 'sign-in attempts from this network');
    // Failures are counted per identifier whether or not an account exists, so the limit reveals nothing.
    const accountKey = `login:account:${identifier}`;
    const failures = await this.limiter.peek(accountKey, loginMaxPerAccount, loginWindowSeconds);
    if (failures.count >= loginMaxPerAccount)
      throw rateLimited(failures.retryAfterSeconds, 'failed sign-in attempts for this account');

    const user = await repo.findUserByIdentifier(this.db, identifier);
    const ok = user ? await verifyPassword(user.passwordHash, password) : await verifyAgainstDummy(password);
    if (!user || !ok) {
      await this.limiter.consume(accountKey, loginMaxPerAccount, loginWindowSeconds);
      throw invalidCredentials();
    }
    await this.limiter.reset(accountKey);
    if (user.status === 'suspended')
      throw new AppError('ACCOUNT_SUSPENDED', 'This account is suspended. Contact support.');
    return this.startSession(user, meta);
  }

  async refresh(refreshToken: string, meta: ClientMeta, now = new Date()): Promise<IssuedSession> {
    const hash = digestToken(refreshToken);
    const outcome = await this.db.transaction(async (tx) => {
      const found = await repo.findRefreshTokenForUpdate(tx, hash);
      if (!found) return { kind: 'invalid' as const };
      const { token, session } = found;
      if (session.revokedAt || session.expiresAt <= now || token.expiresAt <= now) return { kind: 'invalid' as const };
      if (token.usedAt) {
        const sinceUse = now.getTime() - token.usedAt.getTime();
        if (sinceUse > this.settings.refreshReuseGraceSeconds * 1000) {
          // An old token came back: someone holds a copy. End the whole family.
          await repo.revokeUserSessionById(tx, session.id, 'refresh_token_reuse');
          return { kind: 'reused' as const };
        }
        // Within the grace window: two tabs refreshed at once; both get a working token.
      } else {
        await repo.markRefreshTokenUsed(tx, token.id, now);
      }
      const user = await repo.findUserById(tx, session.userId);
      if (!user || user.status !== 'active') return { kind: 'invalid' as const };
      const next = newOpaqueToken();
      const refreshTokenExpiresAt = session.expiresAt;
      await repo.insertRefreshToken(tx, {
        sessionId: session.id,
        tokenHash: digestToken(next),
        expiresAt: refreshTokenExpiresAt,
      });
      await repo.touchSession(tx, session.id, now, meta.ip);
      return { kind: 'ok' as const, user, sessionId: session.id, refreshToken: next, refreshTokenExpiresAt };
    });
    if (outcome.kind !== 'ok') throw invalidRefresh();
    const access = await this.tokens.sign(
      { userId: outcome.user.id, sessionId: outcome.sessionId, roles: outcome.user.roles as Role[] },
      now,
    );
    return {
      user: toUser(outcome.user),
      sessionId: outcome.sessionId,
      accessToken: access.token,
      accessTokenExpiresAt: access.expiresAt.toISOString(),
      refreshToken: outcome.refreshToken,
      refreshTokenExpiresAt: outcome.refreshTokenExpiresAt,
    };
  }

  /** Ends the session a refresh token belongs to (logout without an access token). */
  async logoutByRefreshToken(refreshToken: string): Promise<void> {
    const found = await repo.findRefreshTokenForUpdate(this.db, digestToken(refreshToken));
    if (found) await repo.revokeUserSessionById(this.db, found.session.id, 'logout');
  }

  async logoutSession(principal: Principal): Promise<void> {
    await repo.revokeSession(this.db, principal.sessionId, principal.userId, 'logout');
  }

  /** Resolves an access token to a live principal: valid signature, live session, active account. */
  async authenticate(accessToken: string, now = new Date()): Promise<Principal> {
    const claims = await this.tokens.verify(accessToken);
    const found = await repo.findPrincipal(this.db, claims.sessionId, claims.userId, now);
    if (!found) throw new AppError('TOKEN_INVALID', 'The session has ended. Please sign in again.');
    if (found.user.status !== 'active') throw new AppError('TOKEN_INVALID', 'This account is suspended.');
    const roles = found.user.roles as Role[];
    return {
      user: found.user,
      userId: found.user.id,
      sessionId: claims.sessionId,
      roles,
      permissions: permissionsOf(roles),
    };
  }

  async forgotPassword(identifier: string, meta: ClientMeta, now = new Date()): Promise<void> {
    const byIp = await this.limiter.consume(`reset:ip:${meta.ip ?? 'unknown'}`, RESET_MAX_PER_IP, RESET_WINDOW_SECONDS);
    if (!byIp.allowed) throw rateLimited(byIp.retryAfterSeconds, 'password reset requests from this network');
    const byAccount = await this.limiter.consume(
      `reset:account:${identifier}`,
      RESET_MAX_PER_ACCOUNT,
      RESET_WINDOW_SECONDS,
    );
    if (!byAccount.allowed) throw rateLimited(byAccount.retryAfterSeconds, 'password reset requests for this account');

    const user = await repo.findUserByIdentifier(this.db, identifier);
    // Phone-only accounts get their reset code by SMS once an SMS sender is configured (Subscriptions issue).
    if (!user || !user.email || user.status !== 'active') return;
    const token = newOpaqueToken();
    await this.db.transaction(async (tx) => {
      await repo.invalidateAccountTokens(tx, user.id, 'password_reset', now);
      await repo.insertAccountToken(tx, {
        userId: user.id,
        purpose: 'password_reset',
        tokenHash: digestToken(token),
        expiresAt: new Date(now.getTime() + RESET_TTL_MS),
      });
    });
    const url = `${this.settings.webUrl}/reset-password?token=${encodeURIComponent(token)}`;
    await this.queue.enqueue('email.send', passwordResetEmail(user.email, user.displayName, url));
  }

  async resetPassword(token: string, password: string, now = new Date()): Promise<void> {
    const passwordHash = await hashPassword(password);
    const done = await this.db.transaction(async (tx) => {
      const row = await repo.consumeAccountToken(tx, digestToken(token), 'password_reset', now);
      if (!row) return false;
      const user = await repo.findUserById(tx, row.userId);
      if (!user || user.status !== 'active') return false;
      // Reaching the inbox proves the address, so a reset also verifies it.
      await repo.updateUser(tx, user.id, {
        passwordHash,
        passwordChangedAt: now,
        emailVerifiedAt: user.emailVerifiedAt ?? now,
      });
      await repo.revokeUserSessions(tx, user.id, 'password_reset');
      return true;
    });
    if (!done) throw new AppError('TOKEN_INVALID', 'This reset link is invalid or has expired. Ask for a new one.');
  }

  async sendEmailVerification(user: repo.UserRow, now = new Date()): Promise<void> {
    if (!user.email || user.emailVerifiedAt) return;
    const token = newOpaqueToken();
    await repo.invalidateAccountTokens(this.db, user.id, 'email_verify', now);
    await repo.insertAccountToken(this.db, {
      userId: user.id,
      purpose: 'email_verify',
      tokenHash: digestToken(token),
      expiresAt: new Date(now.getTime() + VERIFY_TTL_MS),
    });
    const url = `${this.settings.webUrl}/verify-email?token=${encodeURIComponent(token)}`;
    await this.queue.enqueue('email.send', verifyEmailEmail(user.email, user.displayName, url));
  }

  async resendEmailVerification(principal: Principal): Promise<void> {
    const limit = await this.limiter.consume(`verify:account:${principal.userId}`, 3, 3600);
    if (!limit.allowed) throw rateLimited(limit.retryAfterSeconds, 'verification emails');
    if (!principal.user.email) throw new AppError('BAD_REQUEST', 'This account has no email address.');
    if (principal.user.emailVerifiedAt) throw new AppError('CONFLICT', 'This email address is already verified.');
    await this.sendEmailVerification(principal.user);
  }

  async verifyEmail(token: string, now = new Date()): Promise<void> {
    const done = await this.db.transaction(async (tx) => {
      const row = await repo.consumeAccountToken(tx, digestToken(token), 'email_verify', now);
      if (!row) return false;
      await repo.updateUser(tx, row.userId, { emailVerifiedAt: now });
      return true;
    });
    if (!done) throw new AppError('TOKEN_INVALID', 'This verification link is invalid or has expired.');
  }

  async changePassword(
    principal: Principal,
    currentPassword: string,
    newPassword: string,
    now = new Date(),
  ): Promise<void> {
    const limit = await this.limiter.consume(
      `password-change:${principal.userId}`,
      this.settings.loginMaxPerAccount,
      this.settings.loginWindowSeconds,
    );
    if (!limit.allowed) throw rateLimited(limit.retryAfterSeconds, 'password change attempts');
    if (!(await verifyPassword(principal.user.passwordHash, currentPassword))) {
      throw new AppError('INVALID_CREDENTIALS', 'The current password is incorrect.');
    }
    const passwordHash = await hashPassword(newPassword);
    await this.db.transaction(async (tx) => {
      await repo.updateUser(tx, principal.userId, { passwordHash, passwordChangedAt: now });
      await repo.revokeUserSessions(tx, principal.userId, 'password_changed', principal.sessionId);
      await repo.invalidateAccountTokens(tx, principal.userId, 'password_reset', now);
    });
    if (principal.user.email) {
      const url = `${this.settings.webUrl}/forgot-password`;
      await this.queue.enqueue(
        'email.send',
        passwordChangedEmail(principal.user.email, principal.user.displayName, url),
      );
    }
  }

  private async startSession(user: repo.UserRow, meta: ClientMeta, now = new Date()): Promise<IssuedSession> {
    const refreshTokenExpiresAt = new Date(now.getTime() + this.settings.refreshTtlDays * 86_400_000);
    const refreshToken = newOpaqueToken();
    const session = await this.db.transaction(async (tx) => {
      const s = await repo.insertSession(tx, {
        userId: user.id,
        userAgent: meta.userAgent?.slice(0, 300) ?? null,
        ip: meta.ip,
        expiresAt: refreshTokenExpiresAt,
      });
      await repo.insertRefreshToken(tx, {
        sessionId: s.id,
        tokenHash: digestToken(refreshToken),
        expiresAt: refreshTokenExpiresAt,
      });
      return s;
    });
    const access = await this.tokens.sign({ userId: user.id, sessionId: session.id, roles: user.roles as Role[] }, now);
    return {
      user: toUser(user),
      sessionId: session.id,
      accessToken: access.token,
      accessTokenExpiresAt: access.expiresAt.toISOString(),
      refreshToken,
      refreshTokenExpiresAt,
    };
  }
}
