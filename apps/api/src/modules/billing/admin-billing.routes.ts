import {
  CreatePlanBody,
  ErrorBody,
  IdParams,
  Payment,
  Plan,
  RefundBody,
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

/** Finance staff: plans, revenue and refunds. */
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

  app.post(
    '/payments/:id/refunds',
    {
      config: finance,
      schema: {
        tags: ['billing admin'],
        summary: 'Record a refund',
        params: IdParams,
        body: RefundBody,
        response: { 200: Payment, ...errors },
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
        summary: "A payment's ledger: every state change, oldest first",
        params: IdParams,
        response: {
          200: z.object({
            items: z.array(
              z.object({
                type: z.string(),
                fromStatus: z.string().nullable(),
                toStatus: z.string().nullable(),
                amount: z.number().int().nullable(),
                source: z.string(),
                data: z.record(z.string(), z.unknown()),
                createdAt: z.string(),
              }),
            ),
          }),
          ...errors,
        },
      },
    },
    async (request) => ({
      items: (await billing.ledger(request.params.id)).map((e) => ({ ...e, createdAt: e.createdAt.toISOString() })),
    }),
  );
};
