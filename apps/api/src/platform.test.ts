import { Validator } from '@seriousme/openapi-schema-validator';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './testing/harness';
import { registerViewer, type SignedIn } from './testing/factories';

let t: TestApp;
let viewer: SignedIn;
beforeAll(async () => {
  t = await createTestApp({ env: { BODY_LIMIT_BYTES: '2048', RATE_LIMIT_PER_MINUTE: '100000' } });
  viewer = await registerViewer(t);
});
afterAll(async () => {
  await t?.close();
});

type OpenApi = {
  openapi: string;
  paths: Record<string, Record<string, { parameters?: { in: string; name: string }[] }>>;
};

const isErrorBody = (body: unknown) => {
  const e = (body as { error?: Record<string, unknown> })?.error;
  return !!e && typeof e.code === 'string' && typeof e.message === 'string' && typeof e.requestId === 'string';
};

describe('OpenAPI', () => {
  it('serves an OpenAPI 3.1 document that passes a standard validator', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json<OpenApi>();
    expect(doc.openapi).toBe('3.1.0');
    const result = await new Validator().validate(doc as never);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    const again = await t.app.inject({
      method: 'GET',
      url: '/api/openapi.json',
      headers: { 'if-none-match': res.headers.etag as string },
    });
    expect(again.statusCode).toBe(304);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/v1/auth/login', '/api/v1/me', '/api/v1/admin/users/{id}/roles']),
    );
  });

  it('serves a browsable reference at /api/docs', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/docs/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain('swagger');
    // A page, unlike the API's data: its own policy lets its scripts run (not the API's 'none').
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
  });
});

describe('error format', () => {
  it('answers unknown routes with 404 in the error format', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/nope' });
    expect(res.statusCode).toBe(404);
    expect(isErrorBody(res.json())).toBe(true);
    expect(res.json().error.requestId).toBe(res.headers['x-request-id']);
  });

  it('rejects malformed JSON with 400 and oversize bodies with 413', async () => {
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"identifier": ',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('MALFORMED_JSON');
    const big = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ identifier: 'a@b.co', password: 'x'.repeat(5000) }),
    });
    expect(big.statusCode).toBe(413);
    expect(big.json().error.code).toBe('PAYLOAD_TOO_LARGE');
    const xml = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'application/xml' },
      payload: '<a/>',
    });
    expect(xml.statusCode).toBe(415);
    expect(isErrorBody(xml.json())).toBe(true);
  });

  it('hides internals behind a generic 500', async () => {
    const broken = await createTestApp();
    try {
      await broken.ctx.db.close();
      const res = await broken.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { identifier: 'a@b.co', password: 'whatever' },
      });
      expect(res.statusCode).toBe(500);
      expect(res.json().error).toEqual({
        code: 'INTERNAL',
        message: 'Something went wrong on our side.',
        requestId: expect.any(String),
      });
      expect(res.body).not.toMatch(/select|users|pglite|node_modules|at /i);
    } finally {
      await broken.app.close();
      await broken.ctx.infra.close();
    }
  });
});

describe('CORS', () => {
  it('allows only the configured origins, with credentials', async () => {
    const withCors = await createTestApp({ env: { CORS_ORIGINS: 'https://partner.example' } });
    try {
      const preflight = (origin: string) =>
        withCors.app.inject({
          method: 'OPTIONS',
          url: '/api/v1/me',
          headers: { origin, 'access-control-request-method': 'GET' },
        });
      const ok = await preflight('https://partner.example');
      expect(ok.headers['access-control-allow-origin']).toBe('https://partner.example');
      expect(ok.headers['access-control-allow-credentials']).toBe('true');
      const other = await preflight('https://evil.example');
      expect(other.headers['access-control-allow-origin']).toBeUndefined();
    } finally {
      await withCors.close();
    }
  });
});

describe('every route under fuzzing', () => {
  it('never answers 5xx and always uses the error format for failures', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json<OpenApi>();
    const routes = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.keys(methods)
        .filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
        .map((method) => ({ path, method: method.toUpperCase() as 'GET' })),
    );
    expect(routes.length).toBeGreaterThan(15);

    const segment = fc.oneof(
      fc.uuid(),
      fc.string({ maxLength: 40 }),
      fc.constant('00000000-0000-0000-0000-000000000000'),
      fc.constant('..%2F..'),
    );
    const headerValue = fc.string({ maxLength: 60 }).map((s) => s.replace(/[^\x20-\x7e]/g, ''));
    const auth = fc.oneof(
      fc.constant<Record<string, string>>({}),
      fc.constant({ authorization: `Bearer ${viewer.accessToken}` }),
      headerValue.map((v) => ({ authorization: v })),
      headerValue.map((v) => ({ authorization: `Bearer ${v}` })),
      headerValue.map((v) => ({ cookie: `kf_at=${encodeURIComponent(v)}; kf_rt=${encodeURIComponent(v)}` })),
    );
    const body = fc.oneof(
      fc.constant(undefined),
      fc.jsonValue({ maxDepth: 3 }),
      fc.object({ maxDepth: 2 }),
      fc.string({ maxLength: 50 }),
    );
    const query = fc.dictionary(
      fc.constantFrom('cursor', 'limit', 'q', 'role', 'status', 'x', '__proto__'),
      fc.string({ maxLength: 30 }),
      { maxKeys: 4 },
    );

    for (const route of routes) {
      await fc.assert(
        fc.asyncProperty(
          fc.array(segment, { minLength: 3, maxLength: 3 }),
          auth,
          body,
          query,
          async (segments, headers, payload, q) => {
            let i = 0;
            const path = route.path.replace(/\{[^}]+\}/g, () => encodeURIComponent(segments[i++] ?? 'x'));
            const res = await t.app.inject({
              method: route.method,
              url: path,
              query: q,
              headers: { ...headers, origin: 'http://localhost:3000' },
              ...(payload === undefined || route.method === 'GET'
                ? {}
                : { payload: JSON.stringify(payload), headers: { ...headers, 'content-type': 'application/json' } }),
            });
            if (res.statusCode >= 500) throw new Error(`${route.method} ${path} → ${res.statusCode} ${res.body}`);
            if (res.statusCode >= 400 && !isErrorBody(res.json()))
              throw new Error(`${route.method} ${path} → ${res.statusCode} not in the error format: ${res.body}`);
          },
        ),
        { numRuns: 25 },
      );
    }
  });
});
