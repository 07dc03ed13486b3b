/** Pieces of the delivery reports, rendered on the server: totals, budget use, a bar chart and the daily table. */
import type { ReactNode } from 'react';
import { formatUgx } from '@/lib/format';
import { formatCount, formatPercent } from './format';
import type { AdCampaignReport, AdReportDay } from './types';

/** Delivered against booked: impressions and the money they are worth. */
export function BudgetProgress({ report, compact = false }: { report: AdCampaignReport; compact?: boolean }) {
  const used = Math.min(1, report.totals.budgetUsed);
  return (
    <div className="grid grid-cols-1 gap-1" data-budget-used={report.totals.budgetUsed}>
      <progress
        className="h-2 w-full accent-gold"
        max={1}
        value={used}
        aria-label={`Budget used: ${formatPercent(report.totals.budgetUsed)}`}
      />
      <p className="text-xs text-muted">
        {formatCount(report.totals.impressions)} of {formatCount(report.maxImpressions)} impressions
        {compact ? '' : ` · ${formatUgx(report.totals.spend)} of ${formatUgx(report.budget)}`} (
        {formatPercent(report.totals.budgetUsed)})
      </p>
    </div>
  );
}

function Stat({ label, value, detail }: { label: string; value: ReactNode; detail?: ReactNode }) {
  return (
    <div className="rounded-xl border border-line bg-surface p-4">
      <dt className="text-sm text-muted">{label}</dt>
      <dd className="mt-1 text-xl font-semibold tabular-nums">{value}</dd>
      {detail ? <dd className="mt-1 text-xs text-muted">{detail}</dd> : null}
    </div>
  );
}

export function ReportTotals({ report }: { report: AdCampaignReport }) {
  const t = report.totals;
  return (
    <dl className="grid grid-cols-2 gap-3 lg:grid-cols-3" data-report-totals>
      <Stat label="Impressions" value={<span data-total="impressions">{formatCount(t.impressions)}</span>} />
      <Stat label="Unique reach" value={formatCount(t.uniqueReach)} detail="Distinct viewers or devices" />
      <Stat label="Click-through rate" value={formatPercent(t.ctr)} detail={`${formatCount(t.clicks)} clicks`} />
      <Stat
        label="Completion rate"
        value={formatPercent(t.completionRate)}
        detail={`${formatCount(t.completes)} of ${formatCount(t.starts)} started pre-rolls`}
      />
      <Stat
        label="Fill rate"
        value={formatPercent(t.fillRate)}
        detail={`${formatCount(t.impressions)} shown of ${formatCount(t.decisions)} chosen`}
      />
      <Stat
        label="Spend"
        value={formatUgx(t.spend)}
        detail={`of ${formatUgx(report.budget)} budget (${formatPercent(t.budgetUsed)} of impressions booked)`}
      />
    </dl>
  );
}

const CHART_HEIGHT = 120;
const BAR_STEP = 12;

/** Impressions per day as bars; each bar names its day and count for pointer and screen-reader users. */
export function ImpressionsChart({ days }: { days: AdReportDay[] }) {
  if (days.length === 0) return null;
  const max = Math.max(1, ...days.map((d) => d.impressions));
  const width = Math.max(days.length * BAR_STEP, 120);
  const total = days.reduce((sum, d) => sum + d.impressions, 0);
  const summary = `Impressions per day, ${days[0]!.day} to ${days.at(-1)!.day}: ${formatCount(total)} in all, at most ${formatCount(max)} in a day.`;
  return (
    <figure className="grid grid-cols-1 gap-1">
      <svg
        viewBox={`0 0 ${width} ${CHART_HEIGHT + 2}`}
        preserveAspectRatio="none"
        className="h-32 w-full rounded-md bg-ink"
        role="img"
        aria-label={summary}
        data-impressions-chart
      >
        {days.map((d, i) => {
          const h = (d.impressions / max) * CHART_HEIGHT;
          return (
            <rect
              key={d.day}
              x={i * BAR_STEP + 2}
              y={CHART_HEIGHT - h + 1}
              width={BAR_STEP - 4}
              height={Math.max(h, d.impressions > 0 ? 1 : 0)}
              className="fill-gold"
            >
              <title>{`${d.day}: ${formatCount(d.impressions)} impressions`}</title>
            </rect>
          );
        })}
        <line x1={0} x2={width} y1={CHART_HEIGHT + 1} y2={CHART_HEIGHT + 1} className="stroke-line" strokeWidth={1} />
      </svg>
      <figcaption className="flex justify-between text-xs text-muted">
        <span>{days[0]!.day}</span>
        <span>peak {formatCount(max)} / day</span>
        <span>{days.at(-1)!.day}</span>
      </figcaption>
    </figure>
  );
}

const cell = 'px-2 py-2';
const num = `${cell} text-right tabular-nums`;

export function ReportTable({ report }: { report: AdCampaignReport }) {
  const head = [
    'Day (Kampala)',
    'Impressions',
    'Reach',
    'Clicks',
    'CTR',
    'Starts',
    'Completes',
    'Completion',
    'Fill rate',
    'Spend',
  ];
  return (
    <div className="overflow-x-auto">
      <table className="w-full min-w-max text-left text-sm" data-report-table>
        <caption className="sr-only">Delivery per day</caption>
        <thead className="text-xs text-muted uppercase">
          <tr>
            {head.map((h, i) => (
              <th key={h} scope="col" className={`border-b border-line px-2 py-2 ${i > 0 ? 'text-right' : ''}`}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-line">
          {report.days.map((d) => (
            <tr key={d.day} data-day={d.day}>
              <th scope="row" className={`${cell} font-semibold whitespace-nowrap`}>
                {d.day}
              </th>
              <td className={num} data-col="impressions">
                {formatCount(d.impressions)}
              </td>
              <td className={num}>{formatCount(d.uniqueReach)}</td>
              <td className={num}>{formatCount(d.clicks)}</td>
              <td className={num}>{formatPercent(d.ctr)}</td>
              <td className={num}>{formatCount(d.starts)}</td>
              <td className={num}>{formatCount(d.completes)}</td>
              <td className={num}>{formatPercent(d.completionRate)}</td>
              <td className={num}>{formatPercent(d.fillRate)}</td>
              <td className={num}>{formatUgx(d.spend)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot className="border-t-2 border-line font-semibold">
          <tr>
            <th scope="row" className={cell}>
              Total
            </th>
            <td className={num}>{formatCount(report.totals.impressions)}</td>
            <td className={num}>{formatCount(report.totals.uniqueReach)}</td>
            <td className={num}>{formatCount(report.totals.clicks)}</td>
            <td className={num}>{formatPercent(report.totals.ctr)}</td>
            <td className={num}>{formatCount(report.totals.starts)}</td>
            <td className={num}>{formatCount(report.totals.completes)}</td>
            <td className={num}>{formatPercent(report.totals.completionRate)}</td>
            <td className={num}>{formatPercent(report.totals.fillRate)}</td>
            <td className={num}>{formatUgx(report.totals.spend)}</td>
          </tr>
        </tfoot>
      </table>
    </div>
  );
}
