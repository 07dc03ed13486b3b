/** The harness's behaviour against the real baseline server: shapes and rules, never speed. */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { measure, preflight, type Measurement } from './lib/measure';
import { readOptions } from './lib/options';
import { failuresOf, formatTable, machineInfo, withRatios, writeReport, type BenchReport } from './lib/report';
import { SERVER_SCRIPTS, type TargetRun } from './lib/run-target';
import { spawnServer, type RunningServer } from './lib/spawn-server';
import { BASELINE, TARGETS } from './targets';

describe('bench harness', () => {
  let server: RunningServer;
  let measurement: Measurement;

  beforeAll(async () => {
    server = await spawnServer(SERVER_SCRIPTS.baseline);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('measures the baseline server: requests per second, ordered percentiles, only 200s', async () => {
    measurement = await measure({ url: `${server.baseUrl}/`, connections: 4, durationSeconds: 1, warmupSeconds: 0 });

    expect(measurement.requestsPerSecond.mean).toBeGreaterThan(0);
    expect(measurement.requests).toBeGreaterThan(0);
    expect(measurement.errors).toBe(0);
    expect(measurement.non2xx).toBe(0);
    expect(measurement.statusCodes).toEqual({ '200': measurement.requests });
    const { p50, p95, p99, max } = measurement.latencyMs;
    expect(p50).toBeGreaterThan(0);
    expect(p50).toBeLessThanOrEqual(p95);
    expect(p95).toBeLessThanOrEqual(p99);
    expect(p99).toBeLessThanOrEqual(max);
    expect(measurement.warmup.requests).toBe(0);
  });

  it('writes the report as <timestamp>.json and latest.json, with ratios and machine info', async () => {
    const run: TargetRun = { name: BASELINE.name, path: BASELINE.path, server: 'baseline', measurement };
    const results = withRatios([run], BASELINE.name);
    expect(results[0]!.ratio).toEqual({ requestsPerSecond: 1, p99: 1 });

    const report: BenchReport = {
      timestamp: new Date().toISOString(),
      machine: machineInfo(),
      versions: {},
      options: { durationSeconds: 1, warmupSeconds: 0, connections: 4 },
      baseline: BASELINE.name,
      results,
      failures: failuresOf([run]),
      ok: true,
    };
    expect(report.failures).toEqual([]);

    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'kush-bench-test-'));
    try {
      const { file, latest } = await writeReport(report, dir);
      expect(path.basename(file)).toMatch(/^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}Z\.json$/);
      const written = JSON.parse(await fs.readFile(file, 'utf8')) as BenchReport;
      expect(written).toEqual(report);
      expect(await fs.readFile(latest, 'utf8')).toBe(await fs.readFile(file, 'utf8'));
      expect(written.machine.cpus).toBeGreaterThan(0);
      expect(written.machine.node).toBe(process.version);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }

    const table = formatTable(results);
    expect(table).toContain('baseline');
    expect(table).toContain('p99 ratio');
  });

  it('refuses a target that does not answer 2xx before loading it', async () => {
    await expect(preflight(`${server.baseUrl}/missing`)).rejects.toThrow(/answered 404/);
  });

  it('fails a run on errors or non-2xx in either phase, and on a target that was not measured', () => {
    const ok = measurement;
    const bad: Measurement = { ...ok, non2xx: 3, statusCodes: { '200': 5, '429': 3 } };
    const badWarmup: Measurement = { ...ok, warmup: { ...ok.warmup, errors: 2, timeouts: 2 } };
    const failures = failuresOf([
      { name: 'a', path: '/', server: 'api', measurement: ok },
      { name: 'b', path: '/', server: 'api', measurement: bad },
      { name: 'c', path: '/', server: 'api', measurement: badWarmup },
      { name: 'd', path: '/', server: 'api', error: 'server did not start' },
    ]);
    expect(failures).toHaveLength(3);
    expect(failures[0]).toMatch(/^b \(measured run\): .*3 non-2xx .*429×3/);
    expect(failures[1]).toMatch(/^c \(warm-up\): 2 errors \(2 timeouts\)/);
    expect(failures[2]).toMatch(/^d: not measured: server did not start/);
  });

  it('reads BENCH_* options with defaults and rejects nonsense', () => {
    expect(readOptions({})).toEqual({ durationSeconds: 10, warmupSeconds: 3, connections: 100 });
    expect(readOptions({ BENCH_DURATION: '5', BENCH_WARMUP: '0', BENCH_CONNECTIONS: '8' })).toEqual({
      durationSeconds: 5,
      warmupSeconds: 0,
      connections: 8,
    });
    expect(() => readOptions({ BENCH_DURATION: '0' })).toThrow(/BENCH_DURATION/);
    expect(() => readOptions({ BENCH_CONNECTIONS: 'many' })).toThrow(/BENCH_CONNECTIONS/);
  });

  it('lists targets with unique names and absolute paths', () => {
    const names = [BASELINE, ...TARGETS].map((t) => t.name);
    expect(new Set(names).size).toBe(names.length);
    for (const t of TARGETS) expect(t.path.startsWith('/')).toBe(true);
  });

  it('stops the server process it started', async () => {
    const { pid } = server;
    await server.stop();
    expect(() => process.kill(pid, 0)).toThrow();
  });
});
