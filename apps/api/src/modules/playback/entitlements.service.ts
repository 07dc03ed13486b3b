import { type Executor, subscriptions } from '@kush/db';
import { and, eq, gt } from 'drizzle-orm';

export interface Entitlement {
  premium: boolean;
  /** Free and anonymous viewers see ads. */
  ads: boolean;
}

const NONE: Entitlement = { premium: false, ads: true };

/**
 * The one place that says what a viewer may watch. It reads subscription rows (cards and
 * mobile-money passes both end up there); playback, ads and downloads all ask it.
 */
export async function entitlementOf(db: Executor, userId: string | null, now = new Date()): Promise<Entitlement> {
  if (!userId) return NONE;
  const [active] = await db
    .select({ id: subscriptions.id })
    .from(subscriptions)
    .where(
      and(
        eq(subscriptions.userId, userId),
        eq(subscriptions.status, 'active'),
        gt(subscriptions.currentPeriodEnd, now),
      ),
    )
    .limit(1);
  return active ? { premium: true, ads: false } : NONE;
}
