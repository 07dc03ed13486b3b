import type { ReactNode } from 'react';
import { formatKampalaDateTime } from '@/components/billing/money';
import { PlanGrants } from '@/components/billing/plan-grants';
import { PortalButton } from '@/components/billing/portal-button';
import type { MyBilling, Plan, PlanList, Subscription } from '@/components/billing/types';
import { ApiError, serverApi } from '@/lib/api/server';
import type { Dictionary } from '@/lib/i18n/en';
import { getLocale } from '@/lib/i18n/server';

const linkClass = 'inline-flex min-h-11 items-center rounded-md px-4 font-semibold';

/** Access that still counts: active, or a card in its grace period, and not yet ended. */
function running(s: Subscription, now: number): boolean {
  return (s.status === 'active' || s.status === 'past_due') && Date.parse(s.currentPeriodEnd) > now;
}

function When({ iso, locale }: { iso: string; locale: string }) {
  return <time dateTime={iso}>{formatKampalaDateTime(iso, locale)}</time>;
}

/** "Renews on {date}" with the date as a <time>, so the sentence can put it anywhere. */
function Sentence({ template, iso, locale }: { template: string; iso: string; locale: string }) {
  const [before, after] = template.split('{date}');
  return (
    <>
      {before}
      <When iso={iso} locale={locale} />
      {after}
    </>
  );
}

function SubscriptionLine({
  t,
  locale,
  subscription: s,
  plan,
}: {
  t: Dictionary;
  locale: string;
  subscription: Subscription;
  plan: Plan | undefined;
}) {
  const recurring = s.kind === 'recurring';
  const status = recurring
    ? s.status === 'past_due'
      ? { template: t.subPastDue, iso: s.graceUntil ?? s.currentPeriodEnd }
      : { template: s.cancelAtPeriodEnd ? t.subEnds : t.subRenews, iso: s.currentPeriodEnd }
    : { template: t.accessUntil, iso: s.currentPeriodEnd };
  return (
    <li className="flex flex-wrap items-center justify-between gap-3 py-3" data-subscription={s.planCode}>
      <div className="min-w-0">
        <p className="font-semibold">
          {plan?.name ?? s.planCode}{' '}
          <span className="text-sm font-normal text-muted">· {recurring ? t.subCard : t.subPass}</span>
        </p>
        <p className={`text-sm ${s.status === 'past_due' ? 'text-warn' : 'text-muted'}`}>
          <Sentence template={status.template} iso={status.iso} locale={locale} />
        </p>
      </div>
      {recurring ? (
        s.provider === 'stripe' ? (
          <PortalButton label={t.manageCard} errorText={t.errorGeneric} />
        ) : null
      ) : (
        <a
          href={plan?.active ? `/checkout/${plan.code}` : '/plans'}
          className={`${linkClass} bg-gold text-ink hover:bg-gold/90`}
        >
          {t.subExtend}
        </a>
      )}
    </li>
  );
}

/**
 * The account page's subscription section: what the account may watch now and until when (Kampala
 * time), each pass or card subscription with its renewal, a way to extend a pass or manage the
 * card, and the payment history.
 */
export async function SubscriptionSection({ t }: { t: Dictionary }) {
  const locale = await getLocale();
  let billing: MyBilling;
  let plans: PlanList;
  try {
    [billing, plans] = await Promise.all([
      serverApi<MyBilling>('/api/v1/billing/me'),
      serverApi<PlanList>('/api/v1/billing/plans'),
    ]);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    return (
      <Frame t={t}>
        <p className="text-muted">{t.errorGeneric}</p>
      </Frame>
    );
  }
  const now = Date.now();
  const active = billing.subscriptions
    .filter((s) => running(s, now))
    .sort((a, b) => Date.parse(b.currentPeriodEnd) - Date.parse(a.currentPeriodEnd));
  const { entitlement } = billing;
  const planByCode = new Map(plans.items.map((p) => [p.code, p]));

  return (
    <Frame t={t}>
      {entitlement.premium && entitlement.accessUntil ? (
        <p className="text-lg font-semibold" data-premium="true">
          {t.premium} ·{' '}
          <span data-access-until={entitlement.accessUntil}>
            <Sentence template={t.accessUntil} iso={entitlement.accessUntil} locale={locale} />
          </span>
        </p>
      ) : (
        <p className="text-muted" data-premium="false">
          {t.subFree}
        </p>
      )}
      <div className="mt-3">
        <PlanGrants
          t={t}
          grants={{
            premiumCatalog: entitlement.premium,
            adFree: !entitlement.ads,
            downloads: entitlement.downloads,
            maxQuality: entitlement.maxQuality as Plan['grants']['maxQuality'],
            maxStreams: entitlement.maxStreams,
          }}
        />
      </div>
      {active.length > 0 ? (
        <ul className="mt-3 divide-y divide-line border-t border-line">
          {active.map((s) => (
            <SubscriptionLine key={s.id} t={t} locale={locale} subscription={s} plan={planByCode.get(s.planCode)} />
          ))}
        </ul>
      ) : null}
      <p className="mt-4 flex flex-wrap gap-3">
        {active.length === 0 ? (
          <a href="/plans" className={`${linkClass} bg-gold text-ink hover:bg-gold/90`}>
            {t.subGetPremium}
          </a>
        ) : (
          <a href="/plans" className={`${linkClass} border border-line hover:border-gold`}>
            {t.seePlans}
          </a>
        )}
        <a href="/account/payments" className={`${linkClass} border border-line hover:border-gold`}>
          {t.paymentHistory}
        </a>
      </p>
    </Frame>
  );
}

function Frame({ t, children }: { t: Dictionary; children: ReactNode }) {
  return (
    <section
      aria-labelledby="subscription-heading"
      className="rounded-xl border border-line bg-surface p-5"
      data-section="subscription"
    >
      <h2 id="subscription-heading" className="mb-4 text-xl font-semibold">
        {t.subscription}
      </h2>
      {children}
    </section>
  );
}
