import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { CheckoutForm, type CheckoutOption } from '@/components/billing/checkout-form';
import { perInterval } from '@/components/billing/labels';
import { formatMoney } from '@/components/billing/money';
import { parseUgandanMobile } from '@/components/billing/msisdn';
import { PlanGrants } from '@/components/billing/plan-grants';
import type { PlanList } from '@/components/billing/types';
import { serverApi } from '@/lib/api/server';
import { fill } from '@/lib/i18n/locales';
import { getDictionary, pick } from '@/lib/i18n/server';
import { requireMe } from '@/lib/session';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Checkout' };

export default async function CheckoutPage({ params }: { params: Promise<{ plan: string }> }) {
  const { plan: code } = await params;
  const me = await requireMe(`/checkout/${encodeURIComponent(code)}`);
  const [{ t }, { items, methods }] = await Promise.all([
    getDictionary(),
    serverApi<PlanList>('/api/v1/billing/plans'),
  ]);
  const plan = items.find((p) => p.code === code && p.code !== 'free');
  if (!plan) notFound();

  // Each way to pay the API offers, with the price it would charge for this plan.
  const options: CheckoutOption[] = [];
  const offered = (provider: string) => methods.find((m) => m.provider === provider);
  const mobileProviders = (['mtn_momo', 'airtel_money'] as const).filter(
    (p) => offered(p) && plan.prices.UGX !== undefined,
  );
  if (mobileProviders.length > 0 && plan.prices.UGX !== undefined) {
    options.push({
      kind: 'mobile',
      providers: mobileProviders,
      currency: 'UGX',
      amountText: formatMoney('UGX', plan.prices.UGX),
    });
  }
  const stripe = offered('stripe');
  if (stripe) {
    const currency = stripe.currencies.includes('USD') && plan.prices.USD ? 'USD' : plan.prices.UGX ? 'UGX' : null;
    if (currency) {
      options.push({
        kind: 'card',
        providers: ['stripe'],
        currency,
        amountText: formatMoney(currency, plan.prices[currency]!),
      });
    }
  }
  if (offered('sandbox') && plan.prices.UGX !== undefined) {
    options.push({
      kind: 'sandbox',
      providers: ['sandbox'],
      currency: 'UGX',
      amountText: formatMoney('UGX', plan.prices.UGX),
    });
  }
  const myMobile = me.phone ? parseUgandanMobile(me.phone) : null;

  return (
    <div className="mx-auto max-w-lg">
      <h1 className="text-3xl font-black tracking-tight">{fill(t.checkoutHeading, { name: plan.name })}</h1>
      <p className="mt-2">
        {plan.prices.UGX !== undefined ? (
          <span className="text-2xl font-black text-gold">{formatMoney('UGX', plan.prices.UGX)}</span>
        ) : null}{' '}
        <span className="text-sm text-muted">{perInterval(t, plan.interval)}</span>
      </p>
      <div className="mt-4 rounded-xl border border-line bg-surface p-4">
        <PlanGrants t={t} grants={plan.grants} />
      </div>
      {options.length === 0 ? (
        <p className="mt-6 text-muted">{t.noPlans}</p>
      ) : (
        <CheckoutForm
          planId={plan.id}
          options={options}
          defaultPhone={myMobile ? `0${myMobile.msisdn.slice(3)}` : ''}
          t={pick(t, [
            'payWith',
            'methodMobileMoney',
            'methodMobileMoneyHint',
            'methodCard',
            'methodCardHint',
            'methodSandbox',
            'methodSandboxHint',
            'momoNumber',
            'momoNumberHint',
            'networkMtn',
            'networkAirtel',
            'networkUnknown',
            'networkInvalid',
            'networkNotOffered',
            'payForSomeoneElse',
            'beneficiaryLabel',
            'beneficiaryHint',
            'beneficiaryCardNote',
            'payAmount',
            'errorGeneric',
            'working',
          ])}
        />
      )}
    </div>
  );
}
