import { createRequire } from 'node:module';
import { ensureAdmin, type RunningApi } from '@kush/api';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertTitle } from '../apps/api/src/testing/catalog-rows';
import { makeClip } from '../apps/api/src/testing/media-fixtures';
import { launchBrowser } from './support/browser';
import { startPlatform, type Platform } from './support/platform';
import type { WebServer } from './support/web-server';

const hlsScript = createRequire(import.meta.url).resolve('hls.js/dist/hls.min.js');

/** Upload → transcode → ready → play, with hls.js in Chromium through the web app's /api proxy. */
describe('playback in the browser', () => {
  let platform: Platform;
  let api: RunningApi;
  let web: WebServer;
  let browser: Browser;
  let titleId: string;

  beforeAll(async () => {
    platform = await startPlatform({ TRANSCODE_PRESET: 'ultrafast' });
    ({ api, web } = platform);
    const password = 'an e2e staff password';
    await ensureAdmin(api.ctx.db.db, 'e2e-staff@kushfilms.com', { password });

    // A staff member uploads through the same signed URL the console uses.
    const login = await fetch(`${web.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ identifier: 'e2e-staff@kushfilms.com', password, tokenDelivery: 'body' }),
    });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const auth = { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' };
    const clip = (await makeClip({ seconds: 8, width: 640, height: 360 })).bytes;
    const created = (await (
      await fetch(`${web.url}/api/v1/admin/videos`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({ filename: 'e2e.mp4', contentType: 'video/mp4', size: clip.length }),
      })
    ).json()) as { video: { id: string }; upload: { url: string; headers: Record<string, string> } };
    expect(
      (await fetch(created.upload.url, { method: 'PUT', headers: created.upload.headers, body: clip })).status,
    ).toBe(200);
    expect(
      (
        await fetch(`${web.url}/api/v1/admin/videos/${created.video.id}/upload/complete`, {
          method: 'POST',
          headers: { authorization: auth.authorization },
        })
      ).status,
    ).toBe(200);
    await api.ctx.infra.queue.whenIdle(120_000);
    titleId = (await insertTitle(api.ctx.db.db, { videoId: created.video.id })).id;
    browser = await launchBrowser();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  it('hls.js plays the title and time advances', async () => {
    const page = await browser.newPage();
    await page.goto(web.url);
    await page.addScriptTag({ path: hlsScript });
    const result = await page.evaluate(`(async () => {
      const res = await fetch('/api/v1/playback', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ titleId: ${JSON.stringify(titleId)} }) });
      const playback = await res.json();
      const video = document.createElement('video');
      video.muted = true;
      document.body.appendChild(video);
      const hls = new Hls();
      const levels = [];
      hls.on(Hls.Events.LEVEL_SWITCHED, (_e, d) => levels.push(hls.levels[d.level].height));
      hls.loadSource(playback.masterUrl);
      hls.attachMedia(video);
      await new Promise((resolve, reject) => {
        hls.on(Hls.Events.ERROR, (_e, d) => { if (d.fatal) reject(new Error(d.details)); });
        hls.on(Hls.Events.MANIFEST_PARSED, () => video.play().then(resolve, reject));
      });
      const start = video.currentTime;
      await new Promise((resolve) => setTimeout(resolve, 2500));
      return { status: res.status, levels: hls.levels.map((l) => l.height), start, now: video.currentTime, switched: levels };
    })()`);
    const r = result as { status: number; levels: number[]; start: number; now: number };
    expect(r.status).toBe(200);
    expect([...r.levels].sort((a, b) => a - b)).toEqual([144, 240, 360]);
    expect(r.now).toBeGreaterThan(r.start + 0.5);
    await page.close();
  });
});
