/**
 * The API as server components, route handlers and server actions see it. Calls go straight to
 * API_URL (read per call, so one build can point at any API) and carry the visitor's own cookies,
 * so the API decides who is asking; nothing here holds or stores a token.
 */
import { ACCESS_COOKIE } from '@kush/contracts';
import { cookies, headers } from 'next/headers';
import { apiBaseUrl } from '@/lib/platform-status';
import { ApiError, errorFromResponse } from './errors';

export { ApiError } from './errors';

/** The selected profile travels in a plain cookie (an id, not a secret); the API checks ownership. */
export const PROFILE_COOKIE = 'kf_profile';
export const PROFILE_HEADER = 'x-profile-id';

export interface ServerRequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  /** Send the selected profile (x-profile-id) so catalog answers respect its maturity limit. */
  asProfile?: boolean;
  signal?: AbortSignal;
}

async function forwardedHeaders(options: ServerRequestOptions, withSession: boolean): Promise<Headers> {
  const jar = await cookies();
  const incoming = await headers();
  const out = new Headers({ accept: 'application/json' });
  const cookieHeader = jar
    .getAll()
    .filter((c) => withSession || c.name !== ACCESS_COOKIE)
    .map((c) => `${c.name}=${encodeURIComponent(c.value)}`)
    .join('; ');
  if (cookieHeader) out.set('cookie', cookieHeader);
  const forwardedFor = incoming.get('x-forwarded-for');
  if (forwardedFor) out.set('x-forwarded-for', forwardedFor);
  const language = incoming.get('accept-language');
  if (language) out.set('accept-language', language);
  if (options.asProfile) {
    const profileId = jar.get(PROFILE_COOKIE)?.value;
    if (profileId) out.set(PROFILE_HEADER, profileId);
  }
  if (options.body !== undefined) {
    out.set('content-type', 'application/json');
    // Cookie-authenticated writes must carry one of our origins (the API's CSRF check).
    const origin = incoming.get('origin') ?? originOf(incoming);
    if (origin) out.set('origin', origin);
  }
  return out;
}

function originOf(incoming: Headers): string | null {
  const host = incoming.get('x-forwarded-host') ?? incoming.get('host');
  if (!host) return null;
  const proto = incoming.get('x-forwarded-proto') ?? 'http';
  return `${proto}://${host}`;
}

/** The API's answers to an access token it will not take: lapsed, revoked (signed out elsewhere) or forged. */
const REFUSED_TOKEN = new Set(['TOKEN_INVALID', 'TOKEN_EXPIRED']);

/**
 * Calls the API and returns its JSON body; throws ApiError (with the API's code) on failure.
 *
 * A read whose access cookie the API refuses is asked again without it: to a page, a token the API
 * will not take is no session at all, so public reads (the catalog, whose routes take an optional
 * session) answer as for any visitor instead of failing the page, and signed-in-only reads still
 * answer 401. Writes are not repeated.
 */
export async function serverApi<T>(path: string, options: ServerRequestOptions = {}): Promise<T> {
  let response = await send(path, options, true);
  if (response.status === 401 && (options.method ?? 'GET') === 'GET' && (await cookies()).has(ACCESS_COOKIE)) {
    const refused = await errorFromResponse(response);
    if (!REFUSED_TOKEN.has(refused.code)) throw refused;
    response = await send(path, options, false);
  }
  if (!response.ok) throw await errorFromResponse(response);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

async function send(path: string, options: ServerRequestOptions, withSession: boolean): Promise<Response> {
  try {
    return await fetch(`${apiBaseUrl()}${path}`, {
      method: options.method ?? 'GET',
      headers: await forwardedHeaders(options, withSession),
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      cache: 'no-store',
      signal: options.signal,
    });
  } catch {
    throw new ApiError(502, 'API_UNAVAILABLE', 'The Kush Films API is not reachable right now.');
  }
}

/** Like serverApi, but a 404 becomes null (for pages that call notFound()). */
export async function serverApiOrNull<T>(path: string, options: ServerRequestOptions = {}): Promise<T | null> {
  try {
    return await serverApi<T>(path, options);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return null;
    throw error;
  }
}

/** Like serverApi, but 401 (signed out or expired access token) becomes null. */
export async function serverApiIfSignedIn<T>(path: string, options: ServerRequestOptions = {}): Promise<T | null> {
  try {
    return await serverApi<T>(path, options);
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}
