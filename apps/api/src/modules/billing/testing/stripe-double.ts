import { type DoubleReply, type ReceivedRequest, startHttpDouble } from './http-double';

type Form = { [key: string]: string | Form | Form[] | string[] };

/**
 * Stripe's form encoding (`line_items[0][price_data][currency]=usd`) back into objects; indexed
 * keys become arrays. Values stay strings, as Stripe receives them.
 */
export function parseStripeForm(raw: string): Form {
  const root: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    const parts = key.replace(/\]/g, '').split('[');
    let node = root;
    parts.forEach((part, i) => {
      if (i === parts.length - 1) node[part] = value;
      else node = (node[part] ??= {}) as Record<string, unknown>;
    });
  }
  const arrays = (value: unknown): unknown => {
    if (typeof value !== 'object' || value === null) return value;
    const entries = Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, arrays(v)] as const);
    return entries.length > 0 && entries.every(([k], i) => k === String(i))
      ? entries.map(([, v]) => v)
      : Object.fromEntries(entries);
  };
  return arrays(root) as Form;
}

export interface StripeCall extends ReceivedRequest {
  form: Form;
}

interface CheckoutSession {
  id: string;
  object: 'checkout.session';
  mode: string;
  status: 'open' | 'complete' | 'expired';
  payment_status: 'unpaid' | 'paid' | 'no_payment_required';
  amount_total: number;
  currency: string;
  customer: string | null;
  client_reference_id: string | null;
  metadata: Record<string, string>;
  subscription: string | null;
  invoice: string | null;
  success_url: string;
  cancel_url: string;
  url: string | null;
}

const stripeError = (status: number, type: string, message: string): DoubleReply => ({
  status,
  body: { error: { type, message } },
});

export interface StripeRefund {
  id: string;
  object: 'refund';
  amount: number;
  currency: string;
  payment_intent: string;
  status: 'succeeded' | 'pending' | 'failed';
  reason: string | null;
  metadata: Record<string, string>;
  failure_reason: string | null;
}

/**
 * The parts of Stripe's HTTP API the billing module calls through the official SDK: customers,
 * Checkout Sessions (create, retrieve), Customer Portal sessions, subscriptions (retrieve, cancel),
 * invoice payments (list by invoice) and refunds (create: bounded by what the PaymentIntent
 * received, like Stripe). It checks the secret key and honours Idempotency-Key like Stripe: a
 * repeated key replays the first answer and creates nothing.
 */
export async function startStripeDouble(secretKey: string) {
  let seq = 0;
  const id = (prefix: string) => `${prefix}_test_${(++seq).toString(36).padStart(8, '0')}`;
  const customers = new Map<string, { id: string; email: string | null; metadata: Record<string, string> }>();
  const sessions = new Map<string, CheckoutSession>();
  const portals = new Map<string, { id: string; customer: string; return_url: string; url: string }>();
  const subscriptions = new Map<string, Record<string, unknown>>();
  /** Paid invoices: the PaymentIntent that paid each, and how much it received. */
  const invoices = new Map<string, { id: string; payment_intent: string; amount_paid: number; currency: string }>();
  const refunds = new Map<string, StripeRefund>();
  const replays = new Map<string, DoubleReply>();
  const calls: StripeCall[] = [];
  /** Replies to the next calls to a path instead of handling them (a refusal, an outage). */
  const planned: { method: string; path: string; reply: DoubleReply }[] = [];

  function handle(call: StripeCall): DoubleReply {
    const { form } = call;
    if (call.method === 'POST' && call.path === '/v1/customers') {
      const customer = {
        id: id('cus'),
        object: 'customer',
        email: (form.email as string | undefined) ?? null,
        metadata: (form.metadata as Record<string, string> | undefined) ?? {},
      };
      customers.set(customer.id, customer);
      return { status: 200, body: customer };
    }
    if (call.method === 'POST' && call.path === '/v1/checkout/sessions') {
      const items = (form.line_items as Form[] | undefined) ?? [];
      const price = items[0]?.price_data as Form | undefined;
      if (!form.mode || !form.success_url || !price) {
        return stripeError(400, 'invalid_request_error', 'mode, success_url and line_items are required');
      }
      const customer = (form.customer as string | undefined) ?? null;
      if (customer && !customers.has(customer)) {
        return stripeError(400, 'invalid_request_error', `No such customer: '${customer}'`);
      }
      const sessionId = id('cs');
      const session: CheckoutSession = {
        id: sessionId,
        object: 'checkout.session',
        mode: form.mode as string,
        status: 'open',
        payment_status: 'unpaid',
        amount_total: Number(price.unit_amount) * Number(items[0]!.quantity ?? 1),
        currency: price.currency as string,
        customer,
        client_reference_id: (form.client_reference_id as string | undefined) ?? null,
        metadata: (form.metadata as Record<string, string> | undefined) ?? {},
        subscription: null,
        invoice: null,
        success_url: form.success_url as string,
        cancel_url: form.cancel_url as string,
        url: `https://checkout.stripe.com/c/pay/${sessionId}`,
      };
      sessions.set(sessionId, session);
      return { status: 200, body: session };
    }
    const sessionPath = /^\/v1\/checkout\/sessions\/([^/]+)$/.exec(call.path);
    if (call.method === 'GET' && sessionPath) {
      const session = sessions.get(sessionPath[1]!);
      return session
        ? { status: 200, body: session }
        : stripeError(404, 'invalid_request_error', `No such checkout.session: '${sessionPath[1]}'`);
    }
    if (call.method === 'POST' && call.path === '/v1/billing_portal/sessions') {
      const customer = form.customer as string | undefined;
      if (!customer || !customers.has(customer)) {
        return stripeError(400, 'invalid_request_error', `No such customer: '${customer}'`);
      }
      const portalId = id('bps');
      const portal = {
        id: portalId,
        object: 'billing_portal.session',
        customer,
        return_url: form.return_url as string,
        url: `https://billing.stripe.com/p/session/${portalId}`,
      };
      portals.set(portalId, portal);
      return { status: 200, body: portal };
    }
    const subscriptionPath = /^\/v1\/subscriptions\/([^/]+)$/.exec(call.path);
    if ((call.method === 'GET' || call.method === 'DELETE') && subscriptionPath) {
      const sub = subscriptions.get(subscriptionPath[1]!);
      if (!sub) return stripeError(404, 'invalid_request_error', `No such subscription: '${subscriptionPath[1]}'`);
      if (call.method === 'DELETE') {
        if (sub.status === 'canceled') {
          return stripeError(400, 'invalid_request_error', 'This subscription has already been canceled.');
        }
        Object.assign(sub, {
          status: 'canceled',
          canceled_at: Math.floor(Date.now() / 1000),
          ended_at: Math.floor(Date.now() / 1000),
        });
      }
      return { status: 200, body: sub };
    }
    if (call.method === 'GET' && call.path === '/v1/invoice_payments') {
      const invoice = invoices.get(call.query.get('invoice') ?? '');
      const data = invoice
        ? [
            {
              id: `inpay_${invoice.id}`,
              object: 'invoice_payment',
              invoice: invoice.id,
              status: 'paid',
              is_default: true,
              amount_paid: invoice.amount_paid,
              currency: invoice.currency,
              payment: { type: 'payment_intent', payment_intent: invoice.payment_intent },
            },
          ]
        : [];
      return { status: 200, body: { object: 'list', data, has_more: false, url: '/v1/invoice_payments' } };
    }
    if (call.method === 'POST' && call.path === '/v1/refunds') {
      const intent = form.payment_intent as string | undefined;
      const invoice = [...invoices.values()].find((i) => i.payment_intent === intent);
      if (!intent || !invoice) {
        return stripeError(400, 'invalid_request_error', `No such payment_intent: '${intent ?? ''}'`);
      }
      const already = [...refunds.values()]
        .filter((r) => r.payment_intent === intent && r.status !== 'failed')
        .reduce((sum, r) => sum + r.amount, 0);
      const amount = form.amount === undefined ? invoice.amount_paid - already : Number(form.amount);
      if (!Number.isInteger(amount) || amount <= 0 || already + amount > invoice.amount_paid) {
        return stripeError(
          400,
          'invalid_request_error',
          `Refund amount (${amount}) is greater than unrefunded amount on charge (${invoice.amount_paid - already})`,
        );
      }
      const refund: StripeRefund = {
        id: id('re'),
        object: 'refund',
        amount,
        currency: invoice.currency,
        payment_intent: intent,
        status: 'succeeded',
        reason: (form.reason as string | undefined) ?? null,
        metadata: (form.metadata as Record<string, string> | undefined) ?? {},
        failure_reason: null,
      };
      refunds.set(refund.id, refund);
      return { status: 200, body: refund };
    }
    return stripeError(404, 'invalid_request_error', `Unrecognized request URL (${call.method}: ${call.path})`);
  }

  const double = await startHttpDouble((request) => {
    if (request.headers.authorization !== `Bearer ${secretKey}`) {
      return stripeError(401, 'invalid_request_error', 'Invalid API Key provided');
    }
    const call: StripeCall = { ...request, form: parseStripeForm(request.raw) };
    calls.push(call);
    const next = planned.findIndex((p) => p.method === call.method && p.path === call.path);
    if (next >= 0) return planned.splice(next, 1)[0]!.reply;
    const key = request.headers['idempotency-key'];
    const replayKey = typeof key === 'string' ? `${request.method} ${request.path} ${key}` : null;
    if (replayKey && replays.has(replayKey)) {
      const first = replays.get(replayKey)!;
      return { ...first, headers: { ...first.headers, 'idempotent-replayed': 'true' } };
    }
    const reply = handle(call);
    if (replayKey && reply.status < 500) replays.set(replayKey, reply);
    return reply;
  });

  return {
    ...double,
    calls,
    customers,
    sessions,
    portals,
    subscriptions,
    invoices,
    refunds,
    /** Stripe calls to one path, with their decoded form bodies. */
    callsTo(method: string, path: string | RegExp): StripeCall[] {
      return calls.filter(
        (c) => c.method === method && (typeof path === 'string' ? c.path === path : path.test(c.path)),
      );
    },
    /** The next call to this path gets this reply (`stripe-should-retry: false` keeps the SDK from retrying). */
    replyToNext(method: string, path: string, reply: DoubleReply) {
      planned.push({
        method,
        path,
        reply: { ...reply, headers: { 'stripe-should-retry': 'false', ...reply.headers } },
      });
    },
    /**
     * The viewer paid on the Checkout page: the session is complete, its first invoice was paid by
     * a PaymentIntent, and the subscription exists (an active one for a month from now, unless the
     * test put its own in `subscriptions` first).
     */
    completeSession(sessionId: string, subscriptionId: string, invoiceId: string) {
      const session = sessions.get(sessionId)!;
      Object.assign(session, {
        status: 'complete',
        payment_status: 'paid',
        subscription: subscriptionId,
        invoice: invoiceId,
        url: null,
      });
      invoices.set(invoiceId, {
        id: invoiceId,
        payment_intent: id('pi'),
        amount_paid: session.amount_total,
        currency: session.currency,
      });
      if (!subscriptions.has(subscriptionId)) {
        const start = Math.floor(Date.now() / 1000);
        subscriptions.set(subscriptionId, {
          id: subscriptionId,
          object: 'subscription',
          customer: session.customer,
          status: 'active',
          cancel_at_period_end: false,
          start_date: start,
          metadata: session.metadata,
          items: {
            object: 'list',
            data: [
              {
                id: id('si'),
                object: 'subscription_item',
                current_period_start: start,
                current_period_end: start + 30 * 86_400,
                price: {
                  id: id('price'),
                  object: 'price',
                  currency: session.currency,
                  unit_amount: session.amount_total,
                  recurring: { interval: 'month', interval_count: 1 },
                },
              },
            ],
          },
        });
      }
      return session;
    },
  };
}

export type StripeDouble = Awaited<ReturnType<typeof startStripeDouble>>;
