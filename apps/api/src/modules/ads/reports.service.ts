import { AppError } from '@kush/contracts';
import type { Database } from '@kush/db';
import { addDays, kampalaDay, kampalaDayStart } from '../../lib/kampala-time';
import * as repo from './ads.repository';
import { maxImpressionsOf } from './campaigns.service';

const DAY_MS = 86_400_000;
const MAX_DAYS = 366;
const ratio = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 10_000) / 10_000 : 0);

export interface ReportRange {
  from?: string;
  to?: string;
}

/** Per-campaign daily delivery from the tracking events; fill rate from the decision counts. Days are Kampala days. */
export class ReportsService {
  constructor(
    private readonly db: Database,
    /** Writes decision counts still buffered in this instance first. */
    private readonly flush: () => Promise<void>,
  ) {}

  async campaign(campaignId: string, range: ReportRange, now = new Date()) {
    const campaign = await repo.findCampaign(this.db, campaignId);
    if (!campaign) throw new AppError('NOT_FOUND', 'No such campaign.');
    const from = range.from ?? kampalaDay(campaign.startsAt);
    const to = range.to ?? kampalaDay(campaign.endsAt < now ? campaign.endsAt : now);
    const days = dayList(from, to);
    await this.flush();
    const [events, decisions] = await Promise.all([
      repo.campaignEventsByDay(this.db, campaignId, kampalaDayStart(from), kampalaDayStart(addDays(to, 1))),
      repo.decisionsByDay(this.db, { campaignKey: campaignId, from, to }),
    ]);
    const rows = days.map((day) => {
      const n = (event: string) => events.events.find((e) => e.day === day && e.event === event)?.n ?? 0;
      const decided = decisions.filter((d) => d.day === day).reduce((sum, d) => sum + d.decisions, 0);
      return this.row(
        campaign,
        day,
        decided,
        n('impression'),
        events.reach.get(day) ?? 0,
        n('start'),
        n('complete'),
        n('skip'),
        n('click'),
      );
    });
    const sum = (k: 'decisions' | 'impressions' | 'starts' | 'completes' | 'skips' | 'clicks') =>
      rows.reduce((s, r) => s + r[k], 0);
    const { day: _day, ...totals } = this.row(
      campaign,
      '',
      sum('decisions'),
      sum('impressions'),
      events.totalReach,
      sum('starts'),
      sum('completes'),
      sum('skips'),
      sum('clicks'),
    );
    const maxImpressions = maxImpressionsOf(campaign);
    return {
      campaignId,
      currency: campaign.currency,
      budget:
        campaign.budgetKind === 'money'
          ? campaign.budgetAmount
          : Math.floor((campaign.budgetAmount * campaign.cpm) / 1000),
      maxImpressions,
      totals: { ...totals, budgetUsed: ratio(totals.impressions, maxImpressions) },
      days: rows,
    };
  }

  async campaignCsv(campaignId: string, range: ReportRange): Promise<string> {
    const report = await this.campaign(campaignId, range);
    const header = [
      'day',
      'decisions',
      'impressions',
      'unique_reach',
      'starts',
      'completes',
      'skips',
      'clicks',
      'ctr',
      'completion_rate',
      'fill_rate',
      `spend_${report.currency.toLowerCase()}`,
    ];
    const lines = report.days.map((d) =>
      [
        d.day,
        d.decisions,
        d.impressions,
        d.uniqueReach,
        d.starts,
        d.completes,
        d.skips,
        d.clicks,
        d.ctr,
        d.completionRate,
        d.fillRate,
        d.spend,
      ].join(','),
    );
    return `${[header.join(','), ...lines].join('\r\n')}\r\n`;
  }

  /** Requests and fills per placement per day, across campaigns. */
  async inventory(range: ReportRange, now = new Date()) {
    const to = range.to ?? kampalaDay(now);
    const from = range.from ?? addDays(to, -29);
    dayList(from, to);
    await this.flush();
    const rows = await repo.decisionsByDay(this.db, { from, to });
    const grouped = new Map<string, { day: string; placement: string; requests: number; filled: number }>();
    for (const r of rows) {
      const key = `${r.day}|${r.placement}`;
      const g = grouped.get(key) ?? { day: r.day, placement: r.placement, requests: 0, filled: 0 };
      g.requests += r.decisions;
      if (r.campaignKey !== 'none') g.filled += r.decisions;
      grouped.set(key, g);
    }
    return { days: [...grouped.values()].map((g) => ({ ...g, fillRate: ratio(g.filled, g.requests) })) };
  }

  private row(
    campaign: repo.CampaignRow,
    day: string,
    decisions: number,
    impressions: number,
    uniqueReach: number,
    starts: number,
    completes: number,
    skips: number,
    clicks: number,
  ) {
    return {
      day,
      decisions,
      impressions,
      uniqueReach,
      starts,
      completes,
      skips,
      clicks,
      ctr: ratio(clicks, impressions),
      completionRate: ratio(completes, starts),
      fillRate: ratio(impressions, decisions),
      spend: Math.floor((impressions * campaign.cpm) / 1000),
    };
  }
}

function dayList(from: string, to: string): string[] {
  const start = Date.parse(`${from}T00:00:00Z`);
  const end = Date.parse(`${to}T00:00:00Z`);
  if ((end - start) / DAY_MS + 1 > MAX_DAYS) {
    throw new AppError('VALIDATION_FAILED', `A report covers at most ${MAX_DAYS} days.`, [
      { in: 'querystring', path: 'from', message: `at most ${MAX_DAYS} days before to` },
    ]);
  }
  const days: string[] = [];
  for (let t = start; t <= end; t += DAY_MS) days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}
