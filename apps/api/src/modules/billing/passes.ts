import type { PlanInterval } from '@kush/contracts';
import { KAMPALA_OFFSET_MS, KAMPALA_TIME_ZONE } from '../../lib/kampala-time';

export const TIME_ZONE = KAMPALA_TIME_ZONE;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
}

/**
 * One plan length after `from`, on Kampala's calendar: a day or a week is 24 h or 7 × 24 h; a
 * month or a year keeps the local time of day and the day of the month, clamped to the month's
 * last day (31 January + 1 month = 28/29 February; 29 February + 1 year = 28 February).
 */
export function addInterval(from: Date, interval: PlanInterval, count = 1): Date {
  if (interval === 'day') return new Date(from.getTime() + count * 86_400_000);
  if (interval === 'week') return new Date(from.getTime() + count * 7 * 86_400_000);
  const local = new Date(from.getTime() + KAMPALA_OFFSET_MS);
  const months = interval === 'month' ? count : 12 * count;
  const total = local.getUTCFullYear() * 12 + local.getUTCMonth() + months;
  const year = Math.floor(total / 12);
  const month = total % 12;
  const day = Math.min(local.getUTCDate(), daysInMonth(year, month));
  const shifted = Date.UTC(
    year,
    month,
    day,
    local.getUTCHours(),
    local.getUTCMinutes(),
    local.getUTCSeconds(),
    local.getUTCMilliseconds(),
  );
  return new Date(shifted - KAMPALA_OFFSET_MS);
}

/**
 * What a successful pass payment buys: one plan length from the later of now and the current
 * expiry, so paying early never loses days and paying late never back-dates access.
 */
export function extendPass(
  currentEnd: Date | null,
  now: Date,
  interval: PlanInterval,
): { periodStart: Date; periodEnd: Date } {
  const periodStart = currentEnd && currentEnd.getTime() > now.getTime() ? currentEnd : now;
  return { periodStart, periodEnd: addInterval(periodStart, interval) };
}

/** "14 Mar 2026, 09:30" in Kampala time, for receipts, emails and SMS. */
export function kampalaDateTime(at: Date): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: TIME_ZONE,
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(at);
}

export { kampalaDay, kampalaDayStart } from '../../lib/kampala-time';

/** "UGX 15,000" / "USD 3.99": UGX in whole shillings, USD from cents. */
export function formatMoney(currency: string, amount: number): string {
  if (currency === 'USD') return `USD ${(amount / 100).toFixed(2)}`;
  return `${currency} ${amount.toLocaleString('en-US')}`;
}

/** A period's price expressed per month, for MRR. */
export function monthlyAmount(amount: number, interval: PlanInterval): number {
  switch (interval) {
    case 'day':
      return (amount * 365) / 12;
    case 'week':
      return (amount * 52) / 12;
    case 'month':
      return amount;
    case 'year':
      return amount / 12;
  }
}
