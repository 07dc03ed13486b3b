import type { CatalogSort, MaturityRating } from '@kush/contracts';
import {
  categories,
  episodes,
  type Executor,
  genres,
  languages,
  people,
  seasons,
  titleCategories,
  titleCredits,
  titleGenres,
  titles,
} from '@kush/db';
import { and, asc, desc, eq, gt, gte, lte, sql, type SQL } from 'drizzle-orm';
import { cardColumns, personSummaryColumns } from './catalog.mapper';
import { episodeReleased, titleVisible } from './visibility';

/** Public reads of the catalog. Every title query goes through titleVisible(). */

export async function listCategories(db: Executor) {
  return db
    .select({ id: categories.id, slug: categories.slug, name: categories.name, description: categories.description })
    .from(categories)
    .orderBy(asc(categories.position), asc(categories.id));
}

export async function listGenres(db: Executor) {
  return db
    .select({ id: genres.id, slug: genres.slug, name: genres.name })
    .from(genres)
    .orderBy(asc(genres.name), asc(genres.id));
}

export async function listLanguages(db: Executor) {
  return db
    .select({ code: languages.code, name: languages.name, nativeName: languages.nativeName })
    .from(languages)
    .orderBy(asc(languages.name));
}

export async function findCategoryBySlug(db: Executor, slug: string) {
  const [row] = await db
    .select({ id: categories.id, slug: categories.slug, name: categories.name, description: categories.description })
    .from(categories)
    .where(eq(categories.slug, slug))
    .limit(1);
  return row;
}

export async function findGenreBySlug(db: Executor, slug: string) {
  const [row] = await db
    .select({ id: genres.id, slug: genres.slug, name: genres.name })
    .from(genres)
    .where(eq(genres.slug, slug))
    .limit(1);
  return row;
}

const releasedAt = sql`coalesce(${titles.publishedAt}, ${titles.publishAt}, ${titles.createdAt})`;

export async function featuredTitles(db: Executor, now: Date, maturity: MaturityRating, limit: number) {
  return db
    .select({ ...cardColumns, synopsis: titles.synopsis })
    .from(titles)
    .where(and(titleVisible(now, maturity), eq(titles.featured, true)))
    .orderBy(desc(releasedAt), desc(titles.id))
    .limit(limit);
}

/** Up to `perRow` titles of every category, in the row's order. */
export async function categoryRows(db: Executor, now: Date, maturity: MaturityRating, perRow: number) {
  const ranked = db
    .select({
      categoryId: titleCategories.categoryId,
      ...cardColumns,
      rank: sql<number>`row_number() over (partition by ${titleCategories.categoryId} order by ${titleCategories.position}, ${releasedAt} desc, ${titles.id})`.as(
        'rank',
      ),
    })
    .from(titleCategories)
    .innerJoin(titles, eq(titles.id, titleCategories.titleId))
    .where(titleVisible(now, maturity))
    .as('ranked');
  return db.select().from(ranked).where(lte(ranked.rank, perRow)).orderBy(asc(ranked.categoryId), asc(ranked.rank));
}

export async function trendingTitles(db: Executor, now: Date, maturity: MaturityRating, limit: number) {
  return db
    .select(cardColumns)
    .from(titles)
    .where(and(titleVisible(now, maturity), gt(titles.recentPlays, 0)))
    .orderBy(desc(titles.recentPlays), desc(titles.id))
    .limit(limit);
}

export async function newReleases(db: Executor, now: Date, maturity: MaturityRating, limit: number) {
  return db
    .select(cardColumns)
    .from(titles)
    .where(titleVisible(now, maturity))
    .orderBy(desc(releasedAt), desc(titles.id))
    .limit(limit);
}

// Category and genre pages: keyset pagination on (sort key, id).

interface SortSpec {
  key: SQL;
  /** The key as text (lossless), for the cursor. */
  keyText: SQL<string>;
  /** Casts the cursor's text back to the key's type. */
  fromText: (value: string) => SQL;
  /** Refuses keys that would not cast. */
  valid: (value: string) => boolean;
  direction: 'asc' | 'desc';
}

const INTEGER = /^-?\d{1,12}$/;
const TIMESTAMP = /^\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(\.\d{1,6})?([+-]\d\d(:?\d\d)?|Z)?$/;

function sortSpec(key: SQL, kind: 'int' | 'time' | 'text', direction: 'asc' | 'desc'): SortSpec {
  const type = { int: sql`bigint`, time: sql`timestamptz`, text: sql`text` }[kind];
  return {
    key,
    keyText: sql<string>`(${key})::text`,
    fromText: (value) => sql`${value}::${type}`,
    valid: (value) => (kind === 'int' ? INTEGER.test(value) : kind === 'time' ? TIMESTAMP.test(value) : true),
    direction,
  };
}

export const SORTS: Record<CatalogSort, SortSpec> = {
  popular: sortSpec(sql`${titles.recentPlays}::bigint`, 'int', 'desc'),
  newest: sortSpec(releasedAt, 'time', 'desc'),
  // Average score in thousandths of a star: an integer key that pages exactly.
  rating: sortSpec(
    sql`coalesce((${titles.ratingSum}::bigint * 1000) / nullif(${titles.ratingCount}, 0), 0)`,
    'int',
    'desc',
  ),
  az: sortSpec(sql`lower(${titles.name})`, 'text', 'asc'),
};

export interface TitleFilter {
  categoryId?: string;
  genreId?: string;
  genreSlug?: string;
  audio?: string;
  yearFrom?: number;
  yearTo?: number;
  tier?: 'free' | 'premium';
  runtimeMin?: number;
  runtimeMax?: number;
}

/** The conditions a filter puts on `titles` (none for an empty filter); shared by listings and search. */
export function titleFilterConditions(filter: TitleFilter): SQL[] {
  const conditions: SQL[] = [];
  if (filter.categoryId) {
    conditions.push(
      sql`exists (select 1 from ${titleCategories} where ${titleCategories.titleId} = ${titles.id} and ${titleCategories.categoryId} = ${filter.categoryId})`,
    );
  }
  if (filter.genreId) {
    conditions.push(
      sql`exists (select 1 from ${titleGenres} where ${titleGenres.titleId} = ${titles.id} and ${titleGenres.genreId} = ${filter.genreId})`,
    );
  }
  if (filter.genreSlug) {
    conditions.push(
      sql`exists (select 1 from ${titleGenres} join ${genres} on ${genres.id} = ${titleGenres.genreId} where ${titleGenres.titleId} = ${titles.id} and ${genres.slug} = ${filter.genreSlug})`,
    );
  }
  if (filter.audio) conditions.push(sql`${filter.audio} = any(${titles.audioLanguages})`);
  if (filter.yearFrom !== undefined) conditions.push(gte(titles.year, filter.yearFrom));
  if (filter.yearTo !== undefined) conditions.push(lte(titles.year, filter.yearTo));
  if (filter.tier) conditions.push(eq(titles.accessTier, filter.tier));
  if (filter.runtimeMin !== undefined) conditions.push(gte(titles.runtimeMinutes, filter.runtimeMin));
  if (filter.runtimeMax !== undefined) conditions.push(lte(titles.runtimeMinutes, filter.runtimeMax));
  return conditions;
}

export async function listTitles(
  db: Executor,
  query: {
    now: Date;
    maturity: MaturityRating;
    filter: TitleFilter;
    sort: CatalogSort;
    after?: { key: string; id: string };
    limit: number;
  },
) {
  const { filter } = query;
  const spec = SORTS[query.sort];
  const conditions: (SQL | undefined)[] = [titleVisible(query.now, query.maturity)];
  conditions.push(...titleFilterConditions(filter));
  if (query.after) {
    const after = sql`(${spec.fromText(query.after.key)}, ${query.after.id}::uuid)`;
    conditions.push(
      spec.direction === 'desc'
        ? sql`(${spec.key}, ${titles.id}) < ${after}`
        : sql`(${spec.key}, ${titles.id}) > ${after}`,
    );
  }
  const order = spec.direction === 'desc' ? [desc(spec.key), desc(titles.id)] : [asc(spec.key), asc(titles.id)];
  return db
    .select({ ...cardColumns, sortKey: spec.keyText })
    .from(titles)
    .where(and(...conditions))
    .orderBy(...order)
    .limit(query.limit);
}

// Title and person pages

export async function findVisibleTitleBySlug(db: Executor, slug: string, now: Date, maturity: MaturityRating) {
  const [row] = await db
    .select({
      ...cardColumns,
      synopsis: titles.synopsis,
      originalLanguage: titles.originalLanguage,
      subtitleLanguages: titles.subtitleLanguages,
      country: titles.country,
      tags: titles.tags,
      videoId: titles.videoId,
      trailerVideoId: titles.trailerVideoId,
      releasedAt: sql<Date>`${releasedAt}`.mapWith(titles.publishedAt),
    })
    .from(titles)
    .where(and(eq(titles.slug, slug), titleVisible(now, maturity)))
    .limit(1);
  return row;
}

export async function genresOfTitle(db: Executor, titleId: string) {
  return db
    .select({ id: genres.id, slug: genres.slug, name: genres.name })
    .from(titleGenres)
    .innerJoin(genres, eq(genres.id, titleGenres.genreId))
    .where(eq(titleGenres.titleId, titleId))
    .orderBy(asc(genres.name));
}

export async function creditsOfTitle(db: Executor, titleId: string) {
  return db
    .select({
      person: personSummaryColumns,
      role: titleCredits.role,
      character: titleCredits.character,
    })
    .from(titleCredits)
    .innerJoin(people, eq(people.id, titleCredits.personId))
    .where(eq(titleCredits.titleId, titleId))
    .orderBy(asc(titleCredits.position), asc(people.name));
}

export async function seasonsOfTitle(db: Executor, titleId: string) {
  return db
    .select({ id: seasons.id, number: seasons.number, name: seasons.name, synopsis: seasons.synopsis })
    .from(seasons)
    .where(eq(seasons.titleId, titleId))
    .orderBy(asc(seasons.number));
}

export async function releasedEpisodesOfTitle(db: Executor, titleId: string, now: Date) {
  return db
    .select({
      id: episodes.id,
      seasonId: episodes.seasonId,
      number: episodes.number,
      name: episodes.name,
      synopsis: episodes.synopsis,
      runtimeMinutes: episodes.runtimeMinutes,
      videoId: episodes.videoId,
      stillImage: episodes.stillImage,
    })
    .from(episodes)
    .where(and(eq(episodes.titleId, titleId), episodeReleased(now)))
    .orderBy(asc(episodes.number));
}

export async function findPersonBySlug(db: Executor, slug: string) {
  const [row] = await db
    .select({ ...personSummaryColumns, bio: people.bio })
    .from(people)
    .where(eq(people.slug, slug))
    .limit(1);
  return row;
}

export async function visibleCreditsOfPerson(db: Executor, personId: string, now: Date, maturity: MaturityRating) {
  return db
    .select({ ...cardColumns, role: titleCredits.role, character: titleCredits.character })
    .from(titleCredits)
    .innerJoin(titles, eq(titles.id, titleCredits.titleId))
    .where(and(eq(titleCredits.personId, personId), titleVisible(now, maturity)))
    .orderBy(desc(releasedAt), asc(titles.id))
    .limit(200);
}
