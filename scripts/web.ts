/**
 * Builds (when needed) and runs the production web app (`next start`): used by `npm start` and the e2e tests.
 *
 *   await ensureWebBuild();
 *   const web = await startWebServer({ apiUrl: 'http://127.0.0.1:4000' });
 *   // … drive web.url …
 *   await web.stop();
 *
 * API_URL is read by the app at request time, so one build serves any apiUrl.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const webDir = path.join(repoRoot, 'apps/web');
/** NEXT_DIST_DIR (default .next) lets separate builds of one checkout coexist; next.config.ts reads it too. */
const distDir = process.env.NEXT_DIST_DIR ?? '.next';
const buildIdFile = path.join(webDir, distDir, 'BUILD_ID');
const nextBin = createRequire(path.join(webDir, 'package.json')).resolve('next/dist/bin/next');

const telemetryOff = { NEXT_TELEMETRY_DISABLED: '1' };

/** Newest modification time among the web app's own sources (not node_modules or .next). */
function newestSourceMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.next') || entry.name.endsWith('.tsbuildinfo'))
      continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSourceMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/** Why the existing build cannot be used, or null when it is fresh. */
function staleBuildReason(): string | null {
  if (!existsSync(buildIdFile)) return `apps/web/${distDir}/BUILD_ID is missing`;
  if (newestSourceMtime(webDir) > statSync(buildIdFile).mtimeMs) return 'apps/web sources changed since the last build';
  return null;
}

// Several e2e files may run at once (Vitest forks): only one of them may run `next build`.
const buildLock = path.join(
  tmpdir(),
  `kush-web-build-${createHash('sha1').update(path.join(webDir, distDir)).digest('hex').slice(0, 12)}.lock`,
);
const BUILD_LOCK_STALE_MS = 10 * 60_000;

async function withBuildLock<T>(work: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + BUILD_LOCK_STALE_MS;
  for (;;) {
    try {
      mkdirSync(buildLock); // atomic: fails with EEXIST while another process holds the lock
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const heldSince = statSync(buildLock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now();
      if (Date.now() - heldSince > BUILD_LOCK_STALE_MS) {
        rmSync(buildLock, { recursive: true, force: true }); // left behind by a killed run
        continue;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for the web build lock ${buildLock}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  try {
    return await work();
  } finally {
    rmSync(buildLock, { recursive: true, force: true });
  }
}

async function runNextBuild(): Promise<void> {
  const output: string[] = [];
  const child = spawn(process.execPath, [nextBin, 'build'], {
    cwd: webDir,
    env: { ...process.env, ...telemetryOff, NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', resolve);
  });
  if (code !== 0) throw new Error(`next build failed (exit ${String(code)}):\n${output.join('')}`);
}

/**
 * Runs `next build` in apps/web when there is no build or the sources are newer than it, so a
 * stale build is never what gets tested. To force a build, delete apps/web/.next.
 */
export async function ensureWebBuild(): Promise<{ built: boolean; reason: string | null; ms: number }> {
  if (staleBuildReason() === null) return { built: false, reason: null, ms: 0 };

  return withBuildLock(async () => {
    // Another process may have built while this one waited for the lock.
    const reason = staleBuildReason();
    if (reason === null) return { built: false, reason: null, ms: 0 };
    const started = Date.now();
    await runNextBuild();
    return { built: true, reason, ms: Date.now() - started };
  });
}

export async function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, host, () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

export interface WebServer {
  /** Base URL without a trailing slash, e.g. http://127.0.0.1:41234 */
  url: string;
  port: number;
  /** Everything the server printed so far, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

export interface StartWebServerOptions {
  /** Where the app's server side and its /api proxy reach the API. */
  apiUrl: string;
  /** Defaults to a free port. */
  port?: number;
  host?: string;
  /** Extra environment for the server process. */
  env?: Record<string, string>;
  readyTimeoutMs?: number;
  /** Also hands each chunk of the server's output here (npm start prints it). */
  onOutput?: (chunk: string) => void;
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

async function waitUntilServing(
  url: string,
  child: ChildProcess,
  timeoutMs: number,
  output: () => string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited(child)) throw new Error(`next start exited early (code ${String(child.exitCode)}):\n${output()}`);
    try {
      // Any HTTP answer means the server is accepting requests; a 404 path touches no API.
      await fetch(`${url}/__e2e_ready`, { signal: AbortSignal.timeout(1_000) });
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`next start did not answer on ${url} within ${timeoutMs} ms:\n${output()}`);
}

/** Starts `next start` for the current build. Call ensureWebBuild() first. */
export async function startWebServer(options: StartWebServerOptions): Promise<WebServer> {
  if (!existsSync(buildIdFile)) throw new Error('apps/web has no build: call ensureWebBuild() first');

  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? (await freePort(host));
  const url = `http://${host}:${port}`;
  const logs: string[] = [];
  const output = () => logs.join('');

  const child = spawn(process.execPath, [nextBin, 'start', '--port', String(port), '--hostname', host], {
    cwd: webDir,
    env: { ...process.env, ...telemetryOff, NODE_ENV: 'production', API_URL: options.apiUrl, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const collect = (chunk: Buffer) => {
    logs.push(chunk.toString());
    options.onOutput?.(chunk.toString());
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);

  const stop = async () => {
    if (exited(child)) return;
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await gone;
    clearTimeout(timer);
  };

  try {
    await waitUntilServing(url, child, options.readyTimeoutMs ?? 60_000, output);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, port, output, stop };
}
