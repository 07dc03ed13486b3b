/**
 * What the web group loads pages from:
 *
 * - the real API in this process on the embedded defaults (PGlite, memory cache, local storage) in
 *   a temporary DATA_DIR holding the 10,000-title bench catalog (bench/fixtures/catalog.ts), with a
 *   poster and a backdrop (cached test-pattern JPEGs, uploaded and rendered through the admin image
 *   flow) on every title the home page shows, so the pages draw real pictures;
 * - the production web app (`next start`, apps/web built into NEXT_DIST_DIR=.next-bench) in front
 *   of it, in its own process (bench/web/app-server.ts);
 * - the bare Next.js page (bench/web/bare-app.ts), also `next start`.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { CatalogHome } from '@kush/contracts';
import { ensureAdmin, startApi, type RunningApi } from '@kush/api';
import { parseConfig } from '@kush/config';
import { mediaBinaries } from '@kush/media';
import { freePort } from '../../scripts/web';
import { prepareCatalog } from '../fixtures/catalog';
import { onInterrupt } from '../lib/cleanup';
import { CACHE_DIR } from '../lib/clips';
import { spawnServer, type RunningServer } from '../lib/spawn-server';
import { type BareServer, ensureBareBuild, startBareServer } from './bare-app';

/**
 * The web app's build folder for the bench, apart from `.next` (npm start, e2e, startup group);
 * NEXT_DIST_DIR in the shell picks another one (parallel checkouts or helpers measuring their own build).
 */
export const WEB_BENCH_DIST_DIR = process.env.NEXT_DIST_DIR?.trim() || '.next-bench';

export interface WebPage {
  /** 'bare', 'home', 'title' */
  name: string;
  url: string;
}

export interface WebPlatform {
  pages: WebPage[];
  titleSlug: string;
  illustratedTitles: number;
  bareBuild: { hash: string; nextVersion: string; built: boolean; seconds: number };
  /** What the app server printed about its build (rebuilt or up to date). */
  appBuild: string;
  appServerOutput(): string;
  stop(): Promise<void>;
}

const ADMIN_EMAIL = 'bench-web-admin@kushfilms.com';
const ADMIN_PASSWORD = 'a bench admin password, not a real one';
/** Cards per home row that get pictures: what a 360 px screen shows and the next few. */
const CARDS_PER_ROW = 4;

/** Poster (2:3) and backdrop (16:9) test patterns, generated once into bench/.cache/. */
const STILLS = {
  // As wide as the widest variant a 720-device-pixel phone picks (poster 720, backdrop 960), no
  // wider: each picture is rendered in every width up to its own, which is most of the set-up time.
  poster: { width: 720, height: 1080 },
  backdrop: { width: 1440, height: 810 },
} as const;

async function ensureStill(kind: keyof typeof STILLS): Promise<string> {
  const { width, height } = STILLS[kind];
  const file = path.join(CACHE_DIR, `still-testsrc2-${width}x${height}-q3-v1.jpg`);
  if (existsSync(file)) return file;
  await fs.mkdir(CACHE_DIR, { recursive: true });
  const partial = `${file}.${process.pid}.partial.jpg`;
  const { ffmpeg } = await mediaBinaries();
  await new Promise<void>((resolve, reject) => {
    const args = [
      ...['-hide_banner', '-nostdin', '-y', '-v', 'error'],
      ...['-f', 'lavfi', '-i', `testsrc2=size=${width}x${height}:rate=1:duration=1`],
      ...['-frames:v', '1', '-q:v', '3', partial],
    ];
    const child = spawn(ffmpeg, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`ffmpeg exited ${code}: ${stderr}`))));
  });
  await fs.rename(partial, file);
  return file;
}

async function json<T>(res: Response, what: string): Promise<T> {
  const body = await res.text();
  if (!res.ok) throw new Error(`${what}: ${res.status} ${body.slice(0, 500)}`);
  return JSON.parse(body) as T;
}

/** Poster and backdrop on every title the home page lists first, through the admin image flow. */
async function illustrateHome(apiUrl: string): Promise<{ titles: number; home: CatalogHome }> {
  const login = await json<{ accessToken: string }>(
    await fetch(`${apiUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ identifier: ADMIN_EMAIL, password: ADMIN_PASSWORD, tokenDelivery: 'body' }),
    }),
    'sign in',
  );
  const auth = { authorization: `Bearer ${login.accessToken}` };
  const home = await json<CatalogHome>(await fetch(`${apiUrl}/api/v1/catalog/home`), 'GET /api/v1/catalog/home');
  // Heroes draw backdrops, cards draw posters.
  const featured = new Set(home.featured.map((t) => t.id));
  const cards = new Set([
    ...featured,
    ...home.rows.flatMap((row) => row.titles.slice(0, CARDS_PER_ROW).map((t) => t.id)),
    ...home.trending.slice(0, CARDS_PER_ROW).map((t) => t.id),
    ...home.newReleases.slice(0, CARDS_PER_ROW).map((t) => t.id),
  ]);
  const uploads = [
    ...[...featured].map((id) => ({ id, kind: 'backdrop' as const })),
    ...[...cards].map((id) => ({ id, kind: 'poster' as const })),
  ];
  const stills = {
    poster: await fs.readFile(await ensureStill('poster')),
    backdrop: await fs.readFile(await ensureStill('backdrop')),
  };
  for (const { id, kind } of uploads) {
    const url = `${apiUrl}/api/v1/admin/titles/${id}/images/${kind}`;
    const started = await json<{ uploadId: string; upload: { url: string; headers: Record<string, string> } }>(
      await fetch(url, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ contentType: 'image/jpeg', size: stills[kind].length }),
      }),
      `start the ${kind} upload`,
    );
    // The signed URL names a public origin; send it to this API (path and signature unchanged).
    const signed = new URL(started.upload.url);
    const put = await fetch(`${apiUrl}${signed.pathname}${signed.search}`, {
      method: 'PUT',
      headers: { ...started.upload.headers, 'content-length': String(stills[kind].length) },
      body: stills[kind],
    });
    if (!put.ok) throw new Error(`PUT the ${kind}: ${put.status} ${(await put.text()).slice(0, 300)}`);
    await put.arrayBuffer().catch(() => undefined);
    await json(
      await fetch(`${url}/complete`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ uploadId: started.uploadId }),
      }),
      `complete the ${kind}`,
    );
  }
  const illustrated = await json<CatalogHome>(await fetch(`${apiUrl}/api/v1/catalog/home`), 'GET home again');
  if (!illustrated.featured[0]?.backdrop) throw new Error('the featured title has no backdrop after the upload');
  return { titles: cards.size, home: illustrated };
}

/** GET until 200, so the first measured load never pays for a route's first server render. */
async function warm(url: string): Promise<void> {
  for (let i = 0; i < 2; i++) {
    const res = await fetch(url, { headers: { 'accept-encoding': 'gzip' } });
    const body = await res.text();
    if (res.status !== 200) throw new Error(`GET ${url} answered ${res.status}: ${body.slice(0, 300)}`);
  }
}

export async function startWebPlatform(log: (line: string) => void): Promise<WebPlatform> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'kush-bench-web-'));
  let api: RunningApi | undefined;
  let app: RunningServer | undefined;
  let bare: BareServer | undefined;
  const stop = async () => {
    forget();
    await bare?.stop();
    await app?.stop();
    await api?.stop();
    await fs.rm(dataDir, { recursive: true, force: true });
  };
  const forget = onInterrupt(stop);
  try {
    const bareBuild = await ensureBareBuild((line) => log(`web: ${line}`));
    if (bareBuild.built) log(`web: built the bare page in ${(bareBuild.ms / 1000).toFixed(0)} s`);

    await prepareCatalog({ dataDir, log: (line) => log(`web: ${line}`) });
    const [apiPort, webPort] = [await freePort(), await freePort()];
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    const config = parseConfig({
      // The embedded defaults, whatever the shell says (no DATABASE_URL, REDIS_URL, S3…).
      NODE_ENV: 'development',
      DATA_DIR: dataDir,
      HOST: '127.0.0.1',
      PORT: String(apiPort),
      PUBLIC_API_URL: apiUrl,
      // Picture URLs are built on WEB_URL: the browser fetches them through the web app's /api proxy.
      WEB_URL: `http://127.0.0.1:${webPort}`,
      LOG_LEVEL: 'warn',
      // Every server-side call of the web app comes from 127.0.0.1.
      RATE_LIMIT_PER_MINUTE: '100000000',
      SAMPLE_CONTENT: 'false',
      FFMPEG_PATH: process.env.FFMPEG_PATH,
      FFPROBE_PATH: process.env.FFPROBE_PATH,
    });
    api = await startApi(config);
    await ensureAdmin(api.ctx.db.db, ADMIN_EMAIL, { password: ADMIN_PASSWORD });
    const started = Date.now();
    const { titles, home } = await illustrateHome(apiUrl);
    log(`web: API on ${apiUrl}; pictures for ${titles} titles in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    const titleSlug = home.featured[0]!.slug;

    log(`web: starting apps/web (next start, ${WEB_BENCH_DIST_DIR}; building first when stale, a few minutes)`);
    app = await spawnServer('bench/web/app-server.ts', {
      env: { NEXT_DIST_DIR: WEB_BENCH_DIST_DIR, BENCH_WEB_API_URL: apiUrl, BENCH_WEB_PORT: String(webPort) },
      readyTimeoutMs: 30 * 60_000,
    });
    const appBuild = app.output().trim().split('\n').at(-1) ?? '';
    log(`web: ${appBuild}; apps/web on ${app.baseUrl}`);
    bare = await startBareServer(bareBuild.dir);
    log(`web: bare page on ${bare.url}`);

    const pages: WebPage[] = [
      { name: 'bare', url: `${bare.url}/` },
      { name: 'home', url: `${app.baseUrl}/` },
      { name: 'title', url: `${app.baseUrl}/title/${titleSlug}` },
    ];
    for (const page of pages) await warm(page.url);
    const running = app;
    return {
      pages,
      titleSlug,
      illustratedTitles: titles,
      bareBuild: {
        hash: bareBuild.hash,
        nextVersion: bareBuild.nextVersion,
        built: bareBuild.built,
        seconds: Math.round(bareBuild.ms / 1000),
      },
      appBuild,
      appServerOutput: () => running.output(),
      stop,
    };
  } catch (err) {
    await stop().catch(() => {});
    throw err;
  }
}
