import type { Metadata } from 'next';
import { PlanGrants } from '@/components/billing/plan-grants';
import { formatMoney } from '@/components/billing/money';
import { perInterval } from '@/components/billing/labels';
import type { MyBilling, PlanList } from '@/components/billing/types';
import { serverApi, serverApiIfSignedIn } from '@/lib/api/server';
import { fill } from '@/lib/i18n/locales';
import { getDictionary } from '@/lib/i18n/server';
import { one } from '@/lib/links';
import { getMe } from '@/lib/session';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Plans' };

export default async function PlansPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[]>>;
}) {
  const [{ t }, query, me] = await Promise.all([getDictionary(), searchParams, getMe()]);
  const [{ items, methods }, billing] = await Promise.all([
    serverApi<PlanList>('/api/v1/billing/plans'),
    me ? serverApiIfSignedIn<MyBilling>('/api/v1/billing/me') : Promise.resolve(null),
  ]);
  const now = Date.now();
  const current = new Set(
    (billing?.subscriptions ?? [])
      .filter((s) => (s.status === 'active' || s.status === 'past_due') && Date.parse(s.currentPeriodEnd) > now)
      .map((s) => s.planCode),
  );
  const card = methods.find((m) => m.provider === 'stripe');
  const mobile = methods.some((m) => m.provider === 'mtn_momo' || m.provider === 'airtel_money');
  const paid = items.filter((plan) => plan.code !== 'free' && Object.keys(plan.prices).length > 0);
  const free = items.find((plan) => plan.code === 'free');

  return (
    <div>
      <h1 className="text-3xl font-black tracking-tight">{t.plansHeading}</h1>
      <p className="mt-2 max-w-prose text-muted">{t.plansIntro}</p>
      {one(query.canceled) ? (
        <p role="status" className="mt-4 rounded-md border border-warn/40 bg-warn/10 p-3 text-sm">
          {t.cardCanceled}
        </p>
      ) : null}

      {paid.length === 0 ? <p className="mt-6 text-muted">{t.noPlans}</p> : null}
      <ul className="mt-6 grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
        {paid.map((plan) => {
          const ugx = plan.prices.UGX;
          const usd = card?.currencies.includes('USD') ? plan.prices.USD : undefined;
          const headingId = `plan-${plan.code}`;
          return (
            <li key={plan.id}>
              <section
                aria-labelledby={headingId}
                data-plan={plan.code}
                className="flex h-full flex-col gap-4 rounded-xl border border-line bg-surface p-5"
              >
                <div>
                  <div className="flex flex-wrap items-center justify-between gap-2">
                    <h2 id={headingId} className="text-xl font-semibold">
                      {plan.name}
                    </h2>
                    {current.has(plan.code) ? (
                      <span className="rounded-full border border-ok/60 px-2 py-0.5 text-xs font-semibold text-ok">
                        {t.yourPlan}
                      </span>
                    ) : null}
                  </div>
                  {plan.description ? <p className="mt-1 text-sm text-muted">{plan.description}</p> : null}
                </div>
                <p>
                  {ugx !== undefined ? (
                    <>
                      <span className="text-3xl font-black text-gold" data-price="UGX">
                        {formatMoney('UGX', ugx)}
                      </span>{' '}
                      <span className="text-sm text-muted">{perInterval(t, plan.interval)}</span>
                    </>
                  ) : null}
                  {usd !== undefined ? (
                    <span className="mt-1 block text-sm text-muted" data-price="USD">
                      {fill(t.orByCard, { price: formatMoney('USD', usd) })}
                    </span>
                  ) : null}
                </p>
                <PlanGrants t={t} grants={plan.grants} />
                <a
                  href={`/checkout/${plan.code}`}
                  className="mt-auto inline-flex min-h-11 items-center justify-center rounded-md bg-gold px-4 font-semibold text-ink hover:bg-gold/90"
                >
                  {fill(t.choosePlan, { name: plan.name })}
                </a>
              </section>
            </li>
          );
        })}
        {free ? (
          <li>
            <section
              aria-labelledby="plan-free"
              data-plan="free"
              className="flex h-full flex-col gap-4 rounded-xl border border-dashed border-line p-5"
            >
              <div>
                <h2 id="plan-free" className="text-xl font-semibold">
                  {free.name}
                </h2>
                {free.description ? <p className="mt-1 text-sm text-muted">{free.description}</p> : null}
              </div>
              <p className="text-3xl font-black">{t.free}</p>
              <PlanGrants t={t} grants={free.grants} />
            </section>
          </li>
        ) : null}
      </ul>

      <div className="mt-6 flex max-w-prose flex-col gap-1 text-sm text-muted">
        {mobile || methods.some((m) => m.provider === 'sandbox') ? <p>{t.plansPassNote}</p> : null}
        {card ? <p>{t.plansCardNote}</p> : null}
      </div>
    </div>
  );
}
