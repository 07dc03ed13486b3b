import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ensureAdmin, type RunningApi } from '@kush/api';
import { subscriptions, uuidv7 } from '@kush/db';
import { locateBinary } from '@kush/media';
import { DOMParser } from '@xmldom/xmldom';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeImage, parseVast as referenceParse } from '../apps/api/src/modules/ads/ads-testing';
import { renderInline, renderNoFill, type VastInlineAd } from '../apps/api/src/modules/ads/vast';
import { updateUser } from '../apps/api/src/modules/accounts/accounts.repository';
import { insertTitle, type TitleRow } from '../apps/api/src/testing/catalog-rows';
import { makeClip } from '../apps/api/src/testing/media-fixtures';
import { chooseMediaFile, parseVast, type XmlDocument } from '../apps/web/components/ads/vast';
import { launchBrowser, saveScreenshot, screenshotDir } from './support/browser';
import { startPlatform, type Platform } from './support/platform';
import type { WebServer } from './support/web-server';

const SKIP_AFTER_SECONDS = 3;

const xml = (text: string) => new DOMParser().parseFromString(text, 'text/xml') as unknown as XmlDocument;

// Browser-side expressions are strings: this file compiles without the DOM library.
const AD_VIDEO = `document.querySelector('[data-pre-roll] video')`;
const TITLE_VIDEO = `document.querySelector('[data-player] > video')`;

describe('ads on the watch page', () => {
  let platform: Platform;
  let api: RunningApi;
  let web: WebServer;
  let browser: Browser;
  let title: TitleRow;
  let videoCampaignId: string;
  let bannerCampaignId: string;
  let adManager: Record<string, string>;

  /** A JSON call to the API through the web app's proxy, as the console makes it. */
  async function call<T>(method: string, url: string, auth: Record<string, string>, body?: unknown): Promise<T> {
    const response = await fetch(`${web.url}${url}`, {
      method,
      headers: { ...auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  async function signIn(identifier: string, password: string): Promise<Record<string, string>> {
    const { accessToken } = await call<{ accessToken: string }>(
      'POST',
      '/api/v1/auth/login',
      {},
      {
        identifier,
        password,
        tokenDelivery: 'body',
      },
    );
    return { authorization: `Bearer ${accessToken}` };
  }

  /** Uploads bytes to a signed upload URL the API handed out. */
  async function put(upload: { url: string; headers: Record<string, string> }, bytes: Uint8Array): Promise<void> {
    const response = await fetch(upload.url, { method: 'PUT', headers: upload.headers, body: new Uint8Array(bytes) });
    expect(response.status).toBe(200);
  }

  /** A viewer who registered in the browser (httpOnly cookies) and uses the account's first profile. */
  async function newViewer(viewport: { width: number; height: number }) {
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    await page.goto(`${web.url}/healthz`);
    const ids = await page.evaluate(async () => {
      const registered = await fetch('/api/v1/auth/register', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          email: `ads-${Date.now()}-${Math.random().toString(36).slice(2)}@example.com`,
          password: 'a viewer password for e2e',
          displayName: 'Apio',
          tokenDelivery: 'cookie',
        }),
      });
      if (registered.status !== 201) throw new Error(`register: ${registered.status}`);
      const profiles = (await (await fetch('/api/v1/profiles')).json()) as { items: { id: string }[] };
      const me = (await (await fetch('/api/v1/me')).json()) as { id: string };
      return { profileId: profiles.items[0]!.id, userId: me.id };
    });
    await context.addCookies([{ name: 'kf_profile', value: ids.profileId, url: web.url }]);
    await page.close();
    return { context, ...ids };
  }

  const report = (campaignId: string) =>
    call<{ totals: { impressions: number; starts: number; skips: number; completes: number; clicks: number } }>(
      'GET',
      `/api/v1/admin/ads/campaigns/${campaignId}/report`,
      adManager,
    );

  beforeAll(async () => {
    process.env.FFMPEG_PATH ??= (await locateBinary('ffmpeg')).path;
    platform = await startPlatform({ TRANSCODE_PRESET: 'ultrafast' });
    ({ api, web } = platform);

    // Staff upload the title's video.
    const staffPassword = 'an e2e staff password';
    await ensureAdmin(api.ctx.db.db, 'e2e-ads-staff@kushfilms.com', { password: staffPassword });
    const staff = await signIn('e2e-ads-staff@kushfilms.com', staffPassword);
    const film = (await makeClip({ seconds: 20, width: 640, height: 360 })).bytes;
    const filmUpload = await call<{ video: { id: string }; upload: { url: string; headers: Record<string, string> } }>(
      'POST',
      '/api/v1/admin/videos',
      staff,
      { filename: 'film.mp4', contentType: 'video/mp4', size: film.length },
    );
    await put(filmUpload.upload, film);
    await call('POST', `/api/v1/admin/videos/${filmUpload.video.id}/upload/complete`, staff);

    // An ad manager: a registered account given the ad_manager role.
    const managerEmail = `e2e-ads-manager-${Date.now()}@kushfilms.com`;
    const managerPassword = 'an ad manager password';
    const registered = await call<{ user: { id: string } }>(
      'POST',
      '/api/v1/auth/register',
      {},
      {
        email: managerEmail,
        password: managerPassword,
        displayName: 'Ad manager',
        tokenDelivery: 'body',
      },
    );
    await updateUser(api.ctx.db.db, registered.user.id, { roles: ['ad_manager'] });
    adManager = await signIn(managerEmail, managerPassword);

    // A 7-second pre-roll, uploaded through the ad video upload API and transcoded.
    const adClip = (await makeClip({ seconds: 7, width: 640, height: 360 })).bytes;
    const adUpload = await call<{ video: { id: string }; upload: { url: string; headers: Record<string, string> } }>(
      'POST',
      '/api/v1/admin/ads/videos',
      adManager,
      { filename: 'umbrellas.mp4', contentType: 'video/mp4', size: adClip.length },
    );
    await put(adUpload.upload, adClip);
    await call('POST', `/api/v1/admin/ads/videos/${adUpload.video.id}/upload/complete`, adManager);
    await api.ctx.infra.queue.whenIdle(300_000);
    const adVideo = await call<{ status: string }>('GET', `/api/v1/admin/ads/videos/${adUpload.video.id}`, adManager);
    expect(adVideo.status).toBe('ready');

    title = await insertTitle(api.ctx.db.db, { videoId: filmUpload.video.id, name: 'Rwenzori Rain' });

    // The pre-roll and the banner run as two campaigns, so each report counts one creative.
    const campaign = (name: string) => ({
      name,
      advertiser: 'Acme Uganda',
      startsAt: new Date(Date.now() - 3600_000).toISOString(),
      endsAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
      budget: { kind: 'impressions', amount: 1000 },
      cpm: 4000,
      pacing: 'asap',
    });
    videoCampaignId = (await call<{ id: string }>('POST', '/api/v1/admin/ads/campaigns', adManager, campaign('Rain')))
      .id;
    await call('POST', `/api/v1/admin/ads/campaigns/${videoCampaignId}/creatives`, adManager, {
      kind: 'video',
      name: 'Umbrellas 7s',
      videoId: adUpload.video.id,
      clickUrl: 'https://acme.example.ug/umbrellas',
      skipAfterSeconds: SKIP_AFTER_SECONDS,
    });
    bannerCampaignId = (
      await call<{ id: string }>('POST', '/api/v1/admin/ads/campaigns', adManager, campaign('Rain banners'))
    ).id;
    const image = await makeImage(320, 50);
    const banner = await call<{ creative: { id: string }; upload: { url: string; headers: Record<string, string> } }>(
      'POST',
      `/api/v1/admin/ads/campaigns/${bannerCampaignId}/creatives`,
      adManager,
      {
        kind: 'banner',
        name: 'Umbrellas 320×50',
        size: '320x50',
        clickUrl: 'https://acme.example.ug/umbrellas',
        contentType: 'image/png',
        contentLength: image.length,
      },
    );
    await put(banner.upload, image);
    await call(
      'POST',
      `/api/v1/admin/ads/campaigns/${bannerCampaignId}/creatives/${banner.creative.id}/image/complete`,
      adManager,
    );

    browser = await launchBrowser();
    if (!existsSync(path.join(screenshotDir, '.gitignore'))) {
      mkdirSync(screenshotDir, { recursive: true });
      writeFileSync(path.join(screenshotDir, '.gitignore'), '*.png\n');
    }
  }, 900_000);

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  it('reads the ad server’s VAST as a reference VAST client does', async () => {
    // A real decision for this title (anonymous viewers see ads), and the documents the API renders.
    const served = await (await fetch(`${web.url}/api/v1/ads/vast?titleId=${title.id}&device=mobile`)).text();
    const ours = parseVast(xml(served));
    const reference = (await referenceParse(served)).ads[0]!;
    expect(ours.kind).toBe('ad');
    if (ours.kind !== 'ad') return;
    const linear = reference.creatives[0]!;
    expect(ours.ad.durationSeconds).toBe(linear.duration);
    expect(ours.ad.skipAfterSeconds).toBe(SKIP_AFTER_SECONDS);
    expect(ours.ad.skipAfterSeconds).toBe(linear.skipDelay);
    expect(ours.ad.clickThroughUrl).toBe(linear.videoClickThroughURLTemplate!.url);
    expect(ours.ad.tracking.impression).toEqual(reference.impressionURLTemplates.map((i) => i.url));
    for (const event of ['start', 'firstQuartile', 'midpoint', 'thirdQuartile', 'complete', 'skip'] as const) {
      expect(ours.ad.tracking[event], event).toEqual(linear.trackingEvents[event]);
    }
    expect(ours.ad.mediaFiles.map((m) => [m.url, m.width, m.height, m.bitrate])).toEqual(
      linear.mediaFiles.map((m) => [m.fileURL, m.width, m.height, m.bitrate]),
    );
    expect(ours.ad.mediaFiles.length).toBeGreaterThan(1);

    // The smallest rendition on a slow link; one that fits the screen otherwise.
    const sizes = ours.ad.mediaFiles.map((m) => m.height).sort((a, b) => a - b);
    expect(chooseMediaFile(ours.ad.mediaFiles, { lowData: true, playerWidth: 1920 })!.height).toBe(sizes[0]);
    expect(chooseMediaFile(ours.ad.mediaFiles, { lowData: false, playerWidth: 1920 })!.height).toBe(sizes.at(-1));
    expect(chooseMediaFile(ours.ad.mediaFiles, { lowData: false, playerWidth: 1920, canPlay: () => false })).toBe(null);
    const slow = await (await fetch(`${web.url}/api/v1/ads/vast?titleId=${title.id}&network=slow`)).text();
    const slowAd = parseVast(xml(slow));
    expect(slowAd.kind === 'ad' && slowAd.ad.mediaFiles.map((m) => m.height)).toEqual([sizes[0]]);

    // No fill, a non-skippable ad, and text that needs escaping and split CDATA.
    expect(parseVast(xml(renderNoFill('https://kushfilms.com/api/v1/ads/no-fill')))).toEqual({
      kind: 'no-ad',
      errorUrls: ['https://kushfilms.com/api/v1/ads/no-fill'],
    });
    const tracking = (e: string) => `https://kushfilms.com/api/v1/ads/events/${e}?p=x]]>y&s=z`;
    const inline: VastInlineAd = {
      servingId: 's1',
      adId: 'a1',
      creativeId: 'c1',
      title: 'Umbrellas & <rain> "now"',
      advertiser: 'Acme',
      durationSeconds: 15.5,
      skipAfterSeconds: null,
      impressionUrl: tracking('impression'),
      errorUrl: 'https://kushfilms.com/api/v1/ads/no-fill',
      clickThroughUrl: 'https://kushfilms.com/api/v1/ads/click?p=a&s=b',
      tracking: {
        start: tracking('start'),
        firstQuartile: tracking('firstQuartile'),
        midpoint: tracking('midpoint'),
        thirdQuartile: tracking('thirdQuartile'),
        complete: tracking('complete'),
        skip: tracking('skip'),
      },
      mediaFiles: [{ url: 'https://cdn.example/ad-360.mp4', width: 640, height: 360, bitrate: 800, type: 'video/mp4' }],
    };
    const plain = parseVast(xml(renderInline(inline)));
    expect(plain).toMatchObject({
      kind: 'ad',
      ad: {
        title: 'Umbrellas & <rain> "now"',
        durationSeconds: 15.5,
        skipAfterSeconds: null,
        tracking: { impression: [tracking('impression')], skip: [] },
      },
    });
    expect(parseVast(xml('<html><body>Bad gateway</body></html>'))).toEqual({ kind: 'no-ad', errorUrls: [] });
  });

  it('plays a skippable pre-roll to a free viewer, then the title; the report counts one impression and one skip', async () => {
    const before = await report(videoCampaignId);
    const { context } = await newViewer({ width: 360, height: 800 });
    const page = await context.newPage();
    const beacons: string[] = [];
    page.on('request', (request) => {
      const match = /\/api\/v1\/ads\/events\/(\w+)/.exec(request.url());
      if (match) beacons.push(match[1]!);
    });
    await page.goto(`${web.url}/watch/${title.slug}`);

    // The ad plays (muted if the browser allows only that) with its countdown and no Skip yet.
    await page.locator('[data-pre-roll]').waitFor();
    await page.waitForFunction(`(${AD_VIDEO}?.currentTime ?? 0) > 0`, undefined, { timeout: 60_000 });
    await expect(page.locator('[data-ad-countdown]').textContent()).resolves.toMatch(/^\d+ s left$/);
    const skipButton = page.getByRole('button', { name: 'Skip ad' });
    const early = (await page.evaluate(
      `({ t: ${AD_VIDEO}.currentTime, skip: [...document.querySelectorAll('[data-pre-roll] button')].some((b) => b.textContent === 'Skip ad') })`,
    )) as { t: number; skip: boolean };
    if (early.skip) expect(early.t).toBeGreaterThanOrEqual(SKIP_AFTER_SECONDS);
    else await expect(page.getByText(/^Skip in \d+ s$/).count()).resolves.toBe(1);
    await expect(page.getByRole('link', { name: /^Learn more/ }).getAttribute('href')).resolves.toMatch(
      /\/api\/v1\/ads\/click\?p=/,
    );
    await saveScreenshot(page, 'ads-pre-roll-phone-360x800');

    // Skip appears once the ad has played its skip offset; skipping starts the title.
    await skipButton.waitFor({ timeout: 30_000 });
    expect((await page.evaluate(`${AD_VIDEO}.currentTime`)) as number).toBeGreaterThanOrEqual(SKIP_AFTER_SECONDS);
    await skipButton.click();
    await page.locator('[data-player][data-phase="playing"]').waitFor();
    expect(await page.locator('[data-pre-roll]').count()).toBe(0);
    await page.waitForFunction(
      `(${TITLE_VIDEO}?.currentTime ?? 0) > 0 || !!document.querySelector('[data-needs-tap]')`,
      undefined,
      { timeout: 60_000 },
    );
    if ((await page.locator('[data-needs-tap] button').count()) > 0)
      await page.locator('[data-needs-tap] button').click();
    await page.waitForFunction(`(${TITLE_VIDEO}?.currentTime ?? 0) > 1`, undefined, { timeout: 60_000 });

    // The banner under the player: the 320×50 creative, its box reserved, counted once it is seen.
    const banner = page.locator('[data-ad-slot="watch-below-player"] img');
    await banner.scrollIntoViewIfNeeded();
    await expect(banner.getAttribute('width')).resolves.toBe('320');
    await expect(banner.getAttribute('height')).resolves.toBe('50');
    await expect(banner.getAttribute('loading')).resolves.toBe('lazy');
    await expect.poll(async () => (await report(bannerCampaignId)).totals.impressions, { timeout: 15_000 }).toBe(1);

    await expect
      .poll(async () => (await report(videoCampaignId)).totals, { timeout: 15_000 })
      .toMatchObject({
        impressions: before.totals.impressions + 1,
        starts: before.totals.starts + 1,
        skips: before.totals.skips + 1,
        completes: before.totals.completes,
      });
    // Each event went out once: a second of the same would be a player bug even if the server ignores it.
    const counts = Object.fromEntries(beacons.map((b) => [b, beacons.filter((x) => x === b).length]));
    expect(counts).toMatchObject({ impression: 2, start: 1, skip: 1 }); // impressions: the pre-roll and the banner
    expect(counts.complete).toBeUndefined();
    await context.close();
  });

  it('caps a signed-out browser’s server-rendered banners by its own ad id, not by the web server’s address', async () => {
    // A home-page banner at most once an hour per viewer or device, above every other campaign.
    const capped = await call<{ id: string }>('POST', '/api/v1/admin/ads/campaigns', adManager, {
      name: 'Home strip, capped',
      advertiser: 'Acme Uganda',
      startsAt: new Date(Date.now() - 3600_000).toISOString(),
      endsAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
      budget: { kind: 'impressions', amount: 1000 },
      cpm: 4000,
      pacing: 'asap',
      priority: 10,
      frequencyCaps: { perHour: 1 },
    });
    const image = await makeImage(728, 90);
    const banner = await call<{ creative: { id: string }; upload: { url: string; headers: Record<string, string> } }>(
      'POST',
      `/api/v1/admin/ads/campaigns/${capped.id}/creatives`,
      adManager,
      {
        kind: 'banner',
        name: 'Home 728×90',
        size: '728x90',
        clickUrl: 'https://acme.example.ug/home',
        contentType: 'image/png',
        contentLength: image.length,
      },
    );
    await put(banner.upload, image);
    await call(
      'POST',
      `/api/v1/admin/ads/campaigns/${capped.id}/creatives/${banner.creative.id}/image/complete`,
      adManager,
    );

    const browserWith = async (deviceId?: string) => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      if (deviceId) await context.addCookies([{ name: 'kf_ad_device', value: deviceId, url: web.url }]);
      return context;
    };
    const homeBanner = async (context: BrowserContext) => {
      const page = await context.newPage();
      await page.goto(`${web.url}/`);
      const shown = (await page.locator('[data-ad-slot="home-top"] img').count()) === 1;
      return { page, shown };
    };

    const first = await browserWith('e2e-ads-device-first');
    expect((await homeBanner(first)).shown).toBe(true);
    await expect.poll(async () => (await report(capped.id)).totals.impressions, { timeout: 15_000 }).toBe(1);
    expect((await homeBanner(first)).shown).toBe(false);
    // Another signed-out browser has its own cap.
    const second = await browserWith('e2e-ads-device-second');
    expect((await homeBanner(second)).shown).toBe(true);

    // A browser without the id gets one once a banner has been on screen: the player's id, as a cookie.
    const fresh = await browserWith();
    const { page } = await homeBanner(fresh);
    await expect
      .poll(async () => (await fresh.cookies(web.url)).find((c) => c.name === 'kf_ad_device')?.value, {
        timeout: 15_000,
      })
      .toMatch(/^[0-9a-f]{32}$/);
    const cookie = (await fresh.cookies(web.url)).find((c) => c.name === 'kf_ad_device')!.value;
    expect(await page.evaluate(`localStorage.getItem('kf_ad_device')`)).toBe(cookie);

    // Other tests see the page without it.
    await call('PATCH', `/api/v1/admin/ads/campaigns/${capped.id}`, adManager, { status: 'paused' });
    await Promise.all([first.close(), second.close(), fresh.close()]);
  });

  it('shows a subscriber no pre-roll and no banner', async () => {
    const { context, userId } = await newViewer({ width: 360, height: 800 });
    const now = Date.now();
    await api.ctx.db.db.insert(subscriptions).values({
      id: uuidv7(),
      userId,
      planCode: 'premium-monthly',
      status: 'active',
      provider: 'sandbox',
      currentPeriodStart: new Date(now - 86_400_000),
      currentPeriodEnd: new Date(now + 30 * 86_400_000),
    });
    const page: Page = await context.newPage();
    const adRequests: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/api/v1/ads/')) adRequests.push(request.url());
    });
    await page.goto(`${web.url}/watch/${title.slug}`);
    await page.locator('[data-player][data-phase="playing"]').waitFor({ timeout: 60_000 });
    await page.waitForFunction(
      `(${TITLE_VIDEO}?.currentTime ?? 0) > 0 || !!document.querySelector('[data-needs-tap]')`,
      undefined,
      { timeout: 60_000 },
    );
    expect(await page.locator('[data-pre-roll]').count()).toBe(0);
    expect(await page.locator('[data-ad-slot]').count()).toBe(0);
    expect(adRequests).toEqual([]);
    await context.close();
  });
});
