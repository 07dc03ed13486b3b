import { paymentEvents, payments, subscriptions } from '@kush/db';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerViewer, signInStaff, type SignedIn, uniquePhone } from '../../testing/factories';
import { createTestApp, type TestApp } from '../../testing/harness';
import { entitlementOf } from '../playback';
import { createBilling } from './index';
import { BillingLifecycle } from './lifecycle.service';
import { seedPlans } from './plans.service';
import { airtelCallbackHash, airtelTransactionId } from './providers/airtel';
import { momoReferenceId } from './providers/momo';
import { LogSmsSender } from './sms';
import { type AirtelDouble, startAirtelDouble } from './testing/airtel-double';
import { jsonOf } from './testing/http-double';
import { type MomoDouble, startMomoDouble } from './testing/momo-double';

const backings = process.env.TEST_DATABASE_URL ? (['embedded', 'servers'] as const) : (['embedded'] as const);

const MOMO = {
  subscriptionKey: 'momo-subscription-key',
  apiUser: '7f1c1a2e-5b7d-4c1e-9a51-0f3f6b0d9e11',
  apiKey: 'momo-api-key',
  targetEnvironment: 'mtnuganda',
};
const AIRTEL = { clientId: 'airtel-client', clientSecret: 'airtel-secret' };
const AIRTEL_CALLBACK_SECRET = 'airtel-callback-hash-key';

describe.each(backings)('mobile money against MTN MoMo and Airtel Money doubles (%s)', (backing) => {
  let t: TestApp;
  let momo: MomoDouble;
  let airtel: AirtelDouble;
  let planId: string;

  beforeAll(async () => {
    momo = await startMomoDouble(MOMO);
    airtel = await startAirtelDouble(AIRTEL);
    t = await createTestApp({
      backing,
      env: {
        PAYMENT_PROVIDERS: 'mtn_momo,airtel_money',
        MOMO_API_BASE: momo.url,
        MOMO_TARGET_ENVIRONMENT: MOMO.targetEnvironment,
        MOMO_SUBSCRIPTION_KEY: MOMO.subscriptionKey,
        MOMO_API_USER: MOMO.apiUser,
        MOMO_API_KEY: MOMO.apiKey,
        AIRTEL_API_BASE: airtel.url,
        AIRTEL_CLIENT_ID: AIRTEL.clientId,
        AIRTEL_CLIENT_SECRET: AIRTEL.clientSecret,
        AIRTEL_CALLBACK_SECRET,
      },
    });
    await seedPlans(t.ctx.db.db);
    const plans = await t.app.inject({ method: 'GET', url: '/api/v1/billing/plans' });
    planId = plans.json<{ items: { id: string; code: string }[] }>().items.find((p) => p.code === 'premium-month')!.id;
  });
  afterAll(async () => {
    await t?.close();
    await momo?.close();
    await airtel?.close();
  });

  const checkout = (who: SignedIn, payload: Record<string, unknown>) =>
    t.app.inject({ method: 'POST', url: '/api/v1/billing/checkout', headers: who.auth, payload });
  const paymentRow = async (id: string) => (await t.ctx.db.db.select().from(payments).where(eq(payments.id, id)))[0]!;
  const passOf = async (userId: string) =>
    (await t.ctx.db.db.select().from(subscriptions).where(eq(subscriptions.userId, userId)))[0];
  const callback = (provider: string, payload: unknown, method: 'POST' | 'PUT' = 'POST') =>
    t.app.inject({
      method,
      url: `/api/v1/billing/callbacks/${provider}`,
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify(payload),
    });
  const statusQueries = (referenceId: string) =>
    momo.requests('GET', `/collection/v1_0/requesttopay/${referenceId}`).length;

  async function momoCheckout(key: string) {
    const buyer = await registerViewer(t);
    const phone = uniquePhone();
    const res = await checkout(buyer, { planId, provider: 'mtn_momo', phone, idempotencyKey: key });
    expect(res.statusCode, res.body).toBe(201);
    const payment = res.json<{ payment: { id: string } }>().payment;
    return { buyer, phone, payment, res, referenceId: momoReferenceId(payment.id) };
  }

  describe('MTN MoMo', () => {
    it('checkout by MoMo number sends one request-to-pay with an idempotent X-Reference-Id', async () => {
      const { buyer, phone, payment, res, referenceId } = await momoCheckout('momo-checkout-01');
      expect(res.json()).toMatchObject({
        payment: { status: 'pending', provider: 'mtn_momo', amount: 15000, currency: 'UGX' },
        nextAction: { type: 'approve_on_phone', message: expect.stringContaining('UGX 15,000') },
      });

      const token = momo.requests('POST', '/collection/token/').at(-1)!;
      expect(token.headers.authorization).toBe(
        `Basic ${Buffer.from(`${MOMO.apiUser}:${MOMO.apiKey}`).toString('base64')}`,
      );
      expect(token.headers['ocp-apim-subscription-key']).toBe(MOMO.subscriptionKey);

      const sent = momo.requests('POST', '/collection/v1_0/requesttopay').filter((r) => {
        return jsonOf(r).externalId === payment.id;
      });
      expect(sent).toHaveLength(1);
      const request = sent[0]!;
      expect(request.headers['x-reference-id']).toBe(referenceId);
      expect(request.headers['x-target-environment']).toBe(MOMO.targetEnvironment);
      expect(request.headers['ocp-apim-subscription-key']).toBe(MOMO.subscriptionKey);
      expect(request.headers.authorization).toMatch(/^Bearer .+/);
      expect(request.headers['x-callback-url']).toBe(`${t.config.PUBLIC_API_URL}/api/v1/billing/callbacks/mtn_momo`);
      expect(jsonOf(request)).toEqual({
        amount: '15000',
        currency: 'UGX',
        externalId: payment.id,
        payer: { partyIdType: 'MSISDN', partyId: phone.slice(1) },
        payerMessage: expect.stringContaining('Premium'),
        payeeNote: 'Kush Films premium-month',
      });
      expect((await paymentRow(payment.id)).providerReference).toBe(referenceId);

      // A retry and a double-click with the same key: the same payment, and no second prompt on the phone.
      const body = { planId, provider: 'mtn_momo', phone, idempotencyKey: 'momo-checkout-01' };
      const [again, concurrent] = await Promise.all([checkout(buyer, body), checkout(buyer, body)]);
      for (const r of [again, concurrent]) {
        expect(r.statusCode, r.body).toBe(201);
        expect(r.json()).toMatchObject({ payment: { id: payment.id, status: 'pending' } });
        expect(r.json().nextAction.type).toBe('approve_on_phone');
      }
      expect(
        momo
          .requests('POST', '/collection/v1_0/requesttopay')
          .filter((r) => r.headers['x-reference-id'] === referenceId),
      ).toHaveLength(1);
      expect(await t.ctx.db.db.select().from(payments).where(eq(payments.userId, buyer.userId))).toHaveLength(1);
    });

    it('a double-click on a fresh key sends one request-to-pay', async () => {
      const buyer = await registerViewer(t);
      const body = { planId, provider: 'mtn_momo', phone: uniquePhone(), idempotencyKey: 'momo-double-click' };
      const [a, b] = await Promise.all([checkout(buyer, body), checkout(buyer, body)]);
      expect([a.statusCode, b.statusCode]).toEqual([201, 201]);
      expect(a.json().payment.id).toBe(b.json().payment.id);
      const referenceId = momoReferenceId(a.json().payment.id);
      expect(
        momo
          .requests('POST', '/collection/v1_0/requesttopay')
          .filter((r) => r.headers['x-reference-id'] === referenceId),
      ).toHaveLength(1);
    });

    it('a callback makes the API ask MTN; SUCCESSFUL with the right amount extends the pass once', async () => {
      const { buyer, payment, referenceId } = await momoCheckout('momo-success-01');
      momo.settle(referenceId, 'SUCCESSFUL');
      const before = statusQueries(referenceId);
      const res = await callback('mtn_momo', momo.callbackFor(referenceId));
      expect(res.statusCode, res.body).toBe(200);
      expect(statusQueries(referenceId)).toBe(before + 1);

      const row = await paymentRow(payment.id);
      expect(row.status).toBe('succeeded');
      const pass = (await passOf(buyer.userId))!;
      expect(pass).toMatchObject({ kind: 'pass', status: 'active', provider: 'mtn_momo', planCode: 'premium-month' });
      expect(pass.currentPeriodEnd.getTime()).toBe(row.periodEnd!.getTime());
      expect(row.periodEnd!.getTime() - row.periodStart!.getTime()).toBeGreaterThanOrEqual(28 * 86_400_000);
      const entitlement = await entitlementOf(t.ctx.db.db, buyer.userId);
      expect(entitlement).toMatchObject({ premium: true, ads: false });
      expect(entitlement.accessUntil!.getTime()).toBe(pass.currentPeriodEnd.getTime());
      const ledger = await t.ctx.db.db.select().from(paymentEvents).where(eq(paymentEvents.paymentId, payment.id));
      expect(ledger.map((e) => e.type).sort()).toEqual(['created', 'requested', 'succeeded']);
      expect(ledger.find((e) => e.type === 'succeeded')).toMatchObject({ source: 'callback', amount: 15000 });

      // MTN may call twice (and sends PUT as well as POST): the pass is extended once.
      expect((await callback('mtn_momo', momo.callbackFor(referenceId), 'PUT')).statusCode).toBe(200);
      expect((await callback('mtn_momo', momo.callbackFor(referenceId))).statusCode).toBe(200);
      expect((await passOf(buyer.userId))!.currentPeriodEnd.getTime()).toBe(pass.currentPeriodEnd.getTime());
      await t.jobsDone();
    });

    it('a full refund is recorded as manual (MTN is not asked), ends the pass and names the number to repay', async () => {
      const finance = await signInStaff(t, ['finance']);
      const { buyer, phone, payment, referenceId } = await momoCheckout('momo-refund-01');
      momo.settle(referenceId, 'SUCCESSFUL');
      expect((await callback('mtn_momo', momo.callbackFor(referenceId))).statusCode).toBe(200);
      expect((await entitlementOf(t.ctx.db.db, buyer.userId)).premium).toBe(true);
      const requestsBefore = momo.received.length;

      const res = await t.app.inject({
        method: 'POST',
        url: `/api/v1/admin/billing/payments/${payment.id}/refunds`,
        headers: finance.auth,
        payload: { amount: 15000, reason: 'charged by mistake' },
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({
        payment: { status: 'refunded', refundedAmount: 15000 },
        refund: { status: 'manual', currency: 'UGX', amount: 15000 },
        followUp: expect.stringContaining(phone),
      });
      // Collections credentials cannot send money back: nothing went to MTN.
      expect(momo.received.length).toBe(requestsBefore);
      expect((await passOf(buyer.userId))!.status).toBe('expired');
      expect((await entitlementOf(t.ctx.db.db, buyer.userId)).premium).toBe(false);
      const ledger = await t.ctx.db.db.select().from(paymentEvents).where(eq(paymentEvents.paymentId, payment.id));
      expect(ledger.find((e) => e.type === 'refund')).toMatchObject({
        amount: 15000,
        currency: 'UGX',
        toStatus: 'refunded',
        data: expect.objectContaining({ method: 'manual' }),
      });
    });

    it('a forged callback changes nothing: unknown payment, a claim MTN does not confirm', async () => {
      const unknown = await callback('mtn_momo', {
        externalId: '0190b6c4-0000-7000-8000-000000000000',
        amount: '15000',
        currency: 'UGX',
        status: 'SUCCESSFUL',
      });
      expect(unknown.statusCode).toBe(404);
      const garbage = await callback('mtn_momo', { externalId: 'not-a-payment', status: 'SUCCESSFUL' });
      expect(garbage.statusCode).toBe(404);

      // The body says SUCCESSFUL (for another amount), MTN says PENDING: still pending, no pass.
      const { buyer, payment, referenceId } = await momoCheckout('momo-forged-01');
      for (const claims of [{ status: 'SUCCESSFUL' }, { status: 'SUCCESSFUL', amount: '1' }]) {
        const res = await callback('mtn_momo', momo.callbackFor(referenceId, claims));
        expect(res.statusCode).toBe(200);
      }
      expect((await paymentRow(payment.id)).status).toBe('pending');
      expect(await passOf(buyer.userId)).toBeUndefined();

      // A callback's amount is never what counts: MTN's answer for the plan's amount settles it.
      momo.settle(referenceId, 'SUCCESSFUL');
      expect((await callback('mtn_momo', momo.callbackFor(referenceId, { amount: '1' }))).statusCode).toBe(200);
      expect(await paymentRow(payment.id)).toMatchObject({ status: 'succeeded', amount: 15000 });
      const ledger = await t.ctx.db.db.select().from(paymentEvents).where(eq(paymentEvents.paymentId, payment.id));
      expect(ledger.find((e) => e.type === 'succeeded')).toMatchObject({ amount: 15000, currency: 'UGX' });
    });

    it('SUCCESSFUL for another amount than the plan is not honoured', async () => {
      const { buyer, payment, referenceId } = await momoCheckout('momo-amount-01');
      momo.settle(referenceId, 'SUCCESSFUL', { reportedAmount: '1500' });
      expect((await callback('mtn_momo', momo.callbackFor(referenceId, { amount: '15000' }))).statusCode).toBe(200);
      const row = await paymentRow(payment.id);
      expect(row).toMatchObject({ status: 'failed', failureReason: 'amount_mismatch' });
      expect((await entitlementOf(t.ctx.db.db, buyer.userId)).premium).toBe(false);
      expect(await passOf(buyer.userId)).toBeUndefined();
    });

    it('FAILED at MTN marks the payment failed and grants nothing', async () => {
      const { buyer, payment, referenceId } = await momoCheckout('momo-failed-01');
      momo.settle(referenceId, 'FAILED');
      expect((await callback('mtn_momo', momo.callbackFor(referenceId))).statusCode).toBe(200);
      expect(await paymentRow(payment.id)).toMatchObject({ status: 'failed', failureReason: 'APPROVAL_REJECTED' });
      expect((await entitlementOf(t.ctx.db.db, buyer.userId)).premium).toBe(false);
      const view = await t.app.inject({
        method: 'GET',
        url: `/api/v1/billing/payments/${payment.id}`,
        headers: buyer.auth,
      });
      expect(view.json()).toMatchObject({ status: 'failed' });
    });

    it('the reconciler resolves a payment whose callback never came, from the status query', async () => {
      const { buyer, payment, referenceId } = await momoCheckout('momo-reconcile-01');
      momo.settle(referenceId, 'SUCCESSFUL');
      const { billing, notifications } = createBilling(t.ctx);
      const lifecycle = new BillingLifecycle(t.ctx.db.db, billing, notifications, new LogSmsSender(), {
        reminderDays: 3,
      });
      const before = statusQueries(referenceId);
      await lifecycle.reconcile(new Date(Date.now() + 3600_000));
      expect(statusQueries(referenceId)).toBe(before + 1);
      expect(await paymentRow(payment.id)).toMatchObject({ status: 'succeeded', nextCheckAt: null });
      expect((await entitlementOf(t.ctx.db.db, buyer.userId)).premium).toBe(true);
      const ledger = await t.ctx.db.db.select().from(paymentEvents).where(eq(paymentEvents.paymentId, payment.id));
      expect(ledger.find((e) => e.type === 'succeeded')!.source).toBe('reconciler');
    });

    it('a request-to-pay whose answer was lost is still settled by the reconciler', async () => {
      momo.loseNextAnswer();
      const buyer = await registerViewer(t);
      const res = await checkout(buyer, {
        planId,
        provider: 'mtn_momo',
        phone: uniquePhone(),
        idempotencyKey: 'momo-lost-answer',
      });
      expect(res.statusCode).toBe(502);
      const [row] = await t.ctx.db.db.select().from(payments).where(eq(payments.userId, buyer.userId));
      expect(row).toMatchObject({ status: 'pending', providerReference: momoReferenceId(row!.id) });
      // MTN did take the request, and the viewer approved it on the phone.
      momo.settle(momoReferenceId(row!.id), 'SUCCESSFUL');
      const { billing, notifications } = createBilling(t.ctx);
      const lifecycle = new BillingLifecycle(t.ctx.db.db, billing, notifications, new LogSmsSender(), {
        reminderDays: 3,
      });
      await lifecycle.reconcile(new Date(Date.now() + 3600_000));
      expect((await paymentRow(row!.id)).status).toBe('succeeded');
      expect((await entitlementOf(t.ctx.db.db, buyer.userId)).premium).toBe(true);
    });

    it('an access token MTN stopped accepting is replaced, not turned into a failed payment', async () => {
      await momoCheckout('momo-token-00');
      const issued = momo.requests('POST', '/collection/token/').length;
      momo.revokeTokens();
      const { payment, referenceId } = await momoCheckout('momo-token-01');
      expect(momo.requests('POST', '/collection/token/')).toHaveLength(issued + 1);
      expect((await paymentRow(payment.id)).status).toBe('pending');
      expect(momo.transactions.get(referenceId)).toBeDefined();
    });

    it('a request-to-pay MTN refuses fails the payment', async () => {
      momo.replyToNextRequestToPay({ status: 400, body: { code: 'PAYER_NOT_FOUND', message: 'Payer not found' } });
      const buyer = await registerViewer(t);
      const res = await checkout(buyer, {
        planId,
        provider: 'mtn_momo',
        phone: uniquePhone(),
        idempotencyKey: 'momo-refused-01',
      });
      expect(res.statusCode).toBe(502);
      expect(res.json().error.code).toBe('PAYMENT_PROVIDER_ERROR');
      const [row] = await t.ctx.db.db.select().from(payments).where(eq(payments.userId, buyer.userId));
      expect(row!.status).toBe('failed');
    });
  });

  describe('Airtel Money', () => {
    async function airtelCheckout(key: string) {
      const buyer = await registerViewer(t);
      const phone = uniquePhone();
      const res = await checkout(buyer, { planId, provider: 'airtel_money', phone, idempotencyKey: key });
      expect(res.statusCode, res.body).toBe(201);
      const payment = res.json<{ payment: { id: string } }>().payment;
      return { buyer, phone, payment, res, transactionId: airtelTransactionId(payment.id) };
    }
    const signed = (transaction: Record<string, unknown>, secret = AIRTEL_CALLBACK_SECRET) => ({
      transaction,
      hash: airtelCallbackHash(secret, transaction),
    });
    const enquiries = (id: string) => airtel.requests('GET', `/standard/v1/payments/${id}`).length;

    it('checkout sends one USSD push to the subscriber, in UGX, with our transaction id', async () => {
      const { buyer, phone, payment, res, transactionId } = await airtelCheckout('airtel-checkout-01');
      expect(res.json()).toMatchObject({
        payment: { status: 'pending', provider: 'airtel_money', amount: 15000 },
        nextAction: { type: 'approve_on_phone' },
      });
      const token = airtel.requests('POST', '/auth/oauth2/token').at(-1)!;
      expect(jsonOf(token)).toEqual({
        client_id: AIRTEL.clientId,
        client_secret: AIRTEL.clientSecret,
        grant_type: 'client_credentials',
      });
      const pushes = airtel
        .requests('POST', '/merchant/v1/payments/')
        .filter((r) => jsonOf<{ transaction: { id: string } }>(r).transaction.id === transactionId);
      expect(pushes).toHaveLength(1);
      expect(pushes[0]!.headers).toMatchObject({
        'x-country': 'UG',
        'x-currency': 'UGX',
        authorization: expect.stringMatching(/^Bearer .+/),
      });
      expect(jsonOf(pushes[0]!)).toEqual({
        reference: 'Kush Films premium-month',
        subscriber: { country: 'UG', currency: 'UGX', msisdn: phone.slice(4) },
        transaction: { amount: 15000, country: 'UG', currency: 'UGX', id: transactionId },
      });

      // A retry with the same key does not push again (Airtel would refuse the duplicate id).
      const again = await checkout(buyer, {
        planId,
        provider: 'airtel_money',
        phone,
        idempotencyKey: 'airtel-checkout-01',
      });
      expect(again.statusCode, again.body).toBe(201);
      expect(again.json().payment).toMatchObject({ id: payment.id, status: 'pending' });
      expect(
        airtel
          .requests('POST', '/merchant/v1/payments/')
          .filter((r) => jsonOf<{ transaction: { id: string } }>(r).transaction.id === transactionId),
      ).toHaveLength(1);
      expect((await paymentRow(payment.id)).status).toBe('pending');
    });

    it('a callback with a bad or missing hash changes nothing and asks Airtel nothing', async () => {
      const { buyer, payment, transactionId } = await airtelCheckout('airtel-badhash-01');
      airtel.settle(transactionId, 'TS');
      const transaction = airtel.callbackTransaction(transactionId);
      for (const payload of [
        signed(transaction, 'someone-elses-key'),
        { transaction },
        { transaction, hash: airtelCallbackHash(AIRTEL_CALLBACK_SECRET, { ...transaction, status_code: 'TF' }) },
      ]) {
        const res = await callback('airtel_money', payload);
        expect(res.statusCode).toBe(403);
      }
      expect(enquiries(transactionId)).toBe(0);
      expect((await paymentRow(payment.id)).status).toBe('pending');
      expect((await entitlementOf(t.ctx.db.db, buyer.userId)).premium).toBe(false);
    });

    it('a signed callback triggers a status enquiry; TS extends the pass', async () => {
      const { buyer, payment, transactionId } = await airtelCheckout('airtel-success-01');
      airtel.settle(transactionId, 'TS');
      const res = await callback('airtel_money', signed(airtel.callbackTransaction(transactionId)));
      expect(res.statusCode, res.body).toBe(200);
      expect(enquiries(transactionId)).toBe(1);
      const enquiry = airtel.requests('GET', `/standard/v1/payments/${transactionId}`)[0]!;
      expect(enquiry.headers).toMatchObject({ 'x-country': 'UG', 'x-currency': 'UGX' });
      expect(await paymentRow(payment.id)).toMatchObject({ status: 'succeeded' });
      expect(await passOf(buyer.userId)).toMatchObject({ status: 'active', provider: 'airtel_money' });
      expect((await entitlementOf(t.ctx.db.db, buyer.userId)).premium).toBe(true);
    });

    it('a signed callback claiming success while Airtel says TF fails the payment', async () => {
      const { buyer, payment, transactionId } = await airtelCheckout('airtel-failed-01');
      airtel.settle(transactionId, 'TF');
      const forged = { ...airtel.callbackTransaction(transactionId), status_code: 'TS' };
      expect((await callback('airtel_money', signed(forged))).statusCode).toBe(200);
      expect(enquiries(transactionId)).toBe(1);
      expect(await paymentRow(payment.id)).toMatchObject({ status: 'failed' });
      expect((await entitlementOf(t.ctx.db.db, buyer.userId)).premium).toBe(false);
    });

    it('a callback for a transaction we never started is a 404', async () => {
      const transaction = {
        id: 'ffffffffffffffffffffffffffffffff',
        message: 'Paid',
        status_code: 'TS',
        airtel_money_id: 'X',
      };
      const res = await callback('airtel_money', signed(transaction));
      expect(res.statusCode).toBe(404);
      expect(enquiries(transaction.id)).toBe(0);
    });

    it('the reconciler settles a push still in progress once Airtel reports it', async () => {
      const { buyer, payment, transactionId } = await airtelCheckout('airtel-reconcile-01');
      const { billing, notifications } = createBilling(t.ctx);
      const lifecycle = new BillingLifecycle(t.ctx.db.db, billing, notifications, new LogSmsSender(), {
        reminderDays: 3,
      });
      await lifecycle.reconcile(new Date(Date.now() + 3600_000));
      expect((await paymentRow(payment.id)).status).toBe('pending');
      airtel.settle(transactionId, 'TS');
      await lifecycle.reconcile(new Date(Date.now() + 24 * 3600_000 - 60_000));
      expect((await paymentRow(payment.id)).status).toBe('succeeded');
      expect((await entitlementOf(t.ctx.db.db, buyer.userId)).premium).toBe(true);
    });
  });
});
