import type { JobPayloads } from '@kush/contracts';
import type { JobQueue, Mailer } from '@kush/infra';

export interface WorkerDeps {
  queue: JobQueue<JobPayloads>;
  mailer: Mailer;
}

/** Attaches every job processor to the queue. Runs in the worker role (or in-process in the embedded default). */
export function registerProcessors({ queue, mailer }: WorkerDeps): void {
  queue.process(
    'email.send',
    async (job) => {
      await mailer.send(job.data);
    },
    { concurrency: 4 },
  );
}
