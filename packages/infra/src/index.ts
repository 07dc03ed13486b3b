import { Redis } from 'ioredis';
import { createMemoryCache, createRedisCache } from './cache';
import { createOutboxMailer, createSmtpMailer } from './mailer';
import { createMemoryPubSub, createRedisPubSub } from './pubsub';
import { createBullQueue, createMemoryQueue } from './queue';
import { createMemoryRateLimiter, createRedisRateLimiter } from './rate-limiter';
import { type Cache, type JobQueue, type Mailer, type PubSub, type RateLimiter } from './types';

export * from './types';
export { createMemoryCache, createRedisCache } from './cache';
export { createMemoryRateLimiter, createRedisRateLimiter } from './rate-limiter';
export { createMemoryPubSub, createRedisPubSub, type PubSubOptions, type RedisPubSubOptions } from './pubsub';
export {
  assertJobId,
  createBullQueue,
  createMemoryQueue,
  JobsFailedError,
  type BullQueueOptions,
  type JobFailure,
  type MemoryQueueOptions,
} from './queue';
export { createOutboxMailer, createSmtpMailer } from './mailer';

export interface InfraOptions {
  /** Redis for cache, limits, pub/sub and BullMQ; in-process memory when absent. */
  redisUrl?: string;
  /** Namespaces every Redis key, channel and queue (default "kf"). */
  keyPrefix?: string;
  /** Where the outbox mailer writes .eml files when smtpUrl is absent. */
  outboxDir: string;
  smtpUrl?: string;
  mailFrom: string;
  /** Entries kept by the in-process cache (default 10 000). */
  cacheMaxEntries?: number;
  /** Redis and BullMQ connection errors, for the app's logger (default console.error). */
  onError?: (error: Error) => void;
}

export interface Infra<Jobs extends Record<string, unknown> = Record<string, unknown>> {
  cache: Cache;
  rateLimiter: RateLimiter;
  pubsub: PubSub;
  queue: JobQueue<Jobs>;
  mailer: Mailer;
  /** The shared connection, when Redis is configured. */
  redis?: Redis;
  /**
   * For readiness probes: true when Redis answered PING within `timeoutMs`, false when it did not.
   * Always true without Redis, since in-process memory cannot be unavailable.
   */
  pingRedis(timeoutMs?: number): Promise<boolean>;
  /** Drains the queue (up to `timeoutMs`), then closes everything. */
  close(timeoutMs?: number): Promise<void>;
}

export function createInfra<Jobs extends Record<string, unknown> = Record<string, unknown>>(
  options: InfraOptions,
): Infra<Jobs> {
  const mailer = options.smtpUrl
    ? createSmtpMailer(options.smtpUrl, options.mailFrom)
    : createOutboxMailer(options.outboxDir, options.mailFrom);

  if (!options.redisUrl) {
    const parts = {
      cache: createMemoryCache({ maxEntries: options.cacheMaxEntries }),
      rateLimiter: createMemoryRateLimiter(),
      pubsub: createMemoryPubSub(),
      queue: createMemoryQueue<Jobs>(),
      mailer,
    };
    return {
      ...parts,
      pingRedis: async () => true,
      close: (timeoutMs) => closeAll(parts, timeoutMs),
    };
  }

  const prefix = options.keyPrefix ?? 'kf';
  const onError = options.onError ?? ((error: Error) => console.error('redis connection error', error));
  // Requests should fail fast rather than queue behind a long reconnect.
  const redis = new Redis(options.redisUrl, { maxRetriesPerRequest: 2 });
  redis.on('error', onError);
  const parts = {
    cache: createRedisCache(redis, { prefix: `${prefix}:cache:` }),
    rateLimiter: createRedisRateLimiter(redis, { prefix: `${prefix}:rl:` }),
    pubsub: createRedisPubSub(redis, { prefix: `${prefix}:ps:`, onConnectionError: onError }),
    queue: createBullQueue<Jobs>({ connection: options.redisUrl, prefix: `${prefix}:bull`, onError }),
    mailer,
  };
  return {
    ...parts,
    redis,
    pingRedis: (timeoutMs = 1000) => ping(redis, timeoutMs),
    async close(timeoutMs) {
      await closeAll(parts, timeoutMs);
      // quit() waits for a reply, which never comes while Redis is unreachable.
      if (redis.status === 'ready') await redis.quit();
      else redis.disconnect();
    },
  };
}

async function ping(redis: Redis, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
  const answered = redis.ping().then(
    (reply) => reply === 'PONG',
    () => false,
  );
  try {
    return await Promise.race([answered, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

async function closeAll(
  parts: { cache: Cache; rateLimiter: RateLimiter; pubsub: PubSub; queue: Pick<JobQueue, 'close'>; mailer: Mailer },
  timeoutMs: number | undefined,
) {
  // The queue first: running jobs may still use the cache or send mail.
  await parts.queue.close(timeoutMs);
  await Promise.all([parts.cache.close(), parts.rateLimiter.close(), parts.pubsub.close(), parts.mailer.close()]);
}
