import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context';
import { downloadsRoutes } from './downloads.routes';
import { DownloadsService } from './downloads.service';

/** Offline downloads: who may save what, the one rendition to save, and its offline playlists. */
export async function downloadsModule(app: FastifyInstance, { ctx }: { ctx: AppContext }): Promise<void> {
  const downloads = new DownloadsService(ctx.db.db, ctx.storage, {
    secret: ctx.config.MEDIA_SIGNING_SECRET,
    publicBaseUrl: ctx.config.WEB_URL.replace(/\/$/, ''),
    // As long as a streaming session's links: time enough for a phone to fetch every file on Wi-Fi.
    tokenTtlSeconds: 6 * 3600,
  });
  await app.register(downloadsRoutes, { prefix: '/api/v1', downloads });
}
