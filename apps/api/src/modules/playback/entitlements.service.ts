import { type Executor, plans, subscriptions } from '@kush/db';
import { and, eq, gt, or, sql } from 'drizzle-orm';

export interface Entitlement {
  /** May watch premium titles. */
  premium: boolean;
  /** Free and anonymous viewers see ads. */
  ads: boolean;
  downloads: boolean;
  /** Highest rendition height they may stream. */
  maxQuality: number;
  /** Streams the account may play at once. */
  maxStreams: number;
  /** When the latest paid access ends; null on the free plan. */
  accessUntil: Date | null;
}

/** The free plan's grants when no 'free' plan row exists (a fresh database before the seed). */
export const FREE_DEFAULTS: Entitlement = {
  premium: false,
  ads: true,
  downloads: false,
  maxQuality: 720,
  maxStreams: 1,
  accessUntil: null,
};

/** The SQL condition for a subscription giving access at `now`: paid up, or within its grace period. */
export function grantsAccessAt(now: Date) {
  return or(
    and(eq(subscriptions.status, 'active'), gt(subscriptions.currentPeriodEnd, now)),
    and(eq(subscriptions.status, 'past_due'), gt(subscriptions.graceUntil, now)),
  );
}

/**
 * The one place that says what a viewer may do. It reads subscription rows (cards and
 * mobile-money passes both end up there, each with the grants of the plan it was bought on) and
 * the free plan, in one query, and takes the best of each grant. Playback, ads and downloads all
 * ask it.
 */
export async function entitlementOf(db: Executor, userId: string | null, now = new Date()): Promise<Entitlement> {
  const free = db
    .select({
      premium: plans.premiumCatalog,
      adFree: plans.adFree,
      downloads: plans.downloads,
      maxQuality: plans.maxQuality,
      maxStreams: plans.maxStreams,
      until: sql<Date | null>`null::timestamptz`.as('until'),
    })
    .from(plans)
    .where(eq(plans.code, 'free'));
  const rows = userId
    ? await free.unionAll(
        db
          .select({
            premium: subscriptions.premiumCatalog,
            adFree: subscriptions.adFree,
            downloads: subscriptions.downloads,
            maxQuality: subscriptions.maxQuality,
            maxStreams: subscriptions.maxStreams,
            until:
              sql<Date | null>`coalesce(greatest(${subscriptions.currentPeriodEnd}, ${subscriptions.graceUntil}), ${subscriptions.currentPeriodEnd})`.as(
                'until',
              ),
          })
          .from(subscriptions)
          .where(and(eq(subscriptions.userId, userId), grantsAccessAt(now))),
      )
    : await free;
  // Without a free plan row (a database before the seed) the built-in free grants apply.
  const grants = rows.some((r) => r.until === null)
    ? rows
    : [...rows, { ...FREE_DEFAULTS, adFree: false, until: null }];
  const ends = rows.flatMap((r) => (r.until ? [new Date(r.until).getTime()] : []));
  return {
    premium: grants.some((r) => r.premium),
    ads: !grants.some((r) => r.adFree),
    downloads: grants.some((r) => r.downloads),
    maxQuality: Math.max(...grants.map((r) => r.maxQuality)),
    maxStreams: Math.max(...grants.map((r) => r.maxStreams)),
    accessUntil: ends.length ? new Date(Math.max(...ends)) : null,
  };
}

/** May this viewer watch a title of this tier? */
export function mayWatch(entitlement: Entitlement, accessTier: 'free' | 'premium' | string): boolean {
  return accessTier !== 'premium' || entitlement.premium;
}
