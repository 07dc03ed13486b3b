import { z } from 'zod';
import { Timestamp } from './common';
import { ResponsiveImage } from './images';
import { MaturityRating } from './viewer';

export { ImageSource, ResponsiveImage } from './images';

/**
 * The catalog as viewers browse it: home, category and genre pages, title and person pages,
 * search and autocomplete. Public reads under /api/v1/catalog/…; only published titles appear.
 */

export const TITLE_KINDS = ['film', 'series'] as const;
export const TitleKind = z.enum(TITLE_KINDS);
export const ACCESS_TIERS = ['free', 'premium'] as const;
export const AccessTier = z.enum(ACCESS_TIERS);
export const TITLE_STATUSES = ['draft', 'scheduled', 'published', 'archived'] as const;
export const TitleStatus = z.enum(TITLE_STATUSES);
export type TitleStatus = z.infer<typeof TitleStatus>;
export const CREDIT_ROLES = ['actor', 'director', 'writer', 'producer', 'composer', 'narrator'] as const;
export const CreditRole = z.enum(CREDIT_ROLES);

/** popular: plays in the last 7 days; newest: publication date; rating: average score; az: by name. */
export const CATALOG_SORTS = ['popular', 'newest', 'rating', 'az'] as const;
export const CatalogSort = z.enum(CATALOG_SORTS);
export type CatalogSort = z.infer<typeof CatalogSort>;

export const Slug = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be lower-case letters and digits separated by single hyphens');
export const SlugParams = z.strictObject({ slug: Slug });

/** ISO 639-1 or 639-3: en, lg, sw, nyn, ach, teo… */
export const LanguageCode = z
  .string()
  .trim()
  .regex(/^[a-z]{2,3}$/, 'must be an ISO 639 code such as en, lg or nyn');

/** A client acting as one of its account's profiles sends this; the profile's maturity limit then applies. */
export const CatalogHeaders = z.looseObject({
  'x-profile-id': z.uuid().optional().describe("one of the signed-in account's profiles"),
});

const MaturityQuery = MaturityRating.optional().describe(
  "the highest maturity rating to include (default 18); a profile's own limit always applies",
);

// Shapes

export const TITLE_IMAGE_KINDS = ['poster', 'backdrop'] as const;
export const TitleImageKind = z.enum(TITLE_IMAGE_KINDS);
export type TitleImageKind = z.infer<typeof TitleImageKind>;

export const Genre = z.object({ id: z.uuid(), slug: z.string(), name: z.string() }).meta({ id: 'Genre' });
export const Category = z
  .object({ id: z.uuid(), slug: z.string(), name: z.string(), description: z.string().nullable() })
  .meta({ id: 'Category' });
export const Language = z
  .object({ code: z.string(), name: z.string(), nativeName: z.string() })
  .meta({ id: 'Language' });
export const PersonSummary = z
  .object({ id: z.uuid(), slug: z.string(), name: z.string(), photo: ResponsiveImage.nullable() })
  .meta({ id: 'PersonSummary' });

/** A title in a row, a page or search results: a 2:3 poster for cards, a 16:9 backdrop for heroes. */
export const TitleCard = z
  .object({
    id: z.uuid(),
    kind: TitleKind,
    slug: z.string(),
    name: z.string(),
    year: z.number().int().nullable(),
    runtimeMinutes: z.number().int().nullable(),
    maturityRating: MaturityRating,
    accessTier: AccessTier,
    audioLanguages: z.array(z.string()),
    poster: ResponsiveImage.nullable(),
    backdrop: ResponsiveImage.nullable(),
    ratingAverage: z.number().nullable(),
    ratingCount: z.number().int(),
  })
  .meta({ id: 'TitleCard' });
export type TitleCard = z.infer<typeof TitleCard>;

export const FeaturedTitle = TitleCard.extend({ synopsis: z.string() }).meta({ id: 'FeaturedTitle' });

export const CatalogHome = z
  .object({
    featured: z.array(FeaturedTitle),
    rows: z.array(z.object({ category: Category, titles: z.array(TitleCard) })),
    trending: z.array(TitleCard),
    newReleases: z.array(TitleCard),
  })
  .meta({ id: 'CatalogHome' });
export type CatalogHome = z.infer<typeof CatalogHome>;
/**
 * Cards per home category row at most: what a row shows (the web app draws 8) and a few more, so a
 * client knows the row goes on ("See all" opens the category page, which pages through the rest).
 * Every card beyond that is bytes on every app open that nobody looks at.
 */
export const HOME_ROW_CARDS = 12;
export const HomeQuery = z.strictObject({
  maturity: MaturityQuery,
  rowCards: z.coerce
    .number()
    .int()
    .min(0)
    .max(HOME_ROW_CARDS)
    .optional()
    .describe(
      `cards per category row, at most ${HOME_ROW_CARDS} (the default); 0 lists the rows (each with something in it) without their cards, for a screen that draws only their frames`,
    ),
});

export const Credit = z
  .object({ person: PersonSummary, role: CreditRole, character: z.string().nullable() })
  .meta({ id: 'Credit' });

export const Episode = z
  .object({
    id: z.uuid(),
    number: z.number().int(),
    name: z.string(),
    synopsis: z.string(),
    runtimeMinutes: z.number().int().nullable(),
    videoId: z.uuid().nullable(),
    /** A 16:9 frame of the episode, for its card. */
    still: ResponsiveImage.nullable(),
  })
  .meta({ id: 'Episode' });

export const Season = z
  .object({
    id: z.uuid(),
    number: z.number().int(),
    name: z.string().nullable(),
    synopsis: z.string().nullable(),
    episodes: z.array(Episode),
  })
  .meta({ id: 'Season' });

export const TitleDetail = TitleCard.extend({
  synopsis: z.string(),
  originalLanguage: z.string().nullable(),
  subtitleLanguages: z.array(z.string()),
  country: z.string().nullable(),
  tags: z.array(z.string()),
  videoId: z.uuid().nullable(),
  trailerVideoId: z.uuid().nullable(),
  publishedAt: Timestamp,
  genres: z.array(Genre),
  credits: z.array(Credit),
  seasons: z.array(Season),
}).meta({ id: 'TitleDetail' });
export type TitleDetail = z.infer<typeof TitleDetail>;
export const TitleQuery = HomeQuery;

export const PersonPage = z
  .object({
    id: z.uuid(),
    slug: z.string(),
    name: z.string(),
    bio: z.string().nullable(),
    photo: ResponsiveImage.nullable(),
    credits: z.array(z.object({ title: TitleCard, role: CreditRole, character: z.string().nullable() })),
  })
  .meta({ id: 'PersonPage' });

// Category and genre pages

const Year = z.coerce.number().int().min(1888).max(2100);
const Minutes = z.coerce.number().int().min(0).max(1440);

/** Only these filters and sorts exist; anything else is a 400. */
/** The filters of category, genre and search pages. */
const TitleFilters = {
  genre: Slug.optional().describe('only titles in this genre (slug)'),
  audio: LanguageCode.optional().describe('only titles with this audio language'),
  yearFrom: Year.optional(),
  yearTo: Year.optional(),
  tier: AccessTier.optional(),
  runtimeMin: Minutes.optional().describe('minutes'),
  runtimeMax: Minutes.optional().describe('minutes'),
};

type FilterRanges = { yearFrom?: number; yearTo?: number; runtimeMin?: number; runtimeMax?: number };

/** Ranges must not be upside down (a 400 naming the field, not an empty page). */
function withOrderedRanges<T extends z.ZodType<FilterRanges>>(schema: T) {
  return schema
    .refine((q) => q.yearFrom === undefined || q.yearTo === undefined || q.yearFrom <= q.yearTo, {
      message: 'yearFrom must not be after yearTo',
      path: ['yearFrom'],
    })
    .refine((q) => q.runtimeMin === undefined || q.runtimeMax === undefined || q.runtimeMin <= q.runtimeMax, {
      message: 'runtimeMin must not exceed runtimeMax',
      path: ['runtimeMin'],
    });
}

export const BrowseQuery = withOrderedRanges(
  z.strictObject({
    ...TitleFilters,
    maturity: MaturityQuery,
    sort: CatalogSort.default('popular'),
    cursor: z.string().max(512).optional(),
    limit: z.coerce.number().int().min(1).max(60).default(24),
  }),
);
export type BrowseQuery = z.infer<typeof BrowseQuery>;

export const CategoryPage = z
  .object({ category: Category, items: z.array(TitleCard), nextCursor: z.string().nullable() })
  .meta({ id: 'CategoryPage' });
export const GenrePage = z
  .object({ genre: Genre, items: z.array(TitleCard), nextCursor: z.string().nullable() })
  .meta({ id: 'GenrePage' });
export const CategoryList = z.object({ items: z.array(Category) });
export const GenreList = z.object({ items: z.array(Genre) });
export const LanguageList = z.object({ items: z.array(Language) });

// Search

const SearchText = z
  .string()
  .max(400)
  .transform((s) => s.replace(/\s+/g, ' ').trim())
  .pipe(z.string().min(1, 'must not be empty').max(100));

export const SearchQuery = withOrderedRanges(
  z.strictObject({
    q: SearchText.describe('words from a title, a synopsis or a person; misspellings and accents are tolerated'),
    ...TitleFilters,
    maturity: MaturityQuery,
    cursor: z.string().max(512).optional(),
    limit: z.coerce.number().int().min(1).max(50).default(20),
  }),
);
export type SearchQuery = z.infer<typeof SearchQuery>;

export const SearchResults = z
  .object({
    items: z.array(TitleCard),
    /** People whose names match, on the first page only. */
    people: z.array(PersonSummary),
    nextCursor: z.string().nullable(),
  })
  .meta({ id: 'SearchResults' });

export const AutocompleteQuery = z.strictObject({
  q: SearchText,
  maturity: MaturityQuery,
  limit: z.coerce.number().int().min(1).max(10).default(8),
});

export const Suggestion = z
  .object({
    kind: z.enum(['title', 'person']),
    id: z.uuid(),
    slug: z.string(),
    name: z.string(),
    year: z.number().int().nullable(),
  })
  .meta({ id: 'Suggestion' });
export const Autocomplete = z.object({ suggestions: z.array(Suggestion) }).meta({ id: 'Autocomplete' });
