import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import type { AppContext } from '../../context';
import type { Edge } from '../../lib/edge';
import { NotificationsService } from '../viewer/services';
import { adminImagesRoutes } from './admin-images.routes';
import { adminPeopleRoutes } from './admin-people.routes';
import { adminSeriesRoutes } from './admin-series.routes';
import { adminTaxonomyRoutes } from './admin-taxonomy.routes';
import { adminTitlesRoutes } from './admin-titles.routes';
import { browseRoutes } from './browse.routes';
import { BrowseService } from './browse.service';
import { CatalogCache } from './catalog.cache';
import { CatalogEdge } from './catalog.edge';
import { registerCatalogCacheMetrics } from './catalog.metrics';
import { createImagePresenter } from './images.presenter';
import { publicImagesRoutes } from './images.routes';
import { ImagesService, PublicImages } from './images.service';
import { PeopleService } from './people.service';
import { SearchService } from './search.service';
import { SeriesService } from './series.service';
import { CatalogWriter } from './staff-change';
import { TaxonomyService } from './taxonomy.service';
import { TitlesService } from './titles.service';

export interface CatalogModuleOptions {
  ctx: AppContext;
  /** The app's Prometheus registry, for the cache hit ratio. */
  metrics?: Registry;
  /** Where anonymous cached reads are answered before Fastify (omitted: every read goes through routes). */
  edge?: Edge;
}

/**
 * The catalog: public browse and search under /api/v1/catalog (cached in layers), staff management
 * under /api/v1/admin (permission catalog:manage, every change audited and announced to every
 * instance so their caches drop what changed).
 */
export async function catalogModule(app: FastifyInstance, { ctx, metrics, edge }: CatalogModuleOptions): Promise<void> {
  const cache = new CatalogCache({
    versionStore: ctx.infra.cache,
    // Embedded, the shared cache is this process's memory: a second copy would buy nothing.
    shared: ctx.infra.redis ? ctx.infra.cache : undefined,
    pubsub: ctx.infra.pubsub,
    onOutcome: metrics ? registerCatalogCacheMetrics(metrics) : undefined,
    onError: (err, what) => app.log.warn({ err }, `catalog cache: ${what} failed`),
  });
  await cache.start();
  app.addHook('onClose', () => cache.stop());
  const catalogEdge = edge ? new CatalogEdge(cache) : undefined;
  if (edge && catalogEdge) edge.use(catalogEdge.lookup);

  const notifications = new NotificationsService({
    db: ctx.db.db,
    queue: ctx.infra.queue,
    webUrl: ctx.config.WEB_URL,
  });
  const presenter = createImagePresenter(ctx);
  const publicImages = new PublicImages(ctx.db.read, ctx.storage, presenter);
  const writer = new CatalogWriter(
    ctx.db.db,
    async () => {
      publicImages.forget();
      await cache.invalidate();
    },
    {
      episodeReleased: (titleId, episodeId) => notifications.notifyNewEpisode(titleId, episodeId),
      titleBecameFree: (titleId) => notifications.notifyTitleBecameFree(titleId),
    },
    (err, what) => app.log.error({ err }, `${what} failed`),
  );
  const images = new ImagesService(writer, ctx.storage, presenter, {
    secret: ctx.config.MEDIA_SIGNING_SECRET,
    ffmpegPath: ctx.config.FFMPEG_PATH,
  });
  const titles = new TitlesService(writer, images);
  const people = new PeopleService(writer, images);
  const series = new SeriesService(writer, images);
  await app.register(browseRoutes, {
    prefix: '/api/v1/catalog',
    browse: new BrowseService(ctx.db.read, presenter),
    search: new SearchService(ctx.db.read, presenter),
    cache,
    // Profiles are read from the primary: one created a moment ago must work at once.
    db: ctx.db.db,
    edge: catalogEdge,
  });
  await app.register(publicImagesRoutes, { prefix: '/api/v1/catalog', images: publicImages });
  await app.register(adminTitlesRoutes, { prefix: '/api/v1/admin/titles', titles });
  await app.register(adminImagesRoutes, { prefix: '/api/v1/admin', images, titles, people, series });
  await app.register(adminSeriesRoutes, { prefix: '/api/v1/admin', series });
  await app.register(adminPeopleRoutes, { prefix: '/api/v1/admin/people', people });
  await app.register(adminTaxonomyRoutes, { prefix: '/api/v1/admin', taxonomy: new TaxonomyService(writer) });
}
