import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseConfig } from '@kush/config';
import { afterEach, describe, expect, it } from 'vitest';
import { startApi, type RunningApi } from './runtime';

let api: RunningApi | undefined;
let dir: string | undefined;
afterEach(async () => {
  await api?.stop();
  if (dir) await fs.rm(dir, { recursive: true, force: true });
  api = undefined;
});

describe('a running API instance', () => {
  it('finishes in-flight requests on shutdown, then refuses new connections', async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'kf-runtime-'));
    api = await startApi(parseConfig({ DATA_DIR: dir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent' }));
    const base = api.url;
    expect((await fetch(`${base}/healthz`)).status).toBe(200);

    // A sign-in spends real time hashing; stop the server while it is being handled.
    const arrived = new Promise<void>((resolve) => api!.app.server.once('request', () => resolve()));
    const inFlight = fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ identifier: 'nobody@example.com', password: 'whatever-password' }),
    });
    await arrived;
    const stopped = api.stop();
    const res = await inFlight;
    expect(res.status).toBe(401);
    expect((await res.json()) as unknown).toMatchObject({ error: { code: 'INVALID_CREDENTIALS' } });
    await stopped;
    await expect(fetch(`${base}/healthz`)).rejects.toThrow();
  });
});
