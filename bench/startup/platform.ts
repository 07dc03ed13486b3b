/**
 * The real platform for the start-up benchmark: the API in this process on the embedded defaults
 * (PGlite, in-memory queue running the transcode job, local storage serving the media itself) in a
 * temporary DATA_DIR, one title uploaded and transcoded through the API, and the production web
 * app (`next start`) in front of it, so the page, the playback call and the stream are same-origin
 * through the web app's /api proxy.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ensureAdmin, startApi, type RunningApi } from '@kush/api';
import { parseConfig } from '@kush/config';
import { insertTitle } from '../../apps/api/src/testing/catalog-rows';
import { ensureWebBuild, freePort, startWebServer, type WebServer } from '../../e2e/support/web-server';
import { onInterrupt } from '../lib/cleanup';
import { type ClipSpec, ensureClip } from '../lib/clips';

/** The sample title's source: ~30 s of 720p, uploaded as a single PUT. */
export const STARTUP_CLIP: ClipSpec = { width: 1280, height: 720, fps: 25, seconds: 30 };

export interface VideoInfo {
  id: string;
  status: string;
  progress: number;
  failure: { code: string; message: string } | null;
  durationSeconds: number | null;
  renditions: { label: string; height: number; bandwidth: number; averageBandwidth?: number; totalBytes: number }[];
}

export interface Platform {
  webUrl: string;
  apiUrl: string;
  titleId: string;
  video: VideoInfo;
  /** Seconds from upload/complete to status ready (the API's own transcode of the sample). */
  transcodeSeconds: number;
  stop(): Promise<void>;
}

const ADMIN_EMAIL = 'bench-admin@kushfilms.com';
const ADMIN_PASSWORD = 'a bench admin password, not a real one';

async function json<T>(res: Response, what: string, expected: number): Promise<T> {
  const body = await res.text();
  if (res.status !== expected)
    throw new Error(`${what}: expected ${expected}, got ${res.status}: ${body.slice(0, 500)}`);
  return (body ? JSON.parse(body) : undefined) as T;
}

/** Upload → complete → wait for ready, through the API exactly as videos.test.ts does it. */
async function uploadAndTranscode(apiUrl: string, clip: string, log: (line: string) => void) {
  const login = await json<{ accessToken: string }>(
    await fetch(`${apiUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ identifier: ADMIN_EMAIL, password: ADMIN_PASSWORD, tokenDelivery: 'body' }),
    }),
    'sign in',
    200,
  );
  const auth = { authorization: `Bearer ${login.accessToken}` };
  const bytes = await fs.readFile(clip);
  const created = await json<{
    video: { id: string };
    upload: { mode: string; url?: string; headers?: Record<string, string> };
  }>(
    await fetch(`${apiUrl}/api/v1/admin/videos`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ filename: path.basename(clip), contentType: 'video/mp4', size: bytes.length }),
    }),
    'create upload',
    201,
  );
  if (created.upload.mode !== 'single' || !created.upload.url) {
    throw new Error(`expected a single-PUT upload for ${bytes.length} bytes, got mode ${created.upload.mode}`);
  }
  // The signed URL names the API's public origin; send it to this API (path and signature unchanged).
  const signed = new URL(created.upload.url);
  await json(
    await fetch(`${apiUrl}${signed.pathname}${signed.search}`, {
      method: 'PUT',
      headers: { ...created.upload.headers, 'content-length': String(bytes.length) },
      body: bytes,
    }),
    'PUT to the signed upload URL',
    200,
  );
  const id = created.video.id;
  await json(
    await fetch(`${apiUrl}/api/v1/admin/videos/${id}/upload/complete`, { method: 'POST', headers: auth }),
    'complete upload',
    200,
  );
  const started = Date.now();
  let lastProgress = -1;
  for (;;) {
    const video = await json<VideoInfo>(
      await fetch(`${apiUrl}/api/v1/admin/videos/${id}`, { headers: auth }),
      'video status',
      200,
    );
    if (video.status === 'ready') return { video, transcodeSeconds: (Date.now() - started) / 1000 };
    if (video.status === 'failed')
      throw new Error(`the sample video failed to transcode: ${JSON.stringify(video.failure)}`);
    if (Date.now() - started > 20 * 60_000)
      throw new Error(`the sample video was not ready after 20 min (${video.status})`);
    if (video.progress >= lastProgress + 25) {
      lastProgress = video.progress;
      log(`startup: transcoding the sample: ${video.status} ${video.progress}%`);
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

export async function startPlatform(log: (line: string) => void): Promise<Platform> {
  const clip = await ensureClip(STARTUP_CLIP, (line) => log(`startup: ${line}`));
  const build = await ensureWebBuild();
  if (build.built) log(`startup: built the web app (${build.reason}) in ${(build.ms / 1000).toFixed(0)} s`);

  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'kush-bench-startup-'));
  let api: RunningApi | undefined;
  let web: WebServer | undefined;
  const stop = async () => {
    forget();
    await web?.stop();
    await api?.stop();
    await fs.rm(dataDir, { recursive: true, force: true });
  };
  const forget = onInterrupt(stop);
  try {
    const [apiPort, webPort] = [await freePort(), await freePort()];
    const config = parseConfig({
      // The embedded defaults, whatever the shell says (no DATABASE_URL, REDIS_URL, S3…).
      NODE_ENV: 'development',
      DATA_DIR: dataDir,
      HOST: '127.0.0.1',
      PORT: String(apiPort),
      PUBLIC_API_URL: `http://127.0.0.1:${apiPort}`,
      // Playback URLs are built on WEB_URL: the stream then goes through the web app's /api proxy.
      WEB_URL: `http://127.0.0.1:${webPort}`,
      LOG_LEVEL: 'warn',
      FFMPEG_PATH: process.env.FFMPEG_PATH,
      FFPROBE_PATH: process.env.FFPROBE_PATH,
    });
    api = await startApi(config);
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    await ensureAdmin(api.ctx.db.db, ADMIN_EMAIL, { password: ADMIN_PASSWORD });
    log(`startup: API on ${apiUrl}; uploading ${path.basename(clip)} and waiting for the transcode`);
    const { video, transcodeSeconds } = await uploadAndTranscode(apiUrl, clip, log);
    const title = await insertTitle(api.ctx.db.db, { videoId: video.id, name: 'Bench Start-up Sample' });
    log(
      `startup: ready in ${transcodeSeconds.toFixed(0)} s: ${video.renditions.map((r) => r.label).join(' ')}; ` +
        `title ${title.id}`,
    );
    web = await startWebServer({ apiUrl, port: webPort });
    log(`startup: web app on ${web.url}`);
    return { webUrl: web.url, apiUrl, titleId: title.id, video, transcodeSeconds, stop };
  } catch (err) {
    await stop().catch(() => {});
    throw err;
  }
}
