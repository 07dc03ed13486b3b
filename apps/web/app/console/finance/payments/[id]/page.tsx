import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { RefundForm } from '@/components/billing/refund-form';
import type { LedgerEntry } from '@/components/billing/types';
import { requirePermission } from '@/components/console/session';
import { EmptyState, isUuid, KampalaTime, PageHeader, Panel } from '@/components/console/ui';
import { serverApi } from '@/lib/api/server';

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
  const { items } = await serverApi<{ items: LedgerEntry[] }>(`/api/v1/admin/billing/payments/${id}/ledger`);
  if (items.length === 0) notFound();
  const { paid, refunded, left } = totals(items);
  const settled = items.some((e) => e.type === 'succeeded');

  return (
    <>
      <PageHeader
        title="Payment ledger"
        description={`Every state change of payment ${id}, oldest first. Times in Kampala (EAT).`}
        actions={
          <a
            href="/console/finance"
            className="inline-flex min-h-11 items-center rounded-md border border-line px-4 hover:border-gold"
          >
            ← Finance
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
                  {['When', 'Event', 'Status', 'Amount', 'Source', 'Details'].map((h) => (
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
                    <td className={`${cell} max-w-xs font-mono text-xs break-all`}>
                      {Object.keys(entry.data).length ? JSON.stringify(entry.data) : ''}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p className="mt-3 text-sm text-muted">
            Amounts are in the payment&apos;s unit (UGX shillings, USD cents). Paid {paid.toLocaleString('en-US')},
            refunded {refunded.toLocaleString('en-US')}.
          </p>
        </Panel>
        <Panel title="Record a refund" id="refund">
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
