import Link from 'next/link';
import { BudgetProgress } from '@/components/console/ads/report-parts';
import { loadCampaignReport } from '@/components/console/ads/data';
import { budgetLabel, SCHEDULE_LABEL, scheduleOf } from '@/components/console/ads/format';
import type { AdCampaign, CampaignStatus } from '@/components/console/ads/types';
import { buttonClass, inputClass, secondaryButtonClass } from '@/components/console/form-classes';
import { requirePermission } from '@/components/console/session';
import type { Page } from '@/components/console/types';
import { EmptyState, KampalaTime, PageHeader, Pager, StatusBadge, param } from '@/components/console/ui';
import { formatUgx } from '@/lib/format';
import { serverApi } from '@/lib/api/server';

export const metadata = { title: 'Ads' };

const STATUSES: readonly CampaignStatus[] = ['active', 'paused', 'archived'];
const PAGE_SIZE = 20;

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function AdCampaignsPage({ searchParams }: { searchParams: SearchParams }) {
  await requirePermission('ads:manage');
  const query = await searchParams;
  const statusParam = param(query.status);
  const status = STATUSES.find((s) => s === statusParam);
  const cursor = param(query.cursor);
  const apiQuery = new URLSearchParams({ limit: String(PAGE_SIZE) });
  if (status) apiQuery.set('status', status);
  if (cursor) apiQuery.set('cursor', cursor);
  const page = await serverApi<Page<AdCampaign>>(`/api/v1/admin/ads/campaigns?${apiQuery.toString()}`);
  // Delivery to date, one report per listed campaign (the list itself carries no counters).
  const reports = await Promise.all(page.items.map((c) => loadCampaignReport(c.id)));
  const now = new Date();

  return (
    <>
      <PageHeader
        title="Ad campaigns"
        description="Every campaign, newest first: its dates in Kampala time, budget and delivery so far."
        actions={
          <>
            <Link href="/console/ads/reports" className={secondaryButtonClass}>
              Inventory report
            </Link>
            <Link href="/console/ads/new" className={buttonClass}>
              New campaign
            </Link>
          </>
        }
      />
      <form action="/console/ads" className="mb-4 flex flex-wrap items-end gap-3" aria-label="Filter campaigns">
        <div>
          <label htmlFor="campaigns-status" className="mb-1 block text-sm font-semibold">
            Status
          </label>
          <select id="campaigns-status" name="status" defaultValue={status ?? ''} className={inputClass}>
            <option value="">Any status</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s[0]!.toUpperCase() + s.slice(1)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className={secondaryButtonClass}>
          Filter
        </button>
      </form>

      {page.items.length === 0 ? (
        <EmptyState>{status ? `No ${status} campaigns.` : 'No campaigns yet. Book the first one.'}</EmptyState>
      ) : (
        <ul className="divide-y divide-line rounded-xl border border-line bg-surface" aria-label="Campaigns">
          {page.items.map((c, i) => {
            const result = reports[i]!;
            const schedule = scheduleOf(c, now);
            return (
              <li
                key={c.id}
                className="grid grid-cols-1 gap-3 px-4 py-3 md:grid-cols-[minmax(0,2fr)_minmax(0,1.3fr)_minmax(0,1.5fr)] md:items-center"
                data-campaign-id={c.id}
              >
                <div className="min-w-0">
                  <p className="text-xs text-muted">{c.advertiser}</p>
                  <Link
                    href={`/console/ads/${c.id}`}
                    className="font-semibold break-words hover:text-gold hover:underline"
                  >
                    {c.name}
                  </Link>
                  <p className="text-xs text-muted">
                    Priority {c.priority} · {c.pacing === 'even' ? 'even pacing' : 'as fast as possible'}
                  </p>
                </div>
                <div className="grid grid-cols-1 gap-1 text-xs text-muted">
                  <p className="flex flex-wrap items-center gap-2">
                    <StatusBadge status={c.status} />
                    {c.status === 'active' ? <span>{SCHEDULE_LABEL[schedule]}</span> : null}
                  </p>
                  <p>
                    <KampalaTime iso={c.startsAt} /> → <KampalaTime iso={c.endsAt} />
                  </p>
                </div>
                <div className="grid grid-cols-1 gap-1 text-sm">
                  <p>
                    {budgetLabel(c)} <span className="text-xs text-muted">at {formatUgx(c.cpm)} CPM</span>
                  </p>
                  {result.report ? (
                    <BudgetProgress report={result.report} compact />
                  ) : (
                    <p className="text-xs text-muted">Delivery unavailable: {result.problem}</p>
                  )}
                </div>
              </li>
            );
          })}
        </ul>
      )}
      <Pager basePath="/console/ads" params={{ status }} nextCursor={page.nextCursor} hasCursor={Boolean(cursor)} />
    </>
  );
}
