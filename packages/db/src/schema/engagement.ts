import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { users } from './accounts';
import { titles } from './catalog';
import { profiles } from './viewing';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();

export const NOTIFICATION_TYPES = ['new_episode', 'title_free', 'subscription', 'payment_receipt', 'account'] as const;
export const COMMENT_STATUSES = ['visible', 'hidden'] as const;
export const COMMENT_REPORT_REASONS = ['spam', 'abuse', 'spoiler', 'off_topic', 'other'] as const;

/** A profile's My List, newest first. */
export const myList = pgTable(
  'my_list',
  {
    profileId: uuid('profile_id')
      .notNull()
      .references(() => profiles.id, { onDelete: 'cascade' }),
    titleId: uuid('title_id')
      .notNull()
      .references(() => titles.id, { onDelete: 'cascade' }),
    addedAt: timestamp('added_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.profileId, t.titleId] }),
    index('my_list_profile_added_idx').on(t.profileId, t.addedAt),
    // Notification fan-out walks the profiles that listed a title.
    index('my_list_title_idx').on(t.titleId, t.profileId),
  ],
);

/**
 * One 1–5 score per profile per title. titles.rating_sum / rating_count are kept in step in the
 * same transaction as every change here (and when a profile is deleted).
 */
export const ratings = pgTable(
  'ratings',
  {
    profileId: uuid('profile_id')
      .notNull()
      .references(() => profiles.id, { onDelete: 'cascade' }),
    titleId: uuid('title_id')
      .notNull()
      .references(() => titles.id, { onDelete: 'cascade' }),
    score: smallint('score').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.profileId, t.titleId] }),
    index('ratings_profile_updated_idx').on(t.profileId, t.updatedAt),
    index('ratings_title_idx').on(t.titleId),
    check('ratings_score_range', sql`${t.score} between 1 and 5`),
  ],
);

/** Viewer comments and reviews on a title. Plain text; clients render it escaped. */
export const comments = pgTable(
  'comments',
  {
    id: uuid('id').primaryKey(),
    titleId: uuid('title_id')
      .notNull()
      .references(() => titles.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    profileId: uuid('profile_id')
      .notNull()
      .references(() => profiles.id, { onDelete: 'cascade' }),
    body: text('body').notNull(),
    /** hidden: by a moderator; only the author still sees it. */
    status: text('status', { enum: COMMENT_STATUSES }).notNull().default('visible'),
    hiddenReason: text('hidden_reason'),
    hiddenBy: uuid('hidden_by').references(() => users.id, { onDelete: 'set null' }),
    hiddenAt: timestamp('hidden_at', { withTimezone: true }),
    /** Reports not yet acted on; the moderation queue shows the most reported first. */
    openReports: integer('open_reports').notNull().default(0),
    lastReportedAt: timestamp('last_reported_at', { withTimezone: true }),
    editedAt: timestamp('edited_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('comments_title_created_idx').on(t.titleId, t.createdAt, t.id),
    index('comments_moderation_idx').on(t.openReports, t.createdAt, t.id),
    index('comments_user_idx').on(t.userId),
    index('comments_profile_idx').on(t.profileId),
    check('comments_body_length', sql`char_length(${t.body}) between 1 and 2000`),
  ],
);

/** One report per account per comment. */
export const commentReports = pgTable(
  'comment_reports',
  {
    commentId: uuid('comment_id')
      .notNull()
      .references(() => comments.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    reason: text('reason', { enum: COMMENT_REPORT_REASONS }).notNull(),
    note: text('note'),
    createdAt: createdAt(),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.commentId, t.userId] }), index('comment_reports_user_idx').on(t.userId)],
);

/**
 * In-app notifications. profile_id null = for the whole account (billing, account events);
 * otherwise for one profile (a title in its My List).
 */
export const notifications = pgTable(
  'notifications',
  {
    id: uuid('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    profileId: uuid('profile_id').references(() => profiles.id, { onDelete: 'cascade' }),
    type: text('type', { enum: NOTIFICATION_TYPES }).notNull(),
    subject: text('subject').notNull(),
    body: text('body').notNull(),
    /** A path in the web app, e.g. /titles/<slug>. */
    url: text('url'),
    data: jsonb('data').notNull().default({}),
    /** Makes retried fan-out jobs and repeated calls idempotent. */
    dedupeKey: text('dedupe_key'),
    readAt: timestamp('read_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    index('notifications_user_created_idx').on(t.userId, t.createdAt, t.id),
    index('notifications_unread_idx')
      .on(t.userId, t.profileId)
      .where(sql`${t.readAt} is null`),
    uniqueIndex('notifications_dedupe_key').on(t.userId, t.dedupeKey),
  ],
);

/** Per account and type; a missing row means the type's defaults. */
export const notificationPreferences = pgTable(
  'notification_preferences',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    type: text('type', { enum: NOTIFICATION_TYPES }).notNull(),
    inApp: boolean('in_app').notNull(),
    email: boolean('email').notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.type] })],
);
