/**
 * The platform status page, end to end: next start + Debian Chromium against an HTTP server
 * that answers like the API. `fakeApi` stands in until the real API can be started here; swap
 * it for the real one and keep the assertions.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, saveScreenshot, viewports } from './support/browser';
import { ensureWebBuild, startWebServer, type WebServer } from './support/web-server';

type FakeApiMode = 'ok' | 'degraded' | 'hang';

interface FakeApi {
  url: string;
  mode: FakeApiMode;
  stop(): Promise<void>;
}

/** A real HTTP server shaped like the API's /healthz, /readyz and /api/v1/ping. */
async function startFakeApi(): Promise<FakeApi> {
  const state: { mode: FakeApiMode } = { mode: 'ok' };

  const send = (
    res: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string | string[]> = {},
  ) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(JSON.stringify(body));
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (state.mode === 'hang') return; // never answers: the page must give up on its own
    const url = new URL(req.url ?? '/', 'http://fake-api');

    switch (url.pathname) {
      case '/healthz':
        return send(res, 200, { status: 'ok', uptimeSeconds: 93_784, version: '0.1.0-fake' });
      case '/readyz':
        return state.mode === 'ok'
          ? send(res, 200, {
              status: 'ok',
              checks: { database: { status: 'ok', latencyMs: 1 }, storage: { status: 'ok', latencyMs: 3 } },
            })
          : send(res, 503, {
              status: 'degraded',
              checks: { database: { status: 'ok', latencyMs: 2 }, storage: { status: 'error', latencyMs: 2001 } },
            });
      case '/api/v1/ping':
        return send(
          res,
          200,
          {
            pong: true,
            servedBy: 'fakeApi',
            method: req.method,
            query: url.search,
            cookie: req.headers.cookie ?? null,
          },
          { 'set-cookie': ['kush_probe=1; Path=/; HttpOnly; SameSite=Lax'] },
        );
      default:
        return send(res, 404, { error: { code: 'NOT_FOUND', message: 'Not found', requestId: 'fake' } });
    }
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    get mode() {
      return state.mode;
    },
    set mode(mode: FakeApiMode) {
      state.mode = mode;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('platform status page', () => {
  let fakeApi: FakeApi;
  let web: WebServer;
  let browser: Browser;
  let fakeApiStopped = false;

  beforeAll(async () => {
    const build = await ensureWebBuild();
    if (build.built) console.info(`built apps/web in ${build.ms} ms (${build.reason ?? ''})`);
    fakeApi = await startFakeApi();
    web = await startWebServer({ apiUrl: fakeApi.url });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await web?.stop();
    if (!fakeApiStopped) await fakeApi?.stop();
  });

  async function newContext(
    viewport: { width: number; height: number },
    javaScriptEnabled = true,
  ): Promise<BrowserContext> {
    return browser.newContext({ viewport, javaScriptEnabled, colorScheme: 'dark', locale: 'en-UG' });
  }

  it('renders every check from the API on the server, readable without JavaScript', async () => {
    fakeApi.mode = 'ok';
    const context = await newContext(viewports.desktop, false);
    const page = await context.newPage();
    const response = await page.goto(`${web.url}/status`);
    expect(response?.status()).toBe(200);
    expect(response?.headers()['x-powered-by']).toBeUndefined();

    await expect(page.title()).resolves.toBe('Platform status · Kush Films');
    expect(await page.getByRole('banner').textContent()).toContain('Kush Films');
    expect(await page.getByRole('heading', { level: 1 }).count()).toBe(1);
    for (const role of ['banner', 'main', 'contentinfo', 'navigation'] as const) {
      expect(await page.getByRole(role).count(), role).toBeGreaterThan(0);
    }

    const overall = page.getByTestId('overall-status');
    expect(await overall.getAttribute('data-state')).toBe('ok');
    expect(await overall.textContent()).toContain('All systems operational');

    const database = page.locator('[data-check="database"]');
    expect(await database.getAttribute('data-status')).toBe('ok');
    expect(await database.innerText()).toMatch(/Database[\s\S]*1 ms[\s\S]*OK/);
    expect(await page.locator('[data-check="storage"]').getAttribute('data-status')).toBe('ok');
    expect(await page.getByTestId('api-version').textContent()).toBe('0.1.0-fake');

    const docsLinks = page.getByRole('link', { name: /API reference/ });
    expect(await docsLinks.count()).toBeGreaterThan(0);
    expect(await docsLinks.first().getAttribute('href')).toBe('/api/docs');
    await context.close();
  });

  it('looks right at 360 px and 1280 px', async () => {
    fakeApi.mode = 'ok';
    for (const [name, viewport] of Object.entries(viewports)) {
      const context = await newContext(viewport);
      const page = await context.newPage();
      await page.goto(`${web.url}/status`);
      const overflow = await page.evaluate<number>(
        // A string: the root tsconfig that checks e2e/ has no DOM lib.
        'document.documentElement.scrollWidth - window.innerWidth',
      );
      expect(overflow, `horizontal overflow at ${viewport.width} px`).toBeLessThanOrEqual(0);
      await saveScreenshot(page, `status-ok-${name}-${viewport.width}`);
      await context.close();
    }
  });

  it('shows a degraded dependency as degraded, not as an outage', async () => {
    fakeApi.mode = 'degraded';
    const context = await newContext(viewports.desktop);
    const page = await context.newPage();
    await page.goto(`${web.url}/status`);
    expect(await page.getByTestId('overall-status').getAttribute('data-state')).toBe('degraded');
    expect(await page.locator('[data-check="storage"]').getAttribute('data-status')).toBe('down');
    expect(await page.locator('[data-check="database"]').getAttribute('data-status')).toBe('ok');
    await saveScreenshot(page, 'status-degraded-desktop-1280');
    await context.close();
  });

  it('proxies /api/* to the API on the same origin, cookies included', async () => {
    fakeApi.mode = 'ok';
    const direct = await fetch(`${web.url}/api/v1/ping?from=e2e`);
    expect(direct.status).toBe(200);
    expect(await direct.json()).toMatchObject({ pong: true, servedBy: 'fakeApi', method: 'GET', query: '?from=e2e' });
    expect(direct.headers.get('set-cookie')).toContain('kush_probe=1');

    // The browser keeps the API's httpOnly cookie for the web origin and sends it back.
    const context = await newContext(viewports.desktop);
    const first = await context.request.get(`${web.url}/api/v1/ping`);
    expect(first.ok()).toBe(true);
    const second = await context.request.post(`${web.url}/api/v1/ping`);
    expect(await second.json()).toMatchObject({ method: 'POST', cookie: 'kush_probe=1' });
    await context.close();
  });

  it('gives up on an API that does not answer within about 2 s', async () => {
    fakeApi.mode = 'hang';
    const context = await newContext(viewports.desktop);
    const page = await context.newPage();
    const started = Date.now();
    await page.goto(`${web.url}/status`);
    const elapsed = Date.now() - started;
    expect(await page.getByTestId('overall-status').getAttribute('data-state')).toBe('unreachable');
    expect(elapsed).toBeLessThan(6_000);
    await context.close();
    fakeApi.mode = 'ok';
  });

  it('shows "API unreachable" once the API is gone', async () => {
    fakeApi.mode = 'ok';
    const context = await newContext(viewports.phone);
    const page = await context.newPage();
    await page.goto(`${web.url}/status`);
    expect(await page.getByTestId('overall-status').getAttribute('data-state')).toBe('ok');

    await fakeApi.stop();
    fakeApiStopped = true;
    await page.reload();

    const overall = page.getByTestId('overall-status');
    expect(await overall.getAttribute('data-state')).toBe('unreachable');
    expect(await page.getByRole('heading', { name: 'API unreachable' }).isVisible()).toBe(true);
    await saveScreenshot(page, `status-unreachable-phone-${viewports.phone.width}`);

    await page.setViewportSize(viewports.desktop);
    await page.reload();
    await saveScreenshot(page, `status-unreachable-desktop-${viewports.desktop.width}`);

    const proxied = await fetch(`${web.url}/api/v1/ping`);
    expect(proxied.status).toBe(502);
    expect(await proxied.json()).toMatchObject({ error: { code: 'API_UNAVAILABLE' } });
    await context.close();
  });
});
