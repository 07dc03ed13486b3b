import type { MaturityRating, TitleCard } from '@kush/contracts';
import { type episodes, type seasons, titles } from '@kush/db';

/** The columns a title card needs; every public listing selects these. */
export const cardColumns = {
  id: titles.id,
  kind: titles.kind,
  slug: titles.slug,
  name: titles.name,
  year: titles.year,
  runtimeMinutes: titles.runtimeMinutes,
  maturityRating: titles.maturityRating,
  accessTier: titles.accessTier,
  audioLanguages: titles.audioLanguages,
  posterKey: titles.posterKey,
  backdropKey: titles.backdropKey,
  ratingSum: titles.ratingSum,
  ratingCount: titles.ratingCount,
};

export interface CardRow {
  id: string;
  kind: 'film' | 'series';
  slug: string;
  name: string;
  year: number | null;
  runtimeMinutes: number | null;
  maturityRating: MaturityRating;
  accessTier: 'free' | 'premium';
  audioLanguages: string[];
  posterKey: string | null;
  backdropKey: string | null;
  ratingSum: number;
  ratingCount: number;
}

export function ratingAverage(sum: number, count: number): number | null {
  return count > 0 ? Math.round((sum / count) * 100) / 100 : null;
}

export function toTitleCard(row: CardRow): TitleCard {
  return {
    id: row.id,
    kind: row.kind,
    slug: row.slug,
    name: row.name,
    year: row.year,
    runtimeMinutes: row.runtimeMinutes,
    maturityRating: row.maturityRating,
    accessTier: row.accessTier,
    audioLanguages: row.audioLanguages,
    posterKey: row.posterKey,
    backdropKey: row.backdropKey,
    ratingAverage: ratingAverage(row.ratingSum, row.ratingCount),
    ratingCount: row.ratingCount,
  };
}

export const iso = (d: Date) => d.toISOString();
export const isoOrNull = (d: Date | null) => (d ? d.toISOString() : null);

/** The rows of a raw `db.execute()`: node-postgres and PGlite both answer `{ rows }`. */
export function rowsOf<T = Record<string, unknown>>(result: unknown): T[] {
  return (result as { rows: T[] }).rows;
}

export function toStaffEpisode(e: typeof episodes.$inferSelect) {
  return { ...e, publishAt: isoOrNull(e.publishAt), createdAt: iso(e.createdAt), updatedAt: iso(e.updatedAt) };
}

export function toStaffSeason(season: typeof seasons.$inferSelect, seasonEpisodes: (typeof episodes.$inferSelect)[]) {
  return {
    ...season,
    episodes: seasonEpisodes.map(toStaffEpisode),
    createdAt: iso(season.createdAt),
    updatedAt: iso(season.updatedAt),
  };
}
