import { AppError } from '@kush/contracts';
import { type Executor, profiles } from '@kush/db';
import { and, eq } from 'drizzle-orm';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { PROFILE_HEADER } from './profile-context';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** False on the few profile routes that must work while the profile is locked (entering or resetting the PIN). */
    profileLock?: boolean;
  }
}

/** The httpOnly cookie that proves the PIN of one profile was entered on this browser. */
export const PROFILE_UNLOCK_COOKIE = 'kf_pu';
/** The same proof for clients without cookies (mobile apps, TVs). */
export const PROFILE_UNLOCK_HEADER = 'x-profile-unlock';
/** A household switching profiles enters the PIN again after this long. */
export const PROFILE_UNLOCK_SECONDS = 12 * 3600;

const TYP = 'pu+jwt';
const ALGORITHM = 'HS256';
const AUDIENCE = 'kush-films:profile-unlock';

/**
 * Short-lived proofs that a PIN-protected profile was unlocked by its account: a JWT naming the
 * account and the profile, so a proof never opens another profile or works for another account.
 */
export class ProfileUnlocks {
  private readonly key: Uint8Array;
  constructor(secret: string) {
    this.key = new TextEncoder().encode(secret);
  }

  async issue(userId: string, profileId: string, now = new Date()): Promise<{ token: string; expiresAt: Date }> {
    const iat = Math.floor(now.getTime() / 1000);
    const exp = iat + PROFILE_UNLOCK_SECONDS;
    const token = await new SignJWT({ pid: profileId })
      .setProtectedHeader({ alg: ALGORITHM, typ: TYP })
      .setSubject(userId)
      .setAudience(AUDIENCE)
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .sign(this.key);
    return { token, expiresAt: new Date(exp * 1000) };
  }

  async opens(token: string, userId: string, profileId: string): Promise<boolean> {
    try {
      const { payload } = await jwtVerify(token, this.key, { algorithms: [ALGORITHM], typ: TYP, audience: AUDIENCE });
      return payload.sub === userId && payload.pid === profileId;
    } catch (error) {
      if (error instanceof joseErrors.JOSEError) return false;
      throw error;
    }
  }
}

export function setUnlockCookie(reply: FastifyReply, unlock: { token: string; expiresAt: Date }, secure: boolean) {
  reply.setCookie(PROFILE_UNLOCK_COOKIE, unlock.token, {
    httpOnly: true,
    secure,
    sameSite: 'lax',
    path: '/',
    expires: unlock.expiresAt,
  });
}

/** The profile a request acts as: the :profileId of profile routes, else the x-profile-id header. */
function actingProfileId(request: FastifyRequest): string | null {
  const params = request.params as { profileId?: unknown } | undefined;
  if (typeof params?.profileId === 'string') return params.profileId;
  const header = request.headers[PROFILE_HEADER];
  return typeof header === 'string' ? header : null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function pinHashOf(db: Executor, userId: string, profileId: string): Promise<string | null | undefined> {
  const [row] = await db
    .select({ pinHash: profiles.pinHash })
    .from(profiles)
    .where(and(eq(profiles.id, profileId), eq(profiles.userId, userId)))
    .limit(1);
  return row ? row.pinHash : undefined;
}

/**
 * Every request acting as a PIN-protected profile (its :profileId routes, and catalog or playback
 * calls with x-profile-id) needs the unlock proof, so the PIN cannot be skipped by calling the API
 * directly. Unknown or foreign profiles fall through to the routes, which answer 404 as always.
 */
export function registerProfileLock(app: FastifyInstance, options: { db: Executor; unlocks: ProfileUnlocks }): void {
  app.addHook('preHandler', async (request) => {
    if (!request.principal || request.routeOptions.config.profileLock === false) return;
    const profileId = actingProfileId(request);
    if (!profileId || !UUID.test(profileId)) return;
    const pinHash = await pinHashOf(options.db, request.principal.userId, profileId);
    if (!pinHash) return;
    const header = request.headers[PROFILE_UNLOCK_HEADER];
    const proof = typeof header === 'string' ? header : request.cookies[PROFILE_UNLOCK_COOKIE];
    if (proof && (await options.unlocks.opens(proof, request.principal.userId, profileId))) return;
    throw new AppError('PROFILE_LOCKED', 'This profile is locked: enter its PIN to continue.');
  });
}
