import type { Role } from '@kush/contracts';
import { ensureAdmin } from '../modules/accounts/admin-bootstrap';
import * as repo from '../modules/accounts/accounts.repository';
import type { TestApp } from './harness';

let seq = 0;
const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

/** Unique values so tests never collide, even on a shared database. */
export function uniqueEmail(tag = 'viewer'): string {
  seq += 1;
  return `${tag}-${run}-${seq}@example.com`;
}

export function uniquePhone(): string {
  seq += 1;
  return `+2567${String(Date.now() % 1e4).padStart(4, '0')}${String(seq).padStart(4, '0')}`.slice(0, 13);
}

export const PASSWORD = 'correct horse battery staple';

export interface SignedIn {
  userId: string;
  email: string;
  accessToken: string;
  refreshToken: string;
  sessionId: string;
  auth: { authorization: string };
}

/** Registers a viewer through the API and returns bearer tokens. */
export async function registerViewer(
  t: TestApp,
  overrides: { email?: string; password?: string; displayName?: string } = {},
): Promise<SignedIn> {
  const email = overrides.email ?? uniqueEmail();
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/register',
    payload: {
      email,
      password: overrides.password ?? PASSWORD,
      displayName: overrides.displayName ?? 'Test Viewer',
      tokenDelivery: 'body',
    },
  });
  if (res.statusCode !== 201) throw new Error(`register failed: ${res.statusCode} ${res.body}`);
  const body = res.json<{ user: { id: string }; accessToken: string; refreshToken: string; sessionId: string }>();
  return {
    userId: body.user.id,
    email,
    accessToken: body.accessToken,
    refreshToken: body.refreshToken,
    sessionId: body.sessionId,
    auth: { authorization: `Bearer ${body.accessToken}` },
  };
}

export async function login(t: TestApp, identifier: string, password = PASSWORD): Promise<SignedIn> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { identifier, password, tokenDelivery: 'body' },
  });
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
  const body = res.json<{ user: { id: string }; accessToken: string; refreshToken: string; sessionId: string }>();
  return {
    userId: body.user.id,
    email: identifier,
    accessToken: body.accessToken,
    refreshToken: body.refreshToken,
    sessionId: body.sessionId,
    auth: { authorization: `Bearer ${body.accessToken}` },
  };
}

/** A staff account with the given roles, signed in. */
export async function signInStaff(t: TestApp, roles: Role[]): Promise<SignedIn> {
  const email = uniqueEmail(roles.join('-'));
  if (roles.includes('admin')) {
    await ensureAdmin(t.ctx.db.db, email, { password: PASSWORD });
  } else {
    const viewer = await registerViewer(t, { email });
    await repo.updateUser(t.ctx.db.db, viewer.userId, { roles });
  }
  return login(t, email);
}
