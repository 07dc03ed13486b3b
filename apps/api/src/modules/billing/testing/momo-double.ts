import { randomUUID } from 'node:crypto';
import { type DoubleReply, jsonOf, type ReceivedRequest, startHttpDouble } from './http-double';

export interface MomoCredentials {
  subscriptionKey: string;
  apiUser: string;
  apiKey: string;
  targetEnvironment: string;
}

type MomoStatus = 'PENDING' | 'SUCCESSFUL' | 'FAILED';

interface RequestToPay {
  referenceId: string;
  amount: string;
  currency: string;
  externalId: string;
  payer: { partyIdType: string; partyId: string };
  payerMessage: string;
  payeeNote: string;
  callbackUrl: string | undefined;
  status: MomoStatus;
  financialTransactionId?: string;
  reason?: { code: string; message: string };
  /** What the status query reports as paid when a test wants it to differ from what was asked. */
  reportedAmount?: string;
}

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/**
 * MTN MoMo's Collection API as its public documentation describes it: a Basic-auth token endpoint,
 * request-to-pay keyed by the caller's X-Reference-Id (202 Accepted, 409 for a reference already
 * used), and the status query. Tests decide each request's fate with `settle`.
 */
export async function startMomoDouble(credentials: MomoCredentials) {
  const tokens = new Set<string>();
  const transactions = new Map<string, RequestToPay>();
  /** Replies to the next request-to-pay, instead of handling it (a lost answer, an outage). */
  const nextRequestToPay: DoubleReply[] = [];
  let acceptAndLoseAnswer = false;

  const error = (status: number, code: string, message: string): DoubleReply => ({
    status,
    body: { code, message },
  });

  function authorized(request: ReceivedRequest): boolean {
    const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    return (
      !!bearer &&
      tokens.has(bearer) &&
      request.headers['ocp-apim-subscription-key'] === credentials.subscriptionKey &&
      request.headers['x-target-environment'] === credentials.targetEnvironment
    );
  }

  const double = await startHttpDouble((request) => {
    if (request.method === 'POST' && request.path === '/collection/token/') {
      const basic = Buffer.from(`${credentials.apiUser}:${credentials.apiKey}`).toString('base64');
      if (
        request.headers.authorization !== `Basic ${basic}` ||
        request.headers['ocp-apim-subscription-key'] !== credentials.subscriptionKey
      ) {
        return error(401, 'UNAUTHORIZED', 'Access denied due to invalid subscription key or credentials.');
      }
      const token = randomUUID();
      tokens.add(token);
      return { status: 200, body: { access_token: token, token_type: 'access_token', expires_in: 3600 } };
    }

    if (request.method === 'POST' && request.path === '/collection/v1_0/requesttopay') {
      if (!authorized(request)) return error(401, 'UNAUTHORIZED', 'Invalid or expired access token.');
      const planned = nextRequestToPay.shift();
      if (planned) return planned;
      const referenceId = request.headers['x-reference-id'];
      if (typeof referenceId !== 'string' || !UUID_V4.test(referenceId)) {
        return error(400, 'REFERENCE_ID_INVALID', 'X-Reference-Id must be a UUID v4.');
      }
      if (transactions.has(referenceId)) return error(409, 'RESOURCE_ALREADY_EXIST', 'Duplicated reference id.');
      const body = jsonOf<Omit<RequestToPay, 'referenceId' | 'status' | 'callbackUrl'>>(request);
      if (
        typeof body.amount !== 'string' ||
        !/^\d+$/.test(body.amount) ||
        body.payer?.partyIdType !== 'MSISDN' ||
        !/^\d{9,15}$/.test(body.payer.partyId)
      ) {
        return error(400, 'INVALID_REQUEST', 'amount must be a numeric string and payer an MSISDN.');
      }
      transactions.set(referenceId, {
        ...body,
        referenceId,
        callbackUrl: request.headers['x-callback-url'] as string | undefined,
        status: 'PENDING',
      });
      if (acceptAndLoseAnswer) {
        acceptAndLoseAnswer = false;
        return error(504, 'GATEWAY_TIMEOUT', 'The gateway timed out.');
      }
      return { status: 202 };
    }

    const statusPath = /^\/collection\/v1_0\/requesttopay\/([^/]+)$/.exec(request.path);
    if (request.method === 'GET' && statusPath) {
      if (!authorized(request)) return error(401, 'UNAUTHORIZED', 'Invalid or expired access token.');
      const tx = transactions.get(decodeURIComponent(statusPath[1]!));
      if (!tx) return error(404, 'RESOURCE_NOT_FOUND', 'Requested resource was not found.');
      return {
        status: 200,
        body: {
          amount: tx.reportedAmount ?? tx.amount,
          currency: tx.currency,
          ...(tx.financialTransactionId && { financialTransactionId: tx.financialTransactionId }),
          externalId: tx.externalId,
          payer: tx.payer,
          payerMessage: tx.payerMessage,
          payeeNote: tx.payeeNote,
          status: tx.status,
          ...(tx.reason && { reason: tx.reason }),
        },
      };
    }
    return error(404, 'RESOURCE_NOT_FOUND', `No route ${request.method} ${request.path}`);
  });

  return {
    ...double,
    transactions,
    /** The request-to-pay for one of our payments (externalId = our payment id). */
    byExternalId(paymentId: string): RequestToPay | undefined {
      return [...transactions.values()].find((t) => t.externalId === paymentId);
    },
    /** The subscriber approved (SUCCESSFUL) or declined (FAILED) on their phone. */
    settle(referenceId: string, status: MomoStatus, options: { reportedAmount?: string } = {}) {
      const tx = transactions.get(referenceId);
      if (!tx) throw new Error(`no request-to-pay ${referenceId}`);
      tx.status = status;
      if (status === 'SUCCESSFUL') tx.financialTransactionId = String(Date.now()).slice(-9);
      if (status === 'FAILED') tx.reason = { code: 'APPROVAL_REJECTED', message: 'The payer rejected the request.' };
      if (options.reportedAmount) tx.reportedAmount = options.reportedAmount;
    },
    /** The callback MTN sends when a request-to-pay is final: the status query's shape. */
    callbackFor(referenceId: string, claims: Partial<{ status: string; amount: string }> = {}) {
      const tx = transactions.get(referenceId)!;
      return {
        financialTransactionId: tx.financialTransactionId ?? '0',
        externalId: tx.externalId,
        amount: claims.amount ?? tx.amount,
        currency: tx.currency,
        payer: tx.payer,
        payeeNote: tx.payeeNote,
        payerMessage: tx.payerMessage,
        status: claims.status ?? tx.status,
      };
    },
    /** Every access token issued so far stops working (expiry, rotation). */
    revokeTokens: () => tokens.clear(),
    /** The next request-to-pay is accepted, but the answer is lost on the way back (504). */
    loseNextAnswer: () => {
      acceptAndLoseAnswer = true;
    },
    replyToNextRequestToPay: (reply: DoubleReply) => nextRequestToPay.push(reply),
  };
}

export type MomoDouble = Awaited<ReturnType<typeof startMomoDouble>>;
