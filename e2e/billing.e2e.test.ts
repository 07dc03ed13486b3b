/**
 * Buying a pass in the web app on the real API, in Chromium at a phone size: plans → checkout with
 * the sandbox provider and an MTN number → the pending screen → approval on the sandbox's own page
 * → the pending screen turns to success by itself → the account shows Premium for a week → the
 * payment history and its printable receipt → a premium title now starts playing. Then finance
 * staff see the payment in the console's revenue tables and its ledger, and record a refund.
 */
import { ensureAdmin } from '@kush/api';
import { videos } from '@kush/db';
import { eq } from 'drizzle-orm';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertTitle, insertVideo } from '../apps/api/src/testing/catalog-rows';
import { seedPlans } from '../apps/api/src/modules/billing/plans.service';
import { type MomoDouble, startMomoDouble } from '../apps/api/src/modules/billing/testing/momo-double';
import { type StripeDouble, startStripeDouble } from '../apps/api/src/modules/billing/testing/stripe-double';
import { seriousViolations } from './support/axe';
import { launchBrowser, saveScreenshot } from './support/browser';
import { startPlatform, type Platform } from './support/platform';

const PHONE = { width: 360, height: 800 } as const;
const WEEK_MS = 7 * 86_400_000;

/** POST /api/v1/playback from the page, as the player does; resolves to the HTTP status and error code. */
function startPlayback(page: Page, titleId: string) {
  return page.evaluate(async (id) => {
    const response = await fetch('/api/v1/playback', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ titleId: id }),
    });
    const body = (await response.json()) as { error?: { code: string }; masterUrl?: string };
    return { status: response.status, code: body.error?.code ?? null, masterUrl: body.masterUrl ?? null };
  }, titleId);
}

/**
 * Nothing on the page's own content sticks out sideways at a phone's width. Scoped to <main>: the
 * site header is not these pages' to fix (its unread badge's sr-only text can widen the document).
 */
async function expectNoSidewaysScroll(page: Page): Promise<void> {
  const overflow = (await page.evaluate(
    `(() => { const main = document.querySelector('#main'); return main.scrollWidth - main.clientWidth; })()`,
  )) as number;
  expect(overflow, `${page.url()}: the content is ${overflow}px wider than the page`).toBeLessThanOrEqual(0);
}

/** An instant's distance from a week after `from`, in minutes. */
const minutesFromAWeekAfter = (iso: string, from: number) => Math.abs(Date.parse(iso) - (from + WEEK_MS)) / 60_000;

describe('buying a pass with mobile money (sandbox)', () => {
  let platform: Platform;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let web: string;
  let premiumTitleId: string;
  let paymentId: string;
  let declinedId: string;
  let paidAt: number;
  const email = `payer-${Date.now().toString(36)}@example.com`;
  const password = 'a payer password';

  beforeAll(async () => {
    platform = await startPlatform();
    web = platform.web.url;
    const db = platform.api.ctx.db.db;
    await seedPlans(db);

    // A playable premium title: a published revision with a manifest (no stream bytes are needed
    // to start playback, which only checks access and signs the playlist URL).
    const videoId = await insertVideo(db, 60);
    await db
      .update(videos)
      .set({
        outputPrefix: `videos/${videoId}/r1/`,
        manifest: {
          master: 'master.m3u8',
          durationSeconds: 60,
          renditions: [
            { label: '360p', width: 640, height: 360, bandwidth: 800_000, averageBandwidth: 700_000, totalBytes: 1 },
          ],
        },
      })
      .where(eq(videos.id, videoId));
    premiumTitleId = (await insertTitle(db, { videoId, name: 'Ekyama kya Nalubaale', accessTier: 'premium' })).id;

    const registered = await fetch(`${web}/api/v1/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password, displayName: 'Nakato Payer', tokenDelivery: 'body' }),
    });
    expect(registered.status).toBe(201);

    browser = await launchBrowser();
    context = await browser.newContext({ viewport: PHONE, locale: 'en-UG' });
    page = await context.newPage();
  }, 300_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await platform?.stop();
  });

  it('signs in and sees the plans priced in UGX, with what each grants', async () => {
    await page.goto(`${web}/login?next=${encodeURIComponent('/plans')}`);
    await page.getByLabel('Email or phone number').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/profiles\?next=/);
    await page.locator('[data-profile]').first().click();
    await page.waitForURL(`${web}/plans`);

    // Without a pass, the premium title does not start.
    expect(await startPlayback(page, premiumTitleId)).toMatchObject({ status: 403, code: 'FORBIDDEN' });

    const week = page.locator('[data-plan="premium-week"]');
    await expect(week.locator('[data-price="UGX"]').innerText()).resolves.toMatch(/^USh\s?5,000$/);
    const weekText = await week.innerText();
    expect(weekText).toContain('per week');
    expect(weekText).toContain('Every premium title');
    expect(weekText).toContain('No ads');
    expect(weekText).toContain('Up to 1080p quality');
    expect(weekText).toContain('2 screens at once');
    expect(weekText).toContain('Downloads to watch offline');
    await expect(page.locator('[data-plan="premium-month"] [data-price="UGX"]').innerText()).resolves.toMatch(
      /USh\s?15,000/,
    );
    await expectNoSidewaysScroll(page);
    await saveScreenshot(page, 'billing-plans-phone-360x800');
  });

  it('pays for Premium Week with the sandbox and an MTN number, and the pending screen turns to success by itself', async () => {
    await page.getByRole('link', { name: 'Choose Premium Week' }).click();
    await page.waitForURL(`${web}/checkout/premium-week`);

    await page.getByRole('radio', { name: /Test payment/ }).check();
    const number = page.getByLabel('Mobile money number');
    await number.fill('0772 123456');
    await expect(page.locator('[data-network]').getAttribute('data-network')).resolves.toBe('mtn');
    await expect(page.locator('[data-network]').innerText()).resolves.toContain('MTN Mobile Money · 256772123456');
    // An Airtel prefix is told apart as one types.
    await number.fill('0752 123456');
    await expect(page.locator('[data-network]').getAttribute('data-network')).resolves.toBe('airtel');
    await number.fill('0772 123456');
    await expectNoSidewaysScroll(page);
    await saveScreenshot(page, 'billing-checkout-phone-360x800');

    await page.getByRole('button', { name: /^Pay USh\s?5,000$/ }).click();
    await page.waitForURL(/\/checkout\/payment\/[0-9a-f-]{36}\?approve=/);
    paymentId = /\/checkout\/payment\/([0-9a-f-]{36})/.exec(page.url())![1]!;
    const status = page.locator('[data-payment-status]');
    await expect(status.getAttribute('data-payment-status')).resolves.toBe('pending');
    await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe('Waiting for your approval');
    await expectNoSidewaysScroll(page);
    await saveScreenshot(page, 'billing-pending-phone-360x800');

    // The screen must change without a reload: this marker would not survive one.
    await page.evaluate('window.__stillTheSamePage = true');
    const [approval] = await Promise.all([
      context.waitForEvent('page'),
      page.getByRole('link', { name: 'Open the approval page' }).click(),
    ]);
    await approval.waitForLoadState();
    expect(await approval.locator('.amount').innerText()).toBe('UGX 5,000');
    await approval.getByRole('button', { name: 'Approve' }).click();
    await approval.getByText(/approved\. Your access is ready/).waitFor();
    paidAt = Date.now();
    await approval.close();

    await page.locator('[data-payment-status="succeeded"]').waitFor({ timeout: 20_000 });
    expect(await page.evaluate('window.__stillTheSamePage')).toBe(true);
    await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe('Payment received');
    const until = await page.locator('[data-access-until]').getAttribute('data-access-until');
    expect(minutesFromAWeekAfter(until!, paidAt)).toBeLessThan(5);
    await expect(page.locator('[data-access-until]').innerText()).resolves.toMatch(/EAT$/);
    await saveScreenshot(page, 'billing-success-phone-360x800');
  });

  it('shows Premium until a week ahead on the account page', async () => {
    await page.goto(`${web}/account`);
    const section = page.locator('[data-section="subscription"]');
    await expect(section.locator('[data-premium]').getAttribute('data-premium')).resolves.toBe('true');
    const until = await section.locator('[data-access-until]').getAttribute('data-access-until');
    expect(minutesFromAWeekAfter(until!, paidAt)).toBeLessThan(5);
    const day = new Intl.DateTimeFormat('en-UG', {
      timeZone: 'Africa/Kampala',
      day: 'numeric',
      month: 'short',
      year: 'numeric',
    }).format(new Date(until!));
    await expect(section.innerText()).resolves.toContain(day);
    await expect(section.locator('[data-subscription="premium-week"]').innerText()).resolves.toContain('Pass');
    await expect(section.getByRole('link', { name: 'Extend' }).getAttribute('href')).resolves.toBe(
      '/checkout/premium-week',
    );
    await expectNoSidewaysScroll(page);
    await saveScreenshot(page, 'billing-account-phone-360x800');
  });

  it('lists the payment in the history, with a printable receipt in UGX', async () => {
    await page.locator('[data-section="subscription"]').getByRole('link', { name: 'Payment history' }).click();
    await page.waitForURL(`${web}/account/payments`);
    const row = page.locator(`[data-payment="${paymentId}"]`);
    const text = await row.innerText();
    expect(text).toContain('Premium Week');
    expect(text).toMatch(/USh\s?5,000/);
    expect(text).toContain('Paid');
    expect(text).toContain('Test payment');

    await row.getByRole('link', { name: 'View receipt' }).click();
    await page.waitForURL(`${web}/account/payments/${paymentId}`);
    await expect(page.locator('[data-receipt-amount]').innerText()).resolves.toMatch(/^USh\s?5,000$/);
    const receipt = await page.locator('[data-receipt]').innerText();
    expect(receipt).toContain('UGX');
    expect(receipt).toContain('Premium Week');
    expect(receipt).toContain('Nakato Payer');
    expect(receipt).toMatch(/KF-\d{8}-[0-9A-F]{8}/);
    expect(await page.getByRole('button', { name: 'Print' }).isVisible()).toBe(true);
    await expectNoSidewaysScroll(page);
    await saveScreenshot(page, 'billing-receipt-phone-360x800');

    // On paper: the receipt alone, without the site's header, footer or the Print button.
    await page.emulateMedia({ media: 'print' });
    expect(await page.getByRole('banner').first().isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: 'Print' }).isVisible()).toBe(false);
    expect(await page.locator('[data-receipt]').isVisible()).toBe(true);
    await page.emulateMedia({ media: 'screen' });
  });

  it('has no serious or critical accessibility violations on the billing pages', async () => {
    for (const path of [
      '/plans',
      '/checkout/premium-week',
      `/checkout/payment/${paymentId}`,
      '/account/payments',
      `/account/payments/${paymentId}`,
    ]) {
      await page.goto(`${web}${path}`);
      expect(await seriousViolations(page), path).toEqual([]);
    }
  });

  it('now starts the premium title', async () => {
    const started = await startPlayback(page, premiumTitleId);
    expect(started.status).toBe(200);
    expect(started.masterUrl).toMatch(/master\.m3u8$/);
  });

  it('a payment declined on the approval page turns the pending screen to the failure screen; the pass is unchanged', async () => {
    await page.goto(`${web}/checkout/premium-month`);
    await page.getByRole('radio', { name: /Test payment/ }).check();
    await page.getByLabel('Mobile money number').fill('0772 123456');
    await page.getByRole('button', { name: /^Pay USh\s?15,000$/ }).click();
    await page.waitForURL(/\/checkout\/payment\/[0-9a-f-]{36}\?approve=/);
    declinedId = /\/checkout\/payment\/([0-9a-f-]{36})/.exec(page.url())![1]!;
    expect(declinedId).not.toBe(paymentId);
    await page.locator('[data-payment-status="pending"]').waitFor();

    await page.evaluate('window.__stillTheSamePage = true');
    const [approval] = await Promise.all([
      context.waitForEvent('page'),
      page.getByRole('link', { name: 'Open the approval page' }).click(),
    ]);
    await approval.waitForLoadState();
    expect(await approval.locator('.amount').innerText()).toBe('UGX 15,000');
    await approval.getByRole('button', { name: 'Decline' }).click();
    await approval.getByText(/was declined; nothing was taken/).waitFor();
    await approval.close();

    await page.locator('[data-payment-status="failed"]').waitFor({ timeout: 20_000 });
    expect(await page.evaluate('window.__stillTheSamePage')).toBe(true);
    await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe('Payment not completed');
    await expect(page.locator('main').innerText()).resolves.toContain('Nothing was taken.');
    await expectNoSidewaysScroll(page);
    await saveScreenshot(page, 'billing-failed-phone-360x800');

    // Still the week that was paid for, and still playing.
    await page.goto(`${web}/account`);
    const until = await page
      .locator('[data-section="subscription"] [data-access-until]')
      .getAttribute('data-access-until');
    expect(minutesFromAWeekAfter(until!, paidAt)).toBeLessThan(5);
    expect((await startPlayback(page, premiumTitleId)).status).toBe(200);
  });

  it('shows finance staff the payment in the revenue tables and its ledger, and records a refund', async () => {
    const staffEmail = `finance-${Date.now().toString(36)}@kushfilms.com`;
    const staffPassword = 'an e2e finance password';
    await ensureAdmin(platform.api.ctx.db.db, staffEmail, { password: staffPassword });
    const staff = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-UG' });
    try {
      const finance = await staff.newPage();
      await finance.goto(`${web}/login?next=${encodeURIComponent('/console/finance')}`);
      await finance.getByLabel('Email or phone number').fill(staffEmail);
      await finance.getByLabel('Password').fill(staffPassword);
      await finance.getByRole('button', { name: 'Sign in' }).click();
      await finance.waitForURL(/\/profiles\?next=|\/console\/finance$/);
      if (finance.url().includes('/profiles')) {
        await finance.locator('[data-profile]').first().click();
        await finance.waitForURL(`${web}/console/finance`);
      }

      const totals = await finance.locator('#totals').innerText();
      expect(totals).toMatch(/UGX\s+USh\s?5,000\s+USh\s?0\s+USh\s?5,000/);
      const subscribers = await finance.locator('#subscribers').innerText();
      expect(subscribers).toMatch(/premium-week\s+Sandbox \(test\)\s+1/);
      expect(await finance.locator('#by-day').innerText()).toMatch(/Sandbox \(test\)\s+1\s+USh\s?5,000/);

      await saveScreenshot(finance, 'billing-console-finance-laptop-1280x800');

      // Every payment of the payer, found by email: the paid one and the declined one.
      await finance.getByRole('link', { name: 'All payments' }).click();
      await finance.waitForURL(`${web}/console/finance/payments`);
      await finance.locator('form[aria-label="Find payments"] input[name="q"]').fill(email);
      await finance.locator('form[aria-label="Find payments"]').getByRole('button', { name: 'Show' }).click();
      await finance.waitForURL(/\/console\/finance\/payments\?.*q=/);
      const paid = finance.locator(`[data-payment-id="${paymentId}"]`);
      await expect(paid.innerText()).resolves.toMatch(
        /Nakato Payer[\s\S]*Premium Week[\s\S]*USh\s?5,000[\s\S]*succeeded/i,
      );
      await expect(finance.locator(`[data-payment-id="${declinedId}"]`).innerText()).resolves.toMatch(
        /Premium Month[\s\S]*USh\s?15,000[\s\S]*failed/i,
      );
      await expect(finance.locator('[data-payment-id]').count()).resolves.toBe(2);
      await saveScreenshot(finance, 'billing-console-payments-laptop-1280x800');
      await finance.goto(`${web}/console/finance`);

      await finance.getByLabel(/Payment ID/).fill(paymentId);
      await finance.getByRole('button', { name: 'Open' }).click();
      await finance.waitForURL(`${web}/console/finance/payments/${paymentId}`);
      const ledger = await finance.locator('[data-ledger]').innerText();
      expect(ledger).toContain('created');
      expect(ledger).toContain('pending → succeeded');

      finance.once('dialog', (dialog) => void dialog.accept());
      await finance.getByLabel(/^Amount/).fill('1000');
      await finance.getByLabel('Reason').fill('Viewer could not watch on the first day');
      await finance.getByRole('button', { name: 'Record refund' }).click();
      await finance.getByText(/Refund recorded\. USh\s?1,000 of USh\s?5,000 refunded/).waitFor();
      await expect
        .poll(async () => finance.locator('[data-ledger]').innerText())
        .toMatch(/refund\s+succeeded\s+1,000\s+staff:/);
      await saveScreenshot(finance, 'billing-console-ledger-laptop-1280x800');
    } finally {
      await staff.close();
    }
  });
});

/**
 * Paying by card in the web app, with Stripe's API replaced by a local test double (customers,
 * Checkout Sessions, subscriptions, the Customer Portal) and MTN MoMo's by its double: the plans
 * page prices cards in USD beside UGX, checkout offers a card or an MTN/Airtel number, the card goes
 * to Stripe Checkout, and coming back the status screen asks Stripe itself (the webhook has not
 * arrived yet) and the account shows the card subscription with its renewal and the portal.
 */
describe('paying by card (Stripe API double)', () => {
  const SECRET_KEY = 'sk_test_kushfilms_e2e';
  let stripe: StripeDouble;
  let momo: MomoDouble;
  let platform: Platform;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let web: string;
  const email = `card-payer-${Date.now().toString(36)}@example.com`;
  const password = 'a card payer password';

  beforeAll(async () => {
    const momoCredentials = {
      subscriptionKey: 'momo-e2e-key',
      apiUser: '0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d',
      apiKey: 'momo-e2e-api-key',
      targetEnvironment: 'mtnuganda',
    };
    stripe = await startStripeDouble(SECRET_KEY);
    momo = await startMomoDouble(momoCredentials);
    platform = await startPlatform({
      PAYMENT_PROVIDERS: 'mtn_momo,stripe',
      STRIPE_SECRET_KEY: SECRET_KEY,
      STRIPE_WEBHOOK_SECRET: 'whsec_kushfilms_e2e',
      STRIPE_API_BASE: stripe.url,
      MOMO_API_BASE: momo.url,
      MOMO_TARGET_ENVIRONMENT: momoCredentials.targetEnvironment,
      MOMO_SUBSCRIPTION_KEY: momoCredentials.subscriptionKey,
      MOMO_API_USER: momoCredentials.apiUser,
      MOMO_API_KEY: momoCredentials.apiKey,
    });
    web = platform.web.url;
    await seedPlans(platform.api.ctx.db.db);
    const registered = await fetch(`${web}/api/v1/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password, displayName: 'Okello Card', tokenDelivery: 'body' }),
    });
    expect(registered.status).toBe(201);

    browser = await launchBrowser();
    context = await browser.newContext({ viewport: PHONE, locale: 'en-UG' });
    // Stripe's hosted pages are not reachable from here: a stand-in page at their addresses.
    await context.route(/^https:\/\/(checkout|billing)\.stripe\.com\//, (route) =>
      route.fulfill({
        status: 200,
        contentType: 'text/html',
        body: '<!doctype html><title>Stripe</title><h1>Stripe</h1>',
      }),
    );
    page = await context.newPage();
    await page.goto(`${web}/login?next=${encodeURIComponent('/plans')}`);
    await page.getByLabel('Email or phone number').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/profiles\?next=/);
    await page.locator('[data-profile]').first().click();
    await page.waitForURL(`${web}/plans`);
  }, 300_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await platform?.stop();
    await stripe?.close();
    await momo?.close();
  });

  it('prices cards in USD beside UGX, and checkout offers a card or a mobile-money number', async () => {
    const month = page.locator('[data-plan="premium-month"]');
    await expect(month.locator('[data-price="UGX"]').innerText()).resolves.toMatch(/USh\s?15,000/);
    await expect(month.locator('[data-price="USD"]').innerText()).resolves.toMatch(/^or (US)?\$\s?3\.99 by card$/);
    // Premium Week has no USD price: mobile money only.
    await expect(page.locator('[data-plan="premium-week"] [data-price="USD"]').count()).resolves.toBe(0);
    await saveScreenshot(page, 'billing-plans-card-phone-360x800');

    await page.getByRole('link', { name: 'Choose Premium Month' }).click();
    await page.waitForURL(`${web}/checkout/premium-month`);
    const mobile = page.getByRole('radio', { name: /Mobile money/ });
    const card = page.getByRole('radio', { name: /^Card/ });
    await expect(mobile.count()).resolves.toBe(1);
    await expect(card.count()).resolves.toBe(1);
    await mobile.check();
    await expect(page.getByLabel('Mobile money number').isVisible()).resolves.toBe(true);
    await expect(page.getByRole('button', { name: /^Pay USh\s?15,000$/ }).isVisible()).resolves.toBe(true);
    await card.check();
    await expect(page.getByLabel('Mobile money number').count()).resolves.toBe(0);
    await expect(page.getByRole('button', { name: /^Pay (US)?\$\s?3\.99$/ }).isVisible()).resolves.toBe(true);
    await expectNoSidewaysScroll(page);
    await saveScreenshot(page, 'billing-checkout-card-phone-360x800');
  });

  it('pays by card at Stripe Checkout; back on the site the status screen settles it and the account shows the card subscription', async () => {
    await page.getByRole('button', { name: /^Pay (US)?\$\s?3\.99$/ }).click();
    await page.waitForURL(/^https:\/\/checkout\.stripe\.com\/c\/pay\/cs_/);
    const sessionId = /\/pay\/(cs_[A-Za-z0-9_]+)/.exec(page.url())![1]!;
    const session = stripe.sessions.get(sessionId)!;
    expect(session).toMatchObject({ mode: 'subscription', amount_total: 399, currency: 'usd' });
    const paymentId = session.client_reference_id!;

    // The viewer pays at Stripe and is sent back before any webhook has arrived.
    stripe.completeSession(sessionId, `sub_e2e_${Date.now().toString(36)}`, `in_e2e_${Date.now().toString(36)}`);
    await page.goto(session.success_url);
    await page.waitForURL(`${web}/checkout/payment/${paymentId}`);
    await page.locator('[data-payment-status="succeeded"]').waitFor({ timeout: 20_000 });
    await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe('Payment received');
    await saveScreenshot(page, 'billing-card-success-phone-360x800');

    await page.goto(`${web}/account`);
    const section = page.locator('[data-section="subscription"]');
    await expect(section.locator('[data-premium]').getAttribute('data-premium')).resolves.toBe('true');
    const line = section.locator('[data-subscription="premium-month"]');
    await expect(line.innerText()).resolves.toMatch(/Card subscription[\s\S]*Renews by itself on/);
    await line.getByRole('button', { name: 'Manage card' }).click();
    await page.waitForURL(/^https:\/\/billing\.stripe\.com\/p\/session\/bps_/);
    const portal = [...stripe.portals.values()].find((p) => p.customer === session.customer)!;
    expect(portal.return_url).toBe(`${web}/account/billing`);
  });
});
