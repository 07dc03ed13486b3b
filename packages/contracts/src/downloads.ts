import { z } from 'zod';
import { TitleKind } from './catalog';
import { MaturityRating } from './viewer';
import { Timestamp } from './common';

/** Active downloads an account may keep at once, across its profiles. */
export const MAX_ACTIVE_DOWNLOADS = 25;
/** How long a download licence lasts, at most: never past the end of the access that allowed it. */
export const DOWNLOAD_LICENCE_DAYS = 30;
/** The rendition height a download gets when none is asked for (small files for phones), unless the plan caps lower. */
export const DEFAULT_DOWNLOAD_HEIGHT = 480;

export const DownloadBody = z.strictObject({
  titleId: z.uuid(),
  episodeId: z.uuid().optional(),
  /** The wanted rendition height; lowered to what the plan and the profile's data saver allow. */
  quality: z.number().int().min(144).max(2160).optional(),
});
export type DownloadBody = z.infer<typeof DownloadBody>;

export const DownloadParams = z.strictObject({ id: z.uuid() });
export const ProfileDownloadsParams = z.strictObject({ profileId: z.uuid() });

/** What the downloads page shows of the title, with no network needed once saved. */
export const DownloadTitle = z
  .object({
    id: z.uuid(),
    kind: TitleKind,
    slug: z.string(),
    name: z.string(),
    year: z.number().int().nullable(),
    runtimeMinutes: z.number().int().nullable(),
    maturityRating: MaturityRating,
    episode: z
      .object({ id: z.uuid(), name: z.string(), number: z.number().int(), seasonNumber: z.number().int() })
      .nullable(),
  })
  .meta({ id: 'DownloadTitle' });

export const DownloadSummary = z
  .object({
    id: z.uuid(),
    profileId: z.uuid(),
    title: DownloadTitle,
    /** The rendition's nominal height. */
    height: z.number().int(),
    /** Every file the offline copy needs (playlists included), in bytes. */
    bytes: z.number().int(),
    createdAt: Timestamp,
    /** The offline licence ends here: 30 days at most, never after the access that allowed it. */
    expiresAt: Timestamp,
    expired: z.boolean(),
  })
  .meta({ id: 'DownloadSummary' });
export type DownloadSummary = z.infer<typeof DownloadSummary>;

export const Download = DownloadSummary.extend({
  /** The offline master playlist, listing only the downloaded rendition: what the player opens. */
  masterUrl: z.string(),
  /**
   * Every URL the player fetches to play offline, master first: master, media playlists, init
   * segment, media segments, subtitles. Signed playback URLs, valid until `filesExpireAt`.
   */
  files: z.array(z.string()),
  filesExpireAt: Timestamp,
}).meta({ id: 'Download' });
export type Download = z.infer<typeof Download>;

export const DownloadList = z.object({ items: z.array(DownloadSummary) }).meta({ id: 'DownloadList' });
export type DownloadList = z.infer<typeof DownloadList>;
