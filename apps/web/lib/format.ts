const kampalaTime = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Africa/Kampala',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
});

/** Times are stored in UTC and shown in Kampala time (EAT, UTC+3, no daylight saving). */
export function formatKampalaTime(date: Date): string {
  return `${kampalaTime.format(date)} EAT`;
}

export function formatUptime(totalSeconds: number): string {
  const seconds = Math.max(0, Math.floor(totalSeconds));
  const days = Math.floor(seconds / 86_400);
  const hours = Math.floor((seconds % 86_400) / 3_600);
  const minutes = Math.floor((seconds % 3_600) / 60);
  if (days > 0) return `${days} d ${hours} h`;
  if (hours > 0) return `${hours} h ${minutes} min`;
  if (minutes > 0) return `${minutes} min ${seconds % 60} s`;
  return `${seconds} s`;
}

export function formatLatency(latencyMs: number): string {
  return latencyMs < 10 ? `${Math.round(latencyMs * 10) / 10} ms` : `${Math.round(latencyMs)} ms`;
}

const ugx = new Intl.NumberFormat('en-UG', { style: 'currency', currency: 'UGX', maximumFractionDigits: 0 });

/** Money is whole shillings; shown the Ugandan way, e.g. "USh 3,000", never with decimals. */
export function formatUgx(amount: number): string {
  return ugx.format(Math.round(amount));
}

/** A day in Kampala time for lists (history, sessions, comments). */
export function formatKampalaDate(iso: string, locale: string): string {
  return new Intl.DateTimeFormat(locale === 'en' ? 'en-UG' : locale, {
    timeZone: 'Africa/Kampala',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
  }).format(new Date(iso));
}
