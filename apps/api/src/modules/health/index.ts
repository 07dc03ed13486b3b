import { Health, Readiness } from '@kush/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../context';

type Check = { status: 'ok' | 'down'; latencyMs?: number; error?: string };

async function timed(fn: () => Promise<unknown>, timeoutMs = 2000): Promise<Check> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      fn(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { status: 'ok', latencyMs: Math.round((performance.now() - started) * 10) / 10 };
  } catch (err) {
    // Only a short, generic reason: readiness is public and must not leak hosts or paths.
    const message = err instanceof Error && err.message.startsWith('no answer') ? err.message : 'unreachable';
    return { status: 'down', error: message };
  } finally {
    clearTimeout(timer);
  }
}

const VERSION = process.env.npm_package_version ?? '0.1.0';

/** Liveness (the process answers) and readiness (its dependencies answer). */
export const healthModule: FastifyPluginAsyncZod<{ ctx: AppContext; isShuttingDown: () => boolean }> = async (
  app,
  { ctx, isShuttingDown },
) => {
  const started = Date.now();

  app.get('/healthz', { schema: { tags: ['health'], summary: 'Liveness', response: { 200: Health } } }, async () => ({
    status: 'ok' as const,
    uptimeSeconds: Math.round((Date.now() - started) / 1000),
    version: VERSION,
  }));

  app.get(
    '/readyz',
    {
      schema: {
        tags: ['health'],
        summary: 'Readiness: database, Redis when configured, storage',
        response: { 200: Readiness, 503: Readiness },
      },
    },
    async (_request, reply) => {
      const checks: Record<string, Check> = {};
      const [database, storage, redis] = await Promise.all([
        timed(() => ctx.db.ping()),
        timed(() => ctx.storage.ping()),
        ctx.infra.redis
          ? timed(async () => {
              if (!(await ctx.infra.pingRedis())) throw new Error('unreachable');
            })
          : Promise.resolve(undefined),
      ]);
      checks.database = database;
      checks.storage = storage;
      if (redis) checks.redis = redis;
      const down = Object.values(checks).some((c) => c.status === 'down');
      const status = isShuttingDown() ? 'shutting_down' : down ? 'down' : 'ok';
      return reply.code(status === 'ok' ? 200 : 503).send({ status, checks });
    },
  );
};
