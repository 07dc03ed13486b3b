/**
 * Offline downloads in Chromium at a phone size, on the real API and the built web app: a
 * subscriber downloads a transcoded title from its page (every file into the device's download
 * cache, with progress), finds it on /downloads, and with the network cut plays it from there;
 * a free viewer is offered Premium instead of a Download button.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { RunningApi } from '@kush/api';
import { subscriptions, uuidv7 } from '@kush/db';
import { locateBinary } from '@kush/media';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertTitle, type TitleRow } from '../apps/api/src/testing/catalog-rows';
import { en } from '../apps/web/lib/i18n/en';
import { launchBrowser, saveScreenshot, screenshotDir, viewports } from './support/browser';
import { startPlatform, type Platform, uploadClipAsStaff } from './support/platform';
import type { WebServer } from './support/web-server';

const VIDEO = `document.querySelector('[data-testid="offline-video"]')`;
const TIME = `(${VIDEO}?.currentTime ?? 0)`;

describe('offline downloads', () => {
  let platform: Platform;
  let api: RunningApi;
  let web: WebServer;
  let browser: Browser;
  let title: TitleRow;

  beforeAll(async () => {
    process.env.FFMPEG_PATH ??= (await locateBinary('ffmpeg')).path;
    platform = await startPlatform({ TRANSCODE_PRESET: 'ultrafast' });
    ({ api, web } = platform);

    // Staff upload a short clip through the console's signed URL; the worker transcodes it.
    const { videoId } = await uploadClipAsStaff(platform, {
      email: 'e2e-downloads-staff@kushfilms.com',
      seconds: 16,
      filename: 'offline.mp4',
    });
    title = await insertTitle(api.ctx.db.db, { videoId, name: 'Rwenzori Rain' });

    browser = await launchBrowser();
    if (!existsSync(path.join(screenshotDir, '.gitignore'))) {
      mkdirSync(screenshotDir, { recursive: true });
      writeFileSync(path.join(screenshotDir, '.gitignore'), '*.png\n');
    }
  }, 900_000); // a fresh web build and a transcode, on a busy shared machine

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  /** A phone-sized browser with a newly registered viewer on its first profile. */
  async function viewerContext(tag: string): Promise<{ context: BrowserContext; userId: string }> {
    const context = await browser.newContext({ viewport: viewports.phone });
    const page = await context.newPage();
    await page.goto(`${web.url}/healthz`);
    const { userId, profileId } = await page.evaluate(async (email) => {
      const registered = await fetch('/api/v1/auth/register', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          email,
          password: 'a viewer password for e2e',
          displayName: 'Auma',
          tokenDelivery: 'cookie',
        }),
      });
      if (registered.status !== 201) throw new Error(`register: ${registered.status}`);
      const { user } = (await registered.json()) as { user: { id: string } };
      const profiles = (await (await fetch('/api/v1/profiles')).json()) as { items: { id: string }[] };
      return { userId: user.id, profileId: profiles.items[0]!.id };
    }, `downloads-${tag}-${Date.now()}@example.com`);
    await context.addCookies([{ name: 'kf_profile', value: profileId, url: web.url }]);
    await page.close();
    return { context, userId };
  }

  it('a subscriber downloads a title, finds it on /downloads and plays it offline', async () => {
    const { context, userId } = await viewerContext('premium');
    // A Premium Week pass, as a mobile-money payment leaves it.
    await api.ctx.db.db.insert(subscriptions).values({
      id: uuidv7(),
      userId,
      planCode: 'premium-week',
      kind: 'pass',
      status: 'active',
      provider: 'sandbox',
      downloads: true,
      maxQuality: 1080,
      currentPeriodStart: new Date(),
      currentPeriodEnd: new Date(Date.now() + 7 * 86_400_000),
    });
    const page: Page = await context.newPage();
    await page.goto(`${web.url}/title/${title.slug}`);
    // The service worker must be in charge before the network goes.
    await page.waitForFunction(
      `navigator.serviceWorker.ready.then(() => !!navigator.serviceWorker.controller)`,
      undefined,
      {
        timeout: 30_000,
      },
    );
    await expect(page.getByTestId('download-upsell').count()).resolves.toBe(0);
    await page.getByRole('button', { name: en.downloadButton }).click();
    await page.getByTestId('download-done').waitFor({ timeout: 60_000 });
    await expect(page.getByTestId('download-done').innerText()).resolves.toMatch(/\d+(\.\d)? MB/);
    await saveScreenshot(page, 'downloads-title-phone');

    // Every file of the download is in the cache, and the API recorded it.
    const cached = (await page.evaluate(
      `caches.open('kf-downloads').then((c) => c.keys()).then((keys) => keys.map((r) => new URL(r.url).pathname))`,
    )) as string[];
    expect(cached.some((p) => p.endsWith('/master.m3u8'))).toBe(true);
    expect(cached.filter((p) => p.endsWith('.m4s')).length).toBeGreaterThan(1);
    expect(cached.some((p) => /^\/downloads\/[0-9a-f-]+\/play$/.test(p))).toBe(true);

    await page.getByRole('link', { name: en.downloadSeeAll }).click();
    await page.waitForURL(`${web.url}/downloads`);
    const item = page.getByTestId('download-item');
    await expect(item.count()).resolves.toBe(1);
    await expect(item.innerText()).resolves.toContain('Rwenzori Rain');
    await expect(item.innerText()).resolves.toMatch(/MB/);
    await saveScreenshot(page, 'downloads-list-phone');

    // No network: the offline player opens from the cache and the video plays.
    await context.setOffline(true);
    const served: { path: string; fromCache: boolean }[] = [];
    page.on('response', (response) => {
      const url = new URL(response.url());
      if (/^\/(api\/v1\/|downloads\/)/.test(url.pathname)) {
        served.push({ path: url.pathname, fromCache: response.fromServiceWorker() });
      }
    });
    await item.getByRole('link', { name: new RegExp(en.downloadsPlay) }).click();
    await page.waitForURL(/\/downloads\/[0-9a-f-]+\/play$/);
    await page.locator('[data-testid="offline-video"]').waitFor({ timeout: 30_000 });
    await page.waitForFunction(`${VIDEO}?.readyState >= 2`, undefined, { timeout: 30_000 });
    // Chromium may hold back sound without a gesture: start muted, as a viewer's tap would.
    await page.evaluate(`(() => { const v = ${VIDEO}; v.muted = true; return v.play(); })()`);
    await page.waitForFunction(`${TIME} > 2`, undefined, { timeout: 30_000 });
    await saveScreenshot(page, 'downloads-offline-phone');
    // The page, playlists and segments all came from the download cache; the network really is off.
    expect(served.some((r) => r.path.endsWith('/master.m3u8'))).toBe(true);
    expect(served.filter((r) => r.path.endsWith('.m4s')).length).toBeGreaterThan(1);
    expect(
      served
        .filter(
          (r) =>
            r.path.startsWith('/downloads/') ||
            r.path.includes('/api/v1/stream/') ||
            r.path.includes('/api/v1/downloads/files/'),
        )
        .every((r) => r.fromCache),
    ).toBe(true);
    await expect(page.evaluate(`fetch('/api/v1/health').then(() => 'online', () => 'offline')`)).resolves.toBe(
      'offline',
    );

    // Removing, back online: the files leave the cache and the account.
    await context.setOffline(false);
    await page.goto(`${web.url}/downloads`);
    await page.getByRole('button', { name: new RegExp(en.downloadsRemove) }).click();
    await page.getByText(en.downloadsEmpty).waitFor();
    const left = (await page.evaluate(
      `caches.open('kf-downloads').then((c) => c.keys()).then((keys) => keys.filter((r) => r.url.includes('/api/v1/')).length)`,
    )) as number;
    expect(left).toBe(0);
    await context.close();
  }, 240_000);

  it('a free viewer sees no Download button, only the way to Premium', async () => {
    const { context } = await viewerContext('free');
    const page = await context.newPage();
    await page.goto(`${web.url}/title/${title.slug}`);
    await expect(page.locator('h1').innerText()).resolves.toBe('Rwenzori Rain');
    await expect(page.getByRole('button', { name: en.downloadButton }).count()).resolves.toBe(0);
    const upsell = page.getByRole('link', { name: en.downloadUpsell });
    await expect(upsell.getAttribute('href')).resolves.toBe('/plans');
    await saveScreenshot(page, 'downloads-free-phone');
    await context.close();
  }, 120_000);
});
