import { createHash } from 'node:crypto';
import { CachedToken } from './tokens';
import {
  type CallbackClaim,
  type CollectionRequest,
  type PaymentProvider,
  ProviderError,
  providerFetch,
  type ProviderStatus,
  type StartedCollection,
} from './types';

export interface MomoSettings {
  baseUrl: string;
  targetEnvironment: string;
  subscriptionKey: string;
  apiUser: string;
  apiKey: string;
  /** Where MTN sends the callback (our /api/v1/billing/callbacks/mtn_momo). */
  callbackUrl: string;
}

/**
 * The X-Reference-Id MTN requires (a UUID v4) is derived from our payment id, so a retried
 * request-to-pay carries the same reference and MTN answers 409 instead of charging twice.
 */
export function momoReferenceId(paymentId: string): string {
  const b = createHash('sha256').update(`momo:${paymentId}`).digest();
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.subarray(0, 16).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** MTN Mobile Money Collections: request-to-pay, then a callback and/or status polling. */
export class MomoProvider implements PaymentProvider {
  readonly name = 'mtn_momo' as const;
  readonly mode = 'pass' as const;
  readonly currencies = ['UGX'] as const;
  readonly needsPhone = true;
  private readonly token: CachedToken;
  private readonly base: string;

  constructor(private readonly settings: MomoSettings) {
    this.base = settings.baseUrl.replace(/\/$/, '');
    this.token = new CachedToken(async () => {
      const res = await providerFetch(this.name, `${this.base}/collection/token/`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${settings.apiUser}:${settings.apiKey}`).toString('base64')}`,
          'ocp-apim-subscription-key': settings.subscriptionKey,
        },
      });
      if (!res.ok) throw new ProviderError(this.name, `token request refused (${res.status})`, res.status);
      const body = (await res.json()) as { access_token?: string; expires_in?: number };
      if (!body.access_token) throw new ProviderError(this.name, 'token response without access_token');
      return { token: body.access_token, expiresInSeconds: Number(body.expires_in ?? 3600) };
    });
  }

  /**
   * A call with the cached token; a token MTN no longer accepts (expired early, rotated) is
   * replaced once. Safe for request-to-pay too: a 401 was not processed, and the retry carries the
   * same X-Reference-Id.
   */
  private async call(path: string, init: RequestInit & { headers?: Record<string, string> }): Promise<Response> {
    for (let attempt = 0; ; attempt += 1) {
      const res = await providerFetch(this.name, `${this.base}${path}`, {
        ...init,
        headers: {
          authorization: `Bearer ${await this.token.get()}`,
          'x-target-environment': this.settings.targetEnvironment,
          'ocp-apim-subscription-key': this.settings.subscriptionKey,
          ...init.headers,
        },
      });
      if (res.status !== 401 || attempt > 0) return res;
      this.token.clear();
    }
  }

  referenceFor(paymentId: string): string {
    return momoReferenceId(paymentId);
  }

  async start(request: CollectionRequest): Promise<StartedCollection> {
    if (!request.msisdn) throw new ProviderError(this.name, 'a phone number is required');
    const referenceId = momoReferenceId(request.paymentId);
    const res = await this.call('/collection/v1_0/requesttopay', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-reference-id': referenceId,
        'x-callback-url': this.settings.callbackUrl,
      },
      body: JSON.stringify({
        amount: String(request.amount),
        currency: request.currency,
        externalId: request.paymentId,
        payer: { partyIdType: 'MSISDN', partyId: request.msisdn.replace(/^\+/, '') },
        payerMessage: request.description.slice(0, 160),
        payeeNote: `Kush Films ${request.planCode}`,
      }),
    });
    // 409: this reference was already accepted (a retry); the payment is in progress.
    if (res.status !== 202 && res.status !== 409) {
      throw new ProviderError(this.name, `request-to-pay refused (${res.status})`, res.status);
    }
    return { providerReference: referenceId, redirectUrl: null };
  }

  async status(providerReference: string): Promise<ProviderStatus> {
    const res = await this.call(`/collection/v1_0/requesttopay/${encodeURIComponent(providerReference)}`, {
      method: 'GET',
    });
    if (res.status === 404) return { status: 'failed', reason: 'unknown to MTN MoMo' };
    if (!res.ok) throw new ProviderError(this.name, `status query refused (${res.status})`, res.status);
    const body = (await res.json()) as {
      status?: string;
      amount?: string;
      currency?: string;
      financialTransactionId?: string;
      reason?: string | { code?: string; message?: string };
    };
    const reason = typeof body.reason === 'string' ? body.reason : (body.reason?.code ?? body.reason?.message);
    const common = {
      amount: body.amount !== undefined ? Number(body.amount) : undefined,
      currency: body.currency,
      transactionId: body.financialTransactionId,
    };
    if (body.status === 'SUCCESSFUL') return { status: 'succeeded', ...common };
    if (body.status === 'FAILED' || body.status === 'REJECTED' || body.status === 'TIMEOUT') {
      return { status: 'failed', reason: reason ?? body.status.toLowerCase(), ...common };
    }
    return { status: 'pending', ...common };
  }

  /** MTN callbacks are not signed: they only say which payment to ask about. */
  callbackReference(body: unknown): CallbackClaim | null {
    const externalId = (body as { externalId?: unknown } | null)?.externalId;
    return typeof externalId === 'string' ? { paymentId: externalId, signatureValid: true } : null;
  }
}
