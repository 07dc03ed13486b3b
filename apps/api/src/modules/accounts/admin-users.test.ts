import { auditLog } from '@kush/db';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/harness';
import { login, registerViewer, signInStaff, type SignedIn } from '../../testing/factories';
import { ensureAdmin } from './admin-bootstrap';

let t: TestApp;
let admin: SignedIn;
beforeAll(async () => {
  t = await createTestApp();
  admin = await signInStaff(t, ['admin']);
});
afterAll(async () => {
  await t?.close();
});

describe('admin: users', () => {
  it('requires sign-in (401) and the users:manage permission (403)', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/admin/users' })).statusCode).toBe(401);
    for (const roles of [['viewer'], ['content_manager'], ['ad_manager'], ['finance']] as const) {
      const staff = await signInStaff(t, [...roles]);
      const res = await t.app.inject({ method: 'GET', url: '/api/v1/admin/users', headers: staff.auth });
      expect(res.statusCode, roles.join()).toBe(403);
      expect(res.json().error.code).toBe('FORBIDDEN');
    }
  });

  it('searches and pages through accounts with opaque cursors', async () => {
    const tag = `pager${Date.now()}`;
    const made = [];
    for (let i = 0; i < 5; i++) made.push(await registerViewer(t, { displayName: `${tag} ${i}` }));
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/api/v1/admin/users?q=${tag}&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await t.app.inject({ method: 'GET', url, headers: admin.auth });
      expect(res.statusCode).toBe(200);
      const page = res.json<{ items: { id: string }[]; nextCursor: string | null }>();
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((u) => u.id));
      cursor = page.nextCursor;
    } while (cursor);
    // Newest first, each exactly once.
    expect(seen).toEqual(made.map((m) => m.userId).reverse());

    const bad = await t.app.inject({ method: 'GET', url: '/api/v1/admin/users?cursor=bm9wZQ', headers: admin.auth });
    expect(bad.statusCode).toBe(400);
    const tooMany = await t.app.inject({ method: 'GET', url: '/api/v1/admin/users?limit=1000', headers: admin.auth });
    expect(tooMany.statusCode).toBe(400);
  });

  it('changes roles with an audit entry, and the new permission applies at once', async () => {
    const v = await registerViewer(t);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/admin/users', headers: v.auth })).statusCode).toBe(403);
    const res = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/admin/users/${v.userId}/roles`,
      headers: admin.auth,
      payload: { roles: ['viewer', 'admin'] },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().roles).toEqual(['admin', 'viewer']);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/admin/users', headers: v.auth })).statusCode).toBe(200);

    const [entry] = await t.ctx.db.db.select().from(auditLog).where(eq(auditLog.entityId, v.userId));
    expect(entry).toMatchObject({
      action: 'user.roles.set',
      actorId: admin.userId,
      before: { roles: ['viewer'] },
      after: { roles: ['admin', 'viewer'] },
    });

    const unknownRole = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/admin/users/${v.userId}/roles`,
      headers: admin.auth,
      payload: { roles: ['superuser'] },
    });
    expect(unknownRole.statusCode).toBe(400);
    const missing = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/admin/users/00000000-0000-7000-8000-000000000000/roles`,
      headers: admin.auth,
      payload: { roles: ['viewer'] },
    });
    expect(missing.statusCode).toBe(404);
    const badId = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/admin/users/not-a-uuid/roles`,
      headers: admin.auth,
      payload: { roles: ['viewer'] },
    });
    expect(badId.statusCode).toBe(400);
  });

  it('never removes the last admin', async () => {
    const solo = await createTestApp();
    try {
      const only = await signInStaff(solo, ['admin']);
      const res = await solo.app.inject({
        method: 'PUT',
        url: `/api/v1/admin/users/${only.userId}/roles`,
        headers: only.auth,
        payload: { roles: ['viewer'] },
      });
      expect(res.statusCode).toBe(409);
    } finally {
      await solo.close();
    }
  });

  it('suspends (ending every session and refusing sign-in) and reinstates', async () => {
    const v = await registerViewer(t);
    const second = await login(t, v.email);
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/admin/users/${v.userId}/suspend`,
      headers: admin.auth,
      payload: { reason: 'spam comments' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().status).toBe('suspended');
    for (const s of [v, second])
      expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: s.auth })).statusCode).toBe(401);
    const refresh = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/refresh',
      payload: { refreshToken: v.refreshToken, tokenDelivery: 'body' },
    });
    expect(refresh.statusCode).toBe(401);
    const signIn = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { identifier: v.email, password: 'correct horse battery staple' },
    });
    expect(signIn.statusCode).toBe(403);
    expect(signIn.json().error.code).toBe('ACCOUNT_SUSPENDED');

    const back = await t.app.inject({
      method: 'POST',
      url: `/api/v1/admin/users/${v.userId}/reinstate`,
      headers: admin.auth,
    });
    expect(back.json().status).toBe('active');
    await login(t, v.email);

    const self = await t.app.inject({
      method: 'POST',
      url: `/api/v1/admin/users/${admin.userId}/suspend`,
      headers: admin.auth,
    });
    expect(self.statusCode).toBe(409);
  });
});

describe('admin bootstrap', () => {
  it('creates an admin once with a random password and never resets it', async () => {
    const email = `boot-${Date.now()}@kushfilms.com`;
    const first = await ensureAdmin(t.ctx.db.db, email);
    expect(first.created).toBe(true);
    expect(first.password).toMatch(/^[A-Za-z0-9]{20}$/);
    const second = await ensureAdmin(t.ctx.db.db, email);
    expect(second).toEqual({ created: false, userId: first.userId });
    const signedIn = await login(t, email, first.password);
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: signedIn.auth });
    expect(me.json().roles).toEqual(['admin']);
    expect(me.json().permissions).toContain('users:manage');
  });
});
