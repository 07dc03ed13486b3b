import { type Redis } from 'ioredis';
import { type RateLimiter, type RateLimitResult } from './types';

function windowMs(windowSeconds: number): number {
  if (!Number.isFinite(windowSeconds) || windowSeconds <= 0) {
    throw new RangeError(`rate limit windowSeconds must be a positive number, got ${windowSeconds}`);
  }
  return Math.ceil(windowSeconds * 1000);
}

/**
 * `allowed` for peek means the next hit would be allowed. retryAfterSeconds is 0 while allowed,
 * otherwise the whole seconds until the window resets (at least 1).
 */
function result(count: number, limit: number, msLeft: number, allowed: boolean): RateLimitResult {
  return {
    allowed,
    count,
    remaining: Math.max(0, limit - count),
    retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil(msLeft / 1000)),
  };
}

export function createMemoryRateLimiter(options: { sweepIntervalMs?: number } = {}): RateLimiter {
  const windows = new Map<string, { count: number; resetAt: number }>();
  const current = (key: string, now: number) => {
    const window = windows.get(key);
    return window && window.resetAt > now ? window : undefined;
  };
  const sweep = setInterval(() => {
    const now = Date.now();
    for (const [key, window] of windows) if (window.resetAt <= now) windows.delete(key);
  }, options.sweepIntervalMs ?? 60_000);
  sweep.unref();

  return {
    async consume(key, limit, windowSeconds) {
      const ms = windowMs(windowSeconds);
      const now = Date.now();
      let window = current(key, now);
      if (!window) {
        window = { count: 0, resetAt: now + ms };
        windows.set(key, window);
      }
      window.count += 1;
      return result(window.count, limit, window.resetAt - now, window.count <= limit);
    },
    async peek(key, limit, windowSeconds) {
      windowMs(windowSeconds);
      const now = Date.now();
      const window = current(key, now);
      const count = window?.count ?? 0;
      return result(count, limit, (window?.resetAt ?? now) - now, count < limit);
    },
    async reset(key) {
      windows.delete(key);
    },
    async close() {
      clearInterval(sweep);
      windows.clear();
    },
  };
}

// One round trip, atomic across instances. The PTTL guard repairs a counter left without an
// expiry (e.g. written by hand), which would otherwise block the key forever.
const CONSUME_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return { count, ttl }
`;

/** The Redis connection is shared and owned by the caller; close() leaves it open. */
export function createRedisRateLimiter(redis: Redis, options: { prefix: string }): RateLimiter {
  const redisKey = (key: string) => options.prefix + key;
  return {
    async consume(key, limit, windowSeconds) {
      const [count, ttl] = (await redis.eval(CONSUME_SCRIPT, 1, redisKey(key), windowMs(windowSeconds))) as [
        number,
        number,
      ];
      return result(count, limit, ttl, count <= limit);
    },
    async peek(key, limit, windowSeconds) {
      windowMs(windowSeconds);
      const replies = (await redis.multi().get(redisKey(key)).pttl(redisKey(key)).exec()) ?? [];
      const failed = replies.find(([error]) => error);
      if (failed) throw failed[0];
      const count = Number(replies[0]?.[1] ?? 0);
      const ttl = Number(replies[1]?.[1] ?? 0);
      return result(count, limit, Math.max(0, ttl), count < limit);
    },
    async reset(key) {
      await redis.del(redisKey(key));
    },
    async close() {},
  };
}
