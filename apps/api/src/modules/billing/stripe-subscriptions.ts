import { type Transaction, uuidv7 } from '@kush/db';
import type Stripe from 'stripe';
import * as repo from './billing.repository';

type SubscriptionStatus = repo.SubscriptionRow['status'];

const STATUS: Record<Stripe.Subscription.Status, SubscriptionStatus> = {
  active: 'active',
  trialing: 'active',
  past_due: 'past_due',
  unpaid: 'past_due',
  paused: 'expired',
  incomplete: 'expired',
  incomplete_expired: 'expired',
  canceled: 'canceled',
};

export const idOf = (value: string | { id: string } | null | undefined) =>
  typeof value === 'string' ? value : (value?.id ?? null);

/** Fields that moved between Stripe API versions, read from wherever this version puts them. */
function periodOf(sub: Stripe.Subscription): { start: number; end: number } {
  const legacy = sub as unknown as { current_period_start?: number; current_period_end?: number };
  const item = sub.items?.data?.[0] as unknown as { current_period_start?: number; current_period_end?: number };
  return {
    start: legacy.current_period_start ?? item?.current_period_start ?? sub.start_date,
    end: legacy.current_period_end ?? item?.current_period_end ?? sub.start_date,
  };
}

/** The end of the grace period after a renewal failed at `failedAt` (unix seconds). */
export function graceFrom(paidUntil: Date, failedAt: number, graceDays: number): Date {
  const base = Math.max(paidUntil.getTime(), failedAt * 1000);
  return new Date(base + graceDays * 86_400_000);
}

/**
 * Applies one known state of a Stripe subscription (from a webhook, or fetched from Stripe when a
 * checkout completes) to the local row, in the caller's transaction. `version` is when that state
 * was true (the event's time, or the moment it was fetched): a state is only replaced by a newer
 * one, a `created` event is the oldest state there is, the period only ever grows, and a
 * cancellation is final. Returns the row and whether this call ended it.
 */
export async function applyStripeSubscription(
  tx: Transaction,
  sub: Stripe.Subscription,
  version: number,
  change: 'created' | 'updated' | 'deleted',
  graceDays: number,
): Promise<{ row: repo.SubscriptionRow; ended: boolean } | undefined> {
  const deleted = change === 'deleted';
  const customerId = idOf(sub.customer);
  let userId = sub.metadata?.userId ?? null;
  if (!userId && customerId) userId = (await repo.findUserByCustomer(tx, 'stripe', customerId))?.userId ?? null;
  if (!userId || !(await repo.findUser(tx, userId))) return undefined;
  const period = periodOf(sub);
  const status: SubscriptionStatus = deleted ? 'canceled' : (STATUS[sub.status] ?? 'expired');
  const planCode = sub.metadata?.planCode ?? 'premium-month';
  const plan = await repo.findPlanByCode(tx, planCode);
  const price = sub.items?.data?.[0]?.price;
  let existing = await repo.findSubscriptionByProviderId(tx, sub.id, true);
  const periodStart = new Date(period.start * 1000);
  const periodEnd = new Date(period.end * 1000);
  const grants = plan && {
    premiumCatalog: plan.premiumCatalog,
    adFree: plan.adFree,
    downloads: plan.downloads,
    maxQuality: plan.maxQuality,
    maxStreams: plan.maxStreams,
  };
  let result: { row: repo.SubscriptionRow; ended: boolean } | undefined;
  if (!existing) {
    const inserted = await repo.insertSubscription(tx, {
      id: uuidv7(),
      userId,
      planCode,
      kind: 'recurring',
      status,
      provider: 'stripe',
      providerSubscriptionId: sub.id,
      providerVersion: version,
      cancelAtPeriodEnd: sub.cancel_at_period_end,
      currentPeriodStart: periodStart,
      currentPeriodEnd: periodEnd,
      // A past_due subscription's current period is the unpaid one: the paid one ended at its start.
      graceUntil: status === 'past_due' ? graceFrom(periodStart, version, graceDays) : null,
      currency: price?.currency?.toUpperCase() ?? null,
      amount: price?.unit_amount ?? null,
      interval: plan?.interval ?? (price?.recurring?.interval as repo.PlanRow['interval'] | undefined) ?? null,
      endedAt: status === 'canceled' ? new Date(version * 1000) : null,
      ...grants,
    });
    if (inserted) {
      result = { row: inserted, ended: false };
      if (repo.grantsAccess(status)) await repo.recordAccessChange(tx, inserted, 'started', new Date(version * 1000));
    }
    // Another event for this subscription inserted it meanwhile: apply this one on top.
    else existing = (await repo.findSubscriptionByProviderId(tx, sub.id, true))!;
  }
  if (!result && existing) {
    // The period only grows, whatever the order states arrive in.
    const longest = existing.currentPeriodEnd > periodEnd ? existing.currentPeriodEnd : periodEnd;
    // Events created in the same second carry the same version; `created` is still the oldest.
    const stale =
      version < existing.providerVersion || change === 'created' || (existing.status === 'canceled' && !deleted);
    if (stale) {
      result = { row: await repo.updateSubscription(tx, existing.id, { currentPeriodEnd: longest }), ended: false };
    } else {
      const row = await repo.updateSubscription(tx, existing.id, {
        status,
        providerVersion: version,
        cancelAtPeriodEnd: sub.cancel_at_period_end,
        currentPeriodEnd: longest,
        graceUntil: status === 'past_due' ? (existing.graceUntil ?? graceFrom(periodStart, version, graceDays)) : null,
        // A cancellation keeps the moment access ended first (a refund may have ended it earlier).
        endedAt: status === 'canceled' ? (existing.endedAt ?? new Date(version * 1000)) : null,
        ...grants,
      });
      result = { row, ended: status === 'canceled' && existing.status !== 'canceled' };
      const [before, after] = [repo.grantsAccess(existing.status), repo.grantsAccess(status)];
      if (before !== after) {
        await repo.recordAccessChange(tx, row, after ? 'started' : 'ended', new Date(version * 1000));
      }
    }
  }
  // The checkout that started it now points at it (a refund of that payment ends this subscription).
  const paymentId = sub.metadata?.paymentId;
  if (result && paymentId) await repo.linkPaymentSubscription(tx, paymentId, result.row);
  return result;
}
