/** Wording and numbers the ad pages share (server and client). */
import { formatUgx } from '@/lib/format';
import type { AdCampaign } from './types';

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** A ratio from the API (0…1, four decimals) as a percentage. */
export function formatPercent(ratio: number): string {
  const percent = ratio * 100;
  return `${percent === 0 || percent >= 10 ? percent.toFixed(1) : percent.toFixed(2)}%`;
}

export function budgetLabel(campaign: Pick<AdCampaign, 'budget'>): string {
  return campaign.budget.kind === 'impressions'
    ? `${formatCount(campaign.budget.amount)} impressions`
    : formatUgx(campaign.budget.amount);
}

export type Schedule = 'upcoming' | 'running' | 'ended';

/** Where an active campaign is in its window; paused and archived ones say so instead. */
export function scheduleOf(campaign: Pick<AdCampaign, 'startsAt' | 'endsAt'>, now = new Date()): Schedule {
  if (new Date(campaign.startsAt) > now) return 'upcoming';
  if (new Date(campaign.endsAt) <= now) return 'ended';
  return 'running';
}

export const SCHEDULE_LABEL: Record<Schedule, string> = {
  upcoming: 'Starts later',
  running: 'In its dates',
  ended: 'Ended',
};

/** The same rule as the API's ClickUrl: an absolute http(s) URL without credentials. */
export function clickUrlProblem(value: string): string | null {
  const text = value.trim();
  if (!text) return 'Enter the address a click opens.';
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'Enter a full address starting with https:// or http://.';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'Only http:// and https:// addresses are allowed.';
  if (url.username || url.password) return 'The address must not contain a user name or password.';
  if (!url.hostname) return 'The address needs a host name.';
  return null;
}

export const DEVICE_LABEL: Record<string, string> = {
  mobile: 'Phones',
  tablet: 'Tablets',
  desktop: 'Computers',
  tv: 'TVs',
};

export const AUDIENCE_LABEL: Record<string, string> = {
  any: 'Everyone',
  signed_in: 'Signed-in viewers only',
  anonymous: 'Signed-out visitors only',
};
