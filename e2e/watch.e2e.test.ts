import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { RunningApi } from '@kush/api';
import { episodes, seasons, uuidv7 } from '@kush/db';
import { locateBinary } from '@kush/media';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertTitle, type TitleRow } from '../apps/api/src/testing/catalog-rows';
import { en } from '../apps/web/lib/i18n/en';
import { lg } from '../apps/web/lib/i18n/lg';
import { sw } from '../apps/web/lib/i18n/sw';
import { expectAccessible } from './support/axe';
import { launchBrowser, saveScreenshot, screenshotDir } from './support/browser';
import { startPlatform, type Platform, uploadClipAsStaff } from './support/platform';
import { DROP_REQUESTS_FROM_PAGEHIDE, unendedStreams } from './support/streams';
import type { WebServer } from './support/web-server';

const SUBTITLES = `WEBVTT

00:00:00.000 --> 00:00:36.000
Oli otya? Welcome to Kush Films.
`;

// Browser-side expressions are strings: this file compiles without the DOM library.
const VIDEO = `document.querySelector('[data-player] video')`;
const TIME = `(${VIDEO}?.currentTime ?? 0)`;

/** Seconds of video currently shown. */
const currentTime = (page: Page) => page.evaluate(TIME) as Promise<number>;

/** Waits until a browser-side expression is true. */
const until = (page: Page, expression: string, timeout = 30_000) =>
  page.waitForFunction(expression, undefined, { timeout });

/**
 * Waits until the video has played `seconds` past where it started. Playback starts by itself
 * where the browser allows it, otherwise after a tap on the big Play button, as a viewer would.
 */
async function playFor(page: Page, seconds: number): Promise<void> {
  try {
    await page.locator('[data-player][data-phase="playing"]').waitFor({ timeout: 30_000 });
  } catch (error) {
    // Say what the viewer sees instead (another phase, a problem, a redirect).
    const seen = await page.evaluate(
      `JSON.stringify({ url: location.href, phase: document.querySelector('[data-player]')?.dataset.phase, problem: document.querySelector('[data-problem]')?.textContent })`,
    );
    throw new Error(`the player did not start: ${String(seen)}`, { cause: error });
  }
  await until(page, `(${VIDEO}?.paused === false && ${TIME} > 0) || !!document.querySelector('[data-needs-tap]')`);
  const tap = page.locator('[data-needs-tap] button');
  if ((await tap.count()) > 0) await tap.click();
  await until(page, `${TIME} > 0`);
  const from = await currentTime(page);
  await until(page, `${VIDEO}?.paused === false && ${TIME} > ${from + seconds}`, 60_000);
}

/** The page tells the viewer it resumed, and plays from within 3 s of `seconds`. */
async function expectResumedNear(page: Page, seconds: number): Promise<void> {
  await page.getByText(/^Resumed at \d+:\d\d$/).waitFor();
  await until(page, `${TIME} > 0`);
  const resumedAt = await currentTime(page);
  expect(resumedAt).toBeGreaterThan(seconds - 3);
  expect(resumedAt).toBeLessThan(seconds + 3);
}

/** Segment requests per rendition (v144, v240, v360…) made by the page. */
function recordRenditions(page: Page): Set<string> {
  const seen = new Set<string>();
  page.on('request', (request) => {
    const match = /\/(v\d+)\/[^/]+\.m4s(?:\?|$)/.exec(request.url());
    if (match) seen.add(match[1]!);
  });
  return seen;
}

describe('the watch page', () => {
  let platform: Platform;
  let api: RunningApi;
  let web: WebServer;
  let browser: Browser;
  let viewer: BrowserContext;
  let profileId: string;
  let free: TitleRow;
  let premium: TitleRow;
  let clipVideoId: string;

  beforeAll(async () => {
    // The test clip is made with the same ffmpeg the transcoder finds (system, else the npm one).
    process.env.FFMPEG_PATH ??= (await locateBinary('ffmpeg')).path;
    platform = await startPlatform({ TRANSCODE_PRESET: 'ultrafast' });
    ({ api, web } = platform);

    // Staff upload a 36-second clip through the same signed URL the console uses, with subtitles.
    const { videoId, auth } = await uploadClipAsStaff(platform, {
      email: 'e2e-watch-staff@kushfilms.com',
      seconds: 36,
      filename: 'watch.mp4',
    });
    const subtitles = await fetch(`${web.url}/api/v1/admin/videos/${videoId}/subtitles`, {
      method: 'PUT',
      headers: auth,
      body: JSON.stringify({ language: 'en', label: 'English', content: SUBTITLES }),
    });
    expect(subtitles.status).toBe(200);

    // The free plan, set up as staff would, allowing a few streams at once: the pages of one test
    // overlap (a new page opens while the last one's stop call is still on its way).
    const plan = await fetch(`${web.url}/api/v1/admin/billing/plans`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({
        code: 'free',
        name: 'Free',
        interval: 'month',
        prices: {},
        grants: { premiumCatalog: false, adFree: false, downloads: false, maxQuality: 720, maxStreams: 10 },
      }),
    });
    expect(plan.status, await plan.clone().text()).toBe(201);

    clipVideoId = videoId;
    free = await insertTitle(api.ctx.db.db, { videoId: videoId, name: 'Kampala Nights' });
    premium = await insertTitle(api.ctx.db.db, {
      videoId: videoId,
      name: 'Pearl of Africa',
      accessTier: 'premium',
    });

    // A viewer registers in the browser (httpOnly cookies) and uses the account's first profile.
    browser = await launchBrowser();
    viewer = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await viewer.newPage();
    await page.goto(`${web.url}/healthz`);
    profileId = await page.evaluate(async () => {
      const registered = await fetch('/api/v1/auth/register', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          email: `watch-${Date.now()}@example.com`,
          password: 'a viewer password for e2e',
          displayName: 'Nakato',
          tokenDelivery: 'cookie',
        }),
      });
      if (registered.status !== 201) throw new Error(`register: ${registered.status}`);
      const profiles = (await (await fetch('/api/v1/profiles')).json()) as { items: { id: string }[] };
      return profiles.items[0]!.id;
    });
    await viewer.addCookies([{ name: 'kf_profile', value: profileId, url: web.url }]);
    await page.close();

    if (!existsSync(path.join(screenshotDir, '.gitignore'))) {
      mkdirSync(screenshotDir, { recursive: true });
      writeFileSync(path.join(screenshotDir, '.gitignore'), '*.png\n');
    }
  }, 900_000); // a fresh web build and a transcode, on a busy shared machine

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  it('plays, switches to a chosen quality, and resumes where the viewer left off', async () => {
    const page = await viewer.newPage();
    await page.addInitScript(DROP_REQUESTS_FROM_PAGEHIDE);
    const renditions = recordRenditions(page);
    await page.goto(`${web.url}/watch/${free.slug}`);
    await expect(page.locator('h1').textContent()).resolves.toBe('Kampala Nights');
    await playFor(page, 1);

    // Manual quality: the 144p rung, labelled with its data cost, and its segments are what load.
    await page.getByRole('button', { name: 'Settings' }).click();
    const lowest = page.getByRole('radio', { name: /^144p/ });
    await expect(lowest.locator('xpath=..').textContent()).resolves.toMatch(/144p~\d+ MB\/h/);
    renditions.clear();
    await lowest.check();
    await until(page, `document.querySelector('[data-player]').getAttribute('data-playing-height') === '144'`);
    const afterSwitch = await currentTime(page);
    await until(page, `${TIME} > ${afterSwitch + 4}`);
    expect([...renditions]).toContain('v144');
    await page.keyboard.press('Escape');

    // Subtitles are off until the viewer asks; "c" turns them on.
    const SHOWING = `[...${VIDEO}.textTracks].filter((t) => t.mode === 'showing').length`;
    expect(await page.evaluate(SHOWING)).toBe(0);
    await page.locator('h1').click();
    await page.keyboard.press('c');
    await until(page, `${SHOWING} === 1`);
    await expect(page.getByRole('button', { name: 'Turn subtitles off' }).getAttribute('aria-pressed')).resolves.toBe(
      'true',
    );

    // Pausing ("k") saves the position; then the viewer leaves and comes back.
    // What the API says it stored (`saved`), not its `applied` flag: that compares the stored
    // single-precision value with the sent double exactly, so it reads false for most positions.
    const beats: { positionSeconds: number; saved: number }[] = [];
    const statuses: number[] = [];
    const unread: string[] = [];
    page.on('response', (response) => {
      if (!response.url().endsWith('/api/v1/playback/heartbeat')) return;
      statuses.push(response.status());
      if (response.status() !== 200) return;
      const sent = response.request().postDataJSON() as { positionSeconds: number };
      // A beat answered as the page navigates away (the stop on leaving) has no body left to
      // read; it is recorded as unread, not left as an unhandled rejection.
      response
        .json()
        .then((body: { positionSeconds: number }) => beats.push({ ...sent, saved: body.positionSeconds }))
        .catch((error: unknown) => unread.push(`${sent.positionSeconds}: ${String(error).split('\n')[0]}`));
    });
    await page.keyboard.press('k');
    await until(page, `${VIDEO}.paused`);
    const pausedAt = await currentTime(page);
    expect(pausedAt).toBeGreaterThan(4);
    const savedPause = () => beats.some((b) => Math.abs(b.saved - pausedAt) < 0.05);
    await expect
      .poll(savedPause, { timeout: 15_000 })
      .toBe(true)
      .catch((error: unknown) => {
        throw new Error(`no saved position of ${pausedAt} s: ${JSON.stringify({ statuses, beats, unread })}`, {
          cause: error,
        });
      });

    // Leaving tells the API the stream has ended (POST /playback/stop), so it stops counting
    // towards the plan's stream limit at once: the stream row is marked ended (an idle stream would
    // only stop being counted, its row left open). The stop goes out on `beforeunload`, while the
    // page is whole: requests made from `pagehide` are sometimes never sent by Chromium, and this
    // page drops them every time (DROP_REQUESTS_FROM_PAGEHIDE), so only that stop can count here.
    const openStreams = () => unendedStreams(api.ctx.db.db, { titleId: free.id });
    expect(await openStreams()).toHaveLength(1);
    await page.goto(`${web.url}/healthz`);
    await expect.poll(openStreams, { timeout: 10_000 }).toEqual([]);

    await page.goto(`${web.url}/watch/${free.slug}`);
    await expectResumedNear(page, pausedAt);
    await page.close();
  }, 120_000);

  it('keeps the position of a viewer who leaves before the first progress beat', async () => {
    // The position goes out with the stop on `beforeunload`: when the viewer leaves within the
    // first 10 s, no interval beat has saved it yet, and the beats from `pagehide` and
    // `visibilitychange` are sometimes never sent by Chromium (dropped every time here). The
    // 10-second beat is kept from running at all, so only the `beforeunload` beat can count. A
    // title of its own: the clip's other titles keep their saved positions.
    const title = await insertTitle(api.ctx.db.db, { videoId: clipVideoId, name: 'Entebbe Mornings' });
    const page = await viewer.newPage();
    await page.addInitScript(DROP_REQUESTS_FROM_PAGEHIDE);
    await page.addInitScript(`{
      const setInterval = window.setInterval;
      window.setInterval = (handler, ms, ...rest) => (ms === 10000 ? 0 : setInterval(handler, ms, ...rest));
    }`);
    const beats: number[] = [];
    page.on('request', (request) => {
      if (request.url().endsWith('/api/v1/playback/heartbeat')) {
        beats.push((request.postDataJSON() as { positionSeconds: number }).positionSeconds);
      }
    });
    await page.goto(`${web.url}/watch/${title.slug}`);
    await playFor(page, 3);
    expect(beats).toEqual([]);
    const leftAt = await currentTime(page);
    await page.goto(`${web.url}/healthz`);

    await page.goto(`${web.url}/watch/${title.slug}`);
    await expectResumedNear(page, leftAt);
    await page.close();
  }, 90_000);

  it('carries on in a new session when the viewer stays after the page began to unload', async () => {
    // `beforeunload` frees the stream; a page still here afterwards (a download, a navigation the
    // viewer stopped) starts a new session from where it was, so the stream counts again. Streams
    // other pages of this file left open (closing a page does not run `beforeunload`) are ignored.
    const earlier = await unendedStreams(api.ctx.db.db, { titleId: free.id });
    const openStreams = async () =>
      (await unendedStreams(api.ctx.db.db, { titleId: free.id })).filter((id) => !earlier.includes(id));
    const page = await viewer.newPage();
    await page.goto(`${web.url}/watch/${free.slug}`);
    await playFor(page, 1);
    const [first] = await openStreams();
    expect(first).toBeDefined();
    // Paused, so the position saved for this clip (which the series test's episodes share) stays
    // near its start.
    await page.locator('h1').click();
    await page.keyboard.press('k');
    await until(page, `${VIDEO}.paused`);
    await page.evaluate(`window.dispatchEvent(new Event('beforeunload'))`);
    await expect.poll(openStreams, { timeout: 10_000 }).toEqual([]);
    await expect.poll(async () => (await openStreams()).length, { timeout: 30_000 }).toBe(1);
    const [second] = await openStreams();
    expect(second).not.toBe(first);
    await page.locator('[data-player][data-phase="playing"]').waitFor();
    await page.close();
  }, 90_000);

  it('caps the quality hls.js may choose with the profile’s data saver, and remembers it', async () => {
    const page = await viewer.newPage();
    await page.goto(`${web.url}/watch/${free.slug}`);
    await playFor(page, 0);
    await page.getByRole('button', { name: 'Settings' }).click();
    const patched = page.waitForResponse(
      (r) => r.url().endsWith(`/api/v1/profiles/${profileId}`) && r.request().method() === 'PATCH',
    );
    await page.getByRole('radio', { name: /Save most data/ }).check();
    expect((await patched).status()).toBe(200);
    await page.close();

    // A new visit starts with the saved setting: nothing above 240p is fetched, nor offered.
    const again = await viewer.newPage();
    const renditions = recordRenditions(again);
    await again.goto(`${web.url}/watch/${free.slug}`);
    await playFor(again, 8);
    expect([...renditions].length).toBeGreaterThan(0);
    expect([...renditions].filter((r) => Number(r.slice(1)) > 240)).toEqual([]);
    const height = Number(await again.locator('[data-player]').getAttribute('data-playing-height'));
    expect(height).toBeLessThanOrEqual(240);
    await again.getByRole('button', { name: 'Settings' }).click();
    // The stream itself is capped (the API leaves taller variants out), so 360p is not even listed.
    await again.getByRole('radio', { name: /^240p/ }).waitFor();
    await expect(again.getByRole('radio', { name: /^360p/ }).count()).resolves.toBe(0);
    await expect(again.getByRole('radio', { name: /Save most data/ }).isChecked()).resolves.toBe(true);

    // Raising the setting takes a new session from the same moment, which offers 360p again; back to
    // automatic for the other tests, through the same control.
    const before = await currentTime(again);
    const restored = again.waitForResponse(
      (r) => r.url().endsWith(`/api/v1/profiles/${profileId}`) && r.request().method() === 'PATCH',
    );
    const restarted = again.waitForResponse(
      (r) => r.url().endsWith('/api/v1/playback') && r.request().method() === 'POST',
    );
    await again.getByRole('radio', { name: /Automatic/ }).check();
    expect((await restored).status()).toBe(200);
    expect((await restarted).status()).toBe(200);
    await again.getByRole('radio', { name: /^360p/ }).waitFor();
    // The new stream starts where the old one was, not from the start.
    await again.waitForFunction(`${TIME} >= ${before - 1}`);
    await again.close();
  });

  it('plays a series: seek preview, arrow-key seeking, fullscreen, and the next episode starts by itself', async () => {
    // A series of two episodes, both playing the uploaded clip.
    const db = api.ctx.db.db;
    const series = await insertTitle(db, { kind: 'series', name: 'Boda Boda Diaries' });
    const seasonId = uuidv7();
    await db.insert(seasons).values({ id: seasonId, titleId: series.id, number: 1 });
    const [first, second] = [uuidv7(), uuidv7()];
    await db.insert(episodes).values([
      { id: first, titleId: series.id, seasonId, number: 1, name: 'Stage One', videoId: clipVideoId },
      { id: second, titleId: series.id, seasonId, number: 2, name: 'Stage Two', videoId: clipVideoId },
    ]);

    const page = await viewer.newPage();
    // The series' address opens its first episode.
    await page.goto(`${web.url}/watch/${series.slug}`);
    await page.waitForURL(`${web.url}/watch/${series.slug}?episode=${first}`);
    await playFor(page, 0);

    // Hovering the seek bar shows a thumbnail of that moment from the transcoder's sprite.
    const seek = page.getByRole('slider', { name: en.playerSeek });
    const box = (await seek.boundingBox())!;
    await page.mouse.move(box.x + 10, box.y + box.height / 2);
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 5 });
    await page.getByTestId('seek-thumbnail').waitFor();
    const sprite = await page
      .getByTestId('seek-thumbnail')
      .locator('div')
      .evaluate((el) => (el as unknown as { style: { backgroundImage: string } }).style.backgroundImage);
    expect(sprite).toMatch(/url\(/);
    await page.mouse.move(box.x + box.width / 2, box.y - 200);

    // "f" toggles fullscreen on the player; → jumps ahead.
    await page.locator('h1').click();
    await page.keyboard.press('f');
    await until(page, `document.fullscreenElement === document.querySelector('[data-player]')`);
    await page.keyboard.press('f');
    await until(page, `document.fullscreenElement === null`);
    const before = await currentTime(page);
    await page.keyboard.press('ArrowRight');
    await until(page, `${TIME} >= ${before + 5}`);

    // Skipping on to the end brings the countdown to the next episode, then the next episode plays.
    for (
      let press = 0;
      press < 10 && !(await page.evaluate(`${VIDEO}.ended || ${TIME} > ${VIDEO}.duration - 4`));
      press++
    ) {
      const at = await currentTime(page);
      await page.keyboard.press('ArrowRight');
      await until(page, `${VIDEO}.ended || ${TIME} > ${at + 1}`);
    }
    const countdown = page.getByRole('region', { name: en.nextEpisodeHeading });
    await countdown.waitFor({ timeout: 30_000 });
    expect(await countdown.textContent()).toContain('Stage Two');
    await page.waitForURL(`${web.url}/watch/${series.slug}?episode=${second}`, { timeout: 30_000 });
    await playFor(page, 0);
    await page.close();
  });

  it('tells a viewer without a pass that a premium title needs Premium', async () => {
    const page = await viewer.newPage();
    const segments = recordRenditions(page);
    await page.goto(`${web.url}/watch/${premium.slug}`);
    const problem = page.locator('[data-problem="premium"]');
    await problem.waitFor();
    await expect(problem.getByRole('heading').textContent()).resolves.toBe('This title needs Premium');
    await expect(problem.getByRole('link', { name: 'See plans' }).getAttribute('href')).resolves.toBe('/plans');
    expect([...segments]).toEqual([]);
    await page.close();
  });

  it('speaks the language chosen in the switcher: Luganda controls, a Swahili problem', async () => {
    // A context of its own, so the language cookie does not follow the other tests.
    const context = await browser.newContext({ storageState: await viewer.storageState() });
    const page = await context.newPage();
    // The footer's switcher sets the kf_lang cookie and comes back to the page it was on.
    const switchTo = async (lang: string, change: string, path: string) => {
      const here = new URL(page.url()).pathname;
      await page.locator('#language-select').selectOption(lang);
      await page.getByRole('button', { name: change, exact: true }).click();
      await page.locator(`html[lang="${lang}"]`).waitFor();
      expect(new URL(page.url()).pathname).toBe(here);
      if (path !== here) await page.goto(`${web.url}${path}`);
    };

    await page.goto(`${web.url}/watch/${free.slug}`);
    await switchTo('lg', en.change, `/watch/${free.slug}`);
    await playFor(page, 0);
    const playPause = page.locator('[data-controls] button[aria-keyshortcuts="k"]');
    expect([lg.playerPlay, lg.playerPause]).toContain(await playPause.getAttribute('title'));
    expect([en.playerPlay, en.playerPause]).not.toContain(await playPause.getAttribute('title'));
    await expect(page.getByRole('slider', { name: lg.playerSeek }).count()).resolves.toBe(1);
    await expect(page.getByRole('button', { name: en.playerSettings, exact: true }).count()).resolves.toBe(0);
    await page.getByRole('button', { name: lg.playerSettings, exact: true }).click();
    const settings = page.getByRole('dialog', { name: lg.playerSettingsPanel });
    await expect(settings.getByRole('radio', { name: new RegExp(`^${lg.playerDataSaverLow}`) }).count()).resolves.toBe(
      1,
    );
    await expect(page.locator('summary').filter({ hasText: lg.shortcuts }).count()).resolves.toBe(1);

    await switchTo('sw', lg.change, `/watch/${premium.slug}`);
    const problem = page.locator('[data-problem="premium"]');
    await expect(problem.getByRole('heading').textContent()).resolves.toBe(sw.problemPremiumTitle);
    await expect(problem.getByRole('link', { name: sw.seePlans }).getAttribute('href')).resolves.toBe('/plans');
    await context.close();
  });

  it('has no serious accessibility violations and fits a 360 px phone and a laptop', async () => {
    for (const [name, viewport] of [
      ['watch-phone', { width: 360, height: 800 }],
      ['watch-desktop', { width: 1440, height: 900 }],
    ] as const) {
      const page = await viewer.newPage();
      await page.setViewportSize(viewport);
      await page.goto(`${web.url}/watch/${free.slug}`);
      await playFor(page, 1);
      await page.keyboard.press('k');
      const width = (await page.evaluate('document.documentElement.scrollWidth')) as number;
      expect(width).toBeLessThanOrEqual(viewport.width);
      await expectAccessible(page, name);
      await saveScreenshot(page, name);
      await page.close();
    }
  });
});
