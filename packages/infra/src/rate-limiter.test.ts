import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryRateLimiter, createRedisRateLimiter } from './rate-limiter';
import { drivers, openRedis, type RedisHarness } from './test-support';
import { type RateLimiter } from './types';

describe.each(drivers)('rate limiter (%s)', (driver) => {
  let limiter: RateLimiter;
  let harness: RedisHarness | undefined;

  beforeEach(() => {
    harness = driver === 'redis' ? openRedis() : undefined;
    limiter = harness
      ? createRedisRateLimiter(harness.redis, { prefix: `${harness.prefix}:` })
      : createMemoryRateLimiter();
  });

  afterEach(async () => {
    await limiter.close();
    await harness?.cleanup();
  });

  it('allows up to the limit in a window, then refuses with retryAfter', async () => {
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await limiter.consume('login:256700000001', 3, 60));
    expect(results.map((r) => [r.allowed, r.count, r.remaining, r.retryAfterSeconds])).toEqual([
      [true, 1, 2, 0],
      [true, 2, 1, 0],
      [true, 3, 0, 0],
      [false, 4, 0, 60],
    ]);
  });

  it('counts retryAfter down as the window runs', async () => {
    await limiter.consume('k', 1, 10);
    await sleep(1100);
    const refused = await limiter.consume('k', 1, 10);
    expect(refused.allowed).toBe(false);
    expect(refused.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(refused.retryAfterSeconds).toBeLessThan(10);
  });

  it('starts a fresh window once the old one expires', async () => {
    await limiter.consume('k', 1, 0.2);
    expect((await limiter.consume('k', 1, 0.2)).allowed).toBe(false);
    await sleep(300);
    const fresh = await limiter.consume('k', 1, 0.2);
    expect(fresh).toEqual({ allowed: true, count: 1, remaining: 0, retryAfterSeconds: 0 });
  });

  it('keeps keys independent', async () => {
    await limiter.consume('a', 1, 60);
    expect((await limiter.consume('a', 1, 60)).allowed).toBe(false);
    expect((await limiter.consume('b', 1, 60)).allowed).toBe(true);
  });

  it('peeks without counting a hit', async () => {
    expect(await limiter.peek('k', 2, 60)).toEqual({ allowed: true, count: 0, remaining: 2, retryAfterSeconds: 0 });
    await limiter.consume('k', 2, 60);
    expect(await limiter.peek('k', 2, 60)).toEqual({ allowed: true, count: 1, remaining: 1, retryAfterSeconds: 0 });
    expect(await limiter.peek('k', 2, 60)).toMatchObject({ count: 1 });
    await limiter.consume('k', 2, 60);
    expect(await limiter.peek('k', 2, 60)).toEqual({ allowed: false, count: 2, remaining: 0, retryAfterSeconds: 60 });
  });

  it('reset deletes the window', async () => {
    await limiter.consume('k', 1, 60);
    await limiter.consume('k', 1, 60);
    await limiter.reset('k');
    expect(await limiter.peek('k', 1, 60)).toMatchObject({ allowed: true, count: 0 });
    expect((await limiter.consume('k', 1, 60)).allowed).toBe(true);
  });

  it('counts parallel hits atomically: 50 at once with limit 10 allow exactly 10', async () => {
    const results = await Promise.all(Array.from({ length: 50 }, () => limiter.consume('burst', 10, 60)));
    expect(results.filter((r) => r.allowed)).toHaveLength(10);
    expect(results.map((r) => r.count).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
  });

  it('rejects a non-positive window', async () => {
    await expect(limiter.consume('k', 1, 0)).rejects.toThrow(RangeError);
  });
});

describe.runIf(drivers.includes('redis'))('redis rate limiter across instances', () => {
  it('shares one count between limiters on separate connections', async () => {
    const first = openRedis();
    const second = openRedis();
    const prefix = `${first.prefix}:`;
    const limiters = [
      createRedisRateLimiter(first.redis, { prefix }),
      createRedisRateLimiter(second.redis, { prefix }),
    ];
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => limiters[i % 2]!.consume('shared', 10, 60)));
    expect(results.filter((r) => r.allowed)).toHaveLength(10);
    await second.redis.quit();
    await first.cleanup();
  });
});
