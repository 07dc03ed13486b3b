import { ACCESS_COOKIE, AppError, REFRESH_COOKIE, type Permission } from '@kush/contracts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AuthService, IssuedSession, Principal } from '../modules/accounts/auth.service';

/** What a route needs: anyone, anyone with the principal resolved when signed in, or a permission. */
export type RouteAuth = 'public' | 'optional' | Permission;

declare module 'fastify' {
  interface FastifyContextConfig {
    auth?: RouteAuth;
  }
  interface FastifyRequest {
    principal: Principal | null;
    authVia: 'bearer' | 'cookie' | null;
  }
}

export { ACCESS_COOKIE, REFRESH_COOKIE };
export const REFRESH_COOKIE_PATH = '/api/v1/auth';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface AuthPluginOptions {
  auth: AuthService;
  allowedOrigins: string[];
  cookieSecure: boolean;
}

export function registerAuth(app: FastifyInstance, options: AuthPluginOptions): void {
  const allowed = new Set(options.allowedOrigins.map((o) => o.replace(/\/$/, '')));
  app.decorateRequest('principal', null);
  app.decorateRequest('authVia', null);

  // Every API route must say who may call it; a route without a declaration fails the boot.
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/api/v1') && !route.config?.auth) {
      throw new Error(`Route ${String(route.method)} ${route.url} does not declare config.auth`);
    }
  });

  app.addHook('preHandler', async (request) => {
    const required = request.routeOptions.config.auth;
    if (!required || required === 'public') return;
    const found = readAccessToken(request);
    if (found) {
      if (found.via === 'cookie' && !SAFE_METHODS.has(request.method)) assertOrigin(request, allowed);
      request.principal = await options.auth.authenticate(found.token);
      request.authVia = found.via;
    }
    if (required === 'optional') return;
    if (!request.principal) throw new AppError('UNAUTHENTICATED', 'Sign in to continue.');
    if (!request.principal.permissions.has(required)) {
      throw new AppError('FORBIDDEN', 'You do not have permission to do this.');
    }
  });
}

function readAccessToken(request: FastifyRequest): { token: string; via: 'bearer' | 'cookie' } | null {
  const header = request.headers.authorization;
  if (header) {
    const match = /^Bearer ([A-Za-z0-9\-_.~+/]+=*)$/.exec(header);
    if (!match) throw new AppError('TOKEN_INVALID', 'The Authorization header must be "Bearer <token>".');
    return { token: match[1]!, via: 'bearer' };
  }
  const cookie = request.cookies[ACCESS_COOKIE];
  return cookie ? { token: cookie, via: 'cookie' } : null;
}

/** Cookie-authenticated writes must come from one of our own pages (CSRF defence beside SameSite). */
export function assertOrigin(request: FastifyRequest, allowed: Set<string>): void {
  let origin = request.headers.origin;
  if (!origin && request.headers.referer) {
    try {
      origin = new URL(request.headers.referer).origin;
    } catch {
      origin = undefined;
    }
  }
  if (!origin || !allowed.has(origin)) {
    throw new AppError('ORIGIN_NOT_ALLOWED', 'This request must come from the Kush Films website.');
  }
}

export function setSessionCookies(reply: FastifyReply, issued: IssuedSession, secure: boolean): void {
  reply.setCookie(ACCESS_COOKIE, issued.accessToken, {
    httpOnly: true,
    secure,
    sameSite: 'lax',
    path: '/',
    expires: new Date(issued.accessTokenExpiresAt),
  });
  reply.setCookie(REFRESH_COOKIE, issued.refreshToken, {
    httpOnly: true,
    secure,
    sameSite: 'strict',
    path: REFRESH_COOKIE_PATH,
    expires: issued.refreshTokenExpiresAt,
  });
}

export function clearSessionCookies(reply: FastifyReply, secure: boolean): void {
  reply.clearCookie(ACCESS_COOKIE, { path: '/', httpOnly: true, secure, sameSite: 'lax' });
  reply.clearCookie(REFRESH_COOKIE, { path: REFRESH_COOKIE_PATH, httpOnly: true, secure, sameSite: 'strict' });
}
