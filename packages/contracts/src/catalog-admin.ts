import { z } from 'zod';
import {
  AccessTier,
  Category,
  Credit,
  CreditRole,
  Genre,
  LanguageCode,
  ResponsiveImage,
  Slug,
  TitleImageKind,
  TitleKind,
  TitleStatus,
} from './catalog';
import { PageQuery, Timestamp, pageOf } from './common';
import { MaturityRating, PlainLine, PlainText } from './viewer';

/** Staff management of the catalog under /api/v1/admin/… (permission catalog:manage). */

const unique = <T>(items: T[], key: (item: T) => string = String) => new Set(items.map(key)).size === items.length;

const Uuids = (max: number) =>
  z
    .array(z.uuid())
    .max(max)
    .refine((ids) => unique(ids), 'must not repeat');

const Languages = (max: number) =>
  z
    .array(LanguageCode)
    .max(max)
    .refine((codes) => unique(codes), 'must not repeat');

export const CreditInput = z.strictObject({
  personId: z.uuid(),
  role: CreditRole,
  character: PlainLine(200).nullable().optional(),
});

const TitleFields = {
  name: PlainLine(200),
  slug: Slug.optional().describe('generated from the name when omitted'),
  synopsis: PlainText(5000, 0).optional(),
  year: z.number().int().min(1888).max(2100).nullable().optional(),
  runtimeMinutes: z.number().int().min(1).max(1440).nullable().optional(),
  originalLanguage: LanguageCode.nullable().optional(),
  audioLanguages: Languages(20).optional(),
  subtitleLanguages: Languages(40).optional(),
  maturityRating: MaturityRating.optional(),
  accessTier: AccessTier.optional(),
  country: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code such as UG')
    .nullable()
    .optional(),
  tags: z
    .array(PlainLine(40))
    .max(30)
    .refine((tags) => unique(tags), 'must not repeat')
    .optional(),
  featured: z.boolean().optional(),
  videoId: z.uuid().nullable().optional(),
  trailerVideoId: z.uuid().nullable().optional(),
  genreIds: Uuids(10).optional().describe('replaces the genres'),
  credits: z
    .array(CreditInput)
    .max(200)
    .refine((c) => unique(c, (x) => `${x.personId}/${x.role}`), 'a person appears once per role')
    .optional()
    .describe('replaces the cast and crew, in billing order'),
};

export const CreateTitleBody = z.strictObject({ kind: TitleKind, ...TitleFields });
export type CreateTitleBody = z.infer<typeof CreateTitleBody>;
export const UpdateTitleBody = z
  .strictObject({ ...TitleFields, name: TitleFields.name.optional() })
  .refine((b) => Object.keys(b).length > 0, 'nothing to change');
export type UpdateTitleBody = z.infer<typeof UpdateTitleBody>;

/**
 * draft → scheduled (publishAt in the future) → published → archived; a scheduled title may go back
 * to draft or be published at once; an archived one may be published again or reworked as a draft.
 */
export const SetTitleStatusBody = z
  .strictObject({ status: TitleStatus, publishAt: Timestamp.optional() })
  .refine((b) => (b.status === 'scheduled') === (b.publishAt !== undefined), {
    message: 'publishAt is required for scheduled, and only then',
    path: ['publishAt'],
  });

export const TitleListQuery = z.strictObject({
  ...PageQuery.shape,
  q: z.string().trim().max(100).optional().describe('matches the name'),
  status: TitleStatus.optional(),
  kind: TitleKind.optional(),
});

export const StaffEpisode = z
  .object({
    id: z.uuid(),
    titleId: z.uuid(),
    seasonId: z.uuid(),
    number: z.number().int(),
    name: z.string(),
    synopsis: z.string(),
    runtimeMinutes: z.number().int().nullable(),
    videoId: z.uuid().nullable(),
    /** Set by the image upload flow only (…/episodes/:id/images/still); URLs are signed and short-lived. */
    still: ResponsiveImage.nullable(),
    publishAt: Timestamp.nullable(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'StaffEpisode' });

export const StaffSeason = z
  .object({
    id: z.uuid(),
    titleId: z.uuid(),
    number: z.number().int(),
    name: z.string().nullable(),
    synopsis: z.string().nullable(),
    episodes: z.array(StaffEpisode),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'StaffSeason' });

export const StaffTitleSummary = z
  .object({
    id: z.uuid(),
    kind: TitleKind,
    slug: z.string(),
    name: z.string(),
    status: TitleStatus,
    year: z.number().int().nullable(),
    maturityRating: MaturityRating,
    accessTier: AccessTier,
    featured: z.boolean(),
    publishAt: Timestamp.nullable(),
    publishedAt: Timestamp.nullable(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'StaffTitleSummary' });

export const StaffTitle = StaffTitleSummary.extend({
  synopsis: z.string(),
  runtimeMinutes: z.number().int().nullable(),
  originalLanguage: z.string().nullable(),
  audioLanguages: z.array(z.string()),
  subtitleLanguages: z.array(z.string()),
  country: z.string().nullable(),
  tags: z.array(z.string()),
  /** Set by the image upload flow only (…/images/:kind); URLs are signed and short-lived, for previews. */
  poster: ResponsiveImage.nullable(),
  backdrop: ResponsiveImage.nullable(),
  videoId: z.uuid().nullable(),
  trailerVideoId: z.uuid().nullable(),
  ratingAverage: z.number().nullable(),
  ratingCount: z.number().int(),
  recentPlays: z.number().int(),
  genres: z.array(Genre),
  categories: z.array(Category),
  credits: z.array(Credit),
  seasons: z.array(StaffSeason),
}).meta({ id: 'StaffTitle' });
export type StaffTitle = z.infer<typeof StaffTitle>;
export const StaffTitlePage = pageOf(StaffTitleSummary);

// Seasons and episodes

export const CreateSeasonBody = z.strictObject({
  number: z.number().int().min(0).max(500),
  name: PlainLine(200).nullable().optional(),
  synopsis: PlainText(5000).nullable().optional(),
});
export const UpdateSeasonBody = CreateSeasonBody.partial().refine(
  (b) => Object.keys(b).length > 0,
  'nothing to change',
);

export const CreateEpisodeBody = z.strictObject({
  number: z.number().int().min(0).max(1000),
  name: PlainLine(200),
  synopsis: PlainText(5000, 0).optional(),
  runtimeMinutes: z.number().int().min(1).max(1440).nullable().optional(),
  videoId: z.uuid().nullable().optional(),
  publishAt: Timestamp.nullable().optional().describe('released after its series; null = with the series'),
});
export const UpdateEpisodeBody = CreateEpisodeBody.partial().refine(
  (b) => Object.keys(b).length > 0,
  'nothing to change',
);

// People

export const StaffPerson = z
  .object({
    id: z.uuid(),
    slug: z.string(),
    name: z.string(),
    bio: z.string().nullable(),
    /** Set by the image upload flow only; URLs are signed and short-lived, for previews. */
    photo: ResponsiveImage.nullable(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'StaffPerson' });
export const StaffPersonPage = pageOf(StaffPerson);
export const PersonListQuery = z.strictObject({
  ...PageQuery.shape,
  q: z.string().trim().max(100).optional().describe('matches the name'),
});
export const CreatePersonBody = z.strictObject({
  name: PlainLine(200),
  slug: Slug.optional(),
  bio: PlainText(5000).nullable().optional(),
});
export const UpdatePersonBody = CreatePersonBody.partial().refine(
  (b) => Object.keys(b).length > 0,
  'nothing to change',
);

// Genres, categories, languages

export const CreateGenreBody = z.strictObject({ name: PlainLine(80), slug: Slug.optional() });
export const UpdateGenreBody = CreateGenreBody.partial().refine((b) => Object.keys(b).length > 0, 'nothing to change');

export const StaffCategory = Category.extend({
  position: z.number().int(),
  titleIds: z.array(z.uuid()).describe('the row, in order'),
  createdAt: Timestamp,
  updatedAt: Timestamp,
}).meta({ id: 'StaffCategory' });
export const StaffCategoryList = z.object({ items: z.array(StaffCategory) });
export const CreateCategoryBody = z.strictObject({
  name: PlainLine(100),
  slug: Slug.optional(),
  description: PlainText(500).nullable().optional(),
});
export const UpdateCategoryBody = CreateCategoryBody.partial().refine(
  (b) => Object.keys(b).length > 0,
  'nothing to change',
);
export const ReorderCategoriesBody = z.strictObject({
  ids: Uuids(200).describe('every category id, in the new order'),
});
export const SetCategoryTitlesBody = z.strictObject({
  titleIds: Uuids(500).describe('the titles of the row, in order'),
});

export const LanguageParams = z.strictObject({ code: LanguageCode });
export const CreateLanguageBody = z.strictObject({
  code: LanguageCode,
  name: PlainLine(80),
  nativeName: PlainLine(80),
});
export const UpdateLanguageBody = z
  .strictObject({ name: PlainLine(80).optional(), nativeName: PlainLine(80).optional() })
  .refine((b) => Object.keys(b).length > 0, 'nothing to change');

// Images (posters, backdrops, photos, episode stills): uploaded straight to storage, then checked and rendered

export const IMAGE_CONTENT_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
/** The largest picture staff may upload. */
export const MAX_IMAGE_BYTES = 10 * 1024 * 1024;

export const TitleImageParams = z.strictObject({ id: z.uuid(), kind: TitleImageKind });
export const PERSON_IMAGE_KINDS = ['photo'] as const;
export const PersonImageParams = z.strictObject({ id: z.uuid(), kind: z.enum(PERSON_IMAGE_KINDS) });
export const EPISODE_IMAGE_KINDS = ['still'] as const;
export const EpisodeImageParams = z.strictObject({ id: z.uuid(), kind: z.enum(EPISODE_IMAGE_KINDS) });

export const CreateImageUploadBody = z.strictObject({
  contentType: z.enum(IMAGE_CONTENT_TYPES),
  size: z.number().int().min(1).max(MAX_IMAGE_BYTES, 'must be at most 10 MB (10485760 bytes)').describe('bytes'),
});

export const ImageUpload = z
  .object({
    uploadId: z.string().describe('send it to …/complete once the PUT has succeeded'),
    upload: z.object({
      url: z.string(),
      method: z.literal('PUT'),
      headers: z.record(z.string(), z.string()).describe('send these with the PUT, and exactly `size` bytes'),
      expiresAt: Timestamp,
    }),
  })
  .meta({ id: 'ImageUpload' });
export type ImageUpload = z.infer<typeof ImageUpload>;

export const CompleteImageUploadBody = z.strictObject({ uploadId: z.string().min(1).max(1024) });
