import {
  billingCustomers,
  type Executor,
  paymentEvents,
  paymentRefunds,
  payments,
  plans,
  subscriptionEvents,
  subscriptions,
  users,
  uuidv7,
} from '@kush/db';
import { alias } from 'drizzle-orm/pg-core';
import { and, asc, desc, eq, gte, inArray, isNotNull, isNull, lt, lte, or, type SQL, sql } from 'drizzle-orm';
import type { TimeKey } from '../../lib/cursor';

export type PlanRow = typeof plans.$inferSelect;
export type PaymentRow = typeof payments.$inferSelect;
export type SubscriptionRow = typeof subscriptions.$inferSelect;
export type NewPayment = typeof payments.$inferInsert;
export type RefundRow = typeof paymentRefunds.$inferSelect;

export async function listPlans(db: Executor, activeOnly: boolean): Promise<PlanRow[]> {
  return db
    .select()
    .from(plans)
    .where(activeOnly ? eq(plans.active, true) : undefined)
    .orderBy(asc(plans.sortOrder), asc(plans.code));
}

export async function findPlan(db: Executor, id: string): Promise<PlanRow | undefined> {
  const [row] = await db.select().from(plans).where(eq(plans.id, id)).limit(1);
  return row;
}

export async function insertPlan(db: Executor, row: typeof plans.$inferInsert): Promise<PlanRow | undefined> {
  const [inserted] = await db.insert(plans).values(row).onConflictDoNothing().returning();
  return inserted;
}

export async function updatePlan(
  db: Executor,
  id: string,
  changes: Partial<typeof plans.$inferInsert>,
): Promise<PlanRow | undefined> {
  const [row] = await db
    .update(plans)
    .set({ ...changes, updatedAt: new Date() })
    .where(eq(plans.id, id))
    .returning();
  return row;
}

export async function findUser(db: Executor, id: string) {
  const [row] = await db
    .select({ id: users.id, email: users.email, phone: users.phone, displayName: users.displayName })
    .from(users)
    .where(eq(users.id, id))
    .limit(1);
  return row;
}

export async function findUserBy(db: Executor, by: { email: string } | { phone: string }) {
  const [row] = await db
    .select({ id: users.id, displayName: users.displayName })
    .from(users)
    .where('email' in by ? eq(users.email, by.email) : eq(users.phone, by.phone))
    .limit(1);
  return row;
}

export async function insertPayment(db: Executor, row: NewPayment): Promise<PaymentRow | undefined> {
  const [inserted] = await db.insert(payments).values(row).onConflictDoNothing().returning();
  return inserted;
}

export async function findPaymentByKey(db: Executor, userId: string, idempotencyKey: string) {
  const [row] = await db
    .select()
    .from(payments)
    .where(and(eq(payments.userId, userId), eq(payments.idempotencyKey, idempotencyKey)))
    .limit(1);
  return row;
}

export async function findPayment(db: Executor, id: string, options: { lock?: boolean } = {}) {
  const query = db.select().from(payments).where(eq(payments.id, id)).limit(1);
  const [row] = options.lock ? await query.for('update') : await query;
  return row;
}

export async function findPaymentByReference(db: Executor, provider: string, reference: string) {
  const [row] = await db
    .select()
    .from(payments)
    .where(and(eq(payments.provider, provider as PaymentRow['provider']), eq(payments.providerReference, reference)))
    .limit(1);
  return row;
}

export async function findPaymentByInvoice(db: Executor, invoiceId: string) {
  const [row] = await db.select().from(payments).where(eq(payments.invoiceId, invoiceId)).limit(1);
  return row;
}

export async function updatePayment(db: Executor, id: string, changes: Partial<NewPayment>) {
  const [row] = await db
    .update(payments)
    .set({ ...changes, updatedAt: new Date() })
    .where(eq(payments.id, id))
    .returning();
  return row!;
}

/** Sets the provider reference of a pending payment that has none yet; undefined when another request did. */
export async function claimPaymentReference(db: Executor, id: string, reference: string, nextCheckAt: Date) {
  const [row] = await db
    .update(payments)
    .set({ providerReference: reference, nextCheckAt, updatedAt: new Date() })
    .where(and(eq(payments.id, id), eq(payments.status, 'pending'), isNull(payments.providerReference)))
    .returning();
  return row;
}

/** The ledger: append only. */
export async function recordPaymentEvent(
  db: Executor,
  event: Omit<typeof paymentEvents.$inferInsert, 'id' | 'createdAt'>,
): Promise<void> {
  await db.insert(paymentEvents).values({ id: uuidv7(), ...event });
}

export async function listPaymentEvents(db: Executor, paymentId: string) {
  return db
    .select()
    .from(paymentEvents)
    .where(eq(paymentEvents.paymentId, paymentId))
    .orderBy(asc(paymentEvents.createdAt), asc(paymentEvents.id));
}

/** The payer's payments, newest first. */
export async function listPayments(db: Executor, userId: string, after: TimeKey | undefined, limit: number) {
  return db
    .select({ payment: payments, beneficiaryName: users.displayName })
    .from(payments)
    .innerJoin(users, eq(users.id, payments.beneficiaryUserId))
    .where(
      and(
        eq(payments.userId, userId),
        after
          ? or(
              lt(payments.createdAt, after.createdAt),
              and(eq(payments.createdAt, after.createdAt), lt(payments.id, after.id)),
            )
          : undefined,
      ),
    )
    .orderBy(desc(payments.createdAt), desc(payments.id))
    .limit(limit + 1);
}

/** Pending payments the reconciler should ask about now. */
export async function duePendingPayments(db: Executor, now: Date, limit: number) {
  return db
    .select()
    .from(payments)
    .where(and(eq(payments.status, 'pending'), lte(payments.nextCheckAt, now)))
    .orderBy(asc(payments.nextCheckAt))
    .limit(limit);
}

/** The account's pass, locked for the extension that follows. */
export async function lockPass(db: Executor, userId: string) {
  const [row] = await db
    .select()
    .from(subscriptions)
    .where(and(eq(subscriptions.userId, userId), eq(subscriptions.kind, 'pass')))
    .limit(1)
    .for('update');
  return row;
}

export async function insertSubscription(db: Executor, row: typeof subscriptions.$inferInsert) {
  const [inserted] = await db.insert(subscriptions).values(row).onConflictDoNothing().returning();
  return inserted;
}

export async function updateSubscription(
  db: Executor,
  id: string,
  changes: Partial<typeof subscriptions.$inferInsert>,
) {
  const [row] = await db
    .update(subscriptions)
    .set({ ...changes, updatedAt: new Date() })
    .where(eq(subscriptions.id, id))
    .returning();
  return row!;
}

export async function findSubscriptionByProviderId(db: Executor, providerSubscriptionId: string, lock = false) {
  const query = db
    .select()
    .from(subscriptions)
    .where(eq(subscriptions.providerSubscriptionId, providerSubscriptionId))
    .limit(1);
  const [row] = lock ? await query.for('update') : await query;
  return row;
}

export async function listSubscriptions(db: Executor, userId: string) {
  return db
    .select()
    .from(subscriptions)
    .where(eq(subscriptions.userId, userId))
    .orderBy(desc(subscriptions.currentPeriodEnd));
}

export async function findCustomer(db: Executor, userId: string, provider: string) {
  const [row] = await db
    .select()
    .from(billingCustomers)
    .where(and(eq(billingCustomers.userId, userId), eq(billingCustomers.provider, provider)))
    .limit(1);
  return row;
}

export async function saveCustomer(db: Executor, userId: string, provider: string, customerId: string) {
  await db.insert(billingCustomers).values({ userId, provider, customerId }).onConflictDoNothing();
}

/** Passes ending within the window, and card subscriptions in their grace period: to remind. */
export async function endingSoon(db: Executor, now: Date, until: Date) {
  return db
    .select({ subscription: subscriptions, phone: users.phone })
    .from(subscriptions)
    .innerJoin(users, eq(users.id, subscriptions.userId))
    .where(
      or(
        and(
          eq(subscriptions.kind, 'pass'),
          eq(subscriptions.status, 'active'),
          sql`${subscriptions.currentPeriodEnd} > ${now}`,
          lte(subscriptions.currentPeriodEnd, until),
        ),
        and(eq(subscriptions.status, 'past_due'), sql`${subscriptions.graceUntil} > ${now}`),
      ),
    )
    .limit(1000);
}

/** Access that is over: passes past their end, card subscriptions past their grace period. */
export async function expireEnded(db: Executor, now: Date) {
  return db
    .update(subscriptions)
    .set({ status: 'expired', endedAt: now, updatedAt: now })
    .where(
      or(
        and(
          eq(subscriptions.kind, 'pass'),
          eq(subscriptions.status, 'active'),
          lte(subscriptions.currentPeriodEnd, now),
        ),
        and(
          eq(subscriptions.status, 'past_due'),
          isNotNull(subscriptions.graceUntil),
          lte(subscriptions.graceUntil, now),
        ),
      ),
    )
    .returning();
}

/** Whether a subscription in this status gives access (a pass also needs its end in the future). */
export const grantsAccess = (status: SubscriptionRow['status']) => status === 'active' || status === 'past_due';

/** The access history (append only): a subscription began or stopped giving access at `at`. */
export async function recordAccessChange(
  db: Executor,
  subscription: Pick<SubscriptionRow, 'id' | 'userId' | 'planCode' | 'provider'>,
  type: 'started' | 'ended',
  at: Date,
): Promise<void> {
  await db.insert(subscriptionEvents).values({
    id: uuidv7(),
    subscriptionId: subscription.id,
    userId: subscription.userId,
    type,
    planCode: subscription.planCode,
    provider: subscription.provider,
    at,
  });
}

export async function findPlanByCode(db: Executor, code: string): Promise<PlanRow | undefined> {
  const [row] = await db.select().from(plans).where(eq(plans.code, code)).limit(1);
  return row;
}

export async function findUserByCustomer(db: Executor, provider: string, customerId: string) {
  const [row] = await db
    .select()
    .from(billingCustomers)
    .where(and(eq(billingCustomers.provider, provider), eq(billingCustomers.customerId, customerId)))
    .limit(1);
  return row;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A card checkout now points at the subscription it started (only its own, never another account's). */
export async function linkPaymentSubscription(db: Executor, paymentId: string, subscription: SubscriptionRow) {
  if (!UUID.test(paymentId)) return;
  await db
    .update(payments)
    .set({ subscriptionId: subscription.id, updatedAt: new Date() })
    .where(
      and(
        eq(payments.id, paymentId),
        eq(payments.userId, subscription.userId),
        eq(payments.provider, 'stripe'),
        isNull(payments.subscriptionId),
      ),
    );
}

export async function findSubscription(db: Executor, id: string, lock = false) {
  const query = db.select().from(subscriptions).where(eq(subscriptions.id, id)).limit(1);
  const [row] = lock ? await query.for('update') : await query;
  return row;
}

/** The account's card subscription at a provider, newest first (one runs at a time). */
export async function findRecurringSubscription(db: Executor, userId: string, provider: string) {
  const [row] = await db
    .select()
    .from(subscriptions)
    .where(
      and(eq(subscriptions.userId, userId), eq(subscriptions.kind, 'recurring'), eq(subscriptions.provider, provider)),
    )
    .orderBy(desc(subscriptions.currentPeriodEnd))
    .limit(1)
    .for('update');
  return row;
}

export async function insertRefund(db: Executor, row: typeof paymentRefunds.$inferInsert): Promise<RefundRow> {
  const [inserted] = await db.insert(paymentRefunds).values(row).returning();
  return inserted!;
}

export async function findRefundByKey(db: Executor, paymentId: string, idempotencyKey: string, lock = false) {
  const query = db
    .select()
    .from(paymentRefunds)
    .where(and(eq(paymentRefunds.paymentId, paymentId), eq(paymentRefunds.idempotencyKey, idempotencyKey)))
    .limit(1);
  const [row] = lock ? await query.for('update') : await query;
  return row;
}

export async function updateRefund(db: Executor, id: string, changes: Partial<typeof paymentRefunds.$inferInsert>) {
  const [row] = await db
    .update(paymentRefunds)
    .set({ ...changes, updatedAt: new Date() })
    .where(eq(paymentRefunds.id, id))
    .returning();
  return row!;
}

/** Money confirmed returned on a payment: refunds the provider accepted, and manual ones. */
export async function settledRefundTotal(db: Executor, paymentId: string): Promise<number> {
  const [row] = await db
    .select({ total: sql<number>`coalesce(sum(${paymentRefunds.amount}), 0)`.mapWith(Number) })
    .from(paymentRefunds)
    .where(and(eq(paymentRefunds.paymentId, paymentId), inArray(paymentRefunds.status, ['succeeded', 'manual'])));
  return row?.total ?? 0;
}

export async function listRefunds(db: Executor, paymentId: string) {
  return db
    .select()
    .from(paymentRefunds)
    .where(eq(paymentRefunds.paymentId, paymentId))
    .orderBy(asc(paymentRefunds.createdAt), asc(paymentRefunds.id));
}

export interface PaymentSearch {
  status?: PaymentRow['status'];
  provider?: PaymentRow['provider'];
  planCode?: string;
  /** Created at or after / before these instants. */
  since?: Date;
  until?: Date;
  /** A payment id, a provider reference or invoice id, a phone number (E.164) or an email address. */
  paymentId?: string;
  reference?: string;
  phone?: string;
  email?: string;
}

const payers = alias(users, 'payer');
const beneficiaries = alias(users, 'beneficiary');

/** Finance's payment list: every account's payments with their payer, newest first, keyset-paged. */
export async function searchPayments(db: Executor, search: PaymentSearch, after: TimeKey | undefined, limit: number) {
  const conditions: (SQL | undefined)[] = [
    search.status ? eq(payments.status, search.status) : undefined,
    search.provider ? eq(payments.provider, search.provider) : undefined,
    search.planCode ? eq(payments.planCode, search.planCode) : undefined,
    search.since ? gte(payments.createdAt, search.since) : undefined,
    search.until ? lt(payments.createdAt, search.until) : undefined,
    after
      ? or(
          lt(payments.createdAt, after.createdAt),
          and(eq(payments.createdAt, after.createdAt), lt(payments.id, after.id)),
        )
      : undefined,
  ];
  const matches: SQL[] = [];
  if (search.paymentId) matches.push(eq(payments.id, search.paymentId));
  if (search.reference) {
    matches.push(eq(payments.providerReference, search.reference), eq(payments.invoiceId, search.reference));
  }
  if (search.phone) {
    matches.push(
      eq(payments.msisdn, search.phone),
      eq(payers.phone, search.phone),
      eq(beneficiaries.phone, search.phone),
    );
  }
  if (search.email) matches.push(eq(payers.email, search.email), eq(beneficiaries.email, search.email));
  if (matches.length > 0) conditions.push(or(...matches));
  return db
    .select({
      payment: payments,
      payer: { id: payers.id, displayName: payers.displayName, email: payers.email, phone: payers.phone },
      beneficiaryName: beneficiaries.displayName,
    })
    .from(payments)
    .innerJoin(payers, eq(payers.id, payments.userId))
    .innerJoin(beneficiaries, eq(beneficiaries.id, payments.beneficiaryUserId))
    .where(and(...conditions))
    .orderBy(desc(payments.createdAt), desc(payments.id))
    .limit(limit + 1);
}
