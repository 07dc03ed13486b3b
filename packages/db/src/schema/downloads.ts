import { bigint, index, integer, pgTable, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { users } from './accounts';
import { episodes, titles } from './catalog';
import { videos } from './media';
import { profiles } from './viewing';

/**
 * A title (or episode) a profile saved for offline viewing: one rendition of one published
 * revision, licensed until `expiresAt`. Downloading the same title again renews the row.
 */
export const downloads = pgTable(
  'downloads',
  {
    id: uuid('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    profileId: uuid('profile_id')
      .notNull()
      .references(() => profiles.id, { onDelete: 'cascade' }),
    titleId: uuid('title_id')
      .notNull()
      .references(() => titles.id, { onDelete: 'cascade' }),
    episodeId: uuid('episode_id').references(() => episodes.id, { onDelete: 'cascade' }),
    videoId: uuid('video_id')
      .notNull()
      .references(() => videos.id, { onDelete: 'cascade' }),
    revision: integer('revision').notNull(),
    /** Nominal height of the one rendition downloaded. */
    height: integer('height').notNull(),
    bytes: bigint('bytes', { mode: 'number' }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    unique('downloads_profile_title_episode_key').on(t.profileId, t.titleId, t.episodeId).nullsNotDistinct(),
    index('downloads_user_active_idx').on(t.userId, t.expiresAt),
    index('downloads_profile_recent_idx').on(t.profileId, t.createdAt),
  ],
);
