/** Starts a bench server in its own Node process (tsx), waits for `READY <port>`, and stops it. */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface SpawnOptions {
  /** Added to the parent's environment. */
  env?: Record<string, string | undefined>;
  /** How long to wait for READY; the API migrates a fresh PGlite first. */
  readyTimeoutMs?: number;
  /** How long SIGTERM may take before SIGKILL. */
  stopTimeoutMs?: number;
}

export interface RunningServer {
  pid: number;
  port: number;
  baseUrl: string;
  /** The last few KB of the child's stdout and stderr (without the READY line), for error messages. */
  output(): string;
  /** SIGTERM, then SIGKILL if it lingers; resolves once the process has exited. */
  stop(): Promise<void>;
}

const OUTPUT_LIMIT = 16 * 1024;
const live = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Kills every child still running (used on exit and on Ctrl-C). */
export function killAllServers(): void {
  for (const child of live) child.kill('SIGKILL');
  live.clear();
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (exited(child)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** Runs `node --import tsx <script> 0` from the repository root; the server picks a free port. */
export function spawnServer(script: string, options: SpawnOptions = {}): Promise<RunningServer> {
  const { env = {}, readyTimeoutMs = 120_000, stopTimeoutMs = 10_000 } = options;
  if (!exitHookInstalled) {
    process.once('exit', killAllServers);
    exitHookInstalled = true;
  }

  const child = spawn(process.execPath, ['--import', 'tsx', path.resolve(REPO_ROOT, script), '0'], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  child.once('exit', () => live.delete(child));

  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-OUTPUT_LIMIT);
  };
  child.stderr.on('data', keep);

  const stop = async () => {
    if (exited(child)) return;
    child.kill('SIGTERM');
    if (await waitForExit(child, stopTimeoutMs)) return;
    child.kill('SIGKILL');
    await waitForExit(child, 5_000);
  };

  return new Promise((resolve, reject) => {
    let settled = false;
    let pending = '';
    const fail = (reason: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void stop().finally(() => reject(new Error(`${script}: ${reason}\n${output.trim()}`.trim())));
    };
    const timer = setTimeout(() => fail(`no READY line within ${readyTimeoutMs} ms`), readyTimeoutMs);
    child.once('error', (err) => fail(`could not start (${err.message})`));
    child.once('exit', (code, signal) => fail(`exited before READY (code ${code}, signal ${signal})`));
    child.stdout.on('data', (chunk: Buffer) => {
      keep(chunk);
      if (settled) return;
      pending = (pending + chunk.toString('utf8')).slice(-1024);
      const match = /^READY (\d+)\r?\n/m.exec(pending);
      if (!match) return;
      settled = true;
      clearTimeout(timer);
      const port = Number(match[1]);
      resolve({
        pid: child.pid!,
        port,
        baseUrl: `http://127.0.0.1:${port}`,
        output: () => output.replace(/^READY \d+\r?\n/m, ''),
        stop,
      });
    });
  });
}
