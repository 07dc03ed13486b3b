/** The web group's per-page summary, the targets and the table. Targets are reported, never enforced. */
import { fixed, formatRows, max, median } from '../lib/table';
import type { LoadResult } from './page-load';

/** The Web app issue's targets; kB = 1000 bytes, as sent (compressed). */
export const WEB_TARGETS = { fcpMs: 1000, lcpMs: 2000, fcpVsBare: 1.3, homeFirstLoadJsBytes: 150_000 } as const;

export interface WebLoad {
  page: string;
  run: number;
  result?: LoadResult;
  error?: string;
}

interface Stat {
  median: number;
  max: number;
}

export interface PageSummary {
  page: string;
  url: string;
  runs: number;
  /** Loads that completed; fewer than `runs` fails the benchmark run. */
  measured: number;
  fcpMs: Stat;
  /** When the first text painted (page-load.ts: the first text LCP candidate). */
  firstTextMs: Stat;
  lcpMs: Stat;
  loadMs: Stat;
  jsBeforeFcpBytes: Stat;
  jsTotalBytes: Stat;
  totalBytes: Stat;
  /** The page itself (CDP type Document) and render-blocking stylesheets, as sent (compressed). */
  htmlBytes: Stat;
  cssBytes: Stat;
  /** The LCP element of each load, tallied: "IMG /api/v1/media/… ×5". */
  lcpElements: string;
  /** Median FCP ÷ the bare page's median FCP (absent for the bare page itself). */
  fcpVsBare?: number;
  /** Median first text ÷ the bare page's median first text: reported beside FCP's, not a target. */
  textVsBare?: number;
  /**
   * The median of the per-round ratios (this page's FCP ÷ the bare page's FCP in the same round,
   * over rounds where both were measured): less moved by a slow stretch of the machine than the
   * ratio of medians. Reported beside it; the target is judged on `fcpVsBare`.
   */
  fcpVsBarePaired?: number;
  /** Each applicable target, judged on the median and on the worst load. */
  targets: { name: string; limit: string; medianMet: boolean; worstMet: boolean }[];
  /** The repeat visit (cache and service worker warm), when measured. */
  warm?: LoadResult & { serviceWorker?: boolean };
}

function tally(labels: string[]): string {
  const counts = new Map<string, number>();
  for (const l of labels) counts.set(l, (counts.get(l) ?? 0) + 1);
  return [...counts].map(([label, n]) => `${label} ×${n}`).join(', ');
}

const stat = (values: number[]): Stat => ({ median: median(values), max: max(values) });

/** Summaries for every page; `bare` names the baseline page the ratios are taken against. */
export function summarizePages(
  pages: { name: string; url: string }[],
  loads: WebLoad[],
  warm: Map<string, LoadResult & { serviceWorker?: boolean }>,
  bare = 'bare',
): PageSummary[] {
  const summaries = pages.map((page) => {
    const mine = loads.filter((l) => l.page === page.name);
    const ok = mine.flatMap((l) => (l.result ? [l.result] : []));
    const warmLoad = warm.get(page.name);
    return {
      page: page.name,
      url: page.url,
      runs: mine.length,
      measured: ok.length,
      fcpMs: stat(ok.map((r) => r.fcpMs)),
      firstTextMs: stat(ok.map((r) => r.firstTextMs).filter((v) => !Number.isNaN(v))),
      lcpMs: stat(ok.map((r) => r.lcpMs)),
      loadMs: stat(ok.map((r) => r.loadMs)),
      jsBeforeFcpBytes: stat(ok.map((r) => r.jsBeforeFcp.bytes)),
      jsTotalBytes: stat(ok.map((r) => r.jsTotal.bytes)),
      totalBytes: stat(ok.map((r) => r.total.bytes)),
      htmlBytes: stat(ok.map((r) => r.byType.Document?.bytes ?? 0)),
      cssBytes: stat(ok.map((r) => r.byType.Stylesheet?.bytes ?? 0)),
      lcpElements: tally(ok.map((r) => r.lcpElement)),
      targets: [],
      ...(warmLoad ? { warm: warmLoad } : {}),
    } satisfies PageSummary as PageSummary;
  });
  const base = summaries.find((s) => s.page === bare);
  const bareFcpByRound = new Map<number, number>();
  for (const l of loads) if (l.page === bare && l.result) bareFcpByRound.set(l.run, l.result.fcpMs);
  for (const s of summaries) {
    if (s.page === bare || s.measured === 0) continue;
    const ratio = (v: number) => (base && base.measured > 0 ? v / base.fcpMs.median : NaN);
    s.fcpVsBare = Math.round(ratio(s.fcpMs.median) * 100) / 100;
    if (base && base.measured > 0) {
      s.textVsBare = Math.round((s.firstTextMs.median / base.firstTextMs.median) * 100) / 100;
    }
    const pairs = loads.flatMap((l) => {
      const baseline = bareFcpByRound.get(l.run);
      return l.page === s.page && l.result && baseline !== undefined ? [{ page: l.result.fcpMs, baseline }] : [];
    });
    if (pairs.length >= 2) {
      const { medianRatio } = pairedSummary(
        pairs.map((p) => p.page),
        pairs.map((p) => p.baseline),
      );
      s.fcpVsBarePaired = Math.round(medianRatio * 100) / 100;
    }
    const judge = (name: string, limit: string, value: Stat, within: (v: number) => boolean) =>
      s.targets.push({ name, limit, medianMet: within(value.median), worstMet: within(value.max) });
    judge('FCP', `<= ${WEB_TARGETS.fcpMs / 1000} s`, s.fcpMs, (v) => v <= WEB_TARGETS.fcpMs);
    judge('LCP', `<= ${WEB_TARGETS.lcpMs / 1000} s`, s.lcpMs, (v) => v <= WEB_TARGETS.lcpMs);
    // The worst load against the bare page's median: one slow load is not a slower page design.
    judge('FCP ÷ bare', `<= ${WEB_TARGETS.fcpVsBare}`, s.fcpMs, (v) => ratio(v) <= WEB_TARGETS.fcpVsBare);
    if (s.page === 'home') {
      judge(
        'first-load JS',
        `<= ${WEB_TARGETS.homeFirstLoadJsBytes / 1000} kB`,
        s.jsTotalBytes,
        (v) => v <= WEB_TARGETS.homeFirstLoadJsBytes,
      );
    }
  }
  return summaries;
}

const kB = (bytes: number) => fixed(bytes / 1000, 1);
const ms = (n: number) => fixed(n, 0);

export function formatWebTable(summaries: PageSummary[]): string {
  const header = [
    'page',
    'loads',
    'FCP ms p50',
    'max',
    'text ms p50',
    'LCP ms p50',
    'max',
    'JS before FCP kB',
    'JS total kB',
    'all kB',
    'HTML kB',
    'CSS kB',
    'FCP ÷ bare',
    'paired',
    'text ÷ bare',
    'targets (median)',
  ];
  const rows = summaries.map((s) => [
    s.page,
    `${s.measured}/${s.runs}`,
    ms(s.fcpMs.median),
    ms(s.fcpMs.max),
    ms(s.firstTextMs.median),
    ms(s.lcpMs.median),
    ms(s.lcpMs.max),
    kB(s.jsBeforeFcpBytes.median),
    kB(s.jsTotalBytes.median),
    kB(s.totalBytes.median),
    kB(s.htmlBytes.median),
    kB(s.cssBytes.median),
    s.fcpVsBare === undefined ? '-' : fixed(s.fcpVsBare, 2),
    s.fcpVsBarePaired === undefined ? '-' : fixed(s.fcpVsBarePaired, 2),
    s.textVsBare === undefined ? '-' : fixed(s.textVsBare, 2),
    s.targets.map((t) => `${t.name} ${t.medianMet ? '✓' : '✗'}`).join('  ') || '(baseline)',
  ]);
  const lines = [formatRows(header, rows, 1)];

  const judged = summaries.filter((s) => s.targets.length > 0);
  if (judged.length > 0) {
    lines.push('', 'targets, on the median load and on the worst:');
    for (const s of judged) {
      const parts = s.targets.map(
        (t) =>
          `${t.name} ${t.limit}: median ${t.medianMet ? 'met' : 'NOT met'}, worst ${t.worstMet ? 'met' : 'NOT met'}`,
      );
      lines.push(`  ${s.page}: ${parts.join('; ')}`);
    }
  }
  const warm = summaries.filter((s) => s.warm);
  if (warm.length > 0) {
    lines.push('', 'repeat visit (one load; HTTP cache and service worker warm; kB over the network):');
    for (const s of warm) {
      const w = s.warm!;
      lines.push(
        `  ${s.page}: FCP ${ms(w.fcpMs)} ms, LCP ${ms(w.lcpMs)} ms, JS ${kB(w.jsTotal.bytes)} kB, all ${kB(w.total.bytes)} kB` +
          (w.serviceWorker ? ', service worker active' : ''),
      );
    }
  }
  lines.push('', 'LCP elements:');
  for (const s of summaries) lines.push(`  ${s.page}: ${s.lcpElements || '-'}`);
  return lines.join('\n');
}

export interface PairedSummary {
  medianMs: number;
  /** Median of this variant's FCP ÷ the bare page's FCP in the same round. */
  medianRatio: number;
  /** Mean of (variant − bare) per round, and the half-width of its 95% interval (normal approximation). */
  meanDiffMs: number;
  ci95Ms: number;
}

/** Paired statistics of one variant against the baseline, round by round (equal-length lists). */
export function pairedSummary(variant: number[], baseline: number[]): PairedSummary {
  if (variant.length !== baseline.length || variant.length < 2) {
    throw new Error('paired summary needs two equal lists of at least two loads');
  }
  const diffs = variant.map((v, i) => v - baseline[i]!);
  const mean = diffs.reduce((a, b) => a + b, 0) / diffs.length;
  const variance = diffs.reduce((a, d) => a + (d - mean) ** 2, 0) / (diffs.length - 1);
  return {
    medianMs: median(variant),
    medianRatio: median(variant.map((v, i) => v / baseline[i]!)),
    meanDiffMs: mean,
    ci95Ms: (1.96 * Math.sqrt(variance)) / Math.sqrt(diffs.length),
  };
}
