/**
 * The web group: the production web app's home and title pages and a bare Next.js page, loaded in
 * Chromium on an emulated slow phone (1.6 Mbps, 150 ms RTT, 4× CPU slowdown), each in fresh
 * browser contexts: FCP, LCP and the JavaScript bytes loaded before first paint and by load.
 */
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../../e2e/support/browser';
import { onInterrupt } from '../lib/cleanup';
import { CPU_SLOWDOWN, loadPage, type LoadResult, PHONE, WEB_NETWORK, webCdpConditions } from './page-load';
import { type WebPlatform, startWebPlatform } from './platform';
import { formatWebTable, type PageSummary, summarizePages, WEB_TARGETS, type WebLoad } from './report';

export interface WebOptions {
  /**
   * BENCH_WEB_RUNS, default 9: cold loads per page, each in a fresh browser context. Single loads
   * move ±40% on a 2-core machine; with pages near a ratio target, a median of 5 decides it by chance.
   */
  runs: number;
  /** BENCH_WEB_WARM, default on: one repeat visit per page too (0 turns it off). */
  warm: boolean;
  /** BENCH_WEB_TIMEOUT, default 60 s: a page not loaded by then is an error. */
  timeoutMs: number;
}

export function readWebOptions(env: Record<string, string | undefined> = process.env): WebOptions {
  const whole = (name: string, fallback: number, min: number) => {
    const raw = env[name]?.trim() || String(fallback);
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be a whole number >= ${min}, got "${raw}"`);
    return n;
  };
  const warm = env.BENCH_WEB_WARM?.trim() ?? '1';
  if (!['', '0', '1'].includes(warm)) throw new Error(`BENCH_WEB_WARM must be 0 or 1, got "${warm}"`);
  return {
    runs: whole('BENCH_WEB_RUNS', 9, 1),
    warm: warm !== '0',
    timeoutMs: whole('BENCH_WEB_TIMEOUT', 60, 1) * 1000,
  };
}

export interface WebReport {
  options: WebOptions;
  method: string;
  conditions: {
    network: typeof WEB_NETWORK;
    cdp: ReturnType<typeof webCdpConditions>;
    cpuSlowdown: number;
    phone: typeof PHONE;
  };
  targets: typeof WEB_TARGETS;
  platform?: Pick<WebPlatform, 'titleSlug' | 'illustratedTitles' | 'bareBuild' | 'appBuild'>;
  chromium?: string;
  pages: PageSummary[];
  loads: WebLoad[];
  /** Loads that failed (errors, not slowness) and setup failures: these fail the run. */
  failures: string[];
  table?: string;
}

export const WEB_METHOD =
  'fresh Chromium context per load (cache also disabled with Network.setCacheDisabled); CDP ' +
  'Network.emulateNetworkConditions (latency = RTT) and Emulation.setCPUThrottlingRate; loads ' +
  'interleaved bare → home → title per round; FCP = paint observer, LCP = last largest-contentful-paint ' +
  'entry 1 s after load; bytes = Network.loadingFinished encodedDataLength (compressed body + headers), ' +
  "Script type, finished before CDP's firstContentfulPaint lifecycle event / before the load event";

export async function runWebGroup(options: WebOptions, log: (line: string) => void): Promise<WebReport> {
  const report: WebReport = {
    options,
    method: WEB_METHOD,
    conditions: { network: WEB_NETWORK, cdp: webCdpConditions(), cpuSlowdown: CPU_SLOWDOWN, phone: PHONE },
    targets: WEB_TARGETS,
    pages: [],
    loads: [],
    failures: [],
  };
  let platform: WebPlatform | undefined;
  let browser: Browser | undefined;
  let forgetBrowser = () => {};
  try {
    platform = await startWebPlatform(log);
    const { titleSlug, illustratedTitles, bareBuild, appBuild } = platform;
    report.platform = { titleSlug, illustratedTitles, bareBuild, appBuild };
    browser = await launchBrowser();
    const launched = browser;
    forgetBrowser = onInterrupt(() => launched.close());
    report.chromium = browser.version();

    const record = (page: string, run: number, result: LoadResult | undefined, error: string | undefined) => {
      const load: WebLoad = { page, run, ...(result ? { result } : {}), ...(error ? { error } : {}) };
      report.loads.push(load);
      return load;
    };
    const check = (result: LoadResult) => {
      if (result.status !== 200) throw new Error(`answered ${result.status}`);
      if (result.pageErrors.length > 0)
        throw new Error(`uncaught errors in the page: ${result.pageErrors.join(' | ')}`);
      return result;
    };
    // Rounds of bare → home → title, so a busy moment on the machine hits every page alike.
    for (let run = 1; run <= options.runs; run++) {
      for (const page of platform.pages) {
        try {
          const r = check(await loadPage(browser, page.url, { timeoutMs: options.timeoutMs }));
          record(page.name, run, r, undefined);
          log(
            `web: ${page.name} #${run}: FCP ${r.fcpMs.toFixed(0)} ms, text ${r.firstTextMs.toFixed(0)} ms, LCP ${r.lcpMs.toFixed(0)} ms (${r.lcpElement}), ` +
              `JS ${(r.jsBeforeFcp.bytes / 1000).toFixed(1)} kB before FCP / ${(r.jsTotal.bytes / 1000).toFixed(1)} kB ` +
              `by load (${r.jsTotal.requests} scripts)`,
          );
        } catch (err) {
          const message = err instanceof Error ? err.message : String(err);
          record(page.name, run, undefined, message);
          report.failures.push(`web ${page.name} #${run}: not measured: ${message}`);
          log(`web: ${page.name} #${run}: FAILED: ${message}`);
        }
      }
    }
    const warm = new Map<string, LoadResult & { serviceWorker?: boolean }>();
    if (options.warm) {
      for (const page of platform.pages) {
        try {
          const r = await loadPage(browser, page.url, { timeoutMs: options.timeoutMs, repeat: true });
          check(r);
          warm.set(page.name, r);
          log(
            `web: ${page.name} repeat visit: FCP ${r.fcpMs.toFixed(0)} ms, LCP ${r.lcpMs.toFixed(0)} ms, ` +
              `${(r.total.bytes / 1000).toFixed(1)} kB over the network${r.serviceWorker ? ' (service worker active)' : ''}`,
          );
        } catch (err) {
          const message = err instanceof Error ? err.message : String(err);
          report.failures.push(`web ${page.name} repeat visit: not measured: ${message}`);
        }
      }
    }
    report.pages = summarizePages(platform.pages, report.loads, warm);
    report.table = formatWebTable(report.pages);
  } catch (err) {
    report.failures.push(`web: not measured: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  } finally {
    forgetBrowser();
    await browser?.close().catch(() => {});
    await platform?.stop().catch((err: unknown) => log(`web: error while stopping: ${String(err)}`));
  }
  return report;
}
