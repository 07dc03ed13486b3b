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

/** A cached body as an HTTP answer: 200 with the body, or 304 when the client already has it. */
export interface CachedAnswer {
  status: 200 | 304;
  headers: Record<string, string>;
  body?: string | Buffer;
}

/**
 * The answer for a pre-serialized body: its ETag, or 304 when the client already has it. The body
 * goes out in the best encoding the client accepts (Brotli, then gzip), compressed when it was
 * cached. Each encoding is its own representation, so it gets its own strong ETag (`"…-br"`,
 * `"…-gz"`); any of them revalidates, since they all carry the same document.
 */
export function cachedAnswer(
  entry: CachedBody,
  request: { acceptEncoding: string | undefined; ifNoneMatch: string | undefined },
  personal: boolean,
): CachedAnswer {
  return answerOf(entry, representationOf(entry, request), personal);
}

/** Which answer a request gets for a cached body: its encoding, and whether it already has it. */
export interface Representation {
  encoding: Encoding | null;
  notModified: boolean;
}

export function representationOf(
  entry: CachedBody,
  request: { acceptEncoding: string | undefined; ifNoneMatch: string | undefined },
): Representation {
  return {
    encoding: entry.encoded ? preferredEncoding(request.acceptEncoding) : null,
    notModified: matchesEtag(request.ifNoneMatch, entry.etag),
  };
}

/** The answer for one representation of a cached body (the same every time it is asked for). */
export function answerOf(
  entry: CachedBody,
  { encoding, notModified }: Representation,
  personal: boolean,
): CachedAnswer {
  const headers: Record<string, string> = {
    etag: encoding ? withSuffix(entry.etag, ENCODING_SUFFIX[encoding]) : entry.etag,
    'cache-control': personal ? PRIVATE_CACHE_CONTROL : PUBLIC_CACHE_CONTROL,
    vary: VARY,
  };
  if (notModified) return { status: 304, headers };
  headers['content-type'] = 'application/json; charset=utf-8';
  if (!encoding || !entry.encoded) return { status: 200, headers, body: entry.body };
  headers['content-encoding'] = encoding;
  return { status: 200, headers, body: entry.encoded[encoding] };
}

/** Sends a pre-serialized body through Fastify (see cachedAnswer). */
export function sendCached(request: FastifyRequest, reply: FastifyReply, entry: CachedBody, personal: boolean) {
  const answer = cachedAnswer(
    entry,
    { acceptEncoding: request.headers['accept-encoding'], ifNoneMatch: request.headers['if-none-match'] },
    personal,
  );
  return reply.code(answer.status).headers(answer.headers).send(answer.body);
}

export type Encoding = 'br' | 'gzip';
const ENCODING_SUFFIX: Record<Encoding, string> = { br: '-br', gzip: '-gz' };

const withSuffix = (etag: string, suffix: string) => `${etag.slice(0, -1)}${suffix}"`;

/** Brotli when accepted, else gzip, else none; `q=0` refuses an encoding (RFC 9110 §12.5.3). */
export function preferredEncoding(header: string | undefined): Encoding | null {
  if (!header) return null;
  // Clients send a handful of distinct headers; parsing each once keeps this off the hot path.
  const known = encodingChoices.get(header);
  if (known !== undefined) return known;
  const choice = parseAcceptEncoding(header);
  if (encodingChoices.size >= 256) encodingChoices.clear();
  encodingChoices.set(header, choice);
  return choice;
}

const encodingChoices = new Map<string, Encoding | null>();

function parseAcceptEncoding(header: string): Encoding | null {
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
