/** Billing words the API sends as codes (providers, statuses, intervals), in the viewer's language. */
import type { Dictionary } from '@/lib/i18n/en';
import { fill } from '@/lib/i18n/locales';
import type { Payment, PaymentProviderName, Plan, PlanInterval } from './types';

export function providerLabel(
  t: Pick<Dictionary, 'providerSandbox' | 'providerStripe' | 'providerMtn' | 'providerAirtel'>,
  provider: string,
): string {
  const labels: Record<PaymentProviderName, string> = {
    sandbox: t.providerSandbox,
    stripe: t.providerStripe,
    mtn_momo: t.providerMtn,
    airtel_money: t.providerAirtel,
  };
  return labels[provider as PaymentProviderName] ?? provider;
}

export function statusLabel(
  t: Pick<Dictionary, 'statusPending' | 'statusSucceeded' | 'statusFailed' | 'statusRefunded'>,
  status: Payment['status'],
): string {
  switch (status) {
    case 'pending':
      return t.statusPending;
    case 'succeeded':
      return t.statusSucceeded;
    case 'failed':
      return t.statusFailed;
    case 'refunded':
      return t.statusRefunded;
  }
}

export function perInterval(
  t: Pick<Dictionary, 'perDay' | 'perWeek' | 'perMonth' | 'perYear'>,
  interval: PlanInterval,
) {
  switch (interval) {
    case 'day':
      return t.perDay;
    case 'week':
      return t.perWeek;
    case 'month':
      return t.perMonth;
    case 'year':
      return t.perYear;
  }
}

export const STATUS_CLASS: Record<Payment['status'], string> = {
  pending: 'border-warn/60 text-warn',
  succeeded: 'border-ok/60 text-ok',
  failed: 'border-down/60 text-down',
  refunded: 'border-line text-muted',
};

/** What a plan grants, one line each, in the viewer's language. */
export function grantLines(
  t: Pick<
    Dictionary,
    | 'grantPremium'
    | 'grantFreeOnly'
    | 'grantNoAds'
    | 'grantAds'
    | 'grantQuality'
    | 'grantStreams'
    | 'grantOneStream'
    | 'grantDownloads'
    | 'grantNoDownloads'
  >,
  grants: Plan['grants'],
): { text: string; included: boolean }[] {
  return [
    { text: grants.premiumCatalog ? t.grantPremium : t.grantFreeOnly, included: grants.premiumCatalog },
    { text: grants.adFree ? t.grantNoAds : t.grantAds, included: grants.adFree },
    { text: fill(t.grantQuality, { q: grants.maxQuality }), included: true },
    {
      text: grants.maxStreams === 1 ? t.grantOneStream : fill(t.grantStreams, { n: grants.maxStreams }),
      included: true,
    },
    { text: grants.downloads ? t.grantDownloads : t.grantNoDownloads, included: grants.downloads },
  ];
}
