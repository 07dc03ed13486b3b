import { bigint, index, integer, jsonb, pgTable, real, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from './accounts';

export const VIDEO_STATUSES = ['uploading', 'uploaded', 'processing', 'ready', 'failed'] as const;

/**
 * One uploaded source file and what transcoding made of it. Titles, episodes, trailers and ad
 * creatives point at a video; the row is the durable state of its upload and transcode jobs.
 */
export const videos = pgTable(
  'videos',
  {
    id: uuid('id').primaryKey(),
    purpose: text('purpose', { enum: ['feature', 'episode', 'trailer', 'ad', 'sample'] })
      .notNull()
      .default('feature'),
    status: text('status', { enum: VIDEO_STATUSES }).notNull().default('uploading'),
    /** Stable reason code (e.g. not_media, playlist) and a message for staff when status is failed. */
    failureCode: text('failure_code'),
    failureMessage: text('failure_message'),
    originalFilename: text('original_filename').notNull(),
    contentType: text('content_type').notNull(),
    /** The size announced when the upload was created; completion checks the stored object against it. */
    sourceSize: bigint('source_size', { mode: 'number' }).notNull(),
    sourceKey: text('source_key').notNull(),
    uploadMode: text('upload_mode', { enum: ['single', 'multipart'] }).notNull(),
    uploadId: text('upload_id'),
    partSize: integer('part_size'),
    probe: jsonb('probe'),
    durationSeconds: real('duration_seconds'),
    width: integer('width'),
    height: integer('height'),
    progress: integer('progress').notNull().default(0),
    attempts: integer('attempts').notNull().default(0),
    /** Incremented by each (re-)transcode; outputs live under videos/<id>/r<revision>/. */
    revision: integer('revision').notNull().default(0),
    /** Where the ready revision's outputs are published; null until the first transcode succeeds. */
    outputPrefix: text('output_prefix'),
    manifest: jsonb('manifest'),
    processingStartedAt: timestamp('processing_started_at', { withTimezone: true }),
    /** Refreshed by the running transcode; the reconciler re-queues jobs whose heartbeat went stale. */
    heartbeatAt: timestamp('heartbeat_at', { withTimezone: true }),
    readyAt: timestamp('ready_at', { withTimezone: true }),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('videos_status_idx').on(t.status, t.heartbeatAt), index('videos_created_idx').on(t.createdAt, t.id)],
);

/** Staff-uploaded subtitles, stored as WebVTT, one per language per video. */
export const videoSubtitles = pgTable(
  'video_subtitles',
  {
    id: uuid('id').primaryKey(),
    videoId: uuid('video_id')
      .notNull()
      .references(() => videos.id, { onDelete: 'cascade' }),
    language: text('language').notNull(),
    label: text('label').notNull(),
    key: text('key').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('video_subtitles_video_language_key').on(t.videoId, t.language)],
);
