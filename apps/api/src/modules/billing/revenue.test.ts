import { payments, subscriptions } from '@kush/db';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kampalaDay } from '../../lib/kampala-time';
import { registerViewer, signInStaff, type SignedIn, uniquePhone } from '../../testing/factories';
import { createTestApp, type TestApp } from '../../testing/harness';
import { createBilling } from './index';
import { BillingLifecycle } from './lifecycle.service';
import { seedPlans } from './plans.service';
import { momoReferenceId } from './providers/momo';
import { LogSmsSender } from './sms';
import { type MomoDouble, startMomoDouble } from './testing/momo-double';

const backings = process.env.TEST_DATABASE_URL ? (['embedded', 'servers'] as const) : (['embedded'] as const);

const MOMO = {
  subscriptionKey: 'momo-subscription-key',
  apiUser: '5d0c3f0e-8a4b-4c55-9c1e-2a7e4f9b1c22',
  apiKey: 'momo-api-key',
  targetEnvironment: 'mtnuganda',
};

interface RevenueRow {
  day: string;
  provider: string;
  currency: string;
  gross: number;
  refunds: number;
  net: number;
  payments: number;
}

/**
 * Finance's revenue report on a database of its own, so every figure is exact: MRR per currency,
 * active subscribers by plan and provider, new and churned subscribers, revenue by Kampala day,
 * provider and currency, net of refunds.
 */
describe.each(backings)('revenue report (%s)', (backing) => {
  let t: TestApp;
  let momo: MomoDouble;
  let finance: SignedIn;
  let plans: Record<string, string>;
  let seq = 0;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    momo = await startMomoDouble(MOMO);
    t = await createTestApp({
      backing,
      env: {
        PAYMENT_PROVIDERS: 'sandbox,mtn_momo',
        MOMO_API_BASE: momo.url,
        MOMO_TARGET_ENVIRONMENT: MOMO.targetEnvironment,
        MOMO_SUBSCRIPTION_KEY: MOMO.subscriptionKey,
        MOMO_API_USER: MOMO.apiUser,
        MOMO_API_KEY: MOMO.apiKey,
      },
    });
    await seedPlans(t.ctx.db.db);
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/billing/plans' });
    plans = Object.fromEntries(list.json<{ items: { id: string; code: string }[] }>().items.map((p) => [p.code, p.id]));
    finance = await signInStaff(t, ['finance']);

    // A: Premium Month in UGX, B: Premium Month in USD (both sandbox), C: Premium Week by MTN MoMo,
    // D: Premium Week refunded in full (its pass ends: churned), E: declined, F: still pending.
    ids.a = await sandbox('premium-month', 'UGX', 'approve');
    ids.b = await sandbox('premium-month', 'USD', 'approve');
    ids.c = await byMomo('premium-week');
    ids.d = await sandbox('premium-week', 'UGX', 'approve');
    ids.e = await sandbox('premium-month', 'UGX', 'decline');
    ids.f = await sandbox('premium-month', 'UGX', null);
    const refund = await t.app.inject({
      method: 'POST',
      url: `/api/v1/admin/billing/payments/${ids.d}/refunds`,
      headers: finance.auth,
      payload: { amount: 5000, reason: 'double payment' },
    });
    expect(refund.statusCode, refund.body).toBe(200);
    expect(refund.json().payment.status).toBe('refunded');
  });
  afterAll(async () => {
    await t?.close();
    await momo?.close();
  });

  async function sandbox(
    plan: string,
    currency: 'UGX' | 'USD',
    decision: 'approve' | 'decline' | null,
    buyer?: SignedIn,
  ) {
    buyer ??= await registerViewer(t);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/billing/checkout',
      headers: buyer.auth,
      payload: { planId: plans[plan], provider: 'sandbox', currency, idempotencyKey: `revenue-${++seq}-key` },
    });
    expect(res.statusCode, res.body).toBe(201);
    const { payment, nextAction } = res.json<{ payment: { id: string }; nextAction: { url: string } }>();
    if (decision) {
      const link = new URL(nextAction.url);
      const decided = await t.app.inject({
        method: 'POST',
        url: link.pathname,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: `sig=${encodeURIComponent(link.searchParams.get('sig')!)}&decision=${decision}`,
      });
      expect(decided.statusCode).toBe(200);
    }
    return payment.id;
  }

  async function byMomo(plan: string) {
    const buyer = await registerViewer(t);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/billing/checkout',
      headers: buyer.auth,
      payload: {
        planId: plans[plan],
        provider: 'mtn_momo',
        phone: uniquePhone(),
        idempotencyKey: `revenue-${++seq}-key`,
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    const paymentId = res.json<{ payment: { id: string } }>().payment.id;
    const reference = momoReferenceId(paymentId);
    momo.settle(reference, 'SUCCESSFUL');
    const callback = await t.app.inject({
      method: 'POST',
      url: '/api/v1/billing/callbacks/mtn_momo',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify(momo.callbackFor(reference)),
    });
    expect(callback.statusCode, callback.body).toBe(200);
    return paymentId;
  }

  const report = async (from: string, to = from) => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/v1/admin/billing/revenue?from=${from}&to=${to}`,
      headers: finance.auth,
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{
      timeZone: string;
      mrr: { currency: string; amount: number }[];
      activeSubscribers: { planCode: string; provider: string; count: number }[];
      newSubscribers: number;
      churnedSubscribers: number;
      byDay: RevenueRow[];
      totals: { currency: string; gross: number; refunds: number; net: number }[];
    }>();
  };
  const byCurrency = <T extends { currency: string }>(rows: T[]) =>
    [...rows].sort((a, b) => a.currency.localeCompare(b.currency));

  it('counts MRR, subscribers by plan and provider, new and churned, and revenue by day, provider and currency', async () => {
    const today = kampalaDay(new Date());
    const body = await report(today);
    expect(body.timeZone).toBe('Africa/Kampala');
    // A week pass is 52/12 weeks a month: UGX 15,000 + 5,000 × 52 / 12 = 36,666.67.
    expect(byCurrency(body.mrr)).toEqual([
      { currency: 'UGX', amount: 36_667 },
      { currency: 'USD', amount: 399 },
    ]);
    expect(body.activeSubscribers).toEqual([
      { planCode: 'premium-month', provider: 'sandbox', count: 2 },
      { planCode: 'premium-week', provider: 'mtn_momo', count: 1 },
    ]);
    expect(body.newSubscribers).toBe(4);
    expect(body.churnedSubscribers).toBe(1);
    // Declined and pending payments are no revenue; the refund comes off the day it was made.
    expect(body.byDay).toEqual([
      { day: today, provider: 'mtn_momo', currency: 'UGX', gross: 5000, refunds: 0, net: 5000, payments: 1 },
      { day: today, provider: 'sandbox', currency: 'UGX', gross: 20_000, refunds: 5000, net: 15_000, payments: 2 },
      { day: today, provider: 'sandbox', currency: 'USD', gross: 399, refunds: 0, net: 399, payments: 1 },
    ]);
    expect(byCurrency(body.totals)).toEqual([
      { currency: 'UGX', gross: 25_000, refunds: 5000, net: 20_000 },
      { currency: 'USD', gross: 399, refunds: 0, net: 399 },
    ]);
  });

  it('a range without payments has no revenue and no new or churned subscribers, but the same MRR', async () => {
    const yesterday = kampalaDay(new Date(Date.now() - 86_400_000));
    const body = await report(yesterday);
    expect(body).toMatchObject({ newSubscribers: 0, churnedSubscribers: 0, byDay: [], totals: [] });
    expect(byCurrency(body.mrr)).toEqual([
      { currency: 'UGX', amount: 36_667 },
      { currency: 'USD', amount: 399 },
    ]);
  });

  it('a pass that ran out stays churned on the day it ended after its owner pays again, and counts as new again', async () => {
    const today = kampalaDay(new Date());
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/admin/billing/plans',
      headers: finance.auth,
      payload: {
        code: 'day-pass',
        name: 'Day Pass',
        interval: 'day',
        prices: { UGX: 1000 },
        grants: { premiumCatalog: true, adFree: true, downloads: false, maxQuality: 720, maxStreams: 1 },
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    plans['day-pass'] = created.json<{ id: string }>().id;
    const buyer = await registerViewer(t);
    await sandbox('day-pass', 'UGX', 'approve', buyer);
    const [pass] = await t.ctx.db.db.select().from(subscriptions).where(eq(subscriptions.userId, buyer.userId));
    const endDay = kampalaDay(pass!.currentPeriodEnd);
    expect((await report(today)).newSubscribers).toBe(5);

    // The expiry job runs after the day pass ran out: only it is over (the week passes run on).
    const { billing, notifications } = createBilling(t.ctx);
    const lifecycle = new BillingLifecycle(t.ctx.db.db, billing, notifications, new LogSmsSender(), {
      reminderDays: 3,
    });
    expect(await lifecycle.expire(new Date(pass!.currentPeriodEnd.getTime() + 60_000))).toBe(1);
    // A day pass ends a day after it was bought: on another Kampala day than today's refund.
    expect(endDay).not.toBe(today);
    expect((await report(endDay)).churnedSubscribers).toBe(1);

    // Paid again: the same pass row is active once more, yet the day it ran out keeps its churn.
    await sandbox('day-pass', 'UGX', 'approve', buyer);
    const [again] = await t.ctx.db.db.select().from(subscriptions).where(eq(subscriptions.userId, buyer.userId));
    expect(again).toMatchObject({ id: pass!.id, status: 'active' });
    expect((await report(endDay)).churnedSubscribers).toBe(1);
    expect((await report(today)).newSubscribers).toBe(6);
  });

  it('puts a payment on its Kampala day, not its UTC day', async () => {
    // 21:30 UTC on 1 March is 00:30 on 2 March in Kampala.
    await t.ctx.db.db
      .update(payments)
      .set({ completedAt: new Date('2026-03-01T21:30:00Z') })
      .where(eq(payments.id, ids.c!));
    expect((await report('2026-03-01')).byDay).toEqual([]);
    expect((await report('2026-03-02')).byDay).toEqual([
      { day: '2026-03-02', provider: 'mtn_momo', currency: 'UGX', gross: 5000, refunds: 0, net: 5000, payments: 1 },
    ]);
    expect((await report('2026-02-01', '2026-03-31')).totals).toEqual([
      { currency: 'UGX', gross: 5000, refunds: 0, net: 5000 },
    ]);
  });
});
