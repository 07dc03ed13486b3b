import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context';
import { NotificationsService } from '../viewer/services';
import { adminBillingRoutes } from './admin-billing.routes';
import { billingRoutes } from './billing.routes';
import { BillingService } from './billing.service';
import { PlansService } from './plans.service';
import { createProviders } from './providers';
import { RevenueService } from './revenue.service';
import { sandboxRoutes } from './sandbox.routes';
import { StripeWebhooks } from './stripe-webhooks.service';
import { webhookRoutes } from './webhooks.routes';

export { seedPlans } from './plans.service';

/** The billing services one process needs, built the same way by the API and the worker. */
export function createBilling(ctx: AppContext, onError: (error: unknown, what: string) => void = () => {}) {
  const db = ctx.db.db;
  const providers = createProviders(ctx.config, db);
  const notifications = new NotificationsService({ db, queue: ctx.infra.queue, webUrl: ctx.config.WEB_URL });
  const billing = new BillingService(
    db,
    providers,
    notifications,
    { graceDays: ctx.config.BILLING_GRACE_DAYS },
    onError,
  );
  const stripeWebhooks = providers.stripe
    ? new StripeWebhooks(db, providers.stripe, billing, notifications, ctx.config.BILLING_GRACE_DAYS, onError)
    : null;
  return { providers, notifications, billing, stripeWebhooks };
}

/**
 * Plans, payments and passes: checkout with the configured providers, their callbacks and
 * webhooks, the sandbox approval page, payment history and receipts, and finance's screens.
 */
export async function billingModule(app: FastifyInstance, { ctx }: { ctx: AppContext }): Promise<void> {
  const onError = (error: unknown, what: string) => app.log.error({ err: error }, `billing: ${what} failed`);
  const { providers, billing, stripeWebhooks } = createBilling(ctx, onError);
  const plans = new PlansService(ctx.db.db);
  await app.register(billingRoutes, { prefix: '/api/v1/billing', billing, plans, webUrl: ctx.config.WEB_URL });
  await app.register(webhookRoutes, { prefix: '/api/v1/billing', billing, stripeWebhooks });
  if (providers.sandbox) {
    await app.register(sandboxRoutes, { prefix: '/api/v1/billing/sandbox', billing, sandbox: providers.sandbox });
  }
  await app.register(adminBillingRoutes, {
    prefix: '/api/v1/admin/billing',
    billing,
    plans,
    revenue: new RevenueService(ctx.db.db),
  });
}
