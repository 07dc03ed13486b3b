import { AppError, type HistoryEntry } from '@kush/contracts';
import type { Database } from '@kush/db';
import type { ImagePresenter } from '../../catalog/images.presenter';
import { findOwnProfile, type ProfileRow } from '../../profiles/profile-context';
import { toViewerTitle } from '../catalog-access';
import { decodeAfter, toPage } from '../../../lib/cursor';
import * as repo from './history.repository';

/** Past this share of the video, it counts as watched and leaves continue watching. */
export const COMPLETED_AT = 0.95;

/** One playback heartbeat, as the playback module receives it. */
export interface ProgressHeartbeat {
  videoId: string;
  titleId: string;
  episodeId?: string | null;
  positionSeconds: number;
  durationSeconds: number;
  /** e.g. "480p". */
  rendition?: string | null;
  /** Bytes fetched since the previous heartbeat; added to the entry's total. */
  bytes?: number;
  /** When the client sent it, by its own clock: orders heartbeats that arrive out of order. */
  clientTime: Date | string;
}

export interface RecordedProgress {
  /** False when a newer heartbeat was already stored (this one only added its bytes). */
  applied: boolean;
  positionSeconds: number;
  durationSeconds: number;
  completed: boolean;
  clientTime: string;
}

type Row = Awaited<ReturnType<typeof repo.listHistory>>[number];

async function toEntry(row: Row, images: ImagePresenter): Promise<HistoryEntry> {
  const p = row.progress;
  const e = row.episode;
  return {
    videoId: p.videoId,
    title: await toViewerTitle(row.title, images),
    episode: e?.id ? { id: e.id, name: e.name ?? '', seasonNumber: e.seasonNumber ?? 0, number: e.number ?? 0 } : null,
    positionSeconds: p.positionSeconds,
    durationSeconds: p.durationSeconds,
    progress: p.durationSeconds > 0 ? Math.min(1, p.positionSeconds / p.durationSeconds) : 0,
    completed: p.completed,
    watchedAt: p.updatedAt.toISOString(),
  };
}

const invalid = (path: string, message: string) =>
  new AppError('VALIDATION_FAILED', `Invalid progress: ${path} ${message}`, [{ in: 'body', path, message }]);

/** Watch history, continue watching, and the progress saves they are built from. */
export class HistoryService {
  /**
   * `images` presents the titles' pictures in the lists; saving progress (all the playback module
   * does) needs only the database.
   */
  constructor(
    private readonly db: Database,
    private readonly images?: ImagePresenter,
  ) {}

  /**
   * Saves a heartbeat for a profile (the playback module calls this after its own checks). Never
   * moves progress backwards when an older heartbeat (earlier clientTime) arrives late, even with
   * many saves in flight at once on several API instances.
   */
  async recordProgress(profile: Pick<ProfileRow, 'id'>, heartbeat: ProgressHeartbeat): Promise<RecordedProgress> {
    const clientTime = heartbeat.clientTime instanceof Date ? heartbeat.clientTime : new Date(heartbeat.clientTime);
    const { durationSeconds } = heartbeat;
    if (Number.isNaN(clientTime.getTime())) throw invalid('clientTime', 'is not a date');
    if (!Number.isFinite(durationSeconds) || durationSeconds <= 0) throw invalid('durationSeconds', 'must be > 0');
    if (!Number.isFinite(heartbeat.positionSeconds) || heartbeat.positionSeconds < 0)
      throw invalid('positionSeconds', 'must be ≥ 0');
    const bytes = heartbeat.bytes ?? 0;
    if (!Number.isSafeInteger(bytes) || bytes < 0) throw invalid('bytes', 'must be a whole number ≥ 0');
    const positionSeconds = Math.min(heartbeat.positionSeconds, durationSeconds);
    const row = await repo.upsertProgress(this.db, {
      profileId: profile.id,
      videoId: heartbeat.videoId,
      titleId: heartbeat.titleId,
      episodeId: heartbeat.episodeId ?? null,
      positionSeconds,
      durationSeconds,
      rendition: heartbeat.rendition?.slice(0, 32) ?? null,
      bytes,
      completed: positionSeconds >= COMPLETED_AT * durationSeconds,
      clientTime,
    });
    return {
      // Positions are stored as single-precision floats, and the drivers read them back as the
      // shortest decimal (2.1, not 2.0999999046…): compare both at single precision.
      applied:
        row.clientTime.getTime() === clientTime.getTime() &&
        Math.fround(row.positionSeconds) === Math.fround(positionSeconds),
      positionSeconds: row.positionSeconds,
      durationSeconds: row.durationSeconds,
      completed: row.completed,
      clientTime: row.clientTime.toISOString(),
    };
  }

  async list(userId: string, profileId: string, query: { cursor?: string; limit: number }) {
    const profile = await findOwnProfile(this.db, userId, profileId);
    const rows = await repo.listHistory(this.db, profile, { after: decodeAfter(query.cursor), limit: query.limit + 1 });
    const page = toPage(
      rows,
      query.limit,
      (r) => r,
      (r) => ({ createdAt: r.progress.updatedAt, id: r.progress.videoId }),
    );
    return { items: await this.entries(page.items), nextCursor: page.nextCursor };
  }

  async continueWatching(userId: string, profileId: string, limit: number) {
    const profile = await findOwnProfile(this.db, userId, profileId);
    return { items: await this.entries(await repo.listContinueWatching(this.db, profile, limit)) };
  }

  /** Removes one entry from history (and continue watching) until that video is played again. */
  async hide(userId: string, profileId: string, videoId: string): Promise<void> {
    const profile = await findOwnProfile(this.db, userId, profileId);
    if (!(await repo.hideEntry(this.db, profile.id, videoId))) {
      throw new AppError('NOT_FOUND', 'No such history entry.');
    }
  }

  async hideAll(userId: string, profileId: string) {
    const profile = await findOwnProfile(this.db, userId, profileId);
    return { hidden: await repo.hideAll(this.db, profile.id) };
  }

  private entries(rows: Row[]): Promise<HistoryEntry[]> {
    const images = this.images;
    if (!images) throw new Error('HistoryService needs an ImagePresenter to list entries');
    return Promise.all(rows.map((row) => toEntry(row, images)));
  }
}
