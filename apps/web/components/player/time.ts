import { fill } from '@/lib/i18n/locales';
import type { PlayerStrings } from './strings';

/** 75 → "1:15", 3725 → "1:02:05". */
export function formatClock(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(Number.isFinite(totalSeconds) ? totalSeconds : 0));
  const hours = Math.floor(s / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const seconds = String(s % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}

/** The unit words spokenDuration uses, in the viewer's language. */
export type DurationUnits = Pick<
  PlayerStrings,
  'playerHour' | 'playerHours' | 'playerMinute' | 'playerMinutes' | 'playerSecond' | 'playerSeconds'
>;

/** What a screen reader says for a position: "1 minute 15 seconds" (in the units given). */
export function spokenDuration(totalSeconds: number, units: DurationUnits): string {
  const s = Math.max(0, Math.floor(Number.isFinite(totalSeconds) ? totalSeconds : 0));
  const parts: string[] = [];
  const hours = Math.floor(s / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const seconds = s % 60;
  if (hours) parts.push(fill(hours === 1 ? units.playerHour : units.playerHours, { n: hours }));
  if (minutes) parts.push(fill(minutes === 1 ? units.playerMinute : units.playerMinutes, { n: minutes }));
  if (seconds || parts.length === 0) {
    parts.push(fill(seconds === 1 ? units.playerSecond : units.playerSeconds, { n: seconds }));
  }
  return parts.join(' ');
}
