import type { Metadata } from 'next';
import { providerLabel, STATUS_CLASS, statusLabel } from '@/components/billing/labels';
import { formatKampalaDateTime, formatMoney } from '@/components/billing/money';
import type { PaymentPage } from '@/components/billing/types';
import { serverApi } from '@/lib/api/server';
import { fill } from '@/lib/i18n/locales';
import { getDictionary } from '@/lib/i18n/server';
import { one } from '@/lib/links';
import { requireMe } from '@/lib/session';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Payment history' };

const linkClass =
  'inline-flex min-h-11 items-center rounded-md border border-line px-3 text-sm font-semibold hover:border-gold';

export default async function PaymentHistoryPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[]>>;
}) {
  await requireMe('/account/payments');
  const cursor = one((await searchParams).cursor);
  const query = new URLSearchParams({ limit: '20', ...(cursor ? { cursor } : {}) });
  const [{ locale, t }, page] = await Promise.all([
    getDictionary(),
    serverApi<PaymentPage>(`/api/v1/billing/payments?${query}`),
  ]);

  return (
    <div className="mx-auto max-w-3xl">
      <p className="text-sm">
        <a href="/account" className="text-muted underline underline-offset-4 hover:text-gold">
          ← {t.accountHeading}
        </a>
      </p>
      <h1 className="mt-2 text-3xl font-black tracking-tight">{t.paymentHistory}</h1>
      {page.items.length === 0 ? (
        <p className="mt-6 text-muted">{t.paymentsEmpty}</p>
      ) : (
        <ul className="mt-6 divide-y divide-line rounded-xl border border-line bg-surface">
          {page.items.map((p) => (
            <li key={p.id} data-payment={p.id} className="flex flex-wrap items-center justify-between gap-3 p-4">
              <div className="min-w-0">
                <p className="font-semibold">
                  {p.planName} · <span data-amount>{formatMoney(p.currency, p.amount)}</span>
                </p>
                <p className="text-sm text-muted">
                  <time dateTime={p.completedAt ?? p.createdAt}>
                    {formatKampalaDateTime(p.completedAt ?? p.createdAt, locale)}
                  </time>{' '}
                  · {providerLabel(t, p.provider)}
                  {p.beneficiary.self ? '' : ` · ${fill(t.forName, { name: p.beneficiary.displayName })}`}
                </p>
                {p.refundedAmount > 0 ? (
                  <p className="text-sm text-muted">
                    {fill(t.refundedAmount, { amount: formatMoney(p.currency, p.refundedAmount) })}
                  </p>
                ) : null}
              </div>
              <div className="flex flex-wrap items-center gap-3">
                <span
                  className={`inline-flex items-center rounded-full border px-2 py-0.5 text-xs font-semibold ${STATUS_CLASS[p.status]}`}
                >
                  {statusLabel(t, p.status)}
                </span>
                {p.status === 'succeeded' || p.status === 'refunded' ? (
                  <a href={`/account/payments/${p.id}`} className={linkClass}>
                    {t.viewReceipt}
                  </a>
                ) : p.status === 'pending' ? (
                  <a href={`/checkout/payment/${p.id}`} className={linkClass}>
                    {t.checkStatus}
                  </a>
                ) : null}
              </div>
            </li>
          ))}
        </ul>
      )}
      {page.nextCursor || cursor ? (
        <nav aria-label={t.paymentHistory} className="mt-4 flex gap-3">
          {cursor ? (
            <a href="/account/payments" className={linkClass}>
              ← {t.paymentHistory}
            </a>
          ) : null}
          {page.nextCursor ? (
            <a href={`/account/payments?cursor=${encodeURIComponent(page.nextCursor)}`} className={linkClass}>
              {t.loadMore}
            </a>
          ) : null}
        </nav>
      ) : null}
    </div>
  );
}
