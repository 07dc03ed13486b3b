import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseConfig } from '@kush/config';
import { ensureAdmin, startApi, type RunningApi } from '@kush/api';
import { makeClip } from '../../apps/api/src/testing/media-fixtures';
import { ensureWebBuild, freePort, startWebServer, type WebServer } from './web-server';

export interface Platform {
  api: RunningApi;
  web: WebServer;
  stop(): Promise<void>;
}

/**
 * The real API (embedded defaults, a fresh data directory) and the built web app in front of it,
 * so pages and the /api proxy are same-origin as in production.
 */
export async function startPlatform(env: Record<string, string> = {}): Promise<Platform> {
  await ensureWebBuild();
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'kf-e2e-'));
  const webPort = await freePort();
  const config = parseConfig({
    DATA_DIR: dataDir,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    WEB_URL: `http://127.0.0.1:${webPort}`,
    SAMPLE_CONTENT: 'false',
    ...env,
  });
  const api = await startApi(config);
  const web = await startWebServer({ apiUrl: api.url, port: webPort });
  return {
    api,
    web,
    async stop() {
      await web.stop();
      await api.stop();
      await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}

export interface StaffUpload {
  videoId: string;
  /** The staff account's bearer header (with a JSON content type) for further admin calls. */
  auth: { authorization: string; 'content-type': string };
}

/**
 * A staff account signs in through the web app's /api proxy, sends a generated clip to the signed
 * URL the console uses, completes the upload and waits for the transcode: a ready video to play.
 */
export async function uploadClipAsStaff(
  platform: Platform,
  options: { email: string; seconds: number; filename: string },
): Promise<StaffUpload> {
  const { api, web } = platform;
  const password = 'an e2e staff password';
  await ensureAdmin(api.ctx.db.db, options.email, { password });
  const login = await fetch(`${web.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ identifier: options.email, password, tokenDelivery: 'body' }),
  });
  const { accessToken } = (await login.json()) as { accessToken: string };
  const auth = { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' };
  const clip = (await makeClip({ seconds: options.seconds, width: 640, height: 360 })).bytes;
  const created = (await (
    await fetch(`${web.url}/api/v1/admin/videos`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ filename: options.filename, contentType: 'video/mp4', size: clip.length }),
    })
  ).json()) as { video: { id: string }; upload: { url: string; headers: Record<string, string> } };
  const put = await fetch(created.upload.url, { method: 'PUT', headers: created.upload.headers, body: clip });
  if (put.status !== 200) throw new Error(`upload PUT answered ${put.status}`);
  const complete = await fetch(`${web.url}/api/v1/admin/videos/${created.video.id}/upload/complete`, {
    method: 'POST',
    headers: { authorization: auth.authorization },
  });
  if (complete.status !== 200) throw new Error(`upload complete answered ${complete.status}`);
  await api.ctx.infra.queue.whenIdle(180_000);
  return { videoId: created.video.id, auth };
}
