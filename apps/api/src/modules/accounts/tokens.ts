import { createHash, randomBytes } from 'node:crypto';
import type { Role } from '@kush/contracts';
import { AppError } from '@kush/contracts';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';

export interface AccessClaims {
  userId: string;
  sessionId: string;
  roles: Role[];
}

export interface TokenSettings {
  secret: string;
  issuer: string;
  audience: string;
  accessTtlSeconds: number;
}

const ACCESS_TYP = 'at+jwt';
const ALGORITHM = 'HS256';

/** Short-lived access tokens: HS256 only, with iss, aud and typ checked on every use. */
export class AccessTokens {
  private readonly key: Uint8Array;
  constructor(private readonly settings: TokenSettings) {
    this.key = new TextEncoder().encode(settings.secret);
  }

  async sign(claims: AccessClaims, now = new Date()): Promise<{ token: string; expiresAt: Date }> {
    const iat = Math.floor(now.getTime() / 1000);
    const exp = iat + this.settings.accessTtlSeconds;
    const token = await new SignJWT({ sid: claims.sessionId, roles: claims.roles })
      .setProtectedHeader({ alg: ALGORITHM, typ: ACCESS_TYP })
      .setSubject(claims.userId)
      .setIssuer(this.settings.issuer)
      .setAudience(this.settings.audience)
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .sign(this.key);
    return { token, expiresAt: new Date(exp * 1000) };
  }

  async verify(token: string): Promise<AccessClaims> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        algorithms: [ALGORITHM],
        issuer: this.settings.issuer,
        audience: this.settings.audience,
        typ: ACCESS_TYP,
        requiredClaims: ['sub', 'exp', 'iat'],
      });
      if (typeof payload.sid !== 'string' || typeof payload.sub !== 'string' || !Array.isArray(payload.roles)) {
        throw new AppError('TOKEN_INVALID', 'The access token is not valid.');
      }
      return { userId: payload.sub, sessionId: payload.sid, roles: payload.roles as Role[] };
    } catch (err) {
      if (err instanceof AppError) throw err;
      if (err instanceof joseErrors.JWTExpired) throw new AppError('TOKEN_EXPIRED', 'The access token has expired.');
      throw new AppError('TOKEN_INVALID', 'The access token is not valid.');
    }
  }
}

/** An opaque random token (refresh, reset, verification): 256 bits, URL-safe. */
export function newOpaqueToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Only this digest is stored, so a database leak does not leak usable tokens. */
export function digestToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
