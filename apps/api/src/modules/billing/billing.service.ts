import { AppError, type NotificationContent, type Payment, type PaymentProviderName } from '@kush/contracts';
import { type Database, type Transaction, uuidv7 } from '@kush/db';
import { decodeAfter, decodePageCursor, encodePageCursor, invalidCursor, toPage } from '../../lib/cursor';
import { recordAudit } from '../audit/audit.repository';
import { entitlementOf } from '../playback';
import type { NotificationsService } from '../viewer/services';
import * as repo from './billing.repository';
import { extendPass, formatMoney, kampalaDateTime, kampalaDayStart, TIME_ZONE } from './passes';
import type { Providers } from './providers';
import {
  type CardCheckout,
  type FetchedSubscription,
  type PaymentProvider,
  ProviderError,
  type ProviderStatus,
} from './providers/types';
import { applyStripeSubscription } from './stripe-subscriptions';

export interface BillingSettings {
  /** Seconds between status queries for a pending payment (doubling up to an hour). */
  firstCheckSeconds?: number;
  /** A payment still pending after this long is failed (the viewer never approved). */
  pendingTimeoutHours?: number;
  /** Card subscriptions: days of access after a failed renewal. */
  graceDays?: number;
}

export interface CheckoutInput {
  planId: string;
  provider: PaymentProviderName;
  currency: 'UGX' | 'USD';
  phone?: string;
  beneficiary?: { email: string } | { phone: string };
  idempotencyKey: string;
}

type NextAction = { type: 'redirect'; url: string } | { type: 'approve_on_phone'; message: string } | { type: 'none' };

export const PROVIDER_LABELS: Record<PaymentProviderName, string> = {
  sandbox: 'Sandbox (test payments)',
  stripe: 'Card (Stripe)',
  mtn_momo: 'MTN Mobile Money',
  airtel_money: 'Airtel Money',
};

const invalid = (path: string, message: string, text: string) =>
  new AppError('VALIDATION_FAILED', text, [{ in: 'body', path, message }]);

/**
 * Payments and passes: starts payments with a provider, settles them from the provider's own
 * answer (callbacks only say whom to ask), extends passes and keeps the ledger. Every payment leaves
 * 'pending' once, inside a transaction that locks it, so a callback, the reconciler and a webhook
 * racing each other produce one effect.
 */
export class BillingService {
  private readonly firstCheckMs: number;
  private readonly pendingTimeoutMs: number;
  private readonly graceDays: number;

  constructor(
    private readonly db: Database,
    private readonly providers: Providers,
    private readonly notifications: NotificationsService,
    settings: BillingSettings = {},
    private readonly onError: (error: unknown, what: string) => void = () => {},
  ) {
    this.firstCheckMs = (settings.firstCheckSeconds ?? 30) * 1000;
    this.pendingTimeoutMs = (settings.pendingTimeoutHours ?? 24) * 3600_000;
    this.graceDays = settings.graceDays ?? 3;
  }

  provider(name: PaymentProviderName): PaymentProvider {
    const provider = this.providers.all.get(name);
    if (!provider) throw invalid('provider', 'is not enabled', 'This payment method is not available.');
    return provider;
  }

  methods() {
    return [...this.providers.all.values()].map((p) => ({
      provider: p.name,
      mode: p.mode,
      currencies: [...p.currencies] as ('UGX' | 'USD')[],
      needsPhone: p.needsPhone,
    }));
  }

  /**
   * Starts paying for a plan. The amount comes from the plan; the same idempotency key returns the
   * same payment (a double-click or a retry never pays twice).
   */
  async checkout(userId: string, input: CheckoutInput): Promise<{ payment: Payment; nextAction: NextAction }> {
    const provider = this.provider(input.provider);
    const plan = await repo.findPlan(this.db, input.planId);
    if (!plan || !plan.active || plan.code === 'free') throw new AppError('NOT_FOUND', 'No such plan.');
    const amount = plan.prices[input.currency];
    if (!amount || !provider.currencies.includes(input.currency)) {
      throw invalid(
        'currency',
        'is not offered for this plan and payment method',
        `This plan cannot be paid in ${input.currency} this way.`,
      );
    }
    const payer = (await repo.findUser(this.db, userId))!;
    let beneficiaryId = userId;
    if (input.beneficiary) {
      if (provider.mode !== 'pass') {
        throw invalid(
          'beneficiary',
          'is only possible with a pass',
          'Card subscriptions are for your own account; buy a pass for someone else.',
        );
      }
      const found = await repo.findUserBy(this.db, input.beneficiary);
      if (!found) throw new AppError('NOT_FOUND', 'No Kush Films account has that email address or phone number.');
      beneficiaryId = found.id;
    }
    const msisdn = provider.needsPhone ? (input.phone ?? payer.phone) : null;
    if (provider.needsPhone && !msisdn) {
      throw invalid(
        'phone',
        'is required for mobile money',
        'Enter the mobile-money number that will approve the payment.',
      );
    }
    if (provider.needsPhone && !/^\+256\d{9}$/.test(msisdn!)) {
      throw invalid('phone', 'must be a Ugandan number', 'Mobile money needs a Ugandan number, e.g. 0772 123456.');
    }
    if (provider.mode === 'recurring') {
      const active = (await repo.listSubscriptions(this.db, userId)).find(
        (s) =>
          s.kind === 'recurring' &&
          (s.status === 'active' || s.status === 'past_due') &&
          s.currentPeriodEnd > new Date(),
      );
      if (active)
        throw new AppError('CONFLICT', 'You already have a card subscription; change it from the billing portal.');
    }

    const request = {
      planId: plan.id,
      provider: provider.name,
      currency: input.currency,
      beneficiaryUserId: beneficiaryId,
    };
    const now = new Date();
    let payment =
      (await repo.insertPayment(this.db, {
        id: uuidv7(),
        userId,
        ...request,
        planCode: plan.code,
        planName: plan.name,
        interval: plan.interval,
        kind: provider.mode === 'pass' ? 'pass' : 'checkout',
        amount,
        status: 'pending',
        idempotencyKey: input.idempotencyKey,
        msisdn,
        createdAt: now,
        updatedAt: now,
      })) ?? null;
    if (payment) {
      await repo.recordPaymentEvent(this.db, {
        paymentId: payment.id,
        type: 'created',
        toStatus: 'pending',
        amount,
        currency: payment.currency,
        source: 'viewer',
        data: { planCode: plan.code, beneficiaryUserId: beneficiaryId },
      });
    } else {
      // The key was used before (a double-click, a retry): the same request gets the same payment.
      payment = (await repo.findPaymentByKey(this.db, userId, input.idempotencyKey))!;
      const same =
        payment.planId === request.planId &&
        payment.provider === request.provider &&
        payment.currency === request.currency &&
        payment.beneficiaryUserId === request.beneficiaryUserId;
      if (!same) {
        throw new AppError('IDEMPOTENCY_KEY_REUSED', 'This idempotency key was used for a different purchase.');
      }
      if (payment.status !== 'pending') return { payment: await this.view(payment), nextAction: { type: 'none' } };
    }

    // A provider whose reference is known in advance gets one request per payment: whoever claims
    // the payment sends it; a retry or a double-click only shows the same prompt again.
    let claimed = false;
    if (provider.referenceFor) {
      const reference = provider.referenceFor(payment.id);
      const claim = await repo.claimPaymentReference(
        this.db,
        payment.id,
        reference,
        new Date(Date.now() + this.firstCheckMs),
      );
      if (!claim) {
        const current = (await repo.findPayment(this.db, payment.id))!;
        return {
          payment: await this.view(current),
          nextAction: current.status === 'pending' ? this.phonePrompt(current, provider) : { type: 'none' },
        };
      }
      payment = claim;
      claimed = true;
    }

    // Otherwise safe to repeat: every provider call carries a key derived from the payment id.
    let started;
    try {
      const customer =
        provider.mode === 'recurring' ? await repo.findCustomer(this.db, userId, provider.name) : undefined;
      started = await provider.start({
        paymentId: payment.id,
        amount: payment.amount,
        currency: payment.currency,
        description: `Kush Films ${plan.name}`,
        msisdn: payment.msisdn,
        userId,
        email: payer.email,
        customerId: customer?.customerId ?? null,
        interval: plan.interval,
        planCode: plan.code,
      });
    } catch (err) {
      if (!(err instanceof ProviderError)) throw err;
      this.onError(err, 'payment start');
      // A clear refusal ends the payment; a timeout may have reached the provider, so the reconciler asks later.
      // 409 and 429 mean "not now" (a request in progress, rate limited), not "no".
      const refused =
        err.status !== undefined && err.status >= 400 && err.status < 500 && err.status !== 409 && err.status !== 429;
      await this.db.transaction(async (tx) => {
        const locked = (await repo.findPayment(tx, payment!.id, { lock: true }))!;
        if (locked.status !== 'pending') return;
        if (refused)
          await this.transition(tx, locked, 'failed', 'provider', { failureReason: 'refused by the provider' });
        else await repo.updatePayment(tx, locked.id, { nextCheckAt: new Date(Date.now() + this.firstCheckMs) });
      });
      throw new AppError(
        'PAYMENT_PROVIDER_ERROR',
        `${PROVIDER_LABELS[provider.name]} could not start the payment. Please try again.`,
      );
    }
    if (started.customerId) await repo.saveCustomer(this.db, userId, provider.name, started.customerId);
    if (claimed || payment.providerReference !== started.providerReference) {
      if (payment.providerReference !== started.providerReference) {
        payment = await repo.updatePayment(this.db, payment.id, {
          providerReference: started.providerReference,
          nextCheckAt: new Date(Date.now() + this.firstCheckMs),
        });
      }
      await repo.recordPaymentEvent(this.db, {
        paymentId: payment.id,
        type: 'requested',
        fromStatus: 'pending',
        toStatus: 'pending',
        currency: payment.currency,
        source: 'viewer',
        data: { providerReference: started.providerReference },
      });
    }
    const nextAction: NextAction = started.redirectUrl
      ? { type: 'redirect', url: started.redirectUrl }
      : this.phonePrompt(payment, provider);
    return { payment: await this.view(payment), nextAction };
  }

  private phonePrompt(payment: repo.PaymentRow, provider: PaymentProvider): NextAction {
    return {
      type: 'approve_on_phone',
      message: `Approve the payment of ${formatMoney(payment.currency, payment.amount)} on ${payment.msisdn} by entering your ${PROVIDER_LABELS[provider.name]} PIN.`,
    };
  }

  /**
   * A provider's callback. Its body is never trusted: it only names the payment, whose state is
   * then asked of the provider. Unknown payments and bad signatures change nothing.
   */
  async handleCallback(
    providerName: PaymentProviderName,
    body: unknown,
    headers: Record<string, string | string[] | undefined> = {},
    raw: Buffer = Buffer.alloc(0),
  ): Promise<{ status: Payment['status'] }> {
    const provider = this.providers.all.get(providerName);
    if (!provider?.callbackReference || provider.mode !== 'pass') throw new AppError('NOT_FOUND', 'No such callback.');
    const claim = provider.callbackReference(body, headers, raw);
    if (!claim) throw invalid('body', 'does not name a transaction', 'The callback does not name a transaction.');
    if (!claim.signatureValid) throw new AppError('FORBIDDEN', 'The callback signature does not match.');
    const payment = claim.paymentId
      ? await repo.findPayment(this.db, claim.paymentId).catch(() => undefined)
      : await repo.findPaymentByReference(this.db, providerName, claim.providerReference!);
    if (!payment || payment.provider !== providerName || !payment.providerReference) {
      throw new AppError('NOT_FOUND', 'No such transaction.');
    }
    const settled = await this.settle(payment.id, 'callback');
    return { status: settled.status };
  }

  /** Asks the provider about a pending payment and applies the answer. */
  async settle(
    paymentId: string,
    source: 'callback' | 'reconciler' | 'viewer',
    now = new Date(),
  ): Promise<repo.PaymentRow> {
    const payment = (await repo.findPayment(this.db, paymentId))!;
    if (payment.status !== 'pending') return payment;
    // Never reached the provider (its start timed out before a reference came back): nothing to
    // ask, but it still backs off and fails once the pending timeout has passed.
    if (!payment.providerReference) return this.apply(payment.id, { status: 'pending' }, source, now);
    const answer = await this.provider(payment.provider).status(payment.providerReference);
    return this.apply(payment.id, answer, source, now);
  }

  /**
   * Applies a provider's answer exactly once: the payment row is locked, and only a pending
   * payment moves. A success whose amount or currency differs from the plan's is not honoured.
   */
  async apply(paymentId: string, answer: ProviderStatus, source: string, now = new Date()): Promise<repo.PaymentRow> {
    const outcome = await this.db.transaction(async (tx) => {
      const payment = (await repo.findPayment(tx, paymentId, { lock: true }))!;
      if (payment.status !== 'pending') return { payment, changed: false };
      if (answer.status === 'pending') {
        const attempts = payment.checkAttempts + 1;
        if (now.getTime() - payment.createdAt.getTime() > this.pendingTimeoutMs) {
          return {
            payment: await this.transition(tx, payment, 'failed', source, { failureReason: 'not approved in time' }),
            changed: true,
          };
        }
        const delay = Math.min(3600_000, this.firstCheckMs * 2 ** Math.min(attempts, 7));
        const updated = await repo.updatePayment(tx, payment.id, {
          checkAttempts: attempts,
          nextCheckAt: new Date(now.getTime() + delay),
        });
        return { payment: updated, changed: false };
      }
      if (answer.status === 'failed') {
        return {
          payment: await this.transition(tx, payment, 'failed', source, { failureReason: answer.reason ?? 'declined' }),
          changed: true,
        };
      }
      const amountOk = answer.amount === undefined || answer.amount === payment.amount;
      const currencyOk = answer.currency === undefined || answer.currency.toUpperCase() === payment.currency;
      if (!amountOk || !currencyOk) {
        return {
          payment: await this.transition(tx, payment, 'failed', source, {
            failureReason: 'amount_mismatch',
            data: { reportedAmount: answer.amount ?? null, reportedCurrency: answer.currency ?? null },
          }),
          changed: true,
        };
      }
      let extra: Partial<repo.NewPayment> = {};
      if (payment.kind === 'pass') extra = await this.extendPassFor(tx, payment, now);
      if (payment.kind === 'checkout' && answer.card) extra = await this.cardCheckoutDetails(tx, payment, answer.card);
      const succeeded = await this.transition(tx, payment, 'succeeded', source, {
        ...extra,
        data: { transactionId: answer.transactionId ?? null },
      });
      // The webhooks may never come: the subscription Stripe reported starts access now.
      if (answer.card?.subscription) await this.startCardSubscription(tx, succeeded, answer.card.subscription);
      return { payment: (await repo.findPayment(tx, succeeded.id))!, changed: true };
    });
    if (outcome.changed) await this.tell(outcome.payment);
    return outcome.payment;
  }

  /** Moves a payment from one status to another and writes the ledger entry, in the caller's transaction. */
  async transition(
    tx: Transaction,
    payment: repo.PaymentRow,
    to: repo.PaymentRow['status'],
    source: string,
    changes: Partial<repo.NewPayment> & { data?: Record<string, unknown> } = {},
  ): Promise<repo.PaymentRow> {
    const { data, ...columns } = changes;
    const done = to === 'succeeded' || to === 'failed';
    const updated = await repo.updatePayment(tx, payment.id, {
      ...columns,
      status: to,
      ...(done && { completedAt: new Date(), nextCheckAt: null }),
    });
    await repo.recordPaymentEvent(tx, {
      paymentId: payment.id,
      type: to,
      fromStatus: payment.status,
      toStatus: to,
      amount: to === 'succeeded' ? payment.amount : null,
      currency: payment.currency,
      source,
      data: { ...(data ?? {}), ...(columns.failureReason && { reason: columns.failureReason }) },
    });
    return updated;
  }

  /** A completed card checkout's invoice and customer, remembered on the payment and the account. */
  private async cardCheckoutDetails(
    tx: Transaction,
    payment: repo.PaymentRow,
    card: CardCheckout,
  ): Promise<Partial<repo.NewPayment>> {
    if (card.customerId) await repo.saveCustomer(tx, payment.userId, 'stripe', card.customerId);
    if (!card.invoiceId || payment.invoiceId) return {};
    // The first invoice is this payment's; a renewal payment never takes it.
    return (await repo.findPaymentByInvoice(tx, card.invoiceId)) ? {} : { invoiceId: card.invoiceId };
  }

  /**
   * Creates or updates the local card subscription from Stripe's own state, in the transaction that
   * settles the checkout, so access starts even if no webhook ever arrives. Later events converge on
   * top of it (newer states win, cancellations are final). A subscription that names another
   * account than the payer's is ignored.
   */
  async startCardSubscription(tx: Transaction, payment: repo.PaymentRow, fetched: FetchedSubscription) {
    if (payment.status !== 'succeeded' || payment.provider !== 'stripe') return undefined;
    const owner = fetched.state.metadata?.userId;
    if (owner && owner !== payment.userId) return undefined;
    const state =
      owner === payment.userId
        ? fetched.state
        : { ...fetched.state, metadata: { ...fetched.state.metadata, userId: payment.userId } };
    const result = await applyStripeSubscription(tx, state, fetched.seenAt, 'updated', this.graceDays);
    if (result && !payment.subscriptionId) {
      await repo.updatePayment(tx, payment.id, { subscriptionId: result.row.id });
    }
    return result?.row;
  }

  /** One plan length from the later of now and the pass's current end, with the plan's grants. */
  private async extendPassFor(tx: Transaction, payment: repo.PaymentRow, now: Date): Promise<Partial<repo.NewPayment>> {
    const plan = payment.planId ? await repo.findPlan(tx, payment.planId) : undefined;
    const grants = plan
      ? {
          premiumCatalog: plan.premiumCatalog,
          adFree: plan.adFree,
          downloads: plan.downloads,
          maxQuality: plan.maxQuality,
          maxStreams: plan.maxStreams,
        }
      : {};
    let pass = await repo.lockPass(tx, payment.beneficiaryUserId);
    if (!pass) {
      await repo.insertSubscription(tx, {
        id: uuidv7(),
        userId: payment.beneficiaryUserId,
        planCode: payment.planCode,
        kind: 'pass',
        status: 'expired',
        provider: payment.provider,
        currentPeriodStart: now,
        currentPeriodEnd: now,
      });
      pass = (await repo.lockPass(tx, payment.beneficiaryUserId))!;
    }
    const running = pass.status === 'active' && pass.currentPeriodEnd > now;
    const { periodStart, periodEnd } = extendPass(running ? pass.currentPeriodEnd : null, now, payment.interval);
    // A pass that ran out before the expiry job marked it ended then; this payment starts it again.
    if (!running && pass.status === 'active') await repo.recordAccessChange(tx, pass, 'ended', pass.currentPeriodEnd);
    const extended = await repo.updateSubscription(tx, pass.id, {
      planCode: payment.planCode,
      status: 'active',
      provider: payment.provider,
      currentPeriodStart: running ? pass.currentPeriodStart : periodStart,
      currentPeriodEnd: periodEnd,
      currency: payment.currency,
      amount: payment.amount,
      interval: payment.interval,
      endedAt: null,
      ...grants,
    });
    if (!running) await repo.recordAccessChange(tx, extended, 'started', now);
    return { subscriptionId: pass.id, periodStart, periodEnd };
  }

  /** In-app notification and email (as the account's preferences say): receipt, failure, a gift. */
  async tell(payment: repo.PaymentRow): Promise<void> {
    const money = formatMoney(payment.currency, payment.amount);
    const send = async (userId: string, type: 'payment_receipt' | 'subscription', content: NotificationContent) => {
      try {
        await this.notifications.notify(userId, type, content);
      } catch (err) {
        this.onError(err, 'billing notification');
      }
    };
    const data = { paymentId: payment.id, amount: payment.amount, currency: payment.currency };
    if (payment.status === 'succeeded') {
      const until = payment.periodEnd
        ? ` Your access runs until ${kampalaDateTime(payment.periodEnd)} (Kampala time).`
        : '';
      await send(payment.userId, 'payment_receipt', {
        subject: `Payment received: ${money}`,
        body: `Thank you! We received ${money} for ${payment.planName}.${payment.beneficiaryUserId === payment.userId ? until : ''}`,
        url: `/account/billing/receipts/${payment.id}`,
        data,
        dedupeKey: `payment-succeeded-${payment.id}`,
      });
      if (payment.beneficiaryUserId !== payment.userId) {
        const payer = await repo.findUser(this.db, payment.userId);
        await send(payment.beneficiaryUserId, 'subscription', {
          subject: `${payer?.displayName ?? 'Someone'} bought you ${payment.planName}`,
          body: `${payer?.displayName ?? 'Someone'} paid for your Kush Films ${payment.planName}.${until}`,
          url: '/account/billing',
          data: { paymentId: payment.id },
          dedupeKey: `payment-gift-${payment.id}`,
        });
      }
    } else if (payment.status === 'failed') {
      await send(payment.userId, 'payment_receipt', {
        subject: `Payment not completed: ${money}`,
        body: `Your payment of ${money} for ${payment.planName} did not go through (${payment.failureReason ?? 'declined'}). Nothing was taken; you can try again.`,
        url: '/plans',
        data,
        dedupeKey: `payment-failed-${payment.id}`,
      });
    }
  }

  async view(payment: repo.PaymentRow, beneficiaryName?: string): Promise<Payment> {
    const name =
      beneficiaryName ??
      (payment.beneficiaryUserId === payment.userId
        ? ''
        : (await repo.findUser(this.db, payment.beneficiaryUserId))?.displayName);
    return toPayment(payment, name ?? '');
  }

  async listPayments(userId: string, query: { cursor?: string; limit: number }) {
    const rows = await repo.listPayments(this.db, userId, decodeAfter(query.cursor), query.limit);
    return toPage(
      rows,
      query.limit,
      (r) => toPayment(r.payment, r.beneficiaryName),
      (r) => r.payment,
    );
  }

  /** The payer's own payment; anyone else's is a 404, as if it did not exist. */
  async ownPayment(userId: string, paymentId: string): Promise<repo.PaymentRow> {
    const payment = await repo.findPayment(this.db, paymentId);
    if (!payment || payment.userId !== userId) throw new AppError('NOT_FOUND', 'No such payment.');
    return payment;
  }

  /** The payment as the status page shows it; a pending one is asked about once more first. */
  async paymentStatus(userId: string, paymentId: string): Promise<Payment> {
    let payment = await this.ownPayment(userId, paymentId);
    if (payment.status === 'pending' && payment.providerReference) {
      try {
        payment = await this.settle(payment.id, 'viewer');
      } catch (err) {
        if (!(err instanceof ProviderError)) throw err;
        this.onError(err, 'payment status');
      }
    }
    return this.view(payment);
  }

  async receipt(userId: string, paymentId: string, webUrl: string) {
    const payment = await this.ownPayment(userId, paymentId);
    if (payment.status !== 'succeeded' && payment.status !== 'refunded') {
      throw new AppError('NOT_FOUND', 'There is no receipt for a payment that did not go through.');
    }
    const payer = (await repo.findUser(this.db, payment.userId))!;
    const beneficiary = (await repo.findUser(this.db, payment.beneficiaryUserId))!;
    const issuedAt = payment.completedAt ?? payment.createdAt;
    return {
      receiptNumber: receiptNumber(payment),
      paymentId: payment.id,
      issuedAt: issuedAt.toISOString(),
      issuedAtLocal: kampalaDateTime(issuedAt),
      timeZone: TIME_ZONE,
      seller: { name: 'Kush Films', website: webUrl.replace(/\/$/, '') },
      payer: { displayName: payer.displayName, email: payer.email, phone: payer.phone },
      beneficiary: { displayName: beneficiary.displayName },
      plan: { code: payment.planCode, name: payment.planName, interval: payment.interval },
      provider: payment.provider,
      providerLabel: PROVIDER_LABELS[payment.provider],
      providerReference: payment.providerReference,
      msisdn: payment.msisdn ? `${payment.msisdn.slice(0, 6)}***${payment.msisdn.slice(-3)}` : null,
      currency: payment.currency,
      amount: payment.amount,
      refundedAmount: payment.refundedAmount,
      amountFormatted: formatMoney(payment.currency, payment.amount),
      status: payment.status,
      periodStart: payment.periodStart?.toISOString() ?? null,
      periodEnd: payment.periodEnd?.toISOString() ?? null,
    };
  }

  async mine(userId: string) {
    const [entitlement, subscriptions] = await Promise.all([
      entitlementOf(this.db, userId),
      repo.listSubscriptions(this.db, userId),
    ]);
    return {
      entitlement: {
        premium: entitlement.premium,
        ads: entitlement.ads,
        downloads: entitlement.downloads,
        maxQuality: entitlement.maxQuality,
        maxStreams: entitlement.maxStreams,
        accessUntil: entitlement.accessUntil?.toISOString() ?? null,
      },
      subscriptions: subscriptions.map((s) => ({
        id: s.id,
        planCode: s.planCode,
        kind: s.kind,
        status: s.status,
        provider: s.provider,
        currentPeriodEnd: s.currentPeriodEnd.toISOString(),
        graceUntil: s.graceUntil?.toISOString() ?? null,
        cancelAtPeriodEnd: s.cancelAtPeriodEnd,
      })),
    };
  }

  /** Stripe's Customer Portal: change the card or cancel. */
  async portal(userId: string): Promise<string> {
    const stripe = this.providers.stripe;
    if (!stripe) throw new AppError('NOT_FOUND', 'Card payments are not enabled.');
    const customer = await repo.findCustomer(this.db, userId, 'stripe');
    if (!customer) throw new AppError('NOT_FOUND', 'You have no card subscription.');
    try {
      return await stripe.portalUrl(customer.customerId);
    } catch (err) {
      this.onError(err, 'stripe portal');
      throw new AppError('PAYMENT_PROVIDER_ERROR', 'The card portal is not available right now. Please try again.');
    }
  }

  /**
   * Finance refunds a settled payment. The amount is reserved on the payment under its row lock
   * first (refunded_amount never exceeds the amount, even for concurrent requests), then sent to the
   * provider with an idempotency key from the refund's id. A refusal releases the reservation; an
   * unknown outcome keeps it, and sending the same request (same idempotency key) again completes
   * that same refund. Providers without a refund API get a 'manual' refund: finance returns the
   * money by hand. A full refund ends the access the payment bought.
   */
  async refund(
    actorId: string,
    paymentId: string,
    input: { amount: number; reason: string; idempotencyKey?: string },
  ): Promise<RefundOutcome> {
    const key = input.idempotencyKey ?? uuidv7();
    const reserved = await this.db.transaction(async (tx) => {
      const payment = await repo.findPayment(tx, paymentId, { lock: true });
      if (!payment) throw new AppError('NOT_FOUND', 'No such payment.');
      const earlier = await repo.findRefundByKey(tx, payment.id, key);
      if (earlier) {
        if (earlier.amount !== input.amount) {
          throw new AppError('IDEMPOTENCY_KEY_REUSED', 'This idempotency key was used for a different refund.');
        }
        if (earlier.status === 'failed') {
          throw new AppError(
            'CONFLICT',
            'The provider refused this refund and nothing was returned; start a new refund to try again.',
            { refundId: earlier.id, refundStatus: 'failed' },
          );
        }
        return { payment, refund: earlier };
      }
      if (payment.status !== 'succeeded' && payment.status !== 'refunded') {
        throw new AppError('CONFLICT', 'Only a completed payment can be refunded.');
      }
      const left = payment.amount - payment.refundedAmount;
      if (input.amount > left) {
        throw new AppError('VALIDATION_FAILED', `At most ${formatMoney(payment.currency, left)} is left to refund.`, [
          { in: 'body', path: 'amount', message: `must be at most ${left}` },
        ]);
      }
      const manual = !this.providers.all.get(payment.provider)?.refund;
      const refund = await repo.insertRefund(tx, {
        id: uuidv7(),
        paymentId: payment.id,
        amount: input.amount,
        currency: payment.currency,
        status: manual ? 'manual' : 'pending',
        reason: input.reason,
        actorId,
        idempotencyKey: key,
      });
      const refundedAmount = payment.refundedAmount + input.amount;
      const updated = await repo.updatePayment(tx, payment.id, { refundedAmount });
      await recordAudit(tx, {
        actorId,
        action: 'payment.refund',
        entityType: 'payment',
        entityId: payment.id,
        before: { refundedAmount: payment.refundedAmount },
        after: { refundedAmount, reason: input.reason, refundId: refund.id, method: manual ? 'manual' : 'provider' },
      });
      if (manual) return { payment: await this.refundSettled(tx, updated, refund, `staff:${actorId}`), refund };
      await repo.recordPaymentEvent(tx, {
        paymentId: payment.id,
        type: 'refund_requested',
        fromStatus: payment.status,
        toStatus: payment.status,
        amount: null,
        currency: payment.currency,
        source: `staff:${actorId}`,
        data: { refundId: refund.id, amount: input.amount, reason: input.reason },
      });
      return { payment: updated, refund };
    });

    let { payment, refund } = reserved;
    if (refund.status === 'pending') ({ payment, refund } = await this.sendRefund(actorId, payment, refund));
    const followUp = refund.status === 'manual' ? this.manualRefundNote(payment) : null;
    const cancelNote = await this.cancelRefundedCardSubscription(payment);
    return {
      payment: await this.view(payment),
      refund: toRefund(refund),
      followUp: [followUp, cancelNote].filter(Boolean).join(' ') || null,
    };
  }

  private manualRefundNote(payment: repo.PaymentRow): string {
    const label = PROVIDER_LABELS[payment.provider];
    return `${label} refunds are not sent by Kush Films: return the money by hand${payment.msisdn ? ` to ${payment.msisdn}` : ''} (e.g. from the ${label} merchant portal).`;
  }

  /** Asks the provider to return a reserved refund and records the answer. */
  private async sendRefund(
    actorId: string,
    payment: repo.PaymentRow,
    refund: repo.RefundRow,
  ): Promise<{ payment: repo.PaymentRow; refund: repo.RefundRow }> {
    const provider = this.provider(payment.provider);
    const source = `staff:${actorId}`;
    let answer;
    try {
      answer = await provider.refund!({
        refundId: refund.id,
        paymentId: payment.id,
        providerReference: payment.providerReference,
        invoiceId: payment.invoiceId,
        amount: refund.amount,
        currency: refund.currency,
        reason: refund.reason,
      });
    } catch (err) {
      if (!(err instanceof ProviderError)) throw err;
      this.onError(err, 'refund');
      const refused =
        err.status !== undefined && err.status >= 400 && err.status < 500 && err.status !== 409 && err.status !== 429;
      if (refused) {
        await this.refundFailed(refund, source, err.message);
        throw new AppError(
          'PAYMENT_PROVIDER_ERROR',
          `${PROVIDER_LABELS[payment.provider]} refused the refund; nothing was returned.`,
          { refundId: refund.id, refundStatus: 'failed' },
        );
      }
      await repo.recordPaymentEvent(this.db, {
        paymentId: payment.id,
        type: 'refund_unconfirmed',
        currency: payment.currency,
        source,
        data: { refundId: refund.id, amount: refund.amount },
      });
      throw new AppError(
        'PAYMENT_PROVIDER_ERROR',
        `${PROVIDER_LABELS[payment.provider]} did not confirm the refund. The amount stays reserved: send the same refund again to complete it.`,
        { refundId: refund.id, refundStatus: 'pending' },
      );
    }
    if (answer.status === 'failed') {
      await this.refundFailed(refund, source, answer.reason ?? 'refused', answer.providerRefundId);
      throw new AppError(
        'PAYMENT_PROVIDER_ERROR',
        `${PROVIDER_LABELS[payment.provider]} refused the refund; nothing was returned.`,
        { refundId: refund.id, refundStatus: 'failed' },
      );
    }
    return this.db.transaction(async (tx) => {
      const locked = (await repo.findPayment(tx, payment.id, { lock: true }))!;
      const current = (await repo.findRefundByKey(tx, locked.id, refund.idempotencyKey, true))!;
      if (current.status !== 'pending') return { payment: locked, refund: current };
      if (answer.status === 'pending') {
        return {
          payment: locked,
          refund: await repo.updateRefund(tx, current.id, { providerRefundId: answer.providerRefundId }),
        };
      }
      const done = await repo.updateRefund(tx, current.id, {
        status: 'succeeded',
        providerRefundId: answer.providerRefundId,
      });
      return { payment: await this.refundSettled(tx, locked, done, source), refund: done };
    });
  }

  /** The provider refused: the reservation is released and the ledger says so. */
  private async refundFailed(sent: repo.RefundRow, source: string, reason: string, providerRefundId?: string) {
    await this.db.transaction(async (tx) => {
      const payment = (await repo.findPayment(tx, sent.paymentId, { lock: true }))!;
      const refund = (await repo.findRefundByKey(tx, payment.id, sent.idempotencyKey, true))!;
      if (refund.status !== 'pending') return;
      await repo.updateRefund(tx, refund.id, {
        status: 'failed',
        failureReason: reason.slice(0, 300),
        providerRefundId: providerRefundId ?? null,
      });
      await repo.updatePayment(tx, payment.id, { refundedAmount: payment.refundedAmount - refund.amount });
      await repo.recordPaymentEvent(tx, {
        paymentId: payment.id,
        type: 'refund_failed',
        fromStatus: payment.status,
        toStatus: payment.status,
        currency: payment.currency,
        source,
        data: { refundId: refund.id, amount: refund.amount, reason: reason.slice(0, 300) },
      });
    });
  }

  /**
   * Money went back (the provider accepted, or finance returns it by hand): the ledger's 'refund'
   * entry, and when the whole payment is now returned, the access it bought ends.
   */
  private async refundSettled(
    tx: Transaction,
    payment: repo.PaymentRow,
    refund: repo.RefundRow,
    source: string,
  ): Promise<repo.PaymentRow> {
    const full = (await repo.settledRefundTotal(tx, payment.id)) >= payment.amount;
    const updated = full ? await repo.updatePayment(tx, payment.id, { status: 'refunded' }) : payment;
    const ended = full ? await this.endRefundedAccess(tx, updated) : {};
    await repo.recordPaymentEvent(tx, {
      paymentId: payment.id,
      type: 'refund',
      fromStatus: payment.status,
      toStatus: updated.status,
      amount: refund.amount,
      currency: refund.currency,
      source,
      data: {
        refundId: refund.id,
        reason: refund.reason,
        method: refund.status === 'manual' ? 'manual' : 'provider',
        ...(refund.providerRefundId && { providerRefundId: refund.providerRefundId }),
        ...ended,
      },
    });
    return updated;
  }

  /**
   * A fully refunded payment no longer pays for anything. A pass loses the period this payment
   * added (never ending before now; if it was the only payment, access ends); a card subscription
   * ends now (and is cancelled at Stripe after the transaction).
   */
  private async endRefundedAccess(tx: Transaction, payment: repo.PaymentRow): Promise<Record<string, unknown>> {
    const now = new Date();
    if (payment.kind === 'pass') {
      const pass = payment.subscriptionId ? await repo.findSubscription(tx, payment.subscriptionId, true) : undefined;
      if (!pass || !payment.periodStart || !payment.periodEnd) return {};
      const bought = payment.periodEnd.getTime() - payment.periodStart.getTime();
      const end = Math.max(now.getTime(), pass.currentPeriodEnd.getTime() - bought);
      if (pass.status !== 'active' || pass.currentPeriodEnd <= now) return { accessEndsAt: null };
      const over = end <= now.getTime();
      await repo.updateSubscription(tx, pass.id, {
        currentPeriodEnd: new Date(end),
        ...(over && { status: 'expired', endedAt: now }),
      });
      if (over) await repo.recordAccessChange(tx, pass, 'ended', now);
      return { accessEndsAt: over ? null : new Date(end).toISOString(), subscriptionId: pass.id };
    }
    if (payment.provider !== 'stripe') return {};
    const sub = payment.subscriptionId
      ? await repo.findSubscription(tx, payment.subscriptionId, true)
      : await repo.findRecurringSubscription(tx, payment.userId, 'stripe');
    if (!sub || sub.userId !== payment.userId) return {};
    if (sub.status !== 'canceled') {
      await repo.updateSubscription(tx, sub.id, {
        status: 'canceled',
        cancelAtPeriodEnd: false,
        endedAt: now,
        graceUntil: null,
      });
      if (repo.grantsAccess(sub.status)) await repo.recordAccessChange(tx, sub, 'ended', now);
    }
    if (!payment.subscriptionId) await repo.updatePayment(tx, payment.id, { subscriptionId: sub.id });
    return { accessEndsAt: null, subscriptionId: sub.id };
  }

  /**
   * After a full refund of a card payment, Stripe must stop renewing the subscription. Asked again
   * on every retry of the refund until Stripe confirms; returns a note for finance when it did not.
   */
  private async cancelRefundedCardSubscription(payment: repo.PaymentRow): Promise<string | null> {
    if (payment.status !== 'refunded' || payment.provider !== 'stripe' || payment.kind === 'pass') return null;
    if (!payment.subscriptionId || !this.providers.stripe) return null;
    const sub = await repo.findSubscription(this.db, payment.subscriptionId);
    if (!sub?.providerSubscriptionId) return null;
    const ledger = await repo.listPaymentEvents(this.db, payment.id);
    if (ledger.some((e) => e.type === 'subscription_canceled')) return null;
    try {
      await this.providers.stripe.cancelSubscription(sub.providerSubscriptionId);
    } catch (err) {
      if (!(err instanceof ProviderError)) throw err;
      this.onError(err, 'stripe subscription cancel');
      return 'Stripe did not confirm cancelling the subscription: send the same refund again to retry, or cancel it in the Stripe dashboard.';
    }
    await repo.recordPaymentEvent(this.db, {
      paymentId: payment.id,
      type: 'subscription_canceled',
      currency: payment.currency,
      source: 'refund',
      data: { subscriptionId: sub.id, providerSubscriptionId: sub.providerSubscriptionId },
    });
    return null;
  }

  /** A payment's ledger and refunds, for finance; an unknown payment is a 404. */
  async ledger(paymentId: string) {
    if (!(await repo.findPayment(this.db, paymentId))) throw new AppError('NOT_FOUND', 'No such payment.');
    const [items, refunds] = await Promise.all([
      repo.listPaymentEvents(this.db, paymentId),
      repo.listRefunds(this.db, paymentId),
    ]);
    return {
      items: items.map((e) => ({
        type: e.type,
        fromStatus: e.fromStatus,
        toStatus: e.toStatus,
        amount: e.amount,
        currency: e.currency,
        source: e.source,
        data: e.data,
        createdAt: e.createdAt.toISOString(),
      })),
      refunds: refunds.map(toRefund),
    };
  }

  /** Finance's search over every account's payments, newest first. */
  async searchPayments(query: AdminPaymentSearch) {
    const { cursor, limit, ...filters } = query;
    const scope = `admin-payments:${JSON.stringify(filters, Object.keys(filters).sort())}`;
    let after: { createdAt: Date; id: string } | undefined;
    if (cursor) {
      const [at, id] = decodePageCursor(cursor, scope, 2) as [string, string];
      const createdAt = new Date(at);
      if (Number.isNaN(createdAt.getTime()) || !UUID.test(id)) throw invalidCursor();
      after = { createdAt, id };
    }
    const search: repo.PaymentSearch = {
      status: filters.status,
      provider: filters.provider,
      planCode: filters.plan,
      since: filters.from ? kampalaDayStart(filters.from) : undefined,
      until: filters.to ? new Date(kampalaDayStart(filters.to).getTime() + 86_400_000) : undefined,
      ...searchTerm(filters.q),
    };
    const rows = await repo.searchPayments(this.db, search, after, limit);
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      items: page.map((r) => ({
        ...toPayment(r.payment, r.beneficiaryName),
        payer: r.payer,
        providerReference: r.payment.providerReference,
        invoiceId: r.payment.invoiceId,
        msisdn: r.payment.msisdn,
      })),
      nextCursor:
        rows.length > limit && last
          ? encodePageCursor(scope, [last.payment.createdAt.toISOString(), last.payment.id])
          : null,
    };
  }
}

export interface RefundOutcome {
  payment: Payment;
  refund: ReturnType<typeof toRefund>;
  followUp: string | null;
}

export interface AdminPaymentSearch {
  cursor?: string;
  limit: number;
  status?: Payment['status'];
  provider?: PaymentProviderName;
  plan?: string;
  from?: string;
  to?: string;
  q?: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * What finance typed: a payment id, an email address, a Ugandan phone number (0772 123456,
 * 256772123456, +256 772 123456) or else a provider reference (MoMo/Airtel id, Stripe cs_/in_ id).
 */
export function searchTerm(q: string | undefined): Partial<repo.PaymentSearch> {
  if (!q) return {};
  const text = q.trim();
  if (UUID.test(text)) return { paymentId: text.toLowerCase(), reference: text };
  if (text.includes('@')) return { email: text.toLowerCase() };
  const digits = text.replace(/[\s().-]/g, '');
  const phone = /^(?:\+?256|0)(\d{9})$/.exec(digits);
  if (phone) return { phone: `+256${phone[1]}` };
  return { reference: text };
}

export function toRefund(refund: repo.RefundRow) {
  return {
    id: refund.id,
    paymentId: refund.paymentId,
    currency: refund.currency,
    amount: refund.amount,
    status: refund.status,
    reason: refund.reason,
    providerRefundId: refund.providerRefundId,
    failureReason: refund.failureReason,
    createdAt: refund.createdAt.toISOString(),
  };
}

/** "KF-20260314-3F9A2C1B": the Kampala day it was paid and the end of the payment id. */
export function receiptNumber(payment: { id: string; completedAt: Date | null; createdAt: Date }): string {
  const at = new Date((payment.completedAt ?? payment.createdAt).getTime() + 3 * 3600_000);
  return `KF-${at.toISOString().slice(0, 10).replace(/-/g, '')}-${payment.id.replace(/-/g, '').slice(-8).toUpperCase()}`;
}

export function toPayment(payment: repo.PaymentRow, beneficiaryName: string): Payment {
  return {
    id: payment.id,
    status: payment.status,
    provider: payment.provider,
    kind: payment.kind,
    planCode: payment.planCode,
    planName: payment.planName,
    currency: payment.currency,
    amount: payment.amount,
    refundedAmount: payment.refundedAmount,
    beneficiary: { self: payment.beneficiaryUserId === payment.userId, displayName: beneficiaryName },
    failureReason: payment.failureReason,
    periodStart: payment.periodStart?.toISOString() ?? null,
    periodEnd: payment.periodEnd?.toISOString() ?? null,
    createdAt: payment.createdAt.toISOString(),
    completedAt: payment.completedAt?.toISOString() ?? null,
  };
}
