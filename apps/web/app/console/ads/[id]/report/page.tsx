import Link from 'next/link';
import { notFound } from 'next/navigation';
import { loadCampaignReport } from '@/components/console/ads/data';
import { ImpressionsChart, ReportTable, ReportTotals } from '@/components/console/ads/report-parts';
import type { AdCampaign } from '@/components/console/ads/types';
import { inputClass, secondaryButtonClass } from '@/components/console/form-classes';
import { requirePermission } from '@/components/console/session';
import { EmptyState, PageHeader, Panel, isUuid, param } from '@/components/console/ui';
import { serverApiOrNull } from '@/lib/api/server';

export const metadata = { title: 'Campaign report' };

const DAY = /^\d{4}-\d{2}-\d{2}$/;
type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function CampaignReportPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: SearchParams;
}) {
  await requirePermission('ads:manage');
  const { id } = await params;
  if (!isUuid(id)) notFound();
  const query = await searchParams;
  const fromParam = param(query.from);
  const toParam = param(query.to);
  const range = {
    from: fromParam && DAY.test(fromParam) ? fromParam : undefined,
    to: toParam && DAY.test(toParam) ? toParam : undefined,
  };
  const campaign = await serverApiOrNull<AdCampaign>(`/api/v1/admin/ads/campaigns/${id}`);
  if (!campaign) notFound();
  const { report, problem } = await loadCampaignReport(id, range);
  const shown = { from: range.from ?? report?.days[0]?.day ?? '', to: range.to ?? report?.days.at(-1)?.day ?? '' };
  const csvQuery = new URLSearchParams();
  if (range.from) csvQuery.set('from', range.from);
  if (range.to) csvQuery.set('to', range.to);
  const csvHref = `/api/v1/admin/ads/campaigns/${id}/report.csv${csvQuery.size ? `?${csvQuery.toString()}` : ''}`;

  return (
    <>
      <p className="mb-2 text-sm">
        <Link href={`/console/ads/${id}`} className="text-muted underline-offset-4 hover:text-gold hover:underline">
          ← {campaign.name}
        </Link>
      </p>
      <PageHeader
        title={`Report: ${campaign.name}`}
        description={`${campaign.advertiser}. Days are Kampala calendar days. Leave the dates empty for the whole campaign so far.`}
        actions={
          <a href={csvHref} download className={secondaryButtonClass}>
            Download CSV
          </a>
        }
      />
      <div className="grid grid-cols-1 gap-6">
        <form method="get" className="flex flex-wrap items-end gap-3" aria-label="Report period">
          <label className="flex flex-col gap-1 text-sm font-semibold">
            From
            <input type="date" name="from" defaultValue={shown.from} className={inputClass} />
          </label>
          <label className="flex flex-col gap-1 text-sm font-semibold">
            To
            <input type="date" name="to" defaultValue={shown.to} className={inputClass} />
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

        {report ? (
          <>
            <ReportTotals report={report} />
            {report.days.length === 0 ? (
              <EmptyState>No days to show: the campaign has not started yet.</EmptyState>
            ) : (
              <>
                <Panel title="Impressions per day" id="chart">
                  <ImpressionsChart days={report.days} />
                </Panel>
                <Panel title="Delivery per day" id="days">
                  <ReportTable report={report} />
                </Panel>
              </>
            )}
          </>
        ) : null}
      </div>
    </>
  );
}
