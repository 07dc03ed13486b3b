/**
 * `npm run bench`: the baseline, then every target, one server process at a time; prints a table,
 * writes bench/results/<timestamp>.json and latest.json, exits 1 if any target saw errors or non-2xx.
 */
import { readOptions } from './lib/options';
import {
  failuresOf,
  formatTable,
  machineInfo,
  toolVersions,
  withRatios,
  writeReport,
  type BenchReport,
} from './lib/report';
import { removeTempDirsSync, runTarget, type TargetRun } from './lib/run-target';
import { killAllServers } from './lib/spawn-server';
import { BASELINE, TARGETS } from './targets';

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    killAllServers();
    removeTempDirsSync();
    process.exit(130);
  });
}

const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);

async function main(): Promise<number> {
  const options = readOptions();
  const timestamp = new Date().toISOString();
  const machine = machineInfo();
  log(`${machine.cpus} CPUs (${machine.cpuModel}), Node ${machine.node}, load ${machine.loadAverage.join(' ')}`);

  const runs: TargetRun[] = [];
  for (const target of [BASELINE, ...TARGETS]) runs.push(await runTarget(target, options, log));

  const results = withRatios(runs, BASELINE.name);
  const failures = failuresOf(runs);
  const report: BenchReport = {
    timestamp,
    machine,
    versions: await toolVersions(),
    options,
    baseline: BASELINE.name,
    results,
    failures,
    ok: failures.length === 0,
  };
  const { file } = await writeReport(report);

  process.stdout.write(`\n${formatTable(results)}\n\n`);
  process.stdout.write('ratios: req/s ÷ baseline (higher is better), p99 ÷ baseline (lower is better)\n');
  for (const run of runs) {
    if (run.error) process.stdout.write(`\n${run.name} was not measured:\n${run.error}\n`);
    if (run.serverOutput) process.stdout.write(`\n${run.name} server output:\n${run.serverOutput}\n`);
  }
  process.stdout.write(`results: ${file} (and latest.json)\n`);
  if (failures.length) {
    process.stdout.write(
      `\nFAILED: a benchmark of errors is meaningless\n${failures.map((f) => `  - ${f}`).join('\n')}\n`,
    );
    return 1;
  }
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    killAllServers();
    process.exitCode = 1;
  },
);
