import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';

/** Test helpers shared by the suites: which drivers to run and a per-test Redis namespace. */

export const redisUrl = process.env.TEST_REDIS_URL;

export type Driver = 'memory' | 'redis';

/** Every suite runs on memory; on Redis too when TEST_REDIS_URL is set. */
export const drivers: Driver[] = redisUrl ? ['memory', 'redis'] : ['memory'];

export function uniquePrefix(): string {
  return `kf-test-${randomUUID().slice(0, 8)}`;
}

export interface RedisHarness {
  redis: Redis;
  prefix: string;
  /** Deletes every key under the prefix, then quits the connection. */
  cleanup(): Promise<void>;
}

export function openRedis(prefix = uniquePrefix()): RedisHarness {
  if (!redisUrl) throw new Error('TEST_REDIS_URL is not set');
  const redis = new Redis(redisUrl);
  return {
    redis,
    prefix,
    async cleanup() {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
        if (keys.length > 0) await redis.del(...keys);
        cursor = next;
      } while (cursor !== '0');
      await redis.quit();
    },
  };
}

/** Polls until `check` returns true; for waiting on state another process or timer changes. */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(10);
  }
}

export function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}
