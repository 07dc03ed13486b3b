import type { MaturityRating, TitleCard } from '@kush/contracts';
import { type episodes, people, type seasons, type StoredImage, titles } from '@kush/db';
import type { ImagePresenter } from './images.presenter';

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
  posterImage: titles.posterImage,
  backdropImage: titles.backdropImage,
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
  posterImage: StoredImage | null;
  backdropImage: StoredImage | null;
  ratingSum: number;
  ratingCount: number;
}

export function ratingAverage(sum: number, count: number): number | null {
  return count > 0 ? Math.round((sum / count) * 100) / 100 : null;
}

/** A card for public responses: pictures with their public URLs. */
export async function toTitleCard(row: CardRow, images: ImagePresenter): Promise<TitleCard> {
  const [poster, backdrop] = await Promise.all([images.public(row.posterImage), images.public(row.backdropImage)]);
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
    poster,
    backdrop,
    ratingAverage: ratingAverage(row.ratingSum, row.ratingCount),
    ratingCount: row.ratingCount,
  };
}

/** The columns a person in a credit or a search result needs. */
export const personSummaryColumns = {
  id: people.id,
  slug: people.slug,
  name: people.name,
  photoImage: people.photoImage,
};

/** A person in a credit or in search results, with their photo's public URLs. */
export async function toPersonSummary<T extends { photoImage: StoredImage | null }>(person: T, images: ImagePresenter) {
  const { photoImage, ...rest } = person;
  return { ...rest, photo: await images.public(photoImage) };
}

export const iso = (d: Date) => d.toISOString();
export const isoOrNull = (d: Date | null) => (d ? d.toISOString() : null);

/** The rows of a raw `db.execute()`: node-postgres and PGlite both answer `{ rows }`. */
export function rowsOf<T = Record<string, unknown>>(result: unknown): T[] {
  return (result as { rows: T[] }).rows;
}

/** An episode for staff screens: its still as a short-lived preview (any status). */
export async function toStaffEpisode(
  { stillImage, announcedAt: _, ...e }: typeof episodes.$inferSelect,
  images: ImagePresenter,
) {
  return {
    ...e,
    still: await images.staff(stillImage),
    publishAt: isoOrNull(e.publishAt),
    createdAt: iso(e.createdAt),
    updatedAt: iso(e.updatedAt),
  };
}

export async function toStaffSeason(
  season: typeof seasons.$inferSelect,
  seasonEpisodes: (typeof episodes.$inferSelect)[],
  images: ImagePresenter,
) {
  return {
    ...season,
    episodes: await Promise.all(seasonEpisodes.map((e) => toStaffEpisode(e, images))),
    createdAt: iso(season.createdAt),
    updatedAt: iso(season.updatedAt),
  };
}
