/** Job names and payloads: the contract between the API (producer) and the worker (consumer). */
export type JobPayloads = {
  'email.send': { to: string; subject: string; text: string; html?: string };
  /** Notifies every profile that has the title in its My List (viewer module). */
  'notifications.fanout':
    | { kind: 'new_episode'; titleId: string; episodeId: string }
    | { kind: 'title_free'; titleId: string; eventId: string };
  /** Publishes scheduled titles whose time has come (enqueued every minute). */
  'catalog.publish-due': Record<string, never>;
  /** Recounts every title's plays over the last 7 days, for trending and the popular sort. */
  'catalog.refresh-popularity': Record<string, never>;
  /** Removes abandoned image uploads and picture folders nothing records any more (every hour). */
  'catalog.sweep-images': Record<string, never>;
  /** Probes and transcodes one uploaded video into HLS (revision = the row's revision when queued). */
  'video.transcode': { videoId: string; revision: number };
  /** Re-queues transcodes a dead worker left behind and sweeps abandoned uploads (every minute). */
  'videos.reconcile': Record<string, never>;
  /** Asks providers about payments left pending and applies their answer (every minute). */
  'billing.reconcile': Record<string, never>;
  /** Reminds viewers whose pass or card grace period ends soon (every hour). */
  'billing.remind': Record<string, never>;
  /** Ends access whose pass or grace period is over and tells the viewer (every five minutes). */
  'billing.expire': Record<string, never>;
};
export type JobName = keyof JobPayloads & string;
