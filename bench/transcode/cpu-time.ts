/**
 * CPU time of a child process, measured correctly.
 *
 * `process.cpuUsage()` and `process.resourceUsage()` report RUSAGE_SELF: this Node process only,
 * never its children. And `/proc/<pid>/stat` of a child cannot be read at exit, because libuv
 * reaps the child (waitpid) before Node emits 'exit'. So each command runs under GNU time:
 *
 *   /usr/bin/time -o <file> -f '%U %S %e %M' ffmpeg …
 *
 * GNU time forks ffmpeg and collects it with wait4(), whose rusage holds the user and system CPU
 * time of every thread ffmpeg ran (x264's encoder threads, decoder and filter threads) and of any
 * process ffmpeg itself waited for. It writes the numbers to a file of its own, so ffmpeg's stderr
 * stays clean. Resolution: 10 ms.
 *
 * As an independent check, the delta of this process's own `cutime + cstime` (/proc/self/stat
 * fields 16 and 17: CPU time of children this process has waited for) across the run is recorded
 * too; it must agree with GNU time's user + sys (plus GNU time's own ~1 ms), provided no other child
 * of this process exits meanwhile — true in the transcode group, which runs one command at a time.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export const GNU_TIME = process.env.BENCH_GNU_TIME ?? '/usr/bin/time';

export interface TimedRun {
  /** Wall-clock seconds from spawn to exit, measured here (performance.now). */
  wallSeconds: number;
  /** From GNU time (wait4 rusage of the command, all threads). */
  userSeconds: number;
  systemSeconds: number;
  /** user + system */
  cpuSeconds: number;
  /** GNU time's own elapsed figure (%e). */
  elapsedSeconds: number;
  /** Peak resident set size of the command (%M), in MB. */
  maxRssMB: number;
  /** Cross-check: CPU seconds of reaped children of this process (/proc/self/stat), undefined off Linux. */
  reapedChildrenCpuSeconds?: number;
}

let clockTicks: number | undefined;
function ticksPerSecond(): number {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicks = 100; // USER_HZ is 100 on every Linux ABI in practice
    }
  }
  return clockTicks;
}

/** cutime + cstime of this process in seconds, or undefined where /proc is not available. */
export function reapedChildrenCpuSeconds(): number | undefined {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    // The command name (field 2) may contain spaces; fields after the closing parenthesis are safe to split.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state), so field n is fields[n - 3].
    const cutime = Number(fields[16 - 3]);
    const cstime = Number(fields[17 - 3]);
    return (cutime + cstime) / ticksPerSecond();
  } catch {
    return undefined;
  }
}

/**
 * CPU seconds the whole machine has spent busy (every core: user, nice, system, irq, softirq, steal)
 * since boot, from the first line of /proc/stat; undefined off Linux. The delta across a run, minus
 * the run's own CPU time, is what other processes took meanwhile: a contention warning.
 */
export function machineBusyCpuSeconds(): number | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
    const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
    const busy = [user, nice, system, irq, softirq, steal].reduce<number>((sum, n) => sum + (n ?? 0), 0);
    return busy / ticksPerSecond();
  } catch {
    return undefined;
  }
}

/** Parses GNU time's `-f '%U %S %e %M'` output; a failed command adds a "Command exited…" line before it. */
export function parseGnuTime(text: string): Pick<TimedRun, 'userSeconds' | 'systemSeconds' | 'elapsedSeconds'> & {
  maxRssKB: number;
} {
  const last = text.trim().split('\n').pop() ?? '';
  const [user, system, elapsed, rss] = last.trim().split(/\s+/).map(Number);
  if ([user, system, elapsed, rss].some((n) => n === undefined || !Number.isFinite(n))) {
    throw new Error(`unexpected GNU time output: ${JSON.stringify(text)}`);
  }
  return { userSeconds: user!, systemSeconds: system!, elapsedSeconds: elapsed!, maxRssKB: rss! };
}

export interface RunTimedOptions {
  /** SIGKILL after this long (default 1 hour). */
  timeoutMs?: number;
  /** Environment of the command (default: PATH, LANG and TMPDIR only, as packages/media does). */
  env?: NodeJS.ProcessEnv;
}

let seq = 0;
const round = (n: number) => Math.round(n * 1000) / 1000;

/** Runs `binary args…` under GNU time; resolves with its wall and CPU time, rejects unless it exits 0. */
export async function runTimed(binary: string, args: readonly string[], options: RunTimedOptions = {}) {
  if (!existsSync(GNU_TIME)) {
    throw new Error(`${GNU_TIME} not found: install GNU time (apt-get install -y time) or set BENCH_GNU_TIME`);
  }
  const timeFile = path.join(os.tmpdir(), `kush-bench-time-${process.pid}-${++seq}.txt`);
  const env = options.env ?? {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    AV_LOG_FORCE_NOCOLOR: '1',
    ...(process.env.LANG ? { LANG: process.env.LANG } : {}),
    ...(process.env.TMPDIR ? { TMPDIR: process.env.TMPDIR } : {}),
  };
  const before = reapedChildrenCpuSeconds();
  const started = performance.now();
  try {
    const { code, signal, stderr } = await new Promise<{
      code: number | null;
      signal: NodeJS.Signals | null;
      stderr: string;
    }>((resolve, reject) => {
      const child = spawn(GNU_TIME, ['-o', timeFile, '-f', '%U %S %e %M', binary, ...args], {
        stdio: ['ignore', 'ignore', 'pipe'],
        env,
      });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-8000)));
      const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 3_600_000);
      child.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      child.once('close', (code, signal) => {
        clearTimeout(timer);
        resolve({ code, signal, stderr });
      });
    });
    const wallSeconds = (performance.now() - started) / 1000;
    const after = reapedChildrenCpuSeconds();
    if (code !== 0) {
      const how = signal ? `signal ${signal}` : `code ${code}`;
      throw new Error(`${path.basename(binary)} exited with ${how}: ${stderr.trim().slice(-2000)}`);
    }
    const parsed = parseGnuTime(await fs.readFile(timeFile, 'utf8'));
    const run: TimedRun = {
      wallSeconds: round(wallSeconds),
      userSeconds: parsed.userSeconds,
      systemSeconds: parsed.systemSeconds,
      cpuSeconds: round(parsed.userSeconds + parsed.systemSeconds),
      elapsedSeconds: parsed.elapsedSeconds,
      maxRssMB: round(parsed.maxRssKB / 1024),
      ...(before !== undefined && after !== undefined ? { reapedChildrenCpuSeconds: round(after - before) } : {}),
    };
    return run;
  } finally {
    await fs.rm(timeFile, { force: true });
  }
}
