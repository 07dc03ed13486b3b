import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ensureAdmin } from '@kush/api';
import { ACCESS_COOKIE } from '@kush/contracts';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertTitle } from '../apps/api/src/testing/catalog-rows';
import { launchBrowser, saveScreenshot, viewports } from './support/browser';
import { startPlatform, type Platform } from './support/platform';
import { startWebServer, type WebServer } from './support/web-server';
import { pageFetch } from './support/console';

/** The shortest access token the API allows, so the browser really sees one expire. */
const ACCESS_TOKEN_TTL_SECONDS = 30;

/** How long the holding proxy keeps an answer back at most, waiting for the request it expects. */
const HOLD_MS = 5_000;

/**
 * A proxy in front of the API that keeps back the answer to a request matching `hold` until a
 * request matching `until` has arrived (or HOLD_MS have passed), and records which came first: a
 * page that makes the second request only after the first answer keeps it held the whole time.
 */
async function startHoldingProxy(target: string) {
  const rule = { hold: (_url: string) => false, until: (_url: string) => false };
  let arrived = false;
  let wake: (() => void)[] = [];
  /** Each held request, and when the expected one came: before it, while it was held, or not in HOLD_MS. */
  const held: { url: string; expected: 'before' | 'while held' | 'not in time' }[] = [];
  const server = createServer((req, res) => {
    const url = req.url ?? '/';
    if (rule.until(url)) {
      arrived = true;
      wake.forEach((fn) => fn());
      wake = [];
    }
    const forward = () => {
      const upstream = httpRequest(`${target}${url}`, { method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.on('error', () => res.destroy());
      req.pipe(upstream);
    };
    if (!rule.hold(url)) return forward();
    if (arrived) {
      held.push({ url, expected: 'before' });
      return forward();
    }
    // Released once: by the expected request or by the timer, whichever comes first.
    const release = (expected: 'while held' | 'not in time') => {
      clearTimeout(timer);
      wake = wake.filter((fn) => fn !== onArrival);
      held.push({ url, expected });
      forward();
    };
    const onArrival = () => release('while held');
    const timer = setTimeout(() => release('not in time'), HOLD_MS);
    wake.push(onArrival);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    held,
    /** Holds answers to `hold` until `until` is asked for, from now on. */
    expect(next: { hold: (url: string) => boolean; until: (url: string) => boolean }) {
      Object.assign(rule, next);
      arrived = false;
      held.length = 0;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The real API and the real web app together, driven through Chromium. */
describe('web app on the real API', () => {
  let platform: Platform;
  let web: WebServer;
  let browser: Browser;
  const adminEmail = 'e2e-admin@kushfilms.com';
  const adminPassword = 'an e2e admin password';

  beforeAll(async () => {
    platform = await startPlatform({ ACCESS_TOKEN_TTL_SECONDS: String(ACCESS_TOKEN_TTL_SECONDS) });
    web = platform.web;
    await ensureAdmin(platform.api.ctx.db.db, adminEmail, { password: adminPassword });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  it('shows the live status of the platform', async () => {
    const page = await browser.newPage({ viewport: viewports.phone });
    await page.goto(`${web.url}/status`);
    await expect.poll(() => page.locator('[data-check="database"]').getAttribute('data-status')).toBe('ok');
    await saveScreenshot(page, 'platform-status-real-api-phone');
    await page.close();
  });

  it('signs in through the same-origin /api proxy with httpOnly cookies that page scripts cannot read', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(web.url);
    const result = await page.evaluate(
      `(async () => {
        const login = await fetch('/api/v1/auth/login', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ identifier: ${JSON.stringify(adminEmail)}, password: ${JSON.stringify(adminPassword)} }),
        });
        const body = await login.json();
        const me = await fetch('/api/v1/me');
        const refreshed = await fetch('/api/v1/auth/refresh', { method: 'POST' });
        return {
          login: login.status,
          tokenInBody: 'accessToken' in body || 'refreshToken' in body,
          me: me.status,
          meEmail: (await me.json()).email,
          refresh: refreshed.status,
          visibleCookies: document.cookie,
        };
      })()`,
    );
    expect(result).toEqual({
      login: 200,
      tokenInBody: false,
      me: 200,
      meEmail: adminEmail,
      refresh: 200,
      // Only the proxy's "signed in" hint (no secret) is readable; the tokens are not.
      visibleCookies: 'kf_signed_in=1',
    });
    const cookies = await context.cookies();
    const access = cookies.find((c) => c.name === 'kf_at');
    expect(access?.httpOnly).toBe(true);
    expect(cookies.find((c) => c.name === 'kf_rt')?.path).toBe('/api/v1/auth');
    await context.close();
  });

  it('refreshes an expired access token without the viewer noticing, in page scripts and in page renders', async () => {
    const film = await insertTitle(platform.api.ctx.db.db, { name: 'Refresh Test Film' });
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${web.url}/healthz`);
    const registered = await pageFetch(page, '/api/v1/auth/register', {
      method: 'POST',
      body: { email: 'refresh-viewer@example.com', password: 'a refresh test password', displayName: 'Refresh' },
    });
    expect(registered.status).toBe(201);
    const profiles = await pageFetch(page, '/api/v1/profiles');
    const profileId = (profiles.body.items as { id: string }[])[0]!.id;
    await context.addCookies([{ name: 'kf_profile', value: profileId, url: web.url }]);

    // A plain fetch has no retry: it answers 401 once the access token has run out.
    const accessExpired = async () => (await pageFetch(page, '/api/v1/me')).status === 401;
    const waitForExpiry = () =>
      expect.poll(accessExpired, { timeout: (ACCESS_TOKEN_TTL_SECONDS + 30) * 1000, interval: 1000 }).toBe(true);

    // 1. A page loaded while signed in; the token expires; the viewer's next action still works.
    await page.goto(`${web.url}/title/${film.slug}`);
    const toggle = page.getByTestId('my-list-toggle');
    await toggle.waitFor();
    await waitForExpiry();
    await toggle.click();
    await expect.poll(() => toggle.getAttribute('aria-pressed')).toBe('true');
    // No error shown (Next's route announcer is an empty alert region).
    expect((await page.getByRole('alert').allTextContents()).filter((text) => text.trim())).toEqual([]);
    const list = await pageFetch(page, `/api/v1/profiles/${profileId}/list`);
    expect(list.status).toBe(200);
    expect((list.body.items as { title: { id: string } }[]).map((item) => item.title.id)).toContain(film.id);

    // 2. A signed-in-only page opened after the token expired: the account page, not the sign-in form.
    await waitForExpiry();
    await page.goto(`${web.url}/account`);
    await page.waitForURL(`${web.url}/account`);
    await page.getByRole('heading', { level: 1, name: 'Account' }).waitFor();
    expect(await accessExpired()).toBe(false);
    await context.close();
  }, 180_000);

  it("sends the stylesheet inline: the frame part in the head, the page's own utilities after the header", async () => {
    const html = await (await fetch(`${web.url}/`)).text();
    const styles = [...html.matchAll(/<style id="([^"]+)"[^>]*>([\s\S]*?)<\/style>/g)].map(([, id, css]) => ({
      id,
      css,
    }));
    expect(styles.map((s) => s.id)).toEqual(['kf-shell-css', 'kf-page-css']);
    const [shell, page] = styles.map((s) => s.css!);
    expect(html).not.toMatch(/<link[^>]+rel="stylesheet"/);
    // The frame part sits in the head; the utilities directly after the header, before the page.
    expect(html.indexOf('id="kf-shell-css"')).toBeLessThan(html.indexOf('</head>'));
    expect(html.indexOf('</header>') + '</header>'.length).toBe(html.indexOf('<style id="kf-page-css"'));
    // Each text once: not repeated in the React Server Components payload.
    expect(html.split(page!).length - 1).toBe(1);
    expect(html.split(shell!).length - 1).toBe(1);
    // The head part has what the header needs; the page part the home page's utilities (the
    // header's too), and not those only the staff console uses.
    expect(shell).toContain('@layer theme');
    expect(shell).toContain('.bg-ink{');
    expect(page).toContain('.bg-ink{');
    expect(page).toContain('.aspect-video{');
    expect(shell).not.toContain('.aspect-video{');
    expect(page).not.toContain('.border-dashed{');

    // Every utility, as one file the browser keeps: named by its content's hash.
    const allHref = /<style id="kf-page-css" data-all="([^"]+)"/.exec(html)?.[1];
    expect(allHref).toMatch(/^\/styles\/app-[0-9a-f]{16}\.css$/);
    const all = await fetch(`${web.url}${allHref}`);
    expect(all.status).toBe(200);
    expect(all.headers.get('content-type')).toMatch(/^text\/css/);
    expect(all.headers.get('cache-control')).toContain('immutable');
    const allCss = await all.text();
    expect(allCss).toContain('.border-dashed{');
    expect(allCss.length).toBeGreaterThan(page!.length);
    expect((await fetch(`${web.url}/styles/app-0000000000000000.css`)).status).toBe(404);
    // A path no page answers gets every utility.
    const missing = await fetch(`${web.url}/no-such-page-${Date.now()}`);
    expect(missing.status).toBe(404);
    expect(/<style id="kf-page-css"[^>]*>([\s\S]*?)<\/style>/.exec(await missing.text())?.[1]).toBe(allCss);

    const tab = await browser.newPage({ viewport: viewports.phone });
    const errors: string[] = [];
    tab.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    await tab.goto(`${web.url}/`, { waitUntil: 'networkidle' });
    const styled = await tab.evaluate(() => ({
      header: getComputedStyle(document.querySelector('header')!).borderBottomStyle,
      main: getComputedStyle(document.querySelector('main')!).maxWidth,
      page: document.getElementById('kf-page-css')?.textContent?.length ?? 0,
      all: document.querySelector<HTMLLinkElement>('link#kf-all-css')?.getAttribute('href') ?? null,
      // A class the home page does not use, styled once every utility has arrived.
      dashed: (() => {
        const probe = document.createElement('div');
        probe.className = 'border-dashed';
        document.body.append(probe);
        const style = getComputedStyle(probe).borderStyle;
        probe.remove();
        return style;
      })(),
    }));
    // After hydration: the header and the page styled, the page part still whole, and every
    // utility loaded after the page (for pages reached without a full load).
    expect(styled).toEqual({ header: 'solid', main: '1152px', page: page!.length, all: allHref, dashed: 'dashed' });
    expect(errors.filter((e) => /hydrat/i.test(e))).toEqual([]);
    await tab.close();
  });

  it('draws the brand mark beside the site name, from the head’s stylesheet, on a phone and a laptop', async () => {
    for (const viewport of [viewports.phone, viewports.desktop]) {
      const tab = await browser.newPage({ viewport });
      await tab.goto(`${web.url}/`);
      const placed = await tab.evaluate(() => {
        const mark = getComputedStyle(document.body, '::before');
        const name = document.querySelector('header a[href="/"]')!;
        const box = name.getBoundingClientRect();
        return {
          inHead: document.getElementById('kf-shell-css')?.textContent?.includes('body:before{') ?? false,
          image: mark.backgroundImage.slice(0, 28),
          size: [mark.width, mark.height],
          // Where the name's column starts and where the mark is: the same x, centred on the name.
          left: Math.round(parseFloat(mark.left) - box.left),
          middle: Math.round(parseFloat(mark.top) + 14 - (box.top + box.height / 2)),
          room: getComputedStyle(name).paddingLeft,
        };
      });
      expect(placed).toEqual({
        inHead: true,
        image: 'url("data:image/webp;base64,',
        size: ['28px', '28px'],
        left: 0,
        middle: 0,
        room: '36px',
      });
      await tab.close();
    }
  });

  it('serves its own liveness without calling the API', async () => {
    const res = await fetch(`${web.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('renders signed-out pages without asking the API about the visitor, and asks it for a signed-in one', async () => {
    const film = await insertTitle(platform.api.ctx.db.db, { name: 'Anonymous Render Film' });
    const whoCalls: string[] = [];
    const homeCalls: string[] = [];
    const count = (req: { url?: string }) => {
      if (req.url?.startsWith('/api/v1/me') || req.url?.startsWith('/api/v1/billing/me')) whoCalls.push(req.url);
      if (req.url?.startsWith('/api/v1/catalog/home')) homeCalls.push(req.url);
    };
    platform.api.app.server.on('request', count);
    try {
      const anonymous = await fetch(`${web.url}/`);
      expect(anonymous.status).toBe(200);
      const anonymousHtml = await anonymous.text();
      expect(anonymousHtml).toContain('href="/login"');
      expect(anonymousHtml).toContain('id="row-new"');
      // The category rows come as the viewer scrolls: the render asks for their names, not their cards.
      expect(homeCalls).toEqual(['/api/v1/catalog/home?rowCards=0']);
      // The title page also offers downloads, which depend on the viewer's plan.
      const titlePage = await fetch(`${web.url}/title/${film.slug}`);
      expect(titlePage.status).toBe(200);
      expect(await titlePage.text()).toContain('data-testid="download-upsell"');
      expect(whoCalls).toEqual([]);

      // Only the API can tell a real session from a forged, lapsed or revoked cookie: it refuses the
      // token, and the page renders for a visitor (the catalog read again without it), not a 500.
      const forged = await fetch(`${web.url}/`, { headers: { cookie: `${ACCESS_COOKIE}=not-a-token` } });
      expect(forged.status).toBe(200);
      const forgedHtml = await forged.text();
      expect(forgedHtml).toContain('href="/login"');
      expect(forgedHtml).toContain('id="row-new"');
      expect(whoCalls.length).toBeGreaterThan(0);
      expect(new Set(whoCalls)).toEqual(new Set(['/api/v1/me']));
      whoCalls.length = 0;

      const login = await fetch(`${web.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: web.url },
        body: JSON.stringify({ identifier: adminEmail, password: adminPassword }),
      });
      expect(login.status).toBe(200);
      const access = login.headers.getSetCookie().find((c) => c.startsWith(`${ACCESS_COOKIE}=`));
      expect(access).toBeDefined();
      const signedIn = await fetch(`${web.url}/`, { headers: { cookie: access!.split(';')[0]! } });
      expect(signedIn.status).toBe(200);
      // An account without a chosen profile is asked who is watching: the page knew who it was.
      expect(await signedIn.text()).toContain('href="/profiles?next=/"');
      expect(whoCalls).toEqual(['/api/v1/me']);
    } finally {
      platform.api.app.server.off('request', count);
    }
  });

  it('asks the ad server for a page’s banner alongside the page’s own data, not after it', async () => {
    // A banner slot is rendered after the page's data; its decision is asked for before that
    // data arrives. Another web server in front of a proxy that holds the data back: a page that
    // asked only once it had its data would keep the proxy waiting until it gives up (HOLD_MS).
    const proxy = await startHoldingProxy(platform.api.url);
    const slow = await startWebServer({ apiUrl: proxy.url });
    try {
      const film = await insertTitle(platform.api.ctx.db.db, { name: 'Banner Alongside Film' });
      proxy.expect({
        hold: (url) => url.startsWith('/api/v1/catalog/home'),
        until: (url) => url.startsWith('/api/v1/ads/banners?slots=home-top&'),
      });
      const home = await fetch(`${slow.url}/`);
      expect(home.status).toBe(200);
      expect(await home.text()).toContain('id="row-new"');
      expect(proxy.held).toHaveLength(1);
      expect(proxy.held[0]).toMatchObject({ url: '/api/v1/catalog/home?rowCards=0' });
      expect(proxy.held[0]!.expected).not.toBe('not in time');

      // A signed-in viewer's title page: the banner's decision goes out with the profile's state
      // for the title (its place in My List, its rating, where it was left off).
      const login = await fetch(`${web.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: web.url },
        body: JSON.stringify({ identifier: adminEmail, password: adminPassword }),
      });
      const access = login.headers
        .getSetCookie()
        .find((c) => c.startsWith(`${ACCESS_COOKIE}=`))!
        .split(';')[0]!;
      const profiles = (await (await fetch(`${web.url}/api/v1/profiles`, { headers: { cookie: access } })).json()) as {
        items: { id: string }[];
      };
      const cookie = `${access}; kf_profile=${profiles.items[0]!.id}`;
      proxy.expect({
        hold: (url) => url.includes('/continue-watching?limit=50'),
        until: (url) => url.startsWith('/api/v1/ads/banners?slots=title-below-synopsis&'),
      });
      const title = await fetch(`${slow.url}/title/${film.slug}`, { headers: { cookie } });
      expect(title.status).toBe(200);
      expect(await title.text()).toContain('Banner Alongside Film');
      expect(proxy.held).toHaveLength(1);
      expect(proxy.held[0]).toMatchObject({
        url: `/api/v1/profiles/${profiles.items[0]!.id}/continue-watching?limit=50`,
      });
      expect(proxy.held[0]!.expected).not.toBe('not in time');
    } finally {
      await slow.stop();
      await proxy.stop();
    }
  });
});
