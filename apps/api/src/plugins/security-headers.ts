import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';

/**
 * helmet's response headers for `options`, worked out once. Our policy is static (no CSP nonces),
 * so running helmet's middleware on every request (as @fastify/helmet does, re-parsing the CSP
 * directives each time) would only recompute the same dozen headers.
 */
export function securityHeadersOf(options: HelmetOptions): Readonly<Record<string, string>> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader(name: string, value: string | number) {
      headers[name.toLowerCase()] = String(value);
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  };
  let failure: unknown;
  helmet(options)({} as never, response as never, (error?: unknown) => {
    failure = error;
  });
  if (failure) throw failure instanceof Error ? failure : new Error(String(failure));
  return Object.freeze(headers);
}

/** Every API response's security headers: helmet's defaults, with resources shared across our own site. */
export const SECURITY_HEADERS = securityHeadersOf({ crossOriginResourcePolicy: { policy: 'same-site' } });

export function registerSecurityHeaders(app: FastifyInstance, headers = SECURITY_HEADERS): void {
  app.addHook('onRequest', (_request, reply, done) => {
    void reply.headers(headers);
    done();
  });
}
