import { AppError } from '@kush/contracts';
import type { RateLimiter } from '@kush/infra';
import type { FastifyInstance } from 'fastify';

const EXEMPT = new Set(['/healthz', '/readyz', '/metrics']);

/** A per-IP request budget per minute, shared by all instances through Redis when configured. */
export function registerRateLimit(app: FastifyInstance, limiter: RateLimiter, perMinute: number): void {
  app.addHook('onRequest', async (request, reply) => {
    if (EXEMPT.has(request.url.split('?')[0]!)) return;
    const result = await limiter.consume(`rl:ip:${request.ip}`, perMinute, 60);
    void reply.header('x-ratelimit-limit', perMinute).header('x-ratelimit-remaining', Math.max(0, result.remaining));
    if (!result.allowed) {
      const seconds = Math.max(1, Math.ceil(result.retryAfterSeconds));
      throw new AppError(
        'RATE_LIMITED',
        `Too many requests. Try again in ${seconds} seconds.`,
        { retryAfterSeconds: seconds },
        {
          'retry-after': String(seconds),
        },
      );
    }
  });
}
