import Stripe from 'stripe';
import {
  type CardCheckout,
  type CollectionRequest,
  type FetchedSubscription,
  type PaymentProvider,
  ProviderError,
  type ProviderStatus,
  type RefundRequest,
  type RefundResult,
  type StartedCollection,
} from './types';

export interface StripeSettings {
  secretKey: string;
  webhookSecret: string;
  /** e.g. http://127.0.0.1:12111 for a local test double; unset = api.stripe.com. */
  apiBase?: string;
  /** Where Checkout sends the viewer back (the web app). */
  webUrl: string;
}

/** Seconds a webhook's signed timestamp may be old: Stripe's own default. */
export const WEBHOOK_TOLERANCE_SECONDS = 300;

/** An SDK error as a ProviderError, keeping Stripe's HTTP status so a refusal is told from an outage. */
function providerError(err: unknown): ProviderError {
  if (err instanceof ProviderError) return err;
  const status = (err as { statusCode?: unknown }).statusCode;
  return new ProviderError('stripe', (err as Error).message, typeof status === 'number' ? status : undefined);
}

export function createStripeClient(settings: Pick<StripeSettings, 'secretKey' | 'apiBase'>): Stripe {
  const base = settings.apiBase ? new URL(settings.apiBase) : null;
  return new Stripe(settings.secretKey, {
    maxNetworkRetries: 2,
    timeout: 20_000,
    ...(base && {
      host: base.hostname,
      port: Number(base.port || (base.protocol === 'https:' ? 443 : 80)),
      protocol: base.protocol.replace(':', '') as 'http' | 'https',
    }),
  });
}

/**
 * Card subscriptions through Stripe Checkout (recurring) and the Customer Portal. Renewals,
 * failures and cancellations arrive as webhooks (stripe-webhooks.service.ts); status() lets the
 * reconciler settle a checkout whose webhook never came.
 */
export class StripeProvider implements PaymentProvider {
  readonly name = 'stripe' as const;
  readonly mode = 'recurring' as const;
  readonly currencies = ['USD', 'UGX'] as const;
  readonly needsPhone = false;
  readonly client: Stripe;
  private readonly webUrl: string;

  constructor(private readonly settings: StripeSettings) {
    this.client = createStripeClient(settings);
    this.webUrl = settings.webUrl.replace(/\/$/, '');
  }

  async start(request: CollectionRequest): Promise<StartedCollection> {
    try {
      let customerId = request.customerId;
      if (!customerId) {
        const customer = await this.client.customers.create(
          { email: request.email ?? undefined, metadata: { userId: request.userId } },
          { idempotencyKey: `customer-${request.userId}` },
        );
        customerId = customer.id;
      }
      const metadata = { paymentId: request.paymentId, userId: request.userId, planCode: request.planCode };
      const session = await this.client.checkout.sessions.create(
        {
          mode: 'subscription',
          customer: customerId,
          client_reference_id: request.paymentId,
          metadata,
          subscription_data: { metadata },
          line_items: [
            {
              quantity: 1,
              price_data: {
                // Stripe counts UGX in whole shillings (zero-decimal) and USD in cents, as we do.
                currency: request.currency.toLowerCase(),
                unit_amount: request.amount,
                recurring: { interval: request.interval },
                product_data: { name: request.description },
              },
            },
          ],
          success_url: `${this.webUrl}/account/billing?payment=${request.paymentId}`,
          cancel_url: `${this.webUrl}/plans?canceled=${request.paymentId}`,
        },
        { idempotencyKey: `checkout-${request.paymentId}` },
      );
      if (!session.url) throw new ProviderError(this.name, 'checkout session without a URL');
      return { providerReference: session.id, redirectUrl: session.url, customerId };
    } catch (err) {
      throw providerError(err);
    }
  }

  async status(providerReference: string): Promise<ProviderStatus> {
    let session: Stripe.Checkout.Session;
    try {
      session = await this.client.checkout.sessions.retrieve(providerReference);
    } catch (err) {
      throw providerError(err);
    }
    const common = { amount: session.amount_total ?? undefined, currency: session.currency?.toUpperCase() };
    if (session.status === 'complete' && session.payment_status !== 'unpaid') {
      return { status: 'succeeded', ...common, card: await this.checkoutResult(session) };
    }
    if (session.status === 'expired') return { status: 'failed', reason: 'checkout expired', ...common };
    return { status: 'pending', ...common };
  }

  /**
   * What a completed Checkout Session started: its first invoice, the customer and the
   * subscription as Stripe has it now. An outage throws (the caller asks again later).
   */
  async checkoutResult(session: Stripe.Checkout.Session): Promise<CardCheckout> {
    const id = (value: string | { id: string } | null) => (typeof value === 'string' ? value : (value?.id ?? null));
    const subscriptionId = id(session.subscription);
    return {
      invoiceId: id(session.invoice),
      customerId: id(session.customer),
      subscription: subscriptionId ? await this.retrieveSubscription(subscriptionId) : null,
    };
  }

  /** The subscription as Stripe has it now; null when Stripe does not know it (404). */
  async retrieveSubscription(subscriptionId: string): Promise<FetchedSubscription | null> {
    const seenAt = Math.floor(Date.now() / 1000);
    try {
      return { state: await this.client.subscriptions.retrieve(subscriptionId), seenAt };
    } catch (err) {
      const error = providerError(err);
      if (error.status === 404) return null;
      throw error;
    }
  }

  /**
   * Refunds part or all of the invoice a payment paid: its PaymentIntent is found through the
   * invoice's payments, and the refund carries an idempotency key from our refund id.
   */
  async refund(request: RefundRequest): Promise<RefundResult> {
    if (!request.invoiceId) throw new ProviderError(this.name, 'the payment has no Stripe invoice to refund', 400);
    try {
      const paid = await this.client.invoicePayments.list({ invoice: request.invoiceId, status: 'paid', limit: 1 });
      const payment = paid.data[0]?.payment;
      const paymentIntent =
        typeof payment?.payment_intent === 'string' ? payment.payment_intent : payment?.payment_intent?.id;
      const charge = typeof payment?.charge === 'string' ? payment.charge : payment?.charge?.id;
      if (!paymentIntent && !charge) {
        throw new ProviderError(this.name, `invoice ${request.invoiceId} has no paid charge`, 400);
      }
      const refund = await this.client.refunds.create(
        {
          ...(paymentIntent ? { payment_intent: paymentIntent } : { charge: charge! }),
          amount: request.amount,
          reason: 'requested_by_customer',
          metadata: { paymentId: request.paymentId, refundId: request.refundId },
        },
        { idempotencyKey: `refund-${request.refundId}` },
      );
      const status =
        refund.status === 'succeeded' || refund.status === 'pending'
          ? 'succeeded'
          : refund.status === 'failed' || refund.status === 'canceled'
            ? 'failed'
            : 'pending';
      return { providerRefundId: refund.id, status, reason: refund.failure_reason ?? undefined };
    } catch (err) {
      throw providerError(err);
    }
  }

  /**
   * Ends a subscription at once (no further renewals). One that is gone, or that Stripe already
   * ended (the viewer cancelled in the portal), counts as ended: Stripe refuses to cancel it twice.
   */
  async cancelSubscription(subscriptionId: string): Promise<void> {
    try {
      await this.client.subscriptions.cancel(subscriptionId, {}, { idempotencyKey: `cancel-${subscriptionId}` });
    } catch (err) {
      const error = providerError(err);
      if (error.status === 404) return;
      if (error.status === 400 && (await this.retrieveSubscription(subscriptionId))?.state.status === 'canceled')
        return;
      throw error;
    }
  }

  async portalUrl(customerId: string): Promise<string> {
    try {
      const portal = await this.client.billingPortal.sessions.create({
        customer: customerId,
        return_url: `${this.webUrl}/account/billing`,
      });
      return portal.url;
    } catch (err) {
      throw providerError(err);
    }
  }

  /** Checks the signature against the raw body and the timestamp against the tolerance; throws when either fails. */
  verifyWebhook(raw: Buffer, signature: string): Stripe.Event {
    return this.client.webhooks.constructEvent(raw, signature, this.settings.webhookSecret, WEBHOOK_TOLERANCE_SECONDS);
  }
}
