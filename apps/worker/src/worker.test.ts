import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { videos } from '@kush/db';
import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { signInStaff } from '../../api/src/testing/factories';
import { createTestApp, type TestApp } from '../../api/src/testing/harness';
import { makeClip } from '../../api/src/testing/media-fixtures';
import { uploadAndComplete } from '../../api/src/testing/uploads';

/**
 * Separate worker processes on PostgreSQL + Redis, as in production. Runs when TEST_DATABASE_URL and
 * TEST_REDIS_URL are set (CI sets both).
 */
const enabled = !!process.env.TEST_DATABASE_URL && !!process.env.TEST_REDIS_URL;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

describe.skipIf(!enabled)('a worker killed in the middle of a transcode', () => {
  let t: TestApp;
  const workers: ChildProcess[] = [];
  afterAll(async () => {
    for (const w of workers) if (w.exitCode === null) w.kill('SIGKILL');
    await t?.close();
  });

  const startWorker = () => {
    const worker = spawn(process.execPath, ['--import', 'tsx', 'apps/worker/src/main.ts'], {
      cwd: root,
      env: {
        ...process.env,
        NODE_ENV: 'test',
        DATABASE_URL: t.databaseUrl,
        REDIS_URL: process.env.TEST_REDIS_URL,
        REDIS_KEY_PREFIX: t.keyPrefix,
        DATA_DIR: t.config.DATA_DIR,
        TRANSCODE_PRESET: 'ultrafast',
        LOG_LEVEL: 'warn',
      },
      stdio: 'ignore',
    });
    workers.push(worker);
    return worker;
  };

  const state = async (id: string) => (await t.ctx.db.db.select().from(videos).where(eq(videos.id, id)))[0]!;
  const until = async (id: string, ok: (v: Awaited<ReturnType<typeof state>>) => boolean, timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = await state(id);
      if (ok(v)) return v;
      if (Date.now() > deadline) throw new Error(`video stayed ${v.status} (${v.progress}%)`);
      await new Promise((r) => setTimeout(r, 250));
    }
  };

  it('ends with the video ready once another worker starts', async () => {
    t = await createTestApp({ backing: 'servers', processJobs: false });
    const staff = await signInStaff(t, ['content_manager']);
    // Long enough that the first worker is still transcoding when it is killed.
    const clip = (await makeClip({ seconds: 40, width: 640, height: 360 })).bytes;
    const id = await uploadAndComplete(t, staff, clip);

    const first = startWorker();
    await until(id, (v) => v.status === 'processing', 60_000);
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    expect((await state(id)).status).toBe('processing');

    // The job's lock expires and BullMQ hands it to the new worker (or the reconciler re-queues it).
    const second = startWorker();
    const ready = await until(id, (v) => v.status === 'ready' || v.status === 'failed', 200_000);
    expect(ready.status).toBe('ready');
    expect(ready.attempts).toBeGreaterThanOrEqual(2);
    second.kill('SIGTERM');
  }, 300_000);
});
