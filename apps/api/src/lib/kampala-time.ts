/**
 * Calendar days as people in Uganda count them. Kampala is UTC+3 all year (no daylight saving), so
 * a day there is a fixed shift of a UTC day: it begins at 21:00 UTC the day before.
 */
export const KAMPALA_OFFSET_MS = 3 * 3600_000;
const DAY_MS = 86_400_000;

export const KAMPALA_TIME_ZONE = 'Africa/Kampala' as const;

/** The Kampala calendar day (YYYY-MM-DD) of an instant. */
export function kampalaDay(at: Date): string {
  return new Date(at.getTime() + KAMPALA_OFFSET_MS).toISOString().slice(0, 10);
}

/** The UTC instant at which a Kampala calendar day (YYYY-MM-DD) begins. */
export function kampalaDayStart(day: string): Date {
  return new Date(Date.parse(`${day}T00:00:00Z`) - KAMPALA_OFFSET_MS);
}

/** The day `days` after `day` (negative: before), as YYYY-MM-DD. */
export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}
