import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context';
import { uploadsServiceFor } from '../videos';
import { adsAdminRoutes } from './ads.routes';
import { CampaignsService } from './campaigns.service';
import { type AdCounters, createMemoryCounters, createRedisCounters } from './counters';
import { ReportsService } from './reports.service';
import { adsServingRoutes } from './serving.routes';
import { ServingService } from './serving.service';

export { ServingService } from './serving.service';
export type { AdCounters } from './counters';

const CHANGED_CHANNEL = 'ads.changed';
const STATS_FLUSH_MS = 5_000;

export function adCountersFor(ctx: AppContext): AdCounters {
  return ctx.infra.redis
    ? createRedisCounters(ctx.infra.redis, { prefix: `${ctx.config.REDIS_KEY_PREFIX}:` })
    : createMemoryCounters();
}

/** The ad server: management for the console, decisions, tracking and reports. */
export async function adsModule(
  app: FastifyInstance,
  { ctx, counters = adCountersFor(ctx) }: { ctx: AppContext; counters?: AdCounters },
): Promise<void> {
  const serving = new ServingService(ctx.db.db, ctx.storage, counters, {
    secret: ctx.config.AD_SIGNING_SECRET,
    publicBaseUrl: ctx.config.WEB_URL.replace(/\/$/, ''),
    reservationSeconds: ctx.config.AD_RESERVATION_SECONDS,
    eventWindowSeconds: 4 * 3600,
    inventoryTtlMs: 5_000,
  });
  // Every instance drops its copy of the live campaigns when any instance changes one.
  const unsubscribe = await ctx.infra.pubsub.subscribe(CHANGED_CHANNEL, () => serving.invalidate());
  const changed = () => {
    serving.invalidate();
    void ctx.infra.pubsub
      .publish(CHANGED_CHANNEL, '1')
      .catch((err: unknown) => app.log.warn({ err }, 'ads change not published'));
  };
  const flush = () => serving.flushStats();
  const timer = setInterval(
    () => void flush().catch((err: unknown) => app.log.warn({ err }, 'ad stats not saved')),
    STATS_FLUSH_MS,
  );
  timer.unref();
  app.addHook('onClose', async () => {
    clearInterval(timer);
    await flush().catch((err: unknown) => app.log.warn({ err }, 'ad stats not saved'));
    await unsubscribe();
    await counters.close();
  });

  const campaigns = new CampaignsService(ctx.db.db, ctx.storage, uploadsServiceFor(ctx), changed);
  await app.register(adsAdminRoutes, {
    prefix: '/api/v1/admin/ads',
    campaigns,
    reports: new ReportsService(ctx.db.db, flush),
  });
  await app.register(adsServingRoutes, { prefix: '/api/v1/ads', serving });
}
