import { AppError, ErrorBody, PaymentProviderName } from '@kush/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { BillingService } from './billing.service';
import type { StripeWebhooks } from './stripe-webhooks.service';

const errors = { 400: ErrorBody, 403: ErrorBody, 404: ErrorBody, 415: ErrorBody };

/**
 * Provider → API. Public routes: Stripe's are verified by signature against the raw body; mobile
 * money callbacks only name a payment, which is then asked of the provider.
 */
export const webhookRoutes: FastifyPluginAsyncZod<{
  billing: BillingService;
  stripeWebhooks: StripeWebhooks | null;
}> = async (app, { billing, stripeWebhooks }) => {
  // This plugin is encapsulated: the raw-body parser applies to its routes only, keeping the Buffer
  // the signature was computed over. The app's JSON parser elsewhere is untouched.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 1024 * 1024 }, (_request, body, done) =>
    done(null, body),
  );

  app.post(
    '/webhooks/stripe',
    {
      config: { auth: 'public' },
      schema: {
        tags: ['billing'],
        summary: 'Stripe webhook endpoint (signed)',
        hide: true,
        response: { 200: z.object({ received: z.literal(true), applied: z.boolean() }), ...errors },
      },
    },
    async (request) => {
      if (!stripeWebhooks) throw new AppError('NOT_FOUND', 'Card payments are not enabled.');
      const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const signature = request.headers['stripe-signature'];
      const event = stripeWebhooks.verify(raw, typeof signature === 'string' ? signature : undefined);
      const { applied } = await stripeWebhooks.handle(event);
      return { received: true as const, applied };
    },
  );

  // MTN delivers callbacks with PUT as well as POST (its documentation asks to allow both).
  app.route({
    method: ['POST', 'PUT'],
    url: '/callbacks/:provider',
    config: { auth: 'public' },
    schema: {
      tags: ['billing'],
      summary: 'Mobile-money callbacks (MTN MoMo, Airtel Money): verified by asking the provider',
      hide: true,
      params: z.object({ provider: PaymentProviderName }),
      response: { 200: z.object({ received: z.literal(true) }), ...errors },
    },
    handler: async (request) => {
      const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      let body: unknown;
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        throw new AppError('MALFORMED_JSON', 'The request body is not valid JSON.');
      }
      await billing.handleCallback(request.params.provider, body, request.headers, raw);
      return { received: true as const };
    },
  });
};
