import {
  CheckoutBody,
  CheckoutResult,
  ErrorBody,
  IdParams,
  MyBilling,
  Payment,
  PaymentListQuery,
  PaymentPage,
  PlanList,
  PortalResult,
  Receipt,
} from '@kush/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { BillingService } from './billing.service';
import type { PlansService } from './plans.service';

const errors = {
  400: ErrorBody,
  401: ErrorBody,
  403: ErrorBody,
  404: ErrorBody,
  409: ErrorBody,
  429: ErrorBody,
  502: ErrorBody,
};

/** The viewer's side: plans, checkout, payment status, history and receipts. */
export const billingRoutes: FastifyPluginAsyncZod<{
  billing: BillingService;
  plans: PlansService;
  webUrl: string;
}> = async (app, { billing, plans, webUrl }) => {
  app.get(
    '/plans',
    {
      config: { auth: 'public' },
      schema: {
        tags: ['billing'],
        summary: 'Plans on sale and the ways to pay for them',
        response: { 200: PlanList, ...errors },
      },
    },
    async () => ({ items: await plans.list(true), methods: billing.methods() }),
  );

  app.post(
    '/checkout',
    {
      config: { auth: 'account:self' },
      schema: {
        tags: ['billing'],
        summary: 'Start paying for a plan (amount from the plan); the same idempotency key returns the same payment',
        body: CheckoutBody,
        response: { 201: CheckoutResult, ...errors },
      },
    },
    async (request, reply) => reply.code(201).send(await billing.checkout(request.principal!.userId, request.body)),
  );

  app.get(
    '/me',
    {
      config: { auth: 'account:self' },
      schema: {
        tags: ['billing'],
        summary: 'What the account may do now, and its subscriptions and passes',
        response: { 200: MyBilling, ...errors },
      },
    },
    async (request) => billing.mine(request.principal!.userId),
  );

  app.get(
    '/payments',
    {
      config: { auth: 'account:self' },
      schema: {
        tags: ['billing'],
        summary: 'Payment history, newest first',
        querystring: PaymentListQuery,
        response: { 200: PaymentPage, ...errors },
      },
    },
    async (request) => billing.listPayments(request.principal!.userId, request.query),
  );

  app.get(
    '/payments/:id',
    {
      config: { auth: 'account:self' },
      schema: {
        tags: ['billing'],
        summary: 'One payment; while pending, the provider is asked again (the page polls this)',
        params: IdParams,
        response: { 200: Payment, ...errors },
      },
    },
    async (request) => billing.paymentStatus(request.principal!.userId, request.params.id),
  );

  app.get(
    '/payments/:id/receipt',
    {
      config: { auth: 'account:self' },
      schema: {
        tags: ['billing'],
        summary: 'The receipt of a completed payment',
        params: IdParams,
        response: { 200: Receipt, ...errors },
      },
    },
    async (request) => billing.receipt(request.principal!.userId, request.params.id, webUrl),
  );

  app.post(
    '/portal',
    {
      config: { auth: 'account:self' },
      schema: {
        tags: ['billing'],
        summary: "Stripe's Customer Portal: change the card or cancel",
        response: { 200: PortalResult, ...errors },
      },
    },
    async (request) => ({ url: await billing.portal(request.principal!.userId) }),
  );
};
