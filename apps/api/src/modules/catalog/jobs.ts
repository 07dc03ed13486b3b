/**
 * The catalog's surface for the worker: its periodic jobs. No Fastify; the worker's processors.ts
 * attaches them and schedules them every `everyMs`, in a worker process or inside the API process
 * (PROCESS_ROLE=all).
 */
import type { JobPayloads } from '@kush/contracts';
import type { Database } from '@kush/db';
import type { Cache, JobQueue, PubSub } from '@kush/infra';
import type { ObjectStorage } from '@kush/storage';
import { announceCatalogChange } from './catalog.cache';
import { sweepImages } from './images.sweep';
import { CatalogMaintenance } from './maintenance.service';
import { NotificationsService } from '../viewer/services';

export interface CatalogJobDeps {
  db: Database;
  queue: JobQueue<JobPayloads>;
  /** Shared cache and pub/sub: a job that changes the catalog invalidates every API instance's cache. */
  cache: Cache;
  pubsub: PubSub;
  /** Where pictures live (the image sweep). */
  storage: ObjectStorage;
  /** The web app's public address, for links in notification emails. */
  webUrl: string;
}

export const CATALOG_JOBS = {
  publishDue: { name: 'catalog.publish-due', everyMs: 60_000 },
  refreshPopularity: { name: 'catalog.refresh-popularity', everyMs: 10 * 60_000 },
  sweepImages: { name: 'catalog.sweep-images', everyMs: 60 * 60_000 },
} as const;

export function processCatalogJobs(deps: CatalogJobDeps): void {
  const notifications = new NotificationsService({ db: deps.db, queue: deps.queue, webUrl: deps.webUrl });
  const maintenance = new CatalogMaintenance(
    deps.db,
    () => announceCatalogChange(deps.cache, deps.pubsub),
    (titleId, episodeId) => notifications.notifyNewEpisode(titleId, episodeId),
  );
  deps.queue.process(CATALOG_JOBS.publishDue.name, async () => {
    await maintenance.publishDue();
  });
  deps.queue.process(CATALOG_JOBS.refreshPopularity.name, async () => {
    await maintenance.refreshPopularity();
  });
  deps.queue.process(CATALOG_JOBS.sweepImages.name, async () => {
    await sweepImages(deps.db, deps.storage);
  });
}
