import fs from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/harness';
import { ensureAdmin } from './admin-bootstrap';
import { login, PASSWORD, registerViewer, uniqueEmail } from '../../testing/factories';

/**
 * Accounts on real PostgreSQL and Redis, as two API instances behind a load balancer would run.
 * Runs when TEST_DATABASE_URL and TEST_REDIS_URL are set (CI sets both).
 */
const enabled = !!process.env.TEST_DATABASE_URL && !!process.env.TEST_REDIS_URL;

describe.skipIf(!enabled)('accounts across two API instances on PostgreSQL and Redis', () => {
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    a = await createTestApp({ backing: 'servers', env: { LOGIN_MAX_PER_ACCOUNT: '4' } });
    b = await createTestApp({ backing: 'servers', joinInstance: a, env: { LOGIN_MAX_PER_ACCOUNT: '4' } });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  it('runs on the servers, not the embedded defaults', () => {
    expect(a.ctx.db.driver).toBe('postgres');
    expect(a.ctx.infra.queue.driver).toBe('bullmq');
    expect(b.ctx.infra.redis).toBeDefined();
  });

  it('a session started on one instance works and rotates on the other', async () => {
    const v = await registerViewer(a);
    expect((await b.app.inject({ method: 'GET', url: '/api/v1/me', headers: v.auth })).statusCode).toBe(200);
    const res = await b.app.inject({
      method: 'POST',
      url: '/api/v1/auth/refresh',
      payload: { refreshToken: v.refreshToken, tokenDelivery: 'body' },
    });
    expect(res.statusCode).toBe(200);
  });

  it('concurrent refreshes with one token on both instances both succeed (row lock + grace window)', async () => {
    const v = await registerViewer(a);
    const body = { refreshToken: v.refreshToken, tokenDelivery: 'body' };
    const [x, y] = await Promise.all([
      a.app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: body }),
      b.app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: body }),
    ]);
    expect([x.statusCode, y.statusCode]).toEqual([200, 200]);
  });

  it('counts failed sign-ins across instances through Redis', async () => {
    const v = await registerViewer(a);
    for (const app of [a, b, a, b]) {
      const res = await app.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { identifier: v.email, password: 'wrong password' },
      });
      expect(res.statusCode).toBe(401);
    }
    const blocked = await b.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { identifier: v.email, password: PASSWORD },
    });
    expect(blocked.statusCode).toBe(429);
    expect(blocked.headers['retry-after']).toBeDefined();
  });

  it('a suspension on one instance ends the session on the other at once', async () => {
    const v = await registerViewer(a);
    const adminEmail = uniqueEmail('admin');
    await ensureAdmin(a.ctx.db.db, adminEmail, { password: PASSWORD });
    const admin = await login(b, adminEmail);
    const res = await b.app.inject({
      method: 'POST',
      url: `/api/v1/admin/users/${v.userId}/suspend`,
      headers: admin.auth,
    });
    expect(res.statusCode).toBe(200);
    expect((await a.app.inject({ method: 'GET', url: '/api/v1/me', headers: v.auth })).statusCode).toBe(401);
  });

  it('sends email through BullMQ workers', async () => {
    const v = await registerViewer(a);
    await a.app.inject({ method: 'POST', url: '/api/v1/auth/password/forgot', payload: { identifier: v.email } });
    await a.jobsDone();
    await b.jobsDone();
    const files = [
      ...(await fs.readdir(a.config.paths.outbox).catch(() => [] as string[])).map(
        (f) => `${a.config.paths.outbox}/${f}`,
      ),
      ...(await fs.readdir(b.config.paths.outbox).catch(() => [] as string[])).map(
        (f) => `${b.config.paths.outbox}/${f}`,
      ),
    ];
    const bodies = await Promise.all(files.map((f) => fs.readFile(f, 'utf8')));
    expect(bodies.some((m) => m.includes(v.email) && m.includes('Reset your Kush Films password'))).toBe(true);
  });
});
