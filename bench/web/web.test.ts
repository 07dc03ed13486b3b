/** The web group's options, conditions, summaries and bare-page cache key (no browser, no speed assertions). */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GROUPS, readGroups } from '../lib/groups';
import { parseAbArgs, splitAtFlushMarkers } from './ab';
import { bareSourceHash } from './bare-app';
import { readWebOptions } from './index';
import { firstText, type LoadResult, webCdpConditions } from './page-load';
import { formatWebTable, pairedSummary, summarizePages, type WebLoad } from './report';
import { formatTraceMedians, summarizeTrace, type TraceEvent } from './trace-summary';

const load = (fcpMs: number, lcpMs: number, jsBytes: number): LoadResult => ({
  status: 200,
  fcpMs,
  lcpMs,
  lcpElement: 'IMG /hero',
  firstTextMs: fcpMs + 20,
  loadMs: lcpMs,
  documentStartMs: fcpMs / 2,
  documentEndMs: fcpMs / 2 + 10,
  jsBeforeFcp: { bytes: jsBytes / 2, requests: 2 },
  jsTotal: { bytes: jsBytes, requests: 4 },
  byType: { Script: { bytes: jsBytes, requests: 4 } },
  total: { bytes: jsBytes + 10_000, requests: 6 },
  fcpClockCheckMs: 0,
  withoutResourceTiming: 0,
  pageErrors: [],
});

const PAGES = [
  { name: 'bare', url: 'http://bare/' },
  { name: 'home', url: 'http://app/' },
  { name: 'title', url: 'http://app/title/x' },
];

describe('web group', () => {
  it('is a group of its own, selectable alone', () => {
    expect(GROUPS).toContain('web');
    expect(readGroups([], { BENCH_ONLY: 'web' })).toEqual(['web']);
  });

  it('reads its options, with defaults, and refuses bad values', () => {
    expect(readWebOptions({})).toEqual({ runs: 9, warm: true, timeoutMs: 60_000 });
    expect(readWebOptions({ BENCH_WEB_RUNS: '2', BENCH_WEB_WARM: '0', BENCH_WEB_TIMEOUT: '30' })).toEqual({
      runs: 2,
      warm: false,
      timeoutMs: 30_000,
    });
    expect(() => readWebOptions({ BENCH_WEB_RUNS: '0' })).toThrow(/BENCH_WEB_RUNS/);
    expect(() => readWebOptions({ BENCH_WEB_WARM: 'yes' })).toThrow(/BENCH_WEB_WARM/);
  });

  it('throttles to 1.6 Mbps down, 750 kbps up and 150 ms per request, in bytes per second', () => {
    expect(webCdpConditions()).toEqual({
      offline: false,
      latency: 150,
      downloadThroughput: 200_000,
      uploadThroughput: 93_750,
    });
  });

  it('summarizes median and worst per page, the ratio to the bare page and the targets', () => {
    const loads: WebLoad[] = [
      ...[800, 900, 1000].map((fcp, i) => ({ page: 'bare', run: i + 1, result: load(fcp, fcp, 100_000) })),
      ...[950, 1100, 1050].map((fcp, i) => ({ page: 'home', run: i + 1, result: load(fcp, 1900, 140_000) })),
      { page: 'title', run: 1, result: load(1500, 2500, 160_000) },
      { page: 'title', run: 2, error: 'answered 500' },
    ];
    const [bare, home, title] = summarizePages(PAGES, loads, new Map());
    expect(bare!.fcpMs).toEqual({ median: 900, max: 1000 });
    expect(bare!.targets).toEqual([]);
    expect(home!.fcpMs).toEqual({ median: 1050, max: 1100 });
    expect(home!.fcpVsBare).toBe(1.17);
    // First text: 20 ms after each FCP here; its ratio is of the medians, 1070 ÷ 920.
    expect(home!.firstTextMs).toEqual({ median: 1070, max: 1120 });
    expect(home!.textVsBare).toBe(1.16);
    // Per round: 950/800, 1100/900, 1050/1000 → median 1.19; one measured title load has no pair.
    expect(home!.fcpVsBarePaired).toBe(1.19);
    expect(title!.fcpVsBarePaired).toBeUndefined();
    expect(home!.targets.map((t) => [t.name, t.medianMet, t.worstMet])).toEqual([
      ['FCP', false, false],
      ['LCP', true, true],
      ['FCP ÷ bare', true, true],
      ['first-load JS', true, true],
    ]);
    // The first-load JS target is the home page's; a failed load is counted, not averaged in.
    expect(title!.targets.map((t) => t.name)).not.toContain('first-load JS');
    expect(title!.measured).toBe(1);
    expect(title!.runs).toBe(2);

    const table = formatWebTable([bare!, home!, title!]);
    expect(table).toContain('FCP ✗  LCP ✓  FCP ÷ bare ✓  first-load JS ✓');
    expect(table).toMatch(/home\s+3\/3\s+1050\s+1100\s+1070\s+1900\s+1900\s+70\.0\s+140\.0/);
    expect(table).toMatch(/home .* 1\.17\s+1\.19\s+1\.16\s+FCP/);
  });

  it('takes the first text LCP candidate as the first text paint, skipping pictures', () => {
    const candidate = (startTime: number, url: string) => ({ startTime, size: 100, tag: url ? 'IMG' : 'H2', url });
    expect(firstText([candidate(300, 'data:image/svg+xml,mark'), candidate(420, ''), candidate(600, '')])).toBe(420);
    expect(firstText([candidate(500, '/api/v1/hero.avif')])).toBeNaN();
    expect(firstText([])).toBeNaN();
  });

  it('keys the bare build on its sources: same files, same hash; a changed file, a new one', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'kush-bare-hash-'));
    try {
      await fs.mkdir(path.join(dir, 'app'));
      await fs.writeFile(path.join(dir, 'app/page.ts'), 'export default 1;\n');
      const first = await bareSourceHash(dir);
      expect(await bareSourceHash(dir)).toEqual(first);
      await fs.writeFile(path.join(dir, 'app/page.ts'), 'export default 2;\n');
      expect((await bareSourceHash(dir)).hash).not.toBe(first.hash);
      expect(first.nextVersion).toMatch(/^\d+\.\d+\.\d+/);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('A/B tool: reads its arguments and refuses bad ones', () => {
    expect(parseAbArgs(['a.html', '--runs=6', 'b.html'])).toEqual({
      runs: 6,
      traces: 0,
      variants: ['a.html', 'b.html'],
    });
    expect(parseAbArgs(['--save=/tmp/x'])).toEqual({ runs: 24, traces: 0, saveDir: '/tmp/x', variants: [] });
    expect(parseAbArgs(['a.html', '--trace=5'])).toMatchObject({ traces: 5 });
    expect(() => parseAbArgs(['a.html', '--trace=0'])).toThrow(/--trace/);
    expect(parseAbArgs(['a.html', '--trace=2', '--trace-dir=/tmp/t'])).toMatchObject({ traces: 2, traceDir: '/tmp/t' });
    expect(() => parseAbArgs(['a.html', '--trace-dir=/tmp/t'])).toThrow(/--trace-dir needs --trace/);
    expect(() => parseAbArgs(['a.html', '--trace=2', '--trace-dir='])).toThrow(/--trace-dir needs a directory/);
    expect(() => parseAbArgs([])).toThrow(/nothing to do/);
    expect(() => parseAbArgs(['a.html', '--runs=1'])).toThrow(/--runs/);
    expect(() => parseAbArgs(['a.html', '--runs=x'])).toThrow(/--runs/);
    expect(() => parseAbArgs(['a.html', '--fast'])).toThrow(/unknown option --fast/);
  });

  it('A/B tool: a variant is sent in the pieces its flush markers make, each after its delay', () => {
    expect(splitAtFlushMarkers('<p>whole</p>')).toEqual([{ text: '<p>whole</p>', delayMs: 0 }]);
    expect(splitAtFlushMarkers('<head></head><!--ab-flush:400--><main></main><!--ab-flush:0--><footer>')).toEqual([
      { text: '<head></head>', delayMs: 0 },
      { text: '<main></main>', delayMs: 400 },
      { text: '<footer>', delayMs: 0 },
    ]);
    // Any other comment stays in the page.
    expect(splitAtFlushMarkers('<!--ab-flush:x--><!-- note -->')).toEqual([
      { text: '<!--ab-flush:x--><!-- note -->', delayMs: 0 },
    ]);
  });

  it('A/B tool: compares a variant with the bare page round by round', () => {
    // Round 2 is slow for both pages: the per-round ratio and difference see through it.
    const s = pairedSummary([600, 1200, 660, 640], [500, 1000, 550, 500]);
    expect(s.medianMs).toBe(640);
    expect(s.medianRatio).toBe(1.2);
    expect(s.meanDiffMs).toBe(137.5);
    expect(s.ci95Ms).toBeGreaterThan(0);
    expect(pairedSummary([500, 500], [500, 500])).toMatchObject({ meanDiffMs: 0, ci95Ms: 0, medianRatio: 1 });
    expect(() => pairedSummary([1], [1])).toThrow();
    expect(() => pairedSummary([1, 2, 3], [1, 2])).toThrow();
  });

  it('trace summary: the first contentful frame, the font lookups and the parser chunks of the page', () => {
    const main = { pid: 1, tid: 2, ph: 'X' };
    const events: TraceEvent[] = [
      { name: 'thread_name', ph: 'M', pid: 1, tid: 2, ts: 0, args: { name: 'CrRendererMain' } },
      { name: 'thread_name', ph: 'M', pid: 1, tid: 3, ts: 0, args: { name: 'Compositor' } },
      { name: 'navigationStart', ph: 'R', pid: 1, tid: 2, ts: 1_000 },
      // The initial about:blank document: not the page's.
      { ...main, name: 'ParseHTML', ts: 2_000, dur: 100, args: { beginData: { url: '' }, parsed_bytes: 1 } },
      {
        ...main,
        name: 'ParseHTML',
        ts: 300_000,
        dur: 20_000,
        args: { beginData: { url: 'http://x/' }, parsed_bytes: 18_000 },
      },
      // The empty first frame: its layout is not the FCP frame's.
      { ...main, name: 'ProxyMain::BeginMainFrame', ts: 330_000, dur: 10_000 },
      { ...main, name: 'Layout', ts: 332_000, dur: 2_000, args: { beginData: { totalObjects: 3 } } },
      {
        ...main,
        name: 'ParseHTML',
        ts: 350_000,
        dur: 10_000,
        args: { beginData: { url: 'http://x/' }, parsed_bytes: 13_000 },
      },
      { ...main, name: 'ProxyMain::BeginMainFrame', ts: 370_000, dur: 100_000 },
      { ...main, name: 'UpdateLayoutTree', ts: 371_000, dur: 20_000, args: { elementCount: 40 } },
      { ...main, name: 'Layout', ts: 392_000, dur: 50_000, args: { beginData: { totalObjects: 60 } } },
      { ...main, name: 'FontCache::GetFontPlatformData', ts: 393_000, dur: 30_000 },
      // Nested lookups, one with the same span as its parent (as Chromium traces them): one lookup.
      { ...main, name: 'FontCache::GetFontPlatformData', ts: 393_000, dur: 30_000 },
      { ...main, name: 'FontCache::GetFontPlatformData', ts: 394_000, dur: 10_000 },
      { ...main, name: 'FontCache::GetFontPlatformData', ts: 430_000, dur: 5_000 },
      // Another thread's and the later ones do not count.
      { ...main, tid: 3, name: 'ParseHTML', ts: 360_000, dur: 1_000, args: { beginData: { url: 'http://x/' } } },
      // Begun after the content was drawn, before its presentation: nothing to style or lay out.
      { ...main, name: 'ProxyMain::BeginMainFrame', ts: 475_000, dur: 3_000 },
      { name: 'firstContentfulPaint', ph: 'R', pid: 1, tid: 2, ts: 481_000 },
      {
        ...main,
        name: 'ParseHTML',
        ts: 490_000,
        dur: 9_000,
        args: { beginData: { url: 'http://x/' }, parsed_bytes: 90_000 },
      },
    ];
    const summary = summarizeTrace(events);
    expect(summary).toEqual({
      fcpMs: 480,
      parseToFcpMs: 181,
      parseChunks: [18_000, 13_000],
      fcpFrame: { ms: 100, styledElements: 40, styleMs: 20, layoutObjects: 60, layoutMs: 50 },
      fonts: { ms: 35, lookups: 2 },
    });
    expect(formatTraceMedians([summary])).toMatch(
      /FCP 480 ms.*style 40 elements 20 ms, layout 60 objects 50 ms; fonts 2 lookups 35 ms/,
    );
    expect(() => summarizeTrace(events.filter((e) => e.name !== 'firstContentfulPaint'))).toThrow(
      /firstContentfulPaint/,
    );
  });
});
