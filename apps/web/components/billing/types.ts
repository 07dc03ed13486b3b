/** The billing API's shapes as the web app reads them, inferred from @kush/contracts (types only: no zod in any bundle). */
import type {
  CheckoutResult as CheckoutResultSchema,
  MyBilling as MyBillingSchema,
  Payment as PaymentSchema,
  PaymentPage as PaymentPageSchema,
  PlanList as PlanListSchema,
  Receipt as ReceiptSchema,
  Revenue as RevenueSchema,
} from '@kush/contracts';
import type { z } from 'zod';

export type { PaymentProviderName, Plan, PlanInterval } from '@kush/contracts';

export type PlanList = z.infer<typeof PlanListSchema>;
export type PaymentMethod = PlanList['methods'][number];
export type Payment = z.infer<typeof PaymentSchema>;
export type PaymentPage = z.infer<typeof PaymentPageSchema>;
export type CheckoutResult = z.infer<typeof CheckoutResultSchema>;
export type Receipt = z.infer<typeof ReceiptSchema>;
export type MyBilling = z.infer<typeof MyBillingSchema>;
export type Subscription = MyBilling['subscriptions'][number];
export type Revenue = z.infer<typeof RevenueSchema>;

/** GET /api/v1/admin/billing/payments/:id/ledger */
export interface LedgerEntry {
  type: string;
  fromStatus: string | null;
  toStatus: string | null;
  amount: number | null;
  source: string;
  data: Record<string, unknown>;
  createdAt: string;
}
