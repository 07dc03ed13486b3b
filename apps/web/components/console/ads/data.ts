/** What the ad pages read on the server. */
import { ApiError, serverApi } from '@/lib/api/server';
import type { AdCampaignReport } from './types';

/** The home page rows a campaign can target, by slug (the public list: ad managers need no catalog rights). */
export async function loadCategorySlugs(): Promise<{ slug: string; name: string }[]> {
  return (await serverApi<{ items: { slug: string; name: string }[] }>('/api/v1/catalog/categories')).items;
}

export type ReportResult = { report: AdCampaignReport; problem: null } | { report: null; problem: string };

/** A campaign's delivery; a range the API refuses (too long, from after to) comes back as its message. */
export async function loadCampaignReport(
  campaignId: string,
  range: { from?: string; to?: string } = {},
): Promise<ReportResult> {
  const query = new URLSearchParams();
  if (range.from) query.set('from', range.from);
  if (range.to) query.set('to', range.to);
  const suffix = query.size ? `?${query.toString()}` : '';
  try {
    return {
      report: await serverApi<AdCampaignReport>(`/api/v1/admin/ads/campaigns/${campaignId}/report${suffix}`),
      problem: null,
    };
  } catch (error) {
    if (!(error instanceof ApiError) || error.status >= 500 || error.status === 401) throw error;
    return { report: null, problem: error.message };
  }
}
