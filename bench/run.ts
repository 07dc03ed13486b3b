/**
 * `npm run bench`: every group, or those named by `--only=…` / BENCH_ONLY (http, transcode, startup).
 *
 * - http: the baseline, then every target, one server process at a time;
 * - transcode: our single-process HLS ladder vs one ffmpeg per rendition vs a hand-written command;
 * - startup: hls.js in Chromium through the real playback API on throttled networks.
 * - web: the web app's home and title pages vs a bare Next.js page in Chromium on a throttled phone.
 *
 * Prints a table per group, writes bench/results/<timestamp>.json and latest.json, and exits 1 if a
 * target saw errors or non-2xx, a transcode failed, or playback never started. Speed never fails it.
 */
import { runInterruptCleanups } from './lib/cleanup';
import { type Group, readGroups } from './lib/groups';
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
import { readStartupOptions, runStartupGroup } from './startup';
import { BASELINE, selectedTargets } from './targets';
import { readTranscodeOptions, runTranscodeGroup, TRANSCODE_CLIP } from './transcode';
import { readWebOptions, runWebGroup, type WebReport } from './web';

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    killAllServers();
    removeTempDirsSync();
    void runInterruptCleanups().finally(() => process.exit(130));
  });
}

const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);
const out = (text: string) => process.stdout.write(text);
const messageOf = (err: unknown) => (err instanceof Error ? (err.stack ?? err.message) : String(err));

async function main(): Promise<number> {
  const groups: Group[] = readGroups();
  // Every option is read (and checked) before anything runs.
  const options = readOptions();
  const transcodeOptions = readTranscodeOptions();
  const startupOptions = readStartupOptions();
  const webOptions = readWebOptions();
  const timestamp = new Date().toISOString();
  const machine = machineInfo();
  log(`${machine.cpus} CPUs (${machine.cpuModel}), Node ${machine.node}, load ${machine.loadAverage.join(' ')}`);
  log(`groups: ${groups.join(', ')}`);

  const runs: TargetRun[] = [];
  if (groups.includes('http')) {
    for (const target of [BASELINE, ...selectedTargets()]) runs.push(await runTarget(target, options, log));
  }
  const results = withRatios(runs, BASELINE.name);
  const failures = failuresOf(runs);

  let transcode: BenchReport['transcode'];
  if (groups.includes('transcode')) {
    try {
      transcode = await runTranscodeGroup(transcodeOptions, log);
    } catch (err) {
      transcode = { options: transcodeOptions, error: messageOf(err) };
      failures.push(`transcode: not measured: ${messageOf(err).split('\n')[0]}`);
    }
  }

  let startup: BenchReport['startup'];
  if (groups.includes('startup')) {
    startup = await runStartupGroup(startupOptions, log);
    failures.push(...startup.failures.map((f) => f.split('\n')[0]!));
  }

  let web: WebReport | undefined;
  if (groups.includes('web')) {
    web = await runWebGroup(webOptions, log);
    failures.push(...web.failures.map((f) => f.split('\n')[0]!));
  }

  const report: BenchReport & { web?: WebReport } = {
    timestamp,
    machine,
    versions: await toolVersions(),
    groups,
    options,
    baseline: BASELINE.name,
    results,
    ...(transcode ? { transcode } : {}),
    ...(startup ? { startup } : {}),
    ...(web ? { web } : {}),
    failures,
    ok: failures.length === 0,
  };
  const { file } = await writeReport(report);

  if (groups.includes('http')) {
    out(`\n${formatTable(results)}\n\n`);
    out('ratios: req/s ÷ baseline (higher is better), p99 ÷ baseline (lower is better)\n');
    for (const run of runs) {
      if (run.error) out(`\n${run.name} was not measured:\n${run.error}\n`);
      if (run.serverOutput) out(`\n${run.name} server output:\n${run.serverOutput}\n`);
    }
  }
  if (transcode) {
    const { width, height, seconds } = TRANSCODE_CLIP;
    const rounds = transcodeOptions.rounds > 1 ? `, ${transcodeOptions.rounds} rounds (the quietest reported)` : '';
    out(
      `\ntranscode: preset ${transcodeOptions.preset}, ${seconds} s ${width}x${height} clip${rounds}, one strategy at a time\n`,
    );
    out('error' in transcode ? `not measured:\n${transcode.error}\n` : `${transcode.table}\n`);
    if (!('error' in transcode)) out(`CPU = user + sys of the ffmpeg processes (${transcode.method})\n`);
  }
  if (startup) {
    out(`\nstartup: hls.js in Chromium, ${startupOptions.runs} fresh-context attempts per network\n`);
    if (startup.table) out(`${startup.table}\n`);
    for (const f of startup.failures) out(`${f}\n`);
  }
  if (web) {
    out(
      `\nweb: Chromium, 1.6 Mbps / 150 ms RTT / 4× CPU, 360×800 phone, ${webOptions.runs} cold loads per page ` +
        '(fresh context each), kB = 1000 bytes as sent\n',
    );
    if (web.table) out(`${web.table}\n`);
    for (const f of web.failures) out(`${f}\n`);
  }
  out(`\nresults: ${file} (and latest.json)\n`);
  if (failures.length) {
    out(`\nFAILED: a benchmark of errors is meaningless\n${failures.map((f) => `  - ${f}`).join('\n')}\n`);
    return 1;
  }
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`${messageOf(err)}\n`);
    killAllServers();
    void runInterruptCleanups().finally(() => {
      process.exitCode = 1;
    });
  },
);
