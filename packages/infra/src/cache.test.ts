import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryCache, createRedisCache } from './cache';
import { drivers, openRedis, type RedisHarness } from './test-support';
import { type Cache } from './types';

describe.each(drivers)('cache (%s)', (driver) => {
  let cache: Cache;
  let harness: RedisHarness | undefined;

  beforeEach(() => {
    harness = driver === 'redis' ? openRedis() : undefined;
    cache = harness ? createRedisCache(harness.redis, { prefix: `${harness.prefix}:` }) : createMemoryCache();
  });

  afterEach(async () => {
    await cache.close();
    await harness?.cleanup();
  });

  it('returns what was set, as a JSON copy', async () => {
    const title = { slug: 'sanyu', year: 2024, tags: ['drama'], releasedAt: new Date('2024-05-01T00:00:00Z') };
    await cache.set('title:sanyu', title, 60);
    const cached = await cache.get<Record<string, unknown>>('title:sanyu');
    expect(cached).toEqual({ slug: 'sanyu', year: 2024, tags: ['drama'], releasedAt: '2024-05-01T00:00:00.000Z' });
    title.tags.push('changed-after-set');
    expect(await cache.get('title:sanyu')).toEqual(cached);
  });

  it('returns undefined for a missing key', async () => {
    expect(await cache.get('nope')).toBeUndefined();
  });

  it('keeps falsy values distinct from missing ones', async () => {
    await cache.set('zero', 0, 60);
    await cache.set('null', null, 60);
    expect(await cache.get('zero')).toBe(0);
    expect(await cache.get('null')).toBeNull();
  });

  it('expires entries after their TTL', async () => {
    await cache.set('short', 'a', 0.1);
    await cache.set('long', 'b', 60);
    expect(await cache.get('short')).toBe('a');
    await sleep(250);
    expect(await cache.get('short')).toBeUndefined();
    expect(await cache.get('long')).toBe('b');
  });

  it('overwrites a value and its TTL', async () => {
    await cache.set('k', 'old', 0.1);
    await cache.set('k', 'new', 60);
    await sleep(250);
    expect(await cache.get('k')).toBe('new');
  });

  it('deletes several keys at once, and nothing with no keys', async () => {
    await cache.set('a', 1, 60);
    await cache.set('b', 2, 60);
    await cache.set('c', 3, 60);
    await cache.del();
    await cache.del('a', 'b', 'missing');
    expect(await cache.get('a')).toBeUndefined();
    expect(await cache.get('b')).toBeUndefined();
    expect(await cache.get('c')).toBe(3);
  });

  it('rejects a non-positive TTL and a value JSON cannot hold', async () => {
    await expect(cache.set('k', 1, 0)).rejects.toThrow(RangeError);
    await expect(cache.set('k', undefined, 10)).rejects.toThrow(TypeError);
  });
});

describe('memory cache', () => {
  it('evicts the least recently used entry beyond maxEntries', async () => {
    const cache = createMemoryCache({ maxEntries: 2 });
    await cache.set('a', 1, 60);
    await cache.set('b', 2, 60);
    await cache.get('a');
    await cache.set('c', 3, 60);
    expect(await cache.get('a')).toBe(1);
    expect(await cache.get('b')).toBeUndefined();
    expect(await cache.get('c')).toBe(3);
    await cache.close();
  });
});
