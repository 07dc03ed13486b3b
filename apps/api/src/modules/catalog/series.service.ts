import { AppError } from '@kush/contracts';
import { type Executor, isUniqueViolation } from '@kush/db';
import { toStaffEpisode, toStaffSeason } from './catalog.mapper';
import type { ImagesService } from './images.service';
import * as repo from './series.repository';
import type { CatalogWriter, StaffContext } from './staff-change';
import * as titlesRepo from './titles.repository';
import { isLive } from './visibility';

interface SeasonInput {
  number?: number;
  name?: string | null;
  synopsis?: string | null;
}

interface EpisodeInput {
  number?: number;
  name?: string;
  synopsis?: string;
  runtimeMinutes?: number | null;
  videoId?: string | null;
  publishAt?: string | null;
}

/**
 * Staff management of a series' seasons and episodes. Every change is audited. Episode stills are
 * set through the image flow (ImagesService) and removed with their episode.
 */
export class SeriesService {
  constructor(
    private readonly writer: CatalogWriter,
    private readonly images: ImagesService,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async getEpisode(id: string) {
    const episode = await repo.findEpisode(this.writer.reader, id);
    if (!episode) throw new AppError('NOT_FOUND', 'No such episode.');
    return toStaffEpisode(episode, this.images.presenter);
  }

  async createSeason(titleId: string, body: SeasonInput & { number: number }, staff: StaffContext) {
    return this.writer.change(staff, async (tx, audit) => {
      const title = await titlesRepo.findTitleById(tx, titleId);
      if (!title) throw new AppError('NOT_FOUND', 'No such title.');
      if (title.kind !== 'series') throw new AppError('CONFLICT', 'Only a series has seasons.');
      const season = await uniqueNumber('season', () => repo.insertSeason(tx, titleId, body));
      await audit({ action: 'season.create', entityType: 'season', entityId: season.id, after: season });
      return toStaffSeason(season, [], this.images.presenter);
    });
  }

  async updateSeason(id: string, body: SeasonInput, staff: StaffContext) {
    return this.writer.change(staff, async (tx, audit) => {
      const before = await repo.findSeason(tx, id);
      if (!before) throw new AppError('NOT_FOUND', 'No such season.');
      const season = await uniqueNumber('season', () => repo.updateSeason(tx, id, body));
      await audit({ action: 'season.update', entityType: 'season', entityId: id, before, after: season });
      return toStaffSeason(season, await repo.episodesOfSeason(tx, id), this.images.presenter);
    });
  }

  /** Deletes the season and its episodes. */
  async removeSeason(id: string, staff: StaffContext): Promise<void> {
    const episodes = await this.writer.change(staff, async (tx, audit) => {
      const before = await repo.findSeason(tx, id);
      if (!before) throw new AppError('NOT_FOUND', 'No such season.');
      const episodes = await repo.episodesOfSeason(tx, id);
      await repo.deleteSeason(tx, id);
      await audit({ action: 'season.delete', entityType: 'season', entityId: id, before: { ...before, episodes } });
      return episodes;
    });
    for (const episode of episodes) await this.images.removeAll('episodes', episode.id);
  }

  async createEpisode(seasonId: string, body: EpisodeInput & { number: number; name: string }, staff: StaffContext) {
    const now = this.now();
    const { episode, released } = await this.writer.change(staff, async (tx, audit) => {
      const season = await repo.findSeason(tx, seasonId);
      if (!season) throw new AppError('NOT_FOUND', 'No such season.');
      await checkVideo(tx, body.videoId);
      const row = await uniqueNumber('episode', () => repo.insertEpisode(tx, season, toValues(body)));
      await audit({ action: 'episode.create', entityType: 'episode', entityId: row.id, after: row });
      const title = (await titlesRepo.findTitleById(tx, season.titleId))!;
      const released = isLive(title, now) && (!row.publishAt || row.publishAt <= now);
      if (released) await titlesRepo.markEpisodeAnnounced(tx, row.id, now);
      return { episode: row, released };
    });
    // Followers hear of episodes that are watchable now; ones dated later are announced by the
    // catalog.publish-due job when their time comes.
    if (released) await this.writer.emit((events) => events.episodeReleased(episode.titleId, episode.id));
    return toStaffEpisode(episode, this.images.presenter);
  }

  async updateEpisode(id: string, body: EpisodeInput, staff: StaffContext) {
    return this.writer.change(staff, async (tx, audit) => {
      const before = await repo.findEpisode(tx, id);
      if (!before) throw new AppError('NOT_FOUND', 'No such episode.');
      await checkVideo(tx, body.videoId);
      const episode = await uniqueNumber('episode', () => repo.updateEpisode(tx, id, toValues(body)));
      await audit({ action: 'episode.update', entityType: 'episode', entityId: id, before, after: episode });
      return toStaffEpisode(episode, this.images.presenter);
    });
  }

  async removeEpisode(id: string, staff: StaffContext): Promise<void> {
    await this.writer.change(staff, async (tx, audit) => {
      const before = await repo.findEpisode(tx, id);
      if (!before) throw new AppError('NOT_FOUND', 'No such episode.');
      await repo.deleteEpisode(tx, id);
      await audit({ action: 'episode.delete', entityType: 'episode', entityId: id, before });
    });
    await this.images.removeAll('episodes', id);
  }
}

function toValues<T extends EpisodeInput>(body: T): Omit<T, 'publishAt'> & { publishAt?: Date | null } {
  const { publishAt, ...rest } = body;
  if (publishAt === undefined) return rest;
  return { ...rest, publishAt: publishAt === null ? null : new Date(publishAt) };
}

async function checkVideo(tx: Executor, videoId: string | null | undefined): Promise<void> {
  if (!videoId) return;
  if (!(await titlesRepo.existingIds(tx, 'videos', [videoId])).has(videoId)) {
    throw new AppError('VALIDATION_FAILED', 'Invalid body: videoId does not name a video', [
      { in: 'body', path: 'videoId', message: 'no such video' },
    ]);
  }
}

async function uniqueNumber<T>(what: 'season' | 'episode', write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    const constraint = what === 'season' ? 'seasons_title_number_key' : 'episodes_season_number_key';
    if (isUniqueViolation(error, constraint)) {
      throw new AppError(
        'CONFLICT',
        `That ${what} number is already used${what === 'episode' ? ' in this season' : ''}.`,
      );
    }
    throw error;
  }
}
