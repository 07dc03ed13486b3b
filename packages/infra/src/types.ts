/**
 * Shared infrastructure behind one interface each: an in-memory implementation for the embedded
 * single-process default, and a Redis-backed one (ioredis/BullMQ) when REDIS_URL is set.
 */

export interface Cache {
  get<T>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown, ttlSeconds: number): Promise<void>;
  del(...keys: string[]): Promise<void>;
  close(): Promise<void>;
}

export interface RateLimitResult {
  allowed: boolean;
  /** Hits counted in the current window, including this one. */
  count: number;
  remaining: number;
  /** Seconds until the window resets (0 when allowed and fresh). */
  retryAfterSeconds: number;
}

/** Fixed-window counters, atomic across instances when Redis-backed. */
export interface RateLimiter {
  /** Counts one hit against `key` and says whether it is within `limit` for the window. */
  consume(key: string, limit: number, windowSeconds: number): Promise<RateLimitResult>;
  /** Reads the current window without counting a hit. */
  peek(key: string, limit: number, windowSeconds: number): Promise<RateLimitResult>;
  reset(key: string): Promise<void>;
  close(): Promise<void>;
}

export type Unsubscribe = () => Promise<void>;

export interface PubSub {
  publish(channel: string, message: string): Promise<void>;
  subscribe(channel: string, handler: (message: string) => void): Promise<Unsubscribe>;
  close(): Promise<void>;
}

export interface EnqueueOptions {
  /** Deduplicates: a job with the same id that is still queued or running is not added again. */
  jobId?: string;
  delayMs?: number;
  /** Total tries including the first (default 5). */
  attempts?: number;
  /** First retry delay; doubles each retry (default 1000 ms). */
  backoffMs?: number;
}

export interface JobContext<P> {
  id: string;
  name: string;
  data: P;
  /** 1 on the first try. */
  attempt: number;
  progress(percent: number): Promise<void>;
}

export type JobHandler<P> = (job: JobContext<P>) => Promise<void>;

export interface QueueCounts {
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
  completed: number;
}

export interface JobState {
  id: string;
  name: string;
  state: 'waiting' | 'active' | 'delayed' | 'completed' | 'failed' | 'unknown';
  progress: number;
  attempts: number;
  failedReason?: string;
}

/** Typed by a map of job name → payload (see @kush/contracts JobPayloads). */
export interface JobQueue<Jobs extends Record<string, unknown> = Record<string, unknown>> {
  readonly driver: 'memory' | 'bullmq';
  enqueue<N extends keyof Jobs & string>(name: N, payload: Jobs[N], options?: EnqueueOptions): Promise<string>;
  /** Starts consuming `name` in this process (the worker role). */
  process<N extends keyof Jobs & string>(
    name: N,
    handler: JobHandler<Jobs[N]>,
    options?: { concurrency?: number },
  ): void;
  getJob(name: keyof Jobs & string, id: string): Promise<JobState | undefined>;
  counts(): Promise<Record<string, QueueCounts>>;
  /**
   * Resolves when no job is waiting, delayed or running; rejects if any job failed for good
   * since the last call, or after timeoutMs. For tests and graceful drains.
   */
  whenIdle(timeoutMs?: number): Promise<void>;
  /** Stops taking new jobs, lets running ones finish (up to the timeout), then disconnects. */
  close(timeoutMs?: number): Promise<void>;
}

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
}

export interface Mailer {
  readonly driver: 'smtp' | 'outbox';
  send(message: MailMessage): Promise<{ messageId: string }>;
  close(): Promise<void>;
}
