/**
 * The transcode group: our single-process HLS ladder against one ffmpeg per rendition and against
 * a hand-written single command, on the same cached 60 s 1080p clip, same preset, one after another.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import {
  binaryVersion,
  DEFAULT_PRESET,
  ladderFor,
  mediaBinaries,
  probeMedia,
  supportsSingleProcessHls,
  type X264Preset,
  X264_PRESETS,
} from '@kush/media';
import { type ClipSpec, ensureClip } from '../lib/clips';
import { REPO_ROOT } from '../lib/spawn-server';
import { formatTranscodeTables, type RatioCheck, ratioChecks, type StrategySummary } from './report';
import { runStrategy, STRATEGIES, type StrategyRun } from './strategies';

/**
 * The round to report for a strategy: the one during which other processes used the least CPU (on
 * a shared machine noise only ever adds wall time), ties broken by the lower CPU time.
 */
export function quietestRound(rounds: StrategyRun[]): StrategyRun {
  return [...rounds].sort(
    (a, b) => (a.otherCpuSeconds ?? 0) - (b.otherCpuSeconds ?? 0) || a.cpuSeconds - b.cpuSeconds,
  )[0]!;
}

export const TRANSCODE_CLIP: ClipSpec = { width: 1920, height: 1080, fps: 25, seconds: 60 };

export interface TranscodeOptions {
  /** BENCH_TRANSCODE_PRESET, default veryfast (the pipeline's default). */
  preset: X264Preset;
  /** BENCH_TRANSCODE_ROUNDS, default 1: each round runs the three strategies once, in order. */
  rounds: number;
}

export function readTranscodeOptions(env: Record<string, string | undefined> = process.env): TranscodeOptions {
  const preset = (env.BENCH_TRANSCODE_PRESET?.trim() || DEFAULT_PRESET) as X264Preset;
  if (!X264_PRESETS.includes(preset)) {
    throw new Error(`BENCH_TRANSCODE_PRESET must be one of ${X264_PRESETS.join(', ')}, got "${preset}"`);
  }
  const rawRounds = env.BENCH_TRANSCODE_ROUNDS?.trim() || '1';
  const rounds = Number(rawRounds);
  if (!Number.isInteger(rounds) || rounds < 1) {
    throw new Error(`BENCH_TRANSCODE_ROUNDS must be a whole number >= 1, got "${rawRounds}"`);
  }
  return { preset, rounds };
}

export interface TranscodeReport {
  options: TranscodeOptions;
  method: string;
  ffmpeg: { path: string; version: string };
  clip: {
    file: string;
    spec: ClipSpec;
    sizeBytes: number;
    durationSeconds: number;
    videoCodec: string;
    bitrate: number;
  };
  ladder: { name: string; width: number; height: number; videoBitrate: number; audioBitrate: number }[];
  strategies: StrategySummary[];
  ratios: RatioCheck[];
  /** Set when the group could not be measured (ffmpeg failed, no single-process support…): fails the run. */
  error?: string;
  table?: string;
}

export const CPU_METHOD =
  "GNU time (/usr/bin/time -f '%U %S %e %M') around each ffmpeg: user+sys from wait4() rusage, all threads; " +
  'cross-checked against the delta of cutime+cstime in /proc/self/stat';

export async function runTranscodeGroup(
  options: TranscodeOptions,
  log: (line: string) => void,
): Promise<TranscodeReport> {
  const { ffmpeg } = await mediaBinaries();
  const version = await binaryVersion(ffmpeg);
  if (!(await supportsSingleProcessHls(ffmpeg))) {
    throw new Error(`${ffmpeg} (${version}) cannot write every rendition from one process: nothing to compare`);
  }
  const input = await ensureClip(TRANSCODE_CLIP, (line) => log(`transcode: ${line}`));
  const probe = await probeMedia(input);
  const ladder = ladderFor(probe);
  const minutes = probe.durationSeconds / 60;
  log(
    `transcode: ${path.relative(REPO_ROOT, input)}: ${probe.width}x${probe.height} ${probe.fps} fps ` +
      `${probe.durationSeconds.toFixed(1)} s → ${ladder.renditions.map((r) => r.label).join(' ')}, preset ` +
      `${options.preset}, ffmpeg ${version}, ${options.rounds} round(s)`,
  );

  const runs = new Map<string, StrategyRun[]>(STRATEGIES.map((s) => [s.strategy, []]));
  for (let round = 1; round <= options.rounds; round++) {
    for (const { strategy, label } of STRATEGIES) {
      log(`transcode: round ${round}/${options.rounds}: ${label}…`);
      const run = await runStrategy(
        strategy,
        ffmpeg,
        { input, container: probe.container, ladder, preset: options.preset, deinterlace: probe.interlaced },
        log,
      );
      log(
        `transcode: ${label}: ${run.wallSeconds.toFixed(1)} s wall, ${run.cpuSeconds.toFixed(1)} s CPU ` +
          `(/proc/self/stat: ${run.reapedChildrenCpuSeconds?.toFixed(1) ?? 'n/a'} s); other processes: ` +
          `${run.otherCpuSeconds?.toFixed(1) ?? 'n/a'} s CPU`,
      );
      runs.get(strategy)!.push(run);
    }
  }

  const strategies: StrategySummary[] = STRATEGIES.map(({ strategy, label, description }) => {
    const rounds = runs.get(strategy)!;
    const summary = quietestRound(rounds);
    return {
      ...summary,
      label,
      description,
      cpuSecondsPerOutputMinute: Math.round((summary.cpuSeconds / minutes) * 100) / 100,
      rounds,
    };
  });
  const ratios = ratioChecks(strategies);
  return {
    options,
    method: CPU_METHOD,
    ffmpeg: { path: ffmpeg, version },
    clip: {
      file: path.relative(REPO_ROOT, input),
      spec: TRANSCODE_CLIP,
      sizeBytes: (await fs.stat(input)).size,
      durationSeconds: probe.durationSeconds,
      videoCodec: probe.videoCodec,
      bitrate: probe.bitrate,
    },
    ladder: ladder.renditions.map((r) => ({
      name: r.name,
      width: r.width,
      height: r.height,
      videoBitrate: r.videoBitrate,
      audioBitrate: r.audioBitrate,
    })),
    strategies,
    ratios,
    table: formatTranscodeTables(strategies, ratios),
  };
}
