import type { Config } from '@kush/config';
import type { PaymentProviderName } from '@kush/contracts';
import type { Database } from '@kush/db';
import { AirtelProvider } from './airtel';
import { MomoProvider } from './momo';
import { SandboxProvider } from './sandbox';
import { StripeProvider } from './stripe';
import type { PaymentProvider } from './types';

export type { PaymentProvider } from './types';

export interface Providers {
  all: Map<PaymentProviderName, PaymentProvider>;
  sandbox: SandboxProvider | null;
  stripe: StripeProvider | null;
}

/**
 * The providers PAYMENT_PROVIDERS enables, with credentials from the configuration (which has
 * already refused the sandbox in production and missing credentials).
 */
export function createProviders(config: Config, db: Database): Providers {
  const all = new Map<PaymentProviderName, PaymentProvider>();
  const api = config.PUBLIC_API_URL.replace(/\/$/, '');
  let sandbox: SandboxProvider | null = null;
  let stripe: StripeProvider | null = null;
  for (const name of config.PAYMENT_PROVIDERS) {
    switch (name) {
      case 'sandbox':
        sandbox = new SandboxProvider(db, {
          secret: config.MEDIA_SIGNING_SECRET,
          // The checkout page is opened in the viewer's browser: through the web app's /api proxy.
          publicBaseUrl: config.WEB_URL.replace(/\/$/, ''),
        });
        all.set(name, sandbox);
        break;
      case 'stripe':
        stripe = new StripeProvider({
          secretKey: config.STRIPE_SECRET_KEY!,
          webhookSecret: config.STRIPE_WEBHOOK_SECRET!,
          apiBase: config.STRIPE_API_BASE,
          webUrl: config.WEB_URL,
        });
        all.set(name, stripe);
        break;
      case 'mtn_momo':
        all.set(
          name,
          new MomoProvider({
            baseUrl: config.MOMO_API_BASE,
            targetEnvironment: config.MOMO_TARGET_ENVIRONMENT,
            subscriptionKey: config.MOMO_SUBSCRIPTION_KEY!,
            apiUser: config.MOMO_API_USER!,
            apiKey: config.MOMO_API_KEY!,
            callbackUrl: `${api}/api/v1/billing/callbacks/mtn_momo`,
          }),
        );
        break;
      case 'airtel_money':
        all.set(
          name,
          new AirtelProvider({
            baseUrl: config.AIRTEL_API_BASE,
            clientId: config.AIRTEL_CLIENT_ID!,
            clientSecret: config.AIRTEL_CLIENT_SECRET!,
            callbackSecret: config.AIRTEL_CALLBACK_SECRET,
          }),
        );
        break;
    }
  }
  return { all, sandbox, stripe };
}
