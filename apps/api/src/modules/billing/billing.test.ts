import fs from 'node:fs/promises';
import path from 'node:path';
import { notifications, paymentEvents, payments, subscriptions, users } from '@kush/db';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/harness';
import { registerViewer, signInStaff, type SignedIn, uniquePhone } from '../../testing/factories';
import { entitlementOf } from '../playback';
import { createBilling } from './index';
import { BillingLifecycle } from './lifecycle.service';
import { seedPlans } from './plans.service';
import { LogSmsSender } from './sms';

const backings = process.env.TEST_DATABASE_URL ? (['embedded', 'servers'] as const) : (['embedded'] as const);

describe.each(backings)('billing with the sandbox provider (%s)', (backing) => {
  let t: TestApp;
  let planId: string;
  let viewer: SignedIn;

  beforeAll(async () => {
    t = await createTestApp({ backing });
    await seedPlans(t.ctx.db.db);
    const plans = await t.app.inject({ method: 'GET', url: '/api/v1/billing/plans' });
    planId = plans.json<{ items: { id: string; code: string }[] }>().items.find((p) => p.code === 'premium-month')!.id;
    viewer = await registerViewer(t);
  });
  afterAll(() => t.close());

  const checkout = (who: SignedIn, payload: Record<string, unknown>) =>
    t.app.inject({ method: 'POST', url: '/api/v1/billing/checkout', headers: who.auth, payload });

  async function approve(url: string, decision: 'approve' | 'decline') {
    const path = new URL(url).pathname + new URL(url).search;
    const page = await t.app.inject({ method: 'GET', url: path });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.body).toContain('<form method="post"');
    // A page, not data: the document policy, which lets its own inline styles apply.
    expect(page.headers['content-security-policy']).toContain("style-src 'self' https: 'unsafe-inline'");
    expect(page.headers['cache-control']).toBe('no-store');
    const sig = /name="sig" value="([^"]+)"/.exec(page.body)![1]!;
    return t.app.inject({
      method: 'POST',
      url: new URL(url).pathname,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `sig=${encodeURIComponent(sig)}&decision=${decision}`,
    });
  }

  it('lists the seeded plans with their prices and the sandbox method', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/billing/plans' });
    const body = res.json<{
      items: { code: string; prices: Record<string, number> }[];
      methods: { provider: string }[];
    }>();
    expect(body.items.map((p) => p.code)).toEqual(['free', 'premium-week', 'premium-month', 'premium-year']);
    expect(body.items.find((p) => p.code === 'premium-month')!.prices).toEqual({ UGX: 15000, USD: 399 });
    expect(body.items.find((p) => p.code === 'premium-week')!.prices).toEqual({ UGX: 5000 });
    expect(body.methods.map((m) => m.provider)).toEqual(['sandbox']);
  });

  it('subscribes end to end: pending until approved on the sandbox page, then premium without ads', async () => {
    const buyer = await registerViewer(t);
    expect((await entitlementOf(t.ctx.db.db, buyer.userId)).premium).toBe(false);
    const res = await checkout(buyer, { planId, provider: 'sandbox', idempotencyKey: 'first-purchase-1' });
    expect(res.statusCode, res.body).toBe(201);
    const { payment, nextAction } = res.json();
    expect(payment).toMatchObject({ status: 'pending', amount: 15000, currency: 'UGX', planCode: 'premium-month' });
    expect(nextAction.type).toBe('redirect');

    // Still pending while nobody has decided; asking changes nothing.
    const pending = await t.app.inject({
      method: 'GET',
      url: `/api/v1/billing/payments/${payment.id}`,
      headers: buyer.auth,
    });
    expect(pending.json().status).toBe('pending');
    expect((await entitlementOf(t.ctx.db.db, buyer.userId)).premium).toBe(false);

    const approved = await approve(nextAction.url, 'approve');
    expect(approved.statusCode).toBe(200);
    expect(approved.body).toContain('approved');
    const done = await t.app.inject({
      method: 'GET',
      url: `/api/v1/billing/payments/${payment.id}`,
      headers: buyer.auth,
    });
    expect(done.json().status).toBe('succeeded');
    const entitlement = await entitlementOf(t.ctx.db.db, buyer.userId);
    expect(entitlement).toMatchObject({ premium: true, ads: false, downloads: true, maxQuality: 1080, maxStreams: 2 });

    const receipt = await t.app.inject({
      method: 'GET',
      url: `/api/v1/billing/payments/${payment.id}/receipt`,
      headers: buyer.auth,
    });
    expect(receipt.statusCode).toBe(200);
    expect(receipt.json()).toMatchObject({
      amount: 15000,
      amountFormatted: 'UGX 15,000',
      timeZone: 'Africa/Kampala',
      status: 'succeeded',
    });
    expect(receipt.json().receiptNumber).toMatch(/^KF-\d{8}-[0-9A-F]{8}$/);

    const ledger = await t.ctx.db.db.select().from(paymentEvents).where(eq(paymentEvents.paymentId, payment.id));
    expect(ledger.map((e) => e.type)).toEqual(['created', 'requested', 'succeeded']);

    // The page now says so, and posting a decision again changes nothing.
    const link = new URL(nextAction.url);
    const revisit = await t.app.inject({ method: 'GET', url: link.pathname + link.search });
    expect(revisit.body).toContain('already approved');
    const again = await t.app.inject({
      method: 'POST',
      url: link.pathname,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `sig=${encodeURIComponent(link.searchParams.get('sig')!)}&decision=decline`,
    });
    expect(again.statusCode).toBe(200);
    const [row] = await t.ctx.db.db.select().from(payments).where(eq(payments.id, payment.id));
    expect(row!.status).toBe('succeeded');
    const forgedSig = await t.app.inject({ method: 'GET', url: `${link.pathname}?sig=forged` });
    expect(forgedSig.statusCode).toBe(404);
    await t.jobsDone();
  });

  it('a declined payment ends failed and grants nothing', async () => {
    const buyer = await registerViewer(t);
    const { payment, nextAction } = (
      await checkout(buyer, { planId, provider: 'sandbox', idempotencyKey: 'declined-key-1' })
    ).json();
    await approve(nextAction.url, 'decline');
    const after = await t.app.inject({
      method: 'GET',
      url: `/api/v1/billing/payments/${payment.id}`,
      headers: buyer.auth,
    });
    expect(after.json().status).toBe('failed');
    expect((await entitlementOf(t.ctx.db.db, buyer.userId)).premium).toBe(false);
    expect(
      (
        await t.app.inject({
          method: 'GET',
          url: `/api/v1/billing/payments/${payment.id}/receipt`,
          headers: buyer.auth,
        })
      ).statusCode,
    ).toBe(404);
  });

  it('a double-click with the same idempotency key makes one payment and one pass', async () => {
    const buyer = await registerViewer(t);
    const body = { planId, provider: 'sandbox', idempotencyKey: 'double-click-key' };
    const [a, b] = await Promise.all([checkout(buyer, body), checkout(buyer, body)]);
    expect([a.statusCode, b.statusCode]).toEqual([201, 201]);
    expect(a.json().payment.id).toBe(b.json().payment.id);
    await approve(a.json().nextAction.url, 'approve');
    const replay = await checkout(buyer, body);
    expect(replay.json().payment).toMatchObject({ id: a.json().payment.id, status: 'succeeded' });
    const rows = await t.ctx.db.db.select().from(payments).where(eq(payments.userId, buyer.userId));
    expect(rows).toHaveLength(1);
    const subs = await t.ctx.db.db.select().from(subscriptions).where(eq(subscriptions.userId, buyer.userId));
    expect(subs).toHaveLength(1);
    // The same key for another purchase is refused.
    const reused = await checkout(buyer, { ...body, currency: 'USD' });
    expect(reused.statusCode).toBe(409);
    expect(reused.json().error.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('pays for someone else by their email: they get the pass, the payer the receipt', async () => {
    const payer = await registerViewer(t);
    const friend = await registerViewer(t);
    const res = await checkout(payer, {
      planId,
      provider: 'sandbox',
      idempotencyKey: 'gift-key-0001',
      beneficiary: { email: friend.email },
    });
    expect(res.statusCode, res.body).toBe(201);
    await approve(res.json().nextAction.url, 'approve');
    expect((await entitlementOf(t.ctx.db.db, friend.userId)).premium).toBe(true);
    expect((await entitlementOf(t.ctx.db.db, payer.userId)).premium).toBe(false);
    const history = await t.app.inject({ method: 'GET', url: '/api/v1/billing/payments', headers: friend.auth });
    expect(history.json().items).toEqual([]);
    const unknown = await checkout(payer, {
      planId,
      provider: 'sandbox',
      idempotencyKey: 'gift-key-0002',
      beneficiary: { email: 'nobody-here@example.com' },
    });
    expect(unknown.statusCode).toBe(404);
  });

  it('pays for someone else by their phone number, typed the local way; an unknown number is a 404', async () => {
    const payer = await registerViewer(t);
    const friend = await registerViewer(t, { displayName: 'Nakato Friend' });
    const phone = uniquePhone();
    await t.ctx.db.db.update(users).set({ phone }).where(eq(users.id, friend.userId));
    const local = `0${phone.slice(4, 7)} ${phone.slice(7)}`;
    const res = await checkout(payer, {
      planId,
      provider: 'sandbox',
      idempotencyKey: 'gift-phone-0001',
      beneficiary: { phone: local },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().payment.beneficiary).toEqual({ self: false, displayName: 'Nakato Friend' });
    await approve(res.json().nextAction.url, 'approve');
    expect((await entitlementOf(t.ctx.db.db, friend.userId)).premium).toBe(true);
    expect((await entitlementOf(t.ctx.db.db, payer.userId)).premium).toBe(false);
    await t.jobsDone();
    const told = await t.ctx.db.db.select().from(notifications).where(eq(notifications.userId, friend.userId));
    expect(told.map((n) => n.subject)).toContain('Test Viewer bought you Premium Month');

    const unknown = await checkout(payer, {
      planId,
      provider: 'sandbox',
      idempotencyKey: 'gift-phone-0002',
      beneficiary: { phone: '+256700000001' },
    });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('NOT_FOUND');
    const bad = await checkout(payer, {
      planId,
      provider: 'sandbox',
      idempotencyKey: 'gift-phone-0003',
      beneficiary: { phone: 'call me' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('VALIDATION_FAILED');
    const rows = await t.ctx.db.db.select().from(payments).where(eq(payments.userId, payer.userId));
    expect(rows).toHaveLength(1);
  });

  it("lists the payer's payments newest first, page by page, failures and gifts included", async () => {
    const payer = await registerViewer(t);
    const friend = await registerViewer(t, { displayName: 'Gift Receiver' });
    const made: string[] = [];
    const first = (await checkout(payer, { planId, provider: 'sandbox', idempotencyKey: 'history-key-01' })).json();
    await approve(first.nextAction.url, 'approve');
    made.unshift(first.payment.id);
    const declined = (await checkout(payer, { planId, provider: 'sandbox', idempotencyKey: 'history-key-02' })).json();
    await approve(declined.nextAction.url, 'decline');
    made.unshift(declined.payment.id);
    const gift = (
      await checkout(payer, {
        planId,
        provider: 'sandbox',
        idempotencyKey: 'history-key-03',
        beneficiary: { email: friend.email },
      })
    ).json();
    made.unshift(gift.payment.id);

    const seen: { id: string; status: string; beneficiary: { self: boolean; displayName: string } }[] = [];
    const history = (cursor: string | null) =>
      t.app.inject({
        method: 'GET',
        url: `/api/v1/billing/payments?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        headers: payer.auth,
      });
    let cursor: string | null = null;
    do {
      const res = await history(cursor);
      expect(res.statusCode, res.body).toBe(200);
      const page: { items: typeof seen; nextCursor: string | null } = res.json();
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.map((p) => p.id)).toEqual(made);
    expect(seen.map((p) => p.status)).toEqual(['pending', 'failed', 'succeeded']);
    expect(seen[0]!.beneficiary).toEqual({ self: false, displayName: 'Gift Receiver' });
    expect(seen[2]!.beneficiary.self).toBe(true);

    const badCursor = await t.app.inject({
      method: 'GET',
      url: '/api/v1/billing/payments?cursor=not-a-cursor',
      headers: payer.auth,
    });
    expect(badCursor.statusCode).toBe(400);
    expect(badCursor.json().error.code).toBe('VALIDATION_FAILED');
    const tooMany = await t.app.inject({
      method: 'GET',
      url: '/api/v1/billing/payments?limit=1000',
      headers: payer.auth,
    });
    expect(tooMany.statusCode).toBe(400);
  });

  it('refuses bad input with 400 in the API format and changes nothing', async () => {
    const buyer = await registerViewer(t);
    const bad = [
      { planId, provider: 'sandbox' },
      { planId, provider: 'bitcoin', idempotencyKey: 'bad-input-0001' },
      { planId: 'nope', provider: 'sandbox', idempotencyKey: 'bad-input-0002' },
      { planId, provider: 'sandbox', idempotencyKey: 'x' },
      { planId, provider: 'sandbox', idempotencyKey: 'bad-input-0003', amount: 1 },
      { planId, provider: 'mtn_momo', idempotencyKey: 'bad-input-0004' },
    ];
    for (const payload of bad) {
      const res = await checkout(buyer, payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json().error).toMatchObject({ code: 'VALIDATION_FAILED', requestId: expect.any(String) });
    }
    expect(await t.ctx.db.db.select().from(payments).where(eq(payments.userId, buyer.userId))).toEqual([]);
  });

  it("never shows one account another's payments or receipts, and keeps finance routes from viewers", async () => {
    const owner = await registerViewer(t);
    const other = await registerViewer(t);
    const { payment, nextAction } = (
      await checkout(owner, { planId, provider: 'sandbox', idempotencyKey: 'private-key-01' })
    ).json();
    await approve(nextAction.url, 'approve');
    for (const url of [`/api/v1/billing/payments/${payment.id}`, `/api/v1/billing/payments/${payment.id}/receipt`]) {
      const res = await t.app.inject({ method: 'GET', url, headers: other.auth });
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('NOT_FOUND');
    }
    for (const [method, url] of [
      ['GET', '/api/v1/admin/billing/revenue?from=2026-01-01&to=2026-01-31'],
      ['GET', '/api/v1/admin/billing/plans'],
      ['POST', `/api/v1/admin/billing/payments/${payment.id}/refunds`],
    ] as const) {
      const res = await t.app.inject({
        method,
        url,
        headers: viewer.auth,
        payload: method === 'POST' ? { amount: 1, reason: 'x' } : undefined,
      });
      expect(res.statusCode, url).toBe(403);
    }
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/billing/payments' })).statusCode).toBe(401);
  });

  it('a forged callback (unknown transaction, or a payment not yet approved) changes nothing', async () => {
    const buyer = await registerViewer(t);
    const { payment } = (
      await checkout(buyer, { planId, provider: 'sandbox', idempotencyKey: 'forged-key-01' })
    ).json();
    const unknown = await t.app.inject({
      method: 'POST',
      url: '/api/v1/billing/callbacks/sandbox',
      payload: { transactionId: 'not-a-transaction', status: 'SUCCESSFUL' },
    });
    expect(unknown.statusCode).toBe(404);
    const forged = await t.app.inject({
      method: 'POST',
      url: '/api/v1/billing/callbacks/sandbox',
      payload: { transactionId: payment.id, status: 'approved', amount: 1 },
    });
    expect(forged.statusCode).toBe(200);
    const [row] = await t.ctx.db.db.select().from(payments).where(eq(payments.id, payment.id));
    expect(row!.status).toBe('pending');
    expect((await entitlementOf(t.ctx.db.db, buyer.userId)).premium).toBe(false);
    const garbage = await t.app.inject({
      method: 'POST',
      url: '/api/v1/billing/callbacks/sandbox',
      headers: { 'content-type': 'application/json' },
      payload: '{not json',
    });
    expect(garbage.statusCode).toBe(400);
  });

  it('the reconciler resolves a payment left pending from the provider', async () => {
    const buyer = await registerViewer(t);
    const { payment } = (
      await checkout(buyer, { planId, provider: 'sandbox', idempotencyKey: 'reconcile-key-1' })
    ).json();
    const { billing, notifications, providers } = createBilling(t.ctx);
    // The viewer approved, but the callback never arrived.
    await providers.sandbox!.decide(payment.id, 'approved');
    const lifecycle = new BillingLifecycle(t.ctx.db.db, billing, notifications, new LogSmsSender(), {
      reminderDays: 3,
    });
    const result = await lifecycle.reconcile(new Date(Date.now() + 3600_000));
    expect(result.settled).toBeGreaterThanOrEqual(1);
    const [row] = await t.ctx.db.db.select().from(payments).where(eq(payments.id, payment.id));
    expect(row!.status).toBe('succeeded');
    expect((await entitlementOf(t.ctx.db.db, buyer.userId)).premium).toBe(true);
  });

  it('the periodic billing.reconcile job, run by the queue as the worker does, settles a payment left pending', async () => {
    const buyer = await registerViewer(t);
    const { payment } = (
      await checkout(buyer, { planId, provider: 'sandbox', idempotencyKey: 'reconcile-job-01' })
    ).json();
    const { providers } = createBilling(t.ctx);
    await providers.sandbox!.decide(payment.id, 'approved');
    // Due for its next check now (the first one comes 30 s after checkout).
    await t.ctx.db.db
      .update(payments)
      .set({ nextCheckAt: new Date(Date.now() - 1000) })
      .where(eq(payments.id, payment.id));
    await t.ctx.infra.queue.enqueue('billing.reconcile', {});
    await t.jobsDone();
    const [row] = await t.ctx.db.db.select().from(payments).where(eq(payments.id, payment.id));
    expect(row).toMatchObject({ status: 'succeeded', nextCheckAt: null });
    expect((await entitlementOf(t.ctx.db.db, buyer.userId)).premium).toBe(true);
    const ledger = await t.ctx.db.db.select().from(paymentEvents).where(eq(paymentEvents.paymentId, payment.id));
    expect(ledger.find((e) => e.type === 'succeeded')!.source).toBe('reconciler');
  });

  it('the periodic billing.remind job texts the viewer through the log-only SMS sender, in a line an operator can read', async () => {
    const buyer = await registerViewer(t);
    const phone = uniquePhone();
    await t.ctx.db.db.update(users).set({ phone }).where(eq(users.id, buyer.userId));
    const { nextAction } = (
      await checkout(buyer, { planId, provider: 'sandbox', idempotencyKey: 'remind-job-01' })
    ).json();
    await approve(nextAction.url, 'approve');
    // The pass now ends tomorrow: inside the reminder window.
    await t.ctx.db.db
      .update(subscriptions)
      .set({ currentPeriodEnd: new Date(Date.now() + 86_400_000) })
      .where(eq(subscriptions.userId, buyer.userId));

    const lines: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk, ...rest) => {
      lines.push(String(chunk));
      return write(chunk as string, ...(rest as []));
    });
    try {
      await t.ctx.infra.queue.enqueue('billing.remind', {});
      await t.jobsDone();
    } finally {
      spy.mockRestore();
    }
    const texts = lines
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { level: number; msg: string; to?: string; text?: string })
      .filter((l) => l.msg === 'sms (log only)' && l.to === `${phone.slice(0, 6)}…${phone.slice(-2)}`);
    expect(texts).toEqual([
      expect.objectContaining({ level: 30, text: expect.stringMatching(/^Kush Films: Your pass ends on /) }),
    ]);
    const told = await t.ctx.db.db.select().from(notifications).where(eq(notifications.userId, buyer.userId));
    expect(told.map((n) => n.subject)).toContain('Your Kush Films pass ends soon');
  });

  it('reminds before a pass ends in the app, by email and by SMS (log only), once; then ends it and says so', async () => {
    const buyer = await registerViewer(t);
    const phone = uniquePhone();
    await t.ctx.db.db.update(users).set({ phone }).where(eq(users.id, buyer.userId));
    const { nextAction } = (
      await checkout(buyer, { planId, provider: 'sandbox', idempotencyKey: 'lifecycle-key-1' })
    ).json();
    await approve(nextAction.url, 'approve');
    const [pass] = await t.ctx.db.db.select().from(subscriptions).where(eq(subscriptions.userId, buyer.userId));
    const { billing, notifications: notify } = createBilling(t.ctx);
    const sms = new LogSmsSender();
    const lifecycle = new BillingLifecycle(t.ctx.db.db, billing, notify, sms, { reminderDays: 3 });
    const subjectsOf = async () =>
      (
        await t.ctx.db.db
          .select()
          .from(notifications)
          .where(and(eq(notifications.userId, buyer.userId), eq(notifications.type, 'subscription')))
      ).map((n) => n.subject);

    // Four days before the end is outside the three-day window: no reminder yet.
    await lifecycle.remind(new Date(pass!.currentPeriodEnd.getTime() - 4 * 86_400_000));
    expect(await subjectsOf()).not.toContain('Your Kush Films pass ends soon');
    expect(sms.sent.filter((m) => m.to === phone)).toEqual([]);

    const twoDaysBefore = new Date(pass!.currentPeriodEnd.getTime() - 2 * 86_400_000);
    expect(await lifecycle.remind(twoDaysBefore)).toBeGreaterThanOrEqual(1);
    expect(await lifecycle.remind(twoDaysBefore)).toBe(0);
    expect((await subjectsOf()).filter((s) => s === 'Your Kush Films pass ends soon')).toHaveLength(1);
    const texts = sms.sent.filter((m) => m.to === phone);
    expect(texts).toHaveLength(1);
    expect(texts[0]!.text).toMatch(/^Kush Films: Your pass ends on .+ \(Kampala time\)/);
    await t.jobsDone();
    const outbox = t.config.paths.outbox;
    const mails = await Promise.all((await fs.readdir(outbox)).map((f) => fs.readFile(path.join(outbox, f), 'utf8')));
    expect(mails.filter((m) => m.includes(buyer.email) && m.includes('Your Kush Films pass ends soon'))).toHaveLength(
      1,
    );

    const after = new Date(pass!.currentPeriodEnd.getTime() + 1000);
    expect(await lifecycle.expire(after)).toBeGreaterThanOrEqual(1);
    const [ended] = await t.ctx.db.db.select().from(subscriptions).where(eq(subscriptions.id, pass!.id));
    expect(ended!.status).toBe('expired');
    expect(await subjectsOf()).toContain('Your Kush Films access has ended');
    expect((await entitlementOf(t.ctx.db.db, buyer.userId, after)).premium).toBe(false);
    await t.jobsDone();
  });

  it('finance sees revenue and records refunds, bounded by what was paid', async () => {
    const finance = await signInStaff(t, ['finance']);
    const buyer = await registerViewer(t);
    const { payment, nextAction } = (
      await checkout(buyer, { planId, provider: 'sandbox', idempotencyKey: 'revenue-key-01' })
    ).json();
    await approve(nextAction.url, 'approve');
    const refund = (amount: number) =>
      t.app.inject({
        method: 'POST',
        url: `/api/v1/admin/billing/payments/${payment.id}/refunds`,
        headers: finance.auth,
        payload: { amount, reason: 'goodwill' },
      });
    expect((await refund(20000)).statusCode).toBe(400);
    const partial = await refund(5000);
    expect(partial.statusCode, partial.body).toBe(200);
    expect(partial.json()).toMatchObject({
      payment: { refundedAmount: 5000, status: 'succeeded' },
      refund: { amount: 5000, status: 'manual' },
    });
    const today = new Date(Date.now() + 3 * 3600_000).toISOString().slice(0, 10);
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/v1/admin/billing/revenue?from=${today}&to=${today}`,
      headers: finance.auth,
    });
    expect(res.statusCode, res.body).toBe(200);
    const report = res.json();
    const ugx = report.totals.find((x: { currency: string }) => x.currency === 'UGX');
    expect(ugx.refunds).toBeGreaterThanOrEqual(5000);
    expect(ugx.net).toBe(ugx.gross - ugx.refunds);
    expect(report.mrr.find((m: { currency: string }) => m.currency === 'UGX').amount).toBeGreaterThanOrEqual(15000);
    expect(report.activeSubscribers.some((s: { planCode: string }) => s.planCode === 'premium-month')).toBe(true);
    const badRange = await t.app.inject({
      method: 'GET',
      url: `/api/v1/admin/billing/revenue?from=2026-02-01&to=2026-01-01`,
      headers: finance.auth,
    });
    expect(badRange.statusCode).toBe(400);
  });
});
