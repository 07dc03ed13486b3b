import { ensureAdmin } from '@kush/api';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, saveScreenshot, viewports } from './support/browser';
import { startPlatform, type Platform } from './support/platform';
import type { WebServer } from './support/web-server';

/** The real API and the real web app together, driven through Chromium. */
describe('web app on the real API', () => {
  let platform: Platform;
  let web: WebServer;
  let browser: Browser;
  const adminEmail = 'e2e-admin@kushfilms.com';
  const adminPassword = 'an e2e admin password';

  beforeAll(async () => {
    platform = await startPlatform();
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

  it('serves its own liveness without calling the API', async () => {
    const res = await fetch(`${web.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });
});
