/**
 * The web group's baseline: a bare Next.js app (bench/web/bare: a layout and a page with a heading
 * and a paragraph) built with the same `next` as apps/web and served by `next start`.
 *
 * Next refuses a distDir outside the project, so the sources are copied into
 * bench/.cache/web-bare-<hash>/ and built there; the hash covers the sources and the Next, React
 * and React DOM versions, so a change to any of them makes a new build and an unchanged one is reused.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { freePort } from '../../scripts/web';
import { CACHE_DIR } from '../lib/clips';
import { REPO_ROOT } from '../lib/spawn-server';

export const BARE_SOURCE_DIR = path.join(REPO_ROOT, 'bench/web/bare');
const WEB_PACKAGE = path.join(REPO_ROOT, 'apps/web/package.json');
/** Marks a finished build: a killed `next build` leaves a directory without it, which is rebuilt. */
const BUILT_MARKER = '.bench-built';

/** Resolved from apps/web, so the baseline runs the very Next.js the app runs. */
const resolveFromWeb = (specifier: string) => createRequire(WEB_PACKAGE).resolve(specifier);

async function packageVersion(name: string): Promise<string> {
  const file = resolveFromWeb(`${name}/package.json`);
  return (JSON.parse(await fs.readFile(file, 'utf8')) as { version: string }).version;
}

async function listFiles(dir: string, base = dir): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await listFiles(full, base)));
    else files.push(path.relative(base, full));
  }
  return files.sort();
}

export interface BareBuild {
  dir: string;
  hash: string;
  nextVersion: string;
  built: boolean;
  ms: number;
}

/** sha256 over every source file (path and bytes) and the framework versions. */
export async function bareSourceHash(sourceDir = BARE_SOURCE_DIR): Promise<{ hash: string; nextVersion: string }> {
  const hash = createHash('sha256');
  const nextVersion = await packageVersion('next');
  hash.update(`next ${nextVersion}\nreact ${await packageVersion('react')}\n`);
  hash.update(`react-dom ${await packageVersion('react-dom')}\n`);
  for (const file of await listFiles(sourceDir)) {
    hash.update(`${file}\n`).update(await fs.readFile(path.join(sourceDir, file)));
  }
  return { hash: hash.digest('hex').slice(0, 16), nextVersion };
}

function runNext(args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [resolveFromWeb('next/dist/bin/next'), ...args], {
      cwd,
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-8000));
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`next ${args.join(' ')} exited with ${code}:\n${output.trim()}`)),
    );
  });
}

/** The cached production build of the bare app, building it first when there is none for these sources. */
export async function ensureBareBuild(log: (line: string) => void = () => {}): Promise<BareBuild> {
  const { hash, nextVersion } = await bareSourceHash();
  const dir = path.join(CACHE_DIR, `web-bare-${hash}`);
  if (existsSync(path.join(dir, BUILT_MARKER))) return { dir, hash, nextVersion, built: false, ms: 0 };

  const started = Date.now();
  log(`building the bare Next.js ${nextVersion} page into ${path.relative(REPO_ROOT, dir)} (once; cached afterwards)`);
  await fs.rm(dir, { recursive: true, force: true });
  await fs.mkdir(dir, { recursive: true });
  await fs.cp(BARE_SOURCE_DIR, dir, { recursive: true });
  await runNext(['build'], dir);
  await fs.writeFile(path.join(dir, BUILT_MARKER), `${new Date().toISOString()}\n`);
  return { dir, hash, nextVersion, built: true, ms: Date.now() - started };
}

export interface BareServer {
  url: string;
  output(): string;
  stop(): Promise<void>;
}

const exited = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null;

/** `next start` on a free port for a build from ensureBareBuild(), once it answers HTTP. */
export async function startBareServer(dir: string, timeoutMs = 60_000): Promise<BareServer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    process.execPath,
    [resolveFromWeb('next/dist/bin/next'), 'start', '--port', String(port), '--hostname', '127.0.0.1'],
    {
      cwd: dir,
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-8000));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const stop = async () => {
    if (exited(child)) return;
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await gone;
    clearTimeout(timer);
  };

  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited(child)) throw new Error(`the bare page's next start exited early (${child.exitCode}):\n${output}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`the bare page answered ${res.status}`);
      return { url, output: () => output, stop };
    } catch (err) {
      if (err instanceof Error && /answered/.test(err.message)) {
        await stop();
        throw err;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  await stop();
  throw new Error(`the bare page's next start did not answer on ${url} within ${timeoutMs} ms:\n${output}`);
}
