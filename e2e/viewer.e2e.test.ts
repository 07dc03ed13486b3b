/**
 * The viewer side of the web app on the real API, in Chromium: register, sign in, browse, search
 * with a misspelling, a title page: play it, leave, come back where one left off (on the free
 * plan's single stream), My List, rating, comment; switching to a kids profile that cannot see an
 * 18-rated title; accessibility (axe-core) and screenshots at a phone and a laptop size.
 * The player's own controls are covered in depth by the watch page's test.
 */
import { ensureAdmin } from '@kush/api';
import { seedCatalogReference } from '@kush/api/seed';
import { categories, genres, titleCategories, titleGenres, users } from '@kush/db';
import { locateBinary } from '@kush/media';
import type { Browser, BrowserContext, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertTitle } from '../apps/api/src/testing/catalog-rows';
import { makeClip } from '../apps/api/src/testing/media-fixtures';
import { eq } from 'drizzle-orm';
import { en } from '../apps/web/lib/i18n/en';
import { seriousViolations } from './support/axe';
import { launchBrowser, saveScreenshot } from './support/browser';
import { startPlatform, type Platform } from './support/platform';
import { unendedStreams } from './support/streams';

const VIEWPORTS = {
  phone: { width: 360, height: 800 },
  laptop: { width: 1440, height: 900 },
} as const;

// Browser-side expressions are strings: this file compiles without the DOM library.
const VIDEO = `document.querySelector('[data-player] video')`;
const TIME = `(${VIDEO}?.currentTime ?? 0)`;

/** Staff upload a 20-second clip through the API's signed URL and wait for it to be transcoded. */
async function uploadClip(platform: Platform, web: string): Promise<string> {
  const password = 'a viewer e2e staff password';
  await ensureAdmin(platform.api.ctx.db.db, 'viewer-e2e-staff@kushfilms.com', { password });
  const login = await fetch(`${web}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ identifier: 'viewer-e2e-staff@kushfilms.com', password, tokenDelivery: 'body' }),
  });
  const { accessToken } = (await login.json()) as { accessToken: string };
  const authorization = `Bearer ${accessToken}`;
  const clip = (await makeClip({ seconds: 20, width: 320, height: 240 })).bytes;
  const created = (await (
    await fetch(`${web}/api/v1/admin/videos`, {
      method: 'POST',
      headers: { authorization, 'content-type': 'application/json' },
      body: JSON.stringify({ filename: 'mukwano.mp4', contentType: 'video/mp4', size: clip.length }),
    })
  ).json()) as { video: { id: string }; upload: { url: string; headers: Record<string, string> } };
  const put = await fetch(created.upload.url, { method: 'PUT', headers: created.upload.headers, body: clip });
  expect(put.status).toBe(200);
  const complete = await fetch(`${web}/api/v1/admin/videos/${created.video.id}/upload/complete`, {
    method: 'POST',
    headers: { authorization },
  });
  expect(complete.status).toBe(200);
  await platform.api.ctx.infra.queue.whenIdle(180_000);
  return created.video.id;
}

/** Waits until the video shows a frame past `seconds`; taps Play first where autoplay is refused. */
async function playPast(page: Page, seconds: number): Promise<void> {
  await page.locator('[data-player][data-phase="playing"]').waitFor({ timeout: 30_000 });
  await page.waitForFunction(
    `(${VIDEO}?.paused === false && ${TIME} > 0) || !!document.querySelector('[data-needs-tap]')`,
  );
  const tap = page.locator('[data-needs-tap] button');
  if ((await tap.count()) > 0) await tap.click();
  await page.waitForFunction(`${VIDEO}?.paused === false && ${TIME} > ${seconds}`, undefined, { timeout: 60_000 });
}

describe('viewer pages on the real API', () => {
  let platform: Platform;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let web: string;
  const email = `viewer-${Date.now().toString(36)}@example.com`;
  const password = 'a viewer password';
  const film = { name: 'Mukwano Gwange', slug: `mukwano-gwange-${Date.now().toString(36)}` };
  const adultFilm = { name: 'Ekiro Ekizibu', slug: `ekiro-ekizibu-${Date.now().toString(36)}` };
  /** One title in each home category after the first (which a later test fills), in row order. */
  const rowTitles: { slug: string; category: string }[] = [];

  beforeAll(async () => {
    process.env.FFMPEG_PATH ??= (await locateBinary('ffmpeg')).path;
    platform = await startPlatform({ TRANSCODE_PRESET: 'ultrafast' });
    web = platform.web.url;
    const db = platform.api.ctx.db.db;
    const videoId = await uploadClip(platform, web);
    await insertTitle(db, {
      ...film,
      videoId,
      synopsis: 'Two friends in Kampala keep a promise through a hard rainy season.',
      maturityRating: '13',
      runtimeMinutes: 95,
    });
    await insertTitle(db, {
      ...adultFilm,
      synopsis: 'A night in the city that nobody forgets.',
      maturityRating: '18',
      runtimeMinutes: 100,
    });
    // Home rows: more categories with titles than the page renders on the server.
    await seedCatalogReference(db);
    const rowCategories = (await db.select().from(categories).orderBy(categories.position)).slice(1);
    expect(rowCategories.length).toBeGreaterThan(3);
    for (const [index, category] of rowCategories.entries()) {
      const slug = `row-title-${index}-${Date.now().toString(36)}`;
      const row = await insertTitle(db, { name: `Row Title ${index}`, slug, maturityRating: 'G' });
      await db.insert(titleCategories).values({ titleId: row.id, categoryId: category.id, position: 0 });
      rowTitles.push({ slug, category: category.slug });
    }
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: VIEWPORTS.phone, locale: 'en-UG' });
    page = await context.newPage();
  }, 300_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await platform?.stop();
  });

  it('registers, signs out, and signs in again with the new account', async () => {
    await page.goto(`${web}/register`);
    await page.getByLabel('Name').fill('Viewer Test');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel(/New password/).fill(password);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(/\/profiles/);

    // Page scripts see no session token, only the non-secret hint and the profile/language cookies.
    const visible = (await page.evaluate('document.cookie')) as string;
    expect(visible).not.toMatch(/kf_at|kf_rt/);
    expect(visible).toContain('kf_signed_in=1');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${web}/`);
    expect(await page.getByRole('link', { name: 'Sign in' }).count()).toBeGreaterThan(0);

    await page.goto(`${web}/my-list`);
    await page.waitForURL(/\/login\?next=%2Fmy-list/);
    await page.getByLabel('Email or phone number').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/profiles\?next=/);
    await page.locator('[data-profile]').first().click();
    await page.waitForURL(/\/my-list$/);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('My List');
  });

  it('browses home and finds the title by a misspelled search, with suggestions as one types', async () => {
    await page.goto(web);
    expect(await page.locator(`[data-title-card="${film.slug}"]`).count()).toBeGreaterThan(0);

    const box = page.locator('#site-search');
    await box.pressSequentially('mukwanno', { delay: 30 });
    const suggestion = page.getByRole('option', { name: new RegExp(film.name) });
    await suggestion.waitFor();
    await box.press('Enter');
    await page.waitForURL(/\/search\?q=mukwanno/);
    expect(await page.locator(`[data-title-card="${film.slug}"]`).count()).toBe(1);

    // The listing filters narrow the results and keep the words: the film runs 95 minutes.
    await page.getByText('Filters', { exact: true }).click();
    await page.getByLabel('Runtime up to (min)').fill('60');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/runtimeMax=60/);
    expect(new URL(page.url()).searchParams.get('q')).toBe('mukwanno');
    expect(await page.locator(`[data-title-card="${film.slug}"]`).count()).toBe(0);
    await page.goto(`${web}/search?q=mukwanno&runtimeMax=120`);
    expect(await page.locator(`[data-title-card="${film.slug}"]`).count()).toBe(1);
  });

  it('renders the first rows with the home page and the category rows as the viewer scrolls to them', async () => {
    // The server's page, as a browser without JavaScript sees it: category rows past the first
    // few are their headings and "See all" links, with empty frames where the cards will go.
    const plain = await browser.newContext({ viewport: VIEWPORTS.phone, javaScriptEnabled: false });
    const still = await plain.newPage();
    await still.goto(web);
    const served: boolean[] = [];
    for (const row of rowTitles) {
      const section = still.locator(`section[aria-labelledby="row-${row.category}"]`);
      expect(await section.count()).toBe(1);
      expect(await section.locator(`a[href="/category/${row.category}"]`).count()).toBeGreaterThan(0);
      served.push((await section.locator(`[data-title-card="${row.slug}"]`).count()) === 1);
    }
    const later = rowTitles.slice(served.indexOf(false));
    expect(served.indexOf(false)).toBeGreaterThanOrEqual(0);
    expect(served.slice(served.indexOf(false))).not.toContain(true);
    expect(await still.locator('#genres-heading').count()).toBe(0);
    await plain.close();

    // Offline when the rows are asked for: the skeletons stay, with a message and Try again.
    const dropRowRequests = (route: Route) =>
      route.request().method() === 'POST' && route.request().headers()['next-action']
        ? route.abort()
        : route.fallback();
    await page.route(`${web}/`, dropRowRequests);
    await page.goto(web);
    const more = page.locator('[data-home-rows]');
    await page.evaluate('window.scrollTo(0, document.body.scrollHeight)');
    const failed = page.getByRole('alert').filter({ hasText: en.rowsLoadFailed });
    await failed.waitFor();
    expect(await more.getAttribute('data-home-rows')).toBe('failed');
    await page.unroute(`${web}/`, dropRowRequests);
    // Back online, Try again brings the rest: real cards in place of the empty frames, then the genre links.
    await failed.getByRole('button', { name: en.retry }).click();
    await expect.poll(() => more.getAttribute('data-home-rows')).toBe('loaded');
    for (const row of later) {
      const section = page.locator(`section[aria-labelledby="row-${row.category}"]`);
      expect(await section.count()).toBe(1);
      expect(await section.locator(`[data-title-card="${row.slug}"]`).count()).toBe(1);
    }
    await page.getByRole('heading', { name: en.genres }).waitFor();
  });

  it('plays the title, resumes it after leaving, adds it to My List, rates it and comments on it', async () => {
    await page.locator(`[data-title-card="${film.slug}"] a`).first().click();
    await page.waitForURL(`${web}/title/${film.slug}`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(film.name);
    expect(await page.getByRole('link', { name: /Play/ }).first().getAttribute('href')).toBe(`/watch/${film.slug}`);
    // 95 minutes at 144p (158 kbit/s) ≈ 113 MB; the data table is priced in UGX.
    const dataUse = await page.getByTestId('data-use').innerText();
    expect(dataUse).toMatch(/144p\s+113 MB\s+USh\s?338/);

    // Play: the video's time advances. Leaving saves the position; coming back resumes near it.
    await page.getByRole('link', { name: /Play/ }).first().click();
    await page.waitForURL(`${web}/watch/${film.slug}`);
    await playPast(page, 0);
    const startedAt = (await page.evaluate(TIME)) as number;
    await playPast(page, startedAt + 5);
    const leftAt = (await page.evaluate(TIME)) as number;
    await page.goto(`${web}/title/${film.slug}`);
    // Leaving ends the stream at the API (the free plan allows one), so Resume can start another
    // at once: the player's stop marks the stream ended.
    const db = platform.api.ctx.db.db;
    const [account] = await db.select({ id: users.id }).from(users).where(eq(users.email, email));
    await expect.poll(() => unendedStreams(db, { userId: account!.id }), { timeout: 10_000 }).toEqual([]);
    await page
      .getByRole('link', { name: /Play|Resume|Continue/ })
      .first()
      .click();
    await page.waitForURL(`${web}/watch/${film.slug}`);
    await page.getByText(/^Resumed at \d+:\d\d$/).waitFor();
    await page.waitForFunction(`${TIME} > 0`);
    const resumedAt = (await page.evaluate(TIME)) as number;
    expect(resumedAt).toBeGreaterThan(leftAt - 3);
    expect(resumedAt).toBeLessThan(leftAt + 3);
    // What was watched shows in the history and in the home page's Continue watching row.
    await page.goto(`${web}/history`);
    expect(await page.locator(`[data-history="${film.slug}"]`).count()).toBe(1);
    await page.goto(web);
    const continueRow = page.locator('section[aria-labelledby="row-continue"]');
    expect(await continueRow.locator(`a[href="/watch/${film.slug}"]`).count()).toBeGreaterThan(0);
    await page.goto(`${web}/title/${film.slug}`);

    const toggle = page.getByTestId('my-list-toggle');
    await toggle.click();
    await expect.poll(() => toggle.getAttribute('aria-pressed')).toBe('true');

    await page.getByRole('button', { name: 'Rate 4 out of 5' }).click();
    await expect
      .poll(() => page.getByRole('button', { name: 'Rate 4 out of 5' }).getAttribute('aria-pressed'))
      .toBe('true');

    await page.getByLabel(/Share what you thought/).fill('Beautiful film, the ending made me cry.');
    await page.getByRole('button', { name: 'Post comment' }).click();
    await page.getByText('Beautiful film, the ending made me cry.').waitFor();

    // All three were saved by the API: a fresh server render shows them.
    await page.reload();
    expect(await page.getByTestId('my-list-toggle').getAttribute('aria-pressed')).toBe('true');
    expect(await page.getByTestId('rating-average').textContent()).toContain('4.0');
    expect(await page.getByText('Beautiful film, the ending made me cry.').count()).toBe(1);

    await page.goto(`${web}/my-list`);
    expect(await page.locator(`[data-title-card="${film.slug}"]`).count()).toBe(1);
  }, 180_000);

  it('has no serious or critical accessibility violations and looks right on a phone and a laptop', async () => {
    const pages = {
      home: '/',
      title: `/title/${film.slug}`,
      search: '/search?q=mukwano',
      account: '/account',
      profiles: '/profiles',
    };
    for (const [name, path] of Object.entries(pages)) {
      await page.setViewportSize(VIEWPORTS.phone);
      await page.goto(`${web}${path}`);
      expect(await seriousViolations(page), `${name} (${path})`).toEqual([]);
      if (name === 'profiles') continue;
      for (const [size, viewport] of Object.entries(VIEWPORTS)) {
        await page.setViewportSize(viewport);
        await page.goto(`${web}${path}`);
        const overflow = (await page.evaluate('document.documentElement.scrollWidth - window.innerWidth')) as number;
        expect(overflow, `${name} overflows at ${viewport.width} px`).toBeLessThanOrEqual(0);
        await saveScreenshot(page, `viewer-${name}-${size}-${viewport.width}x${viewport.height}`);
      }
    }
    await page.setViewportSize(VIEWPORTS.phone);
  }, 300_000);

  it('works from the keyboard alone, with a visible focus ring', async () => {
    const tab = await context.newPage();
    await tab.setViewportSize(VIEWPORTS.laptop);
    await tab.goto(web);
    const focused = () =>
      tab.evaluate(`(() => {
        const el = document.activeElement;
        const style = getComputedStyle(el);
        const box = el.getBoundingClientRect();
        return { text: el.textContent.trim(), href: el.getAttribute('href'), outline: style.outlineStyle,
          outlineWidth: parseFloat(style.outlineWidth), width: box.width, height: box.height };
      })()`) as Promise<{
        text: string;
        href: string | null;
        outline: string;
        outlineWidth: number;
        width: number;
        height: number;
      }>;

    // The first Tab shows the skip link; Enter takes focus past the header to the page itself.
    await tab.keyboard.press('Tab');
    const skip = await focused();
    expect(skip).toMatchObject({ text: en.skipToContent, href: '#main', outline: 'solid' });
    expect(skip.width).toBeGreaterThan(1);
    await tab.keyboard.press('Enter');
    await tab.waitForURL(/#main$/);

    // Tabbing on reaches the title's card; every stop shows the focus ring; Enter opens it.
    let stop = await focused();
    for (let i = 0; i < 40 && stop.href !== `/title/${film.slug}`; i++) {
      await tab.keyboard.press('Tab');
      stop = await focused();
      expect(stop.outline, `focus ring on ${stop.text || stop.href}`).not.toBe('none');
      expect(stop.outlineWidth).toBeGreaterThan(0);
    }
    expect(stop.href).toBe(`/title/${film.slug}`);
    await tab.keyboard.press('Enter');
    await tab.waitForURL(`${web}/title/${film.slug}`);
    await tab.close();
  }, 120_000);

  it('server-renders the pages, and loads the player library (hls.js) on the watch page only', async () => {
    // The HTML itself carries the content: nothing waits for JavaScript to show the title.
    const html = async (path: string) => (await fetch(`${web}${path}`)).text();
    expect(await html('/')).toContain(`data-title-card="${film.slug}"`);
    expect(await html(`/title/${film.slug}`)).toContain('Two friends in Kampala keep a promise');
    expect(await html('/search?q=mukwanno')).toContain(`data-title-card="${film.slug}"`);

    /** The scripts a page loads, fetched as the browser got them; true when hls.js is among them. */
    const loadsHls = async (path: string, ready: (p: Page) => Promise<void>) => {
      const tab = await context.newPage();
      const bodies: Promise<string>[] = [];
      tab.on('response', (response) => {
        if (response.request().resourceType() === 'script') bodies.push(response.text().catch(() => ''));
      });
      await tab.goto(`${web}${path}`, { waitUntil: 'load' });
      await ready(tab);
      // An event name only hls.js has, whatever the bundler named its chunk.
      const found = (await Promise.all(bodies)).some((body) => body.includes('hlsManifestParsed'));
      await tab.close();
      return found;
    };
    const idle = (tab: Page) => tab.waitForLoadState('networkidle');
    expect(await loadsHls('/', idle), 'home').toBe(false);
    expect(await loadsHls(`/title/${film.slug}`, idle), 'title').toBe(false);
    expect(await loadsHls('/search?q=mukwano', idle), 'search').toBe(false);
    // Playing, or a problem the player shows (named in the failure rather than a bare timeout);
    // a loaded machine can take a while to start the stream.
    const playing = async (tab: Page) => {
      const player = tab.locator('[data-player]');
      await tab.locator('[data-player][data-phase="playing"], [data-player][data-phase="problem"]').waitFor({
        timeout: 90_000,
      });
      expect(await player.getAttribute('data-phase'), await player.innerText()).toBe('playing');
    };
    // The journey above left its second stream by navigating away (to the history page): that
    // stop has ended it, so the free plan's one stream is free for the watch page here.
    const db = platform.api.ctx.db.db;
    const [account] = await db.select({ id: users.id }).from(users).where(eq(users.email, email));
    await expect.poll(() => unendedStreams(db, { userId: account!.id }), { timeout: 10_000 }).toEqual([]);
    expect(await loadsHls(`/watch/${film.slug}`, playing), 'watch').toBe(true);
  }, 180_000);

  it('lists a genre and a category, sorted and filtered as the viewer asks', async () => {
    const db = platform.api.ctx.db.db;
    await seedCatalogReference(db);
    const [drama] = await db.select().from(genres).where(eq(genres.slug, 'drama'));
    const [stories] = await db.select().from(categories).where(eq(categories.slug, 'ugandan-stories'));
    const run = Date.now().toString(36);
    const dramas = [
      { name: 'Zziwa Lya Nalubaale', year: 2019 },
      { name: 'Amagezi Ga Jjajja', year: 2023 },
      { name: 'Kabaka Wange', year: 2021 },
    ];
    for (const [index, d] of dramas.entries()) {
      const row = await insertTitle(db, { ...d, slug: `drama-${index}-${run}` });
      await db.insert(titleGenres).values({ titleId: row.id, genreId: drama!.id });
      await db.insert(titleCategories).values({ titleId: row.id, categoryId: stories!.id, position: index });
    }
    const cardSlugs = async () =>
      page.locator('[data-title-card]').evaluateAll((cards) => cards.map((c) => c.getAttribute('data-title-card')));

    // The genre page, sorted A–Z by its one-tap sort links.
    await page.goto(`${web}/genre/drama`);
    expect((await cardSlugs()).sort()).toEqual(['drama-0', 'drama-1', 'drama-2'].map((s) => `${s}-${run}`).sort());
    await page.getByRole('navigation', { name: en.sortBy }).getByRole('link', { name: en.sortAz }).click();
    await page.waitForURL(/sort=az/);
    expect(await cardSlugs()).toEqual([`drama-1-${run}`, `drama-2-${run}`, `drama-0-${run}`]);

    // The category page, narrowed by its filters form to titles from 2021 on.
    await page.goto(`${web}/category/ugandan-stories`);
    expect(await cardSlugs()).toHaveLength(3);
    await page.getByText(en.filters, { exact: true }).click();
    await page.getByLabel(en.filterYearFrom).fill('2021');
    await page.getByRole('button', { name: en.apply }).click();
    await page.waitForURL(/yearFrom=2021/);
    expect((await cardSlugs()).sort()).toEqual([`drama-1-${run}`, `drama-2-${run}`]);
  });

  it('sends the short links in emails and notifications to the pages they name', async () => {
    const id = '0192f0c4-6a1e-7c3b-9d2e-3f4a5b6c7d8e';
    const redirects: [string, string][] = [
      [`/titles/${film.slug}`, `/title/${film.slug}`],
      ['/account/billing', '/account'],
      [`/account/billing?payment=${id}`, `/checkout/payment/${id}`],
      ['/account/billing?payment=not-an-id', '/account'],
      [`/account/billing/receipts/${id}`, `/account/payments/${id}`],
    ];
    for (const [from, to] of redirects) {
      const res = await fetch(`${web}${from}`, { redirect: 'manual' });
      expect([303, 307, 308], from).toContain(res.status);
      expect(new URL(res.headers.get('location')!, web).pathname, from).toBe(to);
    }
    expect((await fetch(`${web}/account/billing/receipts/not-an-id`, { redirect: 'manual' })).status).toBe(404);

    // Followed in the browser, a notification's title link opens the title page.
    await page.goto(`${web}/titles/${film.slug}`);
    await page.waitForURL(`${web}/title/${film.slug}`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(film.name);
  });

  it('a kids profile never sees the 18-rated title', async () => {
    // Visible to the adult profile first, so its absence below is the kids limit at work.
    const adult = await page.goto(`${web}/title/${adultFilm.slug}`);
    expect(adult?.status()).toBe(200);

    await page.goto(`${web}/profiles/manage`);
    const form = page.getByRole('form', { name: 'Add profile' });
    await form.getByLabel('Name').fill('Watoto');
    await form.getByLabel(/Kids profile/).check();
    await form.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('region', { name: 'Watoto' }).waitFor();

    await page.goto(`${web}/profiles?next=/`);
    await page.locator('[data-profile="Watoto"]').click();
    await page.waitForURL(`${web}/`);
    expect(await page.getByRole('banner').textContent()).toContain('Watoto');

    await page.goto(`${web}/search?q=${encodeURIComponent('ekiro ekizibu')}`);
    expect(await page.locator(`[data-title-card="${adultFilm.slug}"]`).count()).toBe(0);
    const hidden = await page.goto(`${web}/title/${adultFilm.slug}`);
    expect(hidden?.status()).toBe(404);
  });
});
