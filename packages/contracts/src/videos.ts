import { z } from 'zod';
import { PageQuery, pageOf, Timestamp } from './common';

export const VIDEO_PURPOSES = ['feature', 'episode', 'trailer', 'ad', 'sample'] as const;
export const VideoStatus = z.enum(['uploading', 'uploaded', 'processing', 'ready', 'failed']);

/** Containers staff may upload; anything else is refused before a byte is stored. */
export const VIDEO_CONTENT_TYPES = [
  'video/mp4',
  'video/quicktime',
  'video/x-matroska',
  'video/webm',
  'video/x-msvideo',
  'video/mp2t',
  'application/octet-stream',
] as const;

export const CreateUploadBody = z.strictObject({
  filename: z.string().trim().min(1).max(255),
  contentType: z.enum(VIDEO_CONTENT_TYPES),
  size: z.number().int().min(1),
  purpose: z.enum(VIDEO_PURPOSES).default('feature'),
});

export const SingleUploadTarget = z.object({
  mode: z.literal('single'),
  url: z.string(),
  method: z.literal('PUT'),
  headers: z.record(z.string(), z.string()),
  expiresAt: Timestamp,
});

export const MultipartUploadTarget = z.object({
  mode: z.literal('multipart'),
  partSize: z.number().int(),
  partCount: z.number().int(),
  expiresAt: Timestamp,
});

export const Rendition = z.object({
  label: z.string(),
  width: z.number().int(),
  height: z.number().int(),
  bandwidth: z.number().int(),
  averageBandwidth: z.number().int(),
  totalBytes: z.number().int(),
});

export const Video = z
  .object({
    id: z.uuid(),
    purpose: z.enum(VIDEO_PURPOSES),
    status: VideoStatus,
    progress: z.number().int(),
    failure: z.object({ code: z.string(), message: z.string() }).nullable(),
    originalFilename: z.string(),
    sourceSize: z.number().int(),
    durationSeconds: z.number().nullable(),
    width: z.number().int().nullable(),
    height: z.number().int().nullable(),
    revision: z.number().int(),
    renditions: z.array(Rendition),
    subtitles: z.array(z.object({ language: z.string(), label: z.string() })),
    createdAt: Timestamp,
    readyAt: Timestamp.nullable(),
  })
  .meta({ id: 'Video' });
export type Video = z.infer<typeof Video>;

export const CreatedUpload = z.object({ video: Video, upload: z.union([SingleUploadTarget, MultipartUploadTarget]) });

export const PartUrlsBody = z.strictObject({
  partNumbers: z.array(z.number().int().min(1).max(10_000)).min(1).max(100),
});
export const PartUrls = z.object({
  parts: z.array(z.object({ partNumber: z.number().int(), url: z.string() })),
  expiresAt: Timestamp,
});
export const StoredParts = z.object({
  parts: z.array(z.object({ partNumber: z.number().int(), etag: z.string(), size: z.number().int() })),
});

export const VideoListQuery = PageQuery.extend({ status: VideoStatus.optional() });
export const VideoPage = pageOf(Video);

export const SubtitleBody = z.strictObject({
  language: z.string().regex(/^[a-z]{2,3}(-[A-Z]{2})?$/, 'must be a language code such as en, lg or sw'),
  label: z.string().trim().min(1).max(60),
  /** SRT or WebVTT text. */
  content: z
    .string()
    .min(1)
    .max(2 * 1024 * 1024),
});

// Playback

export const PlaybackBody = z.strictObject({
  titleId: z.uuid(),
  episodeId: z.uuid().optional(),
});

export const Playback = z
  .object({
    token: z.string(),
    masterUrl: z.string(),
    expiresAt: Timestamp,
    videoId: z.uuid(),
    durationSeconds: z.number(),
    renditions: z.array(Rendition),
    thumbnailsVttUrl: z.string().nullable(),
    posterUrl: z.string().nullable(),
    subtitles: z.array(z.object({ language: z.string(), label: z.string() })),
    resumeFromSeconds: z.number(),
    ads: z.boolean(),
    /**
     * The tallest rendition this session may fetch: the plan's maximum quality, lowered by the
     * profile's data saver. The master playlist lists nothing above it and the stream refuses it;
     * a player that wants more (the viewer raised the data saver) starts a new session.
     */
    maxHeight: z.number().int(),
  })
  .meta({ id: 'Playback' });

export const StopPlaybackBody = z.strictObject({ token: z.string().min(20).max(1000) });

export const HeartbeatBody = z.strictObject({
  token: z.string().min(20).max(1000),
  positionSeconds: z.number().min(0).max(86_400),
  durationSeconds: z.number().min(0).max(86_400),
  rendition: z.string().max(20).optional(),
  bytes: z.number().int().min(0).max(1e12).optional(),
  /** The client's clock when the position was read: late, older heartbeats never move progress back. */
  clientTime: z.iso.datetime({ offset: true }),
});
