import type { JobPayloads } from '@kush/contracts';
import type { JobQueue } from '@kush/infra';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { schedulePeriodicJobs } from './processors';

afterEach(() => {
  vi.useRealTimers();
});

function recordingQueue(fail = false) {
  const enqueued: { name: string; jobId?: string }[] = [];
  const queue = {
    enqueue: async (name: string, _payload: unknown, options?: { jobId?: string }) => {
      if (fail) throw new Error('redis down');
      enqueued.push({ name, jobId: options?.jobId });
      return options?.jobId ?? name;
    },
  } as unknown as JobQueue<JobPayloads>;
  return { queue, enqueued, count: (name: string) => enqueued.filter((e) => e.name === name).length };
}

describe('schedulePeriodicJobs', () => {
  it('enqueues catalog.publish-due every minute and catalog.refresh-popularity every ten, until stopped', async () => {
    vi.useFakeTimers();
    const { queue, enqueued, count } = recordingQueue();
    const stop = schedulePeriodicJobs(queue);
    // Once at start, so a restart catches up at once.
    expect(count('catalog.publish-due')).toBe(1);
    expect(count('catalog.refresh-popularity')).toBe(1);

    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(count('catalog.publish-due')).toBe(11);
    expect(count('catalog.refresh-popularity')).toBe(2);
    // A fixed id per job keeps at most one of each pending across processes.
    expect(enqueued.find((e) => e.name === 'catalog.publish-due')?.jobId).toBe('catalog-publish-due');

    stop();
    const total = enqueued.length;
    await vi.advanceTimersByTimeAsync(60 * 60_000);
    expect(enqueued).toHaveLength(total);
  });

  it('reports a failed enqueue instead of throwing', async () => {
    const errors: unknown[] = [];
    const stop = schedulePeriodicJobs(recordingQueue(true).queue, (error) => errors.push(error));
    await new Promise((resolve) => setImmediate(resolve));
    stop();
    expect(errors.length).toBeGreaterThan(0);
  });
});
