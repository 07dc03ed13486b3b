import { randomUUID } from 'node:crypto';
import { type DoubleReply, jsonOf, type ReceivedRequest, startHttpDouble } from './http-double';

/** Airtel's transaction statuses: TS success, TF failed, TIP in progress, TA ambiguous, TE expired. */
type AirtelStatus = 'TS' | 'TF' | 'TIP' | 'TA' | 'TE';

interface UssdPush {
  id: string;
  amount: number;
  currency: string;
  country: string;
  msisdn: string;
  reference: string;
  status: AirtelStatus;
  airtelMoneyId?: string;
  message: string;
}

const envelope = (success: boolean, code: string, message: string) => ({
  status: {
    code,
    message,
    result_code: success ? 'ESB000010' : 'ESB000001',
    response_code: success ? 'DP00800001006' : 'DP00800001000',
    success,
  },
});

/**
 * Airtel Money's Open API (Uganda) as its public documentation describes it: OAuth2
 * client_credentials tokens, the USSD push (POST /merchant/v1/payments/, X-Country / X-Currency)
 * and the transaction enquiry (GET /standard/v1/payments/{id}). Tests decide each push's fate.
 */
export async function startAirtelDouble(credentials: { clientId: string; clientSecret: string }) {
  const tokens = new Set<string>();
  const pushes = new Map<string, UssdPush>();

  function authorized(request: ReceivedRequest): boolean {
    const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    return !!bearer && tokens.has(bearer);
  }
  const unauthorized: DoubleReply = { status: 401, body: envelope(false, '401', 'Unauthorized') };

  const double = await startHttpDouble((request) => {
    if (request.method === 'POST' && request.path === '/auth/oauth2/token') {
      const body = jsonOf<{ client_id?: string; client_secret?: string; grant_type?: string }>(request);
      if (
        body.client_id !== credentials.clientId ||
        body.client_secret !== credentials.clientSecret ||
        body.grant_type !== 'client_credentials'
      ) {
        return { status: 401, body: { error: 'invalid_client', error_description: 'Client authentication failed' } };
      }
      const token = randomUUID();
      tokens.add(token);
      return { status: 200, body: { access_token: token, expires_in: '180', token_type: 'bearer' } };
    }

    if (request.method === 'POST' && request.path === '/merchant/v1/payments/') {
      if (!authorized(request)) return unauthorized;
      const country = request.headers['x-country'];
      const currency = request.headers['x-currency'];
      if (country !== 'UG' || currency !== 'UGX') {
        return { status: 400, body: envelope(false, '400', 'X-Country and X-Currency are required') };
      }
      const body = jsonOf<{
        reference?: string;
        subscriber?: { country?: string; currency?: string; msisdn?: string | number };
        transaction?: { amount?: number; country?: string; currency?: string; id?: string };
      }>(request);
      const tx = body.transaction;
      const msisdn = String(body.subscriber?.msisdn ?? '');
      if (!tx?.id || typeof tx.amount !== 'number' || !/^\d{9}$/.test(msisdn)) {
        return { status: 400, body: envelope(false, '400', 'Invalid request') };
      }
      // Airtel refuses a transaction id it has seen: a second push is never sent for it.
      if (pushes.has(tx.id)) {
        return { status: 200, body: { data: {}, ...envelope(false, '400', 'Duplicate transaction id') } };
      }
      pushes.set(tx.id, {
        id: tx.id,
        amount: tx.amount,
        currency: currency,
        country: country,
        msisdn,
        reference: body.reference ?? '',
        status: 'TIP',
        message: 'In process',
      });
      return {
        status: 200,
        body: { data: { transaction: { id: tx.id, status: 'Success.' } }, ...envelope(true, '200', 'SUCCESS') },
      };
    }

    const enquiry = /^\/standard\/v1\/payments\/([^/]+)$/.exec(request.path);
    if (request.method === 'GET' && enquiry) {
      if (!authorized(request)) return unauthorized;
      const push = pushes.get(decodeURIComponent(enquiry[1]!));
      if (!push) return { status: 200, body: { data: {}, ...envelope(false, '404', 'Transaction not found') } };
      return {
        status: 200,
        body: {
          data: {
            transaction: {
              airtel_money_id: push.airtelMoneyId ?? null,
              id: push.id,
              message: push.message,
              status: push.status,
            },
          },
          ...envelope(true, '200', 'SUCCESS'),
        },
      };
    }
    return { status: 404, body: envelope(false, '404', `No route ${request.method} ${request.path}`) };
  });

  return {
    ...double,
    pushes,
    /** The subscriber entered their PIN (TS) or the payment failed (TF). */
    settle(id: string, status: AirtelStatus) {
      const push = pushes.get(id);
      if (!push) throw new Error(`no USSD push ${id}`);
      push.status = status;
      push.message = status === 'TS' ? 'Paid' : 'Transaction failed: insufficient funds';
      if (status === 'TS') push.airtelMoneyId = `MP${Date.now().toString().slice(-10)}`;
    },
    /** The callback Airtel sends when a push is final (the hash is added by the test). */
    callbackTransaction(id: string) {
      const push = pushes.get(id)!;
      return {
        id: push.id,
        message: push.message,
        status_code: push.status,
        airtel_money_id: push.airtelMoneyId ?? '',
      };
    },
  };
}

export type AirtelDouble = Awaited<ReturnType<typeof startAirtelDouble>>;
