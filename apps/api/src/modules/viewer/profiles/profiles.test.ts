import type { Profile } from '@kush/contracts';
import { profiles } from '@kush/db';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProfileUnlocks } from '../../profiles/profile-lock';
import { PASSWORD, registerViewer, type SignedIn } from '../../../testing/factories';
import { createTestApp, type TestApp } from '../../../testing/harness';
import { addProfile, firstProfile, VIEWER_TEST_ENV } from '../test-helpers';

let t: TestApp;
let owner: SignedIn;
let stranger: SignedIn;
beforeAll(async () => {
  t = await createTestApp({ env: VIEWER_TEST_ENV });
  owner = await registerViewer(t, { displayName: 'Nakato Auma' });
  stranger = await registerViewer(t);
});
afterAll(async () => {
  await t?.close();
});

const list = async (who: SignedIn) =>
  (await t.app.inject({ method: 'GET', url: '/api/v1/profiles', headers: who.auth })).json<{ items: Profile[] }>()
    .items;

describe('profiles', () => {
  it('needs a signed-in account', async () => {
    const id = '00000000-0000-7000-8000-000000000000';
    for (const [method, url, payload] of [
      ['GET', '/api/v1/profiles', undefined],
      ['POST', '/api/v1/profiles', { name: 'x' }],
      ['PATCH', `/api/v1/profiles/${id}`, { name: 'x' }],
      ['DELETE', `/api/v1/profiles/${id}`, undefined],
      ['POST', `/api/v1/profiles/${id}/pin/verify`, { pin: '1234' }],
    ] as const) {
      const res = await t.app.inject({ method, url, payload });
      expect(res.statusCode, url).toBe(401);
    }
  });

  it('gives a new account one profile named after it, once, even when asked concurrently', async () => {
    const v = await registerViewer(t, { displayName: 'Okello Peter' });
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => t.app.inject({ method: 'GET', url: '/api/v1/profiles', headers: v.auth })),
    );
    for (const res of answers) expect(res.statusCode).toBe(200);
    const items = await list(v);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      name: 'Okello Peter',
      isKids: false,
      maturityLimit: '18',
      hasPin: false,
      language: 'en',
      dataSaver: 'auto',
    });
    expect(answers.every((r) => r.json().items[0].id === items[0]!.id)).toBe(true);
    expect(JSON.stringify(items)).not.toContain('pinHash');
  });

  it('allows five profiles per account; the sixth is a conflict, also under a race', async () => {
    const v = await registerViewer(t);
    await firstProfile(t, v);
    const attempts = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        t.app.inject({ method: 'POST', url: '/api/v1/profiles', headers: v.auth, payload: { name: `P${i}` } }),
      ),
    );
    const codes = attempts.map((r) => r.statusCode).sort();
    expect(codes).toEqual([201, 201, 201, 201, 409, 409]);
    expect(attempts.find((r) => r.statusCode === 409)!.json().error.code).toBe('CONFLICT');
    expect(await list(v)).toHaveLength(5);
    const sixth = await t.app.inject({
      method: 'POST',
      url: '/api/v1/profiles',
      headers: v.auth,
      payload: { name: 'x' },
    });
    expect(sixth.statusCode).toBe(409);
  });

  it('holds a kids profile to G and PG', async () => {
    const kids = await addProfile(t, owner, { name: 'Kids', isKids: true });
    expect(kids).toMatchObject({ isKids: true, maturityLimit: 'PG' });
    const tooHigh = await t.app.inject({
      method: 'POST',
      url: '/api/v1/profiles',
      headers: owner.auth,
      payload: { name: 'Kids 16', isKids: true, maturityLimit: '16' },
    });
    expect(tooHigh.statusCode).toBe(400);
    const g = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/profiles/${kids.id}`,
      headers: owner.auth,
      payload: { maturityLimit: 'G' },
    });
    expect(g.json()).toMatchObject({ maturityLimit: 'G' });
    const raise = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/profiles/${kids.id}`,
      headers: owner.auth,
      payload: { maturityLimit: '18' },
    });
    expect(raise.statusCode).toBe(400);

    const teen = await addProfile(t, owner, { name: 'Teen', maturityLimit: '16' });
    const toKids = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/profiles/${teen.id}`,
      headers: owner.auth,
      payload: { isKids: true },
    });
    expect(toKids.json()).toMatchObject({ isKids: true, maturityLimit: 'PG' });
    for (const p of [kids, teen]) {
      await t.app.inject({ method: 'DELETE', url: `/api/v1/profiles/${p.id}`, headers: owner.auth });
    }
  });

  it('lifts a kids profile or a maturity limit only with the account password', async () => {
    const kids = await addProfile(t, owner, { name: 'Little one', isKids: true });
    const teen = await addProfile(t, owner, { name: 'Teenager', maturityLimit: '13' });
    const patch = (id: string, payload: Record<string, unknown>) =>
      t.app.inject({ method: 'PATCH', url: `/api/v1/profiles/${id}`, headers: owner.auth, payload });
    const stored = async (id: string) => (await list(owner)).find((p) => p.id === id)!;

    // Lifting without the password, or with a wrong one, changes nothing.
    for (const [id, change] of [
      [kids.id, { isKids: false }],
      [kids.id, { isKids: false, maturityLimit: '18', name: 'Grown up' }],
      [teen.id, { maturityLimit: '18' }],
    ] as const) {
      const bare = await patch(id, change);
      expect(bare.statusCode).toBe(403);
      expect(bare.json().error.code).toBe('PASSWORD_REQUIRED');
      const wrong = await patch(id, { ...change, password: 'not-the-password' });
      expect(wrong.json().error.code).toBe('INVALID_CREDENTIALS');
    }
    expect(await stored(kids.id)).toMatchObject({ isKids: true, maturityLimit: 'PG', name: 'Little one' });
    expect(await stored(teen.id)).toMatchObject({ maturityLimit: '13' });

    // Tightening, and changes that lift nothing, need no password.
    expect((await patch(teen.id, { maturityLimit: 'PG' })).json()).toMatchObject({ maturityLimit: 'PG' });
    expect((await patch(kids.id, { name: 'Little star', maturityLimit: 'G' })).statusCode).toBe(200);
    expect((await patch(teen.id, { maturityLimit: 'PG' })).statusCode).toBe(200);
    // A password alone is no change at all.
    expect((await patch(teen.id, { password: PASSWORD })).statusCode).toBe(400);

    // The account holder lifts them with the password.
    expect((await patch(kids.id, { isKids: false, password: PASSWORD })).json()).toMatchObject({
      isKids: false,
      maturityLimit: 'G',
    });
    expect((await patch(teen.id, { maturityLimit: '18', password: PASSWORD })).json()).toMatchObject({
      maturityLimit: '18',
    });
    for (const p of [kids, teen]) {
      await t.app.inject({ method: 'DELETE', url: `/api/v1/profiles/${p.id}`, headers: owner.auth });
    }
  });

  it('keeps data-saver and language preferences per profile', async () => {
    const main = await firstProfile(t, owner);
    const res = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/profiles/${main.id}`,
      headers: owner.auth,
      payload: { dataSaver: 'low', language: 'lg', name: '  Nakato  ', avatar: 'lion-2' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ dataSaver: 'low', language: 'lg', name: 'Nakato', avatar: 'lion-2' });
    const other = await addProfile(t, owner, { name: 'Other' });
    expect(other).toMatchObject({ dataSaver: 'auto', language: 'en' });
    await t.app.inject({ method: 'DELETE', url: `/api/v1/profiles/${other.id}`, headers: owner.auth });
  });

  it('refuses bad input with 400 and changes nothing', async () => {
    const main = await firstProfile(t, owner);
    const bad: Record<string, unknown>[] = [
      {},
      { name: '' },
      { name: '   ' },
      { name: 'x'.repeat(41) },
      { language: 'english' },
      { dataSaver: 'ultra' },
      { maturityLimit: 'R' },
      { avatar: '<img src=x>' },
      { pinHash: 'x' },
      { name: 'ok', userId: stranger.userId },
    ];
    for (const payload of bad) {
      const res = await t.app.inject({
        method: 'PATCH',
        url: `/api/v1/profiles/${main.id}`,
        headers: owner.auth,
        payload,
      });
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
    }
    expect(await firstProfile(t, owner)).toEqual(main);
    const badId = await t.app.inject({ method: 'GET', url: '/api/v1/profiles/not-a-uuid', headers: owner.auth });
    expect(badId.statusCode).toBe(400);
  });

  it("answers 404 for another account's profile, whatever the operation", async () => {
    const theirs = await firstProfile(t, stranger);
    const base = `/api/v1/profiles/${theirs.id}`;
    const attempts = [
      { method: 'GET', url: base },
      { method: 'PATCH', url: base, payload: { name: 'Mine now' } },
      { method: 'DELETE', url: base },
      { method: 'PUT', url: `${base}/pin`, payload: { pin: '1234', password: PASSWORD } },
      { method: 'POST', url: `${base}/pin/verify`, payload: { pin: '1234' } },
    ] as const;
    for (const a of attempts) {
      const res = await t.app.inject({ ...a, headers: owner.auth });
      expect(res.statusCode, `${a.method} ${a.url}`).toBe(404);
      expect(res.json().error.code).toBe('NOT_FOUND');
    }
    expect(await firstProfile(t, stranger)).toEqual(theirs);
  });

  it('never deletes the last profile', async () => {
    const v = await registerViewer(t);
    const only = await firstProfile(t, v);
    const res = await t.app.inject({ method: 'DELETE', url: `/api/v1/profiles/${only.id}`, headers: v.auth });
    expect(res.statusCode).toBe(409);
    const second = await addProfile(t, v);
    const ok = await t.app.inject({ method: 'DELETE', url: `/api/v1/profiles/${only.id}`, headers: v.auth });
    expect(ok.statusCode).toBe(204);
    expect((await list(v)).map((p) => p.id)).toEqual([second.id]);
  });
});

describe('profile PIN', () => {
  const setPin = (who: SignedIn, profileId: string, payload: Record<string, unknown>) =>
    t.app.inject({ method: 'PUT', url: `/api/v1/profiles/${profileId}/pin`, headers: who.auth, payload });
  const verify = (who: SignedIn, profileId: string, pin: unknown) =>
    t.app.inject({
      method: 'POST',
      url: `/api/v1/profiles/${profileId}/pin/verify`,
      headers: who.auth,
      payload: { pin },
    });

  it('accepts only 4 digits', async () => {
    const v = await registerViewer(t);
    const p = await firstProfile(t, v);
    for (const pin of ['123', '12345', 'abcd', '12 4', '١٢٣٤', 1234, '']) {
      expect((await setPin(v, p.id, { pin, password: PASSWORD })).statusCode, String(pin)).toBe(400);
      expect((await verify(v, p.id, pin)).statusCode, String(pin)).toBe(400);
    }
    expect((await firstProfile(t, v)).hasPin).toBe(false);
  });

  it('is set with the account password, stored as an argon2id hash, verified and removed', async () => {
    const v = await registerViewer(t);
    const p = await firstProfile(t, v);
    expect((await verify(v, p.id, '1234')).statusCode).toBe(409);
    const wrongPassword = await setPin(v, p.id, { pin: '1234', password: 'not my password' });
    expect(wrongPassword.statusCode).toBe(401);
    expect((await setPin(v, p.id, { pin: '4821', password: PASSWORD })).statusCode).toBe(200);

    const [row] = await t.ctx.db.db.select().from(profiles).where(eq(profiles.id, p.id));
    expect(row!.pinHash).toMatch(/^\$argon2id\$/);
    expect(row!.pinHash).not.toContain('4821');
    expect((await firstProfile(t, v)).hasPin).toBe(true);

    expect((await verify(v, p.id, '4821')).statusCode).toBe(200);
    const wrong = await verify(v, p.id, '0000');
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json().error.code).toBe('PIN_INCORRECT');

    expect((await setPin(v, p.id, { pin: null, password: PASSWORD })).statusCode).toBe(204);
    expect((await firstProfile(t, v)).hasPin).toBe(false);
    expect((await verify(v, p.id, '4821')).statusCode).toBe(409);
  });

  it('throttles wrong PINs per profile with Retry-After', async () => {
    const v = await registerViewer(t);
    const p = await firstProfile(t, v);
    const other = await addProfile(t, v, { name: 'Other' });
    for (const profile of [p, other]) {
      expect((await setPin(v, profile.id, { pin: '2468', password: PASSWORD })).statusCode).toBe(200);
    }
    // Parallel guesses count too: the limiter counts every attempt atomically.
    const guesses = await Promise.all(['0001', '0002', '0003', '0004', '0005'].map((pin) => verify(v, p.id, pin)));
    expect(guesses.map((r) => r.statusCode)).toEqual([403, 403, 403, 403, 403]);
    const blocked = await verify(v, p.id, '0006');
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json().error.code).toBe('RATE_LIMITED');
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    // Even the right PIN waits out the window.
    expect((await verify(v, p.id, '2468')).statusCode).toBe(429);
    // Another profile has its own window.
    expect((await verify(v, other.id, '2468')).statusCode).toBe(200);
  });

  it('locks every call acting as a PIN-protected profile until its PIN is entered on that client', async () => {
    const v = await registerViewer(t);
    const p = await firstProfile(t, v);
    const open = await addProfile(t, v, { name: 'No PIN' });
    const list = (profileId: string, headers: Record<string, string> = {}) =>
      t.app.inject({ method: 'GET', url: `/api/v1/profiles/${profileId}/list`, headers: { ...v.auth, ...headers } });
    const home = (profileId: string, headers: Record<string, string> = {}) =>
      t.app.inject({
        method: 'GET',
        url: '/api/v1/catalog/home',
        headers: { ...v.auth, 'x-profile-id': profileId, ...headers },
      });

    const set = await setPin(v, p.id, { pin: '1357', password: PASSWORD });
    expect(set.statusCode).toBe(200);
    // The client that set the PIN is unlocked by the cookie it received.
    const setCookie = set.cookies.find((c) => c.name === 'kf_pu');
    expect(setCookie).toMatchObject({ httpOnly: true, path: '/' });

    for (const response of [await list(p.id), await home(p.id)]) {
      expect(response.statusCode).toBe(403);
      expect(response.json().error.code).toBe('PROFILE_LOCKED');
    }
    // Profiles without a PIN and the profile list stay open.
    expect((await list(open.id)).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/profiles', headers: v.auth })).statusCode).toBe(200);

    const unlocked = await verify(v, p.id, '1357');
    expect(unlocked.statusCode).toBe(200);
    const { unlockToken } = unlocked.json<{ unlockToken: string; expiresAt: string }>();
    const cookie = unlocked.cookies.find((c) => c.name === 'kf_pu')!;
    expect(cookie.httpOnly).toBe(true);
    expect((await list(p.id, { 'x-profile-unlock': unlockToken })).statusCode).toBe(200);
    expect((await list(p.id, { cookie: `kf_pu=${cookie.value}` })).statusCode).toBe(200);
    expect((await home(p.id, { cookie: `kf_pu=${cookie.value}` })).statusCode).toBe(200);

    // A proof opens only its own profile, for its own account, and only while it is fresh.
    const second = await addProfile(t, v, { name: 'Second' });
    expect((await setPin(v, second.id, { pin: '2468', password: PASSWORD })).statusCode).toBe(200);
    expect((await list(second.id, { 'x-profile-unlock': unlockToken })).json().error.code).toBe('PROFILE_LOCKED');
    const unlocks = new ProfileUnlocks(t.ctx.config.JWT_SECRET);
    const stale = await unlocks.issue(v.userId, p.id, new Date(Date.now() - 13 * 3600_000));
    expect((await list(p.id, { 'x-profile-unlock': stale.token })).json().error.code).toBe('PROFILE_LOCKED');
    const forged = new ProfileUnlocks('another-secret-of-at-least-thirty-two-chars!!');
    const forgedToken = (await forged.issue(v.userId, p.id)).token;
    expect((await list(p.id, { 'x-profile-unlock': forgedToken })).json().error.code).toBe('PROFILE_LOCKED');
    // Another account's valid proof does not open it, and its own profiles stay 404 to others.
    const otherAccount = await registerViewer(t);
    const theirs = await firstProfile(t, otherAccount);
    const theirToken = (await unlocks.issue(otherAccount.userId, p.id)).token;
    expect((await list(p.id, { 'x-profile-unlock': theirToken })).json().error.code).toBe('PROFILE_LOCKED');
    expect((await list(theirs.id)).statusCode).toBe(404);

    // Removing the PIN (with the account password) opens the profile again.
    expect((await setPin(v, p.id, { pin: null, password: PASSWORD })).statusCode).toBe(204);
    expect((await list(p.id)).statusCode).toBe(200);
  });

  it('throttles wrong passwords when setting PINs', async () => {
    const v = await registerViewer(t);
    const p = await firstProfile(t, v);
    const codes: number[] = [];
    for (let i = 0; i < 6; i++) codes.push((await setPin(v, p.id, { pin: '1234', password: `wrong ${i}` })).statusCode);
    expect(codes).toEqual([401, 401, 401, 401, 401, 429]);
  });
});
