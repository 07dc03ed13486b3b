import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import type { ReactNode } from 'react';
import { providerLabel, statusLabel } from '@/components/billing/labels';
import { formatKampalaDateTime, formatMoney } from '@/components/billing/money';
import { PrintButton } from '@/components/billing/print-button';
import type { Receipt } from '@/components/billing/types';
import { serverApiOrNull } from '@/lib/api/server';
import { getDictionary } from '@/lib/i18n/server';
import { requireMe } from '@/lib/session';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Receipt' };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** On paper: only the receipt, black on white (the site's header, footer and buttons stay on screen). */
const PRINT_CSS = `@media print {
  body > header, body > footer, body > a[href="#main"] { display: none !important; }
  html, body { background: #fff !important; color: #000 !important; }
  #main { padding: 0 !important; max-width: none !important; }
  @page { margin: 16mm; }
}`;

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt className="text-muted print:text-neutral-600">{label}</dt>
      <dd className="min-w-0 break-words">{children}</dd>
    </>
  );
}

export default async function ReceiptPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  await requireMe(`/account/payments/${encodeURIComponent(id)}`);
  if (!UUID.test(id)) notFound();
  const [{ locale, t }, receipt] = await Promise.all([
    getDictionary(),
    serverApiOrNull<Receipt>(`/api/v1/billing/payments/${id}/receipt`),
  ]);
  if (!receipt) notFound();
  const when = (iso: string) => formatKampalaDateTime(iso, locale);

  return (
    <div className="mx-auto max-w-xl">
      <style>{PRINT_CSS}</style>
      <p className="flex flex-wrap items-center justify-between gap-3 print:hidden">
        <a href="/account/payments" className="text-sm text-muted underline underline-offset-4 hover:text-gold">
          ← {t.allPayments}
        </a>
        <PrintButton label={t.print} />
      </p>
      <article
        data-receipt={receipt.receiptNumber}
        className="mt-4 rounded-xl border border-line bg-surface p-6 print:mt-0 print:border-neutral-300 print:bg-white print:text-black"
      >
        <header className="flex flex-wrap items-start justify-between gap-4 border-b border-line pb-4 print:border-neutral-300">
          <div>
            <p className="text-2xl font-black tracking-tight">
              <span className="text-gold print:text-black">Kush</span> Films
            </p>
            <p className="text-sm break-all text-muted print:text-neutral-600">{receipt.seller.website}</p>
          </div>
          <div className="text-right">
            <h1 className="text-xl font-semibold">{t.receiptHeading}</h1>
            <p className="font-mono text-sm">{receipt.receiptNumber}</p>
          </div>
        </header>

        <p className="mt-6 text-sm text-muted print:text-neutral-600">{t.receiptAmount}</p>
        <p className="text-4xl font-black" data-receipt-amount>
          {formatMoney(receipt.currency, receipt.amount)}
        </p>
        <p className="text-sm text-muted print:text-neutral-600">
          {receipt.currency} · {statusLabel(t, receipt.status)}
        </p>

        <dl className="mt-6 grid grid-cols-[auto_minmax(0,1fr)] gap-x-4 gap-y-2 text-sm">
          <Row label={t.receiptNumber}>{receipt.receiptNumber}</Row>
          <Row label={t.receiptDate}>
            <time dateTime={receipt.issuedAt}>{when(receipt.issuedAt)}</time>
          </Row>
          <Row label={t.receiptSeller}>{receipt.seller.name}</Row>
          <Row label={t.receiptPaidBy}>
            {receipt.payer.displayName}
            {receipt.payer.email ? <span className="block break-all">{receipt.payer.email}</span> : null}
            {receipt.payer.phone ? <span className="block">{receipt.payer.phone}</span> : null}
          </Row>
          <Row label={t.receiptFor}>{receipt.beneficiary.displayName}</Row>
          <Row label={t.colPlan}>{receipt.plan.name}</Row>
          {receipt.periodStart && receipt.periodEnd ? (
            <Row label={t.receiptPeriod}>
              <time dateTime={receipt.periodStart}>{when(receipt.periodStart)}</time> –{' '}
              <time dateTime={receipt.periodEnd}>{when(receipt.periodEnd)}</time>
            </Row>
          ) : null}
          <Row label={t.colMethod}>
            {providerLabel(t, receipt.provider)}
            {receipt.msisdn ? ` · ${receipt.msisdn}` : ''}
          </Row>
          {receipt.providerReference ? (
            <Row label={t.receiptReference}>
              <span className="font-mono text-xs break-all">{receipt.providerReference}</span>
            </Row>
          ) : null}
          {receipt.refundedAmount > 0 ? (
            <Row label={t.statusRefunded}>{formatMoney(receipt.currency, receipt.refundedAmount)}</Row>
          ) : null}
          <Row label={t.receiptPaymentId}>
            <span className="font-mono text-xs break-all">{receipt.paymentId}</span>
          </Row>
        </dl>
        <p className="mt-6 text-xs text-muted print:text-neutral-600">{t.receiptTimes}</p>
      </article>
    </div>
  );
}
