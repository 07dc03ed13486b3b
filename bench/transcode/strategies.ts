/** Runs one transcoding strategy's ffmpeg commands, one after another, each under GNU time. */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { buildCommands, type Ladder, type TranscodeCommandOptions, type TranscodeStrategy } from '@kush/media';
import { machineBusyCpuSeconds, runTimed, type TimedRun } from './cpu-time';

export interface StrategyInfo {
  strategy: TranscodeStrategy;
  label: string;
  description: string;
}

/** In the order they run. */
export const STRATEGIES: StrategyInfo[] = [
  {
    strategy: 'single',
    label: 'ours (single)',
    description: "buildCommands('single'): the argv transcode() runs — one process, one decode, split + scale",
  },
  {
    strategy: 'per-rendition',
    label: 'per-rendition',
    description: "buildCommands('per-rendition'): one ffmpeg per rendition, run in sequence (PeerTube's way)",
  },
  {
    strategy: 'hand-written',
    label: 'hand-written',
    description: "buildCommands('hand-written'): the single command written by hand from the ffmpeg HLS docs",
  },
];

export interface StrategyRun {
  strategy: TranscodeStrategy;
  commands: number;
  /** Summed over the commands (they run back to back, so this is also the strategy's wall time). */
  wallSeconds: number;
  userSeconds: number;
  systemSeconds: number;
  cpuSeconds: number;
  /** The largest peak RSS of any one command. */
  maxRssMB: number;
  reapedChildrenCpuSeconds?: number;
  /** Bytes written to the output directory (playlists, init segments, media segments). */
  outputBytes: number;
  /**
   * CPU seconds other processes used on this machine meanwhile (/proc/stat busy time − ours). Near 0
   * on a quiet machine; large values mean the wall times (not the CPU times) are unreliable.
   */
  otherCpuSeconds?: number;
  /** Variant playlists found afterwards: must equal the number of renditions. */
  playlists: number;
  perCommand: TimedRun[];
  loadAverageBefore: number[];
  loadAverageAfter: number[];
}

async function listFiles(dir: string): Promise<{ file: string; size: number }[]> {
  const out: { file: string; size: number }[] = [];
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(full)));
    else out.push({ file: full, size: (await fs.stat(full)).size });
  }
  return out;
}

const sum = (runs: TimedRun[], pick: (r: TimedRun) => number) =>
  Math.round(runs.reduce((total, r) => total + pick(r), 0) * 1000) / 1000;
const load = () => os.loadavg().map((n) => Math.round(n * 100) / 100);

/**
 * Builds the strategy's commands for a fresh, empty output directory (with one sub-directory per
 * rendition, as transcode() prepares it), runs them in sequence and checks that every rendition's
 * playlist was written. The output is deleted afterwards.
 */
export async function runStrategy(
  strategy: TranscodeStrategy,
  ffmpeg: string,
  options: Omit<TranscodeCommandOptions, 'outputDir'> & { ladder: Ladder },
  log: (line: string) => void = () => {},
): Promise<StrategyRun> {
  const outputDir = await fs.mkdtemp(path.join(os.tmpdir(), `kush-bench-${strategy}-`));
  try {
    for (const r of options.ladder.renditions) await fs.mkdir(path.join(outputDir, r.name));
    const commands = buildCommands(strategy, { ...options, outputDir });
    const loadAverageBefore = load();
    const busyBefore = machineBusyCpuSeconds();
    const perCommand: TimedRun[] = [];
    for (const [i, args] of commands.entries()) {
      const run = await runTimed(ffmpeg, args);
      perCommand.push(run);
      if (commands.length > 1) {
        log(
          `  ${strategy} ${i + 1}/${commands.length} (${options.ladder.renditions[i]?.label ?? '?'}): ` +
            `${run.wallSeconds.toFixed(1)} s wall, ${run.cpuSeconds.toFixed(1)} s CPU`,
        );
      }
    }
    const busyAfter = machineBusyCpuSeconds();
    const files = await listFiles(outputDir);
    const playlists = files.filter((f) => f.file.endsWith('.m3u8') && !f.file.endsWith('master.m3u8')).length;
    if (playlists !== options.ladder.renditions.length) {
      throw new Error(
        `${strategy}: expected ${options.ladder.renditions.length} variant playlists, found ${playlists}`,
      );
    }
    const reaped = perCommand.map((r) => r.reapedChildrenCpuSeconds);
    const cpuSeconds = sum(perCommand, (r) => r.cpuSeconds);
    return {
      strategy,
      commands: commands.length,
      wallSeconds: sum(perCommand, (r) => r.wallSeconds),
      userSeconds: sum(perCommand, (r) => r.userSeconds),
      systemSeconds: sum(perCommand, (r) => r.systemSeconds),
      cpuSeconds,
      maxRssMB: Math.max(...perCommand.map((r) => r.maxRssMB)),
      ...(reaped.every((n) => n !== undefined)
        ? { reapedChildrenCpuSeconds: sum(perCommand, (r) => r.reapedChildrenCpuSeconds!) }
        : {}),
      outputBytes: files.reduce((total, f) => total + f.size, 0),
      ...(busyBefore !== undefined && busyAfter !== undefined
        ? { otherCpuSeconds: Math.max(0, Math.round((busyAfter - busyBefore - cpuSeconds) * 10) / 10) }
        : {}),
      playlists,
      perCommand,
      loadAverageBefore,
      loadAverageAfter: load(),
    };
  } finally {
    await fs.rm(outputDir, { recursive: true, force: true });
  }
}
