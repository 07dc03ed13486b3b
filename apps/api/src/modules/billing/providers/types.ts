import type { PaymentProviderName } from '@kush/contracts';
import type Stripe from 'stripe';

/** What the API asks a provider to collect. The amount always comes from the plan, on the server. */
export interface CollectionRequest {
  /** Our payment id: the provider's external id, and the base of its idempotency key. */
  paymentId: string;
  amount: number;
  currency: string;
  description: string;
  /** E.164 phone number that approves a mobile-money payment. */
  msisdn: string | null;
  /** Card checkout: the account, its provider customer (if any) and where to send the viewer back. */
  userId: string;
  email: string | null;
  customerId: string | null;
  interval: 'day' | 'week' | 'month' | 'year';
  planCode: string;
}

export interface StartedCollection {
  /** The provider's id for this payment, used for status queries. */
  providerReference: string;
  /** Where the viewer goes to approve (sandbox page, Stripe Checkout); none for phone prompts. */
  redirectUrl: string | null;
  /** A customer created at the provider on the way (Stripe). */
  customerId?: string;
}

/** The provider's answer to "what happened to this payment?". */
export interface ProviderStatus {
  status: 'pending' | 'succeeded' | 'failed';
  /** What the provider says was paid, checked against the payment before granting anything. */
  amount?: number;
  currency?: string;
  reason?: string;
  /** Provider's own transaction id (MoMo financialTransactionId, Airtel airtel_money_id…). */
  transactionId?: string;
  /** A completed card checkout (Stripe): what it started, so access can begin without waiting for webhooks. */
  card?: CardCheckout;
}

export interface CardCheckout {
  invoiceId: string | null;
  customerId: string | null;
  /** The subscription as Stripe had it when asked; null when Stripe does not know it. */
  subscription: FetchedSubscription | null;
}

export interface FetchedSubscription {
  state: Stripe.Subscription;
  /** Unix seconds when it was fetched: the version of this state (newer events still win). */
  seenAt: number;
}

/** Money to send back on a settled payment. */
export interface RefundRequest {
  /** Our refund id: the base of the provider's idempotency key, so a retry never refunds twice. */
  refundId: string;
  paymentId: string;
  providerReference: string | null;
  invoiceId: string | null;
  amount: number;
  currency: string;
  reason: string;
}

export interface RefundResult {
  providerRefundId: string;
  /** 'succeeded': accepted (card refunds still take days to reach the card); 'failed': refused. */
  status: 'succeeded' | 'pending' | 'failed';
  reason?: string;
}

/**
 * One interface for every way to pay. 'pass' providers collect one payment that extends a pass
 * (mobile money, sandbox); 'recurring' providers run a subscription on their side (Stripe cards),
 * whose later renewals arrive as webhooks.
 */
export interface PaymentProvider {
  readonly name: PaymentProviderName;
  readonly mode: 'pass' | 'recurring';
  readonly currencies: readonly string[];
  readonly needsPhone: boolean;
  /** Asks the provider to collect. Must be safe to call twice for one paymentId (idempotency key). */
  start(request: CollectionRequest): Promise<StartedCollection>;
  /**
   * The provider reference, when it is derived from our payment id before anything is sent (MoMo's
   * X-Reference-Id, Airtel's transaction id). The payment is claimed with it first, so a retry or a
   * double-click never prompts the phone twice, and a request whose answer was lost can still be
   * asked about.
   */
  referenceFor?(paymentId: string): string;
  /** Asks the provider about a payment: the only thing ever trusted, never a callback's body. */
  status(providerReference: string): Promise<ProviderStatus>;
  /**
   * Sends money back. Providers without one (MTN MoMo needs the separate Disbursements product,
   * Airtel's refund API reverses whole transactions only) leave refunds to finance, by hand.
   */
  refund?(request: RefundRequest): Promise<RefundResult>;
  /** Which payment a callback is about (our payment id or the provider reference); null when unreadable. */
  callbackReference?(
    body: unknown,
    headers: Record<string, string | string[] | undefined>,
    raw: Buffer,
  ): CallbackClaim | null;
}

export interface CallbackClaim {
  paymentId?: string;
  providerReference?: string;
  /** False when the callback carried a signature and it did not verify. */
  signatureValid: boolean;
}

export class ProviderError extends Error {
  constructor(
    readonly provider: PaymentProviderName,
    message: string,
    readonly status?: number,
  ) {
    super(`${provider}: ${message}`);
    this.name = 'ProviderError';
  }
}

/** fetch with a deadline; providers that hang must not hold a request forever. */
export async function providerFetch(
  provider: PaymentProviderName,
  url: string,
  init: RequestInit & { timeoutMs?: number },
): Promise<Response> {
  try {
    return await fetch(url, { ...init, signal: AbortSignal.timeout(init.timeoutMs ?? 15_000) });
  } catch (err) {
    throw new ProviderError(provider, `request to ${new URL(url).pathname} failed: ${(err as Error).message}`);
  }
}
