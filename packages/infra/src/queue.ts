import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Queue, Worker, type Job, type RedisOptions } from 'bullmq';
import {
  type EnqueueOptions,
  type JobContext,
  type JobHandler,
  type JobQueue,
  type JobState,
  type QueueCounts,
} from './types';

const DEFAULT_ATTEMPTS = 5;
const DEFAULT_BACKOFF_MS = 1000;
const DEFAULT_IDLE_TIMEOUT_MS = 30_000;
const DEFAULT_CLOSE_TIMEOUT_MS = 30_000;

export interface JobFailure {
  name: string;
  id: string;
  reason: string;
}

/** Thrown by whenIdle() when jobs failed for good since the previous call. */
export class JobsFailedError extends Error {
  constructor(readonly failures: JobFailure[]) {
    super(`${failures.length} job(s) failed: ${failures.map((f) => `${f.name}/${f.id} (${f.reason})`).join(', ')}`);
    this.name = 'JobsFailedError';
  }
}

/** BullMQ refuses these as custom ids; the memory queue refuses them too so both behave alike. */
export function assertJobId(id: string): void {
  if (id === '' || String(parseInt(id, 10)) === id || id.includes(':')) {
    throw new Error(`invalid jobId "${id}": it must be non-empty, not an integer and contain no ":"`);
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

const isPending = (state: JobState['state']) => state === 'waiting' || state === 'delayed' || state === 'active';

// ---------------------------------------------------------------------------------------------
// In-process queue: the embedded default. Jobs live in memory and are lost on exit; the database
// rows they act on are the durable state, and the reconciler re-queues anything left behind.
// ---------------------------------------------------------------------------------------------

interface MemoryJob {
  id: string;
  name: string;
  data: unknown;
  state: JobState['state'];
  progress: number;
  attempts: number;
  maxAttempts: number;
  backoffMs: number;
  failedReason?: string;
  timer?: NodeJS.Timeout;
}

interface MemoryWorker {
  handler: JobHandler<unknown>;
  concurrency: number;
  active: number;
}

export interface MemoryQueueOptions {
  /** Finished jobs kept per name for getJob()/counts() (default 1000). */
  keepFinished?: number;
}

export function createMemoryQueue<Jobs extends Record<string, unknown> = Record<string, unknown>>(
  options: MemoryQueueOptions = {},
): JobQueue<Jobs> {
  const keepFinished = options.keepFinished ?? 1000;
  const jobs = new Map<string, Map<string, MemoryJob>>();
  const finished = new Map<string, MemoryJob[]>();
  const waiting = new Map<string, MemoryJob[]>();
  const workers = new Map<string, MemoryWorker>();
  const running = new Set<Promise<void>>();
  const idleWaiters = new Set<() => void>();
  let failures: JobFailure[] = [];
  let unfinished = 0;
  let closing: Promise<void> | undefined;

  const listFor = <T>(map: Map<string, T[]>, name: string) => {
    let list = map.get(name);
    if (!list) map.set(name, (list = []));
    return list;
  };
  const jobsFor = (name: string) => {
    let byId = jobs.get(name);
    if (!byId) jobs.set(name, (byId = new Map()));
    return byId;
  };

  const schedulePump = (name: string) => setImmediate(() => pump(name));

  const makeWaiting = (job: MemoryJob) => {
    job.timer = undefined;
    job.state = 'waiting';
    listFor(waiting, job.name).push(job);
  };

  const delay = (job: MemoryJob, ms: number) => {
    job.state = 'delayed';
    job.timer = setTimeout(() => {
      makeWaiting(job);
      pump(job.name);
    }, ms).unref();
  };

  const finish = (job: MemoryJob, state: 'completed' | 'failed') => {
    job.state = state;
    unfinished -= 1;
    const kept = listFor(finished, job.name);
    kept.push(job);
    while (kept.length > keepFinished) {
      const evicted = kept.shift()!;
      const byId = jobsFor(evicted.name);
      if (byId.get(evicted.id) === evicted) byId.delete(evicted.id);
    }
  };

  const notifyIfIdle = () => {
    if (unfinished === 0) for (const settle of [...idleWaiters]) settle();
  };

  const run = (job: MemoryJob, worker: MemoryWorker) => {
    worker.active += 1;
    job.state = 'active';
    job.attempts += 1;
    const context: JobContext<unknown> = {
      id: job.id,
      name: job.name,
      data: job.data,
      attempt: job.attempts,
      progress: async (percent) => {
        job.progress = percent;
      },
    };
    const execute = async () => {
      try {
        await worker.handler(context);
        finish(job, 'completed');
      } catch (error) {
        job.failedReason = errorMessage(error);
        if (job.attempts < job.maxAttempts) {
          // While closing the retry is dropped with the rest of the backlog.
          if (!closing) delay(job, job.backoffMs * 2 ** (job.attempts - 1));
          else job.state = 'delayed';
        } else {
          finish(job, 'failed');
          failures.push({ name: job.name, id: job.id, reason: job.failedReason });
        }
      } finally {
        worker.active -= 1;
        pump(job.name);
        notifyIfIdle();
      }
    };
    const done = execute();
    running.add(done);
    void done.then(() => running.delete(done));
  };

  function pump(name: string) {
    const worker = workers.get(name);
    const backlog = waiting.get(name);
    if (!worker || !backlog || closing) return;
    while (worker.active < worker.concurrency && backlog.length > 0) run(backlog.shift()!, worker);
  }

  const countsFor = (name: string): QueueCounts => {
    const counts: QueueCounts = { waiting: 0, active: 0, delayed: 0, failed: 0, completed: 0 };
    for (const job of jobs.get(name)?.values() ?? []) if (job.state !== 'unknown') counts[job.state] += 1;
    return counts;
  };

  return {
    driver: 'memory',

    async enqueue(name, payload, enqueueOptions: EnqueueOptions = {}) {
      if (closing) throw new Error('job queue is closed');
      if (enqueueOptions.jobId !== undefined) assertJobId(enqueueOptions.jobId);
      const id = enqueueOptions.jobId ?? randomUUID();
      const byId = jobsFor(name);
      const existing = byId.get(id);
      if (existing && isPending(existing.state)) return id;
      const job: MemoryJob = {
        id,
        name,
        data: payload,
        state: 'waiting',
        progress: 0,
        attempts: 0,
        maxAttempts: Math.max(1, enqueueOptions.attempts ?? DEFAULT_ATTEMPTS),
        backoffMs: enqueueOptions.backoffMs ?? DEFAULT_BACKOFF_MS,
      };
      byId.set(id, job);
      unfinished += 1;
      if (enqueueOptions.delayMs && enqueueOptions.delayMs > 0) {
        delay(job, enqueueOptions.delayMs);
      } else {
        makeWaiting(job);
        // The job runs on a later turn of the event loop, never inside the caller's enqueue.
        schedulePump(name);
      }
      return id;
    },

    process(name, handler, processOptions = {}) {
      if (closing) throw new Error('job queue is closed');
      if (workers.has(name)) throw new Error(`a handler for job "${name}" is already registered`);
      workers.set(name, {
        handler: handler as JobHandler<unknown>,
        concurrency: Math.max(1, processOptions.concurrency ?? 1),
        active: 0,
      });
      schedulePump(name);
    },

    async getJob(name, id) {
      const job = jobs.get(name)?.get(id);
      if (!job) return undefined;
      const { state, progress, attempts, failedReason } = job;
      return { id, name, state, progress, attempts, ...(failedReason !== undefined && { failedReason }) };
    },

    async counts() {
      const names = new Set([...jobs.keys(), ...workers.keys()]);
      return Object.fromEntries([...names].map((name) => [name, countsFor(name)]));
    },

    whenIdle(timeoutMs = DEFAULT_IDLE_TIMEOUT_MS) {
      return new Promise<void>((resolve, reject) => {
        const settle = () => {
          clearTimeout(timer);
          idleWaiters.delete(settle);
          const failed = failures;
          failures = [];
          if (failed.length > 0) reject(new JobsFailedError(failed));
          else resolve();
        };
        // Not unref'd: whoever awaits whenIdle() wants the process alive until it settles.
        const timer = setTimeout(() => {
          idleWaiters.delete(settle);
          reject(new Error(`job queue not idle after ${timeoutMs} ms (${unfinished} job(s) unfinished)`));
        }, timeoutMs);
        idleWaiters.add(settle);
        notifyIfIdle();
      });
    },

    close(timeoutMs = DEFAULT_CLOSE_TIMEOUT_MS) {
      closing ??= (async () => {
        for (const byId of jobs.values()) for (const job of byId.values()) clearTimeout(job.timer);
        let timer: NodeJS.Timeout | undefined;
        const timedOut = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
        await Promise.race([Promise.allSettled(running), timedOut]);
        clearTimeout(timer);
      })();
      return closing;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// BullMQ: one Redis queue per job name, workers in whichever processes call process().
// ---------------------------------------------------------------------------------------------

const KEEP_COMPLETED = { age: 24 * 3600, count: 1000 };
const KEEP_FAILED = { age: 7 * 24 * 3600, count: 5000 };
const IDLE_POLL_MS = 50;

export interface BullQueueOptions {
  /** A redis:// URL or ioredis-style options. */
  connection: string | RedisOptions;
  /** Namespaces every BullMQ key (BullMQ's default is "bull"). */
  prefix?: string;
  /** Connection and worker errors; BullMQ retries on its own, so these are for logs. */
  onError?: (error: Error) => void;
}

function toJobState(state: Awaited<ReturnType<Job['getState']>>): JobState['state'] {
  switch (state) {
    case 'waiting':
    case 'prioritized':
    case 'waiting-children':
      return 'waiting';
    case 'active':
    case 'delayed':
    case 'completed':
    case 'failed':
    case 'unknown':
      return state;
  }
}

export function createBullQueue<Jobs extends Record<string, unknown> = Record<string, unknown>>(
  options: BullQueueOptions,
): JobQueue<Jobs> {
  const prefix = options.prefix ?? 'bull';
  const onError = options.onError ?? ((error: Error) => console.error('job queue error', error));
  const connection: RedisOptions =
    typeof options.connection === 'string' ? { url: options.connection } : options.connection;
  // Workers block on Redis while waiting for jobs, so BullMQ requires them not to give up on a
  // command; queues (producers) keep ioredis' default and fail a request after a few retries.
  const workerConnection: RedisOptions = { ...connection, maxRetriesPerRequest: null };

  const queues = new Map<string, Queue>();
  const workers = new Map<string, Worker>();
  let failuresSince = Date.now();
  let closing: Promise<void> | undefined;

  const queueFor = (name: string) => {
    let queue = queues.get(name);
    if (!queue) {
      if (closing) throw new Error('job queue is closed');
      queue = new Queue(name, { connection, prefix });
      queue.on('error', onError);
      queues.set(name, queue);
    }
    return queue;
  };

  const pendingCount = async () => {
    let pending = 0;
    for (const queue of queues.values()) {
      const counts = await queue.getJobCounts('waiting', 'prioritized', 'waiting-children', 'active', 'delayed');
      pending += Object.values(counts).reduce((sum, n) => sum + n, 0);
    }
    return pending;
  };

  const failuresAfter = async (since: number) => {
    const failed: JobFailure[] = [];
    for (const [name, queue] of queues) {
      // Newest first; retention keeps far more than any test or drain produces between calls.
      for (const job of await queue.getFailed(0, 999)) {
        if ((job.finishedOn ?? 0) < since) break;
        failed.push({ name, id: job.id ?? '?', reason: job.failedReason });
      }
    }
    return failed;
  };

  return {
    driver: 'bullmq',

    async enqueue(name, payload, enqueueOptions: EnqueueOptions = {}) {
      if (closing) throw new Error('job queue is closed');
      const queue = queueFor(name);
      const { jobId } = enqueueOptions;
      if (jobId !== undefined) {
        assertJobId(jobId);
        // BullMQ refuses an id it still holds, finished or not; only a pending job should block it.
        const existing = await queue.getJob(jobId);
        if (existing) {
          if (isPending(toJobState(await existing.getState()))) return jobId;
          await queue.remove(jobId);
        }
      }
      const job = await queue.add(name, payload, {
        jobId,
        delay: enqueueOptions.delayMs,
        attempts: Math.max(1, enqueueOptions.attempts ?? DEFAULT_ATTEMPTS),
        backoff: { type: 'exponential', delay: enqueueOptions.backoffMs ?? DEFAULT_BACKOFF_MS },
        removeOnComplete: KEEP_COMPLETED,
        removeOnFail: KEEP_FAILED,
      });
      return job.id!;
    },

    process(name, handler, processOptions = {}) {
      if (closing) throw new Error('job queue is closed');
      if (workers.has(name)) throw new Error(`a handler for job "${name}" is already registered`);
      queueFor(name);
      const worker = new Worker(
        name,
        async (job: Job) => {
          await handler({
            id: job.id!,
            name,
            data: job.data as Jobs[typeof name],
            attempt: job.attemptsMade + 1,
            progress: (percent) => job.updateProgress(percent),
          });
        },
        { connection: workerConnection, prefix, concurrency: Math.max(1, processOptions.concurrency ?? 1) },
      );
      worker.on('error', onError);
      workers.set(name, worker);
    },

    async getJob(name, id) {
      const job = await queueFor(name).getJob(id);
      if (!job) return undefined;
      const state = toJobState(await job.getState());
      return {
        id,
        name,
        state,
        progress: typeof job.progress === 'number' ? job.progress : 0,
        attempts: job.attemptsStarted,
        ...(job.failedReason && { failedReason: job.failedReason }),
      };
    },

    async counts() {
      const result: Record<string, QueueCounts> = {};
      for (const [name, queue] of queues) {
        const c = await queue.getJobCounts(
          'waiting',
          'prioritized',
          'waiting-children',
          'active',
          'delayed',
          'failed',
          'completed',
        );
        result[name] = {
          waiting: (c.waiting ?? 0) + (c.prioritized ?? 0) + (c['waiting-children'] ?? 0),
          active: c.active ?? 0,
          delayed: c.delayed ?? 0,
          failed: c.failed ?? 0,
          completed: c.completed ?? 0,
        };
      }
      return result;
    },

    async whenIdle(timeoutMs = DEFAULT_IDLE_TIMEOUT_MS) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const checkedAt = Date.now();
        const pending = await pendingCount();
        if (pending === 0) {
          const failed = await failuresAfter(failuresSince);
          failuresSince = checkedAt;
          if (failed.length > 0) throw new JobsFailedError(failed);
          return;
        }
        if (Date.now() >= deadline) {
          throw new Error(`job queue not idle after ${timeoutMs} ms (${pending} job(s) unfinished)`);
        }
        await sleep(IDLE_POLL_MS);
      }
    },

    close(timeoutMs = DEFAULT_CLOSE_TIMEOUT_MS) {
      closing ??= (async () => {
        const stopping = Promise.all([...workers.values()].map((worker) => worker.close()));
        let timer: NodeJS.Timeout | undefined;
        const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
        const outcome = await Promise.race([stopping, timedOut]);
        clearTimeout(timer);
        if (outcome === 'timeout') {
          // Jobs still running lose their lock and are picked up again as stalled by another worker.
          stopping.catch(onError);
          await Promise.all([...workers.values()].map((worker) => worker.disconnect()));
        }
        await Promise.all([...queues.values()].map((queue) => queue.close()));
      })();
      return closing;
    },
  };
}
