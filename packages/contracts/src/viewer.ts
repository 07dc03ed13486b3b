import { z } from 'zod';
import { PageQuery, pageOf, Timestamp } from './common';
import { ResponsiveImage } from './images';

/** A page of a viewer list (My List, history, ratings, comments): an unknown parameter is a 400, not ignored. */
export const ViewerPageQuery = z.strictObject(PageQuery.shape);

/**
 * Viewer engagement: profiles, My List, watch history, ratings, comments and notifications.
 * Everything profile-scoped lives under /api/v1/profiles/{profileId}/…
 */

export const MATURITY_RATING_VALUES = ['G', 'PG', '13', '16', '18'] as const;
export const MaturityRating = z.enum(MATURITY_RATING_VALUES);
export type MaturityRating = z.infer<typeof MaturityRating>;
/** What a kids profile may see. */
export const KIDS_MAX_RATING: MaturityRating = 'PG';

export const DATA_SAVER_MODES = ['auto', 'low', 'medium', 'high'] as const;
/**
 * The tallest picture (rendition height) each data-saver mode allows; null leaves it to the plan
 * and the link. Playback tokens carry the lower of this and the plan's maximum quality.
 */
export const DATA_SAVER_MAX_HEIGHT: Record<(typeof DATA_SAVER_MODES)[number], number | null> = {
  auto: null,
  low: 240,
  medium: 480,
  high: null,
};
export const MAX_PROFILES_PER_ACCOUNT = 5;

// Control characters (but tab and newline) would corrupt display; NUL cannot be stored at all.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F]/g;
// eslint-disable-next-line no-control-regex
const CONTROL_AND_NEWLINES = /[\u0000-\u001F\u007F]/g;

/** One line of plain text: trimmed, control characters removed, length bounded. */
export const PlainLine = (max: number, min = 1) =>
  z
    .string()
    .max(max * 4)
    .transform((s) => s.replace(CONTROL_AND_NEWLINES, '').trim())
    .pipe(z.string().min(min).max(max));

/** Multi-line plain text: newlines kept (CRLF normalised), other control characters removed. */
export const PlainText = (max: number, min = 1) =>
  z
    .string()
    .max(max * 4)
    .transform((s) => s.replace(/\r\n?/g, '\n').replace(CONTROL, '').trim())
    .pipe(z.string().min(min).max(max));

export const ProfileParams = z.strictObject({ profileId: z.uuid() });
export const ProfileTitleParams = z.strictObject({ profileId: z.uuid(), titleId: z.uuid() });

// Profiles

export const Pin = z.string().regex(/^\d{4}$/, 'must be exactly 4 digits');

export const Profile = z
  .object({
    id: z.uuid(),
    name: z.string(),
    avatar: z.string().nullable(),
    isKids: z.boolean(),
    maturityLimit: MaturityRating,
    hasPin: z.boolean(),
    language: z.string(),
    dataSaver: z.enum(DATA_SAVER_MODES),
    createdAt: Timestamp,
  })
  .meta({ id: 'Profile' });
export type Profile = z.infer<typeof Profile>;

const Avatar = z.string().regex(/^[a-z0-9-]{1,40}$/, 'must be an avatar id such as "lion-2"');
const Language = z
  .string()
  .regex(/^[a-z]{2,3}$/, 'must be an ISO 639 language code such as "lg"')
  .describe('ISO 639 code of the preferred audio and subtitle language');

export const CreateProfileBody = z.strictObject({
  name: PlainLine(40),
  avatar: Avatar.nullable().optional(),
  isKids: z.boolean().default(false),
  maturityLimit: MaturityRating.optional().describe('defaults to 18, or PG for a kids profile'),
  language: Language.optional(),
  dataSaver: z.enum(DATA_SAVER_MODES).optional(),
});

export const UpdateProfileBody = z
  .strictObject({
    name: PlainLine(40).optional(),
    avatar: Avatar.nullable().optional(),
    isKids: z.boolean().optional(),
    maturityLimit: MaturityRating.optional(),
    language: Language.optional(),
    dataSaver: z.enum(DATA_SAVER_MODES).optional(),
    password: z
      .string()
      .min(1)
      .max(256)
      .optional()
      .describe(
        "the account's password: needed to lift a restriction (turn kids mode off or raise the maturity limit)",
      ),
  })
  .refine((b) => Object.keys(b).some((key) => key !== 'password'), { message: 'change at least one field' });

export const SetPinBody = z.strictObject({
  pin: Pin.nullable().describe('null removes the PIN'),
  password: z
    .string()
    .min(1)
    .max(256)
    .describe("the account's password: only the account holder sets or removes a PIN"),
});
export const VerifyPinBody = z.strictObject({ pin: Pin });
/**
 * Proof that a PIN-protected profile was unlocked: browsers get it as an httpOnly cookie, other
 * clients send `unlockToken` in the x-profile-unlock header with every call acting as the profile.
 */
export const ProfileUnlock = z.object({ unlockToken: z.string(), expiresAt: Timestamp }).meta({ id: 'ProfileUnlock' });
export type ProfileUnlock = z.infer<typeof ProfileUnlock>;

// Titles as the viewer features show them

export const ViewerTitle = z
  .object({
    id: z.uuid(),
    kind: z.enum(['film', 'series']),
    slug: z.string(),
    name: z.string(),
    year: z.number().int().nullable(),
    maturityRating: MaturityRating,
    accessTier: z.enum(['free', 'premium']),
    ratingAverage: z.number().nullable(),
    ratingCount: z.number().int(),
    /** As on catalog cards: a 2:3 poster and a 16:9 backdrop, with public URLs. */
    poster: ResponsiveImage.nullable(),
    backdrop: ResponsiveImage.nullable(),
  })
  .meta({ id: 'ViewerTitle' });
export type ViewerTitle = z.infer<typeof ViewerTitle>;

// My List

export const MyListItem = z.object({ title: ViewerTitle, addedAt: Timestamp }).meta({ id: 'MyListItem' });
export const MyListPage = pageOf(MyListItem);
export const MyListStatus = z.object({ titleId: z.uuid(), inList: z.boolean(), addedAt: Timestamp.nullable() });

// Watch history and continue watching

export const HistoryEntry = z
  .object({
    videoId: z.uuid(),
    title: ViewerTitle,
    episode: z
      .object({ id: z.uuid(), name: z.string(), seasonNumber: z.number().int(), number: z.number().int() })
      .nullable(),
    positionSeconds: z.number(),
    durationSeconds: z.number(),
    /** 0–1. */
    progress: z.number(),
    completed: z.boolean(),
    watchedAt: Timestamp,
  })
  .meta({ id: 'HistoryEntry' });
export type HistoryEntry = z.infer<typeof HistoryEntry>;
export const HistoryPage = pageOf(HistoryEntry);
export const HistoryEntryParams = z.strictObject({ profileId: z.uuid(), videoId: z.uuid() });
export const ContinueWatchingQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(50).default(20) });
export const ContinueWatching = z.object({ items: z.array(HistoryEntry) });

// Ratings

export const RatingBody = z.strictObject({ score: z.number().int().min(1).max(5) });
export const Rating = z
  .object({
    titleId: z.uuid(),
    score: z.number().int().min(1).max(5),
    ratedAt: Timestamp,
    /** The title's average over every profile, after this rating. */
    average: z.number().nullable(),
    count: z.number().int(),
  })
  .meta({ id: 'Rating' });
export const RatingListItem = z.object({ title: ViewerTitle, score: z.number().int(), ratedAt: Timestamp });
export const RatingPage = pageOf(RatingListItem);

// Comments

export const COMMENT_MAX_LENGTH = 2000;
export const CommentReportReason = z.enum(['spam', 'abuse', 'spoiler', 'off_topic', 'other']);
export type CommentReportReason = z.infer<typeof CommentReportReason>;

export const Comment = z
  .object({
    id: z.uuid(),
    titleId: z.uuid(),
    author: z.object({ name: z.string(), avatar: z.string().nullable() }),
    /** Plain text: render escaped, never as HTML. */
    body: z.string(),
    createdAt: Timestamp,
    editedAt: Timestamp.nullable(),
    /** Written by the signed-in account. */
    mine: z.boolean(),
    /** Hidden by a moderator; only its author sees it. */
    hidden: z.boolean(),
  })
  .meta({ id: 'Comment' });
export type Comment = z.infer<typeof Comment>;
export const CommentPage = pageOf(Comment);

export const TitleParams = z.strictObject({ titleId: z.uuid() });
export const CommentParams = z.strictObject({ commentId: z.uuid() });
export const ProfileCommentParams = z.strictObject({ profileId: z.uuid(), commentId: z.uuid() });
export const PostCommentBody = z.strictObject({ titleId: z.uuid(), body: PlainText(COMMENT_MAX_LENGTH) });
export const EditCommentBody = z.strictObject({ body: PlainText(COMMENT_MAX_LENGTH) });
export const ReportCommentBody = z.strictObject({
  reason: CommentReportReason,
  note: PlainText(500).optional(),
});

export const ModerationQuery = ViewerPageQuery.extend({
  status: z.enum(['visible', 'hidden']).optional(),
  reported: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional()
    .describe('true: only comments with open reports'),
});
export const ModerationComment = z
  .object({
    id: z.uuid(),
    title: z.object({ id: z.uuid(), name: z.string(), slug: z.string() }),
    author: z.object({ userId: z.uuid(), displayName: z.string(), profileName: z.string() }),
    body: z.string(),
    status: z.enum(['visible', 'hidden']),
    hiddenReason: z.string().nullable(),
    openReports: z.number().int(),
    reportReasons: z.array(CommentReportReason),
    lastReportedAt: Timestamp.nullable(),
    createdAt: Timestamp,
    editedAt: Timestamp.nullable(),
  })
  .meta({ id: 'ModerationComment' });
export const ModerationPage = pageOf(ModerationComment);
export const HideCommentBody = z.strictObject({ reason: PlainLine(200).optional() }).default({});

// Notifications

export const NOTIFICATION_TYPE_VALUES = [
  'new_episode',
  'title_free',
  'subscription',
  'payment_receipt',
  'account',
] as const;
export const NotificationType = z.enum(NOTIFICATION_TYPE_VALUES);
export type NotificationType = z.infer<typeof NotificationType>;

/** What a type does when the account has not chosen: every type in-app; email for money and account events. */
export const NOTIFICATION_DEFAULTS: Record<NotificationType, { inApp: boolean; email: boolean }> = {
  new_episode: { inApp: true, email: false },
  title_free: { inApp: true, email: false },
  subscription: { inApp: true, email: true },
  payment_receipt: { inApp: true, email: true },
  account: { inApp: true, email: true },
};

export const Notification = z
  .object({
    id: z.uuid(),
    type: NotificationType,
    subject: z.string(),
    body: z.string(),
    url: z.string().nullable(),
    data: z.record(z.string(), z.unknown()),
    /** Null: for the whole account. */
    profileId: z.uuid().nullable(),
    read: z.boolean(),
    createdAt: Timestamp,
  })
  .meta({ id: 'Notification' });
export type Notification = z.infer<typeof Notification>;
export const NotificationListQuery = ViewerPageQuery.extend({
  unread: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional()
    .describe('true: only unread notifications'),
});
export const NotificationPage = pageOf(Notification).extend({ unreadCount: z.number().int() });
export const UnreadCount = z.object({ unreadCount: z.number().int() });
export const NotificationParams = z.strictObject({ profileId: z.uuid(), notificationId: z.uuid() });

export const NotificationPreference = z.object({ type: NotificationType, inApp: z.boolean(), email: z.boolean() });
export const NotificationPreferences = z.object({ items: z.array(NotificationPreference) });
export const UpdateNotificationPreferencesBody = z.strictObject({
  items: z
    .array(z.strictObject({ type: NotificationType, inApp: z.boolean().optional(), email: z.boolean().optional() }))
    .min(1)
    .max(NOTIFICATION_TYPE_VALUES.length)
    .refine((items) => new Set(items.map((i) => i.type)).size === items.length, 'types must not repeat'),
});

/** What other modules pass to notify(). Plain text; the email and the in-app list render it escaped. */
export interface NotificationContent {
  subject: string;
  body: string;
  /** A path in the web app (e.g. /account/billing) or null. */
  url?: string | null;
  /** Machine-readable references (titleId, paymentId, amount…), returned to clients as is. */
  data?: Record<string, string | number | boolean | null>;
  /** Only this profile sees it; omitted = the whole account. */
  profileId?: string;
  /** Calling twice with the same key creates one notification (and one email). */
  dedupeKey?: string;
}
