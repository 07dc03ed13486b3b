import { AppError } from '@kush/contracts';
import { type Database, providerEvents, type Transaction, uuidv7 } from '@kush/db';
import type Stripe from 'stripe';
import type { NotificationsService } from '../viewer/services';
import * as repo from './billing.repository';
import type { BillingService } from './billing.service';
import { kampalaDateTime } from './passes';
import { applyStripeSubscription, graceFrom, idOf } from './stripe-subscriptions';
import type { StripeProvider } from './providers/stripe';
import type { CardCheckout } from './providers/types';

type After = () => Promise<void>;

function invoiceSubscription(invoice: Stripe.Invoice): { id: string | null; metadata: Record<string, string> } {
  const legacy = invoice as unknown as {
    subscription?: string | { id: string } | null;
    subscription_details?: { metadata?: Record<string, string> | null } | null;
  };
  const parent = invoice.parent?.subscription_details;
  return {
    id: idOf(legacy.subscription ?? parent?.subscription ?? null),
    metadata: { ...(legacy.subscription_details?.metadata ?? {}), ...(parent?.metadata ?? {}) },
  };
}

/**
 * Applies Stripe webhook events. Each event id is recorded in the same transaction as its effect,
 * so a redelivery or a concurrent duplicate changes nothing. Events may arrive in any order: a
 * subscription's state is only replaced by a newer event (Stripe's `created`; a `created` event is
 * the oldest state there is), its period only ever grows, and a deletion is final. A failed renewal
 * leaves access for the grace period counted from the failure, never from a period Stripe has
 * already moved on to without being paid.
 */
export class StripeWebhooks {
  constructor(
    private readonly db: Database,
    private readonly stripe: StripeProvider,
    private readonly billing: BillingService,
    private readonly notifications: NotificationsService,
    private readonly graceDays: number,
    private readonly onError: (error: unknown, what: string) => void = () => {},
  ) {}

  /** Verifies the signature and timestamp against the raw body; a failure is a 400 and nothing else. */
  verify(raw: Buffer, signature: string | undefined): Stripe.Event {
    if (!signature) throw new AppError('BAD_REQUEST', 'Missing Stripe-Signature header.');
    try {
      return this.stripe.verifyWebhook(raw, signature);
    } catch {
      throw new AppError('BAD_REQUEST', 'The webhook signature or timestamp is not valid.');
    }
  }

  async handle(event: Stripe.Event): Promise<{ applied: boolean }> {
    const after: After[] = [];
    // A completed checkout's subscription is asked of Stripe first (no network inside the
    // transaction), so access starts with this event; an outage fails the delivery and Stripe retries.
    const card =
      event.type === 'checkout.session.completed' && event.data.object.status === 'complete'
        ? await this.stripe.checkoutResult(event.data.object)
        : null;
    const applied = await this.db.transaction(async (tx) => {
      const [fresh] = await tx
        .insert(providerEvents)
        .values({ provider: 'stripe', eventId: event.id, type: event.type })
        .onConflictDoNothing()
        .returning();
      if (!fresh) return false;
      await this.apply(tx, event, after, card);
      return true;
    });
    for (const task of after) {
      try {
        await task();
      } catch (err) {
        this.onError(err, 'stripe webhook follow-up');
      }
    }
    return { applied };
  }

  private async apply(tx: Transaction, event: Stripe.Event, after: After[], card: CardCheckout | null): Promise<void> {
    if (event.type === 'checkout.session.completed') {
      return this.checkoutCompleted(tx, event.data.object, after, card);
    }
    if (
      event.type === 'customer.subscription.created' ||
      event.type === 'customer.subscription.updated' ||
      event.type === 'customer.subscription.deleted'
    ) {
      const change = event.type.slice('customer.subscription.'.length) as 'created' | 'updated' | 'deleted';
      await this.syncSubscription(tx, event.data.object, event.created, change, after);
      return;
    }
    if (event.type === 'invoice.paid') return this.invoicePaid(tx, event.data.object, event.created, after);
    if (event.type === 'invoice.payment_failed') return this.invoiceFailed(tx, event.data.object, event.created, after);
    // Other events are acknowledged and recorded, with no effect.
  }

  private async checkoutCompleted(
    tx: Transaction,
    session: Stripe.Checkout.Session,
    after: After[],
    card: CardCheckout | null,
  ) {
    const paymentId = session.metadata?.paymentId ?? session.client_reference_id;
    const customerId = idOf(session.customer);
    if (!paymentId) return;
    const payment = await repo.findPayment(tx, paymentId, { lock: true }).catch(() => undefined);
    // Only the session this payment started settles it.
    if (!payment || payment.provider !== 'stripe') return;
    if (payment.providerReference && payment.providerReference !== session.id) return;
    if (customerId) await repo.saveCustomer(tx, payment.userId, 'stripe', customerId);
    const settled = await this.settleCheckout(
      tx,
      payment,
      session.amount_total,
      idOf(session.invoice),
      'webhook',
      after,
    );
    if (card?.subscription) await this.billing.startCardSubscription(tx, settled, card.subscription);
  }

  /** The first payment of a card subscription: from checkout.session.completed or invoice.paid, whichever comes first. */
  private async settleCheckout(
    tx: Transaction,
    payment: repo.PaymentRow,
    paid: number | null,
    invoiceId: string | null,
    source: string,
    after: After[],
  ): Promise<repo.PaymentRow> {
    if (invoiceId && !payment.invoiceId) {
      const other = await repo.findPaymentByInvoice(tx, invoiceId);
      if (!other) payment = await repo.updatePayment(tx, payment.id, { invoiceId });
    }
    if (payment.status !== 'pending') return payment;
    const done =
      paid !== null && paid !== payment.amount
        ? await this.billing.transition(tx, payment, 'failed', source, {
            failureReason: 'amount_mismatch',
            data: { reportedAmount: paid },
          })
        : await this.billing.transition(tx, payment, 'succeeded', source);
    after.push(() => this.billing.tell(done));
    return done;
  }

  private async syncSubscription(
    tx: Transaction,
    sub: Stripe.Subscription,
    version: number,
    change: 'created' | 'updated' | 'deleted',
    after: After[],
  ): Promise<repo.SubscriptionRow | undefined> {
    const result = await applyStripeSubscription(tx, sub, version, change, this.graceDays);
    if (result?.ended) {
      const { row } = result;
      after.push(() =>
        this.notify(row.userId, {
          subject: 'Your card subscription has ended',
          body: 'Your Kush Films card subscription was cancelled. You can subscribe again or buy a pass with mobile money at any time.',
          url: '/plans',
          dedupeKey: `card-canceled-${row.id}`,
        }),
      );
    }
    return result?.row;
  }

  private async invoicePaid(tx: Transaction, invoice: Stripe.Invoice, version: number, after: After[]) {
    const { id: subscriptionId, metadata } = invoiceSubscription(invoice);
    if (!subscriptionId || !invoice.id) return;
    const line = invoice.lines?.data?.[0];
    const periodEnd = line?.period?.end ? new Date(line.period.end * 1000) : null;

    if (invoice.billing_reason === 'subscription_create' && metadata.paymentId) {
      const checkout = await repo.findPayment(tx, metadata.paymentId, { lock: true }).catch(() => undefined);
      if (checkout?.provider === 'stripe') {
        await this.settleCheckout(tx, checkout, invoice.amount_paid, invoice.id, 'webhook', after);
      }
    } else if (invoice.amount_paid > 0 && !(await repo.findPaymentByInvoice(tx, invoice.id))) {
      // A renewal that cost something (a free period or a 100% coupon is no payment).
      const sub = await repo.findSubscriptionByProviderId(tx, subscriptionId);
      const userId = metadata.userId ?? sub?.userId;
      if (userId && (await repo.findUser(tx, userId))) {
        const planCode = metadata.planCode ?? sub?.planCode ?? 'premium-month';
        const plan = await repo.findPlanByCode(tx, planCode);
        const now = new Date(version * 1000);
        const payment = await repo.insertPayment(tx, {
          id: uuidv7(),
          userId,
          beneficiaryUserId: userId,
          planId: plan?.id ?? null,
          planCode,
          planName: plan?.name ?? planCode,
          interval: plan?.interval ?? 'month',
          provider: 'stripe',
          kind: 'renewal',
          currency: invoice.currency.toUpperCase(),
          amount: invoice.amount_paid,
          status: 'succeeded',
          providerReference: invoice.id,
          invoiceId: invoice.id,
          subscriptionId: sub?.id ?? null,
          periodStart: line?.period?.start ? new Date(line.period.start * 1000) : null,
          periodEnd,
          completedAt: now,
        });
        if (payment) {
          await repo.recordPaymentEvent(tx, {
            paymentId: payment.id,
            type: 'succeeded',
            toStatus: 'succeeded',
            amount: payment.amount,
            currency: payment.currency,
            source: 'webhook',
            data: { invoiceId: invoice.id },
          });
          after.push(() => this.billing.tell(payment));
        }
      }
    }

    const sub = await repo.findSubscriptionByProviderId(tx, subscriptionId, true);
    if (!sub || !periodEnd) return;
    const longest = sub.currentPeriodEnd > periodEnd ? sub.currentPeriodEnd : periodEnd;
    const newer = version >= sub.providerVersion && sub.status !== 'canceled';
    await repo.updateSubscription(tx, sub.id, {
      currentPeriodEnd: longest,
      ...(newer && { status: 'active', graceUntil: null, providerVersion: version }),
    });
  }

  private async invoiceFailed(tx: Transaction, invoice: Stripe.Invoice, version: number, after: After[]) {
    const { id: subscriptionId } = invoiceSubscription(invoice);
    if (!subscriptionId) return;
    const sub = await repo.findSubscriptionByProviderId(tx, subscriptionId, true);
    // A newer event (the retry was paid, or the subscription ended) already decided the state.
    if (!sub || version < sub.providerVersion || sub.status === 'canceled') return;
    // A renewal invoice covers the period after the paid one: its start is where paid-up time ended.
    const line = invoice.lines?.data?.[0];
    const paidUntil = line?.period?.start ? new Date(line.period.start * 1000) : new Date(version * 1000);
    const graceUntil = sub.graceUntil ?? graceFrom(paidUntil, version, this.graceDays);
    await repo.updateSubscription(tx, sub.id, { status: 'past_due', graceUntil, providerVersion: version });
    after.push(() =>
      this.notify(sub.userId, {
        subject: 'Your card payment failed',
        body: `We could not renew your Kush Films subscription. Update your card before ${kampalaDateTime(graceUntil)} (Kampala time) to keep watching without interruption.`,
        url: '/account/billing',
        dedupeKey: `card-failed-${invoice.id ?? sub.id}`,
      }),
    );
  }

  private async notify(userId: string, content: { subject: string; body: string; url: string; dedupeKey: string }) {
    await this.notifications.notify(userId, 'subscription', content);
  }
}
