/** The transcode group's ratios, targets and table. Targets are reported, never enforced. */
import type { TranscodeStrategy } from '@kush/media';
import { fixed, formatRows, round } from '../lib/table';
import type { StrategyRun } from './strategies';

export interface StrategySummary extends StrategyRun {
  label: string;
  description: string;
  /** CPU seconds per minute of output video (the clip's duration, not renditions × duration). */
  cpuSecondsPerOutputMinute: number;
  /** Every round (BENCH_TRANSCODE_ROUNDS); the summary is the quietest one (see quietestRound). */
  rounds: StrategyRun[];
}

export interface RatioCheck {
  name: string;
  /** ours ÷ other, CPU seconds (user + sys). */
  cpu: number;
  /** ours ÷ other, wall seconds. */
  wall: number;
  /** The target, applied to both. */
  target: number;
  cpuMet: boolean;
  wallMet: boolean;
}

/** The targets: ours ≤ 1.05 × the hand-written command and ≤ 0.75 × the per-rendition approach. */
export const TRANSCODE_TARGETS: { name: string; other: TranscodeStrategy; target: number }[] = [
  { name: 'ours / hand-written', other: 'hand-written', target: 1.05 },
  { name: 'ours / per-rendition', other: 'per-rendition', target: 0.75 },
];

export function ratioChecks(summaries: StrategySummary[]): RatioCheck[] {
  const ours = summaries.find((s) => s.strategy === 'single');
  if (!ours) return [];
  return TRANSCODE_TARGETS.flatMap(({ name, other, target }) => {
    const them = summaries.find((s) => s.strategy === other);
    if (!them || them.cpuSeconds <= 0 || them.wallSeconds <= 0) return [];
    const cpu = round(ours.cpuSeconds / them.cpuSeconds);
    const wall = round(ours.wallSeconds / them.wallSeconds);
    return [{ name, cpu, wall, target, cpuMet: cpu <= target, wallMet: wall <= target }];
  });
}

/** Other processes took more than a tenth of the strategy's own CPU time while it ran. */
export const isContended = (s: StrategyRun) => (s.otherCpuSeconds ?? 0) > 0.1 * s.cpuSeconds;

export function formatTranscodeTables(summaries: StrategySummary[], checks: RatioCheck[]): string {
  const strategies = formatRows(
    [
      'strategy',
      'commands',
      'wall s',
      'CPU s',
      'user s',
      'sys s',
      'CPU s/out-min',
      'CPU/wall',
      'max RSS MB',
      'output MB',
      'others CPU s',
    ],
    summaries.map((s) => [
      s.label,
      String(s.commands),
      fixed(s.wallSeconds, 1),
      fixed(s.cpuSeconds, 1),
      fixed(s.userSeconds, 1),
      fixed(s.systemSeconds, 1),
      fixed(s.cpuSecondsPerOutputMinute, 1),
      fixed(s.cpuSeconds / s.wallSeconds, 2),
      fixed(s.maxRssMB, 0),
      fixed(s.outputBytes / 1e6, 1),
      fixed(s.otherCpuSeconds, 1),
    ]),
  );
  const yes = (met: boolean) => (met ? 'met' : 'NOT met');
  const targets = formatRows(
    ['ratio', 'CPU', 'wall', 'target', 'CPU target', 'wall target'],
    checks.map((c) => [
      c.name,
      fixed(c.cpu, 3),
      fixed(c.wall, 3),
      `<= ${c.target.toFixed(2)}`,
      yes(c.cpuMet),
      yes(c.wallMet),
    ]),
  );
  const contended = summaries.filter(isContended);
  const warning = contended.length
    ? `\nwarning: other processes used the CPU during ${contended.map((s) => s.label).join(', ')} ` +
      '("others CPU s"): their wall times are inflated; the CPU times still hold. Rerun on a quiet machine for wall ratios.'
    : '';
  return `${strategies}\n\n${targets}${warning}`;
}
