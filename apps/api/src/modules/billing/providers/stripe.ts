import Stripe from 'stripe';
import {
  type CollectionRequest,
  type PaymentProvider,
  ProviderError,
  type ProviderStatus,
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
    if (session.status === 'complete' && session.payment_status !== 'unpaid') return { status: 'succeeded', ...common };
    if (session.status === 'expired') return { status: 'failed', reason: 'checkout expired', ...common };
    return { status: 'pending', ...common };
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
