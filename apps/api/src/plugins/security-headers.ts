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

/**
 * Every API response's security headers. The API answers data (JSON, images, playlists), not pages,
 * so it sends the set OWASP's REST Security Cheat Sheet gives for APIs: a CSP that allows nothing
 * and no framing (should a response ever be opened as a document), HSTS, no MIME sniffing, no
 * referrer, and resources shared only across our own site. helmet's other headers (COOP,
 * Origin-Agent-Cluster, DNS prefetch, X-XSS-Protection, …) only mean something for HTML documents:
 * on every JSON answer they were a third of the bytes and the work of the headers.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'cross-origin-resource-policy': 'same-site',
  'referrer-policy': 'no-referrer',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
});

/**
 * The few HTML pages the API itself serves (the sandbox payment page): helmet's document policy,
 * which lets a page use its own styles and forms.
 */
export const DOCUMENT_SECURITY_HEADERS = securityHeadersOf({ crossOriginResourcePolicy: { policy: 'same-site' } });

export function registerSecurityHeaders(app: FastifyInstance, headers = SECURITY_HEADERS): void {
  app.addHook('onRequest', (_request, reply, done) => {
    void reply.headers(headers);
    done();
  });
}
