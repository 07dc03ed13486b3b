import { readFile } from 'node:fs/promises';
import { locateBinary } from '@kush/media';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeImage, parseVast } from '../apps/api/src/modules/ads/ads-testing';
import { updateUser } from '../apps/api/src/modules/accounts/accounts.repository';
import { makeClip } from '../apps/api/src/testing/media-fixtures';
import { kampalaDay } from '../apps/api/src/lib/kampala-time';
import { utcToKampalaInput } from '../apps/web/components/console/kampala';
import { expectAccessible } from './support/axe';
import { launchBrowser, saveScreenshot } from './support/browser';
import { startPlatform, type Platform } from './support/platform';
import type { WebServer } from './support/web-server';
import { CONSOLE_SCREENS, pageFetch, TRANSCODE_WAIT_MS } from './support/console';

const PASSWORD = 'an ads console e2e password';
const SKIP_AFTER_SECONDS = 4;

/** The text of the hints and errors a control points at with aria-describedby. */
async function describedBy(control: Locator): Promise<string> {
  const ids = (await control.getAttribute('aria-describedby')) ?? '';
  const page = control.page();
  const texts = await Promise.all(
    ids
      .split(/\s+/)
      .filter(Boolean)
      .map((id) => page.locator(`[id="${id}"]`).textContent()),
  );
  return texts.join(' ');
}

async function screenshotsAt(page: Page, name: string): Promise<void> {
  for (const [screen, size] of Object.entries(CONSOLE_SCREENS)) {
    await page.setViewportSize(size);
    // Mobile first: nothing may push the page wider than the screen.
    expect(await page.evaluate('document.documentElement.scrollWidth'), `${name} at ${screen}`).toBeLessThanOrEqual(
      size.width,
    );
    await saveScreenshot(page, `console-ads-${name}-${screen}`);
  }
  await page.setViewportSize(CONSOLE_SCREENS.laptop);
}

describe('ads console', () => {
  let platform: Platform;
  let web: WebServer;
  let browser: Browser;
  const managerEmail = 'ads-console-manager@kushfilms.com';
  const viewerEmail = 'ads-console-viewer@kushfilms.com';

  async function signIn(context: BrowserContext, identifier: string): Promise<Page> {
    const page = await context.newPage();
    await page.goto(`${web.url}/healthz`);
    const login = await pageFetch(page, '/api/v1/auth/login', {
      method: 'POST',
      body: { identifier, password: PASSWORD },
    });
    expect(login.status).toBe(200);
    return page;
  }

  beforeAll(async () => {
    // makeClip and makeImage run ffmpeg: the system one, else the npm-shipped binary.
    process.env.FFMPEG_PATH ??= (await locateBinary('ffmpeg')).path;
    // Includes `next build` when apps/web changed since the last build.
    platform = await startPlatform({ TRANSCODE_PRESET: 'ultrafast' });
    web = platform.web;
    browser = await launchBrowser();

    // A viewer and an ad manager, both registered through the API.
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${web.url}/healthz`);
    for (const [email, name] of [
      [viewerEmail, 'Ads Viewer'],
      [managerEmail, 'Ads Manager'],
    ] as const) {
      const registered = await pageFetch(page, '/api/v1/auth/register', {
        method: 'POST',
        body: { email, password: PASSWORD, displayName: name },
      });
      expect(registered.status).toBe(201);
      if (email === managerEmail) {
        const userId = (registered.body.user as { id: string }).id;
        await updateUser(platform.api.ctx.db.db, userId, { roles: ['ad_manager'] });
      }
    }
    await context.close();
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  it('is not there for viewers', async () => {
    const context = await browser.newContext();
    const viewer = await signIn(context, viewerEmail);
    expect((await viewer.goto(`${web.url}/console/ads`))?.status()).toBe(404);
    expect((await viewer.goto(`${web.url}/console/ads/new`))?.status()).toBe(404);
    await context.close();
  });

  it('books a campaign, adds a banner and a pre-roll through the pages, serves them, and reports the impressions', async () => {
    const context = await browser.newContext({ viewport: CONSOLE_SCREENS.laptop, acceptDownloads: true });
    const page = await signIn(context, managerEmail);

    // The ad manager's console: Ads only, and an empty list.
    await page.goto(`${web.url}/console`);
    const nav = page.getByRole('navigation', { name: 'Console' });
    expect(await nav.getByRole('link').allTextContents()).toEqual(['Overview', 'Ads']);
    await nav.getByRole('link', { name: 'Ads' }).click();
    await page.waitForURL(`${web.url}/console/ads`);
    await page.getByText('No campaigns yet').waitFor();
    await page.getByRole('link', { name: 'New campaign' }).click();
    await page.waitForURL(`${web.url}/console/ads/new`);

    // Kampala time in the form, UTC in the API: a start an hour ago (to the minute).
    const startsAt = new Date(Math.floor((Date.now() - 3600_000) / 60_000) * 60_000).toISOString();
    const endsAt = new Date(Date.parse(startsAt) + 30 * 86_400_000).toISOString();
    await page.getByLabel('Advertiser').fill('Acme Uganda');
    await page.getByLabel('Campaign name').fill('Rainy season');
    await page.getByLabel('Starts (Kampala time)').fill(utcToKampalaInput(startsAt));
    // An end before the start: the API's error appears beside the field.
    await page
      .getByLabel('Ends (Kampala time)')
      .fill(utcToKampalaInput(new Date(Date.parse(startsAt) - 86_400_000).toISOString()));
    await page.getByLabel('Budget (impressions)').fill('1000');
    await page.getByLabel('CPM (UGX per 1,000 impressions)').fill('4000');
    await page.getByLabel('Pacing').selectOption('asap');
    await page.getByLabel('Per day').fill('50');
    await page.getByRole('button', { name: 'Book campaign' }).click();
    await page.getByRole('alert').filter({ hasText: 'must be after startsAt' }).waitFor();
    const ends = page.getByLabel('Ends (Kampala time)');
    expect(await ends.getAttribute('aria-invalid')).toBe('true');
    expect(await describedBy(ends)).toContain('must be after startsAt');
    expect((await pageFetch(page, '/api/v1/admin/ads/campaigns')).body.items).toEqual([]);

    await page.getByLabel('Ends (Kampala time)').fill(utcToKampalaInput(endsAt));
    await page.getByRole('button', { name: 'Book campaign' }).click();
    await page.waitForURL(/\/console\/ads\/[0-9a-f-]{36}$/);
    const campaignId = page.url().split('/').pop()!;
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Rainy season');
    const booked = (await pageFetch(page, `/api/v1/admin/ads/campaigns/${campaignId}`)).body;
    expect(booked).toMatchObject({
      advertiser: 'Acme Uganda',
      status: 'active',
      startsAt,
      endsAt,
      budget: { kind: 'impressions', amount: 1000 },
      cpm: 4000,
      pacing: 'asap',
      priority: 5,
      frequencyCaps: { perHour: null, perDay: 50, lifetime: null },
    });
    await page.getByText('No active creative').waitFor();

    // A banner: a javascript: click URL and a wrong-sized picture are refused beside their fields.
    const bannerForm = page.locator('[data-banner-creative-form]');
    await bannerForm.getByLabel('Banner name').fill('Umbrellas strip');
    await bannerForm.getByLabel('Banner size').selectOption('320x50');
    await bannerForm.getByLabel('Banner click-through URL').fill('javascript:alert(1)');
    await bannerForm
      .getByLabel('Banner image')
      .setInputFiles({ name: 'wrong.png', mimeType: 'image/png', buffer: await makeImage(300, 250) });
    await bannerForm.getByRole('button', { name: 'Upload and add banner' }).click();
    await bannerForm.getByRole('alert').filter({ hasText: 'Check the highlighted fields.' }).waitFor();
    const bannerUrl = bannerForm.getByLabel('Banner click-through URL');
    expect(await bannerUrl.getAttribute('aria-invalid')).toBe('true');
    expect(await describedBy(bannerUrl)).toContain('Only http:// and https:// addresses are allowed.');
    expect(await describedBy(bannerForm.getByLabel('Banner image'))).toContain(
      'The image is 300×250; a 320×50 banner must be exactly that size.',
    );
    expect((await pageFetch(page, `/api/v1/admin/ads/campaigns/${campaignId}/creatives`)).body.items).toEqual([]);

    await bannerForm.getByLabel('Banner click-through URL').fill('https://acme.example.ug/umbrellas');
    await bannerForm
      .getByLabel('Banner image')
      .setInputFiles({ name: 'strip.png', mimeType: 'image/png', buffer: await makeImage(320, 50) });
    await bannerForm.getByRole('button', { name: 'Upload and add banner' }).click();
    await bannerForm.getByRole('status').filter({ hasText: 'Banner added and active.' }).waitFor();
    const bannerRow = page.locator('[data-creative-kind="banner"]');
    await bannerRow.and(page.locator('[data-creative-status="active"]')).waitFor();
    const bannerId = (await bannerRow.getAttribute('data-creative-id'))!;

    // A pre-roll: straight to storage with a progress bar, then the transcode, then the creative.
    const clip = await makeClip({ seconds: 7, width: 640, height: 360 });
    const videoForm = page.locator('[data-video-creative-form]');
    await videoForm.getByLabel('Pre-roll name').fill('Umbrellas 7s');
    await videoForm.getByLabel('Pre-roll click-through URL').fill('https://acme.example.ug/umbrellas?utm=kush');
    await videoForm.getByLabel('Skip button after (seconds)').fill(String(SKIP_AFTER_SECONDS));
    await videoForm.getByLabel('Pre-roll video file').setInputFiles(clip.file);
    await videoForm.getByRole('button', { name: 'Upload and add pre-roll' }).click();
    await videoForm.locator('[data-ad-video-status]').waitFor({ timeout: 60_000 });
    const videoRow = page.locator('[data-creative-kind="video"][data-creative-status="active"]');
    await videoRow.waitFor({ timeout: TRANSCODE_WAIT_MS });
    await videoForm.getByRole('status').filter({ hasText: 'Pre-roll added.' }).waitFor();
    const videoCreativeId = (await videoRow.getAttribute('data-creative-id'))!;
    expect(await videoRow.textContent()).toContain(`skippable after ${SKIP_AFTER_SECONDS} s`);

    // Deactivate and activate again through the page: serving follows.
    const bannerDecision = async (deviceId: string) => {
      const res = await fetch(`${web.url}/api/v1/ads/banners?slots=watch-below-player&deviceId=${deviceId}`);
      expect(res.status).toBe(200);
      return ((await res.json()) as { slots: Record<string, { creativeId: string; impressionUrl: string } | null> })
        .slots['watch-below-player']!;
    };
    await bannerRow.getByRole('button', { name: 'Deactivate Umbrellas strip' }).click();
    await page.locator(`[data-creative-id="${bannerId}"][data-creative-status="paused"]`).waitFor();
    expect(await bannerDecision('ads-console-device-01')).toBeNull();
    await bannerRow.getByRole('button', { name: 'Activate Umbrellas strip' }).click();
    await page.locator(`[data-creative-id="${bannerId}"][data-creative-status="active"]`).waitFor();
    await page.getByText('2 active creatives.').waitFor();

    await page.setViewportSize(CONSOLE_SCREENS.laptop);
    await expectAccessible(page, 'campaign page');
    await screenshotsAt(page, 'campaign');

    // The ad server serves both creatives; one impression each is tracked.
    const banner = await bannerDecision('ads-console-device-02');
    expect(banner.creativeId).toBe(bannerId);
    expect((await fetch(banner.impressionUrl)).status).toBe(204);
    const vast = await (await fetch(`${web.url}/api/v1/ads/vast?deviceId=ads-console-device-03`)).text();
    const ad = (await parseVast(vast)).ads[0]!;
    expect(ad.id).toBe(campaignId);
    const linear = ad.creatives.find((c) => c.type === 'linear')!;
    expect(linear.universalAdIds[0]!.value).toBe(videoCreativeId);
    expect(linear.skipDelay).toBe(SKIP_AFTER_SECONDS);
    expect((await fetch(ad.impressionURLTemplates[0]!.url)).status).toBe(204);

    // Pausing the campaign on its page stops serving; resuming brings it back.
    await page.getByRole('button', { name: 'Pause campaign' }).click();
    await page.getByRole('button', { name: 'Resume campaign' }).waitFor();
    expect(await bannerDecision('ads-console-device-04')).toBeNull();
    await page.getByRole('button', { name: 'Resume campaign' }).click();
    await page.getByRole('button', { name: 'Pause campaign' }).waitFor();
    expect((await bannerDecision('ads-console-device-05'))?.creativeId).toBe(bannerId);

    // The details form edits the booking: the dates come back in Kampala time.
    expect(await page.getByLabel('Starts (Kampala time)').inputValue()).toBe(utcToKampalaInput(startsAt));
    await page.getByLabel('Priority (1–10)').fill('7');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    expect((await pageFetch(page, `/api/v1/admin/ads/campaigns/${campaignId}`)).body).toMatchObject({
      priority: 7,
      startsAt,
      endsAt,
    });
    await page.getByText('priority 7').waitFor();

    // The report: two impressions, in the totals, the chart and today's row.
    await page.getByRole('link', { name: 'Delivery report' }).click();
    await page.waitForURL(`${web.url}/console/ads/${campaignId}/report`);
    expect(await page.locator('[data-total="impressions"]').textContent()).toBe('2');
    const today = kampalaDay(new Date());
    expect(await page.locator(`[data-day="${today}"] [data-col="impressions"]`).textContent()).toBe('2');
    expect(await page.locator('[data-impressions-chart]').getAttribute('aria-label')).toContain('2 in all');
    await expectAccessible(page, 'campaign report');
    await screenshotsAt(page, 'report');

    // The CSV comes through the same-origin proxy with its header row.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`campaign-${campaignId}.csv`);
    const csv = (await readFile((await download.path())!, 'utf8')).trim().split('\r\n');
    expect(csv[0]).toBe(
      'day,decisions,impressions,unique_reach,starts,completes,skips,clicks,ctr,completion_rate,fill_rate,spend_ugx',
    );
    expect(csv.at(-1)).toMatch(new RegExp(`^${today},\\d+,2,`));

    // A date range: one day, and a reversed range refused with the API's words.
    await page.getByLabel('From', { exact: true }).fill(today);
    await page.getByLabel('To', { exact: true }).fill(today);
    await page.getByRole('button', { name: 'Show' }).click();
    await page.waitForURL(new RegExp(`from=${today}&to=${today}`));
    expect(await page.locator('[data-report-table] tbody tr').count()).toBe(1);
    expect(await page.getByRole('link', { name: 'Download CSV' }).getAttribute('href')).toBe(
      `/api/v1/admin/ads/campaigns/${campaignId}/report.csv?from=${today}&to=${today}`,
    );
    const yesterday = kampalaDay(new Date(Date.now() - 86_400_000));
    await page.goto(`${web.url}/console/ads/${campaignId}/report?from=${today}&to=${yesterday}`);
    await page.getByRole('alert').filter({ hasText: 'must not be before from' }).waitFor();

    // The inventory report counts the banner requests for the slot under the player.
    await page.goto(`${web.url}/console/ads/reports`);
    const inventoryRow = page.locator('[data-inventory-table] tbody tr', { hasText: 'Under the player' }).first();
    await inventoryRow.waitFor();
    expect(await inventoryRow.textContent()).toContain(today);
    await expectAccessible(page, 'inventory report');

    // The list: the campaign with its delivery, and the status filter.
    await page.goto(`${web.url}/console/ads`);
    const listed = page.locator(`[data-campaign-id="${campaignId}"]`);
    await listed.getByRole('link', { name: 'Rainy season' }).waitFor();
    expect(await listed.textContent()).toContain('2 of 1,000 impressions');
    await page.getByLabel('Status').selectOption('paused');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/status=paused/);
    await page.getByText('No paused campaigns.').waitFor();
    await page.goto(`${web.url}/console/ads`);
    await expectAccessible(page, 'campaign list');
    await screenshotsAt(page, 'list');
    await context.close();
  }, 600_000);
});
