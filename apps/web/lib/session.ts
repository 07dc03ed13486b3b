/**
 * Who is looking at the page, on the server: the account (from the forwarded cookies) and the
 * selected profile (kf_profile, checked against the account's own profiles). Cached per render.
 */
import { ACCESS_COOKIE, type Profile } from '@kush/contracts';
import type { Me } from '@/lib/types';
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { cache } from 'react';
import { ApiError, PROFILE_COOKIE, serverApi, serverApiIfSignedIn, type ServerRequestOptions } from './api/server';

/** Set by the /api proxy while a refresh cookie exists; holds no secret (see SessionKeeper). */
export const SIGNED_IN_HINT_COOKIE = 'kf_signed_in';

/** Bounded, so a hung API still lets pages (and /status) render, signed out. */
const WHO_TIMEOUT_MS = 3_000;

/**
 * The account looking at the page, or null. A request without the access cookie is signed out
 * (pages never carry the refresh cookie, and an expired access token is refreshed in the browser by
 * SessionKeeper): it is rendered as such without asking the API, which spares every anonymous page
 * view a round trip that could only answer 401.
 */
export const getMe = cache(async (): Promise<Me | null> => {
  if (!(await cookies()).has(ACCESS_COOKIE)) return null;
  return serverApiIfSignedIn<Me>('/api/v1/me', { signal: AbortSignal.timeout(WHO_TIMEOUT_MS) });
});

export const getProfiles = cache(async (): Promise<Profile[] | null> => {
  if (!(await getMe())) return null;
  const list = await serverApiIfSignedIn<{ items: Profile[] }>('/api/v1/profiles');
  return list?.items ?? null;
});

/** The selected profile, or null when signed out or none (or a stale id) is selected. */
export const getCurrentProfile = cache(async (): Promise<Profile | null> => {
  const profiles = await getProfiles();
  if (!profiles) return null;
  const selected = (await cookies()).get(PROFILE_COOKIE)?.value;
  return profiles.find((p) => p.id === selected) ?? null;
});

function withNext(path: string, next: string): string {
  return `${path}?next=${encodeURIComponent(next)}`;
}

/** For signed-in-only pages: the account, or a redirect to /login?next=… */
export async function requireMe(next: string): Promise<Me> {
  const me = await getMe();
  if (!me) redirect(withNext('/login', next));
  return me;
}

/** For profile pages (My List, history…): the selected profile, or the picker first. */
export async function requireProfile(next: string): Promise<{ me: Me; profile: Profile }> {
  const me = await requireMe(next);
  const profile = await getCurrentProfile();
  if (!profile) redirect(withNext('/profiles', next));
  return { me, profile };
}

/**
 * A call made as the selected profile (its :profileId routes, or catalog reads with x-profile-id).
 * A PIN-protected profile that has not been unlocked answers PROFILE_LOCKED: send the viewer to
 * the picker to enter the PIN, then back here.
 */
export async function profileApi<T>(path: string, next: string, options: ServerRequestOptions = {}): Promise<T> {
  try {
    return await serverApi<T>(path, options);
  } catch (error) {
    if (error instanceof ApiError && error.code === 'PROFILE_LOCKED') {
      redirect(`/profiles?locked=1&next=${encodeURIComponent(next)}`);
    }
    throw error;
  }
}

/**
 * Catalog reads: as the selected profile when there is one (its maturity limit then applies),
 * anonymously otherwise. A 404 becomes null, for pages that call notFound().
 */
export async function catalogApi<T>(path: string, next: string): Promise<T | null> {
  const asProfile = (await getCurrentProfile()) !== null;
  try {
    return await profileApi<T>(path, next, { asProfile });
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return null;
    throw error;
  }
}
