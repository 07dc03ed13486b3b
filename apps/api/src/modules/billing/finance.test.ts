import { auditLog, paymentEvents, paymentRefunds, payments, subscriptionEvents, subscriptions, users } from '@kush/db';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerViewer, signInStaff, type SignedIn } from '../../testing/factories';
import { createTestApp, type TestApp } from '../../testing/harness';
import { entitlementOf } from '../playback';
import { seedPlans } from './plans.service';

const backings = process.env.TEST_DATABASE_URL ? (['embedded', 'servers'] as const) : (['embedded'] as const);

interface PaymentView {
  id: string;
  status: string;
  amount: number;
  refundedAmount: number;
  currency: string;
  periodStart: string | null;
  periodEnd: string | null;
  createdAt: string;
}

/** Refunds with the sandbox provider (no refund API: 'manual'), and finance's payment search. */
describe.each(backings)('finance: refunds and the payment list (%s)', (backing) => {
  let t: TestApp;
  let finance: SignedIn;
  let monthPlanId: string;
  let weekPlanId: string;
  let seq = 0;

  beforeAll(async () => {
    t = await createTestApp({ backing });
    await seedPlans(t.ctx.db.db);
    const plans = await t.app.inject({ method: 'GET', url: '/api/v1/billing/plans' });
    const items = plans.json<{ items: { id: string; code: string }[] }>().items;
    monthPlanId = items.find((p) => p.code === 'premium-month')!.id;
    weekPlanId = items.find((p) => p.code === 'premium-week')!.id;
    finance = await signInStaff(t, ['finance']);
  });
  afterAll(() => t.close());

  const key = (name: string) => `${name}-${Date.now().toString(36)}-${++seq}`;

  async function approve(url: string) {
    const path = new URL(url).pathname + new URL(url).search;
    const page = await t.app.inject({ method: 'GET', url: path });
    const sig = /name="sig" value="([^"]+)"/.exec(page.body)![1]!;
    const res = await t.app.inject({
      method: 'POST',
      url: new URL(url).pathname,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `sig=${encodeURIComponent(sig)}&decision=approve`,
    });
    expect(res.statusCode).toBeLessThan(400);
  }

  /** A sandbox pass payment, approved unless `pending`. */
  async function pay(who: SignedIn, options: { planId?: string; pending?: boolean } = {}): Promise<PaymentView> {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/billing/checkout',
      headers: who.auth,
      payload: { planId: options.planId ?? monthPlanId, provider: 'sandbox', idempotencyKey: key('pay') },
    });
    expect(res.statusCode, res.body).toBe(201);
    const { payment, nextAction } = res.json<{ payment: PaymentView; nextAction: { url: string } }>();
    if (options.pending) return payment;
    await approve(nextAction.url);
    const view = await t.app.inject({
      method: 'GET',
      url: `/api/v1/billing/payments/${payment.id}`,
      headers: who.auth,
    });
    return view.json<PaymentView>();
  }

  const refund = (paymentId: string, body: Record<string, unknown>, who: SignedIn = finance) =>
    t.app.inject({
      method: 'POST',
      url: `/api/v1/admin/billing/payments/${paymentId}/refunds`,
      headers: who.auth,
      payload: { reason: 'viewer asked', ...body },
    });
  const paymentRow = async (id: string) => (await t.ctx.db.db.select().from(payments).where(eq(payments.id, id)))[0]!;
  const passOf = async (userId: string) =>
    (
      await t.ctx.db.db
        .select()
        .from(subscriptions)
        .where(and(eq(subscriptions.userId, userId), eq(subscriptions.kind, 'pass')))
    )[0]!;
  const ledger = async (paymentId: string) => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/v1/admin/billing/payments/${paymentId}/ledger`,
      headers: finance.auth,
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{
      items: { type: string; amount: number | null; currency: string; toStatus: string | null }[];
      refunds: { amount: number; status: string; currency: string }[];
    }>();
  };

  it('a partial refund keeps access; refunding the rest of the only pass payment ends it', async () => {
    const buyer = await registerViewer(t);
    const payment = await pay(buyer);
    const endBefore = (await passOf(buyer.userId)).currentPeriodEnd;

    const partial = await refund(payment.id, { amount: 5000 });
    expect(partial.statusCode, partial.body).toBe(200);
    expect(partial.json()).toMatchObject({
      payment: { id: payment.id, status: 'succeeded', refundedAmount: 5000 },
      refund: { amount: 5000, currency: 'UGX', status: 'manual', providerRefundId: null },
      followUp: expect.stringContaining('by hand'),
    });
    expect((await passOf(buyer.userId)).currentPeriodEnd).toEqual(endBefore);
    expect((await entitlementOf(t.ctx.db.db, buyer.userId)).premium).toBe(true);

    const rest = await refund(payment.id, { amount: 10000 });
    expect(rest.statusCode, rest.body).toBe(200);
    expect(rest.json().payment).toMatchObject({ status: 'refunded', refundedAmount: 15000 });
    const pass = await passOf(buyer.userId);
    expect(pass.status).toBe('expired');
    expect(pass.currentPeriodEnd.getTime()).toBeLessThanOrEqual(Date.now());
    expect((await entitlementOf(t.ctx.db.db, buyer.userId)).premium).toBe(false);

    // Nothing is left to refund: a 400 in the API format, and no change.
    const more = await refund(payment.id, { amount: 1 });
    expect(more.statusCode).toBe(400);
    expect(more.json().error).toMatchObject({ code: 'VALIDATION_FAILED', requestId: expect.any(String) });
    expect((await paymentRow(payment.id)).refundedAmount).toBe(15000);

    // Every refund is in the ledger, in the payment's currency, and every entry carries the currency.
    const { items, refunds } = await ledger(payment.id);
    expect(items.filter((e) => e.type === 'refund').map((e) => [e.amount, e.currency, e.toStatus])).toEqual([
      [5000, 'UGX', 'succeeded'],
      [10000, 'UGX', 'refunded'],
    ]);
    expect(items.every((e) => e.currency === 'UGX')).toBe(true);
    expect(refunds.map((r) => [r.amount, r.status])).toEqual([
      [5000, 'manual'],
      [10000, 'manual'],
    ]);
    const audits = await t.ctx.db.db.select().from(auditLog).where(eq(auditLog.entityId, payment.id));
    expect(audits.filter((a) => a.action === 'payment.refund')).toHaveLength(2);
  });

  it('the ledger and the access history are append-only: the database refuses to change or delete an entry', async () => {
    const buyer = await registerViewer(t);
    const payment = await pay(buyer);
    expect((await refund(payment.id, { amount: 15000 })).statusCode).toBe(200);
    const before = await t.ctx.db.db.select().from(paymentEvents).where(eq(paymentEvents.paymentId, payment.id));
    expect(before.map((e) => e.type)).toEqual(['created', 'requested', 'succeeded', 'refund']);

    const db = t.ctx.db.db;
    await expect(
      db.update(paymentEvents).set({ amount: 1 }).where(eq(paymentEvents.paymentId, payment.id)),
    ).rejects.toThrow();
    await expect(db.delete(paymentEvents).where(eq(paymentEvents.paymentId, payment.id))).rejects.toThrow();
    await expect(
      db.update(subscriptionEvents).set({ type: 'started' }).where(eq(subscriptionEvents.userId, buyer.userId)),
    ).rejects.toThrow();
    await expect(db.delete(subscriptionEvents).where(eq(subscriptionEvents.userId, buyer.userId))).rejects.toThrow();
    // Deleting the payment would take its ledger with it: refused too.
    await expect(db.delete(payments).where(eq(payments.id, payment.id))).rejects.toThrow();

    expect(await db.select().from(paymentEvents).where(eq(paymentEvents.paymentId, payment.id))).toEqual(before);
    const history = await db.select().from(subscriptionEvents).where(eq(subscriptionEvents.userId, buyer.userId));
    expect(history.map((e) => e.type).sort()).toEqual(['ended', 'started']);
  });

  it('a full refund of one of two stacked pass payments takes away only the period it bought', async () => {
    const buyer = await registerViewer(t);
    const first = await pay(buyer);
    const second = await pay(buyer, { planId: weekPlanId });
    const stacked = (await passOf(buyer.userId)).currentPeriodEnd;
    expect(stacked).toEqual(new Date(second.periodEnd!));

    const res = await refund(first.id, { amount: 15000 });
    expect(res.statusCode, res.body).toBe(200);
    const bought = Date.parse(first.periodEnd!) - Date.parse(first.periodStart!);
    const pass = await passOf(buyer.userId);
    expect(pass).toMatchObject({ status: 'active', currentPeriodEnd: new Date(stacked.getTime() - bought) });
    expect((await entitlementOf(t.ctx.db.db, buyer.userId)).premium).toBe(true);

    // The week that is left went back too: access ends now, not before.
    const before = Date.now();
    expect((await refund(second.id, { amount: 5000 })).statusCode).toBe(200);
    const ended = await passOf(buyer.userId);
    expect(ended.status).toBe('expired');
    expect(ended.currentPeriodEnd.getTime()).toBeGreaterThanOrEqual(before);
    expect((await entitlementOf(t.ctx.db.db, buyer.userId)).premium).toBe(false);
  });

  it('concurrent refunds never return more than was paid; the same key twice is one refund', async () => {
    const buyer = await registerViewer(t);
    const payment = await pay(buyer);
    const results = await Promise.all([1, 2, 3].map(() => refund(payment.id, { amount: 6000 })));
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 200, 400]);
    expect((await paymentRow(payment.id)).refundedAmount).toBe(12000);
    const rows = await t.ctx.db.db.select().from(paymentRefunds).where(eq(paymentRefunds.paymentId, payment.id));
    expect(rows.map((r) => r.amount)).toEqual([6000, 6000]);

    const idempotencyKey = key('refund-once');
    const twice = await Promise.all([
      refund(payment.id, { amount: 2000, idempotencyKey }),
      refund(payment.id, { amount: 2000, idempotencyKey }),
    ]);
    expect(twice.map((r) => r.statusCode)).toEqual([200, 200]);
    expect(twice[0]!.json().refund.id).toBe(twice[1]!.json().refund.id);
    expect((await paymentRow(payment.id)).refundedAmount).toBe(14000);
    const reused = await refund(payment.id, { amount: 1000, idempotencyKey });
    expect(reused.statusCode).toBe(409);
    expect(reused.json().error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    const events = await t.ctx.db.db.select().from(paymentEvents).where(eq(paymentEvents.paymentId, payment.id));
    expect(events.filter((e) => e.type === 'refund').map((e) => e.amount)).toEqual([6000, 6000, 2000]);
  });

  it('refuses bad refunds in the API format with no change, and keeps them from viewers', async () => {
    const buyer = await registerViewer(t);
    const pending = await pay(buyer, { pending: true });
    const paid = await pay(buyer);
    const cases: [string, Record<string, unknown>, number, string][] = [
      ['00000000-0000-4000-8000-000000000000', { amount: 100 }, 404, 'NOT_FOUND'],
      [pending.id, { amount: 100 }, 409, 'CONFLICT'],
      [paid.id, { amount: 0 }, 400, 'VALIDATION_FAILED'],
      [paid.id, { amount: 1.5 }, 400, 'VALIDATION_FAILED'],
      [paid.id, { amount: 16000 }, 400, 'VALIDATION_FAILED'],
      [paid.id, { amount: 100, reason: '' }, 400, 'VALIDATION_FAILED'],
      [paid.id, { amount: 100, idempotencyKey: 'x' }, 400, 'VALIDATION_FAILED'],
      [paid.id, { amount: 100, currency: 'USD' }, 400, 'VALIDATION_FAILED'],
    ];
    for (const [id, body, status, code] of cases) {
      const res = await refund(id, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(status);
      expect(res.json().error).toMatchObject({ code, requestId: expect.any(String) });
    }
    const forbidden = await refund(paid.id, { amount: 100 }, buyer);
    expect(forbidden.statusCode).toBe(403);
    expect((await paymentRow(paid.id)).refundedAmount).toBe(0);
    expect((await paymentRow(pending.id)).refundedAmount).toBe(0);
    expect(await t.ctx.db.db.select().from(paymentRefunds).where(eq(paymentRefunds.paymentId, paid.id))).toEqual([]);
    const missing = await t.app.inject({
      method: 'GET',
      url: '/api/v1/admin/billing/payments/00000000-0000-4000-8000-000000000000/ledger',
      headers: finance.auth,
    });
    expect(missing.statusCode).toBe(404);
  });

  describe('GET /payments', () => {
    const list = (query: Record<string, string | number>, who: SignedIn | null = finance) =>
      t.app.inject({
        method: 'GET',
        url: `/api/v1/admin/billing/payments?${new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]))}`,
        headers: who?.auth ?? {},
      });
    const ids = (res: { json: () => { items: { id: string }[] } }) => res.json().items.map((p) => p.id);

    it('filters by status, provider, plan and Kampala days, and finds by id, email, phone or reference', async () => {
      const buyer = await registerViewer(t);
      const phone = `+2567${String(Date.now()).slice(-8)}`;
      await t.ctx.db.db.update(users).set({ phone }).where(eq(users.id, buyer.userId));
      const month = await pay(buyer);
      const week = await pay(buyer, { planId: weekPlanId });
      const waiting = await pay(buyer, { pending: true });
      const other = await pay(await registerViewer(t));

      const mine = await list({ q: buyer.email });
      expect(mine.statusCode, mine.body).toBe(200);
      // Newest first, only this payer's, with the payer and the provider's reference.
      expect(ids(mine)).toEqual([waiting.id, week.id, month.id]);
      expect(mine.json().items[0]).toMatchObject({
        status: 'pending',
        provider: 'sandbox',
        payer: { id: buyer.userId, email: buyer.email, phone },
        providerReference: waiting.id,
      });
      expect(ids(await list({ q: buyer.email.toUpperCase() }))).toEqual([waiting.id, week.id, month.id]);
      expect(ids(await list({ q: buyer.email, status: 'pending' }))).toEqual([waiting.id]);
      expect(ids(await list({ q: buyer.email, status: 'succeeded', plan: 'premium-week' }))).toEqual([week.id]);
      expect(ids(await list({ q: buyer.email, provider: 'stripe' }))).toEqual([]);
      for (const form of [phone, `0${phone.slice(4)}`, `${phone.slice(1, 4)} ${phone.slice(4, 7)} ${phone.slice(7)}`]) {
        expect(ids(await list({ q: form })), form).toEqual([waiting.id, week.id, month.id]);
      }
      expect(ids(await list({ q: month.id }))).toEqual([month.id]);
      expect(ids(await list({ q: other.id.toUpperCase() }))).toEqual([other.id]);
      expect(ids(await list({ q: 'no-such-reference' }))).toEqual([]);

      // Days are Kampala days: today holds them, tomorrow does not.
      const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Africa/Kampala' }).format(new Date());
      const tomorrow = new Intl.DateTimeFormat('en-CA', { timeZone: 'Africa/Kampala' }).format(
        new Date(Date.now() + 86_400_000),
      );
      expect(ids(await list({ q: buyer.email, from: today, to: today }))).toHaveLength(3);
      expect(ids(await list({ q: buyer.email, from: tomorrow }))).toEqual([]);
      expect(ids(await list({ q: buyer.email, to: today }))).toHaveLength(3);
    });

    it('pages newest first with cursors bound to the filters', async () => {
      const buyer = await registerViewer(t);
      const paid: string[] = [];
      for (let i = 0; i < 5; i += 1) paid.unshift((await pay(buyer, { pending: true })).id);
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const res = await list({ q: buyer.email, limit: 2, ...(cursor && { cursor }) });
        expect(res.statusCode, res.body).toBe(200);
        const page = res.json<{ items: { id: string }[]; nextCursor: string | null }>();
        expect(page.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.items.map((p) => p.id));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen).toEqual(paid);

      const first = (await list({ q: buyer.email, limit: 2 })).json<{ nextCursor: string }>();
      const elsewhere = await list({ q: buyer.email, status: 'succeeded', limit: 2, cursor: first.nextCursor });
      expect(elsewhere.statusCode).toBe(400);
      expect(elsewhere.json().error.code).toBe('VALIDATION_FAILED');
      const edited = await list({ q: buyer.email, limit: 2, cursor: `${first.nextCursor}x` });
      expect(edited.statusCode).toBe(400);
    });

    it('is for finance only and refuses bad filters in the API format', async () => {
      const viewer = await registerViewer(t);
      expect((await list({}, viewer)).statusCode).toBe(403);
      expect((await list({}, null)).statusCode).toBe(401);
      const bad: Record<string, string | number>[] = [
        { status: 'paid' },
        { provider: 'bitcoin' },
        { from: '2026-13-01' },
        { from: '2026-02-01', to: '2026-01-01' },
        { limit: 1000 },
        { plan: 'NOT A CODE' },
        { sort: 'oldest' },
      ];
      for (const query of bad) {
        const res = await list(query);
        expect(res.statusCode, JSON.stringify(query)).toBe(400);
        expect(res.json().error).toMatchObject({ code: 'VALIDATION_FAILED', requestId: expect.any(String) });
      }
    });
  });
});
