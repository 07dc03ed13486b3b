import { z } from 'zod';
import { Email, Phone } from './auth';
import { PageQuery, pageOf, Timestamp } from './common';
import { PlainLine, PlainText } from './viewer';

// Plans, payments and revenue. Money is always an integer in the currency's unit we store:
// UGX whole shillings, USD cents.

export const CURRENCIES = ['UGX', 'USD'] as const;
export const Currency = z.enum(CURRENCIES);
export type Currency = z.infer<typeof Currency>;

export const PLAN_INTERVAL_VALUES = ['day', 'week', 'month', 'year'] as const;
export const PlanInterval = z.enum(PLAN_INTERVAL_VALUES);
export type PlanInterval = z.infer<typeof PlanInterval>;

export const PAYMENT_PROVIDER_VALUES = ['sandbox', 'stripe', 'mtn_momo', 'airtel_money'] as const;
export const PaymentProviderName = z.enum(PAYMENT_PROVIDER_VALUES);
export type PaymentProviderName = z.infer<typeof PaymentProviderName>;

export const PAYMENT_STATUS_VALUES = ['pending', 'succeeded', 'failed', 'refunded'] as const;
export const PaymentStatus = z.enum(PAYMENT_STATUS_VALUES);
export type PaymentStatus = z.infer<typeof PaymentStatus>;

export const MAX_QUALITY_VALUES = [360, 480, 720, 1080, 2160] as const;

const Amount = z.number().int().min(1).max(100_000_000);
export const PlanPrices = z
  .partialRecord(Currency, Amount)
  .describe('Integer price per currency: UGX whole shillings, USD cents');

export const PlanGrants = z.object({
  premiumCatalog: z.boolean(),
  adFree: z.boolean(),
  downloads: z.boolean(),
  maxQuality: z.union(MAX_QUALITY_VALUES.map((q) => z.literal(q))).describe('Highest rendition height'),
  maxStreams: z.number().int().min(1).max(10),
});

export const Plan = z
  .object({
    id: z.uuid(),
    code: z.string(),
    name: z.string(),
    description: z.string(),
    interval: PlanInterval,
    prices: z.record(z.string(), z.number().int()),
    grants: PlanGrants,
    active: z.boolean(),
    sortOrder: z.number().int(),
  })
  .meta({ id: 'Plan' });
export type Plan = z.infer<typeof Plan>;

export const PaymentMethod = z.object({
  provider: PaymentProviderName,
  /** 'pass': a one-off payment that extends access; 'recurring': a card subscription. */
  mode: z.enum(['pass', 'recurring']),
  currencies: z.array(Currency),
  /** Mobile money asks for the phone number that approves the payment. */
  needsPhone: z.boolean(),
});
export const PlanList = z.object({ items: z.array(Plan), methods: z.array(PaymentMethod) });

const PlanCode = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9-]{1,39}$/, 'letters, digits and - only (2 to 40)');

export const CreatePlanBody = z.strictObject({
  code: PlanCode,
  name: PlainLine(80),
  description: PlainText(500, 0).optional(),
  interval: PlanInterval,
  prices: PlanPrices,
  grants: PlanGrants.strict(),
  active: z.boolean().optional(),
  sortOrder: z.number().int().min(0).max(1000).optional(),
});
export const UpdatePlanBody = z
  .strictObject({
    name: PlainLine(80).optional(),
    description: PlainText(500, 0).optional(),
    prices: PlanPrices.optional(),
    grants: PlanGrants.strict().optional(),
    active: z.boolean().optional(),
    sortOrder: z.number().int().min(0).max(1000).optional(),
  })
  .refine((b) => Object.keys(b).length > 0, 'nothing to change');

/** Who gets the access when paying for someone else: their account's email or phone. */
export const Beneficiary = z.union([z.strictObject({ email: Email }), z.strictObject({ phone: Phone })]);

export const CheckoutBody = z.strictObject({
  planId: z.uuid(),
  provider: PaymentProviderName,
  currency: Currency.default('UGX'),
  /** Mobile money: the number that approves the payment; defaults to the account's phone. */
  phone: Phone.optional(),
  /** Pay for someone else's pass. */
  beneficiary: Beneficiary.optional(),
  /** Sent again on a retry or double-click: the same key returns the same payment. */
  idempotencyKey: z
    .string()
    .regex(/^[A-Za-z0-9_-]{8,80}$/, '8 to 80 letters, digits, - or _')
    .describe('A fresh random value per purchase attempt (e.g. a UUID)'),
});

export const NextAction = z.discriminatedUnion('type', [
  z.object({ type: z.literal('redirect'), url: z.string() }),
  z.object({ type: z.literal('approve_on_phone'), message: z.string() }),
  z.object({ type: z.literal('none') }),
]);

export const Payment = z
  .object({
    id: z.uuid(),
    status: PaymentStatus,
    provider: PaymentProviderName,
    kind: z.enum(['pass', 'checkout', 'renewal']),
    planCode: z.string(),
    planName: z.string(),
    currency: z.string(),
    amount: z.number().int(),
    refundedAmount: z.number().int(),
    /** Someone else's account when paying for them (their display name only). */
    beneficiary: z.object({ self: z.boolean(), displayName: z.string() }),
    failureReason: z.string().nullable(),
    periodStart: Timestamp.nullable(),
    periodEnd: Timestamp.nullable(),
    createdAt: Timestamp,
    completedAt: Timestamp.nullable(),
  })
  .meta({ id: 'Payment' });
export type Payment = z.infer<typeof Payment>;
export const CheckoutResult = z.object({ payment: Payment, nextAction: NextAction });
export const PaymentPage = pageOf(Payment);
export const PaymentListQuery = PageQuery;

export const Receipt = z
  .object({
    receiptNumber: z.string(),
    paymentId: z.uuid(),
    issuedAt: Timestamp,
    /** The date and time as shown to viewers, in Africa/Kampala. */
    issuedAtLocal: z.string(),
    timeZone: z.literal('Africa/Kampala'),
    seller: z.object({ name: z.string(), website: z.string() }),
    payer: z.object({ displayName: z.string(), email: z.string().nullable(), phone: z.string().nullable() }),
    beneficiary: z.object({ displayName: z.string() }),
    plan: z.object({ code: z.string(), name: z.string(), interval: PlanInterval }),
    provider: PaymentProviderName,
    providerLabel: z.string(),
    providerReference: z.string().nullable(),
    /** Masked number that approved a mobile-money payment. */
    msisdn: z.string().nullable(),
    currency: z.string(),
    amount: z.number().int(),
    refundedAmount: z.number().int(),
    /** e.g. "UGX 15,000" or "USD 3.99". */
    amountFormatted: z.string(),
    status: PaymentStatus,
    periodStart: Timestamp.nullable(),
    periodEnd: Timestamp.nullable(),
  })
  .meta({ id: 'Receipt' });

export const Subscription = z
  .object({
    id: z.uuid(),
    planCode: z.string(),
    kind: z.enum(['recurring', 'pass']),
    status: z.enum(['active', 'past_due', 'canceled', 'expired']),
    provider: z.string(),
    currentPeriodEnd: Timestamp,
    graceUntil: Timestamp.nullable(),
    cancelAtPeriodEnd: z.boolean(),
  })
  .meta({ id: 'Subscription' });
export const EntitlementView = z.object({
  premium: z.boolean(),
  ads: z.boolean(),
  downloads: z.boolean(),
  maxQuality: z.number().int(),
  maxStreams: z.number().int(),
  /** When the current access ends (latest of every active subscription); null on the free plan. */
  accessUntil: Timestamp.nullable(),
});
export const MyBilling = z.object({ entitlement: EntitlementView, subscriptions: z.array(Subscription) });
export const PortalResult = z.object({ url: z.string() });

export const RefundBody = z.strictObject({
  amount: Amount.describe('In the payment currency; at most what is left to refund'),
  reason: PlainLine(300),
  /** Sent again when a refund's outcome was unknown: the same refund is completed, never a second one. */
  idempotencyKey: z
    .string()
    .regex(/^[A-Za-z0-9_-]{8,80}$/, '8 to 80 letters, digits, - or _')
    .optional()
    .describe('A fresh random value per refund (e.g. a UUID); repeat it to retry the same refund'),
});

export const REFUND_STATUS_VALUES = ['pending', 'succeeded', 'failed', 'manual'] as const;
export const Refund = z
  .object({
    id: z.uuid(),
    paymentId: z.uuid(),
    currency: z.string(),
    amount: z.number().int(),
    /**
     * 'succeeded': the provider accepted it; 'manual': the provider has no refund API here, so the
     * money must be returned by hand; 'pending': sent, not confirmed (send the same request again);
     * 'failed': refused, nothing returned.
     */
    status: z.enum(REFUND_STATUS_VALUES),
    reason: z.string(),
    providerRefundId: z.string().nullable(),
    failureReason: z.string().nullable(),
    createdAt: Timestamp,
  })
  .meta({ id: 'Refund' });
export const RefundResult = z.object({
  payment: Payment,
  refund: Refund,
  /** Something finance still has to do, e.g. return mobile money by hand. */
  followUp: z.string().nullable(),
});

/** Finance's payment search. Days are Africa/Kampala calendar days. */
export const AdminPaymentQuery = z
  .strictObject({
    ...PageQuery.shape,
    status: PaymentStatus.optional(),
    provider: PaymentProviderName.optional(),
    plan: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{1,39}$/, 'a plan code')
      .optional(),
    from: z.iso.date().optional().describe('First day (Africa/Kampala), inclusive'),
    to: z.iso.date().optional().describe('Last day (Africa/Kampala), inclusive'),
    q: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .optional()
      .describe('A payment id, phone number, email address or provider reference'),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'must not be after "to"', path: ['from'] });

export const AdminPayment = Payment.extend({
  payer: z.object({
    id: z.uuid(),
    displayName: z.string(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
  }),
  providerReference: z.string().nullable(),
  invoiceId: z.string().nullable(),
  msisdn: z.string().nullable(),
}).meta({ id: 'AdminPayment' });
export const AdminPaymentPage = pageOf(AdminPayment);

export const LedgerEntry = z.object({
  type: z.string(),
  fromStatus: z.string().nullable(),
  toStatus: z.string().nullable(),
  amount: z.number().int().nullable(),
  currency: z.string(),
  source: z.string(),
  data: z.record(z.string(), z.unknown()),
  createdAt: Timestamp,
});
export const PaymentLedger = z.object({ items: z.array(LedgerEntry), refunds: z.array(Refund) });

export const RevenueQuery = z
  .strictObject({
    from: z.iso.date().describe('First day (Africa/Kampala), inclusive'),
    to: z.iso.date().describe('Last day (Africa/Kampala), inclusive'),
  })
  .refine((q) => q.from <= q.to, { message: 'must not be after "to"', path: ['from'] })
  .refine((q) => (Date.parse(q.to) - Date.parse(q.from)) / 86_400_000 <= 366, {
    message: 'at most 366 days',
    path: ['to'],
  });

export const Revenue = z.object({
  from: z.string(),
  to: z.string(),
  timeZone: z.literal('Africa/Kampala'),
  /** Monthly recurring revenue of access active now, per currency (passes normalised to a month). */
  mrr: z.array(z.object({ currency: z.string(), amount: z.number().int() })),
  activeSubscribers: z.array(z.object({ planCode: z.string(), provider: z.string(), count: z.number().int() })),
  newSubscribers: z
    .number()
    .int()
    .describe('Subscriptions that began giving access in the range (a pass paid again after it ran out counts again)'),
  churnedSubscribers: z
    .number()
    .int()
    .describe(
      'Subscriptions whose access ended in the range: a pass ran out, a grace period ended, a cancellation or a full refund',
    ),
  byDay: z.array(
    z.object({
      day: z.string(),
      provider: z.string(),
      currency: z.string(),
      gross: z.number().int(),
      refunds: z.number().int(),
      net: z.number().int(),
      payments: z.number().int(),
    }),
  ),
  totals: z.array(
    z.object({ currency: z.string(), gross: z.number().int(), refunds: z.number().int(), net: z.number().int() }),
  ),
});
