/**
 * Money and times as billing pages show them. Amounts arrive as integers in the unit the API
 * stores: UGX whole shillings (shown without decimals), USD cents (shown as dollars and cents).
 */
import { formatUgx } from '@/lib/format';

const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });

export function formatMoney(currency: string, amount: number): string {
  if (currency === 'UGX') return formatUgx(amount);
  if (currency === 'USD') return usd.format(amount / 100);
  return `${currency} ${amount.toLocaleString('en-US')}`;
}

function intlLocale(locale: string): string {
  return locale === 'en' ? 'en-UG' : locale;
}

/** "14 Mar 2026, 09:30 EAT": access ends and payment times, always in Kampala time. */
export function formatKampalaDateTime(iso: string, locale: string): string {
  const text = new Intl.DateTimeFormat(intlLocale(locale), {
    timeZone: 'Africa/Kampala',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(iso));
  return `${text} EAT`;
}

/** Today's calendar day in Kampala, YYYY-MM-DD (Uganda is UTC+3 all year). */
export function kampalaToday(now = new Date()): string {
  return new Date(now.getTime() + 3 * 3_600_000).toISOString().slice(0, 10);
}

/** A YYYY-MM-DD day moved by whole days. */
export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}
