/** One target end to end: its own server process, setup, preflight, measure, stop, clean up. */
import { rmSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { PrepareResult, ServerKind, Target } from '../targets';
import { measure, preflight, type Measurement } from './measure';
import type { BenchOptions } from './options';
import { spawnServer, type RunningServer } from './spawn-server';

export const SERVER_SCRIPTS: Record<ServerKind, string> = {
  baseline: 'bench/servers/baseline.ts',
  api: 'bench/servers/api.ts',
};

const tempDirs = new Set<string>();

/** Removes the API data directories of targets still running (on Ctrl-C, after killAllServers). */
export function removeTempDirsSync(): void {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
}

export interface TargetRun {
  name: string;
  path: string;
  server: ServerKind;
  measurement?: Measurement;
  /** Why the target could not be measured (server did not start, setup or preflight failed). */
  error?: string;
  /** Whatever the server printed besides READY (it logs at warn, so anything here is worth a look). */
  serverOutput?: string;
}

export async function runTarget(
  target: Target,
  options: BenchOptions,
  log: (line: string) => void = () => {},
): Promise<TargetRun> {
  const server = target.server ?? 'api';
  const base = { name: target.name, path: target.path, server };
  const dataDir = server === 'api' ? await fs.mkdtemp(path.join(os.tmpdir(), 'kush-bench-api-')) : undefined;
  if (dataDir) tempDirs.add(dataDir);
  let running: RunningServer | undefined;
  let prepared: PrepareResult | void = undefined;
  try {
    if (target.prepare) {
      if (!dataDir) throw new Error('prepare needs the api server');
      prepared = await target.prepare({ dataDir, log: (line) => log(`${target.name}: ${line}`) });
    }
    log(`${target.name}: starting ${server} server`);
    const env = { ...(dataDir ? { BENCH_DATA_DIR: dataDir } : {}), ...prepared?.env };
    running = await spawnServer(SERVER_SCRIPTS[server], { env });
    const setup = (await target.setup?.({ baseUrl: running.baseUrl, dataDir })) ?? {};
    const url = running.baseUrl + target.path;
    await preflight(url, setup.headers);
    const connections = target.connections ?? options.connections;
    log(
      `${target.name}: GET ${target.path} (pid ${running.pid}), ${connections} connections, ` +
        `${options.warmupSeconds} s warm-up + ${options.durationSeconds} s measured`,
    );
    const paths = target.morePaths ? [target.path, ...target.morePaths] : undefined;
    const measurement = await measure({
      ...options,
      connections,
      url,
      paths,
      pathCycle: target.pathCycle,
      headers: setup.headers,
    });
    const serverOutput = running.output().trim();
    return { ...base, measurement, ...(serverOutput ? { serverOutput } : {}) };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const tail = running?.output().trim();
    return { ...base, error: tail ? `${message}\n--- server output ---\n${tail}` : message };
  } finally {
    await running?.stop();
    await prepared?.cleanup?.().catch((err: unknown) => log(`${target.name}: clean-up failed: ${String(err)}`));
    if (dataDir) {
      await fs.rm(dataDir, { recursive: true, force: true });
      tempDirs.delete(dataDir);
    }
  }
}
