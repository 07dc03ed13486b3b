import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { RefundForm } from '@/components/billing/refund-form';
import { formatMoney } from '@/components/billing/money';
import type { LedgerEntry, PaymentLedger } from '@/components/billing/types';
import { REFUND_STATUS_TEXT } from '@/components/console/finance/providers';
import { requirePermission } from '@/components/console/session';
import { EmptyState, isUuid, KampalaTime, PageHeader, Panel } from '@/components/console/ui';
import { ApiError, serverApi } from '@/lib/api/server';

export const metadata: Metadata = { title: 'Payment ledger' };

const cell = 'px-2 py-2 align-top';

/** What was paid and refunded, from the ledger's own entries (amounts in the payment's unit). */
function totals(items: LedgerEntry[]) {
  const paid = items.filter((e) => e.type === 'succeeded').reduce((sum, e) => sum + (e.amount ?? 0), 0);
  const refunded = items.filter((e) => e.type === 'refund').reduce((sum, e) => sum + (e.amount ?? 0), 0);
  return { paid, refunded, left: Math.max(0, paid - refunded) };
}

export default async function PaymentLedgerPage({ params }: { params: Promise<{ id: string }> }) {
  await requirePermission('finance:manage');
  const { id } = await params;
  if (!isUuid(id)) notFound();
  let ledger: PaymentLedger;
  try {
    ledger = await serverApi<PaymentLedger>(`/api/v1/admin/billing/payments/${id}/ledger`);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) notFound();
    throw error;
  }
  const { items, refunds } = ledger;
  if (items.length === 0) notFound();
  const currency = items[0]!.currency;
  const { paid, refunded } = totals(items);
  // Refunds not confirmed yet still hold their amount: only what no refund holds can be refunded.
  const held = refunds.filter((r) => r.status !== 'failed').reduce((sum, r) => sum + r.amount, 0);
  const left = Math.max(0, paid - held);
  const settled = items.some((e) => e.type === 'succeeded');

  return (
    <>
      <PageHeader
        title="Payment ledger"
        description={`Every state change of payment ${id}, oldest first. Times in Kampala (EAT).`}
        actions={
          <a
            href="/console/finance/payments"
            className="inline-flex min-h-11 items-center rounded-md border border-line px-4 hover:border-gold"
          >
            ← Payments
          </a>
        }
      />
      <div className="flex flex-col gap-6">
        <Panel title="Ledger" id="ledger">
          <div className="overflow-x-auto">
            <table className="w-full min-w-max text-left text-sm" data-ledger>
              <caption className="sr-only">Ledger entries</caption>
              <thead className="text-xs text-muted uppercase">
                <tr>
                  {['When', 'Event', 'Status', 'Amount', 'Source', 'Currency', 'Details'].map((h) => (
                    <th key={h} scope="col" className="border-b border-line px-2 py-2">
                      {h}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody className="divide-y divide-line">
                {items.map((entry, index) => (
                  <tr key={`${entry.createdAt}-${index}`}>
                    <td className={`${cell} whitespace-nowrap`}>
                      <KampalaTime iso={entry.createdAt} />
                    </td>
                    <td className={`${cell} font-semibold`}>{entry.type}</td>
                    <td className={cell}>
                      {entry.fromStatus && entry.fromStatus !== entry.toStatus
                        ? `${entry.fromStatus} → ${entry.toStatus ?? '—'}`
                        : (entry.toStatus ?? '—')}
                    </td>
                    <td className={`${cell} text-right tabular-nums`}>
                      {entry.amount === null ? '—' : entry.amount.toLocaleString('en-US')}
                    </td>
                    <td className={cell}>{entry.source}</td>
                    <td className={cell}>{entry.currency}</td>
                    <td className={`${cell} max-w-xs font-mono text-xs break-all`}>
                      {Object.keys(entry.data).length ? JSON.stringify(entry.data) : ''}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p className="mt-3 text-sm text-muted">
            Amounts are in the payment&apos;s unit (UGX shillings, USD cents). Paid {formatMoney(currency, paid)},
            refunded {formatMoney(currency, refunded)}.
          </p>
        </Panel>
        {refunds.length > 0 ? (
          <Panel title="Refunds" id="refunds">
            <ul className="flex flex-col gap-2 text-sm" data-refunds>
              {refunds.map((r) => (
                <li key={r.id} className="rounded-md border border-line p-3">
                  <span className="font-semibold">{formatMoney(r.currency, r.amount)}</span> —{' '}
                  {REFUND_STATUS_TEXT[r.status] ?? r.status}
                  {r.providerRefundId ? <span className="ml-2 font-mono text-xs">{r.providerRefundId}</span> : null}
                  <span className="block text-muted">
                    <KampalaTime iso={r.createdAt} /> · {r.reason}
                    {r.failureReason ? ` · ${r.failureReason}` : ''}
                  </span>
                </li>
              ))}
            </ul>
          </Panel>
        ) : null}
        <Panel title="Refund" id="refund">
          {settled ? (
            <RefundForm paymentId={id} maxAmount={left} />
          ) : (
            <EmptyState>Only a completed payment can be refunded.</EmptyState>
          )}
        </Panel>
      </div>
    </>
  );
}
