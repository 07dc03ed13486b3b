import { createHash, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { Cache, PubSub, Unsubscribe } from '@kush/infra';
import { LRUCache } from 'lru-cache';

/**
 * Layered cache for public catalog responses, stored pre-serialized with their strong ETag:
 * an in-process LRU, then the shared cache (Redis) when one is configured.
 *
 * Invalidation is by version. Every key includes the catalog version; a staff change writes a new
 * version to the shared cache and announces it on pub/sub, so every instance stops using what it
 * had at once. An instance that missed the message (a dropped subscriber connection) still
 * re-reads the version every `versionCheckMs`, and the TTLs bound everything else.
 */

export const CATALOG_CHANGED_CHANNEL = 'catalog.changed';
const VERSION_KEY = 'catalog:version';
const VERSION_TTL_SECONDS = 30 * 24 * 3600;

export interface CachedBody {
  body: string;
  etag: string;
  /** The body compressed once when cached, so a hit costs no compression (absent for small bodies). */
  encoded?: EncodedBodies;
}

export interface EncodedBodies {
  br: Buffer;
  gzip: Buffer;
}

/** Below this, compression saves less than its headers cost. */
export const MIN_COMPRESS_BYTES = 1024;
const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

/**
 * Compressed once per cache fill, off the event loop (libuv's thread pool), then sent to every
 * viewer. Brotli quality 5 and gzip level 6: on catalog JSON, higher qualities gain a few percent
 * for 10–60× the time (brotli 9 took ~400 ms on a 160 KB page, quality 5 ~6 ms), and search misses
 * pay this on every new query.
 */
export async function encodeBody(body: string): Promise<EncodedBodies | undefined> {
  if (Buffer.byteLength(body) < MIN_COMPRESS_BYTES) return undefined;
  const raw = Buffer.from(body);
  const [br, gz] = await Promise.all([
    brotli(raw, {
      params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: raw.length },
    }),
    gzip(raw, { level: 6 }),
  ]);
  return { br, gzip: gz };
}

export type CacheOutcome = 'local' | 'shared' | 'miss';

/** Makes a new catalog version known everywhere. Used by staff changes and by the catalog jobs. */
export async function announceCatalogChange(store: Cache, pubsub: PubSub): Promise<string> {
  const version = `${Date.now().toString(36)}${randomBytes(4).toString('hex')}`;
  await store.set(VERSION_KEY, version, VERSION_TTL_SECONDS);
  await pubsub.publish(CATALOG_CHANGED_CHANNEL, JSON.stringify({ version }));
  return version;
}

export function strongEtag(body: string): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
}

export interface CatalogCacheOptions {
  /** Where the version lives: the shared cache (memory in the embedded default). */
  versionStore: Cache;
  /** The shared layer for bodies; omitted on the embedded default, where it would be a second copy in memory. */
  shared?: Cache;
  pubsub: PubSub;
  localMaxBytes?: number;
  localTtlMs?: number;
  sharedTtlSeconds?: number;
  versionCheckMs?: number;
  onOutcome?: (outcome: CacheOutcome) => void;
  onError?: (error: unknown, what: string) => void;
}

export class CatalogCache {
  private readonly local: LRUCache<string, CachedBody>;
  private readonly loading = new Map<string, Promise<CachedBody>>();
  private version: string | undefined;
  private versionCheckedAt = 0;
  private versionRead: Promise<string> | undefined;
  private unsubscribe: Unsubscribe | undefined;

  constructor(private readonly options: CatalogCacheOptions) {
    this.local = new LRUCache<string, CachedBody>({
      maxSize: options.localMaxBytes ?? 64 * 1024 * 1024,
      sizeCalculation: (entry) =>
        entry.body.length + (entry.encoded ? entry.encoded.br.length + entry.encoded.gzip.length : 0) + 64,
      ttl: options.localTtlMs ?? 30_000,
    });
  }

  async start(): Promise<void> {
    this.unsubscribe = await this.options.pubsub.subscribe(CATALOG_CHANGED_CHANNEL, (message) => {
      try {
        const { version } = JSON.parse(message) as { version?: unknown };
        if (typeof version === 'string') this.useVersion(version);
      } catch (error) {
        this.options.onError?.(error, 'catalog change message');
      }
    });
  }

  async stop(): Promise<void> {
    await this.unsubscribe?.();
    this.local.clear();
  }

  /** After a staff change: a new version here at once (read-your-writes), and everywhere else soon. */
  async invalidate(): Promise<void> {
    this.local.clear();
    try {
      this.useVersion(await announceCatalogChange(this.options.versionStore, this.options.pubsub));
    } catch (error) {
      // The change is committed; other instances converge through the version check and TTLs.
      this.version = undefined;
      this.options.onError?.(error, 'catalog invalidation');
    }
  }

  /** The cached body for `key`, or the body `load()` serializes, then stored in both layers. */
  async get(key: string, load: () => Promise<string>): Promise<CachedBody> {
    const fullKey = `catalog:${await this.currentVersion()}:${key}`;
    const hit = this.local.get(fullKey);
    if (hit) {
      this.options.onOutcome?.('local');
      return hit;
    }
    // Concurrent misses for one key share one load.
    let pending = this.loading.get(fullKey);
    if (!pending) {
      pending = this.fill(fullKey, load).finally(() => this.loading.delete(fullKey));
      this.loading.set(fullKey, pending);
    }
    return pending;
  }

  /**
   * The body for `key` if this instance holds it for the current version, without waiting for
   * anything: for the edge, which answers before the framework. When the version is due for its
   * periodic re-read, this says no, so the next request goes the long way and refreshes it.
   */
  peek(key: string): CachedBody | undefined {
    if (!this.version || Date.now() - this.versionCheckedAt >= (this.options.versionCheckMs ?? 5_000)) return undefined;
    const hit = this.local.get(`catalog:${this.version}:${key}`);
    if (hit) this.options.onOutcome?.('local');
    return hit;
  }

  private async fill(fullKey: string, load: () => Promise<string>): Promise<CachedBody> {
    const { shared } = this.options;
    if (shared) {
      const found = await shared.get<CachedBody>(fullKey).catch((error: unknown) => {
        this.options.onError?.(error, 'shared cache read');
        return undefined;
      });
      if (found && typeof found.body === 'string' && typeof found.etag === 'string') {
        this.options.onOutcome?.('shared');
        // The shared layer keeps only the text; each instance compresses its own copy once.
        const entry: CachedBody = { body: found.body, etag: found.etag, encoded: await encodeBody(found.body) };
        this.local.set(fullKey, entry);
        return entry;
      }
    }
    this.options.onOutcome?.('miss');
    const body = await load();
    const etag = strongEtag(body);
    const entry: CachedBody = { body, etag, encoded: await encodeBody(body) };
    this.local.set(fullKey, entry);
    if (shared) {
      await shared.set(fullKey, { body, etag }, this.options.sharedTtlSeconds ?? 300).catch((error: unknown) => {
        this.options.onError?.(error, 'shared cache write');
      });
    }
    return entry;
  }

  private useVersion(version: string): void {
    if (version !== this.version) this.local.clear();
    this.version = version;
    this.versionCheckedAt = Date.now();
  }

  private async currentVersion(): Promise<string> {
    const fresh = Date.now() - this.versionCheckedAt < (this.options.versionCheckMs ?? 5_000);
    if (this.version && fresh) return this.version;
    this.versionRead ??= this.readVersion().finally(() => (this.versionRead = undefined));
    return this.versionRead;
  }

  private async readVersion(): Promise<string> {
    try {
      let version = await this.options.versionStore.get<string>(VERSION_KEY);
      if (typeof version !== 'string')
        version = await announceCatalogChange(this.options.versionStore, this.options.pubsub);
      this.useVersion(version);
      return version;
    } catch (error) {
      // Without the shared store, keep serving with what we had; a failed read is retried next time.
      this.options.onError?.(error, 'catalog version read');
      return this.version ?? 'unversioned';
    }
  }
}
