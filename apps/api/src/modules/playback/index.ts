import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context';
import { playbackRoutes } from './playback.routes';
import { PlaybackService } from './playback.service';

export { entitlementOf, FREE_DEFAULTS, grantsAccessAt, mayWatch, type Entitlement } from './entitlements.service';

/** Playback: access checks, signed stream URLs, the stream itself and progress heartbeats. */
export async function playbackModule(app: FastifyInstance, { ctx }: { ctx: AppContext }): Promise<void> {
  const playback = new PlaybackService(ctx.db.db, ctx.storage, {
    secret: ctx.config.MEDIA_SIGNING_SECRET,
    publicBaseUrl: ctx.config.WEB_URL.replace(/\/$/, ''),
    tokenTtlSeconds: 6 * 3600,
    streamIdleSeconds: ctx.config.STREAM_IDLE_SECONDS,
  });
  await app.register(playbackRoutes, { prefix: '/api/v1', playback });
}
