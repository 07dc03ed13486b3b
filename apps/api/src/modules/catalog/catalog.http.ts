import { AppError, type MaturityRating } from '@kush/contracts';
import type { Executor } from '@kush/db';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { findOwnProfile, PROFILE_HEADER } from '../profiles/profile-context';
import type { CachedBody } from './catalog.cache';
import { lowerRating, profileCeiling } from './maturity';

/**
 * Anonymous responses may be kept by browsers and CDNs; stale ones are served while revalidating.
 * A staff change therefore reaches CDN caches within s-maxage (edge purges are not wired up).
 */
export const PUBLIC_CACHE_CONTROL = 'public, max-age=30, s-maxage=60, stale-while-revalidate=300';
/** Signed-in or profile requests: the browser may keep the body but must revalidate (ETag → 304). */
export const PRIVATE_CACHE_CONTROL = 'private, no-cache';
/** Responses differ by who asks; a shared cache must not hand one viewer's answer to another. */
const VARY = 'Accept-Encoding, Authorization, Cookie, X-Profile-Id';

export interface Audience {
  /** The highest rating this response may include. */
  maturity: MaturityRating;
  /** Signed in or acting as a profile: never stored by shared caches. */
  personal: boolean;
}

/**
 * The effective maturity limit of a catalog request: the `maturity` query parameter (default 18),
 * lowered to the profile's limit when the request acts as one of the signed-in account's profiles.
 * Another account's profile is 404, as everywhere.
 */
export async function audienceOf(
  request: FastifyRequest,
  db: Executor,
  requested: MaturityRating | undefined,
): Promise<Audience> {
  const maturity = requested ?? '18';
  const profileId = request.headers[PROFILE_HEADER];
  if (profileId === undefined) return { maturity, personal: request.principal !== null };
  if (typeof profileId !== 'string') throw new AppError('VALIDATION_FAILED', 'Send one x-profile-id header.');
  if (!request.principal) throw new AppError('UNAUTHENTICATED', 'Sign in to browse as a profile.');
  const profile = await findOwnProfile(db, request.principal.userId, profileId);
  return { maturity: lowerRating(maturity, profileCeiling(profile)), personal: true };
}

/**
 * Sends a pre-serialized body with its ETag, or 304 when the client already has it. The body goes
 * out in the best encoding the client accepts (Brotli, then gzip), compressed when it was cached.
 * Each encoding is its own representation, so it gets its own strong ETag (`"…-br"`, `"…-gz"`);
 * any of them revalidates, since they all carry the same document.
 */
export function sendCached(request: FastifyRequest, reply: FastifyReply, entry: CachedBody, personal: boolean) {
  const encoding = entry.encoded ? preferredEncoding(request.headers['accept-encoding']) : null;
  void reply
    .header('etag', encoding ? withSuffix(entry.etag, ENCODING_SUFFIX[encoding]) : entry.etag)
    .header('cache-control', personal ? PRIVATE_CACHE_CONTROL : PUBLIC_CACHE_CONTROL)
    .header('vary', VARY);
  if (matchesEtag(request.headers['if-none-match'], entry.etag)) return reply.code(304).send();
  void reply.type('application/json; charset=utf-8');
  if (!encoding || !entry.encoded) return reply.send(entry.body);
  return reply.header('content-encoding', encoding).send(entry.encoded[encoding]);
}

type Encoding = 'br' | 'gzip';
const ENCODING_SUFFIX: Record<Encoding, string> = { br: '-br', gzip: '-gz' };

const withSuffix = (etag: string, suffix: string) => `${etag.slice(0, -1)}${suffix}"`;

/** Brotli when accepted, else gzip, else none; `q=0` refuses an encoding (RFC 9110 §12.5.3). */
export function preferredEncoding(header: string | undefined): Encoding | null {
  if (!header) return null;
  const accepted = new Map<string, number>();
  for (const part of header.toLowerCase().split(',')) {
    const [name, ...params] = part.trim().split(';');
    if (!name) continue;
    const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)).find(Boolean);
    accepted.set(name.trim(), q ? Number(q[1]) : 1);
  }
  const weight = (encoding: Encoding) => accepted.get(encoding) ?? accepted.get('*') ?? 0;
  if (weight('br') > 0) return 'br';
  if (weight('gzip') > 0) return 'gzip';
  return null;
}

/** If-None-Match uses the weak comparison: W/"x" matches "x"; * matches anything. */
function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((candidate) => {
    const tag = candidate
      .trim()
      .replace(/^W\//, '')
      .replace(/-(br|gz)"$/, '"');
    return tag === '*' || tag === etag;
  });
}
