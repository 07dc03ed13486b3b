import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/harness';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

describe('health, readiness and metrics', () => {
  it('answers liveness', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ok', version: expect.any(String) });
    expect(res.headers['x-request-id']).toBeTruthy();
  });

  it('reports readiness of the database and storage', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(200);
    const body = res.json<{ status: string; checks: Record<string, { status: string }> }>();
    expect(body.status).toBe('ok');
    expect(body.checks.database?.status).toBe('ok');
    expect(body.checks.storage?.status).toBe('ok');
    expect(body.checks.redis).toBeUndefined();
  });

  it('reports not ready, without internals, when the database is gone', async () => {
    const broken = await createTestApp();
    await broken.ctx.db.close();
    const res = await broken.app.inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(503);
    const body = res.json<{ status: string; checks: { database: { status: string; error: string } } }>();
    expect(body.status).toBe('down');
    expect(body.checks.database).toEqual({ status: 'down', error: 'unreachable' });
    await broken.app.close();
    await broken.ctx.infra.close();
  });

  it('exposes Prometheus metrics with per-route latency, process, pool and queue figures', async () => {
    await t.app.inject({ method: 'GET', url: '/healthz' });
    const res = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.body).toMatch(/http_request_duration_seconds_bucket\{[^}]*route="\/healthz"/);
    expect(res.body).toContain('process_cpu_user_seconds_total');
    expect(res.body).toContain('db_pool_connections{state="total"}');
    expect(res.body).toContain('job_queue_jobs');
  });

  it('echoes a well-formed incoming request id and replaces a malformed one', async () => {
    const good = await t.app.inject({
      method: 'GET',
      url: '/healthz',
      headers: { 'x-request-id': 'edge-proxy-123456' },
    });
    expect(good.headers['x-request-id']).toBe('edge-proxy-123456');
    const bad = await t.app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'x y<script>' } });
    expect(bad.headers['x-request-id']).not.toContain('<');
  });

  it("sends an API's security headers, and none of the ones only a document uses", async () => {
    const res = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    expect(res.headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['cross-origin-resource-policy']).toBe('same-site');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    for (const name of [
      'cross-origin-opener-policy',
      'origin-agent-cluster',
      'x-xss-protection',
      'x-dns-prefetch-control',
    ])
      expect(res.headers[name], name).toBeUndefined();
  });
});
