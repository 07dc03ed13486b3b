import { type Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';
import { type Cache } from './types';

/**
 * Values are stored as JSON in both drivers, so the embedded default behaves like Redis: callers
 * get a copy (mutating it does not touch the cache) and a Date comes back as a string.
 */
function toTtlMs(ttlSeconds: number): number {
  if (!Number.isFinite(ttlSeconds) || ttlSeconds <= 0) {
    throw new RangeError(`cache ttlSeconds must be a positive number, got ${ttlSeconds}`);
  }
  return Math.ceil(ttlSeconds * 1000);
}

function serialize(value: unknown): string {
  const json = JSON.stringify(value);
  if (json === undefined) throw new TypeError('cache value is not JSON-serializable');
  return json;
}

export function createMemoryCache(options: { maxEntries?: number } = {}): Cache {
  const entries = new LRUCache<string, string>({ max: options.maxEntries ?? 10_000 });
  return {
    async get<T>(key: string) {
      const json = entries.get(key);
      return json === undefined ? undefined : (JSON.parse(json) as T);
    },
    async set(key, value, ttlSeconds) {
      entries.set(key, serialize(value), { ttl: toTtlMs(ttlSeconds) });
    },
    async del(...keys) {
      for (const key of keys) entries.delete(key);
    },
    async close() {
      entries.clear();
    },
  };
}

/** The Redis connection is shared and owned by the caller; close() leaves it open. */
export function createRedisCache(redis: Redis, options: { prefix: string }): Cache {
  const key = (name: string) => options.prefix + name;
  return {
    async get<T>(name: string) {
      const json = await redis.get(key(name));
      return json === null ? undefined : (JSON.parse(json) as T);
    },
    async set(name, value, ttlSeconds) {
      await redis.set(key(name), serialize(value), 'PX', toTtlMs(ttlSeconds));
    },
    async del(...names) {
      if (names.length > 0) await redis.del(...names.map(key));
    },
    async close() {},
  };
}
