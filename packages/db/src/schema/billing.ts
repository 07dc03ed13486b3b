import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { users } from './accounts';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();

export const PLAN_INTERVALS = ['day', 'week', 'month', 'year'] as const;
export const PAYMENT_PROVIDER_NAMES = ['sandbox', 'stripe', 'mtn_momo', 'airtel_money'] as const;
export const SUBSCRIPTION_STATUSES = ['active', 'past_due', 'canceled', 'expired'] as const;
export const PAYMENT_STATUSES = ['pending', 'succeeded', 'failed', 'refunded'] as const;

/**
 * What staff sell. Prices are integers per currency (UGX whole shillings, USD cents); the grants
 * say what an active subscription on the plan allows. The free plan (code 'free') describes
 * viewers without one.
 */
export const plans = pgTable(
  'plans',
  {
    id: uuid('id').primaryKey(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    interval: text('interval', { enum: PLAN_INTERVALS }).notNull(),
    /** { "UGX": 15000, "USD": 399 } */
    prices: jsonb('prices').$type<Record<string, number>>().notNull().default({}),
    premiumCatalog: boolean('premium_catalog').notNull().default(false),
    adFree: boolean('ad_free').notNull().default(false),
    downloads: boolean('downloads').notNull().default(false),
    /** Highest rendition height, e.g. 480, 720, 1080. */
    maxQuality: integer('max_quality').notNull().default(720),
    maxStreams: integer('max_streams').notNull().default(1),
    active: boolean('active').notNull().default(true),
    sortOrder: integer('sort_order').notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('plans_code_key').on(t.code)],
);

/**
 * What a viewer has: a recurring card subscription, or a prepaid pass that mobile money extends.
 * The single source of access: the entitlement service reads only this table. Grants are copied
 * from the plan when bought, so a later change to a plan never alters what was already paid for.
 */
export const subscriptions = pgTable(
  'subscriptions',
  {
    id: uuid('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    planCode: text('plan_code').notNull(),
    /** 'recurring': renewed by the provider (cards); 'pass': extended by each payment. */
    kind: text('kind', { enum: ['recurring', 'pass'] })
      .notNull()
      .default('pass'),
    status: text('status', { enum: SUBSCRIPTION_STATUSES }).notNull(),
    provider: text('provider').notNull(),
    /** Stripe's subscription id for card subscriptions. */
    providerSubscriptionId: text('provider_subscription_id'),
    /** Stripe event time (unix seconds) of the newest state applied: older events never overwrite it. */
    providerVersion: bigint('provider_version', { mode: 'number' }).notNull().default(0),
    cancelAtPeriodEnd: boolean('cancel_at_period_end').notNull().default(false),
    currentPeriodStart: timestamp('current_period_start', { withTimezone: true }).notNull(),
    currentPeriodEnd: timestamp('current_period_end', { withTimezone: true }).notNull(),
    /** After a failed renewal access continues until then (status past_due). */
    graceUntil: timestamp('grace_until', { withTimezone: true }),
    currency: text('currency'),
    /** What one period costs, for MRR. */
    amount: integer('amount'),
    interval: text('interval', { enum: PLAN_INTERVALS }),
    premiumCatalog: boolean('premium_catalog').notNull().default(true),
    adFree: boolean('ad_free').notNull().default(true),
    downloads: boolean('downloads').notNull().default(true),
    maxQuality: integer('max_quality').notNull().default(1080),
    maxStreams: integer('max_streams').notNull().default(2),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('subscriptions_user_idx').on(t.userId, t.currentPeriodEnd),
    uniqueIndex('subscriptions_provider_sub_key').on(t.providerSubscriptionId),
    // One pass per account: every mobile-money payment extends the same row.
    uniqueIndex('subscriptions_one_pass_key')
      .on(t.userId)
      .where(sql`kind = 'pass'`),
    index('subscriptions_period_end_idx').on(t.status, t.currentPeriodEnd),
  ],
);

/**
 * Append-only history of access: when a subscription began granting access ('started', also after
 * a lapse) and when it stopped ('ended'). Subscription rows are updated in place (a pass that lapsed
 * and was paid again is 'active' once more), so finance's new and churned counts for a past range
 * are read from here. Never updated.
 */
export const subscriptionEvents = pgTable(
  'subscription_events',
  {
    id: uuid('id').primaryKey(),
    subscriptionId: uuid('subscription_id')
      .notNull()
      .references(() => subscriptions.id, { onDelete: 'cascade' }),
    userId: uuid('user_id').notNull(),
    type: text('type', { enum: ['started', 'ended'] }).notNull(),
    planCode: text('plan_code').notNull(),
    provider: text('provider').notNull(),
    /** When access began or ended (a pass's end, a grace period's end, a cancellation). */
    at: timestamp('at', { withTimezone: true }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index('subscription_events_time_idx').on(t.type, t.at),
    index('subscription_events_subscription_idx').on(t.subscriptionId, t.at),
  ],
);

/**
 * One attempt to pay for a plan (or a card renewal). Amount and currency come from the plan on the
 * server. The payer may buy for someone else (beneficiary). A payment leaves 'pending' once.
 */
export const payments = pgTable(
  'payments',
  {
    id: uuid('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    beneficiaryUserId: uuid('beneficiary_user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    planId: uuid('plan_id').references(() => plans.id, { onDelete: 'set null' }),
    planCode: text('plan_code').notNull(),
    planName: text('plan_name').notNull(),
    interval: text('interval', { enum: PLAN_INTERVALS }).notNull(),
    provider: text('provider', { enum: PAYMENT_PROVIDER_NAMES }).notNull(),
    kind: text('kind', { enum: ['pass', 'checkout', 'renewal'] }).notNull(),
    currency: text('currency').notNull(),
    amount: integer('amount').notNull(),
    refundedAmount: integer('refunded_amount').notNull().default(0),
    status: text('status', { enum: PAYMENT_STATUSES }).notNull().default('pending'),
    /** The client's key: a double-click or a retry finds the same payment. */
    idempotencyKey: text('idempotency_key'),
    /** The provider's id: MoMo X-Reference-Id, Airtel transaction id, Stripe checkout session / invoice. */
    providerReference: text('provider_reference'),
    /** Stripe invoice paid by this payment. */
    invoiceId: text('invoice_id'),
    msisdn: text('msisdn'),
    failureReason: text('failure_reason'),
    subscriptionId: uuid('subscription_id').references(() => subscriptions.id, { onDelete: 'set null' }),
    /** Access this payment bought (passes: from the later of payment and previous expiry). */
    periodStart: timestamp('period_start', { withTimezone: true }),
    periodEnd: timestamp('period_end', { withTimezone: true }),
    /** When the reconciler should next ask the provider. */
    nextCheckAt: timestamp('next_check_at', { withTimezone: true }),
    checkAttempts: integer('check_attempts').notNull().default(0),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('payments_user_idx').on(t.userId, t.createdAt),
    uniqueIndex('payments_idempotency_key').on(t.userId, t.idempotencyKey),
    uniqueIndex('payments_provider_reference_key').on(t.provider, t.providerReference),
    uniqueIndex('payments_invoice_key').on(t.invoiceId),
    index('payments_pending_idx')
      .on(t.nextCheckAt)
      .where(sql`status = 'pending'`),
    index('payments_completed_idx').on(t.completedAt),
    // Finance's payment list (newest first) and its search by number and provider reference.
    index('payments_created_idx').on(t.createdAt, t.id),
    index('payments_msisdn_idx').on(t.msisdn),
    index('payments_reference_idx').on(t.providerReference),
    check('payments_amount_positive', sql`amount > 0`),
    check('payments_refund_bounded', sql`refunded_amount >= 0 AND refunded_amount <= amount`),
  ],
);

/** Append-only ledger: every change to a payment, with who or what caused it. Never updated. */
export const paymentEvents = pgTable(
  'payment_events',
  {
    id: uuid('id').primaryKey(),
    paymentId: uuid('payment_id')
      .notNull()
      .references(() => payments.id, { onDelete: 'cascade' }),
    type: text('type').notNull(),
    fromStatus: text('from_status'),
    toStatus: text('to_status'),
    /** Money moved by this event (payments and refunds), in `currency`. */
    amount: integer('amount'),
    /** The payment's currency (UGX shillings, USD cents), so an entry reads on its own. */
    currency: text('currency').notNull(),
    source: text('source').notNull(),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [
    index('payment_events_payment_idx').on(t.paymentId, t.createdAt),
    index('payment_events_time_idx').on(t.createdAt),
  ],
);

export const REFUND_STATUSES = ['pending', 'succeeded', 'failed', 'manual'] as const;

/**
 * Money returned on a payment. A refund reserves its amount on the payment (refunded_amount, bounded
 * by the payment's amount) before the provider is asked, so concurrent refunds can never return
 * more than was paid. 'pending': sent, outcome not known yet (retrying with the same key resends
 * the same provider request); 'failed': refused, the reservation released; 'manual': the provider
 * has no refund API here, so finance returns the money by hand.
 */
export const paymentRefunds = pgTable(
  'payment_refunds',
  {
    id: uuid('id').primaryKey(),
    paymentId: uuid('payment_id')
      .notNull()
      .references(() => payments.id, { onDelete: 'cascade' }),
    amount: integer('amount').notNull(),
    currency: text('currency').notNull(),
    status: text('status', { enum: REFUND_STATUSES }).notNull(),
    reason: text('reason').notNull(),
    actorId: uuid('actor_id').references(() => users.id, { onDelete: 'set null' }),
    idempotencyKey: text('idempotency_key').notNull(),
    /** Stripe's re_… id. */
    providerRefundId: text('provider_refund_id'),
    failureReason: text('failure_reason'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('payment_refunds_key').on(t.paymentId, t.idempotencyKey),
    check('payment_refunds_amount_positive', sql`amount > 0`),
  ],
);

/** Provider events applied (Stripe event ids), written in the same transaction as their effect. */
export const providerEvents = pgTable(
  'provider_events',
  {
    provider: text('provider').notNull(),
    eventId: text('event_id').notNull(),
    type: text('type').notNull(),
    receivedAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.provider, t.eventId] })],
);

/** An account's customer record at a card provider. */
export const billingCustomers = pgTable(
  'billing_customers',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    provider: text('provider').notNull(),
    customerId: text('customer_id').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.provider] }),
    uniqueIndex('billing_customers_customer_key').on(t.provider, t.customerId),
  ],
);

/**
 * The sandbox provider's own books: what a real provider keeps on its servers. The approval page
 * writes the viewer's decision here; the API learns it only by asking, as with MoMo.
 */
export const sandboxTransactions = pgTable('sandbox_transactions', {
  id: uuid('id').primaryKey(),
  externalId: text('external_id').notNull(),
  amount: integer('amount').notNull(),
  currency: text('currency').notNull(),
  description: text('description').notNull(),
  status: text('status', { enum: ['pending', 'approved', 'declined'] })
    .notNull()
    .default('pending'),
  createdAt: createdAt(),
  decidedAt: timestamp('decided_at', { withTimezone: true }),
});

/** Streams playing now, kept alive by playback heartbeats; the concurrent-stream limit counts them. */
export const playbackStreams = pgTable(
  'playback_streams',
  {
    id: text('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    device: text('device').notNull(),
    titleId: uuid('title_id').notNull(),
    startedAt: createdAt(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
    /** Set when the player stops: the stream no longer counts, and late heartbeats cannot revive it. */
    endedAt: timestamp('ended_at', { withTimezone: true }),
  },
  (t) => [index('playback_streams_user_idx').on(t.userId, t.lastSeenAt)],
);
