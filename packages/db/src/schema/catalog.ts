import { sql } from 'drizzle-orm';
import {
  boolean,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { videos } from './media';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

/**
 * A picture staff uploaded (poster, backdrop, photo, episode still), as the catalog's image flow
 * rendered it: every width in WebP (`w<width>.webp`) and JPEG (`w<width>.jpg`) under one storage
 * folder named by the content's hash, so a replaced picture never changes behind a cached URL.
 */
export interface StoredImage {
  /** Storage folder of the variants, ending with `/`, e.g. `images/titles/<id>/poster/<hash>/`. */
  prefix: string;
  /** Size of the largest variant. */
  width: number;
  height: number;
  /** Ascending. */
  widths: number[];
  /** A tiny blurred WebP (16 px wide) as a `data:` URI, shown while the picture loads. */
  placeholder: string;
  /** AVIF variants exist beside the WebP and JPEG ones (pictures rendered before AVIF have none). */
  avif?: boolean;
}

export const MATURITY_RATINGS = ['G', 'PG', '13', '16', '18'] as const;
export const TITLE_STATUSES = ['draft', 'scheduled', 'published', 'archived'] as const;

/** Audio and subtitle languages; staff can add more (Runyankore, Acholi, …). ISO 639 codes. */
export const languages = pgTable('languages', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
  nativeName: text('native_name').notNull(),
  createdAt: createdAt(),
});

export const genres = pgTable('genres', {
  id: uuid('id').primaryKey(),
  slug: text('slug').notNull().unique('genres_slug_key'),
  name: text('name').notNull(),
  createdAt: createdAt(),
});

/** Ordered rows of the home page (e.g. "Ugandan stories", "Kids"). */
export const categories = pgTable(
  'categories',
  {
    id: uuid('id').primaryKey(),
    slug: text('slug').notNull().unique('categories_slug_key'),
    name: text('name').notNull(),
    description: text('description'),
    position: integer('position').notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('categories_position_idx').on(t.position)],
);

export const people = pgTable(
  'people',
  {
    id: uuid('id').primaryKey(),
    slug: text('slug').notNull().unique('people_slug_key'),
    name: text('name').notNull(),
    bio: text('bio'),
    photoImage: jsonb('photo_image').$type<StoredImage>(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('people_name_trgm_idx')
      .using('gin', sql`kf_search_text(${t.name}) gin_trgm_ops`)
      .with({ fastupdate: false }),
  ],
);

/** A film or a series. Films play their own video; series play their episodes. */
export const titles = pgTable(
  'titles',
  {
    id: uuid('id').primaryKey(),
    kind: text('kind', { enum: ['film', 'series'] }).notNull(),
    slug: text('slug').notNull(),
    name: text('name').notNull(),
    synopsis: text('synopsis').notNull().default(''),
    year: integer('year'),
    runtimeMinutes: integer('runtime_minutes'),
    originalLanguage: text('original_language').references(() => languages.code),
    audioLanguages: text('audio_languages')
      .array()
      .notNull()
      .default(sql`ARRAY[]::text[]`),
    subtitleLanguages: text('subtitle_languages')
      .array()
      .notNull()
      .default(sql`ARRAY[]::text[]`),
    maturityRating: text('maturity_rating', { enum: MATURITY_RATINGS }).notNull().default('G'),
    accessTier: text('access_tier', { enum: ['free', 'premium'] })
      .notNull()
      .default('free'),
    /** ISO 3166-1 alpha-2, e.g. UG. */
    country: text('country'),
    tags: text('tags')
      .array()
      .notNull()
      .default(sql`ARRAY[]::text[]`),
    posterImage: jsonb('poster_image').$type<StoredImage>(),
    backdropImage: jsonb('backdrop_image').$type<StoredImage>(),
    videoId: uuid('video_id').references(() => videos.id, { onDelete: 'set null' }),
    trailerVideoId: uuid('trailer_video_id').references(() => videos.id, { onDelete: 'set null' }),
    featured: boolean('featured').notNull().default(false),
    status: text('status', { enum: TITLE_STATUSES }).notNull().default('draft'),
    /** When a scheduled title goes live. */
    publishAt: timestamp('publish_at', { withTimezone: true }),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    ratingSum: integer('rating_sum').notNull().default(0),
    ratingCount: integer('rating_count').notNull().default(0),
    /** Plays started in the last 7 days; refreshed by the catalog.refresh-popularity job. */
    recentPlays: integer('recent_plays').notNull().default(0),
    /**
     * Full-text document: the name (weight A) and synopsis (weight C), folded by kf_search_text(),
     * an IMMUTABLE wrapper of unaccent() and lower() (migration 0005_search).
     */
    searchDocument: tsvector('search_document').generatedAlwaysAs(
      sql`setweight(to_tsvector('simple'::regconfig, kf_search_text(name)), 'A') || setweight(to_tsvector('simple'::regconfig, kf_search_text(synopsis)), 'C')`,
    ),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('titles_slug_key').on(t.slug),
    index('titles_status_published_idx').on(t.status, t.publishedAt),
    index('titles_status_publish_at_idx').on(t.status, t.publishAt),
    // Catalog writes are rare and reads constant: GIN's pending list (fastupdate) would make every
    // search scan unindexed entries until a vacuum, and PGlite never autovacuums.
    index('titles_search_idx').using('gin', t.searchDocument).with({ fastupdate: false }),
    index('titles_name_trgm_idx')
      .using('gin', sql`kf_search_text(${t.name}) gin_trgm_ops`)
      .with({ fastupdate: false }),
  ],
);

/**
 * Every distinct word of titles' names and synopses as search_document holds them (folded by
 * kf_search_text(), at least 3 letters), with how many titles use it. Search corrects a misspelt
 * query word to its nearest words here (trigram similarity, GIN) before the full-text query. The
 * titles_search_words trigger (migration 0012_search_words) keeps it in step in the same
 * transaction as every insert, delete, or change of a title's name or synopsis, whoever writes it.
 */
export const searchWords = pgTable(
  'search_words',
  {
    word: text('word').primaryKey(),
    titles: integer('titles').notNull(),
  },
  (t) => [
    index('search_words_word_trgm_idx')
      .using('gin', sql`${t.word} gin_trgm_ops`)
      .with({ fastupdate: false }),
  ],
);

export const titleGenres = pgTable(
  'title_genres',
  {
    titleId: uuid('title_id')
      .notNull()
      .references(() => titles.id, { onDelete: 'cascade' }),
    genreId: uuid('genre_id')
      .notNull()
      .references(() => genres.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.titleId, t.genreId] }), index('title_genres_genre_idx').on(t.genreId)],
);

export const titleCategories = pgTable(
  'title_categories',
  {
    titleId: uuid('title_id')
      .notNull()
      .references(() => titles.id, { onDelete: 'cascade' }),
    categoryId: uuid('category_id')
      .notNull()
      .references(() => categories.id, { onDelete: 'cascade' }),
    position: integer('position').notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.titleId, t.categoryId] }),
    index('title_categories_category_idx').on(t.categoryId, t.position),
  ],
);

export const CREDIT_ROLES = ['actor', 'director', 'writer', 'producer', 'composer', 'narrator'] as const;

/** Cast and crew of a title. */
export const titleCredits = pgTable(
  'title_credits',
  {
    titleId: uuid('title_id')
      .notNull()
      .references(() => titles.id, { onDelete: 'cascade' }),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    role: text('role', { enum: CREDIT_ROLES }).notNull(),
    character: text('character'),
    position: integer('position').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.titleId, t.personId, t.role] }), index('title_credits_person_idx').on(t.personId)],
);

export const seasons = pgTable(
  'seasons',
  {
    id: uuid('id').primaryKey(),
    titleId: uuid('title_id')
      .notNull()
      .references(() => titles.id, { onDelete: 'cascade' }),
    number: integer('number').notNull(),
    name: text('name'),
    synopsis: text('synopsis'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('seasons_title_number_key').on(t.titleId, t.number)],
);

/** Episodes play like films: each has its own video. They are visible when their series is. */
export const episodes = pgTable(
  'episodes',
  {
    id: uuid('id').primaryKey(),
    titleId: uuid('title_id')
      .notNull()
      .references(() => titles.id, { onDelete: 'cascade' }),
    seasonId: uuid('season_id')
      .notNull()
      .references(() => seasons.id, { onDelete: 'cascade' }),
    number: integer('number').notNull(),
    name: text('name').notNull(),
    synopsis: text('synopsis').notNull().default(''),
    runtimeMinutes: integer('runtime_minutes'),
    videoId: uuid('video_id').references(() => videos.id, { onDelete: 'set null' }),
    /** A frame of the episode for its card (16:9), set by the image upload flow only. */
    stillImage: jsonb('still_image').$type<StoredImage>(),
    /** An episode can be released after its series; null = with the series. */
    publishAt: timestamp('publish_at', { withTimezone: true }),
    /** When followers of the series were told about this episode; null = not (yet) announced. */
    announcedAt: timestamp('announced_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('episodes_season_number_key').on(t.seasonId, t.number),
    index('episodes_title_idx').on(t.titleId),
  ],
);
