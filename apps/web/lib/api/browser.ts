'use client';
/**
 * The API as client components see it: same-origin /api/* (the web app's proxy), httpOnly
 * cookies sent by the browser, never a token in page scripts. An expired access token is
 * refreshed once (one refresh in flight however many calls fail at once) and the call retried.
 */
import { ApiError, errorFromResponse } from './errors';

export { ApiError } from './errors';

export const PROFILE_COOKIE = 'kf_profile';
const PROFILE_HEADER = 'x-profile-id';

export interface BrowserRequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  asProfile?: boolean;
  signal?: AbortSignal;
  /** Keep the request alive while the page unloads (progress saves). */
  keepalive?: boolean;
}

let refreshing: Promise<boolean> | null = null;

/** Exchanges the refresh cookie for new session cookies; true when the session is still alive. */
export function refreshSession(): Promise<boolean> {
  refreshing ??= fetch('/api/v1/auth/refresh', { method: 'POST', credentials: 'same-origin' })
    .then((r) => r.ok)
    .catch(() => false)
    .finally(() => {
      refreshing = null;
    });
  return refreshing;
}

export function selectedProfileId(): string | null {
  if (typeof document === 'undefined') return null;
  const match = document.cookie.split('; ').find((c) => c.startsWith(`${PROFILE_COOKIE}=`));
  return match ? decodeURIComponent(match.slice(PROFILE_COOKIE.length + 1)) : null;
}

export function selectProfile(profileId: string | null): void {
  const maxAge = profileId ? 60 * 60 * 24 * 365 : 0;
  document.cookie = `${PROFILE_COOKIE}=${encodeURIComponent(profileId ?? '')}; Path=/; Max-Age=${maxAge}; SameSite=Lax`;
}

async function send(path: string, options: BrowserRequestOptions): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.asProfile) {
    const profileId = selectedProfileId();
    if (profileId) headers[PROFILE_HEADER] = profileId;
  }
  try {
    return await fetch(`/api${path}`, {
      method: options.method ?? 'GET',
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      credentials: 'same-origin',
      signal: options.signal,
      keepalive: options.keepalive,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, 'NETWORK', 'You seem to be offline. Check your connection and try again.');
  }
}

/** `path` starts with /v1/…; returns the JSON body or throws ApiError. */
export async function api<T>(path: string, options: BrowserRequestOptions = {}): Promise<T> {
  let response = await send(path, options);
  if (response.status === 401 && !path.startsWith('/v1/auth/')) {
    if (await refreshSession()) response = await send(path, options);
  }
  if (!response.ok) throw await errorFromResponse(response);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}
