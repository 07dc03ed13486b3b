import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createBullQueue, createMemoryQueue, JobsFailedError } from './queue';
import { deferred, drivers, openRedis, redisUrl, uniquePrefix, waitFor } from './test-support';
import { type JobQueue } from './types';

type TestJobs = {
  'email.send': { to: string };
  'video.transcode': { videoId: string };
};

describe.each(drivers)('job queue (%s)', (driver) => {
  let queue: JobQueue<TestJobs>;
  let prefix: string;

  const openQueue = () =>
    driver === 'redis' ? createBullQueue<TestJobs>({ connection: redisUrl!, prefix }) : createMemoryQueue<TestJobs>();

  beforeEach(() => {
    prefix = uniquePrefix();
    queue = openQueue();
  });

  afterEach(async () => {
    await queue.close(5000);
    if (driver === 'redis') await openRedis(prefix).cleanup();
  });

  it('reports its driver', () => {
    expect(queue.driver).toBe(driver === 'redis' ? 'bullmq' : 'memory');
  });

  it('runs a job with its payload and completes it', async () => {
    const seen: unknown[] = [];
    queue.process('email.send', async (job) => {
      seen.push({ name: job.name, data: job.data, attempt: job.attempt });
    });
    const id = await queue.enqueue('email.send', { to: 'a@example.com' });
    await queue.whenIdle(10_000);
    expect(seen).toEqual([{ name: 'email.send', data: { to: 'a@example.com' }, attempt: 1 }]);
    expect(await queue.getJob('email.send', id)).toMatchObject({ id, state: 'completed', attempts: 1 });
  });

  it('holds jobs enqueued before a handler is registered until one is', async () => {
    const id = await queue.enqueue('email.send', { to: 'early@example.com' });
    expect(await queue.getJob('email.send', id)).toMatchObject({ state: 'waiting' });
    await expect(queue.whenIdle(200)).rejects.toThrow(/not idle/);
    const seen: string[] = [];
    queue.process('email.send', async (job) => {
      seen.push(job.data.to);
    });
    await queue.whenIdle(10_000);
    expect(seen).toEqual(['early@example.com']);
  });

  it('retries with backoff, then succeeds', async () => {
    const attempts: number[] = [];
    queue.process('video.transcode', async (job) => {
      attempts.push(job.attempt);
      if (job.attempt < 3) throw new Error(`ffmpeg crashed on try ${job.attempt}`);
    });
    const id = await queue.enqueue('video.transcode', { videoId: 'v1' }, { attempts: 4, backoffMs: 20 });
    await queue.whenIdle(10_000);
    expect(attempts).toEqual([1, 2, 3]);
    expect(await queue.getJob('video.transcode', id)).toMatchObject({ state: 'completed', attempts: 3 });
  });

  it('waits out the backoff as a delayed job between tries', async () => {
    const firstTry = deferred();
    queue.process('video.transcode', async (job) => {
      if (job.attempt === 1) {
        firstTry.resolve();
        throw new Error('transient');
      }
    });
    const id = await queue.enqueue('video.transcode', { videoId: 'v1' }, { attempts: 2, backoffMs: 60_000 });
    await firstTry.promise;
    await waitFor(async () => (await queue.getJob('video.transcode', id))?.state === 'delayed');
    expect(await queue.getJob('video.transcode', id)).toMatchObject({ failedReason: 'transient', attempts: 1 });
  });

  it('surfaces a permanent failure from whenIdle once, naming the job', async () => {
    queue.process('video.transcode', async (job) => {
      if (job.data.videoId === 'broken') throw new Error('corrupt source');
    });
    const ok = await queue.enqueue('video.transcode', { videoId: 'fine' }, { attempts: 1 });
    const bad = await queue.enqueue('video.transcode', { videoId: 'broken' }, { attempts: 2, backoffMs: 10 });
    const failure = await queue.whenIdle(10_000).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(JobsFailedError);
    expect((failure as JobsFailedError).failures).toEqual([
      { name: 'video.transcode', id: bad, reason: 'corrupt source' },
    ]);
    expect((failure as Error).message).toContain(bad);
    expect(await queue.getJob('video.transcode', bad)).toMatchObject({
      state: 'failed',
      attempts: 2,
      failedReason: 'corrupt source',
    });
    expect(await queue.getJob('video.transcode', ok)).toMatchObject({ state: 'completed' });
    await expect(queue.whenIdle(10_000)).resolves.toBeUndefined();
  });

  it('dedupes by jobId while queued or running, and accepts the id again once finished', async () => {
    const runs: string[] = [];
    const first = await queue.enqueue('email.send', { to: 'one@example.com' }, { jobId: 'welcome-u1' });
    const again = await queue.enqueue('email.send', { to: 'two@example.com' }, { jobId: 'welcome-u1' });
    expect([first, again]).toEqual(['welcome-u1', 'welcome-u1']);
    expect((await queue.counts())['email.send']).toMatchObject({ waiting: 1 });
    queue.process('email.send', async (job) => {
      runs.push(job.data.to);
    });
    await queue.whenIdle(10_000);
    expect(runs).toEqual(['one@example.com']);

    await queue.enqueue('email.send', { to: 'three@example.com' }, { jobId: 'welcome-u1' });
    await queue.whenIdle(10_000);
    expect(runs).toEqual(['one@example.com', 'three@example.com']);
  });

  it('dedupes while the job is running', async () => {
    const started = deferred();
    const release = deferred();
    let runs = 0;
    queue.process('email.send', async () => {
      runs += 1;
      started.resolve();
      await release.promise;
    });
    await queue.enqueue('email.send', { to: 'a@example.com' }, { jobId: 'receipt-p1' });
    await started.promise;
    await queue.enqueue('email.send', { to: 'a@example.com' }, { jobId: 'receipt-p1' });
    release.resolve();
    await queue.whenIdle(10_000);
    expect(runs).toBe(1);
  });

  it('refuses job ids BullMQ cannot store, on every driver', async () => {
    await expect(queue.enqueue('email.send', { to: 'a' }, { jobId: '42' })).rejects.toThrow(/invalid jobId/);
    await expect(queue.enqueue('email.send', { to: 'a' }, { jobId: 'email:1' })).rejects.toThrow(/invalid jobId/);
  });

  it('records progress reported by the handler', async () => {
    const halfway = deferred();
    const release = deferred();
    queue.process('video.transcode', async (job) => {
      await job.progress(50);
      halfway.resolve();
      await release.promise;
      await job.progress(100);
    });
    const id = await queue.enqueue('video.transcode', { videoId: 'v1' });
    await halfway.promise;
    expect(await queue.getJob('video.transcode', id)).toMatchObject({ state: 'active', progress: 50 });
    release.resolve();
    await queue.whenIdle(10_000);
    expect(await queue.getJob('video.transcode', id)).toMatchObject({ state: 'completed', progress: 100 });
  });

  it('holds a delayed job until its delay passes', async () => {
    const ran: string[] = [];
    queue.process('email.send', async (job) => {
      ran.push(job.id);
    });
    const id = await queue.enqueue('email.send', { to: 'later@example.com' }, { delayMs: 300 });
    expect(await queue.getJob('email.send', id)).toMatchObject({ state: 'delayed' });
    expect((await queue.counts())['email.send']).toMatchObject({ delayed: 1 });
    await queue.whenIdle(10_000);
    expect(ran).toEqual([id]);
    expect(await queue.getJob('email.send', id)).toMatchObject({ state: 'completed' });
  });

  it('runs no more jobs of a name at once than its concurrency', async () => {
    const release = deferred();
    let active = 0;
    let maxActive = 0;
    let done = 0;
    queue.process(
      'video.transcode',
      async () => {
        active += 1;
        maxActive = Math.max(maxActive, active);
        await release.promise;
        active -= 1;
        done += 1;
      },
      { concurrency: 2 },
    );
    for (let i = 0; i < 6; i++) await queue.enqueue('video.transcode', { videoId: `v${i}` });
    await waitFor(() => active === 2);
    expect((await queue.counts())['video.transcode']).toMatchObject({ active: 2, waiting: 4 });
    release.resolve();
    await queue.whenIdle(10_000);
    expect(done).toBe(6);
    expect(maxActive).toBe(2);
  });

  it('counts jobs by name and state', async () => {
    queue.process('email.send', async () => {});
    await queue.enqueue('email.send', { to: 'a' });
    await queue.enqueue('video.transcode', { videoId: 'v1' });
    await waitFor(async () => (await queue.counts())['email.send']?.completed === 1);
    expect(await queue.counts()).toEqual({
      'email.send': { waiting: 0, active: 0, delayed: 0, failed: 0, completed: 1 },
      'video.transcode': { waiting: 1, active: 0, delayed: 0, failed: 0, completed: 0 },
    });
  });

  it('returns undefined for an unknown job', async () => {
    expect(await queue.getJob('email.send', 'no-such-job')).toBeUndefined();
  });

  it('close waits for a running job, then refuses new work', async () => {
    const started = deferred();
    let finished = false;
    queue.process('video.transcode', async () => {
      started.resolve();
      await new Promise((resolve) => setTimeout(resolve, 200));
      finished = true;
    });
    await queue.enqueue('video.transcode', { videoId: 'v1' });
    await started.promise;
    await queue.close(10_000);
    expect(finished).toBe(true);
    await expect(queue.enqueue('video.transcode', { videoId: 'v2' })).rejects.toThrow(/closed/);
    expect(() => queue.process('email.send', async () => {})).toThrow(/closed/);
  });

  it('close gives up on a job that outlives the timeout', async () => {
    const started = deferred();
    const never = deferred();
    queue.process('video.transcode', async () => {
      started.resolve();
      await never.promise;
    });
    await queue.enqueue('video.transcode', { videoId: 'stuck' });
    await started.promise;
    await queue.close(100);
    never.resolve();
  });

  it('refuses a second handler for the same name', () => {
    queue.process('email.send', async () => {});
    expect(() => queue.process('email.send', async () => {})).toThrow(/already registered/);
  });
});

describe('memory job queue', () => {
  it('never runs a job inside the enqueue call', async () => {
    const queue = createMemoryQueue<TestJobs>();
    let ran = false;
    queue.process('email.send', async () => {
      ran = true;
    });
    const enqueued = queue.enqueue('email.send', { to: 'a' });
    expect(ran).toBe(false);
    await enqueued;
    await queue.whenIdle();
    expect(ran).toBe(true);
    await queue.close();
  });

  it('doubles the backoff each retry', async () => {
    vi.useFakeTimers();
    try {
      const queue = createMemoryQueue<TestJobs>();
      const attempts: number[] = [];
      queue.process('email.send', async (job) => {
        attempts.push(job.attempt);
        throw new Error('smtp down');
      });
      const id = await queue.enqueue('email.send', { to: 'a' }, { attempts: 4, backoffMs: 100 });
      const triesAfter = async (ms: number) => {
        await vi.advanceTimersByTimeAsync(ms);
        return attempts.length;
      };
      expect(await triesAfter(0)).toBe(1);
      expect(await triesAfter(99)).toBe(1);
      expect(await triesAfter(1)).toBe(2);
      expect(await triesAfter(199)).toBe(2);
      expect(await triesAfter(1)).toBe(3);
      expect(await triesAfter(399)).toBe(3);
      expect(await triesAfter(1)).toBe(4);
      expect(await queue.getJob('email.send', id)).toMatchObject({ state: 'failed', attempts: 4 });
      await expect(queue.whenIdle()).rejects.toThrow(JobsFailedError);
      await queue.close();
    } finally {
      vi.useRealTimers();
    }
  });
});

describe.runIf(drivers.includes('redis'))('bullmq queue across processes', () => {
  it('a producer instance sees work done by a worker instance', async () => {
    const prefix = uniquePrefix();
    const producer = createBullQueue<TestJobs>({ connection: redisUrl!, prefix });
    const worker = createBullQueue<TestJobs>({ connection: redisUrl!, prefix });
    const seen: string[] = [];
    worker.process('email.send', async (job) => {
      seen.push(job.data.to);
    });
    const id = await producer.enqueue('email.send', { to: 'remote@example.com' });
    await producer.whenIdle(10_000);
    expect(seen).toEqual(['remote@example.com']);
    expect(await producer.getJob('email.send', id)).toMatchObject({ state: 'completed' });
    await worker.close();
    await producer.close();
    await openRedis(prefix).cleanup();
  });
});
