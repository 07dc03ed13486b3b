import { AppError } from '@kush/contracts';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { z } from 'zod';
import { DOCUMENT_SECURITY_HEADERS } from '../../plugins/security-headers';
import type { BillingService } from './billing.service';
import { formatMoney } from './passes';
import type { SandboxProvider } from './providers/sandbox';

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escape(title)}</title>
<style>body{font-family:system-ui,sans-serif;background:#0b0b0f;color:#f4f4f5;margin:0;padding:24px;display:flex;justify-content:center}
main{max-width:420px;width:100%}h1{color:#f59e0b;font-size:20px}.amount{font-size:28px;font-weight:700;margin:8px 0}
.note{color:#a1a1aa;font-size:13px}form{display:flex;gap:12px;margin-top:24px}button{flex:1;padding:14px;border:0;border-radius:8px;font-size:16px;font-weight:600;cursor:pointer}
.approve{background:#16a34a;color:#fff}.decline{background:#3f3f46;color:#fff}a{color:#f59e0b}</style></head>
<body><main><h1>Kush Films sandbox payment</h1>${body}</main></body></html>`;
}

/** An HTML page: the document security policy (the API's own is for data), never cached. */
function sendPage(reply: FastifyReply, html: string) {
  return reply
    .headers(DOCUMENT_SECURITY_HEADERS)
    .type('text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(html);
}

const Params = z.object({ id: z.uuid() });
const Query = z.object({ sig: z.string().max(100) });
const Decision = z.object({ sig: z.string().max(100), decision: z.enum(['approve', 'decline']) });

/**
 * The sandbox provider's checkout page: what a viewer sees at a real provider, without one. Plain
 * HTML with a form, so Approve and Decline work without JavaScript. Public like a provider's page
 * (no session cookie is needed); the signed link is what authorises the decision.
 */
export const sandboxRoutes: FastifyPluginAsync<{ billing: BillingService; sandbox: SandboxProvider }> = async (
  app,
  { billing, sandbox },
) => {
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: 4096 },
    (_req, body, done) => done(null, Object.fromEntries(new URLSearchParams(body as string))),
  );

  const load = async (params: unknown, sig: unknown) => {
    const { id } = parse(Params, params, 'params');
    if (typeof sig !== 'string' || !sandbox.verifySignature(id, sig)) {
      throw new AppError('NOT_FOUND', 'No such sandbox payment.');
    }
    const tx = await sandbox.find(id);
    if (!tx) throw new AppError('NOT_FOUND', 'No such sandbox payment.');
    return tx;
  };

  app.get('/checkout/:id', { config: { auth: 'public' }, schema: { hide: true } }, async (request, reply) => {
    const { sig } = parse(Query, request.query, 'querystring');
    const tx = await load(request.params, sig);
    const amount = escape(formatMoney(tx.currency, tx.amount));
    const body =
      tx.status === 'pending'
        ? `<p>${escape(tx.description)}</p><p class="amount">${amount}</p>
<p class="note">This is a test payment: no money moves. Approve to see the purchase succeed, decline to see it fail.</p>
<form method="post" action="${escape(`/api/v1/billing/sandbox/checkout/${tx.id}`)}">
<input type="hidden" name="sig" value="${escape(sig)}">
<button class="approve" name="decision" value="approve" type="submit">Approve</button>
<button class="decline" name="decision" value="decline" type="submit">Decline</button></form>`
        : `<p>This payment of ${amount} was already ${escape(tx.status)}.</p>`;
    return sendPage(reply, page('Approve payment', body));
  });

  app.post('/checkout/:id', { config: { auth: 'public' }, schema: { hide: true } }, async (request, reply) => {
    const form = parse(Decision, request.body, 'body');
    const tx = await load(request.params, form.sig);
    await sandbox.decide(tx.id, form.decision === 'approve' ? 'approved' : 'declined');
    // As MTN would: a callback naming the transaction, verified by asking the provider.
    const { status } = await billing.handleCallback('sandbox', { transactionId: tx.id });
    const amount = escape(formatMoney(tx.currency, tx.amount));
    const text =
      status === 'succeeded'
        ? `<p>Payment of ${amount} approved. Your access is ready.</p>`
        : `<p>Payment of ${amount} ${status === 'pending' ? 'is still being processed' : 'was declined; nothing was taken'}.</p>`;
    return sendPage(
      reply,
      page(
        'Payment',
        `${text}<p><a href="/account/billing?payment=${escape(tx.externalId)}">Back to Kush Films</a></p>`,
      ),
    );
  });
};

function parse<T extends z.ZodType>(schema: T, value: unknown, where: string): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new AppError(
      'VALIDATION_FAILED',
      `Invalid ${where}`,
      result.error.issues.map((i) => ({ in: where, path: i.path.join('.'), message: i.message })),
    );
  }
  return result.data;
}
