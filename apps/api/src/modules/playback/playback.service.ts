import { AppError, MATURITY_RATING_VALUES, type MaturityRating } from '@kush/contracts';
import { type Database, episodes, playEvents, titles, uuidv7, watchProgress } from '@kush/db';
import type { TranscodeManifest } from '@kush/media';
import { assertSafeKey, type ObjectStorage, parseRangeHeader, readObject, VIDEOS_PREFIX } from '@kush/storage';
import { and, eq } from 'drizzle-orm';
import { isLive } from '../catalog/visibility';
import { profileCeiling } from '../catalog/maturity';
import type { Principal } from '../accounts';
import { findOwnProfile } from '../profiles/profile-context';
import { HistoryService } from '../viewer/history/history.service';
import { renditionsOf } from '../videos/videos.mapper';
import { contentTypeOf, IMMUTABLE } from '../videos/renditions';
import * as videos from '../videos/videos.repository';
import { entitlementOf, mayWatch } from './entitlements.service';
import { issuePlaybackToken, type PlaybackGrant, verifyPlaybackToken } from './playback-token';
import { capMasterPlaylist, pathWithinHeight, sessionMaxHeight, withinHeight } from './quality';
import { deviceLabel, releaseStream, StreamLimiter, streamIdOf } from './streams.service';

export interface PlaybackSettings {
  secret: string;
  /** Origin clients reach the stream routes at (the web app's /api proxy). */
  publicBaseUrl: string;
  tokenTtlSeconds: number;
  /** A stream silent for longer than this stops counting towards the concurrent-stream limit. */
  streamIdleSeconds: number;
}

export const STREAM_ROUTE = '/api/v1/stream';

export type StreamAnswer =
  | { kind: 'text'; body: string; contentType: string; cacheControl: string }
  | { kind: 'object'; status: 200 | 206; headers: Record<string, string>; stream: NodeJS.ReadableStream }
  | { kind: 'redirect'; url: string };

const URI_LINE = /^(?!#)(\S+)$/gm;
const URI_ATTRIBUTE = /URI="([^"]+)"/g;

/**
 * Decides who may watch what and hands out short-lived playback tokens scoped to one video
 * revision, title and viewer. Playlists and segments are only ever reached through a token.
 */
export class PlaybackService {
  private readonly history: HistoryService;
  private readonly streams: StreamLimiter;

  constructor(
    private readonly db: Database,
    private readonly storage: ObjectStorage,
    private readonly settings: PlaybackSettings,
  ) {
    this.history = new HistoryService(db);
    this.streams = new StreamLimiter(db, settings.streamIdleSeconds);
  }

  async start(
    principal: Principal | null,
    profileId: string | null,
    input: { titleId: string; episodeId?: string },
    now = new Date(),
    userAgent?: string,
  ) {
    const profile = profileId && principal ? await findOwnProfile(this.db, principal.userId, profileId) : null;
    if (profileId && !principal) throw new AppError('UNAUTHENTICATED', 'Sign in to watch with a profile.');
    const staff = !!principal && isStaff(principal);

    const [title] = await this.db.select().from(titles).where(eq(titles.id, input.titleId)).limit(1);
    if (!title || (!staff && !isLive(title, now))) throw new AppError('NOT_FOUND', 'No such title.');
    let videoId = title.videoId;
    if (input.episodeId) {
      const [episode] = await this.db
        .select()
        .from(episodes)
        .where(and(eq(episodes.id, input.episodeId), eq(episodes.titleId, title.id)))
        .limit(1);
      if (!episode || (!staff && episode.publishAt && episode.publishAt > now))
        throw new AppError('NOT_FOUND', 'No such episode.');
      videoId = episode.videoId;
    } else if (title.kind === 'series') {
      throw new AppError('VALIDATION_FAILED', 'Choose an episode of this series.', [
        { in: 'body', path: 'episodeId', message: 'is required for a series' },
      ]);
    }
    if (profile && !staff) {
      const ceiling = profileCeiling({
        isKids: profile.isKids,
        maturityLimit: profile.maturityLimit as MaturityRating,
      });
      if (MATURITY_RATING_VALUES.indexOf(title.maturityRating) > MATURITY_RATING_VALUES.indexOf(ceiling)) {
        throw new AppError('FORBIDDEN', 'This title is not available on this profile.');
      }
    }
    const entitlement = await entitlementOf(this.db, principal?.userId ?? null, now);
    if (!mayWatch(entitlement, title.accessTier) && !staff) {
      throw new AppError(
        principal ? 'FORBIDDEN' : 'UNAUTHENTICATED',
        'This title needs a Kush Films pass or subscription.',
        {
          reason: 'premium_required',
        },
      );
    }
    const video = videoId ? await videos.findVideo(this.db, videoId) : undefined;
    if (!video?.outputPrefix || !video.manifest) throw new AppError('CONFLICT', 'This title is not ready to play yet.');
    const manifest = video.manifest as TranscodeManifest;
    const renditions = manifest.renditions ?? [];
    const maxHeight = sessionMaxHeight({
      planMaxQuality: entitlement.maxQuality,
      dataSaver: profile?.dataSaver ?? null,
      staff,
      renditions,
    });

    const exp = Math.floor(now.getTime() / 1000) + this.settings.tokenTtlSeconds;
    const grant: PlaybackGrant = {
      videoId: video.id,
      // The published revision, which can be older than the one being transcoded.
      revision: revisionOf(video.outputPrefix),
      titleId: title.id,
      episodeId: input.episodeId ?? null,
      userId: principal?.userId ?? null,
      profileId: profile?.id ?? null,
      exp,
      maxHeight,
    };
    const token = issuePlaybackToken(grant, this.settings.secret);
    const base = `${this.settings.publicBaseUrl}${STREAM_ROUTE}/${token}/`;
    if (principal && !staff) {
      await this.streams.claim(
        { id: streamIdOf(token), userId: principal.userId, device: deviceLabel(userAgent), titleId: title.id },
        entitlement.maxStreams,
        now,
      );
    }
    await this.db.insert(playEvents).values({
      id: uuidv7(),
      titleId: title.id,
      videoId: video.id,
      userId: principal?.userId ?? null,
      profileId: profile?.id ?? null,
    });

    let resumeFromSeconds = 0;
    if (profile) {
      const [progress] = await this.db
        .select()
        .from(watchProgress)
        .where(and(eq(watchProgress.profileId, profile.id), eq(watchProgress.videoId, video.id)))
        .limit(1);
      if (progress && !progress.completed) resumeFromSeconds = progress.positionSeconds;
    }
    const subtitles = await videos.listSubtitles(this.db, video.id);
    return {
      token,
      masterUrl: `${base}${manifest.master}`,
      expiresAt: new Date(exp * 1000).toISOString(),
      videoId: video.id,
      durationSeconds: manifest.durationSeconds,
      renditions: renditionsOf({
        ...manifest,
        renditions: withinHeight(renditions, maxHeight),
      }),
      thumbnailsVttUrl: manifest.spriteVtt ? `${base}${manifest.spriteVtt}` : null,
      posterUrl: manifest.poster ? `${base}${manifest.poster.jpeg}` : null,
      subtitles: subtitles.map((s) => ({ language: s.language, label: s.label })),
      resumeFromSeconds,
      ads: entitlement.ads,
      maxHeight,
    };
  }

  /**
   * The player stopped (the viewer left the page): the stream stops counting towards the limit at
   * once instead of after the idle time, so leaving and coming back never looks like a second device.
   * Only the caller's own stream can be ended; an unknown or foreign token changes nothing.
   */
  async stop(principal: Principal, token: string): Promise<void> {
    await releaseStream(this.db, streamIdOf(token), principal.userId);
  }

  /** Saves the viewer's position. The token proves which video and title; the profile must be the account's. */
  async heartbeat(
    principal: Principal,
    profileId: string,
    beat: {
      token: string;
      positionSeconds: number;
      durationSeconds: number;
      rendition?: string;
      bytes?: number;
      clientTime: string;
    },
    userAgent?: string,
  ) {
    const grant = verifyPlaybackToken(beat.token, this.settings.secret);
    if (grant.userId !== principal.userId) throw new AppError('FORBIDDEN', 'This playback belongs to another account.');
    const profile = await findOwnProfile(this.db, principal.userId, profileId);
    if (!isStaff(principal)) {
      // A heartbeat keeps this stream counted; a stream beyond the limit is refused here too.
      const { maxStreams } = await entitlementOf(this.db, principal.userId);
      await this.streams.claim(
        {
          id: streamIdOf(beat.token),
          userId: principal.userId,
          device: deviceLabel(userAgent),
          titleId: grant.titleId,
        },
        maxStreams,
      );
    }
    return this.history.recordProgress(profile, {
      videoId: grant.videoId,
      titleId: grant.titleId,
      episodeId: grant.episodeId ?? undefined,
      positionSeconds: beat.positionSeconds,
      durationSeconds: beat.durationSeconds,
      rendition: beat.rendition,
      bytes: beat.bytes,
      clientTime: beat.clientTime,
    });
  }

  /**
   * Serves one file of the granted revision. Paths are relative to the revision and checked as
   * storage keys, so `../` can never leave it. With S3, playlists are rewritten so every segment
   * URL is a presigned GET and media bytes never pass through the API.
   *
   * The token's quality cap is enforced here from the token alone (no database): the master
   * playlist lists only the variants within it, and any file of a taller rendition is refused, so
   * neither its playlist nor a presigned URL for its segments is ever handed out.
   */
  async stream(token: string, relativePath: string, range?: string): Promise<StreamAnswer> {
    const grant = verifyPlaybackToken(token, this.settings.secret);
    const prefix = `${VIDEOS_PREFIX}${grant.videoId}/r${grant.revision}/`;
    const key = `${prefix}${relativePath}`;
    try {
      assertSafeKey(key);
    } catch {
      throw new AppError('NOT_FOUND', 'No such file.');
    }
    if (!pathWithinHeight(relativePath, grant.maxHeight)) {
      throw new AppError('FORBIDDEN', 'This quality is not included in your plan or data-saver setting.', {
        reason: 'quality_not_allowed',
        maxHeight: grant.maxHeight,
      });
    }
    if (relativePath.endsWith('.m3u8')) {
      let text = (await readObject(this.storage, key)).toString('utf8');
      // Playlists at the revision's root are masters; variant playlists sit in their rendition's folder.
      if (!relativePath.includes('/')) text = capMasterPlaylist(text, grant.maxHeight);
      const body = this.storage.driver === 's3' ? await this.presignPlaylist(text, key) : text;
      return { kind: 'text', body, contentType: contentTypeOf(key), cacheControl: 'private, max-age=60' };
    }
    if (this.storage.driver === 's3') {
      return { kind: 'redirect', url: await this.storage.presignGet(key, { expiresInSeconds: this.remaining(grant) }) };
    }
    const info = range ? await this.storage.head(key) : null;
    const object = await this.storage.getStream(key, info ? parseRangeHeader(range, info.size) : undefined);
    const headers: Record<string, string> = {
      'content-type': contentTypeOf(key),
      'content-length': String(object.contentLength),
      'accept-ranges': 'bytes',
      'cache-control': IMMUTABLE,
    };
    if (object.range) headers['content-range'] = `bytes ${object.range.start}-${object.range.end}/${object.size}`;
    return { kind: 'object', status: object.range ? 206 : 200, headers, stream: object.stream };
  }

  private remaining(grant: PlaybackGrant): number {
    return Math.max(60, grant.exp - Math.floor(Date.now() / 1000));
  }

  /** Media playlists: each segment and init URI becomes a presigned GET; nested playlists stay on the API. */
  private async presignPlaylist(text: string, key: string): Promise<string> {
    const dir = key.slice(0, key.lastIndexOf('/') + 1);
    const presign = async (uri: string) => {
      if (/^[a-z]+:/i.test(uri) || uri.endsWith('.m3u8')) return uri;
      const target = new URL(uri, `https://x/${dir}`).pathname.slice(1);
      assertSafeKey(target);
      return this.storage.presignGet(target, { expiresInSeconds: 6 * 3600 });
    };
    const uris = new Set(
      [...text.matchAll(URI_LINE)].map((m) => m[1]!).concat([...text.matchAll(URI_ATTRIBUTE)].map((m) => m[1]!)),
    );
    const signed = new Map(await Promise.all([...uris].map(async (u) => [u, await presign(u)] as const)));
    return text
      .replace(URI_LINE, (line) => signed.get(line) ?? line)
      .replace(URI_ATTRIBUTE, (_m, uri: string) => `URI="${signed.get(uri) ?? uri}"`);
  }
}

const isStaff = (principal: Principal) =>
  principal.permissions.has('catalog:manage') || principal.permissions.has('uploads:manage');

function revisionOf(outputPrefix: string): number {
  const match = /\/r(\d+)\/$/.exec(outputPrefix);
  if (!match) throw new Error(`unexpected output prefix ${outputPrefix}`);
  return Number(match[1]);
}
