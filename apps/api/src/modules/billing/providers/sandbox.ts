import { createHmac, timingSafeEqual } from 'node:crypto';
import { type Database, sandboxTransactions } from '@kush/db';
import { and, eq } from 'drizzle-orm';
import type { CallbackClaim, CollectionRequest, PaymentProvider, ProviderStatus, StartedCollection } from './types';

export const SANDBOX_ROUTE = '/api/v1/billing/sandbox/checkout';

/**
 * A pretend payment provider for machines without provider accounts (refused in production by
 * the configuration). It behaves like a real asynchronous one: a payment stays pending until
 * someone approves or declines it on its checkout page; its decision lives in its own table and
 * the API learns it only through the same callback → status query path as MTN MoMo.
 */
export class SandboxProvider implements PaymentProvider {
  readonly name = 'sandbox' as const;
  readonly mode = 'pass' as const;
  readonly currencies = ['UGX', 'USD'] as const;
  readonly needsPhone = false;

  constructor(
    private readonly db: Database,
    private readonly settings: { secret: string; publicBaseUrl: string },
  ) {}

  /** The checkout page link carries a signature, so only whoever started the payment can decide it. */
  signatureOf(transactionId: string): string {
    return createHmac('sha256', this.settings.secret).update(`sandbox-checkout.${transactionId}`).digest('base64url');
  }

  verifySignature(transactionId: string, signature: string): boolean {
    const expected = Buffer.from(this.signatureOf(transactionId));
    const given = Buffer.from(signature);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  checkoutUrl(transactionId: string): string {
    return `${this.settings.publicBaseUrl}${SANDBOX_ROUTE}/${transactionId}?sig=${this.signatureOf(transactionId)}`;
  }

  async start(request: CollectionRequest): Promise<StartedCollection> {
    // Our payment id is the transaction id: starting twice finds the same transaction.
    await this.db
      .insert(sandboxTransactions)
      .values({
        id: request.paymentId,
        externalId: request.paymentId,
        amount: request.amount,
        currency: request.currency,
        description: request.description,
      })
      .onConflictDoNothing();
    return { providerReference: request.paymentId, redirectUrl: this.checkoutUrl(request.paymentId) };
  }

  async status(providerReference: string): Promise<ProviderStatus> {
    const tx = await this.find(providerReference);
    if (!tx) return { status: 'failed', reason: 'unknown to the sandbox' };
    const common = { amount: tx.amount, currency: tx.currency, transactionId: `SBX-${tx.id.slice(-12)}` };
    if (tx.status === 'approved') return { status: 'succeeded', ...common };
    if (tx.status === 'declined') return { status: 'failed', reason: 'declined', ...common };
    return { status: 'pending', ...common };
  }

  callbackReference(body: unknown): CallbackClaim | null {
    const id = (body as { transactionId?: unknown } | null)?.transactionId;
    return typeof id === 'string' ? { providerReference: id, signatureValid: true } : null;
  }

  find(transactionId: string) {
    return this.db
      .select()
      .from(sandboxTransactions)
      .where(eq(sandboxTransactions.id, transactionId))
      .limit(1)
      .then((rows) => rows[0]);
  }

  /** The viewer's decision on the checkout page; only a pending transaction can be decided. */
  async decide(transactionId: string, decision: 'approved' | 'declined'): Promise<boolean> {
    const rows = await this.db
      .update(sandboxTransactions)
      .set({ status: decision, decidedAt: new Date() })
      .where(and(eq(sandboxTransactions.id, transactionId), eq(sandboxTransactions.status, 'pending')))
      .returning({ id: sandboxTransactions.id });
    return rows.length > 0;
  }
}
