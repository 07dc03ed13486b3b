import { createHmac, timingSafeEqual } from 'node:crypto';
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

export interface AirtelSettings {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  /** When set, callbacks must carry `hash` = base64 HMAC-SHA256 of their `transaction` object. */
  callbackSecret?: string;
}

const COUNTRY = 'UG';

/** Airtel's transaction id: ours, without dashes (Airtel rejects long ids with punctuation). */
export const airtelTransactionId = (paymentId: string) => paymentId.replace(/-/g, '');

export function airtelCallbackHash(secret: string, transaction: unknown): string {
  return createHmac('sha256', secret).update(JSON.stringify(transaction)).digest('base64');
}

/** Airtel Money Uganda: a USSD push to the subscriber's phone, then a callback and/or status enquiry. */
export class AirtelProvider implements PaymentProvider {
  readonly name = 'airtel_money' as const;
  readonly mode = 'pass' as const;
  readonly currencies = ['UGX'] as const;
  readonly needsPhone = true;
  private readonly token: CachedToken;
  private readonly base: string;

  constructor(private readonly settings: AirtelSettings) {
    this.base = settings.baseUrl.replace(/\/$/, '');
    this.token = new CachedToken(async () => {
      const res = await providerFetch(this.name, `${this.base}/auth/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: '*/*' },
        body: JSON.stringify({
          client_id: settings.clientId,
          client_secret: settings.clientSecret,
          grant_type: 'client_credentials',
        }),
      });
      if (!res.ok) throw new ProviderError(this.name, `token request refused (${res.status})`, res.status);
      const body = (await res.json()) as { access_token?: string; expires_in?: number | string };
      if (!body.access_token) throw new ProviderError(this.name, 'token response without access_token');
      return { token: body.access_token, expiresInSeconds: Number(body.expires_in ?? 180) };
    });
  }

  /** A call with the cached token; a token Airtel no longer accepts is replaced once (a 401 was not processed). */
  private async call(path: string, currency: string, init: RequestInit): Promise<Response> {
    for (let attempt = 0; ; attempt += 1) {
      const res = await providerFetch(this.name, `${this.base}${path}`, {
        ...init,
        headers: {
          authorization: `Bearer ${await this.token.get()}`,
          'content-type': 'application/json',
          accept: '*/*',
          'x-country': COUNTRY,
          'x-currency': currency,
        },
      });
      if (res.status !== 401 || attempt > 0) return res;
      this.token.clear();
    }
  }

  referenceFor(paymentId: string): string {
    return airtelTransactionId(paymentId);
  }

  async start(request: CollectionRequest): Promise<StartedCollection> {
    if (!request.msisdn) throw new ProviderError(this.name, 'a phone number is required');
    const id = airtelTransactionId(request.paymentId);
    const res = await this.call('/merchant/v1/payments/', request.currency, {
      method: 'POST',
      body: JSON.stringify({
        reference: `Kush Films ${request.planCode}`.slice(0, 64),
        // Airtel wants the national number, without the country code.
        subscriber: { country: COUNTRY, currency: request.currency, msisdn: request.msisdn.replace(/^\+?256/, '') },
        transaction: { amount: request.amount, country: COUNTRY, currency: request.currency, id },
      }),
    });
    const body = (await res.json().catch(() => ({}))) as { status?: { success?: boolean; message?: string } };
    if (!res.ok || body.status?.success === false) {
      throw new ProviderError(this.name, `USSD push refused (${res.status} ${body.status?.message ?? ''})`, res.status);
    }
    return { providerReference: id, redirectUrl: null };
  }

  async status(providerReference: string): Promise<ProviderStatus> {
    const res = await this.call(`/standard/v1/payments/${encodeURIComponent(providerReference)}`, 'UGX', {
      method: 'GET',
    });
    if (!res.ok) throw new ProviderError(this.name, `status enquiry refused (${res.status})`, res.status);
    const body = (await res.json()) as {
      data?: {
        transaction?: { status?: string; message?: string; airtel_money_id?: string; amount?: number | string };
      };
    };
    const tx = body.data?.transaction;
    const common = {
      transactionId: tx?.airtel_money_id,
      amount: tx?.amount !== undefined ? Number(tx.amount) : undefined,
    };
    if (tx?.status === 'TS') return { status: 'succeeded', ...common };
    if (tx?.status === 'TF' || tx?.status === 'TE')
      return { status: 'failed', reason: tx.message ?? 'declined', ...common };
    // TIP (in progress), TA (ambiguous): ask again later.
    return { status: 'pending', ...common };
  }

  callbackReference(body: unknown): CallbackClaim | null {
    const payload = body as { transaction?: { id?: unknown }; hash?: unknown } | null;
    const id = payload?.transaction?.id;
    if (typeof id !== 'string') return null;
    let signatureValid = true;
    if (this.settings.callbackSecret) {
      const expected = Buffer.from(airtelCallbackHash(this.settings.callbackSecret, payload!.transaction));
      const given = Buffer.from(typeof payload!.hash === 'string' ? payload!.hash : '');
      signatureValid = given.length === expected.length && timingSafeEqual(given, expected);
    }
    return { providerReference: id, signatureValid };
  }
}
