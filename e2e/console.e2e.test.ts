import { createRequire } from 'node:module';
import { ensureAdmin } from '@kush/api';
import { locateBinary } from '@kush/media';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeClip } from '../apps/api/src/testing/media-fixtures';
import { launchBrowser, saveScreenshot } from './support/browser';
import { startPlatform, type Platform } from './support/platform';
import type { WebServer } from './support/web-server';
import { CONSOLE_SCREENS, pageFetch, TRANSCODE_WAIT_MS } from './support/console';

const axeScript = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

const PASSWORD = 'a console e2e password';
const PART_BYTES = 5 * 1024 * 1024;

async function signIn(context: BrowserContext, webUrl: string, identifier: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${webUrl}/healthz`);
  const login = await pageFetch(page, '/api/v1/auth/login', {
    method: 'POST',
    body: { identifier, password: PASSWORD },
  });
  expect(login.status).toBe(200);
  return page;
}

/** axe-core on the page as it is now: no serious or critical violation. */
async function expectAccessible(page: Page, label: string): Promise<void> {
  await page.addScriptTag({ path: axeScript });
  // A string, not a function: this file is type-checked without the DOM library.
  const violations = (await page.evaluate(
    `axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations)`,
  )) as { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[];
  const serious = violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(serious, `${label}: axe violations`).toEqual([]);
}

async function screenshotsAt(page: Page, name: string): Promise<void> {
  for (const [screen, size] of Object.entries(CONSOLE_SCREENS)) {
    await page.setViewportSize(size);
    await saveScreenshot(page, `console-${name}-${screen}`);
  }
}

describe('staff console', () => {
  let platform: Platform;
  let web: WebServer;
  let browser: Browser;
  const adminEmail = 'console-admin@kushfilms.com';
  const staffEmail = 'console-staff@kushfilms.com';
  const viewerEmail = 'console-viewer@kushfilms.com';

  beforeAll(async () => {
    // makeClip runs ffmpeg: the system one, else the npm-shipped binary.
    process.env.FFMPEG_PATH ??= (await locateBinary('ffmpeg')).path;
    platform = await startPlatform({ TRANSCODE_PRESET: 'ultrafast', UPLOAD_PART_BYTES: String(PART_BYTES) });
    web = platform.web;
    await ensureAdmin(platform.api.ctx.db.db, adminEmail, { password: PASSWORD });
    browser = await launchBrowser();

    // Two real accounts through the API: a viewer, and a content manager made so by the admin.
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${web.url}/healthz`);
    for (const [email, name] of [
      [viewerEmail, 'Console Viewer'],
      [staffEmail, 'Console Staff'],
    ] as const) {
      const registered = await pageFetch(page, '/api/v1/auth/register', {
        method: 'POST',
        body: { email, password: PASSWORD, displayName: name },
      });
      expect(registered.status).toBe(201);
    }
    await context.clearCookies();
    const admin = await signIn(context, web.url, adminEmail);
    const staff = await pageFetch(admin, `/api/v1/admin/users?q=${encodeURIComponent(staffEmail)}`);
    const staffId = (staff.body.items as { id: string }[])[0]!.id;
    const roles = await pageFetch(admin, `/api/v1/admin/users/${staffId}/roles`, {
      method: 'PUT',
      body: { roles: ['content_manager'] },
    });
    expect(roles.status).toBe(200);
    await context.close();
    // Includes `next build` when apps/web changed since the last build.
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  it('is hidden from viewers and sends signed-out visitors to sign in', async () => {
    const anonymous = await browser.newContext();
    const visitor = await anonymous.newPage();
    await visitor.goto(`${web.url}/console/titles`);
    const url = new URL(visitor.url());
    expect(url.pathname).toBe('/login');
    expect(url.searchParams.get('next')).toBe('/console');
    await anonymous.close();

    const context = await browser.newContext();
    const viewer = await signIn(context, web.url, viewerEmail);
    const response = await viewer.goto(`${web.url}/console`);
    expect(response?.status()).toBe(404);
    expect(await viewer.getByText('Staff console').count()).toBe(0);
    const titles = await viewer.goto(`${web.url}/console/titles`);
    expect(titles?.status()).toBe(404);
    await context.close();
  });

  it('shows a content manager only the sections their role allows', async () => {
    const context = await browser.newContext();
    const page = await signIn(context, web.url, staffEmail);
    await page.goto(`${web.url}/console`);
    const nav = page.getByRole('navigation', { name: 'Console' });
    const labels = await nav.getByRole('link').allTextContents();
    expect(labels).toEqual(['Overview', 'Titles', 'Categories', 'Genres & languages', 'People', 'Comments']);
    // users:manage and audit:read are an admin's: the pages are not there for this account.
    expect((await page.goto(`${web.url}/console/users`))?.status()).toBe(404);
    expect((await page.goto(`${web.url}/console/audit`))?.status()).toBe(404);
    await context.close();
  });

  it('creates a title, uploads its video through the page, publishes it, and a viewer can play it', async () => {
    const context = await browser.newContext({ viewport: CONSOLE_SCREENS.laptop });
    const page = await signIn(context, web.url, staffEmail);

    // The API's validation errors appear beside their fields.
    await page.goto(`${web.url}/console/titles/new`);
    await page.getByLabel('Title', { exact: true }).fill('Console Test Film');
    await page.getByLabel('Slug').fill('Not A Slug!');
    await page.getByRole('button', { name: 'Create title' }).click();
    await page.getByRole('alert').filter({ hasText: 'slug' }).waitFor();
    expect(await page.getByLabel('Slug').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByText('must be lower-case letters').count()).toBeGreaterThan(0);

    await page.getByLabel('Slug').fill('');
    await page.getByLabel('Year').fill('2024');
    await page.getByLabel('Synopsis').fill('A film made to test the console, end to end.');
    await page.getByRole('button', { name: 'Create title' }).click();
    await page.waitForURL(/\/console\/titles\/[0-9a-f-]{36}$/);
    const titleId = page.url().split('/').pop()!;
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Console Test Film');

    // Upload through the page: presigned PUT straight to storage, then the transcode progress.
    const clip = await makeClip({ seconds: 2, width: 640, height: 360 });
    const feature = page.locator('[data-video-slot="feature"]');
    await feature.getByLabel('Upload a video file').setInputFiles(clip.file);
    const status = feature.locator('[data-video-status]');
    await status.waitFor();
    await screenshotsAt(page, 'upload-transcode');
    await page.setViewportSize(CONSOLE_SCREENS.laptop);
    await expect
      .poll(() => status.getAttribute('data-video-status'), { timeout: TRANSCODE_WAIT_MS, interval: 500 })
      .toBe('ready');

    // The upload attached the video to the title.
    const attached = await pageFetch(page, `/api/v1/admin/titles/${titleId}`);
    expect(attached.body.videoId).toBe(await status.getAttribute('data-video-id'));

    await page.getByRole('button', { name: 'Publish now' }).click();
    await page.getByRole('status').filter({ hasText: 'Now published.' }).waitFor();
    expect((await pageFetch(page, `/api/v1/admin/titles/${titleId}`)).body.status).toBe('published');
    await page.reload();
    await page.getByRole('button', { name: 'Archive' }).waitFor();
    await expectAccessible(page, 'title edit');
    await screenshotsAt(page, 'title-edit');

    await page.setViewportSize(CONSOLE_SCREENS.laptop);
    await page.goto(`${web.url}/console/titles?q=Console`);
    await page.getByRole('link', { name: 'Console Test Film' }).waitFor();
    await expectAccessible(page, 'titles list');
    await screenshotsAt(page, 'titles');
    await context.close();

    // A viewer finds it in the public catalog and gets a playback session.
    const viewerContext = await browser.newContext();
    const viewer = await signIn(viewerContext, web.url, viewerEmail);
    const found = await pageFetch(viewer, `/api/v1/catalog/titles/${attached.body.slug as string}`);
    expect(found.status).toBe(200);
    expect(found.body.id).toBe(titleId);
    const playback = await pageFetch(viewer, '/api/v1/playback', { method: 'POST', body: { titleId } });
    expect(playback.status).toBe(200);
    expect(playback.body.videoId).toBe(attached.body.videoId);
    await viewerContext.close();
  }, 600_000);

  it('resumes an interrupted multipart upload after a reload, sending only the missing parts', async () => {
    const context = await browser.newContext({ viewport: CONSOLE_SCREENS.laptop });
    const page = await signIn(context, web.url, staffEmail);
    const created = await pageFetch(page, '/api/v1/admin/titles', {
      method: 'POST',
      body: { kind: 'film', name: 'Resumed Upload Film' },
    });
    expect(created.status).toBe(201);
    const titleId = created.body.id as string;
    const clip = await makeClip({ seconds: 5, width: 320, height: 240, noise: true });
    expect(clip.bytes.length).toBeGreaterThan(2 * PART_BYTES);

    // The connection "drops" after part 1 is stored: every other part fails.
    const partPut = /\/api\/v1\/storage\/uploads\/[^/]+\/parts\/(\d+)/;
    let firstPartStored!: () => void;
    const firstPart = new Promise<void>((resolve) => (firstPartStored = resolve));
    await page.route(partPut, async (route) => {
      const part = Number(partPut.exec(route.request().url())![1]);
      if (part === 1) {
        const response = await route.fetch();
        await route.fulfill({ response });
        firstPartStored();
      } else {
        await firstPart;
        await route.abort('connectionreset');
      }
    });

    await page.goto(`${web.url}/console/titles/${titleId}`);
    const slot = page.locator('[data-video-slot="feature"]');
    await slot.getByLabel('Upload a video file').setInputFiles(clip.file);
    await slot.getByRole('alert').filter({ hasText: 'connection dropped' }).waitFor({ timeout: 30_000 });
    await page.unroute(partPut);

    // A reload keeps the upload, and asks for the same file again.
    await page.reload();
    const interrupted = slot.getByRole('region', { name: 'Interrupted upload' });
    await interrupted.filter({ hasText: clip.file.split('/').pop()! }).waitFor();
    const sentParts: number[] = [];
    page.on('request', (request) => {
      const match = partPut.exec(request.url());
      if (match && request.method() === 'PUT') sentParts.push(Number(match[1]));
    });
    await interrupted.getByLabel('Resume with file').setInputFiles(clip.file);
    const status = slot.locator('[data-video-status]');
    await expect
      .poll(() => status.getAttribute('data-video-status'), { timeout: 60_000, interval: 250 })
      .toMatch(/uploaded|processing|ready/);
    const partCount = Math.ceil(clip.bytes.length / PART_BYTES);
    expect([...sentParts].sort((a, b) => a - b)).toEqual(Array.from({ length: partCount - 1 }, (_, i) => i + 2));
    const title = await pageFetch(page, `/api/v1/admin/titles/${titleId}`);
    expect(title.body.videoId).toBe(await status.getAttribute('data-video-id'));
    await context.close();
  }, 180_000);

  it('passes axe on every console section an admin sees', async () => {
    const context = await browser.newContext({ viewport: CONSOLE_SCREENS.laptop });
    const page = await signIn(context, web.url, adminEmail);
    for (const path of [
      '/console',
      '/console/titles/new',
      '/console/categories',
      '/console/taxonomy',
      '/console/people',
      '/console/users',
      '/console/comments',
      '/console/audit',
    ]) {
      const response = await page.goto(`${web.url}${path}`);
      expect(response?.status(), path).toBe(200);
      await expectAccessible(page, path);
    }
    await context.close();
  }, 180_000);
});
