import { HLS_PLAYER_CONFIG } from '@kush/contracts';
/** One start-up attempt: a fresh browser context (empty cache), a throttled network, hls.js in the page. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { viewports } from '../../e2e/support/browser';
import { REPO_ROOT } from '../lib/spawn-server';
import { type NetworkProfile, toCdpConditions } from './network';

export const HLS_SCRIPT = path.join(REPO_ROOT, 'node_modules/hls.js/dist/hls.min.js');
const PROBE_SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'page-probe.js');

export interface LevelInfo {
  index: number;
  height: number;
  width: number;
  /** The variant's BANDWIDTH (peak), bits/s. */
  bitrate: number;
  averageBitrate?: number;
}

/** What page-probe.js returns; times in ms from loadSource unless named otherwise. */
export interface AttemptResult {
  playbackRequestMs: number;
  firstFrameMs: number;
  firstFrameFromClickMs: number;
  firstFrameMethod: string;
  bytesBeforeFirstFrame: number;
  requestsBeforeFirstFrame: number;
  hlsBytesBeforeFirstFrame: number;
  startLevel: LevelInfo | null;
  firstLoadedLevel: LevelInfo | null;
  levels: (LevelInfo | null)[];
  loads: { kind: string; bytes: number; start: number; first: number; end: number; level?: number; sn?: number }[];
  resources: { url: string; start: number; end: number; encodedBodySize: number; transferSize: number }[];
  hlsErrors: { type: string; details: string; fatal: boolean }[];
  playError: string | null;
  hlsVersion: string;
  /** CDP Network.loadingFinished encodedDataLength (headers + body on the wire) of the stream requests. */
  cdpStreamWireBytes: number;
}

export interface Attempt {
  profile: string;
  run: number;
  result?: AttemptResult;
  error?: string;
}

const BLANK_PAGE =
  '<!doctype html><html><head><meta charset="utf-8"><title>start-up bench</title></head><body></body></html>';

export function checkHlsScript(): void {
  if (!existsSync(HLS_SCRIPT)) {
    throw new Error(
      `${path.relative(REPO_ROOT, HLS_SCRIPT)} is missing: run npm install (hls.js is a dependency of @kush/web)`,
    );
  }
}

export async function runAttempt(
  browser: Browser,
  options: { webUrl: string; titleId: string; profile: NetworkProfile; timeoutMs: number },
): Promise<AttemptResult> {
  // A fresh context each time: no HTTP cache, no cookies, no connections carried over.
  const context = await browser.newContext({ viewport: viewports.phone, bypassCSP: true });
  try {
    const page = await context.newPage();
    // Any page of the web origin will do; its own liveness route calls nothing. The document is
    // then replaced in place (same URL, so same origin as the /api proxy), unthrottled: the page
    // and the hls.js library (which a real app ships in its bundle) are not part of the measurement.
    await page.goto(`${options.webUrl}/healthz`);
    await page.setContent(BLANK_PAGE);
    await page.addScriptTag({ path: HLS_SCRIPT });
    await page.addScriptTag({ path: PROBE_SCRIPT });

    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    const streamRequests = new Set<string>();
    let cdpStreamWireBytes = 0;
    cdp.on('Network.requestWillBeSent', (e) => {
      if (e.request.url.includes('/api/v1/stream/')) streamRequests.add(e.requestId);
    });
    cdp.on('Network.loadingFinished', (e) => {
      if (streamRequests.has(e.requestId)) cdpStreamWireBytes += e.encodedDataLength;
    });
    await cdp.send('Network.emulateNetworkConditions', toCdpConditions(options.profile));

    const args = JSON.stringify({ titleId: options.titleId, timeoutMs: options.timeoutMs, config: HLS_PLAYER_CONFIG });
    const result = (await page.evaluate(`window.__kushStartupProbe(${args})`)) as Omit<
      AttemptResult,
      'cdpStreamWireBytes'
    >;
    await cdp.detach();
    return { ...result, cdpStreamWireBytes };
  } finally {
    await context.close();
  }
}
