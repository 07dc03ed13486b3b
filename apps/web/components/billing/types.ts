/** The billing API's shapes as the web app reads them, inferred from @kush/contracts (types only: no zod in any bundle). */
import type {
  AdminPayment as AdminPaymentSchema,
  AdminPaymentPage as AdminPaymentPageSchema,
  CheckoutResult as CheckoutResultSchema,
  MyBilling as MyBillingSchema,
  Payment as PaymentSchema,
  PaymentPage as PaymentPageSchema,
  PlanList as PlanListSchema,
  PaymentLedger as PaymentLedgerSchema,
  Receipt as ReceiptSchema,
  Refund as RefundSchema,
  RefundResult as RefundResultSchema,
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
export type PaymentLedger = z.infer<typeof PaymentLedgerSchema>;
export type LedgerEntry = PaymentLedger['items'][number];
export type Refund = z.infer<typeof RefundSchema>;
export type RefundResult = z.infer<typeof RefundResultSchema>;
/** GET /api/v1/admin/billing/payments */
export type AdminPayment = z.infer<typeof AdminPaymentSchema>;
export type AdminPaymentPage = z.infer<typeof AdminPaymentPageSchema>;
