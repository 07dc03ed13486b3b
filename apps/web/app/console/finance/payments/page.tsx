import type { Metadata } from 'next';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { formatMoney, kampalaToday } from '@/components/billing/money';
import type { AdminPaymentPage, Plan } from '@/components/billing/types';
import { inputClass, secondaryButtonClass } from '@/components/console/form-classes';
import { PAYMENT_STATUSES, PROVIDER_NAMES } from '@/components/console/finance/providers';
import { requirePermission } from '@/components/console/session';
import { EmptyState, isUuid, KampalaTime, PageHeader, Pager, Panel, param } from '@/components/console/ui';
import { ApiError, serverApi } from '@/lib/api/server';

export const metadata: Metadata = { title: 'Payments' };

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const PAGE_SIZE = 25;
const cell = 'px-2 py-2 align-top';

const STATUS_STYLE: Record<string, string> = {
  pending: 'border-warn/60 text-warn',
  succeeded: 'border-ok/60 text-ok',
  failed: 'border-down/60 text-down',
  refunded: 'border-line text-muted',
};

/**
 * Finance's payment list: every account's payments, newest first, filtered by status, provider,
 * plan and Kampala days, or found by payment id, phone, email or provider reference. The finance
 * page's "open a payment" form still lands here with ?id=…: a payment id goes straight to its page.
 */
export default async function PaymentsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requirePermission('finance:manage');
  const query = await searchParams;
  const id = param(query.id)?.trim();
  if (id && isUuid(id)) redirect(`/console/finance/payments/${id.toLowerCase()}`);

  const status = param(query.status);
  const provider = param(query.provider);
  const filters = {
    q: (param(query.q) ?? id)?.trim().slice(0, 200) || undefined,
    status: status && (PAYMENT_STATUSES as readonly string[]).includes(status) ? status : undefined,
    provider: provider && provider in PROVIDER_NAMES ? provider : undefined,
    plan: param(query.plan),
    from: param(query.from) && DAY.test(param(query.from)!) ? param(query.from) : undefined,
    to: param(query.to) && DAY.test(param(query.to)!) ? param(query.to) : undefined,
  };
  const cursor = param(query.cursor);

  const apiQuery = new URLSearchParams({ limit: String(PAGE_SIZE) });
  for (const [key, value] of Object.entries(filters)) if (value) apiQuery.set(key, value);
  if (cursor) apiQuery.set('cursor', cursor);

  // The plan list only fills the filter; the page still works without it.
  const plansRequest = serverApi<{ items: Plan[] }>('/api/v1/admin/billing/plans').catch(() => ({
    items: [] as Plan[],
  }));
  let found: AdminPaymentPage | null = null;
  let problem: string | null = null;
  try {
    found = await serverApi<AdminPaymentPage>(`/api/v1/admin/billing/payments?${apiQuery}`);
  } catch (error) {
    // A bad filter or an expired cursor: say so and keep the form.
    if (!(error instanceof ApiError) || error.status >= 500) throw error;
    problem = error.message;
  }
  const plans = await plansRequest;
  const today = kampalaToday();

  return (
    <>
      <PageHeader
        title="Payments"
        description="Every payment, newest first. Days and times are Kampala time (EAT); amounts in the payment's currency."
        actions={
          <Link
            href="/console/finance"
            className="inline-flex min-h-11 items-center rounded-md border border-line px-4 hover:border-gold"
          >
            ← Finance
          </Link>
        }
      />
      <div className="flex flex-col gap-6">
        <form method="get" className="grid gap-3 sm:grid-cols-2 lg:grid-cols-6" aria-label="Find payments">
          <label className="flex flex-col gap-1 text-sm font-semibold sm:col-span-2">
            Search
            <input
              name="q"
              type="search"
              defaultValue={filters.q ?? ''}
              maxLength={200}
              placeholder="Payment ID, phone, email or provider reference"
              className={inputClass}
            />
          </label>
          <label className="flex flex-col gap-1 text-sm font-semibold">
            Status
            <select name="status" defaultValue={filters.status ?? ''} className={inputClass}>
              <option value="">Any</option>
              {PAYMENT_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </label>
          <label className="flex flex-col gap-1 text-sm font-semibold">
            Provider
            <select name="provider" defaultValue={filters.provider ?? ''} className={inputClass}>
              <option value="">Any</option>
              {Object.entries(PROVIDER_NAMES).map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          </label>
          <label className="flex flex-col gap-1 text-sm font-semibold">
            Plan
            <select name="plan" defaultValue={filters.plan ?? ''} className={inputClass}>
              <option value="">Any</option>
              {plans.items
                .filter((p) => p.code !== 'free')
                .map((p) => (
                  <option key={p.code} value={p.code}>
                    {p.name}
                  </option>
                ))}
            </select>
          </label>
          <div className="flex flex-col gap-3 sm:flex-row lg:col-span-6">
            <label className="flex flex-col gap-1 text-sm font-semibold">
              From (Kampala day)
              <input type="date" name="from" defaultValue={filters.from ?? ''} max={today} className={inputClass} />
            </label>
            <label className="flex flex-col gap-1 text-sm font-semibold">
              To (Kampala day)
              <input type="date" name="to" defaultValue={filters.to ?? ''} max={today} className={inputClass} />
            </label>
            <div className="flex items-end gap-2">
              <button type="submit" className={secondaryButtonClass}>
                Show
              </button>
              <Link href="/console/finance/payments" className={secondaryButtonClass}>
                Clear
              </Link>
            </div>
          </div>
        </form>

        {problem ? (
          <p role="alert" className="rounded-md border border-down/40 bg-down/10 p-3 text-sm">
            {problem}
          </p>
        ) : null}

        {found ? (
          <Panel title="Payments" id="payments">
            {found.items.length === 0 ? (
              <EmptyState>No payments match.</EmptyState>
            ) : (
              <div className="overflow-x-auto">
                <table className="w-full text-left text-sm" data-payments>
                  <caption className="sr-only">Payments, newest first</caption>
                  <thead className="text-xs text-muted uppercase">
                    <tr>
                      {['Started', 'Payer', 'Plan and provider', 'Amount', 'Status', ''].map((h, i) => (
                        <th
                          key={h || i}
                          scope="col"
                          className={`border-b border-line px-2 py-2 ${h === 'Amount' ? 'text-right' : ''}`}
                        >
                          {h || <span className="sr-only">Open</span>}
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody className="divide-y divide-line">
                    {found.items.map((p) => (
                      <tr key={p.id} data-payment-id={p.id}>
                        <td className={`${cell} whitespace-nowrap`}>
                          <KampalaTime iso={p.createdAt} />
                        </td>
                        <td className={`${cell} break-all`}>
                          <span className="block font-semibold">{p.payer.displayName}</span>
                          <span className="block text-xs text-muted">
                            {[p.payer.email, p.payer.phone ?? p.msisdn].filter(Boolean).join(' · ')}
                          </span>
                          {!p.beneficiary.self ? (
                            <span className="block text-xs text-muted">For {p.beneficiary.displayName}</span>
                          ) : null}
                        </td>
                        <td className={cell}>
                          <span className="block">{p.planName}</span>
                          <span className="block text-xs">{PROVIDER_NAMES[p.provider] ?? p.provider}</span>
                          {p.providerReference ? (
                            <span className="block font-mono text-xs break-all text-muted">{p.providerReference}</span>
                          ) : null}
                        </td>
                        <td className={`${cell} text-right whitespace-nowrap tabular-nums`}>
                          <span className="block">{formatMoney(p.currency, p.amount)}</span>
                          {p.refundedAmount > 0 ? (
                            <span className="block text-xs text-muted">
                              −{formatMoney(p.currency, p.refundedAmount)} refunded
                            </span>
                          ) : null}
                        </td>
                        <td className={cell}>
                          <span
                            className={`inline-flex items-center rounded-full border px-2 py-0.5 text-xs font-semibold capitalize ${STATUS_STYLE[p.status] ?? 'border-line'}`}
                          >
                            {p.status}
                          </span>
                        </td>
                        <td className={cell}>
                          <Link
                            href={`/console/finance/payments/${p.id}`}
                            className="text-gold underline-offset-2 hover:underline"
                            aria-label={`Open payment ${p.id}`}
                          >
                            Open
                          </Link>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
            <Pager
              basePath="/console/finance/payments"
              params={filters}
              nextCursor={found.nextCursor}
              hasCursor={Boolean(cursor)}
            />
          </Panel>
        ) : null}
      </div>
    </>
  );
}
