/**
 * Staff enter and read times in Kampala time (EAT, UTC+3 all year: Uganda has no daylight saving);
 * the API stores and takes UTC.
 */
const KAMPALA_OFFSET = '+03:00';
const OFFSET_MS = 3 * 3_600_000;

/** `2025-06-01T18:30` typed in Kampala → `2025-06-01T15:30:00.000Z`; null when the input is not a date-time. */
export function kampalaInputToUtc(value: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value)) return null;
  const date = new Date(`${value}:00${KAMPALA_OFFSET}`);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** A UTC instant as the value of an `<input type="datetime-local">` showing Kampala time. */
export function utcToKampalaInput(iso: string): string {
  return new Date(new Date(iso).getTime() + OFFSET_MS).toISOString().slice(0, 16);
}
