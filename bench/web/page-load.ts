/**
 * One page load in Chromium on a throttled phone: a fresh browser context, the DevTools protocol
 * throttling the network and the CPU, paint timings from the page and bytes from CDP.
 *
 * - FCP: the `first-contentful-paint` entry of a buffered `paint` PerformanceObserver;
 * - LCP: the last `largest-contentful-paint` entry, read after the load event and a short settle;
 * - first text: the first LCP candidate that is text (a candidate has no URL): the first frame with
 *   any text in it. FCP also counts pictures (the brand mark in the first frame, for instance); this
 *   says when the words came;
 * - bytes: `Network.loadingFinished` `encodedDataLength` (as sent on the wire: compressed body plus
 *   headers) per request, grouped by the CDP resource type. A request counts towards the total when
 *   CDP saw it finish before the load event, and "before FCP" when its Resource Timing `responseEnd`
 *   (the page's clock, the same as FCP's; every request here is same-origin) is before FCP.
 */
import type { Browser, CDPSession, Page } from 'playwright-core';
import { type CdpNetworkConditions, toCdpConditions } from '../startup/network';

/** The phone: 1.6 Mbps down, 150 ms RTT (startup/network.ts explains latency = RTT), 4× CPU. */
export const WEB_NETWORK = { downKbps: 1600, upKbps: 750, rttMs: 150 } as const;
export const CPU_SLOWDOWN = 4;
/** A small Android phone: 360×800 CSS px at 2 device pixels per px (a 720×1600 screen). */
export const PHONE = { viewport: { width: 360, height: 800 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
/** How long after the load event LCP may still move (a late hero image decoding on a slow CPU). */
const LCP_SETTLE_MS = 1_000;

export function webCdpConditions(): CdpNetworkConditions {
  return {
    ...toCdpConditions({ downKbps: WEB_NETWORK.downKbps, rttMs: WEB_NETWORK.rttMs }),
    uploadThroughput: (WEB_NETWORK.upKbps * 1000) / 8,
  };
}

export interface Bytes {
  bytes: number;
  requests: number;
}

export interface LoadResult {
  /** HTTP status of the document. */
  status: number;
  fcpMs: number;
  lcpMs: number;
  /** What the LCP entry was: tag and, for a picture, its URL path. */
  lcpElement: string;
  /** The first LCP candidate that is text (NaN when none was): when the page's first words painted. */
  firstTextMs: number;
  /** loadEventStart of the navigation entry. */
  loadMs: number;
  /**
   * The document's first and last byte (the navigation entry's responseStart and responseEnd): what
   * comes before is the network's, FCP − `documentEndMs` is the page's own work (and its scripts'
   * and stylesheets' requests) before the first paint.
   */
  documentStartMs: number;
  documentEndMs: number;
  jsBeforeFcp: Bytes;
  jsTotal: Bytes;
  /** Every request finished by the load event, by CDP resource type (Document, Script, Image…). */
  byType: Record<string, Bytes>;
  total: Bytes;
  /**
   * Cross-check of the clocks: the paint entry's FCP minus CDP's firstContentfulPaint lifecycle
   * event, mapped onto the page's clock through the document's finish time in both. Near 0 when the
   * two name the same paint.
   */
  fcpClockCheckMs: number;
  /** Requests CDP saw finish by load that have no Resource Timing entry (counted as after FCP). */
  withoutResourceTiming: number;
  /** Uncaught exceptions in the page; any fails the run. */
  pageErrors: string[];
}

interface RequestRecord {
  type?: string;
  url: string;
  fromCache: boolean;
  finishedAt?: number;
  encodedDataLength?: number;
}

/** Network and lifecycle events of one navigation, in CDP's monotonic clock (seconds). */
class NetworkLog {
  requests = new Map<string, RequestRecord>();
  fcpAt?: number;
  loadAt?: number;

  constructor(cdp: CDPSession) {
    cdp.on('Network.requestWillBeSent', (e) => {
      const previous = this.requests.get(e.requestId);
      this.requests.set(e.requestId, {
        ...previous,
        type: e.type ?? previous?.type,
        url: e.request.url,
        fromCache: false,
      });
    });
    cdp.on('Network.responseReceived', (e) => {
      const record = this.requests.get(e.requestId);
      if (!record) return;
      record.type = e.type;
      record.fromCache = Boolean(
        e.response.fromDiskCache || e.response.fromServiceWorker || e.response.fromPrefetchCache,
      );
    });
    cdp.on('Network.requestServedFromCache', (e) => {
      const record = this.requests.get(e.requestId);
      if (record) record.fromCache = true;
    });
    cdp.on('Network.loadingFinished', (e) => {
      const record = this.requests.get(e.requestId);
      if (!record) return;
      record.finishedAt = e.timestamp;
      record.encodedDataLength = e.encodedDataLength;
    });
    cdp.on('Page.lifecycleEvent', (e) => {
      if (e.name === 'firstContentfulPaint') this.fcpAt ??= e.timestamp;
    });
    cdp.on('Page.loadEventFired', (e) => {
      this.loadAt ??= e.timestamp;
    });
  }

  reset(): void {
    this.requests.clear();
    this.fcpAt = this.loadAt = undefined;
  }

  /** Requests finished by the load event; bytes over the network only (0 for a cache hit). */
  finishedByLoad(): (RequestRecord & { bytes: number })[] {
    const until = this.loadAt ?? Infinity;
    return [...this.requests.values()].flatMap((r) =>
      r.finishedAt !== undefined && r.finishedAt <= until
        ? [{ ...r, bytes: r.fromCache ? 0 : (r.encodedDataLength ?? 0) }]
        : [],
    );
  }
}

/** Installed before any page script: buffered observers, so nothing painted early is missed. */
const PAINT_OBSERVERS = `
  window.__kushPaint = { fcp: null, lcp: [] };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (e.name === 'first-contentful-paint') window.__kushPaint.fcp = e.startTime;
  }).observe({ type: 'paint', buffered: true });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries())
      window.__kushPaint.lcp.push({ startTime: e.startTime, size: e.size, tag: e.element ? e.element.tagName : null, url: e.url });
  }).observe({ type: 'largest-contentful-paint', buffered: true });
`;

export interface PaintReadout {
  fcp: number | null;
  lcp: { startTime: number; size: number; tag: string | null; url: string }[];
  load: number;
  documentStart: number;
  documentEnd: number;
  /** responseEnd by URL: the navigation and every resource (Resource Timing, the page's clock). */
  responseEnd: Record<string, number>;
  documentUrl: string;
}

async function readPaints(page: Page): Promise<PaintReadout> {
  return (await page.evaluate(`(() => {
    const navigation = performance.getEntriesByType('navigation')[0];
    const responseEnd = {};
    for (const e of performance.getEntriesByType('resource')) responseEnd[e.name] ??= e.responseEnd;
    if (navigation) responseEnd[navigation.name] = navigation.responseEnd;
    return {
      fcp: window.__kushPaint.fcp,
      lcp: window.__kushPaint.lcp,
      load: navigation ? navigation.loadEventStart : NaN,
      documentStart: navigation ? navigation.responseStart : NaN,
      documentEnd: navigation ? navigation.responseEnd : NaN,
      responseEnd,
      documentUrl: navigation ? navigation.name : location.href,
    };
  })()`)) as PaintReadout;
}

const sum = (records: { bytes: number }[]): Bytes => ({
  bytes: records.reduce((total, r) => total + r.bytes, 0),
  requests: records.length,
});

async function throttle(cdp: CDPSession, cacheDisabled: boolean): Promise<void> {
  // Events only, no response bodies: a DevTools session that keeps bodies decodes the whole document
  // again on the page's main thread when it finishes loading (a trace shows one
  // TextResourceDecoder::Decode of the document per such session in BodyLoadingFinished, right before
  // the parser's second chunk), a cost proportional to the document's size that no viewer's phone
  // pays. Playwright's own session still keeps them; this one need not add a second copy.
  await cdp.send('Network.enable', { maxTotalBufferSize: 0, maxResourceBufferSize: 0 });
  await cdp.send('Page.enable');
  await cdp.send('Page.setLifecycleEventsEnabled', { enabled: true });
  await cdp.send('Network.setCacheDisabled', { cacheDisabled });
  await cdp.send('Network.emulateNetworkConditions', webCdpConditions());
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
}

async function measuredLoad(page: Page, log: NetworkLog, url: string, timeoutMs: number, errors: string[]) {
  log.reset();
  const response = await page.goto(url, { waitUntil: 'load', timeout: timeoutMs });
  if (!response) throw new Error(`no response for ${url}`);
  await page.waitForTimeout(LCP_SETTLE_MS);
  const paints = await readPaints(page);
  if (paints.fcp === null) throw new Error(`${url}: no first-contentful-paint entry`);
  if (log.fcpAt === undefined || log.loadAt === undefined) {
    throw new Error(`${url}: Chromium reported no firstContentfulPaint or load event`);
  }
  const lcp = paints.lcp.at(-1);
  if (!lcp) throw new Error(`${url}: no largest-contentful-paint entry`);
  const finished = log.finishedByLoad();
  const byType: Record<string, Bytes> = {};
  for (const type of new Set(finished.map((r) => r.type ?? 'Other'))) {
    byType[type] = sum(finished.filter((r) => (r.type ?? 'Other') === type));
  }
  const scripts = finished.filter((r) => r.type === 'Script');
  const beforeFcp = (r: RequestRecord) => (paints.responseEnd[r.url] ?? Infinity) <= paints.fcp!;
  const document = finished.find((r) => r.type === 'Document' && paints.responseEnd[r.url] !== undefined);
  // CDP monotonic seconds → page ms, anchored on the document's finish as both clocks saw it.
  const offsetMs = document ? document.finishedAt! * 1000 - paints.responseEnd[document.url]! : NaN;
  let lcpElement = lcp.tag ?? 'unknown';
  if (lcp.url) lcpElement += ` ${new URL(lcp.url).pathname.slice(0, 80)}`;
  return {
    status: response.status(),
    fcpMs: paints.fcp,
    lcpMs: lcp.startTime,
    lcpElement,
    firstTextMs: firstText(paints.lcp),
    loadMs: paints.load,
    documentStartMs: paints.documentStart,
    documentEndMs: paints.documentEnd,
    jsBeforeFcp: sum(scripts.filter(beforeFcp)),
    jsTotal: sum(scripts),
    byType,
    total: sum(finished),
    fcpClockCheckMs: Math.round((paints.fcp - (log.fcpAt * 1000 - offsetMs)) * 10) / 10,
    withoutResourceTiming: finished.filter((r) => paints.responseEnd[r.url] === undefined).length,
    pageErrors: [...errors],
  } satisfies LoadResult;
}

/** The first LCP candidate that is text: candidates for pictures and videos carry their URL. */
export function firstText(candidates: PaintReadout['lcp']): number {
  return candidates.find((c) => c.url === '')?.startTime ?? NaN;
}

const SERVICE_WORKER_READY = `navigator.serviceWorker
  ? Promise.race([navigator.serviceWorker.ready.then(() => true), new Promise((r) => setTimeout(() => r(false), 15000))])
  : false`;

/**
 * One cold load in a fresh context (empty cache, cache also disabled through CDP, no service
 * worker yet); with `repeat`, a repeat visit instead: an unmeasured first load in a fresh context
 * with the cache enabled, the service worker (if the page registers one) given time to activate,
 * then the measured second load. Throttled the same way, from before the first request. With
 * `traceCategories`, a cold load traced with those categories (the trace is returned).
 */
export async function loadPage(
  browser: Browser,
  url: string,
  options: { timeoutMs: number; repeat?: boolean; traceCategories?: string[] },
): Promise<LoadResult & { serviceWorker?: boolean; trace?: Buffer }> {
  const context = await browser.newContext(PHONE);
  try {
    await context.addInitScript({ content: PAINT_OBSERVERS });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    const cdp = await context.newCDPSession(page);
    const log = new NetworkLog(cdp);
    await throttle(cdp, !options.repeat);
    if (options.traceCategories) {
      // A cold load with a Chromium trace of it (bench/web/trace-summary.ts reads it).
      await browser.startTracing(page, { categories: options.traceCategories });
      try {
        const result = await measuredLoad(page, log, url, options.timeoutMs, errors);
        return { ...result, trace: await browser.stopTracing() };
      } catch (err) {
        await browser.stopTracing().catch(() => {});
        throw err;
      }
    }
    if (!options.repeat) return await measuredLoad(page, log, url, options.timeoutMs, errors);

    await page.goto(url, { waitUntil: 'load', timeout: options.timeoutMs });
    const serviceWorker = (await page.evaluate(SERVICE_WORKER_READY)) as boolean;
    return { ...(await measuredLoad(page, log, url, options.timeoutMs, errors)), serviceWorker };
  } finally {
    await context.close();
  }
}
