import {
  billingCustomers,
  notifications,
  paymentEvents,
  payments,
  providerEvents,
  subscriptionEvents,
  subscriptions,
} from '@kush/db';
import { and, eq } from 'drizzle-orm';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerViewer, signInStaff, type SignedIn } from '../../testing/factories';
import { createTestApp, type TestApp } from '../../testing/harness';
import { entitlementOf } from '../playback';
import { createBilling } from './index';
import { BillingLifecycle } from './lifecycle.service';
import { seedPlans } from './plans.service';
import { LogSmsSender } from './sms';
import { startStripeDouble, type StripeDouble } from './testing/stripe-double';

const backings = process.env.TEST_DATABASE_URL ? (['embedded', 'servers'] as const) : (['embedded'] as const);

const SECRET_KEY = 'sk_test_kushfilms_double';
const WEBHOOK_SECRET = 'whsec_kushfilms_test_secret';
const GRACE_DAYS = 3;
const DAY = 86_400;
const run = Date.now().toString(36);
let seq = 0;
const nextId = (prefix: string) => `${prefix}_${run}${(++seq).toString(36).padStart(4, '0')}`;
const nowSec = () => Math.floor(Date.now() / 1000);

/** Stripe's SDK, only for its webhook signing helper (the same code Stripe's own tests use). */
const sdk = new Stripe(SECRET_KEY);

interface Ids {
  customer: string;
  subscription: string;
  userId: string;
  paymentId?: string;
}

function stripeEvent(type: string, object: Record<string, unknown>, created: number) {
  return {
    id: nextId('evt'),
    object: 'event',
    api_version: '2026-10-28.endive',
    created,
    type,
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    data: { object },
  };
}

function subscriptionObject(
  ids: Ids,
  options: { status: string; start: number; end: number; cancelAtPeriodEnd?: boolean },
): Record<string, unknown> {
  return {
    id: ids.subscription,
    object: 'subscription',
    customer: ids.customer,
    status: options.status,
    cancel_at_period_end: options.cancelAtPeriodEnd ?? false,
    start_date: options.start,
    metadata: { userId: ids.userId, planCode: 'premium-month', ...(ids.paymentId && { paymentId: ids.paymentId }) },
    items: {
      object: 'list',
      data: [
        {
          id: nextId('si'),
          object: 'subscription_item',
          current_period_start: options.start,
          current_period_end: options.end,
          price: {
            id: 'price_inline',
            object: 'price',
            currency: 'usd',
            unit_amount: 399,
            recurring: { interval: 'month', interval_count: 1 },
          },
        },
      ],
    },
  };
}

function invoiceObject(
  ids: Ids,
  options: { reason: 'subscription_create' | 'subscription_cycle'; amount: number; start: number; end: number },
): Record<string, unknown> {
  return {
    id: nextId('in'),
    object: 'invoice',
    customer: ids.customer,
    billing_reason: options.reason,
    amount_due: options.amount,
    amount_paid: options.amount,
    currency: 'usd',
    status: 'paid',
    parent: {
      type: 'subscription_details',
      subscription_details: {
        subscription: ids.subscription,
        metadata: { userId: ids.userId, planCode: 'premium-month', ...(ids.paymentId && { paymentId: ids.paymentId }) },
      },
    },
    lines: {
      object: 'list',
      data: [{ id: nextId('il'), object: 'line_item', period: { start: options.start, end: options.end } }],
    },
  };
}

describe.each(backings)('card subscriptions against a Stripe API double (%s)', (backing) => {
  let t: TestApp;
  let stripe: StripeDouble;
  let planId: string;

  beforeAll(async () => {
    stripe = await startStripeDouble(SECRET_KEY);
    t = await createTestApp({
      backing,
      env: {
        PAYMENT_PROVIDERS: 'stripe',
        STRIPE_SECRET_KEY: SECRET_KEY,
        STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
        STRIPE_API_BASE: stripe.url,
        BILLING_GRACE_DAYS: String(GRACE_DAYS),
      },
    });
    await seedPlans(t.ctx.db.db);
    const plans = await t.app.inject({ method: 'GET', url: '/api/v1/billing/plans' });
    planId = plans.json<{ items: { id: string; code: string }[] }>().items.find((p) => p.code === 'premium-month')!.id;
  });
  afterAll(async () => {
    await t?.close();
    await stripe?.close();
  });

  const checkout = (who: SignedIn, idempotencyKey: string, extra: Record<string, unknown> = {}) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/billing/checkout',
      headers: who.auth,
      payload: { planId, provider: 'stripe', currency: 'USD', idempotencyKey, ...extra },
    });

  function deliver(event: unknown, options: { secret?: string; timestamp?: number; tamper?: boolean } = {}) {
    const payload = JSON.stringify(event);
    const signature = sdk.webhooks.generateTestHeaderString({
      payload,
      secret: options.secret ?? WEBHOOK_SECRET,
      ...(options.timestamp !== undefined && { timestamp: options.timestamp }),
    });
    return t.app.inject({
      method: 'POST',
      url: '/api/v1/billing/webhooks/stripe',
      headers: { 'content-type': 'application/json; charset=utf-8', 'stripe-signature': signature },
      payload: options.tamper ? payload.replace('"usd"', '"ugx"') : payload,
    });
  }
  async function deliverOk(event: unknown) {
    const res = await deliver(event);
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ received: true; applied: boolean }>();
  }

  const paymentRow = async (id: string) => (await t.ctx.db.db.select().from(payments).where(eq(payments.id, id)))[0]!;
  const subscriptionRow = async (providerId: string) =>
    (await t.ctx.db.db.select().from(subscriptions).where(eq(subscriptions.providerSubscriptionId, providerId)))[0];
  const eventApplied = async (id: string) =>
    (await t.ctx.db.db.select().from(providerEvents).where(eq(providerEvents.eventId, id))).length > 0;
  const accessHistory = async (providerId: string) => {
    const sub = await subscriptionRow(providerId);
    const rows = await t.ctx.db.db
      .select()
      .from(subscriptionEvents)
      .where(eq(subscriptionEvents.subscriptionId, sub!.id));
    return rows.sort((a, b) => a.at.getTime() - b.at.getTime() || a.id.localeCompare(b.id)).map((e) => e.type);
  };
  const notificationsOf = (userId: string) =>
    t.ctx.db.db.select().from(notifications).where(eq(notifications.userId, userId));
  const lifecycle = () => {
    const { billing, notifications: notify } = createBilling(t.ctx);
    return new BillingLifecycle(t.ctx.db.db, billing, notify, new LogSmsSender(), { reminderDays: 3 });
  };

  /** A viewer who went through Checkout: the payment, the session the double created and our ids. */
  async function startCheckout(key: string) {
    const buyer = await registerViewer(t);
    const res = await checkout(buyer, key);
    expect(res.statusCode, res.body).toBe(201);
    const payment = res.json<{ payment: { id: string } }>().payment;
    const sessionId = (await paymentRow(payment.id)).providerReference!;
    const session = stripe.sessions.get(sessionId)!;
    const ids: Ids = {
      customer: session.customer!,
      subscription: nextId('sub'),
      userId: buyer.userId,
      paymentId: payment.id,
    };
    return { buyer, payment, res, session, ids };
  }

  /** Checkout, then the events Stripe sends for a paid first invoice: an active subscription. */
  async function subscribed(key: string, period: { start: number; end: number }) {
    const started = await startCheckout(key);
    const { ids, session } = started;
    const invoice = invoiceObject(ids, { reason: 'subscription_create', amount: 399, ...period });
    // Stripe's own record of the subscription, which a completed checkout is checked against.
    stripe.subscriptions.set(ids.subscription, subscriptionObject(ids, { status: 'active', ...period }));
    stripe.completeSession(session.id, ids.subscription, invoice.id as string);
    const created = period.start;
    await deliverOk(stripeEvent('checkout.session.completed', { ...session }, created));
    await deliverOk(
      stripeEvent('customer.subscription.created', subscriptionObject(ids, { status: 'active', ...period }), created),
    );
    await deliverOk(stripeEvent('invoice.paid', invoice, created));
    return started;
  }

  it('card checkout creates a subscription Checkout Session at Stripe, priced from the plan', async () => {
    const { buyer, payment, res, session } = await startCheckout('card-checkout-0001');
    expect(res.json()).toMatchObject({
      payment: { status: 'pending', provider: 'stripe', kind: 'checkout', amount: 399, currency: 'USD' },
      nextAction: { type: 'redirect', url: session.url },
    });

    const [customerCall] = stripe.callsTo('POST', '/v1/customers').filter((c) => c.form.email === buyer.email);
    expect(customerCall!.form).toEqual({ email: buyer.email, metadata: { userId: buyer.userId } });
    expect(customerCall!.headers['idempotency-key']).toBe(`customer-${buyer.userId}`);

    const calls = stripe
      .callsTo('POST', '/v1/checkout/sessions')
      .filter((c) => c.form.client_reference_id === payment.id);
    expect(calls).toHaveLength(1);
    const metadata = { paymentId: payment.id, userId: buyer.userId, planCode: 'premium-month' };
    expect(calls[0]!.form).toEqual({
      mode: 'subscription',
      customer: session.customer,
      client_reference_id: payment.id,
      metadata,
      subscription_data: { metadata },
      line_items: [
        {
          quantity: '1',
          price_data: {
            currency: 'usd',
            unit_amount: '399',
            recurring: { interval: 'month' },
            product_data: { name: 'Kush Films Premium Month' },
          },
        },
      ],
      success_url: `${t.config.WEB_URL}/account/billing?payment=${payment.id}`,
      cancel_url: `${t.config.WEB_URL}/plans?canceled=${payment.id}`,
    });
    expect(calls[0]!.headers['idempotency-key']).toBe(`checkout-${payment.id}`);
    expect(calls[0]!.headers.authorization).toBe(`Bearer ${SECRET_KEY}`);
    const [customer] = await t.ctx.db.db
      .select()
      .from(billingCustomers)
      .where(eq(billingCustomers.userId, buyer.userId));
    expect(customer).toMatchObject({ provider: 'stripe', customerId: session.customer });

    // A retry with the same key: the same payment and the same Checkout page, and no second session.
    const sessionsBefore = stripe.sessions.size;
    const again = await checkout(buyer, 'card-checkout-0001');
    expect(again.statusCode, again.body).toBe(201);
    expect(again.json()).toMatchObject({ payment: { id: payment.id }, nextAction: { url: session.url } });
    expect(stripe.sessions.size).toBe(sessionsBefore);

    // A double-click on a fresh key: one payment, one Checkout Session, the same page for both.
    const clicker = await registerViewer(t);
    const [a, b] = await Promise.all([checkout(clicker, 'card-double-click'), checkout(clicker, 'card-double-click')]);
    expect([a.statusCode, b.statusCode]).toEqual([201, 201]);
    expect(a.json().payment.id).toBe(b.json().payment.id);
    expect(a.json().nextAction.url).toBe(b.json().nextAction.url);
    expect(await t.ctx.db.db.select().from(payments).where(eq(payments.userId, clicker.userId))).toHaveLength(1);
    const clickerSessions = [...stripe.sessions.values()].filter((s) => s.client_reference_id === a.json().payment.id);
    expect(clickerSessions).toHaveLength(1);

    // Card subscriptions are for one's own account.
    const friend = await registerViewer(t);
    const gift = await checkout(buyer, 'card-gift-0001', { beneficiary: { email: friend.email } });
    expect(gift.statusCode).toBe(400);
  });

  it('opens the Customer Portal for the customer, returning to the billing page', async () => {
    const { buyer, session } = await startCheckout('card-portal-0001');
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/billing/portal', headers: buyer.auth });
    expect(res.statusCode, res.body).toBe(200);
    const [call] = stripe
      .callsTo('POST', '/v1/billing_portal/sessions')
      .filter((c) => c.form.customer === session.customer);
    expect(call!.form).toEqual({ customer: session.customer, return_url: `${t.config.WEB_URL}/account/billing` });
    const portal = [...stripe.portals.values()].find((p) => p.customer === session.customer)!;
    expect(res.json()).toEqual({ url: portal.url });

    const stranger = await registerViewer(t);
    const none = await t.app.inject({ method: 'POST', url: '/api/v1/billing/portal', headers: stranger.auth });
    expect(none.statusCode).toBe(404);
  });

  it('cancelled in the Customer Portal: access runs to the end of the paid period, then ends when Stripe deletes it', async () => {
    const start = nowSec() - 10 * DAY;
    const period = { start, end: start + 30 * DAY };
    const { buyer, ids } = await subscribed('card-portal-cancel-01', period);
    await deliverOk(
      stripeEvent(
        'customer.subscription.updated',
        subscriptionObject(ids, { status: 'active', ...period, cancelAtPeriodEnd: true }),
        nowSec(),
      ),
    );
    expect(await subscriptionRow(ids.subscription)).toMatchObject({ status: 'active', cancelAtPeriodEnd: true });
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/billing/me', headers: buyer.auth });
    expect(me.json().subscriptions).toEqual([
      expect.objectContaining({ kind: 'recurring', status: 'active', cancelAtPeriodEnd: true }),
    ]);
    const lastDay = new Date((period.end - DAY) * 1000);
    expect((await entitlementOf(t.ctx.db.db, buyer.userId, lastDay)).premium).toBe(true);
    // Nothing more to renew: the expiry job leaves a cancelled-at-period-end subscription to Stripe.
    expect(await lifecycle().expire(lastDay)).toBe(0);

    await deliverOk(
      stripeEvent(
        'customer.subscription.deleted',
        subscriptionObject(ids, { status: 'canceled', ...period, cancelAtPeriodEnd: true }),
        period.end,
      ),
    );
    expect(await subscriptionRow(ids.subscription)).toMatchObject({
      status: 'canceled',
      endedAt: new Date(period.end * 1000),
    });
    expect((await entitlementOf(t.ctx.db.db, buyer.userId)).premium).toBe(false);
    expect(await accessHistory(ids.subscription)).toEqual(['started', 'ended']);
    await t.jobsDone();
    expect((await notificationsOf(buyer.userId)).map((n) => n.subject)).toContain('Your card subscription has ended');
    // A new card subscription may start now.
    expect((await checkout(buyer, 'card-portal-cancel-02')).statusCode).toBe(201);
  });

  it('refuses webhooks with a bad signature, a stale timestamp or a changed body, with no effect', async () => {
    const { payment, session, ids } = await startCheckout('card-signature-01');
    stripe.completeSession(session.id, ids.subscription, nextId('in'));
    const completed = stripeEvent('checkout.session.completed', { ...session }, nowSec());
    const attempts = [
      await deliver(completed, { secret: 'whsec_someone_else' }),
      await deliver(completed, { timestamp: nowSec() - 600 }),
      await deliver(completed, { tamper: true }),
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/billing/webhooks/stripe',
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify(completed),
      }),
    ];
    for (const res of attempts) {
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().error.code).toBe('BAD_REQUEST');
    }
    expect(await eventApplied(completed.id)).toBe(false);
    expect((await paymentRow(payment.id)).status).toBe('pending');

    // The same event, signed now with the endpoint's secret, goes through.
    expect(await deliverOk(completed)).toEqual({ received: true, applied: true });
    expect((await paymentRow(payment.id)).status).toBe('succeeded');
  });

  it('checkout.session.completed, subscription.created and the first invoice.paid grant the plan once', async () => {
    const start = nowSec();
    const period = { start, end: start + 30 * DAY };
    const { buyer, payment, ids } = await subscribed('card-subscribe-01', period);

    const row = await paymentRow(payment.id);
    expect(row).toMatchObject({ status: 'succeeded', amount: 399 });
    expect(row.invoiceId).toMatch(/^in_/);
    // The first invoice is the checkout payment: no second payment for it.
    expect(await t.ctx.db.db.select().from(payments).where(eq(payments.userId, buyer.userId))).toHaveLength(1);
    const ledger = await t.ctx.db.db.select().from(paymentEvents).where(eq(paymentEvents.paymentId, payment.id));
    expect(ledger.filter((e) => e.type === 'succeeded')).toHaveLength(1);

    expect(await subscriptionRow(ids.subscription)).toMatchObject({
      userId: buyer.userId,
      kind: 'recurring',
      status: 'active',
      provider: 'stripe',
      planCode: 'premium-month',
      currency: 'USD',
      amount: 399,
      currentPeriodEnd: new Date(period.end * 1000),
      graceUntil: null,
    });
    const entitlement = await entitlementOf(t.ctx.db.db, buyer.userId);
    expect(entitlement).toMatchObject({ premium: true, ads: false, downloads: true });
    expect(entitlement.accessUntil).toEqual(new Date(period.end * 1000));

    const me = await t.app.inject({ method: 'GET', url: '/api/v1/billing/me', headers: buyer.auth });
    expect(me.json().subscriptions).toEqual([
      expect.objectContaining({ kind: 'recurring', status: 'active', provider: 'stripe' }),
    ]);
    await t.jobsDone();
    expect((await notificationsOf(buyer.userId)).map((n) => n.subject)).toContain('Payment received: USD 3.99');

    // A second card subscription is refused while this one runs.
    const second = await checkout(buyer, 'card-subscribe-02');
    expect(second.statusCode).toBe(409);
  });

  it('a checkout whose amount differs from the plan is not honoured', async () => {
    const { buyer, payment, session, ids } = await startCheckout('card-mismatch-01');
    stripe.completeSession(session.id, ids.subscription, nextId('in'));
    await deliverOk(stripeEvent('checkout.session.completed', { ...session, amount_total: 1 }, nowSec()));
    expect(await paymentRow(payment.id)).toMatchObject({ status: 'failed', failureReason: 'amount_mismatch' });
    expect((await entitlementOf(t.ctx.db.db, buyer.userId)).premium).toBe(false);
  });

  it('renewals: invoice.paid adds a payment and extends the period; a redelivery, even concurrent, adds nothing', async () => {
    const start = nowSec();
    const { buyer, ids } = await subscribed('card-renewal-01', { start, end: start + 30 * DAY });
    const renewal = stripeEvent(
      'invoice.paid',
      invoiceObject(ids, { reason: 'subscription_cycle', amount: 399, start: start + 30 * DAY, end: start + 60 * DAY }),
      start + 30 * DAY,
    );
    expect(await deliverOk(renewal)).toEqual({ received: true, applied: true });
    expect(await deliverOk(renewal)).toEqual({ received: true, applied: false });

    const renewals = () =>
      t.ctx.db.db
        .select()
        .from(payments)
        .where(and(eq(payments.userId, buyer.userId), eq(payments.kind, 'renewal')));
    expect(await renewals()).toEqual([
      expect.objectContaining({
        status: 'succeeded',
        amount: 399,
        currency: 'USD',
        periodEnd: new Date((start + 60 * DAY) * 1000),
      }),
    ]);
    expect((await subscriptionRow(ids.subscription))!.currentPeriodEnd).toEqual(new Date((start + 60 * DAY) * 1000));

    // Stripe may deliver the same event twice at once.
    const next = stripeEvent(
      'invoice.paid',
      invoiceObject(ids, { reason: 'subscription_cycle', amount: 399, start: start + 60 * DAY, end: start + 90 * DAY }),
      start + 60 * DAY,
    );
    const results = await Promise.all([deliver(next), deliver(next), deliver(next)]);
    expect(results.map((r) => r.statusCode)).toEqual([200, 200, 200]);
    expect(results.filter((r) => r.json().applied)).toHaveLength(1);
    expect(await renewals()).toHaveLength(2);
    const ledger = await t.ctx.db.db
      .select()
      .from(paymentEvents)
      .where(eq(paymentEvents.paymentId, (await renewals()).find((p) => p.invoiceId === next.data.object.id)!.id));
    expect(ledger).toHaveLength(1);

    // A free period (a coupon) is no payment, but still extends the subscription.
    const free = stripeEvent(
      'invoice.paid',
      invoiceObject(ids, { reason: 'subscription_cycle', amount: 0, start: start + 90 * DAY, end: start + 120 * DAY }),
      start + 90 * DAY,
    );
    expect(await deliverOk(free)).toEqual({ received: true, applied: true });
    expect(await renewals()).toHaveLength(2);
    expect((await subscriptionRow(ids.subscription))!.currentPeriodEnd).toEqual(new Date((start + 120 * DAY) * 1000));
  });

  it('invoice.payment_failed: past_due with a grace period from the failure, a reminder, then the expiry job ends access', async () => {
    const start = nowSec() - 29 * DAY;
    const paidEnd = start + 30 * DAY;
    const { buyer, ids } = await subscribed('card-failed-01', { start, end: paidEnd });
    // At renewal Stripe moves the subscription to the next (unpaid) period, then the charge fails.
    await deliverOk(
      stripeEvent(
        'customer.subscription.updated',
        subscriptionObject(ids, { status: 'active', start: paidEnd, end: paidEnd + 30 * DAY }),
        paidEnd,
      ),
    );
    const failedInvoice = {
      ...invoiceObject(ids, { reason: 'subscription_cycle', amount: 399, start: paidEnd, end: paidEnd + 30 * DAY }),
      amount_paid: 0,
      status: 'open',
    };
    await deliverOk(stripeEvent('invoice.payment_failed', failedInvoice, paidEnd + 60));
    await deliverOk(
      stripeEvent(
        'customer.subscription.updated',
        subscriptionObject(ids, { status: 'past_due', start: paidEnd, end: paidEnd + 30 * DAY }),
        paidEnd + 61,
      ),
    );

    const graceUntil = new Date((paidEnd + 60 + GRACE_DAYS * DAY) * 1000);
    expect(await subscriptionRow(ids.subscription)).toMatchObject({ status: 'past_due', graceUntil });
    // No renewal payment for a failed charge.
    expect(
      await t.ctx.db.db
        .select()
        .from(payments)
        .where(and(eq(payments.userId, buyer.userId), eq(payments.kind, 'renewal'))),
    ).toEqual([]);
    await t.jobsDone();
    const failedNotice = (await notificationsOf(buyer.userId)).find((n) => n.subject === 'Your card payment failed');
    expect(failedNotice).toMatchObject({ type: 'subscription', url: '/account/billing' });

    // Still watching during the grace period, and reminded once.
    const during = new Date(graceUntil.getTime() - DAY * 1000);
    expect((await entitlementOf(t.ctx.db.db, buyer.userId, during)).premium).toBe(true);
    const jobs = lifecycle();
    expect(await jobs.remind(during)).toBeGreaterThanOrEqual(1);
    expect((await notificationsOf(buyer.userId)).map((n) => n.subject)).toContain('Update your card to keep watching');
    expect(await jobs.expire(during)).toBe(0);
    expect((await subscriptionRow(ids.subscription))!.status).toBe('past_due');

    // Past the grace period the expiry job ends access.
    const after = new Date(graceUntil.getTime() + 1000);
    expect(await jobs.expire(after)).toBeGreaterThanOrEqual(1);
    expect((await subscriptionRow(ids.subscription))!.status).toBe('expired');
    expect((await entitlementOf(t.ctx.db.db, buyer.userId, after)).premium).toBe(false);
    // Access ended when the grace period did, not when the job noticed.
    const ended = await t.ctx.db.db
      .select()
      .from(subscriptionEvents)
      .where(and(eq(subscriptionEvents.userId, buyer.userId), eq(subscriptionEvents.type, 'ended')));
    expect(ended.map((e) => e.at)).toEqual([graceUntil]);
    await t.jobsDone();
  });

  it('a retried charge that succeeds ends the grace period; an older failure arriving late changes nothing', async () => {
    const start = nowSec() - 29 * DAY;
    const paidEnd = start + 30 * DAY;
    const { buyer, ids } = await subscribed('card-recover-01', { start, end: paidEnd });
    const next = { start: paidEnd, end: paidEnd + 30 * DAY };
    await deliverOk(
      stripeEvent(
        'invoice.paid',
        invoiceObject(ids, { reason: 'subscription_cycle', amount: 399, ...next }),
        paidEnd + 2 * DAY,
      ),
    );
    await deliverOk(
      stripeEvent(
        'invoice.payment_failed',
        { ...invoiceObject(ids, { reason: 'subscription_cycle', amount: 399, ...next }), amount_paid: 0 },
        paidEnd,
      ),
    );
    expect(await subscriptionRow(ids.subscription)).toMatchObject({
      status: 'active',
      graceUntil: null,
      currentPeriodEnd: new Date(next.end * 1000),
    });
    expect((await entitlementOf(t.ctx.db.db, buyer.userId)).premium).toBe(true);
  });

  it('events out of order end in the right state', async () => {
    const start = nowSec();
    const later = { start: start + 30 * DAY, end: start + 60 * DAY };

    // A newer subscription.updated (later period) before an older invoice.paid for the earlier one.
    const a = await subscribed('card-order-01', { start, end: start + 30 * DAY });
    await deliverOk(
      stripeEvent(
        'customer.subscription.updated',
        subscriptionObject(a.ids, { status: 'active', ...later }),
        start + 30 * DAY + 5,
      ),
    );
    await deliverOk(
      stripeEvent(
        'invoice.paid',
        invoiceObject(a.ids, {
          reason: 'subscription_cycle',
          amount: 399,
          start: start + 20 * DAY,
          end: start + 30 * DAY,
        }),
        start + 30 * DAY,
      ),
    );
    expect(await subscriptionRow(a.ids.subscription)).toMatchObject({
      status: 'active',
      currentPeriodEnd: new Date(later.end * 1000),
    });

    // deleted before an older updated: the subscription stays ended.
    const b = await subscribed('card-order-02', { start, end: start + 30 * DAY });
    await deliverOk(
      stripeEvent(
        'customer.subscription.deleted',
        subscriptionObject(b.ids, { status: 'canceled', start, end: start + 30 * DAY }),
        start + 100,
      ),
    );
    await deliverOk(
      stripeEvent(
        'customer.subscription.updated',
        subscriptionObject(b.ids, { status: 'active', start, end: start + 30 * DAY, cancelAtPeriodEnd: true }),
        start + 50,
      ),
    );
    expect(await subscriptionRow(b.ids.subscription)).toMatchObject({ status: 'canceled' });
    expect((await entitlementOf(t.ctx.db.db, b.buyer.userId)).premium).toBe(false);
    // Finance's access history: it started once and ended once, whatever the order.
    expect(await accessHistory(b.ids.subscription)).toEqual(['started', 'ended']);
    await t.jobsDone();
    expect((await notificationsOf(b.buyer.userId)).map((n) => n.subject)).toContain('Your card subscription has ended');

    // Stripe stamps events with whole seconds: subscription.created (still incomplete) may arrive
    // after the subscription.updated that activated it, with the same time. The older state loses.
    const c = await startCheckout('card-order-03');
    const period = { start, end: start + 30 * DAY };
    await deliverOk(
      stripeEvent('customer.subscription.updated', subscriptionObject(c.ids, { status: 'active', ...period }), start),
    );
    await deliverOk(
      stripeEvent(
        'customer.subscription.created',
        subscriptionObject(c.ids, { status: 'incomplete', ...period }),
        start,
      ),
    );
    expect(await subscriptionRow(c.ids.subscription)).toMatchObject({ status: 'active' });
    expect((await entitlementOf(t.ctx.db.db, c.buyer.userId)).premium).toBe(true);
    expect(await accessHistory(c.ids.subscription)).toEqual(['started']);

    // invoice.paid for the first invoice before the checkout and subscription events: one payment.
    const d = await startCheckout('card-order-04');
    const firstInvoice = invoiceObject(d.ids, { reason: 'subscription_create', amount: 399, ...period });
    stripe.completeSession(d.session.id, d.ids.subscription, firstInvoice.id as string);
    await deliverOk(stripeEvent('invoice.paid', firstInvoice, start));
    await deliverOk(stripeEvent('checkout.session.completed', { ...d.session }, start));
    await deliverOk(
      stripeEvent('customer.subscription.created', subscriptionObject(d.ids, { status: 'active', ...period }), start),
    );
    const rows = await t.ctx.db.db.select().from(payments).where(eq(payments.userId, d.buyer.userId));
    expect(rows).toEqual([expect.objectContaining({ id: d.payment.id, status: 'succeeded' })]);
    expect((await entitlementOf(t.ctx.db.db, d.buyer.userId)).premium).toBe(true);
  });

  it('the reconciler settles a checkout whose webhook never came, and access starts from the subscription at Stripe', async () => {
    const { buyer, payment, session, ids } = await startCheckout('card-reconcile-01');
    await lifecycle().reconcile(new Date(Date.now() + 3600_000));
    expect((await paymentRow(payment.id)).status).toBe('pending');
    const start = nowSec();
    const period = { start, end: start + 30 * DAY };
    stripe.subscriptions.set(ids.subscription, subscriptionObject(ids, { status: 'active', ...period }));
    const invoiceId = nextId('in');
    stripe.completeSession(session.id, ids.subscription, invoiceId);
    const retrievals = stripe.callsTo('GET', `/v1/checkout/sessions/${session.id}`).length;
    await lifecycle().reconcile(new Date(Date.now() + 6 * 3600_000));
    expect(stripe.callsTo('GET', `/v1/checkout/sessions/${session.id}`).length).toBeGreaterThan(retrievals);
    expect(stripe.callsTo('GET', `/v1/subscriptions/${ids.subscription}`)).toHaveLength(1);

    // No webhook has arrived, yet the viewer is subscribed.
    const sub = await subscriptionRow(ids.subscription);
    expect(sub).toMatchObject({
      userId: buyer.userId,
      kind: 'recurring',
      status: 'active',
      currentPeriodEnd: new Date(period.end * 1000),
      currency: 'USD',
      amount: 399,
    });
    expect(await paymentRow(payment.id)).toMatchObject({ status: 'succeeded', invoiceId, subscriptionId: sub!.id });
    expect((await entitlementOf(t.ctx.db.db, buyer.userId)).premium).toBe(true);

    // The events arrive late and in any order: one subscription, one payment, the newest state.
    const later = { start: start + 30 * DAY, end: start + 60 * DAY };
    await deliverOk(
      stripeEvent('customer.subscription.updated', subscriptionObject(ids, { status: 'active', ...later }), start + 2),
    );
    await deliverOk(
      stripeEvent('customer.subscription.created', subscriptionObject(ids, { status: 'incomplete', ...period }), start),
    );
    await deliverOk(
      stripeEvent(
        'invoice.paid',
        { ...invoiceObject(ids, { reason: 'subscription_create', amount: 399, ...period }), id: invoiceId },
        start,
      ),
    );
    await deliverOk(stripeEvent('checkout.session.completed', { ...session }, start));
    expect(await t.ctx.db.db.select().from(subscriptions).where(eq(subscriptions.userId, buyer.userId))).toEqual([
      expect.objectContaining({ status: 'active', currentPeriodEnd: new Date(later.end * 1000) }),
    ]);
    expect(await t.ctx.db.db.select().from(payments).where(eq(payments.userId, buyer.userId))).toHaveLength(1);
    const ledger = await t.ctx.db.db.select().from(paymentEvents).where(eq(paymentEvents.paymentId, payment.id));
    expect(ledger.filter((e) => e.type === 'succeeded')).toEqual([
      expect.objectContaining({ amount: 399, currency: 'USD', source: 'reconciler' }),
    ]);
  });

  it('checkout.session.completed alone starts access, from the subscription fetched from Stripe', async () => {
    const { buyer, payment, session, ids } = await startCheckout('card-session-only-01');
    const start = nowSec();
    stripe.subscriptions.set(
      ids.subscription,
      subscriptionObject(ids, { status: 'active', start, end: start + 30 * DAY }),
    );
    stripe.completeSession(session.id, ids.subscription, nextId('in'));
    await deliverOk(stripeEvent('checkout.session.completed', { ...session }, start));
    expect(await subscriptionRow(ids.subscription)).toMatchObject({ userId: buyer.userId, status: 'active' });
    expect((await paymentRow(payment.id)).status).toBe('succeeded');
    expect((await entitlementOf(t.ctx.db.db, buyer.userId)).premium).toBe(true);

    // Stripe down while the webhook is handled: a 5xx (Stripe redelivers) and nothing applied.
    const other = await startCheckout('card-session-only-02');
    stripe.completeSession(other.session.id, other.ids.subscription, nextId('in'));
    stripe.replyToNext('GET', `/v1/subscriptions/${other.ids.subscription}`, {
      status: 500,
      body: { error: { type: 'api_error', message: 'down' } },
    });
    const event = stripeEvent('checkout.session.completed', { ...other.session }, start);
    const failed = await deliver(event);
    expect(failed.statusCode).toBe(500);
    expect(await eventApplied(event.id)).toBe(false);
    expect((await paymentRow(other.payment.id)).status).toBe('pending');
    expect(await deliverOk(event)).toEqual({ received: true, applied: true });
    expect((await entitlementOf(t.ctx.db.db, other.buyer.userId)).premium).toBe(true);
  });

  describe('refunds', () => {
    let finance: SignedIn;
    beforeAll(async () => {
      finance = await signInStaff(t, ['finance']);
    });
    const refund = (paymentId: string, body: Record<string, unknown>) =>
      t.app.inject({
        method: 'POST',
        url: `/api/v1/admin/billing/payments/${paymentId}/refunds`,
        headers: finance.auth,
        payload: { reason: 'viewer asked', ...body },
      });
    const intentOf = (paymentId: string) =>
      paymentRow(paymentId).then((row) => stripe.invoices.get(row.invoiceId!)!.payment_intent);
    const refundsAt = (intent: string) => [...stripe.refunds.values()].filter((r) => r.payment_intent === intent);

    it('a partial refund goes to Stripe and keeps access; the full rest cancels the subscription and ends access', async () => {
      const start = nowSec();
      const { buyer, payment, ids } = await subscribed('card-refund-01', { start, end: start + 30 * DAY });
      const intent = await intentOf(payment.id);

      const partial = await refund(payment.id, { amount: 100, idempotencyKey: 'card-refund-01-a' });
      expect(partial.statusCode, partial.body).toBe(200);
      const first = partial.json();
      expect(first).toMatchObject({
        payment: { status: 'succeeded', refundedAmount: 100 },
        refund: { amount: 100, currency: 'USD', status: 'succeeded', providerRefundId: expect.stringMatching(/^re_/) },
        followUp: null,
      });
      const [call] = stripe.callsTo('POST', '/v1/refunds').filter((c) => c.form.payment_intent === intent);
      expect(call!.form).toMatchObject({ payment_intent: intent, amount: '100', reason: 'requested_by_customer' });
      expect(call!.headers['idempotency-key']).toBe(`refund-${first.refund.id}`);
      expect(refundsAt(intent).map((r) => r.amount)).toEqual([100]);
      expect((await subscriptionRow(ids.subscription))!.status).toBe('active');
      expect((await entitlementOf(t.ctx.db.db, buyer.userId)).premium).toBe(true);

      const rest = await refund(payment.id, { amount: 299 });
      expect(rest.statusCode, rest.body).toBe(200);
      expect(rest.json()).toMatchObject({ payment: { status: 'refunded', refundedAmount: 399 }, followUp: null });
      expect(refundsAt(intent).map((r) => r.amount)).toEqual([100, 299]);
      expect(stripe.callsTo('DELETE', `/v1/subscriptions/${ids.subscription}`)).toHaveLength(1);
      expect(stripe.subscriptions.get(ids.subscription)!.status).toBe('canceled');
      expect(await subscriptionRow(ids.subscription)).toMatchObject({ status: 'canceled' });
      expect((await entitlementOf(t.ctx.db.db, buyer.userId)).premium).toBe(false);

      // Stripe's own events about it arrive afterwards and change nothing; a stale "active" never revives it.
      await deliverOk(
        stripeEvent(
          'customer.subscription.updated',
          subscriptionObject(ids, { status: 'active', start, end: start + 30 * DAY }),
          nowSec() + 5,
        ),
      );
      await deliverOk(
        stripeEvent(
          'customer.subscription.deleted',
          subscriptionObject(ids, { status: 'canceled', start, end: start + 30 * DAY }),
          nowSec() + 6,
        ),
      );
      expect(await subscriptionRow(ids.subscription)).toMatchObject({ status: 'canceled' });
      expect((await entitlementOf(t.ctx.db.db, buyer.userId)).premium).toBe(false);

      // Every refund is in the ledger, in dollars (cents).
      const ledger = await t.ctx.db.db.select().from(paymentEvents).where(eq(paymentEvents.paymentId, payment.id));
      expect(ledger.filter((e) => e.type === 'refund').map((e) => [e.amount, e.currency])).toEqual([
        [100, 'USD'],
        [299, 'USD'],
      ]);
      expect(ledger.filter((e) => e.type === 'subscription_canceled')).toHaveLength(1);
      expect(await accessHistory(ids.subscription)).toEqual(['started', 'ended']);

      // Repeating the first request is the same refund: nothing more goes to the card.
      const replay = await refund(payment.id, { amount: 100, idempotencyKey: 'card-refund-01-a' });
      expect(replay.statusCode).toBe(200);
      expect(replay.json().refund.id).toBe(first.refund.id);
      expect(refundsAt(intent)).toHaveLength(2);
    });

    it('a refund Stripe refuses releases the amount; one Stripe did not confirm is completed by sending it again', async () => {
      const start = nowSec();
      const { buyer, payment } = await subscribed('card-refund-02', { start, end: start + 30 * DAY });
      const intent = await intentOf(payment.id);

      stripe.replyToNext('POST', '/v1/refunds', {
        status: 400,
        body: { error: { type: 'invalid_request_error', message: 'charge disputed' } },
      });
      const refused = await refund(payment.id, { amount: 399, idempotencyKey: 'card-refund-02-a' });
      expect(refused.statusCode).toBe(502);
      expect(refused.json().error).toMatchObject({
        code: 'PAYMENT_PROVIDER_ERROR',
        details: { refundStatus: 'failed' },
      });
      expect(await paymentRow(payment.id)).toMatchObject({ status: 'succeeded', refundedAmount: 0 });
      // The refused refund stays refused; a retry under its key is told to start a new one.
      const stale = await refund(payment.id, { amount: 399, idempotencyKey: 'card-refund-02-a' });
      expect(stale.statusCode).toBe(409);
      expect(stale.json().error).toMatchObject({ code: 'CONFLICT', details: { refundStatus: 'failed' } });
      expect(refundsAt(intent)).toEqual([]);
      expect((await entitlementOf(t.ctx.db.db, buyer.userId)).premium).toBe(true);

      stripe.replyToNext('POST', '/v1/refunds', {
        status: 503,
        body: { error: { type: 'api_error', message: 'unavailable' } },
      });
      const lost = await refund(payment.id, { amount: 150, idempotencyKey: 'card-refund-02-b' });
      expect(lost.statusCode).toBe(502);
      expect(lost.json().error).toMatchObject({
        code: 'PAYMENT_PROVIDER_ERROR',
        message: expect.stringMatching(/send the same refund again/),
        details: { refundStatus: 'pending' },
      });
      // The amount stays reserved: nothing else may take it meanwhile.
      expect((await paymentRow(payment.id)).refundedAmount).toBe(150);
      expect((await refund(payment.id, { amount: 300 })).statusCode).toBe(400);

      const again = await refund(payment.id, { amount: 150, idempotencyKey: 'card-refund-02-b' });
      expect(again.statusCode, again.body).toBe(200);
      expect(again.json().refund).toMatchObject({ status: 'succeeded', amount: 150 });
      expect(refundsAt(intent).map((r) => r.amount)).toEqual([150]);
      expect((await paymentRow(payment.id)).refundedAmount).toBe(150);

      const ledger = await t.ctx.db.db.select().from(paymentEvents).where(eq(paymentEvents.paymentId, payment.id));
      expect(ledger.map((e) => e.type)).toEqual(
        expect.arrayContaining(['refund_requested', 'refund_failed', 'refund_unconfirmed', 'refund']),
      );
      expect(ledger.filter((e) => e.type === 'refund').map((e) => e.amount)).toEqual([150]);
    });

    it('a full refund after the viewer already cancelled at Stripe ends access without a second cancellation', async () => {
      const start = nowSec();
      const { buyer, payment, ids } = await subscribed('card-refund-04', { start, end: start + 30 * DAY });
      // Cancelled in the Customer Portal; the webhook has not arrived yet.
      stripe.subscriptions.get(ids.subscription)!.status = 'canceled';
      const res = await refund(payment.id, { amount: 399 });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ payment: { status: 'refunded' }, followUp: null });
      expect(await subscriptionRow(ids.subscription)).toMatchObject({ status: 'canceled' });
      expect((await entitlementOf(t.ctx.db.db, buyer.userId)).premium).toBe(false);
      const ledger = await t.ctx.db.db.select().from(paymentEvents).where(eq(paymentEvents.paymentId, payment.id));
      expect(ledger.filter((e) => e.type === 'subscription_canceled')).toHaveLength(1);
    });

    it('when Stripe does not confirm the cancellation, finance is told, and sending the refund again retries it', async () => {
      const start = nowSec();
      const { payment, ids } = await subscribed('card-refund-05', { start, end: start + 30 * DAY });
      stripe.replyToNext('DELETE', `/v1/subscriptions/${ids.subscription}`, {
        status: 503,
        body: { error: { type: 'api_error', message: 'unavailable' } },
      });
      const first = await refund(payment.id, { amount: 399, idempotencyKey: 'card-refund-05-a' });
      expect(first.statusCode, first.body).toBe(200);
      expect(first.json()).toMatchObject({
        payment: { status: 'refunded' },
        followUp: expect.stringMatching(/did not confirm cancelling/),
      });
      expect(stripe.subscriptions.get(ids.subscription)!.status).toBe('active');
      const again = await refund(payment.id, { amount: 399, idempotencyKey: 'card-refund-05-a' });
      expect(again.json()).toMatchObject({ payment: { status: 'refunded' }, followUp: null });
      expect(stripe.subscriptions.get(ids.subscription)!.status).toBe('canceled');
      expect([...stripe.refunds.values()].filter((r) => r.metadata.paymentId === payment.id)).toHaveLength(1);
    });

    it('concurrent refunds never send more than was paid to Stripe', async () => {
      const start = nowSec();
      const { payment } = await subscribed('card-refund-03', { start, end: start + 30 * DAY });
      const intent = await intentOf(payment.id);
      const results = await Promise.all([1, 2, 3].map(() => refund(payment.id, { amount: 150 })));
      expect(results.map((r) => r.statusCode).sort()).toEqual([200, 200, 400]);
      expect(refundsAt(intent).map((r) => r.amount)).toEqual([150, 150]);
      expect((await paymentRow(payment.id)).refundedAmount).toBe(300);
    });
  });

  it('a Checkout Session Stripe refuses fails the payment; one that never answered is failed after the pending timeout', async () => {
    const refusedBuyer = await registerViewer(t);
    stripe.replyToNext('POST', '/v1/checkout/sessions', {
      status: 400,
      body: { error: { type: 'invalid_request_error', message: 'Invalid currency: xyz' } },
    });
    const refused = await checkout(refusedBuyer, 'card-refused-01');
    expect(refused.statusCode).toBe(502);
    expect(refused.json().error.code).toBe('PAYMENT_PROVIDER_ERROR');
    const [refusedRow] = await t.ctx.db.db.select().from(payments).where(eq(payments.userId, refusedBuyer.userId));
    expect(refusedRow).toMatchObject({ status: 'failed', failureReason: 'refused by the provider' });

    const buyer = await registerViewer(t);
    stripe.replyToNext('POST', '/v1/checkout/sessions', {
      status: 503,
      body: { error: { type: 'api_error', message: 'Service unavailable' } },
    });
    const lost = await checkout(buyer, 'card-outage-01');
    expect(lost.statusCode).toBe(502);
    const [row] = await t.ctx.db.db.select().from(payments).where(eq(payments.userId, buyer.userId));
    expect(row).toMatchObject({ status: 'pending', providerReference: null });
    // Nothing to ask Stripe about: the reconciler backs off, then gives up after the pending timeout.
    await lifecycle().reconcile(new Date(Date.now() + 3600_000));
    const waiting = await paymentRow(row!.id);
    expect(waiting).toMatchObject({ status: 'pending', checkAttempts: 1 });
    expect(waiting.nextCheckAt!.getTime()).toBeGreaterThan(Date.now() + 3600_000);
    await lifecycle().reconcile(new Date(Date.now() + 25 * 3600_000));
    expect(await paymentRow(row!.id)).toMatchObject({ status: 'failed', failureReason: 'not approved in time' });
  });
});
