import { z } from 'zod';
import { LanguageCode, Slug } from './catalog';
import { PageQuery, Timestamp, pageOf } from './common';
import { MaturityRating, PlainLine } from './viewer';
import { VIDEO_CONTENT_TYPES } from './videos';

/** The ad server: campaign and creative management (ads:manage), decisions, tracking and reports. */

const unique = <T>(items: T[]) => new Set(items).size === items.length;
const distinct = <T extends z.ZodType>(item: T, max: number) =>
  z
    .array(item)
    .max(max)
    .refine((items) => unique(items), 'must not repeat');

export const AD_DEVICES = ['mobile', 'tablet', 'desktop', 'tv'] as const;
export const AdDevice = z.enum(AD_DEVICES);
export const AD_AUDIENCES = ['any', 'signed_in', 'anonymous'] as const;
export const BANNER_SIZES = ['300x250', '320x50', '728x90'] as const;
export const BannerSize = z.enum(BANNER_SIZES);
export const BANNER_SLOTS = ['home-top', 'home-middle', 'title-below-synopsis', 'watch-below-player'] as const;
export const BannerSlot = z.enum(BANNER_SLOTS);
/** Which banner size each named slot shows. */
export const SLOT_SIZES: Record<(typeof BANNER_SLOTS)[number], (typeof BANNER_SIZES)[number]> = {
  'home-top': '728x90',
  'home-middle': '300x250',
  'title-below-synopsis': '300x250',
  'watch-below-player': '320x50',
};
export const AD_EVENT_NAMES = [
  'impression',
  'start',
  'firstQuartile',
  'midpoint',
  'thirdQuartile',
  'complete',
  'skip',
  'click',
] as const;
export const AdEventName = z.enum(AD_EVENT_NAMES);
export type AdEventName = z.infer<typeof AdEventName>;

/** The only destinations a click may redirect to: absolute http(s) URLs without credentials. */
export const ClickUrl = z
  .string()
  .trim()
  .max(2048)
  .refine((value) => {
    try {
      const url = new URL(value);
      return (
        (url.protocol === 'http:' || url.protocol === 'https:') && !url.username && !url.password && !!url.hostname
      );
    } catch {
      return false;
    }
  }, 'must be an absolute http or https URL without credentials');

export const AdTargeting = z.strictObject({
  genres: distinct(Slug, 50).default([]),
  categories: distinct(Slug, 50).default([]),
  audioLanguages: distinct(LanguageCode, 30).default([]),
  maxMaturity: MaturityRating.nullable().default(null),
  devices: distinct(AdDevice, AD_DEVICES.length).default([]),
  audience: z.enum(AD_AUDIENCES).default('any'),
});
export type AdTargeting = z.infer<typeof AdTargeting>;

const Cap = z.number().int().min(1).max(1000).nullable();
export const FrequencyCaps = z.strictObject({
  perHour: Cap.default(null),
  perDay: Cap.default(null),
  lifetime: Cap.default(null),
});
export type FrequencyCaps = z.infer<typeof FrequencyCaps>;

const CampaignFields = {
  name: PlainLine(120),
  advertiser: PlainLine(120),
  startsAt: Timestamp,
  endsAt: Timestamp,
  budget: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('impressions'), amount: z.number().int().min(1).max(1_000_000_000) }),
    z.strictObject({
      kind: z.literal('money'),
      amount: z.number().int().min(1).max(2_000_000_000),
      currency: z.literal('UGX').default('UGX'),
    }),
  ]),
  /** Price per thousand impressions, whole UGX. */
  cpm: z.number().int().min(1).max(10_000_000),
  pacing: z.enum(['even', 'asap']).default('even'),
  /** Higher wins; equal priorities share the traffic at random. */
  priority: z.number().int().min(1).max(10).default(5),
  targeting: AdTargeting.default({
    genres: [],
    categories: [],
    audioLanguages: [],
    maxMaturity: null,
    devices: [],
    audience: 'any',
  }),
  frequencyCaps: FrequencyCaps.default({ perHour: null, perDay: null, lifetime: null }),
};

const window = (v: { startsAt?: string; endsAt?: string }) =>
  !v.startsAt || !v.endsAt || new Date(v.endsAt).getTime() > new Date(v.startsAt).getTime();
const windowIssue = { message: 'must be after startsAt', path: ['endsAt'] };

export const CreateCampaignBody = z.strictObject(CampaignFields).refine(window, windowIssue);
export const UpdateCampaignBody = z
  .strictObject({
    name: CampaignFields.name.optional(),
    advertiser: CampaignFields.advertiser.optional(),
    startsAt: Timestamp.optional(),
    endsAt: Timestamp.optional(),
    budget: CampaignFields.budget.optional(),
    cpm: CampaignFields.cpm.optional(),
    pacing: z.enum(['even', 'asap']).optional(),
    priority: z.number().int().min(1).max(10).optional(),
    targeting: AdTargeting.optional(),
    frequencyCaps: FrequencyCaps.optional(),
    status: z.enum(['active', 'paused', 'archived']).optional(),
  })
  .refine((v) => Object.keys(v).length > 0, 'send at least one field')
  .refine(window, windowIssue);

export const Campaign = z
  .object({
    id: z.uuid(),
    name: z.string(),
    advertiser: z.string(),
    status: z.enum(['active', 'paused', 'archived']),
    startsAt: Timestamp,
    endsAt: Timestamp,
    budget: z.object({ kind: z.enum(['impressions', 'money']), amount: z.number().int(), currency: z.string() }),
    cpm: z.number().int(),
    /** The impressions the budget buys: what counters never exceed. */
    maxImpressions: z.number().int(),
    pacing: z.enum(['even', 'asap']),
    priority: z.number().int(),
    targeting: AdTargeting,
    frequencyCaps: FrequencyCaps,
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'AdCampaign' });
export type Campaign = z.infer<typeof Campaign>;
export const CampaignPage = pageOf(Campaign);
export const CampaignListQuery = PageQuery.extend({ status: z.enum(['active', 'paused', 'archived']).optional() });
export const CampaignParams = z.strictObject({ id: z.uuid() });
export const CreativeParams = z.strictObject({ id: z.uuid(), creativeId: z.uuid() });

/** A pre-roll must last 6 to 30 seconds. */
export const AD_MIN_SECONDS = 6;
export const AD_MAX_SECONDS = 30;

export const CreateVideoCreativeBody = z.strictObject({
  kind: z.literal('video'),
  name: PlainLine(120),
  /** A ready video uploaded through /admin/ads/videos. */
  videoId: z.uuid(),
  clickUrl: ClickUrl,
  /** Seconds before the viewer may skip; null = not skippable. */
  skipAfterSeconds: z.number().int().min(0).max(AD_MAX_SECONDS).nullable().default(null),
});

export const BANNER_CONTENT_TYPES = ['image/png', 'image/jpeg', 'image/webp'] as const;
export const BANNER_MAX_BYTES = 300 * 1024;

export const CreateBannerCreativeBody = z.strictObject({
  kind: z.literal('banner'),
  name: PlainLine(120),
  size: BannerSize,
  clickUrl: ClickUrl,
  contentType: z.enum(BANNER_CONTENT_TYPES),
  contentLength: z.number().int().min(1).max(BANNER_MAX_BYTES),
});

/** A new upload for a banner still waiting for its picture (the first one was refused or never came). */
export const BannerImageBody = z.strictObject({
  contentType: z.enum(BANNER_CONTENT_TYPES),
  contentLength: z.number().int().min(1).max(BANNER_MAX_BYTES),
});

export const CreateCreativeBody = z.discriminatedUnion('kind', [CreateVideoCreativeBody, CreateBannerCreativeBody]);

export const UpdateCreativeBody = z
  .strictObject({
    name: PlainLine(120).optional(),
    clickUrl: ClickUrl.optional(),
    status: z.enum(['active', 'paused']).optional(),
    skipAfterSeconds: z.number().int().min(0).max(AD_MAX_SECONDS).nullable().optional(),
  })
  .refine((v) => Object.keys(v).length > 0, 'send at least one field');

export const Creative = z
  .object({
    id: z.uuid(),
    campaignId: z.uuid(),
    kind: z.enum(['video', 'banner']),
    name: z.string(),
    /** pending: a banner whose image has not been uploaded yet. */
    status: z.enum(['active', 'paused', 'pending']),
    clickUrl: z.string(),
    videoId: z.uuid().nullable(),
    durationSeconds: z.number().int().nullable(),
    skipAfterSeconds: z.number().int().nullable(),
    bannerSize: BannerSize.nullable(),
    /** A banner's picture for previews (a short-lived signed URL), once uploaded; null otherwise. */
    imageUrl: z.string().nullable(),
    createdAt: Timestamp,
  })
  .meta({ id: 'AdCreative' });
export const CreativeList = z.object({ items: z.array(Creative) });

export const CreatedCreative = z.object({
  creative: Creative,
  /** For a banner: where to PUT the image, then POST …/image/complete. */
  upload: z
    .object({
      url: z.string(),
      method: z.literal('PUT'),
      headers: z.record(z.string(), z.string()),
      expiresAt: Timestamp,
    })
    .nullable(),
});

export const AdVideoUploadBody = z.strictObject({
  filename: z.string().trim().min(1).max(255),
  contentType: z.enum(VIDEO_CONTENT_TYPES),
  size: z
    .number()
    .int()
    .min(1)
    .max(200 * 1024 * 1024),
});

const Flag = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1')
  .optional();

const DecisionFields = {
  titleId: z.uuid().optional(),
  device: AdDevice.optional(),
  /** An anonymous device's own random id, for frequency caps; ignored when signed in. */
  deviceId: z
    .string()
    .regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be 8–64 letters, digits, - or _')
    .optional(),
};

/**
 * Below this measured downlink (kbps) even an ad's lowest rendition would hold the title up for
 * seconds (144p is ~160 kbps of a link that also has to start the title), so a pre-roll decision
 * that reports it answers with a banner (a VAST NonLinear overlay) when the campaign has one.
 */
export const VERY_SLOW_LINK_KBPS = 400;
/** Banner sizes that fit over or under a player: what a NonLinear (overlay) ad is served in. */
export const OVERLAY_BANNER_SIZES = ['320x50', '728x90'] as const satisfies readonly (typeof BANNER_SIZES)[number][];

export const VastQuery = z.strictObject({
  ...DecisionFields,
  /** What the player measured: on a slow link the ad comes in its lowest rendition only. */
  network: z.enum(['slow', 'fast', 'unknown']).default('unknown'),
  /** The profile's (or the phone's) data saver: the ad comes in its lowest rendition only. */
  dataSaver: Flag,
  /**
   * The player's measured downlink in kbps (e.g. navigator.connection.downlink × 1000, or its
   * own estimate). Below VERY_SLOW_LINK_KBPS (400) the answer is a NonLinear banner ad instead
   * of a video when the chosen campaign has a 320×50 or 728×90 banner, else the video's lowest
   * rendition; at or above it, the same as without it (network and dataSaver still apply).
   * Players that cannot show a NonLinear ad leave it out.
   */
  bandwidthKbps: z.coerce
    .number()
    .int()
    .min(0)
    .max(10_000_000)
    .optional()
    .describe(
      `Measured downlink in kbps; below ${VERY_SLOW_LINK_KBPS} a banner (VAST NonLinear) may replace the video`,
    ),
});

export const BannerQuery = z.strictObject({
  ...DecisionFields,
  slots: z
    .string()
    .max(200)
    .transform((s) => s.split(',').map((x) => x.trim()))
    .pipe(z.array(BannerSlot).min(1).max(BANNER_SLOTS.length))
    .refine((slots) => unique(slots), 'must not repeat'),
});

export const BannerAd = z.object({
  servingId: z.uuid(),
  creativeId: z.uuid(),
  size: BannerSize,
  width: z.number().int(),
  height: z.number().int(),
  imageUrl: z.string(),
  /** Goes through the click redirect, which counts the click. */
  clickUrl: z.string(),
  /** Fire once the banner is on screen. */
  impressionUrl: z.string(),
  alt: z.string(),
});
export const BannerDecision = z
  .object({ slots: z.record(z.string(), BannerAd.nullable()) })
  .meta({ id: 'BannerDecision' });

export const TrackingParams = z.strictObject({ event: AdEventName });
export const TrackingQuery = z.strictObject({
  p: z.string().min(10).max(1024),
  s: z.string().min(10).max(128),
  /** VAST [ERRORCODE] and other macros players append are accepted and ignored. */
  code: z.string().max(20).optional(),
});
export const ClickQuery = z.strictObject({ p: z.string().min(10).max(1024), s: z.string().min(10).max(128) });
export const NoFillQuery = z.strictObject({ code: z.string().max(20).optional() });

const Day = z.iso.date();
export const ReportQuery = z
  .strictObject({ from: Day.optional(), to: Day.optional() })
  .refine((v) => !v.from || !v.to || v.from <= v.to, { message: 'must not be before from', path: ['to'] });

export const ReportDay = z.object({
  day: z.string(),
  decisions: z.number().int(),
  impressions: z.number().int(),
  uniqueReach: z.number().int(),
  starts: z.number().int(),
  completes: z.number().int(),
  skips: z.number().int(),
  clicks: z.number().int(),
  /** clicks / impressions */
  ctr: z.number(),
  /** completes / starts (video) */
  completionRate: z.number(),
  /** impressions / decisions: how many chosen ads were actually shown */
  fillRate: z.number(),
  /** Whole UGX: impressions × CPM / 1000, rounded down. */
  spend: z.number().int(),
});
export const CampaignReport = z
  .object({
    campaignId: z.uuid(),
    currency: z.string(),
    budget: z.number().int(),
    maxImpressions: z.number().int(),
    totals: ReportDay.omit({ day: true }).extend({ budgetUsed: z.number() }),
    days: z.array(ReportDay),
  })
  .meta({ id: 'AdCampaignReport' });

export const InventoryReport = z.object({
  days: z.array(
    z.object({
      day: z.string(),
      placement: z.string(),
      requests: z.number().int(),
      filled: z.number().int(),
      fillRate: z.number(),
    }),
  ),
});
