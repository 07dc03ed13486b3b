import { bigint, boolean, index, pgTable, primaryKey, real, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from './accounts';
import { MATURITY_RATINGS, episodes, titles } from './catalog';
import { videos } from './media';

/** Up to five per account, each with its own history, list, ratings and maturity limit. */
export const profiles = pgTable(
  'profiles',
  {
    id: uuid('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    avatar: text('avatar'),
    isKids: boolean('is_kids').notNull().default(false),
    maturityLimit: text('maturity_limit', { enum: MATURITY_RATINGS }).notNull().default('18'),
    /** argon2id hash of the optional 4-digit PIN. */
    pinHash: text('pin_hash'),
    language: text('language').notNull().default('en'),
    /** Caps playback quality to spend less data: auto, or a maximum rendition height. */
    dataSaver: text('data_saver', { enum: ['auto', 'low', 'medium', 'high'] })
      .notNull()
      .default('auto'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('profiles_user_idx').on(t.userId)],
);

/**
 * Where a profile is in a video. Saves carry the client's clock so a late-arriving older
 * heartbeat never moves progress backwards.
 */
export const watchProgress = pgTable(
  'watch_progress',
  {
    profileId: uuid('profile_id')
      .notNull()
      .references(() => profiles.id, { onDelete: 'cascade' }),
    videoId: uuid('video_id')
      .notNull()
      .references(() => videos.id, { onDelete: 'cascade' }),
    titleId: uuid('title_id')
      .notNull()
      .references(() => titles.id, { onDelete: 'cascade' }),
    episodeId: uuid('episode_id').references(() => episodes.id, { onDelete: 'cascade' }),
    positionSeconds: real('position_seconds').notNull(),
    durationSeconds: real('duration_seconds').notNull(),
    rendition: text('rendition'),
    bytesDownloaded: bigint('bytes_downloaded', { mode: 'number' }).notNull().default(0),
    completed: boolean('completed').notNull().default(false),
    /** Removed from history by the viewer; a new play brings it back. */
    hidden: boolean('hidden').notNull().default(false),
    clientTime: timestamp('client_time', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.profileId, t.videoId] }),
    index('watch_progress_recent_idx').on(t.profileId, t.updatedAt),
  ],
);

/** Plays started, for trending (by recent plays) and reports. */
export const playEvents = pgTable(
  'play_events',
  {
    id: uuid('id').primaryKey(),
    titleId: uuid('title_id')
      .notNull()
      .references(() => titles.id, { onDelete: 'cascade' }),
    videoId: uuid('video_id')
      .notNull()
      .references(() => videos.id, { onDelete: 'cascade' }),
    userId: uuid('user_id').references(() => users.id, { onDelete: 'set null' }),
    profileId: uuid('profile_id').references(() => profiles.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('play_events_title_time_idx').on(t.titleId, t.createdAt),
    index('play_events_time_idx').on(t.createdAt),
  ],
);
