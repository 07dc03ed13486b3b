import { accountTokens } from '@kush/db';
import { and, eq } from 'drizzle-orm';
import { SignJWT, UnsecuredJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/harness';
import { login, PASSWORD, registerViewer, uniqueEmail } from '../../testing/factories';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ smtp: true, env: { LOGIN_MAX_PER_ACCOUNT: '3' } });
});
afterAll(async () => {
  await t?.close();
});

const WEB = 'http://localhost:3000';
const cookieHeader = (res: { cookies: { name: string; value: string }[] }) =>
  res.cookies.map((c) => `${c.name}=${c.value}`).join('; ');

describe('register', () => {
  it('creates an email account, sets httpOnly cookies and returns no token in the body', async () => {
    const email = uniqueEmail();
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/register',
      payload: { email: email.toUpperCase(), password: PASSWORD, displayName: 'Nakato' },
    });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body.user).toMatchObject({ email, displayName: 'Nakato', roles: ['viewer'], emailVerified: false });
    expect(body.accessToken).toBeUndefined();
    expect(body.refreshToken).toBeUndefined();
    const access = res.cookies.find((c) => c.name === 'kf_at');
    const refresh = res.cookies.find((c) => c.name === 'kf_rt');
    expect(access).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(refresh).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/api/v1/auth' });
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: `kf_at=${access!.value}` } });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ email, permissions: ['account:self'] });
  });

  it('creates a phone account from a local Ugandan number, stored in E.164', async () => {
    const local = `07${String(Date.now()).slice(-8)}`;
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/register',
      payload: { phone: local, password: PASSWORD, displayName: 'Okello', tokenDelivery: 'body' },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().user.phone).toBe(`+256${local.slice(1)}`);
    const signedIn = await login(t, local);
    expect(signedIn.userId).toBe(res.json().user.id);
  });

  it('refuses a taken email, a missing identifier, a weak password and mass-assigned roles', async () => {
    const { email } = await registerViewer(t);
    const dup = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/register',
      payload: { email, password: PASSWORD, displayName: 'X' },
    });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.code).toBe('EMAIL_TAKEN');

    const none = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/register',
      payload: { password: PASSWORD, displayName: 'X' },
    });
    expect(none.statusCode).toBe(400);
    expect(none.json().error.code).toBe('VALIDATION_FAILED');

    const weak = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/register',
      payload: { email: uniqueEmail(), password: 'short', displayName: 'X' },
    });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().error.message).toContain('password');

    const sneaky = uniqueEmail();
    const admin = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/register',
      payload: { email: sneaky, password: PASSWORD, displayName: 'X', roles: ['admin'] },
    });
    expect(admin.statusCode).toBe(400);
    const after = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { identifier: sneaky, password: PASSWORD },
    });
    expect(after.statusCode).toBe(401);
  });
});

describe('login', () => {
  it('answers the same for an unknown account and a wrong password', async () => {
    const { email } = await registerViewer(t);
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { identifier: email, password: 'not the password' },
    });
    const unknown = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { identifier: uniqueEmail('ghost'), password: 'not the password' },
    });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json().error.code).toBe(unknown.json().error.code);
    expect(wrong.json().error.message).toBe(unknown.json().error.message);
  });

  it('throttles an account after repeated failures with Retry-After, whether or not it exists', async () => {
    for (const identifier of [(await registerViewer(t)).email, uniqueEmail('ghost')]) {
      for (let i = 0; i < 3; i++) {
        const res = await t.app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          payload: { identifier, password: 'wrong password' },
        });
        expect(res.statusCode).toBe(401);
      }
      const blocked = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { identifier, password: PASSWORD },
      });
      expect(blocked.statusCode).toBe(429);
      expect(blocked.json().error.code).toBe('RATE_LIMITED');
      expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    }
  });

  it('throttles one network that tries many accounts', async () => {
    const tight = await createTestApp({ env: { LOGIN_MAX_PER_IP: '4' } });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 6; i++) {
        const res = await tight.app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          payload: { identifier: uniqueEmail('spray'), password: 'whatever1' },
          remoteAddress: '10.9.8.7',
        });
        codes.push(res.statusCode);
      }
      expect(codes).toEqual([401, 401, 401, 401, 429, 429]);
      const other = await tight.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { identifier: uniqueEmail('spray'), password: 'whatever1' },
        remoteAddress: '10.9.8.8',
      });
      expect(other.statusCode).toBe(401);
    } finally {
      await tight.close();
    }
  });
});

describe('tokens', () => {
  const key = () => new TextEncoder().encode(t.config.JWT_SECRET);
  const sign = (
    claims: Record<string, unknown>,
    opts: { typ?: string; iss?: string; aud?: string; exp?: number; secret?: Uint8Array } = {},
  ) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', typ: opts.typ ?? 'at+jwt' })
      .setSubject(String(claims.sub))
      .setIssuer(opts.iss ?? t.config.JWT_ISSUER)
      .setAudience(opts.aud ?? t.config.JWT_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(opts.exp ?? Math.floor(Date.now() / 1000) + 300)
      .sign(opts.secret ?? key());

  it('rejects forged, misaddressed, expired and wrong-kind tokens with 401', async () => {
    const v = await registerViewer(t);
    const claims = { sub: v.userId, sid: v.sessionId, roles: ['admin'] };
    const good = await sign(claims);
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${good}` } }))
        .statusCode,
    ).toBe(200);

    const bad = {
      algNone: new UnsecuredJWT(claims)
        .setSubject(v.userId)
        .setIssuer(t.config.JWT_ISSUER)
        .setAudience(t.config.JWT_AUDIENCE)
        .setIssuedAt()
        .setExpirationTime('5m')
        .encode(),
      wrongKey: await sign(claims, { secret: new TextEncoder().encode('x'.repeat(48)) }),
      wrongAud: await sign(claims, { aud: 'someone-else' }),
      wrongIss: await sign(claims, { iss: 'evil' }),
      wrongTyp: await sign(claims, { typ: 'JWT' }),
      expired: await sign(claims, { exp: Math.floor(Date.now() / 1000) - 60 }),
      refreshAsAccess: v.refreshToken,
      garbage: 'not-a-token',
    };
    for (const [name, token] of Object.entries(bad)) {
      const res = await t.app.inject({
        method: 'GET',
        url: '/api/v1/me',
        headers: { authorization: `Bearer ${token}` },
      });
      expect(res.statusCode, name).toBe(401);
      expect(res.json().error.code, name).toMatch(/^TOKEN_(INVALID|EXPIRED)$/);
    }
    const malformed = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: 'Basic abc' } });
    expect(malformed.statusCode).toBe(401);
  });

  it('takes roles from the account, not from the token', async () => {
    const v = await registerViewer(t);
    const forged = await sign({ sub: v.userId, sid: v.sessionId, roles: ['admin'] });
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/v1/admin/users',
      headers: { authorization: `Bearer ${forged}` },
    });
    expect(res.statusCode).toBe(403);
  });

  it('access tokens live at most 15 minutes', async () => {
    const v = await registerViewer(t);
    const payload = JSON.parse(Buffer.from(v.accessToken.split('.')[1]!, 'base64url').toString()) as {
      exp: number;
      iat: number;
    };
    expect(payload.exp - payload.iat).toBeLessThanOrEqual(900);
  });
});

describe('refresh rotation', () => {
  const refresh = (token: string) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/refresh',
      payload: { refreshToken: token, tokenDelivery: 'body' },
    });

  it('rotates on every use and keeps the session', async () => {
    const v = await registerViewer(t);
    const first = await refresh(v.refreshToken);
    expect(first.statusCode).toBe(200);
    const next = first.json<{ refreshToken: string; accessToken: string; sessionId: string }>();
    expect(next.refreshToken).not.toBe(v.refreshToken);
    expect(next.sessionId).toBe(v.sessionId);
    expect((await refresh(next.refreshToken)).statusCode).toBe(200);
  });

  it('lets two concurrent refreshes with the same token both succeed', async () => {
    const v = await registerViewer(t);
    const [a, b] = await Promise.all([refresh(v.refreshToken), refresh(v.refreshToken)]);
    expect([a.statusCode, b.statusCode]).toEqual([200, 200]);
    expect(a.json().refreshToken).not.toBe(b.json().refreshToken);
  });

  it('revokes the whole family when an old token is reused after the grace window', async () => {
    const strict = await createTestApp({ env: { REFRESH_REUSE_GRACE_SECONDS: '0' } });
    try {
      const v = await registerViewer(strict);
      const first = await strict.app.inject({
        method: 'POST',
        url: '/api/v1/auth/refresh',
        payload: { refreshToken: v.refreshToken, tokenDelivery: 'body' },
      });
      const current = first.json<{ refreshToken: string; accessToken: string }>();
      await new Promise((r) => setTimeout(r, 5));
      const replay = await strict.app.inject({
        method: 'POST',
        url: '/api/v1/auth/refresh',
        payload: { refreshToken: v.refreshToken, tokenDelivery: 'body' },
      });
      expect(replay.statusCode).toBe(401);
      // The legitimate holder's newer tokens die with the family.
      const after = await strict.app.inject({
        method: 'POST',
        url: '/api/v1/auth/refresh',
        payload: { refreshToken: current.refreshToken, tokenDelivery: 'body' },
      });
      expect(after.statusCode).toBe(401);
      const me = await strict.app.inject({
        method: 'GET',
        url: '/api/v1/me',
        headers: { authorization: `Bearer ${current.accessToken}` },
      });
      expect(me.statusCode).toBe(401);
    } finally {
      await strict.close();
    }
  });

  it('refreshes from the cookie only for our own origin, and rotates the cookie', async () => {
    const reg = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/register',
      payload: { email: uniqueEmail(), password: PASSWORD, displayName: 'C' },
    });
    const cookie = cookieHeader(reg);
    const foreign = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/refresh',
      headers: { cookie, origin: 'https://evil.example' },
    });
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json().error.code).toBe('ORIGIN_NOT_ALLOWED');
    const ours = await t.app.inject({ method: 'POST', url: '/api/v1/auth/refresh', headers: { cookie, origin: WEB } });
    expect(ours.statusCode).toBe(200);
    expect(ours.json().refreshToken).toBeUndefined();
    const rt = ours.cookies.find((c) => c.name === 'kf_rt');
    expect(rt?.value).toBeTruthy();
    expect(rt?.value).not.toBe(reg.cookies.find((c) => c.name === 'kf_rt')?.value);
  });

  it('rejects an unknown refresh token and a request without one', async () => {
    expect((await refresh('x'.repeat(43))).statusCode).toBe(401);
    const none = await t.app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: {} });
    expect(none.statusCode).toBe(401);
  });
});

describe('cookie sessions and CSRF', () => {
  it('requires our Origin on cookie-authenticated writes but not on reads or bearer calls', async () => {
    const reg = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/register',
      payload: { email: uniqueEmail(), password: PASSWORD, displayName: 'C' },
    });
    const cookie = cookieHeader(reg);
    const read = await t.app.inject({ method: 'GET', url: '/api/v1/me/sessions', headers: { cookie } });
    expect(read.statusCode).toBe(200);
    const noOrigin = await t.app.inject({ method: 'DELETE', url: '/api/v1/me/sessions', headers: { cookie } });
    expect(noOrigin.statusCode).toBe(403);
    const evil = await t.app.inject({
      method: 'DELETE',
      url: '/api/v1/me/sessions',
      headers: { cookie, origin: 'https://evil.example' },
    });
    expect(evil.statusCode).toBe(403);
    const viaReferer = await t.app.inject({
      method: 'DELETE',
      url: '/api/v1/me/sessions',
      headers: { cookie, referer: `${WEB}/account` },
    });
    expect(viaReferer.statusCode).toBe(200);
    const v = await registerViewer(t);
    const bearer = await t.app.inject({ method: 'DELETE', url: '/api/v1/me/sessions', headers: v.auth });
    expect(bearer.statusCode).toBe(200);
  });

  it('logout ends the session and clears the cookies', async () => {
    const reg = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/register',
      payload: { email: uniqueEmail(), password: PASSWORD, displayName: 'C' },
    });
    const cookie = cookieHeader(reg);
    const out = await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie, origin: WEB } });
    expect(out.statusCode).toBe(204);
    expect(out.cookies.find((c) => c.name === 'kf_at')?.value).toBe('');
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } });
    expect(me.statusCode).toBe(401);
  });
});

describe('sessions', () => {
  it('lists devices, signs out one, and never reaches another account’s session', async () => {
    const v = await registerViewer(t);
    const phone = await login(t, v.email);
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/me/sessions', headers: v.auth });
    const items = list.json<{ items: { id: string; current: boolean }[] }>().items;
    expect(items).toHaveLength(2);
    expect(items.find((s) => s.current)?.id).toBe(v.sessionId);

    const other = await registerViewer(t);
    const foreign = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/me/sessions/${other.sessionId}`,
      headers: v.auth,
    });
    expect(foreign.statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: other.auth })).statusCode).toBe(200);

    const del = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/me/sessions/${phone.sessionId}`,
      headers: v.auth,
    });
    expect(del.statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: phone.auth })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: v.auth })).statusCode).toBe(200);
  });

  it('signs out every other device', async () => {
    const v = await registerViewer(t);
    const others = [await login(t, v.email), await login(t, v.email)];
    const res = await t.app.inject({ method: 'DELETE', url: '/api/v1/me/sessions', headers: v.auth });
    expect(res.json()).toEqual({ revoked: 2 });
    for (const o of others)
      expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: o.auth })).statusCode).toBe(401);
  });
});

describe('password reset by email (through a real SMTP server)', () => {
  const lastMailTo = (to: string) =>
    [...t.smtp!.received].reverse().find((m) => m.to.includes(to) && m.subject === 'Reset your Kush Films password');
  const tokenIn = (text: string) => /reset-password\?token=([A-Za-z0-9_-]+)/.exec(text)?.[1];

  it('emails a single-use link that sets a new password and signs out every device', async () => {
    const v = await registerViewer(t);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/password/forgot',
      payload: { identifier: v.email },
    });
    expect(res.statusCode).toBe(202);
    await t.jobsDone();
    const mail = lastMailTo(v.email);
    expect(mail?.subject).toBe('Reset your Kush Films password');
    const token = tokenIn(mail!.text);
    expect(token).toBeTruthy();

    const reset = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/password/reset',
      payload: { token, password: 'a brand new password' },
    });
    expect(reset.statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: v.auth })).statusCode).toBe(401);
    await login(t, v.email, 'a brand new password');
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/password/reset',
      payload: { token, password: 'another new password' },
    });
    expect(again.statusCode).toBe(401);
    expect(again.json().error.code).toBe('TOKEN_INVALID');
  });

  it('answers the same for an unknown account and sends nothing', async () => {
    const ghost = uniqueEmail('ghost');
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/password/forgot',
      payload: { identifier: ghost },
    });
    expect(res.statusCode).toBe(202);
    const known = await registerViewer(t);
    const res2 = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/password/forgot',
      payload: { identifier: known.email },
    });
    expect(res2.json()).toEqual(res.json());
    await t.jobsDone();
    expect(lastMailTo(ghost)).toBeUndefined();
  });

  it('expires a reset token after 30 minutes', async () => {
    const v = await registerViewer(t);
    await t.app.inject({ method: 'POST', url: '/api/v1/auth/password/forgot', payload: { identifier: v.email } });
    await t.jobsDone();
    const token = tokenIn(lastMailTo(v.email)!.text)!;
    const mine = and(eq(accountTokens.userId, v.userId), eq(accountTokens.purpose, 'password_reset'));
    const [row] = await t.ctx.db.db.select().from(accountTokens).where(mine);
    const minutes = (row!.expiresAt.getTime() - row!.createdAt.getTime()) / 60000;
    expect(Math.round(minutes)).toBe(30);
    await t.ctx.db.db
      .update(accountTokens)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(mine);
    const reset = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/password/reset',
      payload: { token, password: 'a brand new password' },
    });
    expect(reset.statusCode).toBe(401);
  });
});

describe('email verification and password change', () => {
  it('verifies the address with the emailed link', async () => {
    const v = await registerViewer(t);
    await t.jobsDone();
    const mail = [...t.smtp!.received].reverse().find((m) => m.to.includes(v.email));
    expect(mail?.subject).toBe('Confirm your email for Kush Films');
    const token = /verify-email\?token=([A-Za-z0-9_-]+)/.exec(mail!.text)?.[1];
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/email/verify', payload: { token } });
    expect(res.statusCode).toBe(204);
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: v.auth });
    expect(me.json().emailVerified).toBe(true);
    const resend = await t.app.inject({ method: 'POST', url: '/api/v1/auth/email/verify/resend', headers: v.auth });
    expect(resend.statusCode).toBe(409);
  });

  it('changes the password with the current one and signs out other devices', async () => {
    const v = await registerViewer(t);
    const other = await login(t, v.email);
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/v1/me/password',
      headers: v.auth,
      payload: { currentPassword: 'nope', newPassword: 'something longer' },
    });
    expect(wrong.statusCode).toBe(401);
    const ok = await t.app.inject({
      method: 'POST',
      url: '/api/v1/me/password',
      headers: v.auth,
      payload: { currentPassword: PASSWORD, newPassword: 'something longer' },
    });
    expect(ok.statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: other.auth })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: v.auth })).statusCode).toBe(200);
    await login(t, v.email, 'something longer');
  });
});

describe('logs', () => {
  it('never contain a password, token or cookie', async () => {
    const password = 'SuperSecretPassw0rd!';
    const v = await registerViewer(t, { password });
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { identifier: v.email, password: 'WrongSecretPassw0rd!' },
    });
    const cookieReg = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/register',
      payload: { email: uniqueEmail(), password, displayName: 'L' },
    });
    await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: cookieHeader(cookieReg) } });
    await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: v.auth });
    await t.app.inject({ method: 'GET', url: `/api/v1/nothing?token=${v.refreshToken}` });
    const all = t.logs.join('');
    expect(all.length).toBeGreaterThan(0);
    for (const secret of [
      password,
      'WrongSecretPassw0rd!',
      v.accessToken,
      v.refreshToken,
      ...cookieReg.cookies.map((c) => c.value),
    ]) {
      expect(all).not.toContain(secret);
    }
    expect(all).toContain('"reqId"');
  });
});
