import {
  AdminPaymentPage,
  AdminPaymentQuery,
  CreatePlanBody,
  ErrorBody,
  IdParams,
  PaymentLedger,
  Plan,
  RefundBody,
  RefundResult,
  Revenue,
  RevenueQuery,
  UpdatePlanBody,
} from '@kush/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { BillingService } from './billing.service';
import type { PlansService } from './plans.service';
import type { RevenueService } from './revenue.service';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 429: ErrorBody };
const providerErrors = { ...errors, 502: ErrorBody };

/** Finance staff: plans, revenue, payments and refunds. */
export const adminBillingRoutes: FastifyPluginAsyncZod<{
  billing: BillingService;
  plans: PlansService;
  revenue: RevenueService;
}> = async (app, { billing, plans, revenue }) => {
  const finance = { auth: 'finance:manage' } as const;

  app.get(
    '/plans',
    {
      config: finance,
      schema: {
        tags: ['billing admin'],
        summary: 'Every plan, on sale or not',
        response: { 200: z.object({ items: z.array(Plan) }), ...errors },
      },
    },
    async () => ({ items: await plans.list(false) }),
  );

  app.post(
    '/plans',
    {
      config: finance,
      schema: {
        tags: ['billing admin'],
        summary: 'Create a plan',
        body: CreatePlanBody,
        response: { 201: Plan, ...errors },
      },
    },
    async (request, reply) => reply.code(201).send(await plans.create(request.principal!.userId, request.body)),
  );

  app.patch(
    '/plans/:id',
    {
      config: finance,
      schema: {
        tags: ['billing admin'],
        summary: 'Change a plan (subscriptions already bought keep their grants)',
        params: IdParams,
        body: UpdatePlanBody,
        response: { 200: Plan, ...errors },
      },
    },
    async (request) => plans.update(request.principal!.userId, request.params.id, request.body),
  );

  app.get(
    '/revenue',
    {
      config: finance,
      schema: {
        tags: ['billing admin'],
        summary: 'MRR, subscribers, and revenue by day, provider and currency',
        querystring: RevenueQuery,
        response: { 200: Revenue, ...errors },
      },
    },
    async (request) => revenue.report(request.query),
  );

  app.get(
    '/payments',
    {
      config: finance,
      schema: {
        tags: ['billing admin'],
        summary: "Every account's payments, newest first, with filters and search",
        description:
          'Filters: status, provider, plan (code), from/to (Africa/Kampala days, inclusive, on the time the payment was started). q finds a payment id, a phone number (payer, beneficiary or the number that approved), an email address or a provider reference (MoMo/Airtel transaction id, Stripe checkout session or invoice id).',
        querystring: AdminPaymentQuery,
        response: { 200: AdminPaymentPage, ...errors },
      },
    },
    async (request) => billing.searchPayments(request.query),
  );

  app.post(
    '/payments/:id/refunds',
    {
      config: finance,
      schema: {
        tags: ['billing admin'],
        summary: 'Refund a payment (sent to the provider when it has a refund API, otherwise recorded as manual)',
        params: IdParams,
        body: RefundBody,
        response: { 200: RefundResult, ...providerErrors },
      },
    },
    async (request) => billing.refund(request.principal!.userId, request.params.id, request.body),
  );

  app.get(
    '/payments/:id/ledger',
    {
      config: finance,
      schema: {
        tags: ['billing admin'],
        summary: "A payment's ledger (every state change, oldest first) and its refunds",
        params: IdParams,
        response: { 200: PaymentLedger, ...errors },
      },
    },
    async (request) => billing.ledger(request.params.id),
  );
};
