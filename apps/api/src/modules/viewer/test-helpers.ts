import type { Profile } from '@kush/contracts';
import type { SignedIn } from '../../testing/factories';
import type { TestApp } from '../../testing/harness';

/** The account's first profile (created on first use). */
export async function firstProfile(t: TestApp, who: SignedIn): Promise<Profile> {
  const res = await t.app.inject({ method: 'GET', url: '/api/v1/profiles', headers: who.auth });
  if (res.statusCode !== 200) throw new Error(`profiles failed: ${res.statusCode} ${res.body}`);
  return res.json<{ items: Profile[] }>().items[0]!;
}

export async function addProfile(t: TestApp, who: SignedIn, body: Record<string, unknown> = {}): Promise<Profile> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/profiles',
    headers: who.auth,
    payload: { name: 'Second', ...body },
  });
  if (res.statusCode !== 201) throw new Error(`add profile failed: ${res.statusCode} ${res.body}`);
  return res.json<Profile>();
}

/** Test apps here make many requests from one address: lift the per-IP limit out of the way. */
export const VIEWER_TEST_ENV = { RATE_LIMIT_PER_MINUTE: '100000' };
