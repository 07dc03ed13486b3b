import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { AppContext } from '../context';

export interface AppMetrics {
  registry: Registry;
  /** Counts a request answered outside Fastify's hooks (the edge) like any other. */
  observeRequest: (method: string, route: string, status: number, seconds: number) => void;
}

/** Prometheus metrics: per-route latency, process, database pool and queue depth. One registry per app. */
export function registerMetrics(app: FastifyInstance, ctx: AppContext): AppMetrics {
  const register = new Registry();
  collectDefaultMetrics({ register });

  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by route',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [register],
  });

  new Gauge({
    name: 'db_pool_connections',
    help: 'Database pool connections by state',
    labelNames: ['state'] as const,
    registers: [register],
    collect() {
      const s = ctx.db.poolStats();
      this.set({ state: 'total' }, s.total);
      this.set({ state: 'idle' }, s.idle);
      this.set({ state: 'waiting' }, s.waiting);
    },
  });

  new Gauge({
    name: 'job_queue_jobs',
    help: 'Jobs by queue and state',
    labelNames: ['queue', 'state'] as const,
    registers: [register],
    async collect() {
      const counts = await ctx.infra.queue.counts();
      for (const [queue, c] of Object.entries(counts)) {
        for (const [state, n] of Object.entries(c)) this.set({ queue, state }, n);
      }
    },
  });

  const observeRequest = (method: string, route: string, status: number, seconds: number) =>
    duration.observe({ method, route, status_code: String(status) }, seconds);
  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    if (route !== '/metrics') observeRequest(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
    done();
  });

  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    void reply.type(register.contentType);
    return register.metrics();
  });
  return { registry: register, observeRequest };
}
