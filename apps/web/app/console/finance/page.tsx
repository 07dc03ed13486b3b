import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { addDays, formatMoney, kampalaToday } from '@/components/billing/money';
import type { Revenue } from '@/components/billing/types';
import { buttonClass, inputClass, secondaryButtonClass } from '@/components/console/form-classes';
import { requirePermission } from '@/components/console/session';
import { EmptyState, PageHeader, Panel, param } from '@/components/console/ui';
import { ApiError, serverApi } from '@/lib/api/server';

export const metadata: Metadata = { title: 'Finance' };

const DAY = /^\d{4}-\d{2}-\d{2}$/;

const PROVIDER_NAMES: Record<string, string> = {
  sandbox: 'Sandbox (test)',
  stripe: 'Card (Stripe)',
  mtn_momo: 'MTN MoMo',
  airtel_money: 'Airtel Money',
};

function Table({ caption, head, children }: { caption: string; head: string[]; children: ReactNode }) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full min-w-max text-left text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="text-xs text-muted uppercase">
          <tr>
            {head.map((h, i) => (
              <th key={h} scope="col" className={`border-b border-line px-2 py-2 ${i > 0 ? 'text-right' : ''}`}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-line">{children}</tbody>
      </table>
    </div>
  );
}

const cell = 'px-2 py-2';
const num = `${cell} text-right tabular-nums`;

export default async function FinancePage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requirePermission('finance:manage');
  const query = await searchParams;
  const today = kampalaToday();
  const fromParam = param(query.from);
  const toParam = param(query.to);
  const from = fromParam && DAY.test(fromParam) ? fromParam : addDays(today, -29);
  const to = toParam && DAY.test(toParam) ? toParam : today;

  let revenue: Revenue | null = null;
  let problem: string | null = null;
  try {
    revenue = await serverApi<Revenue>(`/api/v1/admin/billing/revenue?${new URLSearchParams({ from, to })}`);
  } catch (error) {
    if (!(error instanceof ApiError) || error.status >= 500) throw error;
    problem = error.message;
  }
  const activeTotal = revenue?.activeSubscribers.reduce((sum, row) => sum + row.count, 0) ?? 0;

  return (
    <>
      <PageHeader
        title="Finance"
        description="Revenue, subscribers and refunds. Days are Kampala calendar days (EAT); amounts as the API reports them."
        actions={
          <a
            href="/console/finance/payments"
            className="inline-flex min-h-11 items-center rounded-md border border-line px-4 hover:border-gold"
          >
            All payments
          </a>
        }
      />
      <div className="flex flex-col gap-6">
        <form method="get" className="flex flex-wrap items-end gap-3" aria-label="Revenue period">
          <label className="flex flex-col gap-1 text-sm font-semibold">
            From
            <input type="date" name="from" defaultValue={from} max={today} className={inputClass} />
          </label>
          <label className="flex flex-col gap-1 text-sm font-semibold">
            To
            <input type="date" name="to" defaultValue={to} max={today} className={inputClass} />
          </label>
          <button type="submit" className={secondaryButtonClass}>
            Show
          </button>
        </form>

        {problem ? (
          <p role="alert" className="rounded-md border border-down/40 bg-down/10 p-3 text-sm">
            {problem}
          </p>
        ) : null}

        {revenue ? (
          <>
            <dl className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4" data-revenue-summary>
              <div className="rounded-xl border border-line bg-surface p-4">
                <dt className="text-sm text-muted">MRR now</dt>
                <dd className="mt-1 text-xl font-semibold">
                  {revenue.mrr.length === 0
                    ? formatMoney('UGX', 0)
                    : revenue.mrr.map((m) => (
                        <span key={m.currency} className="block">
                          {formatMoney(m.currency, m.amount)}
                        </span>
                      ))}
                </dd>
              </div>
              <div className="rounded-xl border border-line bg-surface p-4">
                <dt className="text-sm text-muted">Active subscribers now</dt>
                <dd className="mt-1 text-xl font-semibold">{activeTotal.toLocaleString('en-US')}</dd>
              </div>
              <div className="rounded-xl border border-line bg-surface p-4">
                <dt className="text-sm text-muted">New in period</dt>
                <dd className="mt-1 text-xl font-semibold">{revenue.newSubscribers.toLocaleString('en-US')}</dd>
              </div>
              <div className="rounded-xl border border-line bg-surface p-4">
                <dt className="text-sm text-muted">Churned in period</dt>
                <dd className="mt-1 text-xl font-semibold">{revenue.churnedSubscribers.toLocaleString('en-US')}</dd>
              </div>
            </dl>

            <Panel title={`Totals, ${revenue.from} to ${revenue.to}`} id="totals">
              {revenue.totals.length === 0 ? (
                <EmptyState>No payments in this period.</EmptyState>
              ) : (
                <Table caption="Totals by currency" head={['Currency', 'Gross', 'Refunds', 'Net']}>
                  {revenue.totals.map((row) => (
                    <tr key={row.currency}>
                      <td className={cell}>{row.currency}</td>
                      <td className={num}>{formatMoney(row.currency, row.gross)}</td>
                      <td className={num}>{formatMoney(row.currency, row.refunds)}</td>
                      <td className={`${num} font-semibold`}>{formatMoney(row.currency, row.net)}</td>
                    </tr>
                  ))}
                </Table>
              )}
            </Panel>

            <Panel title="Active subscribers by plan and provider" id="subscribers">
              {revenue.activeSubscribers.length === 0 ? (
                <EmptyState>No active subscriptions or passes.</EmptyState>
              ) : (
                <Table caption="Active subscribers by plan and provider" head={['Plan', 'Provider', 'Subscribers']}>
                  {revenue.activeSubscribers.map((row) => (
                    <tr key={`${row.planCode}-${row.provider}`}>
                      <td className={cell}>{row.planCode}</td>
                      <td className={`${cell} text-right`}>{PROVIDER_NAMES[row.provider] ?? row.provider}</td>
                      <td className={num}>{row.count.toLocaleString('en-US')}</td>
                    </tr>
                  ))}
                </Table>
              )}
            </Panel>

            <Panel title="Revenue by day, provider and currency" id="by-day">
              {revenue.byDay.length === 0 ? (
                <EmptyState>No payments in this period.</EmptyState>
              ) : (
                <Table
                  caption="Revenue by day, provider and currency"
                  head={['Day', 'Provider', 'Payments', 'Gross', 'Refunds', 'Net']}
                >
                  {revenue.byDay.map((row) => (
                    <tr key={`${row.day}-${row.provider}-${row.currency}`}>
                      <td className={`${cell} tabular-nums`}>{row.day}</td>
                      <td className={`${cell} text-right`}>{PROVIDER_NAMES[row.provider] ?? row.provider}</td>
                      <td className={num}>{row.payments.toLocaleString('en-US')}</td>
                      <td className={num}>{formatMoney(row.currency, row.gross)}</td>
                      <td className={num}>{formatMoney(row.currency, row.refunds)}</td>
                      <td className={`${num} font-semibold`}>{formatMoney(row.currency, row.net)}</td>
                    </tr>
                  ))}
                </Table>
              )}
            </Panel>
          </>
        ) : null}

        <Panel title="A payment: ledger and refunds" id="payment">
          <form method="get" action="/console/finance/payments" className="flex flex-wrap items-end gap-3">
            <label className="flex min-w-0 flex-1 flex-col gap-1 text-sm font-semibold">
              Payment ID (from the viewer&apos;s receipt)
              <input
                name="id"
                required
                pattern="[0-9a-fA-F-]{36}"
                placeholder="0190f3c2-…"
                className={`${inputClass} font-mono`}
              />
            </label>
            <button type="submit" className={buttonClass}>
              Open
            </button>
          </form>
        </Panel>
      </div>
    </>
  );
}
