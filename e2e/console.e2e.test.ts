import { ensureAdmin } from '@kush/api';
import { locateBinary } from '@kush/media';
import { makeImage } from '@kush/media/image-fixtures';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertTitle } from '../apps/api/src/testing/catalog-rows';
import { makeClip } from '../apps/api/src/testing/media-fixtures';
import { expectAccessible } from './support/axe';
import { launchBrowser, saveScreenshot } from './support/browser';
import { startPlatform, type Platform } from './support/platform';
import type { WebServer } from './support/web-server';
import { CONSOLE_SCREENS, pageFetch, TRANSCODE_WAIT_MS } from './support/console';

const PASSWORD = 'a console e2e password';
const PART_BYTES = 5 * 1024 * 1024;
const PERSON = 'Eddie Wamala';

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

    // No catalog language exists yet on this fresh install: the subtitles form says where to add one.
    const noLanguages = feature.locator('[data-subtitles-unavailable]');
    expect(await noLanguages.getByRole('link', { name: 'Add a language' }).getAttribute('href')).toBe(
      '/console/taxonomy',
    );

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

    // A viewer finds it by searching on the site, opens it and plays it: the video's time advances.
    const viewerContext = await browser.newContext();
    const viewer = await signIn(viewerContext, web.url, viewerEmail);
    const profiles = await pageFetch(viewer, '/api/v1/profiles');
    const profileId = (profiles.body.items as { id: string }[])[0]!.id;
    await viewerContext.addCookies([{ name: 'kf_profile', value: profileId, url: web.url }]);
    const slug = attached.body.slug as string;
    await viewer.goto(`${web.url}/search?q=${encodeURIComponent('console test film')}`);
    await viewer.locator(`[data-title-card="${slug}"] a`).first().click();
    await viewer.waitForURL(`${web.url}/title/${slug}`);
    await viewer.getByRole('link', { name: /Play/ }).first().click();
    await viewer.waitForURL(`${web.url}/watch/${slug}`);
    await viewer.locator('[data-player][data-phase="playing"]').waitFor();
    const video = `document.querySelector('[data-player] video')`;
    await viewer.waitForFunction(
      `(${video}?.paused === false && ${video}.currentTime > 0) || !!document.querySelector('[data-needs-tap]')`,
    );
    const tap = viewer.locator('[data-needs-tap] button');
    if ((await tap.count()) > 0) await tap.click();
    await viewer.waitForFunction(`${video}?.currentTime > 0.5`);
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

  it('schedules a title in Kampala time, publishes and archives it, and filters the list by status', async () => {
    const context = await browser.newContext({ viewport: CONSOLE_SCREENS.laptop });
    const page = await signIn(context, web.url, staffEmail);
    const created = await pageFetch(page, '/api/v1/admin/titles', {
      method: 'POST',
      body: { kind: 'film', name: 'Scheduled Console Film' },
    });
    expect(created.status).toBe(201);
    const titleId = created.body.id as string;
    const slug = created.body.slug as string;
    await page.goto(`${web.url}/console/titles/${titleId}`);

    // 20:00 in Kampala (EAT, UTC+3) is 17:00 UTC.
    await page.getByLabel('Go live at (Kampala time, EAT)').fill('2031-01-15T20:00');
    await page.getByRole('button', { name: 'Schedule', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Scheduled.' }).waitFor();
    const scheduled = await pageFetch(page, `/api/v1/admin/titles/${titleId}`);
    expect(scheduled.body).toMatchObject({ status: 'scheduled' });
    expect(new Date(scheduled.body.publishAt as string).toISOString()).toBe('2031-01-15T17:00:00.000Z');
    await page.getByText(/Goes live/).waitFor();

    // The list's status filter finds it among the scheduled titles only.
    await page.goto(`${web.url}/console/titles`);
    await page.getByLabel('Status').selectOption('scheduled');
    await page.locator('#main').getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/status=scheduled/);
    const listed = page.getByRole('list', { name: 'Titles' }).getByRole('link');
    expect(await listed.allTextContents()).toEqual(['Scheduled Console Film']);
    await page.goto(`${web.url}/console/titles?status=archived`);
    expect(await page.getByRole('link', { name: 'Scheduled Console Film' }).count()).toBe(0);

    // Published at once, then archived: viewers can no longer open it.
    await page.goto(`${web.url}/console/titles/${titleId}`);
    await page.getByRole('button', { name: 'Publish now' }).click();
    await page.getByRole('status').filter({ hasText: 'Now published.' }).waitFor();
    expect((await fetch(`${web.url}/api/v1/catalog/titles/${slug}`)).status).toBe(200);
    await page.getByRole('button', { name: 'Archive' }).click();
    await page.getByRole('status').filter({ hasText: 'Now archived.' }).waitFor();
    expect((await pageFetch(page, `/api/v1/admin/titles/${titleId}`)).body.status).toBe('archived');
    expect((await fetch(`${web.url}/api/v1/catalog/titles/${slug}`)).status).toBe(404);
    await context.close();
  }, 120_000);

  it('adds a person with a photo, and finds them by name', async () => {
    const context = await browser.newContext({ viewport: CONSOLE_SCREENS.laptop });
    const page = await signIn(context, web.url, staffEmail);
    await page.goto(`${web.url}/console/people`);
    const form = page.getByRole('form', { name: 'New person' });
    await form.getByLabel('Name').fill(PERSON);
    await form.getByLabel('Biography').fill('Singer and actor from Kampala.');
    await form.getByRole('button', { name: 'Add person' }).click();
    await page.waitForURL(/\/console\/people\/[0-9a-f-]{36}$/);
    const personId = page.url().split('/').pop()!;
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(PERSON);

    // The photo goes to its presigned URL, then the API renders it: the preview is the API's picture.
    const photo = page.locator('[data-image-slot="photo"]');
    await photo
      .getByLabel(/Upload a photo/)
      .setInputFiles({ name: 'wamala.jpg', mimeType: 'image/jpeg', buffer: await makeImage('jpeg', 400, 400) });
    await photo.getByText('Photo saved.').waitFor();
    await photo.getByRole('button', { name: 'Remove photo' }).waitFor();
    const person = await pageFetch(page, `/api/v1/admin/people/${personId}`);
    expect(person.body.photo).not.toBeNull();
    expect(await photo.getByRole('img', { name: 'Photo preview' }).getAttribute('src')).not.toMatch(/^blob:/);

    await page.goto(`${web.url}/console/people`);
    await page.getByLabel('Search by name').fill('wamala');
    await page.locator('#main').getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/q=wamala/);
    const found = page.getByRole('list', { name: 'People' }).getByRole('link');
    expect(await found.allTextContents()).toEqual([PERSON]);
    expect(await found.locator('img').getAttribute('src')).toBeTruthy();
    await expectAccessible(page, 'people');
    await screenshotsAt(page, 'people');
    await context.close();
  }, 120_000);

  it('builds a series: artwork, cast, a season and an episode with its video and subtitles', async () => {
    const context = await browser.newContext({ viewport: CONSOLE_SCREENS.laptop });
    const page = await signIn(context, web.url, staffEmail);
    // Subtitles are offered in the catalog's languages: Luganda is added on its console page first.
    await page.goto(`${web.url}/console/taxonomy`);
    const language = page.getByRole('form', { name: 'New language' });
    await language.getByLabel('Code').fill('lg');
    await language.getByLabel('Name (English)').fill('Luganda');
    await language.getByLabel('Native name').fill('Oluganda');
    await language.getByRole('button', { name: 'Add language' }).click();
    await page.getByRole('form', { name: 'Edit Luganda' }).waitFor();

    await page.goto(`${web.url}/console/titles/new`);
    await page.getByLabel('Kind').selectOption('series');
    await page.getByLabel('Title', { exact: true }).fill('Console Test Series');
    await page.getByRole('button', { name: 'Create title' }).click();
    await page.waitForURL(/\/console\/titles\/[0-9a-f-]{36}$/);
    const titleId = page.url().split('/').pop()!;

    // Poster and backdrop: each through its presigned URL, then rendered by the API.
    for (const [slot, width, height] of [
      ['poster', 600, 900],
      ['backdrop', 1280, 720],
    ] as const) {
      const box = page.locator(`[data-image-slot="${slot}"]`);
      await box
        .getByLabel(new RegExp(`Upload a ${slot}`))
        .setInputFiles({ name: `${slot}.jpg`, mimeType: 'image/jpeg', buffer: await makeImage('jpeg', width, height) });
      await box.getByRole('button', { name: `Remove ${slot}` }).waitFor();
    }
    const withArt = await pageFetch(page, `/api/v1/admin/titles/${titleId}`);
    expect(withArt.body.poster).not.toBeNull();
    expect(withArt.body.backdrop).not.toBeNull();

    // Cast: the person added on the People page, as an actor with a character.
    const details = page.getByRole('form', { name: 'Title details' });
    await details.getByLabel('Find a person').fill('wamala');
    await details.getByRole('button', { name: 'Find', exact: true }).click();
    await details.getByRole('list', { name: 'People found' }).getByRole('button', { name: 'Add as actor' }).click();
    await details.getByLabel(`Character played by ${PERSON}`).fill('Musoke');
    await details.getByRole('button', { name: 'Save changes' }).click();
    await details.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();

    // A season, then an episode in it.
    const seasons = page.locator('#seasons');
    await seasons.locator('summary', { hasText: 'Add a season' }).click();
    const addSeason = seasons.locator('details', { has: page.locator('summary', { hasText: 'Add a season' }) });
    await addSeason.getByLabel('Name').fill('Omwaka Ogusooka');
    await addSeason.getByRole('button', { name: 'Add season' }).click();
    const season = seasons.getByRole('region', { name: 'Season 1: Omwaka Ogusooka' });
    await season.waitFor();
    await season.locator('summary', { hasText: 'Add an episode' }).click();
    const addEpisode = season.locator('details', { has: page.locator('summary', { hasText: 'Add an episode' }) });
    await addEpisode.getByLabel('Name').fill('Okutandika');
    await addEpisode.getByLabel('Runtime (minutes)').fill('24');
    await addEpisode.getByRole('button', { name: 'Add episode' }).click();
    const episode = season.getByRole('listitem').filter({ hasText: '1. Okutandika' });
    await episode.waitFor();

    // The episode's own video, uploaded through the page and transcoded; then its subtitles.
    await episode.locator('summary', { hasText: 'Okutandika' }).click();
    const slot = episode.locator('[data-video-slot="episode"]');
    const clip = await makeClip({ seconds: 2, width: 320, height: 240 });
    await slot.getByLabel('Upload a video file').setInputFiles(clip.file);
    const status = slot.locator('[data-video-status]');
    await expect
      .poll(() => status.getAttribute('data-video-status'), { timeout: TRANSCODE_WAIT_MS, interval: 500 })
      .toBe('ready');
    const videoId = (await status.getAttribute('data-video-id'))!;
    await slot.locator('summary', { hasText: 'Add subtitles' }).click();
    await slot.getByLabel('Language').selectOption('lg');
    expect(await slot.getByLabel('Label shown to viewers').inputValue()).toBe('Luganda');
    await slot.getByLabel('SRT or WebVTT file').setInputFiles({
      name: 'okutandika.lg.srt',
      mimeType: 'application/x-subrip',
      buffer: Buffer.from('1\n00:00:00,000 --> 00:00:02,000\nOli otya?\n'),
    });
    await slot.getByRole('button', { name: 'Save subtitles' }).click();
    await slot.getByRole('status').filter({ hasText: 'Subtitles saved.' }).waitFor();
    await slot.getByText(/subtitles: Luganda/).waitFor();

    // What the pages saved, as the API has it.
    const series = await pageFetch(page, `/api/v1/admin/titles/${titleId}`);
    const [savedSeason] = series.body.seasons as {
      number: number;
      name: string;
      episodes: { id: string; number: number; name: string; runtimeMinutes: number; videoId: string }[];
    }[];
    expect(savedSeason).toMatchObject({ number: 1, name: 'Omwaka Ogusooka' });
    expect(savedSeason!.episodes).toEqual([
      expect.objectContaining({ number: 1, name: 'Okutandika', runtimeMinutes: 24, videoId }),
    ]);
    expect(series.body.credits).toEqual([
      expect.objectContaining({
        person: expect.objectContaining({ name: PERSON }),
        role: 'actor',
        character: 'Musoke',
      }),
    ]);
    const video = await pageFetch(page, `/api/v1/admin/videos/${videoId}`);
    expect(video.body.subtitles).toEqual([expect.objectContaining({ language: 'lg', label: 'Luganda' })]);

    await page.reload();
    await page.getByRole('region', { name: 'Season 1: Omwaka Ogusooka' }).waitFor();
    await expectAccessible(page, 'series edit');
    await screenshotsAt(page, 'series-edit');
    await page.setViewportSize(CONSOLE_SCREENS.laptop);

    // Published, the viewer's title page shows what the console made: artwork as responsive
    // pictures, the cast linked to their page, and the season's episode.
    await page.getByRole('button', { name: 'Publish now' }).click();
    await page.getByRole('status').filter({ hasText: 'Now published.' }).waitFor();
    const slug = series.body.slug as string;
    await page.goto(`${web.url}/title/${slug}`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Console Test Series');
    const personSlug = (series.body.credits as { person: { slug: string } }[])[0]!.person.slug;
    expect(await page.locator(`a[href="/person/${personSlug}"]`).textContent()).toContain(PERSON);
    const episodeLink = page.getByRole('link', { name: /Okutandika/ });
    expect(await episodeLink.getAttribute('href')).toBe(`/watch/${slug}?episode=${savedSeason!.episodes[0]!.id}`);
    const pictures = page.locator('article picture');
    expect(await pictures.count()).toBeGreaterThanOrEqual(2); // backdrop and poster
    for (const picture of await pictures.all()) {
      const webp = (await picture.locator('source[type="image/webp"]').getAttribute('srcset')) ?? '';
      expect(webp.split(',').length, 'WebP widths').toBeGreaterThan(1);
      const avif = (await picture.locator('source[type="image/avif"]').getAttribute('srcset')) ?? '';
      expect(avif.split(',').length, 'AVIF widths').toBe(webp.split(',').length);
      const img = picture.locator('img');
      // Width and height reserve the box before the bytes arrive; a tiny placeholder fills it.
      expect(Number(await img.getAttribute('width'))).toBeGreaterThan(0);
      expect(Number(await img.getAttribute('height'))).toBeGreaterThan(0);
      expect(await img.getAttribute('style')).toContain('data:image/');
    }
    // Chromium takes the AVIF source: the smallest bytes for the same picture.
    await pictures
      .nth(0)
      .locator('img')
      .evaluate((img: HTMLImageElement) => img.decode());
    expect(
      await pictures
        .nth(0)
        .locator('img')
        .evaluate((img: HTMLImageElement) => img.currentSrc),
    ).toMatch(/\.avif$/);
    // The backdrop is the page's first picture and loads at once; the poster below it lazily.
    expect(await pictures.nth(0).locator('img').getAttribute('loading')).toBe('eager');
    expect(await pictures.nth(1).locator('img').getAttribute('loading')).toBe('lazy');
    // Each decodes off the frame, the backdrop too: the first paint's text never waits for a decode.
    for (const picture of await pictures.all()) {
      expect(await picture.locator('img').getAttribute('decoding')).toBe('async');
    }
    await context.close();
  }, 600_000);

  it('orders the home page rows: a new category moved up stays where it was put', async () => {
    const context = await browser.newContext({ viewport: CONSOLE_SCREENS.laptop });
    const page = await signIn(context, web.url, staffEmail);
    await page.goto(`${web.url}/console/categories`);
    const form = page.getByRole('region', { name: 'New category' });
    const rows = page.getByRole('list', { name: 'Categories in home page order' }).getByRole('listitem');
    // Each new row goes to the end of the home page.
    for (const name of ['Console Classics', 'Console Picks']) {
      await form.getByLabel('Name').fill(name);
      await form.getByRole('button', { name: 'Add category' }).click();
      await rows.last().filter({ hasText: name }).waitFor();
    }
    const names = async (path: string) =>
      ((await pageFetch(page, path)).body.items as { name: string }[]).map((c) => c.name);
    const before = await names('/api/v1/admin/categories');
    const count = before.length;
    expect(await rows.count()).toBe(count);
    const expected = [...before.slice(0, count - 2), 'Console Picks', before[count - 2]!];

    await page.getByRole('button', { name: 'Move Console Picks up' }).click();
    await page.getByText(`Console Picks moved to position ${count - 1} of ${count}. Order saved.`).waitFor();
    expect(await names('/api/v1/admin/categories')).toEqual(expected);

    // The order survives a reload, and the public list of home page rows has it too.
    await page.reload();
    await expect
      .poll(async () => (await rows.allTextContents()).map((t) => t.includes('Console Picks')))
      .toEqual(expected.map((name) => name === 'Console Picks'));
    expect(await names('/api/v1/catalog/categories')).toEqual(expected);
    await expectAccessible(page, 'categories');
    await screenshotsAt(page, 'categories');
    await context.close();
  }, 120_000);

  it('moderates a reported comment from the queue', async () => {
    const film = await insertTitle(platform.api.ctx.db.db, { name: 'Comment Queue Film' });
    const body = `Buy cheap airtime at ${Date.now().toString(36)}.example`;
    const viewerContext = await browser.newContext();
    const viewer = await signIn(viewerContext, web.url, viewerEmail);
    const profiles = await pageFetch(viewer, '/api/v1/profiles');
    const profileId = (profiles.body.items as { id: string }[])[0]!.id;
    const posted = await pageFetch(viewer, `/api/v1/profiles/${profileId}/comments`, {
      method: 'POST',
      body: { titleId: film.id, body },
    });
    expect(posted.status).toBe(201);
    const commentId = posted.body.id as string;

    const context = await browser.newContext({ viewport: CONSOLE_SCREENS.laptop });
    const page = await signIn(context, web.url, staffEmail);
    const reported = await pageFetch(page, `/api/v1/comments/${commentId}/report`, {
      method: 'POST',
      body: { reason: 'spam' },
    });
    expect(reported.status).toBe(204);

    await page.goto(`${web.url}/console/comments`);
    const item = page.getByRole('list', { name: 'Comments' }).getByRole('listitem').filter({ hasText: body });
    await item.getByText('1 open report: spam').waitFor();
    expect(await item.getByRole('link', { name: film.name }).getAttribute('href')).toBe(`/console/titles/${film.id}`);
    await expectAccessible(page, 'comments queue');
    await screenshotsAt(page, 'comments');
    await page.setViewportSize(CONSOLE_SCREENS.laptop);

    await item.getByLabel('Reason for hiding (optional)').fill('Advertising');
    // Hidden: other viewers no longer get it, and the moderator finds it among the hidden ones.
    const shownToVisitors = async () => {
      const list = (await (await fetch(`${web.url}/api/v1/titles/${film.id}/comments`)).json()) as {
        items: { id: string }[];
      };
      return list.items.some((c) => c.id === commentId);
    };
    expect(await shownToVisitors()).toBe(true);
    await item.getByRole('button', { name: 'Hide' }).click();
    await expect.poll(shownToVisitors).toBe(false);
    await page.goto(`${web.url}/console/comments?reported=all&status=hidden`);
    const hidden = page.getByRole('listitem').filter({ hasText: body });
    await hidden.getByText('Hidden because: Advertising').waitFor();

    await hidden.getByRole('button', { name: 'Restore' }).click();
    await expect.poll(shownToVisitors).toBe(true);
    await context.close();
    await viewerContext.close();
  }, 120_000);

  it('an admin finds an account, changes its roles, suspends it and reads both in the audit log', async () => {
    const memberEmail = 'console-member@kushfilms.com';
    const memberContext = await browser.newContext();
    const member = await memberContext.newPage();
    await member.goto(`${web.url}/healthz`);
    const registered = await pageFetch(member, '/api/v1/auth/register', {
      method: 'POST',
      body: { email: memberEmail, password: PASSWORD, displayName: 'Kato Member' },
    });
    expect(registered.status).toBe(201);
    expect((await pageFetch(member, '/api/v1/me')).status).toBe(200);

    const context = await browser.newContext({ viewport: CONSOLE_SCREENS.laptop });
    const page = await signIn(context, web.url, adminEmail);
    await page.goto(`${web.url}/console/users`);
    await page.getByLabel('Email, phone or name').fill('kato');
    await page.locator('#main').getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/q=kato/);
    const accounts = page.getByRole('list', { name: 'Accounts' }).getByRole('link');
    expect(await accounts.allTextContents()).toEqual(['Kato Member']);
    await expectAccessible(page, 'users search');
    await screenshotsAt(page, 'users');
    await page.setViewportSize(CONSOLE_SCREENS.laptop);
    await accounts.first().click();
    await page.waitForURL(/\/console\/users\/[0-9a-f-]{36}$/);
    const userId = page.url().split('/').pop()!;

    await page.getByRole('checkbox', { name: 'Ad manager' }).check();
    await page.getByRole('button', { name: 'Save roles' }).click();
    await page.getByRole('status').filter({ hasText: 'Roles saved.' }).waitFor();
    expect(((await pageFetch(page, `/api/v1/admin/users/${userId}`)).body.roles as string[]).sort()).toEqual([
      'ad_manager',
      'viewer',
    ]);

    await page.getByLabel('Reason (kept in the audit log)').fill('Selling accounts');
    await page.getByRole('button', { name: 'Suspend account' }).click();
    await page.getByRole('button', { name: 'Reinstate account' }).waitFor();
    // Suspension ends the member's sessions at once: their next call is refused, and so is a refresh.
    expect((await pageFetch(member, '/api/v1/me')).status).toBe(401);
    expect((await pageFetch(member, '/api/v1/auth/refresh', { method: 'POST' })).status).toBe(401);
    await expectAccessible(page, 'user');
    await screenshotsAt(page, 'user');
    await page.setViewportSize(CONSOLE_SCREENS.laptop);

    await page.goto(`${web.url}/console/users?status=suspended`);
    expect(await page.getByRole('list', { name: 'Accounts' }).getByRole('link').allTextContents()).toEqual([
      'Kato Member',
    ]);

    // The audit log, reached from the account: both changes, by whom, with the reason.
    await page.goto(`${web.url}/console/users/${userId}`);
    await page.getByRole('link', { name: 'Changes to this account' }).click();
    await page.waitForURL(/\/console\/audit\?/);
    const entries = page.getByRole('list', { name: 'Audit entries' }).getByRole('listitem');
    await expect.poll(() => entries.count()).toBe(2);
    expect(await entries.nth(0).textContent()).toContain('user.suspend');
    expect(await entries.nth(0).textContent()).toContain('Selling accounts');
    expect(await entries.nth(1).textContent()).toContain('user.roles.set');
    for (const entry of await entries.all()) expect(await entry.textContent()).toContain(adminEmail);
    await expectAccessible(page, 'audit');
    await screenshotsAt(page, 'audit');
    await page.setViewportSize(CONSOLE_SCREENS.laptop);

    await page.goto(`${web.url}/console/users/${userId}`);
    await page.getByRole('button', { name: 'Reinstate account' }).click();
    await page.getByRole('status').filter({ hasText: 'Reinstated.' }).waitFor();
    expect((await pageFetch(page, `/api/v1/admin/users/${userId}`)).body.status).toBe('active');
    await context.close();
    await memberContext.close();
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
