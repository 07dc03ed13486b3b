import { sql } from 'drizzle-orm';
import {
  check,
  date,
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
import { users } from './accounts';
import { videos } from './media';

export const AD_CAMPAIGN_STATUSES = ['active', 'paused', 'archived'] as const;
export const AD_EVENTS = [
  'impression',
  'start',
  'firstQuartile',
  'midpoint',
  'thirdQuartile',
  'complete',
  'skip',
  'click',
] as const;

/** Who the campaign may reach; every list left empty means "any". */
export interface AdTargeting {
  genres: string[];
  categories: string[];
  audioLanguages: string[];
  /** The most mature rating the campaign may run beside (G < PG < 13 < 16 < 18); null = any. */
  maxMaturity: string | null;
  devices: string[];
  audience: 'any' | 'signed_in' | 'anonymous';
}

/** Impressions per viewer (or device, when anonymous); null = no cap of that kind. */
export interface AdFrequencyCaps {
  perHour: number | null;
  perDay: number | null;
  lifetime: number | null;
}

/**
 * An advertiser's booking. The budget is in impressions or in whole UGX at `cpmUgx` per thousand
 * impressions; either way it becomes a maximum number of impressions that counters never exceed.
 */
export const adCampaigns = pgTable(
  'ad_campaigns',
  {
    id: uuid('id').primaryKey(),
    name: text('name').notNull(),
    advertiser: text('advertiser').notNull(),
    status: text('status', { enum: AD_CAMPAIGN_STATUSES }).notNull().default('active'),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
    budgetKind: text('budget_kind', { enum: ['impressions', 'money'] }).notNull(),
    /** Impressions, or whole units of `currency`. */
    budgetAmount: integer('budget_amount').notNull(),
    currency: text('currency').notNull().default('UGX'),
    cpm: integer('cpm').notNull(),
    pacing: text('pacing', { enum: ['even', 'asap'] })
      .notNull()
      .default('even'),
    priority: integer('priority').notNull().default(5),
    targeting: jsonb('targeting').$type<AdTargeting>().notNull(),
    frequencyCaps: jsonb('frequency_caps').$type<AdFrequencyCaps>().notNull(),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('ad_campaigns_created_idx').on(t.createdAt, t.id),
    index('ad_campaigns_live_idx').on(t.status, t.endsAt),
    check('ad_campaigns_window_check', sql`${t.endsAt} > ${t.startsAt}`),
    check('ad_campaigns_budget_check', sql`${t.budgetAmount} > 0 AND ${t.cpm} > 0`),
  ],
);

/** A video pre-roll (a transcoded video with purpose "ad") or a banner image at a standard size. */
export const adCreatives = pgTable(
  'ad_creatives',
  {
    id: uuid('id').primaryKey(),
    campaignId: uuid('campaign_id')
      .notNull()
      .references(() => adCampaigns.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: ['video', 'banner'] }).notNull(),
    name: text('name').notNull(),
    status: text('status', { enum: ['active', 'paused', 'pending'] })
      .notNull()
      .default('active'),
    /** The only place a click may redirect to; http(s), validated on write. */
    clickUrl: text('click_url').notNull(),
    videoId: uuid('video_id').references(() => videos.id, { onDelete: 'restrict' }),
    /** Seconds before the skip button shows; null = not skippable. */
    skipAfterSeconds: integer('skip_after_seconds'),
    durationSeconds: integer('duration_seconds'),
    /** "300x250", "320x50" or "728x90". */
    bannerSize: text('banner_size'),
    imageKey: text('image_key'),
    imageContentType: text('image_content_type'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('ad_creatives_campaign_idx').on(t.campaignId, t.createdAt)],
);

/**
 * Tracking events, at most one of each kind per serving id: the primary key is what makes a
 * replayed pixel count nothing. Reports aggregate these rows.
 */
export const adEvents = pgTable(
  'ad_events',
  {
    servingId: uuid('serving_id').notNull(),
    event: text('event', { enum: AD_EVENTS }).notNull(),
    campaignId: uuid('campaign_id')
      .notNull()
      .references(() => adCampaigns.id, { onDelete: 'cascade' }),
    creativeId: uuid('creative_id')
      .notNull()
      .references(() => adCreatives.id, { onDelete: 'cascade' }),
    /** A hash of the user id or anonymous device, for unique reach. */
    viewerKey: text('viewer_key').notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.servingId, t.event] }),
    index('ad_events_campaign_time_idx').on(t.campaignId, t.occurredAt),
  ],
);

/**
 * Decisions per UTC day and placement: requests answered, and for each campaign how often it was
 * chosen (campaign_key 'none' counts the requests with no fill). Fill rate comes from here.
 */
export const adDecisionDays = pgTable(
  'ad_decision_days',
  {
    day: date('day', { mode: 'string' }).notNull(),
    placement: text('placement').notNull(),
    campaignKey: text('campaign_key').notNull(),
    decisions: integer('decisions').notNull().default(0),
  },
  (t) => [uniqueIndex('ad_decision_days_key').on(t.day, t.placement, t.campaignKey)],
);
