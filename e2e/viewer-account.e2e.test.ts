/**
 * The viewer's account pages on the real API, in Chromium: signing in with a phone number, the
 * emails' links (confirm the address, reset a forgotten password), a PIN-protected profile, the
 * notifications it leaves, the profile's data saver and language, devices and sessions with sign-out, and the installable app (manifest, icons, a service worker
 * that paints the app shell offline).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { en } from '../apps/web/lib/i18n/en';
import { lg } from '../apps/web/lib/i18n/lg';
import { launchBrowser } from './support/browser';
import { pageFetch } from './support/console';
import { startPlatform, type Platform } from './support/platform';

const PHONE_SCREEN = { width: 360, height: 800 } as const;

/** The link of that kind in the newest email to `to` in the embedded outbox (.eml files). */
async function linkFromOutbox(platform: Platform, to: string, kind: 'reset-password' | 'verify-email') {
  const outbox = platform.api.ctx.config.paths.outbox;
  const pattern = new RegExp(`https?://[^\\s"<>]*/${kind}\\?token=[^\\s"<>&]+`);
  let found: string | null = null;
  await expect
    .poll(
      async () => {
        await platform.api.ctx.infra.queue.whenIdle(30_000);
        const files = (await fs.readdir(outbox).catch(() => [] as string[])).sort().reverse();
        for (const file of files) {
          // Quoted-printable bodies: undo soft line breaks and escaped "=".
          const message = (await fs.readFile(path.join(outbox, file), 'utf8'))
            .replace(/=\r?\n/g, '')
            .replace(/=3D/g, '=');
          if (!message.includes(to)) continue;
          found = pattern.exec(message)?.[0] ?? null;
          if (found) return true;
        }
        return false;
      },
      { timeout: 30_000, interval: 250 },
    )
    .toBe(true);
  return new URL(found!);
}

async function signInThroughPage(page: Page, web: string, identifier: string, password: string) {
  await page.goto(`${web}/login`);
  await page.getByLabel(en.identifier).fill(identifier);
  await page.getByLabel(en.password, { exact: true }).fill(password);
  await page.getByRole('button', { name: en.navSignIn }).click();
  await page.waitForURL(/\/profiles/);
}

describe('viewer account pages on the real API', () => {
  let platform: Platform;
  let browser: Browser;
  let web: string;
  const email = 'nakato-account@example.com';
  const phone = '+256772123456';
  const password = 'an account e2e password';

  beforeAll(async () => {
    platform = await startPlatform();
    web = platform.web.url;
    browser = await launchBrowser();
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  it('registers with an email and a phone number, then signs in with the phone number', async () => {
    const context = await browser.newContext({ viewport: PHONE_SCREEN });
    const page = await context.newPage();
    await page.goto(`${web}/register`);
    await page.getByLabel(en.displayName).fill('Nakato');
    await page.getByLabel(en.email).fill(email);
    await page.getByLabel(en.phone).fill(phone);
    await page.getByLabel(en.newPassword).fill(password);
    await page.getByRole('button', { name: en.registerButton }).click();
    await page.waitForURL(/\/profiles/);
    await context.clearCookies();

    await signInThroughPage(page, web, '0772 123456', password);
    const me = await pageFetch(page, '/api/v1/me');
    expect(me.body).toMatchObject({ email, phone });
    await context.close();
  });

  it('confirms the email from its link, and resets a forgotten password from the emailed link', async () => {
    const context = await browser.newContext({ viewport: PHONE_SCREEN });
    const page = await context.newPage();

    const verify = await linkFromOutbox(platform, email, 'verify-email');
    await page.goto(`${web}${verify.pathname}${verify.search}`);
    await page.getByText(en.verifyDone).waitFor();

    await page.goto(`${web}/forgot-password`);
    await page.getByLabel(en.identifier).fill(email);
    await page.getByRole('button', { name: en.forgotButton }).click();
    await page.getByText(en.forgotSent).waitFor();
    const reset = await linkFromOutbox(platform, email, 'reset-password');
    await page.goto(`${web}${reset.pathname}${reset.search}`);
    const newPassword = 'a brand new password';
    await page.getByLabel(en.newPassword).fill(newPassword);
    await page.getByRole('button', { name: en.resetButton }).click();
    await page.getByText(en.resetDone).waitFor();

    // The old password no longer works; the new one does, and the address shows as confirmed.
    const old = await pageFetch(page, '/api/v1/auth/login', {
      method: 'POST',
      body: { identifier: email, password },
    });
    expect(old.status).toBe(401);
    await signInThroughPage(page, web, email, newPassword);
    expect((await pageFetch(page, '/api/v1/me')).body.emailVerified).toBe(true);
    // Back to the original password through the account page's form (later tests sign in with it).
    await page.locator('[data-profile]').first().click();
    await page.goto(`${web}/account`);
    await page.getByLabel(en.currentPassword).fill(newPassword);
    await page.getByLabel(en.newPassword).fill(password);
    await page.getByRole('button', { name: en.changePassword }).click();
    await page.getByText(en.passwordChanged).waitFor();
    const again = await pageFetch(page, '/api/v1/auth/login', {
      method: 'POST',
      body: { identifier: email, password },
    });
    expect(again.status).toBe(200);
    await context.close();
  });

  it('asks for the PIN of a PIN-protected profile, refuses a wrong one, and notifies the account', async () => {
    const context = await browser.newContext({ viewport: PHONE_SCREEN });
    const page = await context.newPage();
    await signInThroughPage(page, web, email, password);
    await page.goto(`${web}/profiles/manage`);
    const profile = page.getByRole('region', { name: 'Nakato' });
    await profile.getByLabel(en.newPin).fill('2580');
    await profile.getByLabel(en.accountPassword).fill(password);
    await profile.getByRole('button', { name: en.setPin }).click();
    await profile.getByText(en.saved).waitFor();

    await page.goto(`${web}/profiles?next=/my-list`);
    await page.locator('[data-profile="Nakato"]').click();
    const pin = page.getByLabel(en.enterPin.replace('{name}', 'Nakato'));
    await pin.fill('1111');
    await page.getByRole('button', { name: en.unlock }).click();
    await page.getByRole('alert').filter({ hasText: /\S/ }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/profiles');

    await pin.fill('2580');
    await page.getByRole('button', { name: en.unlock }).click();
    await page.waitForURL(`${web}/my-list`);

    // Setting the PIN left a notice for the account; the viewer reads it and marks it read.
    await page.goto(`${web}/notifications`);
    const notice = page.getByRole('listitem').filter({ hasText: 'A PIN was set on a profile' });
    expect(await notice.getAttribute('data-read')).toBe('false');
    await notice.getByRole('button', { name: en.markRead, exact: true }).click();
    await expect.poll(() => notice.getAttribute('data-read')).toBe('true');

    // The profile's preferences on the account page: data saver and language, kept by the API.
    await page.goto(`${web}/account`);
    const preferences = page.getByRole('region', { name: `${en.preferences}: Nakato` });
    await preferences.getByLabel(en.dataSaver).selectOption('low');
    await preferences.getByLabel(en.language).selectOption('lg');
    await preferences.getByRole('button', { name: en.save }).click();
    await page.locator('html[lang="lg"]').waitFor();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(lg.accountHeading);
    const profiles = await pageFetch(page, '/api/v1/profiles');
    expect((profiles.body.items as { name: string }[]).find((p) => p.name === 'Nakato')).toMatchObject({
      dataSaver: 'low',
      language: 'lg',
    });
    await context.close();
  });

  it('lists the devices signed in and signs another one out', async () => {
    const phoneContext: BrowserContext = await browser.newContext({ viewport: PHONE_SCREEN });
    const other = await phoneContext.newPage();
    await signInThroughPage(other, web, email, password);
    expect((await pageFetch(other, '/api/v1/me')).status).toBe(200);

    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await signInThroughPage(page, web, email, password);
    await page.goto(`${web}/account`);
    const devices = page.getByRole('region', { name: en.devices });
    await devices.getByText(`(${en.thisDevice})`).waitFor();
    expect(await devices.getByRole('listitem').count()).toBeGreaterThanOrEqual(2);
    await devices.getByRole('button', { name: en.signOutOthers }).click();
    await expect.poll(async () => (await pageFetch(other, '/api/v1/me')).status).toBe(401);
    expect((await pageFetch(other, '/api/v1/auth/refresh', { method: 'POST' })).status).toBe(401);
    expect((await pageFetch(page, '/api/v1/me')).status).toBe(200);
    await page.reload();
    await expect.poll(() => devices.getByRole('listitem').count()).toBe(1);
    await context.close();
    await phoneContext.close();
  });

  it('installs as an app and paints the app shell offline on a repeat visit', async () => {
    const manifest = (await (await fetch(`${web}/manifest.webmanifest`)).json()) as {
      name: string;
      start_url: string;
      display: string;
      icons: { src: string; sizes: string }[];
    };
    expect(manifest).toMatchObject({ start_url: '/', display: 'standalone' });
    expect(manifest.icons.map((i) => i.sizes)).toEqual(expect.arrayContaining(['192x192', '512x512']));
    for (const icon of manifest.icons)
      expect(await fetch(new URL(icon.src, web)).then((r) => r.status), icon.src).toBe(200);

    const context = await browser.newContext({ viewport: PHONE_SCREEN });
    const page = await context.newPage();
    await page.goto(web);
    // The service worker takes over and caches the shell on the first visit.
    await page.waitForFunction('navigator.serviceWorker.ready.then(() => true)');
    await page.reload();
    await page.waitForFunction('!!navigator.serviceWorker.controller');

    await context.setOffline(true);
    const offline = await page.goto(web).catch(() => null);
    expect(offline === null ? 'navigation failed' : 'painted').toBe('painted');
    expect(await page.getByRole('banner').getByText('Kush Films').count()).toBeGreaterThan(0);
    await context.setOffline(false);
    await context.close();
  });
});
