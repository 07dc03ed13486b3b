import {
  AppError,
  DEFAULT_DOWNLOAD_HEIGHT,
  DOWNLOAD_LICENCE_DAYS,
  type Download,
  type DownloadBody,
  type DownloadSummary,
  MATURITY_RATING_VALUES,
  MAX_ACTIVE_DOWNLOADS,
  type MaturityRating,
} from '@kush/contracts';
import { type Database, uuidv7 } from '@kush/db';
import type { TranscodeManifest } from '@kush/media';
import { assertSafeKey, type ObjectStorage, readObject, VIDEOS_PREFIX } from '@kush/storage';
import type { Principal } from '../accounts';
import { profileCeiling } from '../catalog/maturity';
import { isLive } from '../catalog/visibility';
import { entitlementOf, mayWatch } from '../playback/entitlements.service';
import { issuePlaybackToken, type PlaybackGrant, verifyPlaybackToken } from '../playback/playback-token';
import { STREAM_ROUTE } from '../playback/playback.service';
import { nominalHeightOf, pathWithinHeight, sessionMaxHeight } from '../playback/quality';
import { findOwnProfile } from '../profiles/profile-context';
import * as repo from './downloads.repository';

export interface DownloadSettings {
  secret: string;
  /** Origin clients reach the API at (the web app's /api proxy); every file URL starts with it. */
  publicBaseUrl: string;
  /** How long the file URLs stay valid: long enough to finish the download, not the licence. */
  tokenTtlSeconds: number;
}

/** Offline playlists are served here; segments, init and subtitles come from the stream route. */
export const OFFLINE_ROUTE = '/api/v1/downloads/files';

const DAY_MS = 86_400_000;
const URI_ATTRIBUTE = /URI="([^"]*)"/;

/**
 * Offline downloads: who may save which title, in which one rendition, and until when. The files
 * are the stream's own, reached with a playback token scoped to that rendition, so they work on
 * local storage and on S3 (presigned) exactly as streaming does; only the playlists are rewritten,
 * so that the master lists the one downloaded variant and every URL in them is absolute and stable
 * (the keys the browser's offline cache answers from).
 */
export class DownloadsService {
  constructor(
    private readonly db: Database,
    private readonly storage: ObjectStorage,
    private readonly settings: DownloadSettings,
  ) {}

  async create(principal: Principal, profileId: string, input: DownloadBody, now = new Date()): Promise<Download> {
    const profile = await findOwnProfile(this.db, principal.userId, profileId);
    const title = await repo.findTitle(this.db, input.titleId);
    const ceiling = profileCeiling({ isKids: profile.isKids, maturityLimit: profile.maturityLimit as MaturityRating });
    // Above the profile's ceiling is reported like a missing title: this profile cannot see it at all.
    if (
      !title ||
      !isLive(title, now) ||
      MATURITY_RATING_VALUES.indexOf(title.maturityRating) > MATURITY_RATING_VALUES.indexOf(ceiling)
    ) {
      throw new AppError('NOT_FOUND', 'No such title.');
    }
    let videoId = title.videoId;
    let episode: Awaited<ReturnType<typeof repo.findEpisode>> | null = null;
    if (input.episodeId) {
      episode = await repo.findEpisode(this.db, title.id, input.episodeId);
      if (!episode || (episode.publishAt && episode.publishAt > now))
        throw new AppError('NOT_FOUND', 'No such episode.');
      videoId = episode.videoId;
    } else if (title.kind === 'series') {
      throw new AppError('VALIDATION_FAILED', 'Choose an episode of this series.', [
        { in: 'body', path: 'episodeId', message: 'is required for a series' },
      ]);
    }

    const entitlement = await entitlementOf(this.db, principal.userId, now);
    if (!entitlement.downloads) {
      throw new AppError('DOWNLOADS_NOT_INCLUDED', 'Downloads come with Premium: choose a plan that includes them.');
    }
    if (!mayWatch(entitlement, title.accessTier)) {
      throw new AppError('FORBIDDEN', 'This title needs a Kush Films pass or subscription.', {
        reason: 'premium_required',
      });
    }
    const video = videoId ? await repo.findVideo(this.db, videoId) : undefined;
    if (!video?.outputPrefix || !video.manifest) throw new AppError('CONFLICT', 'This title is not ready to play yet.');
    const manifest = video.manifest as TranscodeManifest;
    const rendition = chooseRendition(manifest.renditions ?? [], {
      planMaxQuality: entitlement.maxQuality,
      dataSaver: profile.dataSaver,
      requested: input.quality,
    });
    if (!rendition) throw new AppError('CONFLICT', 'This title is not ready to play yet.');

    const item = { profileId: profile.id, titleId: title.id, episodeId: episode?.id ?? null };
    const height = nominalHeightOf(rendition);
    const exp = Math.floor(now.getTime() / 1000) + this.settings.tokenTtlSeconds;
    const grant: PlaybackGrant = {
      videoId: video.id,
      revision: revisionOf(video.outputPrefix),
      titleId: title.id,
      episodeId: episode?.id ?? null,
      userId: principal.userId,
      profileId: profile.id,
      exp,
      maxHeight: height,
    };
    const token = issuePlaybackToken(grant, this.settings.secret);
    const files = await this.filesOf(grant, token, manifest.master, rendition.name);

    const licenceEnd = now.getTime() + DOWNLOAD_LICENCE_DAYS * DAY_MS;
    const expiresAt = new Date(Math.min(licenceEnd, entitlement.accessUntil?.getTime() ?? licenceEnd));
    // Counted and saved under the account's lock, so requests sent together cannot pass the limit.
    const saved = await this.db.transaction(async (tx) => {
      await repo.lockAccountDownloads(tx, principal.userId);
      if ((await repo.countActiveOthers(tx, principal.userId, item, now)) >= MAX_ACTIVE_DOWNLOADS) {
        throw new AppError(
          'DOWNLOAD_LIMIT_REACHED',
          `You can keep ${MAX_ACTIVE_DOWNLOADS} downloads at once: remove one to download another.`,
          { limit: MAX_ACTIVE_DOWNLOADS },
        );
      }
      return repo.saveDownload(tx, {
        id: uuidv7(),
        userId: principal.userId,
        ...item,
        videoId: video.id,
        revision: grant.revision,
        height,
        bytes: files.bytes,
        createdAt: now,
        expiresAt,
      });
    });
    return {
      ...summaryOf(
        {
          download: saved,
          title,
          episodeName: episode?.name ?? null,
          episodeNumber: episode?.number ?? null,
          seasonNumber: episode?.seasonNumber ?? null,
        },
        now,
      ),
      masterUrl: files.urls[0]!,
      files: files.urls,
      filesExpireAt: new Date(exp * 1000).toISOString(),
    };
  }

  async list(principal: Principal, profileId: string, now = new Date()): Promise<{ items: DownloadSummary[] }> {
    const profile = await findOwnProfile(this.db, principal.userId, profileId);
    const rows = await repo.listForProfile(this.db, principal.userId, profile.id);
    return { items: rows.map((row) => summaryOf(row, now)) };
  }

  async remove(principal: Principal, id: string): Promise<void> {
    if (!(await repo.deleteOwn(this.db, principal.userId, id))) throw new AppError('NOT_FOUND', 'No such download.');
  }

  /**
   * One offline playlist of the token's revision. The master keeps only the downloaded variant
   * (and subtitles); every URI becomes absolute: playlists here, everything else the stream route.
   */
  async playlist(token: string, relativePath: string): Promise<string> {
    const grant = verifyPlaybackToken(token, this.settings.secret);
    if (!relativePath.endsWith('.m3u8') || !pathWithinHeight(relativePath, grant.maxHeight)) {
      throw new AppError('NOT_FOUND', 'No such file.');
    }
    return (await this.offlinePlaylist(grant, token, relativePath)).text;
  }

  private async offlinePlaylist(grant: PlaybackGrant, token: string, relativePath: string) {
    const prefix = `${VIDEOS_PREFIX}${grant.videoId}/r${grant.revision}/`;
    const key = `${prefix}${relativePath}`;
    try {
      assertSafeKey(key);
    } catch {
      throw new AppError('NOT_FOUND', 'No such file.');
    }
    const source = (await readObject(this.storage, key)).toString('utf8');
    const dir = relativePath.slice(0, relativePath.lastIndexOf('/') + 1);
    const refs: string[] = [];
    const absolute = (uri: string) => {
      if (/^[a-z]+:/i.test(uri)) return uri;
      const path = new URL(uri, `https://x/${dir}`).pathname.slice(1);
      refs.push(path);
      return path.endsWith('.m3u8')
        ? `${this.settings.publicBaseUrl}${OFFLINE_ROUTE}/${token}/${path}`
        : `${this.settings.publicBaseUrl}${STREAM_ROUTE}/${token}/${path}`;
    };
    const isMaster = !relativePath.includes('/');
    const kept: string[] = [];
    for (const line of source.split(/\r?\n/)) {
      const trimmed = line.trim();
      if (trimmed && !trimmed.startsWith('#')) {
        const path = new URL(trimmed, `https://x/${dir}`).pathname.slice(1);
        // A master keeps the one downloaded variant: the token's height exactly.
        if (isMaster && !isVariantOf(path, grant.maxHeight)) {
          if (kept.at(-1)?.startsWith('#EXT-X-STREAM-INF:')) kept.pop();
          continue;
        }
        kept.push(absolute(trimmed));
        continue;
      }
      if (trimmed.startsWith('#EXT-X-I-FRAME-STREAM-INF:')) continue;
      const uri = URI_ATTRIBUTE.exec(trimmed)?.[1];
      if (uri === undefined) {
        kept.push(trimmed);
        continue;
      }
      const path = new URL(uri, `https://x/${dir}`).pathname.slice(1);
      if (isMaster && !pathWithinHeight(path, grant.maxHeight)) continue;
      kept.push(trimmed.replace(URI_ATTRIBUTE, () => `URI="${absolute(uri)}"`));
    }
    return { text: kept.join('\n'), refs };
  }

  /** Every URL the offline copy needs, master first, and their bytes (the rewritten playlists' included). */
  private async filesOf(grant: PlaybackGrant, token: string, master: string, renditionName: string) {
    const prefix = `${VIDEOS_PREFIX}${grant.videoId}/r${grant.revision}/`;
    const urls: string[] = [];
    const seen = new Set<string>();
    let bytes = 0;
    const queue = [master];
    const media: string[] = [];
    while (queue.length) {
      const path = queue.shift()!;
      if (seen.has(path)) continue;
      seen.add(path);
      if (path.endsWith('.m3u8')) {
        const playlist = await this.offlinePlaylist(grant, token, path);
        urls.push(`${this.settings.publicBaseUrl}${OFFLINE_ROUTE}/${token}/${path}`);
        bytes += Buffer.byteLength(playlist.text);
        queue.push(...playlist.refs);
      } else {
        media.push(path);
      }
    }
    if (!urls.some((u) => u.includes(`/${renditionName}/`)))
      throw new AppError('CONFLICT', 'This title is not ready to play yet.');
    const sizes = await Promise.all(
      media.map(async (path) => {
        const info = await this.storage.head(`${prefix}${path}`);
        if (!info) throw new AppError('CONFLICT', 'This title is not ready to play yet.');
        return info.size;
      }),
    );
    for (const [i, path] of media.entries()) {
      urls.push(`${this.settings.publicBaseUrl}${STREAM_ROUTE}/${token}/${path}`);
      bytes += sizes[i]!;
    }
    return { urls, bytes };
  }
}

/**
 * The one rendition to download: the tallest at or under the requested height (by default the
 * plan's cap or 480p, whichever is lower), never above the plan's cap lowered by the profile's
 * data saver (the same rule as streaming). With nothing under it, the lowest rendition.
 */
export function chooseRendition<R extends { name: string; nominalHeight?: number; height: number }>(
  renditions: readonly R[],
  input: { planMaxQuality: number; dataSaver: Parameters<typeof sessionMaxHeight>[0]['dataSaver']; requested?: number },
): R | undefined {
  const cap = sessionMaxHeight({
    planMaxQuality: input.planMaxQuality,
    dataSaver: input.dataSaver,
    staff: false,
    renditions,
  });
  const wanted = Math.min(cap, input.requested ?? Math.min(input.planMaxQuality, DEFAULT_DOWNLOAD_HEIGHT));
  const byHeight = [...renditions].sort((a, b) => nominalHeightOf(a) - nominalHeightOf(b));
  return byHeight.filter((r) => nominalHeightOf(r) <= wanted).at(-1) ?? byHeight[0];
}

function isVariantOf(path: string, height: number): boolean {
  const slash = path.indexOf('/');
  return slash > 0 && pathWithinHeight(path, height) && !pathWithinHeight(path, height - 1);
}

function summaryOf(row: repo.DownloadListRow, now: Date): DownloadSummary {
  const { download, title } = row;
  return {
    id: download.id,
    profileId: download.profileId,
    title: {
      id: title.id,
      kind: title.kind,
      slug: title.slug,
      name: title.name,
      year: title.year,
      runtimeMinutes: title.runtimeMinutes,
      maturityRating: title.maturityRating,
      episode:
        download.episodeId && row.episodeName !== null
          ? {
              id: download.episodeId,
              name: row.episodeName,
              number: row.episodeNumber ?? 0,
              seasonNumber: row.seasonNumber ?? 0,
            }
          : null,
    },
    height: download.height,
    bytes: download.bytes,
    createdAt: download.createdAt.toISOString(),
    expiresAt: download.expiresAt.toISOString(),
    expired: download.expiresAt <= now,
  };
}

function revisionOf(outputPrefix: string): number {
  const match = /\/r(\d+)\/$/.exec(outputPrefix);
  if (!match) throw new Error(`unexpected output prefix ${outputPrefix}`);
  return Number(match[1]);
}
