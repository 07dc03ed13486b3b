/** Ratios to the baseline, the failure rule, the printed table and the JSON files. */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { StartupReport } from '../startup';
import type { TranscodeOptions, TranscodeReport } from '../transcode';
import type { Group } from './groups';
import type { BenchOptions } from './options';
import type { TargetRun } from './run-target';
import { REPO_ROOT } from './spawn-server';

export const RESULTS_DIR = path.join(REPO_ROOT, 'bench/results');

export interface TargetResult extends TargetRun {
  /** requestsPerSecond: target ÷ baseline (1 = as fast, 0.5 = half). p99: target ÷ baseline (2 = twice the tail latency). */
  ratio?: { requestsPerSecond: number; p99: number };
}

export interface BenchReport {
  timestamp: string;
  machine: ReturnType<typeof machineInfo>;
  versions: Record<string, string | undefined>;
  /** The groups this run measured (all when absent: reports written before groups existed). */
  groups?: Group[];
  /** The http group's options. */
  options: BenchOptions;
  baseline: string;
  /** The http group's targets; empty when it did not run. */
  results: TargetResult[];
  /** The transcode group, or why it could not be measured. */
  transcode?: TranscodeReport | { options: TranscodeOptions; error: string };
  startup?: StartupReport;
  /**
   * Empty when every target answered only 2xx without errors, every transcode completed and every
   * playback attempt started. Speed never fails a run.
   */
  failures: string[];
  ok: boolean;
}

async function packageVersion(name: string): Promise<string | undefined> {
  try {
    const file = path.join(REPO_ROOT, 'node_modules', name, 'package.json');
    return (JSON.parse(await fs.readFile(file, 'utf8')) as { version?: string }).version;
  } catch {
    return undefined;
  }
}

export function machineInfo() {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    availableParallelism: os.availableParallelism(),
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    totalMemoryMB: Math.round(os.totalmem() / 2 ** 20),
    loadAverage: os.loadavg().map((n) => Math.round(n * 100) / 100),
    platform: os.platform(),
    arch: os.arch(),
    osRelease: os.release(),
    node: process.version,
  };
}

export async function toolVersions(): Promise<Record<string, string | undefined>> {
  return {
    fastify: await packageVersion('fastify'),
    autocannon: await packageVersion('autocannon'),
    'hls.js': await packageVersion('hls.js'),
    'playwright-core': await packageVersion('playwright-core'),
  };
}

const ratio = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 1000) / 1000 : NaN);

export function withRatios(runs: TargetRun[], baselineName: string): TargetResult[] {
  const base = runs.find((r) => r.name === baselineName)?.measurement;
  return runs.map((run) =>
    base && run.measurement
      ? {
          ...run,
          ratio: {
            requestsPerSecond: ratio(run.measurement.requestsPerSecond.mean, base.requestsPerSecond.mean),
            p99: ratio(run.measurement.latencyMs.p99, base.latencyMs.p99),
          },
        }
      : run,
  );
}

/** A benchmark of errors is meaningless: any error, timeout or non-2xx (warm-up included) fails the run. */
export function failuresOf(runs: TargetRun[]): string[] {
  const failures: string[] = [];
  for (const run of runs) {
    const m = run.measurement;
    if (!m) {
      failures.push(`${run.name}: not measured: ${run.error?.split('\n')[0] ?? 'unknown error'}`);
      continue;
    }
    for (const [phase, c] of [
      ['warm-up', m.warmup],
      ['measured run', m],
    ] as const) {
      if (c.errors > 0 || c.non2xx > 0) {
        const codes = Object.entries(c.statusCodes)
          .map(([code, n]) => `${code}×${n}`)
          .join(', ');
        failures.push(
          `${run.name} (${phase}): ${c.errors} errors (${c.timeouts} timeouts), ${c.non2xx} non-2xx [${codes}]`,
        );
      }
    }
    if (m.requests === 0) failures.push(`${run.name}: no request completed`);
  }
  return failures;
}

const fixed = (n: number | undefined, digits: number) => (n === undefined || Number.isNaN(n) ? '-' : n.toFixed(digits));

export function formatTable(results: TargetResult[]): string {
  const header = [
    'target',
    'path',
    'req/s',
    'p50 ms',
    'p95 ms',
    'p99 ms',
    'errors',
    'non-2xx',
    'req/s ratio',
    'p99 ratio',
  ];
  const rows = results.map((r) => {
    const m = r.measurement;
    if (!m) return [r.name, r.path, 'FAILED', '-', '-', '-', '-', '-', '-', '-'];
    return [
      r.name,
      r.path,
      Math.round(m.requestsPerSecond.mean).toString(),
      fixed(m.latencyMs.p50, 2),
      fixed(m.latencyMs.p95, 2),
      fixed(m.latencyMs.p99, 2),
      String(m.errors),
      String(m.non2xx),
      fixed(r.ratio?.requestsPerSecond, 2),
      fixed(r.ratio?.p99, 2),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** Writes `<dir>/<timestamp>.json` (colons replaced, so the name is valid everywhere) and `<dir>/latest.json`. */
export async function writeReport(report: BenchReport, dir = RESULTS_DIR): Promise<{ file: string; latest: string }> {
  await fs.mkdir(dir, { recursive: true });
  const json = `${JSON.stringify(report, null, 2)}\n`;
  const file = path.join(dir, `${report.timestamp.replace(/:/g, '-')}.json`);
  const latest = path.join(dir, 'latest.json');
  await fs.writeFile(file, json);
  await fs.writeFile(latest, json);
  return { file, latest };
}
