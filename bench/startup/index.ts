/**
 * The start-up group: hls.js in headless Chromium plays a sample title through the real playback
 * API and web app under throttled networks; time from loadSource to the first frame and the bytes
 * downloaded before it, a few fresh-context attempts per network.
 */
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../../e2e/support/browser';
import { onInterrupt } from '../lib/cleanup';
import { NETWORK_PROFILES, toCdpConditions } from './network';
import { type Platform, STARTUP_CLIP, startPlatform } from './platform';
import { type Attempt, checkHlsScript, runAttempt } from './player';
import { formatStartupTable, levelLabel, type ProfileSummary, summarize } from './report';

export interface StartupOptions {
  /** BENCH_STARTUP_RUNS, default 3: attempts per network, each in a fresh browser context. */
  runs: number;
  /** BENCH_STARTUP_TIMEOUT, default 60 s: an attempt without a frame by then is an error. */
  timeoutMs: number;
}

export function readStartupOptions(env: Record<string, string | undefined> = process.env): StartupOptions {
  const whole = (name: string, fallback: number) => {
    const raw = env[name]?.trim() || String(fallback);
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a whole number >= 1, got "${raw}"`);
    return n;
  };
  return { runs: whole('BENCH_STARTUP_RUNS', 3), timeoutMs: whole('BENCH_STARTUP_TIMEOUT', 60) * 1000 };
}

export interface StartupReport {
  options: StartupOptions;
  method: string;
  clip: typeof STARTUP_CLIP;
  sample?: { titleId: string; transcodeSeconds: number; renditions: Platform['video']['renditions'] };
  chromium?: string;
  hlsVersion?: string;
  networks: (ProfileSummary & { cdp: ReturnType<typeof toCdpConditions> })[];
  attempts: Attempt[];
  /** Attempts that never played (errors, not slowness) and setup failures: these fail the run. */
  failures: string[];
  table?: string;
}

export const STARTUP_METHOD =
  'fresh Chromium context per attempt; CDP Network.emulateNetworkConditions with latency = RTT (Chromium adds it ' +
  'once per request, request sent → response start) and throughput = kbps × 125 B/s; first frame = ' +
  'requestVideoFrameCallback presentationTime − time of hls.loadSource(); bytes = Σ encodedBodySize of the ' +
  "page's requests started after loadSource and finished by the first frame (Resource Timing)";

export async function runStartupGroup(options: StartupOptions, log: (line: string) => void): Promise<StartupReport> {
  checkHlsScript();
  const report: StartupReport = {
    options,
    method: STARTUP_METHOD,
    clip: STARTUP_CLIP,
    networks: [],
    attempts: [],
    failures: [],
  };
  let platform: Platform | undefined;
  let browser: Browser | undefined;
  let forgetBrowser = () => {};
  try {
    platform = await startPlatform(log);
    report.sample = {
      titleId: platform.titleId,
      transcodeSeconds: Math.round(platform.transcodeSeconds),
      renditions: platform.video.renditions,
    };
    browser = await launchBrowser();
    const launched = browser;
    forgetBrowser = onInterrupt(() => launched.close());
    report.chromium = browser.version();
    for (const profile of NETWORK_PROFILES) {
      const attempts: Attempt[] = [];
      for (let run = 1; run <= options.runs; run++) {
        const attempt: Attempt = { profile: profile.name, run };
        try {
          attempt.result = await runAttempt(browser, {
            webUrl: platform.webUrl,
            titleId: platform.titleId,
            profile,
            timeoutMs: options.timeoutMs,
          });
          report.hlsVersion ??= attempt.result.hlsVersion;
          const r = attempt.result;
          log(
            `startup: ${profile.name} #${run}: first frame ${r.firstFrameMs.toFixed(0)} ms after loadSource ` +
              `(${r.firstFrameFromClickMs.toFixed(0)} ms from the playback call), ` +
              `${(r.bytesBeforeFirstFrame / 1000).toFixed(1)} kB in ${r.requestsBeforeFirstFrame} requests, ` +
              `started on ${levelLabel(r.startLevel)}`,
          );
        } catch (err) {
          attempt.error = err instanceof Error ? err.message : String(err);
          report.failures.push(`startup ${profile.name} #${run}: playback did not start: ${attempt.error}`);
          log(`startup: ${profile.name} #${run}: FAILED: ${attempt.error}`);
        }
        attempts.push(attempt);
      }
      report.attempts.push(...attempts);
      report.networks.push({ ...summarize(profile, attempts), cdp: toCdpConditions(profile) });
    }
    report.table = formatStartupTable(report.networks);
  } catch (err) {
    report.failures.push(`startup: not measured: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  } finally {
    forgetBrowser();
    await browser?.close().catch(() => {});
    await platform?.stop().catch((err: unknown) => log(`startup: error while stopping: ${String(err)}`));
  }
  return report;
}
