import type { DATA_SAVER_MODES } from '@kush/contracts';
import type { PlayerStrings } from './strings';

export type DataSaverMode = (typeof DATA_SAVER_MODES)[number];

/**
 * The tallest picture each data-saver mode lets the player fetch. "auto" leaves the choice to
 * the bandwidth estimate, except when the phone itself asks to save data (Android "Lite mode",
 * `navigator.connection.saveData`); "high" never caps.
 */
const MODE_MAX_HEIGHT: Record<DataSaverMode, number | null> = { auto: null, low: 240, medium: 480, high: null };
const SAVE_DATA_MAX_HEIGHT = 240;

/** The data saver's choices, worded by the dictionary keys of their label and hint. */
export const DATA_SAVER_CHOICES = [
  { mode: 'auto', label: 'playerDataSaverAuto', hint: 'playerDataSaverAutoHint' },
  { mode: 'low', label: 'playerDataSaverLow', hint: 'playerDataSaverLowHint' },
  { mode: 'medium', label: 'playerDataSaverMedium', hint: 'playerDataSaverMediumHint' },
  { mode: 'high', label: 'playerDataSaverHigh', hint: 'playerDataSaverHighHint' },
] as const satisfies readonly { mode: DataSaverMode; label: keyof PlayerStrings; hint: keyof PlayerStrings }[];

export function maxHeightFor(mode: DataSaverMode, browserSavesData: boolean): number | null {
  if (mode === 'auto' && browserSavesData) return SAVE_DATA_MAX_HEIGHT;
  return MODE_MAX_HEIGHT[mode];
}

export function browserSavesData(): boolean {
  const connection = (navigator as Navigator & { connection?: { saveData?: boolean } }).connection;
  return connection?.saveData === true;
}

/** The highest level index within `maxHeight` (levels ascend); -1 (no cap) when there is no limit. */
export function capIndexFor(levels: readonly { height: number }[], maxHeight: number | null): number {
  if (maxHeight === null) return -1;
  let cap = 0;
  levels.forEach((level, index) => {
    if (level.height <= maxHeight) cap = index;
  });
  return cap;
}

/** Bits per second → megabytes per hour, rounded the way a data bundle is thought of. */
export function megabytesPerHour(bitsPerSecond: number): number {
  const mb = (bitsPerSecond * 3600) / 8 / 1_000_000;
  return mb >= 100 ? Math.round(mb / 10) * 10 : Math.max(1, Math.round(mb));
}

export function formatDataPerHour(bitsPerSecond: number): string {
  const mb = megabytesPerHour(bitsPerSecond);
  return mb >= 1000 ? `~${(mb / 1000).toFixed(1)} GB/h` : `~${mb} MB/h`;
}
