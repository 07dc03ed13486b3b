import { type Database, paymentEvents, payments, subscriptionEvents, subscriptions } from '@kush/db';
import { and, gte, lt, sql } from 'drizzle-orm';
import { grantsAccessAt } from '../playback';
import { kampalaDayStart, monthlyAmount, TIME_ZONE } from './passes';

/** Finance's view: MRR, subscribers by plan and provider, new and churned, revenue by day. */
export class RevenueService {
  constructor(private readonly db: Database) {}

  async report(query: { from: string; to: string }, now = new Date()) {
    const start = kampalaDayStart(query.from);
    const end = new Date(kampalaDayStart(query.to).getTime() + 86_400_000);
    const day = (column: typeof payments.completedAt | typeof paymentEvents.createdAt) =>
      sql<string>`to_char(${column} at time zone ${TIME_ZONE}, 'YYYY-MM-DD')`;

    const active = await this.db
      .select({
        planCode: subscriptions.planCode,
        provider: subscriptions.provider,
        currency: subscriptions.currency,
        amount: subscriptions.amount,
        interval: subscriptions.interval,
      })
      .from(subscriptions)
      .where(grantsAccessAt(now));
    const mrr = new Map<string, number>();
    const byPlan = new Map<string, { planCode: string; provider: string; count: number }>();
    for (const s of active) {
      if (s.currency && s.amount && s.interval) {
        mrr.set(s.currency, (mrr.get(s.currency) ?? 0) + monthlyAmount(s.amount, s.interval));
      }
      const key = `${s.planCode}|${s.provider}`;
      const entry = byPlan.get(key) ?? { planCode: s.planCode, provider: s.provider, count: 0 };
      entry.count += 1;
      byPlan.set(key, entry);
    }

    // From the access history, not the rows' current state: a subscriber who lapsed in this range
    // and paid again later still counts as churned here (and as new again when they came back).
    const [counts] = await this.db
      .select({
        fresh: sql<number>`count(*) filter (where ${subscriptionEvents.type} = 'started')`.mapWith(Number),
        churned: sql<number>`count(*) filter (where ${subscriptionEvents.type} = 'ended')`.mapWith(Number),
      })
      .from(subscriptionEvents)
      .where(and(gte(subscriptionEvents.at, start), lt(subscriptionEvents.at, end)));

    const paid = await this.db
      .select({
        day: day(payments.completedAt),
        provider: payments.provider,
        currency: payments.currency,
        gross: sql<number>`sum(${payments.amount})`.mapWith(Number),
        payments: sql<number>`count(*)`.mapWith(Number),
      })
      .from(payments)
      .where(
        and(
          sql`${payments.status} in ('succeeded', 'refunded')`,
          gte(payments.completedAt, start),
          lt(payments.completedAt, end),
        ),
      )
      .groupBy(sql`1`, payments.provider, payments.currency);
    const refunded = await this.db
      .select({
        day: day(paymentEvents.createdAt),
        provider: payments.provider,
        // The ledger entry's own currency: what was returned, as it was recorded.
        currency: paymentEvents.currency,
        refunds: sql<number>`sum(${paymentEvents.amount})`.mapWith(Number),
      })
      .from(paymentEvents)
      .innerJoin(payments, sql`${payments.id} = ${paymentEvents.paymentId}`)
      .where(
        and(
          sql`${paymentEvents.type} = 'refund'`,
          gte(paymentEvents.createdAt, start),
          lt(paymentEvents.createdAt, end),
        ),
      )
      .groupBy(sql`1`, payments.provider, paymentEvents.currency);

    const rows = new Map<
      string,
      { day: string; provider: string; currency: string; gross: number; refunds: number; net: number; payments: number }
    >();
    const rowOf = (d: string, provider: string, currency: string) => {
      const key = `${d}|${provider}|${currency}`;
      let row = rows.get(key);
      if (!row) rows.set(key, (row = { day: d, provider, currency, gross: 0, refunds: 0, net: 0, payments: 0 }));
      return row;
    };
    for (const p of paid) Object.assign(rowOf(p.day, p.provider, p.currency), { gross: p.gross, payments: p.payments });
    for (const r of refunded) rowOf(r.day, r.provider, r.currency).refunds = r.refunds;
    const byDay = [...rows.values()]
      .map((r) => ({ ...r, net: r.gross - r.refunds }))
      .sort(
        (a, b) =>
          a.day.localeCompare(b.day) || a.provider.localeCompare(b.provider) || a.currency.localeCompare(b.currency),
      );
    const totals = new Map<string, { currency: string; gross: number; refunds: number; net: number }>();
    for (const r of byDay) {
      const t = totals.get(r.currency) ?? { currency: r.currency, gross: 0, refunds: 0, net: 0 };
      t.gross += r.gross;
      t.refunds += r.refunds;
      t.net += r.net;
      totals.set(r.currency, t);
    }
    return {
      from: query.from,
      to: query.to,
      timeZone: TIME_ZONE,
      mrr: [...mrr].map(([currency, amount]) => ({ currency, amount: Math.round(amount) })),
      activeSubscribers: [...byPlan.values()].sort(
        (a, b) => a.planCode.localeCompare(b.planCode) || a.provider.localeCompare(b.provider),
      ),
      newSubscribers: counts?.fresh ?? 0,
      churnedSubscribers: counts?.churned ?? 0,
      byDay,
      totals: [...totals.values()],
    };
  }
}
