import type { AppContext } from '@kush/api/context';
import { BILLING_JOBS, processBillingJobs } from '@kush/api/billing';
import { CATALOG_JOBS, processCatalogJobs } from '@kush/api/catalog';
import { processVideoJobs } from '@kush/api/videos';
import { processNotificationJobs } from '@kush/api/viewer';
import type { JobName, JobPayloads } from '@kush/contracts';
import type { JobQueue } from '@kush/infra';

/** Attaches every job processor to the queue. Runs in the worker role (or in-process in the embedded default). */
export function registerProcessors(ctx: AppContext): void {
  const { queue, mailer, cache, pubsub } = ctx.infra;
  const db = ctx.db.db;
  queue.process(
    'email.send',
    async (job) => {
      await mailer.send(job.data);
    },
    { concurrency: 4 },
  );
  // In-app notifications (and their emails) for everyone with a title in My List.
  processNotificationJobs({ db, queue, webUrl: ctx.config.WEB_URL });
  // Publishing scheduled titles, recounting plays for trending, sweeping abandoned pictures.
  processCatalogJobs({ db, queue, cache, pubsub, storage: ctx.storage, webUrl: ctx.config.WEB_URL });
  // Transcoding uploads, and the reconciler that re-queues what a dead worker left behind.
  processVideoJobs(ctx);
  // Settling pending payments, renewal reminders, ending passes and grace periods.
  processBillingJobs(ctx);
}

/** Jobs that run on a timer, wherever job processors run. */
export const PERIODIC_JOBS: readonly { name: JobName; everyMs: number }[] = [
  ...Object.values(CATALOG_JOBS),
  { name: 'videos.reconcile', everyMs: 60_000 },
  ...Object.values(BILLING_JOBS),
];

/**
 * Enqueues each periodic job now and then on its interval. A fixed job id keeps at most one of
 * each pending across every process, and running one twice is harmless. Returns a stop function;
 * the timers never keep the process alive.
 */
export function schedulePeriodicJobs(
  queue: JobQueue<JobPayloads>,
  onError: (error: unknown) => void = () => {},
): () => void {
  const timers = PERIODIC_JOBS.map(({ name, everyMs }) => {
    const enqueue = () => {
      queue.enqueue(name, {} as never, { jobId: name.replace(/\./g, '-'), attempts: 2 }).catch(onError);
    };
    enqueue();
    const timer = setInterval(enqueue, everyMs);
    timer.unref();
    return timer;
  });
  return () => timers.forEach((timer) => clearInterval(timer));
}
