import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createInfra } from './index';
import { drivers, openRedis, redisUrl, uniquePrefix, waitFor } from './test-support';

type Jobs = { 'email.send': { to: string } };

describe.each(drivers)('createInfra (%s)', (driver) => {
  let outboxDir: string;
  let keyPrefix: string;

  beforeEach(async () => {
    outboxDir = await mkdtemp(path.join(tmpdir(), 'kf-infra-'));
    keyPrefix = uniquePrefix();
  });

  afterEach(async () => {
    await rm(outboxDir, { recursive: true, force: true });
    if (driver === 'redis') await openRedis(keyPrefix).cleanup();
  });

  it('wires every part to the configured driver and closes cleanly', async () => {
    const infra = createInfra<Jobs>({
      redisUrl: driver === 'redis' ? redisUrl : undefined,
      keyPrefix,
      outboxDir,
      mailFrom: 'no-reply@kushfilms.test',
    });
    expect(infra.queue.driver).toBe(driver === 'redis' ? 'bullmq' : 'memory');
    expect(infra.mailer.driver).toBe('outbox');
    expect(infra.redis !== undefined).toBe(driver === 'redis');
    expect(await infra.pingRedis()).toBe(true);

    await infra.cache.set('title:1', { slug: 'sanyu' }, 60);
    expect(await infra.cache.get('title:1')).toEqual({ slug: 'sanyu' });
    expect((await infra.rateLimiter.consume('ip:1', 1, 60)).allowed).toBe(true);
    expect((await infra.rateLimiter.consume('ip:1', 1, 60)).allowed).toBe(false);

    const invalidations: string[] = [];
    await infra.pubsub.subscribe('catalog', (m) => invalidations.push(m));
    await infra.pubsub.publish('catalog', 'title:1');
    await waitFor(() => invalidations.length === 1);

    infra.queue.process('email.send', async (job) => {
      await infra.mailer.send({ to: job.data.to, subject: 'Welcome', text: 'Karibu' });
    });
    await infra.queue.enqueue('email.send', { to: 'viewer@example.com' });
    await infra.queue.whenIdle(10_000);
    expect(await readdir(outboxDir)).toHaveLength(1);

    if (infra.redis) expect(await infra.redis.keys(`${keyPrefix}:*`)).not.toHaveLength(0);
    await infra.close();
  });
});

describe('createInfra', () => {
  it('chooses SMTP when smtpUrl is set', async () => {
    const infra = createInfra({ outboxDir: tmpdir(), smtpUrl: 'smtp://127.0.0.1:2525', mailFrom: 'a@b.test' });
    expect(infra.mailer.driver).toBe('smtp');
    await infra.close();
  });

  it('reports Redis as not ready when it cannot be reached, and still closes', async () => {
    const errors: Error[] = [];
    const infra = createInfra({
      redisUrl: 'redis://127.0.0.1:1',
      outboxDir: tmpdir(),
      mailFrom: 'a@b.test',
      onError: (error) => errors.push(error),
    });
    expect(await infra.pingRedis(200)).toBe(false);
    await infra.close();
    expect(errors.length).toBeGreaterThan(0);
  });
});
