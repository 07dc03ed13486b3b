import Link from 'next/link';
import { addDays, kampalaToday } from '@/components/billing/money';
import { formatCount, formatPercent } from '@/components/console/ads/format';
import type { AdInventoryReport } from '@/components/console/ads/types';
import { inputClass, secondaryButtonClass } from '@/components/console/form-classes';
import { requirePermission } from '@/components/console/session';
import { EmptyState, PageHeader, Panel, param } from '@/components/console/ui';
import { ApiError, serverApi } from '@/lib/api/server';

export const metadata = { title: 'Ad inventory' };

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const PLACEMENT_LABEL: Record<string, string> = {
  preroll: 'Pre-roll (VAST)',
  'home-top': 'Home, top banner',
  'home-middle': 'Home, middle banner',
  'title-below-synopsis': 'Title page banner',
  'watch-below-player': 'Under the player',
};
const cell = 'px-2 py-2';
const num = `${cell} text-right tabular-nums`;

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function AdInventoryPage({ searchParams }: { searchParams: SearchParams }) {
  await requirePermission('ads:manage');
  const query = await searchParams;
  // The report counts Kampala days: after 21:00 UTC, today there is already tomorrow in UTC terms.
  const today = kampalaToday();
  const fromParam = param(query.from);
  const toParam = param(query.to);
  const to = toParam && DAY.test(toParam) ? toParam : today;
  const from = fromParam && DAY.test(fromParam) ? fromParam : addDays(to, -29);

  let report: AdInventoryReport | null = null;
  let problem: string | null = null;
  try {
    report = await serverApi<AdInventoryReport>(
      `/api/v1/admin/ads/reports/inventory?${new URLSearchParams({ from, to })}`,
    );
  } catch (error) {
    if (!(error instanceof ApiError) || error.status >= 500 || error.status === 401) throw error;
    problem = error.message;
  }
  const placements = new Map<string, { requests: number; filled: number }>();
  for (const row of report?.days ?? []) {
    const p = placements.get(row.placement) ?? { requests: 0, filled: 0 };
    p.requests += row.requests;
    p.filled += row.filled;
    placements.set(row.placement, p);
  }
  const days = [...(report?.days ?? [])].sort(
    (a, b) => b.day.localeCompare(a.day) || a.placement.localeCompare(b.placement),
  );

  return (
    <>
      <p className="mb-2 text-sm">
        <Link href="/console/ads" className="text-muted underline-offset-4 hover:text-gold hover:underline">
          ← All campaigns
        </Link>
      </p>
      <PageHeader
        title="Ad inventory"
        description="Ad requests per placement and how many a campaign filled, across every campaign. Days are Kampala calendar days."
      />
      <div className="grid grid-cols-1 gap-6">
        <form method="get" className="flex flex-wrap items-end gap-3" aria-label="Report period">
          <label className="flex flex-col gap-1 text-sm font-semibold">
            From
            <input type="date" name="from" defaultValue={from} className={inputClass} />
          </label>
          <label className="flex flex-col gap-1 text-sm font-semibold">
            To
            <input type="date" name="to" defaultValue={to} className={inputClass} />
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
        {report && days.length === 0 ? <EmptyState>No ad requests in this period.</EmptyState> : null}
        {report && days.length > 0 ? (
          <>
            <Panel title="By placement" id="placements">
              <dl className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-3" data-inventory-placements>
                {[...placements.entries()].map(([placement, p]) => (
                  <div key={placement} className="rounded-xl border border-line bg-surface p-4">
                    <dt className="text-sm text-muted">{PLACEMENT_LABEL[placement] ?? placement}</dt>
                    <dd className="mt-1 text-xl font-semibold tabular-nums">
                      {formatPercent(p.requests > 0 ? p.filled / p.requests : 0)} filled
                    </dd>
                    <dd className="text-xs text-muted">
                      {formatCount(p.filled)} of {formatCount(p.requests)} requests
                    </dd>
                  </div>
                ))}
              </dl>
            </Panel>
            <Panel title="Per day" id="inventory-days">
              <div className="overflow-x-auto">
                <table className="w-full min-w-max text-left text-sm" data-inventory-table>
                  <caption className="sr-only">Ad requests and fill per placement per day</caption>
                  <thead className="text-xs text-muted uppercase">
                    <tr>
                      <th scope="col" className="border-b border-line px-2 py-2">
                        Day (Kampala)
                      </th>
                      <th scope="col" className="border-b border-line px-2 py-2">
                        Placement
                      </th>
                      <th scope="col" className="border-b border-line px-2 py-2 text-right">
                        Requests
                      </th>
                      <th scope="col" className="border-b border-line px-2 py-2 text-right">
                        Filled
                      </th>
                      <th scope="col" className="border-b border-line px-2 py-2 text-right">
                        Fill rate
                      </th>
                    </tr>
                  </thead>
                  <tbody className="divide-y divide-line">
                    {days.map((d) => (
                      <tr key={`${d.day}|${d.placement}`}>
                        <th scope="row" className={`${cell} font-semibold whitespace-nowrap`}>
                          {d.day}
                        </th>
                        <td className={cell}>{PLACEMENT_LABEL[d.placement] ?? d.placement}</td>
                        <td className={num}>{formatCount(d.requests)}</td>
                        <td className={num}>{formatCount(d.filled)}</td>
                        <td className={num}>{formatPercent(d.fillRate)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </Panel>
          </>
        ) : null}
      </div>
    </>
  );
}
