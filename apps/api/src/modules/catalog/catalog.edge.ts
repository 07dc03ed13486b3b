import type { IncomingMessage } from 'node:http';
import { LRUCache } from 'lru-cache';
import type { EdgeAnswer } from '../../lib/edge';
import { ACCESS_COOKIE } from '../../plugins/auth';
import { PROFILE_HEADER } from '../profiles/profile-context';
import type { CachedBody, CatalogCache } from './catalog.cache';
import { answerOf, representationOf } from './catalog.http';

interface KnownUrl {
  /** The cache key the route computed for this URL (it depends only on the URL for anonymous viewers). */
  key: string;
  route: string;
}

const SIGNED_IN_COOKIE = new RegExp(`(?:^|;)\\s*${ACCESS_COOKIE}=`);

/**
 * Anonymous catalog reads, answered at the edge. A route that has just answered an anonymous
 * request remembers which cache key its URL maps to; the next anonymous request for the exact same
 * URL is answered from the cached body without the framework (src/lib/edge.ts). Anything that
 * could make the answer personal or different — a bearer token, the access cookie, a profile, an
 * Origin to answer CORS for — declines, as does a body this instance no longer holds for the
 * current catalog version (staff changes clear it on every instance).
 */
export class CatalogEdge {
  private readonly urls = new LRUCache<string, KnownUrl>({ max: 20_000 });
  private readonly answers = new WeakMap<CachedBody, Map<string, EdgeAnswer>>();

  constructor(private readonly cache: CatalogCache) {}

  /** Called by a route after answering an anonymous request for `url` from cache entry `key`. */
  remember(url: string, key: string, route: string): void {
    const known = this.urls.get(url);
    if (known?.key !== key) this.urls.set(url, { key, route });
  }

  readonly lookup = (request: IncomingMessage): EdgeAnswer | undefined => {
    const known = request.url === undefined ? undefined : this.urls.get(request.url);
    if (!known) return undefined;
    const { headers } = request;
    if (headers.authorization !== undefined || headers[PROFILE_HEADER] !== undefined || headers.origin !== undefined)
      return undefined;
    if (headers.cookie !== undefined && SIGNED_IN_COOKIE.test(headers.cookie)) return undefined;
    const entry = this.cache.peek(known.key);
    if (!entry) return undefined;
    const ifNoneMatch = headers['if-none-match'];
    const { encoding, notModified } = representationOf(entry, {
      acceptEncoding: headers['accept-encoding'],
      ifNoneMatch: typeof ifNoneMatch === 'string' ? ifNoneMatch : undefined,
    });
    // A body has at most six answers (three encodings, 200 or 304); each is built once, when first
    // asked for, and lives as long as the body stays cached.
    let answers = this.answers.get(entry);
    if (!answers) this.answers.set(entry, (answers = new Map()));
    const variant = `${notModified ? 304 : 200} ${encoding ?? ''} ${known.route}`;
    let answer = answers.get(variant);
    if (!answer)
      answers.set(variant, (answer = { ...answerOf(entry, { encoding, notModified }, false), route: known.route }));
    return answer;
  };
}
