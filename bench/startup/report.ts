/** The start-up group's per-network summary, targets and table. Targets are reported, never enforced. */
import { fixed, formatRows, max, median } from '../lib/table';
import type { NetworkProfile } from './network';
import type { Attempt, AttemptResult, LevelInfo } from './player';

interface Met {
  medianMet: boolean;
  maxMet: boolean;
}

export interface ProfileSummary {
  profile: string;
  downKbps: number;
  rttMs: number;
  runs: number;
  /** Attempts whose playback started; anything less than `runs` fails the benchmark run. */
  started: number;
  firstFrameMs: { median: number; max: number };
  firstFrameFromClickMs: { median: number; max: number };
  bytesBeforeFirstFrame: { median: number; max: number };
  playbackRequestMs: { median: number; max: number };
  /** e.g. "240p (335 kbps) ×3": the rendition hls.js showed first, per attempt. */
  startRenditions: string;
  /** The target, judged on the median and on the worst attempt, time and bytes separately. */
  target?: { firstFrameMs: number; bytes: number; firstFrame: Met; bytesBefore: Met };
  /** The median attempt's requests up to the first frame, e.g. "master.m3u8 340 ms (0.8 kB) → …". */
  timeline: string;
}

export const levelLabel = (l: LevelInfo | null | undefined) =>
  l ? `${l.height}p (${Math.round(l.bitrate / 1000)} kbps)` : 'unknown';

function tally(labels: string[]): string {
  const counts = new Map<string, number>();
  for (const l of labels) counts.set(l, (counts.get(l) ?? 0) + 1);
  return [...counts].map(([label, n]) => `${label} ×${n}`).join(', ');
}

/** When each request of one attempt finished (ms after loadSource), up to the first frame. */
export function timeline(result: AttemptResult | undefined): string {
  if (!result?.resources) return '';
  const steps = result.resources
    .filter((r) => r.end <= result.firstFrameMs)
    .sort((a, b) => a.end - b.end)
    .map((r) => {
      const file = r.url.split('/<token>/')[1] ?? r.url;
      return `${file} ${r.end.toFixed(0)} ms (${(r.encodedBodySize / 1000).toFixed(1)} kB)`;
    });
  return [...steps, `first frame ${result.firstFrameMs.toFixed(0)} ms`].join(' → ');
}

export function summarize(profile: NetworkProfile, attempts: Attempt[]): ProfileSummary {
  const ok = attempts.flatMap((a) => (a.result ? [a.result] : []));
  const stats = (values: number[]) => ({ median: median(values), max: max(values) });
  const firstFrameMs = stats(ok.map((r) => r.firstFrameMs));
  const bytes = stats(ok.map((r) => r.bytesBeforeFirstFrame));
  const met = (s: { median: number; max: number }, limit: number): Met => ({
    medianMet: ok.length > 0 && s.median <= limit,
    maxMet: ok.length > 0 && s.max <= limit,
  });
  return {
    profile: profile.name,
    downKbps: profile.downKbps,
    rttMs: profile.rttMs,
    runs: attempts.length,
    started: ok.length,
    firstFrameMs,
    firstFrameFromClickMs: stats(ok.map((r) => r.firstFrameFromClickMs)),
    bytesBeforeFirstFrame: bytes,
    playbackRequestMs: stats(ok.map((r) => r.playbackRequestMs)),
    startRenditions: tally(ok.map((r) => levelLabel(r.startLevel))),
    ...(profile.target
      ? {
          target: {
            ...profile.target,
            firstFrame: met(firstFrameMs, profile.target.firstFrameMs),
            bytesBefore: met(bytes, profile.target.bytes),
          },
        }
      : {}),
    timeline: timeline(ok.find((r) => r.firstFrameMs === firstFrameMs.median)),
  };
}

const kB = (bytes: number) => fixed(bytes / 1000, 1);
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const word = (ok: boolean) => (ok ? 'met' : 'NOT met');

export function formatStartupTable(summaries: ProfileSummary[]): string {
  const table = formatRows(
    [
      'network',
      'started',
      'first frame ms p50',
      'max',
      'kB before p50',
      'max',
      'from click ms p50',
      'playback POST ms p50',
      'start rendition',
    ],
    summaries.map((s) => [
      `${s.downKbps} kbps / ${s.rttMs} ms RTT`,
      `${s.started}/${s.runs}`,
      fixed(s.firstFrameMs.median, 0),
      fixed(s.firstFrameMs.max, 0),
      kB(s.bytesBeforeFirstFrame.median),
      kB(s.bytesBeforeFirstFrame.max),
      fixed(s.firstFrameFromClickMs.median, 0),
      fixed(s.playbackRequestMs.median, 0),
      s.startRenditions,
    ]),
  );
  const targets = summaries.flatMap((s) => {
    if (!s.target) return [];
    const t = s.target;
    return [
      `target on ${s.downKbps} kbps / ${s.rttMs} ms RTT:`,
      `  first frame <= ${seconds(t.firstFrameMs)}: median ${word(t.firstFrame.medianMet)} ` +
        `(${seconds(s.firstFrameMs.median)}), max ${word(t.firstFrame.maxMet)} (${seconds(s.firstFrameMs.max)})`,
      `  <= ${t.bytes / 1000} kB before it: median ${word(t.bytesBefore.medianMet)} ` +
        `(${kB(s.bytesBeforeFirstFrame.median)} kB), max ${word(t.bytesBefore.maxMet)} (${kB(s.bytesBeforeFirstFrame.max)} kB)`,
    ];
  });
  const timelines = summaries.map((s) => `  ${s.downKbps} kbps / ${s.rttMs} ms: ${s.timeline}`);
  return [table, '', ...targets, '', 'median attempt, requests finished (ms after loadSource):', ...timelines].join(
    '\n',
  );
}
