import {
  AppError,
  KIDS_MAX_RATING,
  MATURITY_RATING_VALUES,
  type MaturityRating,
  type ViewerTitle,
} from '@kush/contracts';
import { type Executor, type StoredImage, titles } from '@kush/db';
import { and, eq, inArray, lte, or, type SQL } from 'drizzle-orm';
import type { ImagePresenter } from '../catalog/images.presenter';
import type { ProfileRow } from '../profiles/profile-context';

/** The ratings a profile may see: up to its limit, and never above PG on a kids profile. */
export function allowedRatings(profile: Pick<ProfileRow, 'isKids' | 'maturityLimit'>): MaturityRating[] {
  let limit = MATURITY_RATING_VALUES.indexOf(profile.maturityLimit);
  if (profile.isKids) limit = Math.min(limit, MATURITY_RATING_VALUES.indexOf(KIDS_MAX_RATING));
  return MATURITY_RATING_VALUES.slice(0, limit + 1);
}

export function isAllowedFor(profile: Pick<ProfileRow, 'isKids' | 'maturityLimit'>, rating: MaturityRating): boolean {
  return allowedRatings(profile).includes(rating);
}

/**
 * Viewers see published titles, and scheduled ones once their time has come (before the catalog's
 * scheduler flips them); never drafts or archived titles.
 */
export function titleIsPublished(now = new Date()): SQL {
  return or(eq(titles.status, 'published'), and(eq(titles.status, 'scheduled'), lte(titles.publishAt, now)))!;
}

/** Published and within the profile's maturity limit. */
export function titleVisibleTo(profile: Pick<ProfileRow, 'isKids' | 'maturityLimit'>): SQL {
  return and(titleIsPublished(), inArray(titles.maturityRating, allowedRatings(profile)))!;
}

export const viewerTitleColumns = {
  id: titles.id,
  kind: titles.kind,
  slug: titles.slug,
  name: titles.name,
  year: titles.year,
  maturityRating: titles.maturityRating,
  accessTier: titles.accessTier,
  ratingSum: titles.ratingSum,
  ratingCount: titles.ratingCount,
  posterImage: titles.posterImage,
  backdropImage: titles.backdropImage,
};

export interface ViewerTitleRow {
  id: string;
  kind: 'film' | 'series';
  slug: string;
  name: string;
  year: number | null;
  maturityRating: MaturityRating;
  accessTier: 'free' | 'premium';
  ratingSum: number;
  ratingCount: number;
  posterImage: StoredImage | null;
  backdropImage: StoredImage | null;
}

export function ratingAverage(sum: number, count: number): number | null {
  return count > 0 ? Math.round((sum / count) * 100) / 100 : null;
}

/** A title in a viewer list: its pictures with the same public URLs as on catalog cards. */
export async function toViewerTitle(row: ViewerTitleRow, images: ImagePresenter): Promise<ViewerTitle> {
  const [poster, backdrop] = await Promise.all([images.public(row.posterImage), images.public(row.backdropImage)]);
  return {
    id: row.id,
    kind: row.kind,
    slug: row.slug,
    name: row.name,
    year: row.year,
    maturityRating: row.maturityRating,
    accessTier: row.accessTier,
    ratingAverage: ratingAverage(row.ratingSum, row.ratingCount),
    ratingCount: row.ratingCount,
    poster,
    backdrop,
  };
}

/** A title the profile may see, or 404: drafts and titles above its limit do not exist for it. */
export async function findVisibleTitle(
  db: Executor,
  profile: Pick<ProfileRow, 'isKids' | 'maturityLimit'>,
  titleId: string,
): Promise<ViewerTitleRow> {
  const [row] = await db
    .select(viewerTitleColumns)
    .from(titles)
    .where(and(eq(titles.id, titleId), titleVisibleTo(profile)))
    .limit(1);
  if (!row) throw new AppError('NOT_FOUND', 'No such title.');
  return row;
}

/** A published title regardless of maturity (public pages such as comments), or 404. */
export async function findPublishedTitle(db: Executor, titleId: string): Promise<ViewerTitleRow> {
  const [row] = await db
    .select(viewerTitleColumns)
    .from(titles)
    .where(and(eq(titles.id, titleId), titleIsPublished()))
    .limit(1);
  if (!row) throw new AppError('NOT_FOUND', 'No such title.');
  return row;
}
