/**
 * What the renderer's main thread did between a page's first parse and its first contentful
 * paint, read from a Chromium trace (the DevTools timeline, `blink` and `fonts` categories), for
 * bench/web/ab.ts `--trace=N`.
 *
 * Why: FCP on this 2-core machine moves ±40% between loads, so a change worth 10–30 ms cannot be
 * seen in FCP without hundreds of loads. The work itself — how much the first contentful frame
 * styles and lays out, how long its font lookups take, what each parser chunk held — varies far
 * less, and says where the time goes (bench/README.md, "Web pages": the findings).
 */
import { median } from '../lib/table';

/** The fields of a Chrome trace event this summary reads. */
export interface TraceEvent {
  name: string;
  ph?: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  args?: Record<string, unknown>;
}

export interface TraceSummary {
  /** From navigationStart to first-contentful-paint, ms. */
  fcpMs: number;
  /** From the page's first parser chunk to first-contentful-paint, ms. */
  parseToFcpMs: number;
  /** The parser chunks before FCP: bytes each parsed. */
  parseChunks: number[];
  /** The frame that drew the first content (the last one before FCP that styled or laid out anything). */
  fcpFrame: { ms: number; styledElements: number; styleMs: number; layoutObjects: number; layoutMs: number };
  /** Main-thread time in font lookups before FCP (outermost FontCache::GetFontPlatformData), and how many. */
  fonts: { ms: number; lookups: number };
}

const ms = (us: number) => Math.round(us / 100) / 10;
const record = (value: unknown): Record<string, unknown> =>
  value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
const num = (value: unknown): number => (typeof value === 'number' ? value : 0);

export function summarizeTrace(events: TraceEvent[]): TraceSummary {
  const fcp = events.find((e) => e.name === 'firstContentfulPaint');
  if (!fcp) throw new Error('trace: no firstContentfulPaint event');
  const start = events.find((e) => e.name === 'navigationStart' && e.pid === fcp.pid);
  if (!start) throw new Error('trace: no navigationStart in the painting renderer');
  const mainTid = events.find(
    (e) => e.name === 'thread_name' && e.pid === fcp.pid && record(e.args).name === 'CrRendererMain',
  )?.tid;
  if (mainTid === undefined) throw new Error('trace: no CrRendererMain thread in the painting renderer');

  const main = events
    .filter((e) => e.pid === fcp.pid && e.tid === mainTid && e.ph === 'X' && e.dur !== undefined)
    .filter((e) => e.ts >= start.ts && e.ts < fcp.ts)
    .sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
  const within = (outer: TraceEvent) => (e: TraceEvent) => e.ts >= outer.ts && e.ts + e.dur! <= outer.ts + outer.dur!;

  // The page's own chunks: the initial about:blank document parses too, without an http URL.
  const chunks = main.filter(
    (e) => e.name === 'ParseHTML' && String(record(record(e.args).beginData).url ?? '').startsWith('http'),
  );
  if (chunks.length === 0) throw new Error('trace: no parser chunk of the page before its first paint');

  // The frame that drew the first content: the last one before FCP that styled or laid out
  // anything (a frame may begin between that paint and its presentation, with nothing to do).
  const frames = main.filter((e) => e.name === 'ProxyMain::BeginMainFrame');
  const didWork = (frame: TraceEvent) =>
    main.some((e) => (e.name === 'UpdateLayoutTree' || e.name === 'Layout') && within(frame)(e));
  const frame = frames.filter(didWork).at(-1) ?? frames.at(-1);
  if (!frame) throw new Error('trace: no main frame before the first paint');
  const inFrame = main.filter(within(frame));
  const styles = inFrame.filter((e) => e.name === 'UpdateLayoutTree');
  const layouts = inFrame.filter((e) => e.name === 'Layout');

  // Chromium nests lookups, sometimes in one of the same start and length: `main` is sorted by
  // start, longest first, so a lookup inside any earlier one in that order is nested.
  const fontLookups = main.filter((e) => e.name === 'FontCache::GetFontPlatformData');
  const outermost = fontLookups.filter((e, i) => !fontLookups.slice(0, i).some((o) => within(o)(e)));

  const sumDur = (list: TraceEvent[]) => ms(list.reduce((total, e) => total + e.dur!, 0));
  return {
    fcpMs: ms(fcp.ts - start.ts),
    parseToFcpMs: ms(fcp.ts - chunks[0]!.ts),
    parseChunks: chunks.map((e) => num(record(e.args).parsed_bytes)),
    fcpFrame: {
      ms: ms(frame.dur!),
      styledElements: styles.reduce((n, e) => n + num(record(e.args).elementCount), 0),
      styleMs: sumDur(styles),
      layoutObjects: layouts.reduce((n, e) => n + num(record(record(e.args).beginData).totalObjects), 0),
      layoutMs: sumDur(layouts),
    },
    fonts: { ms: sumDur(outermost), lookups: outermost.length },
  };
}

/** Trace categories summarizeTrace needs. */
export const TRACE_CATEGORIES = [
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'blink.user_timing',
  'loading',
  'blink',
  'cc',
  'fonts',
];

/** One line of medians over a page's traced loads. */
export function formatTraceMedians(summaries: TraceSummary[]): string {
  if (summaries.length === 0) return 'no traced loads';
  const m = (pick: (s: TraceSummary) => number) => Math.round(median(summaries.map(pick)));
  return (
    `FCP ${m((s) => s.fcpMs)} ms, first parse → FCP ${m((s) => s.parseToFcpMs)} ms ` +
    `(${m((s) => s.parseChunks.length)} parser chunks); FCP frame ${m((s) => s.fcpFrame.ms)} ms: ` +
    `style ${m((s) => s.fcpFrame.styledElements)} elements ${m((s) => s.fcpFrame.styleMs)} ms, ` +
    `layout ${m((s) => s.fcpFrame.layoutObjects)} objects ${m((s) => s.fcpFrame.layoutMs)} ms; ` +
    `fonts ${m((s) => s.fonts.lookups)} lookups ${m((s) => s.fonts.ms)} ms`
  );
}
