/**
 * The viewer module's surface for other modules and the worker: services only, no Fastify.
 *
 * - playback: `new HistoryService(db).recordProgress(profile, heartbeat)` on every heartbeat.
 * - catalog: `notifications.notifyNewEpisode(titleId, episodeId)` when an episode becomes
 *   available, `notifications.notifyTitleBecameFree(titleId)` when a title turns free.
 * - subscriptions / payments: `notifications.notify(userId, 'subscription' | 'payment_receipt', content)`.
 * - catalog browse: `allowedRatings(profile)` is what a profile may see.
 */
import type { JobPayloads } from '@kush/contracts';
import type { Database } from '@kush/db';
import type { JobQueue } from '@kush/infra';
import { NotificationsService } from './notifications/notifications.service';

export { allowedRatings, isAllowedFor } from './catalog-access';
export { HistoryService, type ProgressHeartbeat, type RecordedProgress } from './history/history.service';
export { NotificationsService, type NotificationsDeps } from './notifications/notifications.service';

/** Attaches the 'notifications.fanout' processor (the worker's processors.ts calls this). */
export function processNotificationJobs(deps: { db: Database; queue: JobQueue<JobPayloads>; webUrl: string }): void {
  const notifications = new NotificationsService(deps);
  deps.queue.process(
    'notifications.fanout',
    async (job) => {
      await notifications.runFanout(job.data);
    },
    { concurrency: 2 },
  );
}
