import {
  AppError,
  type CreateTitleBody,
  type StaffTitle,
  type TitleStatus,
  type UpdateTitleBody,
} from '@kush/contracts';
import type { Executor } from '@kush/db';
import { decodeAfter, toPage } from '../../lib/cursor';
import { iso, isoOrNull, ratingAverage, toStaffSeason } from './catalog.mapper';
import type { ImagePresenter } from './images.presenter';
import type { ImagesService } from './images.service';
import { claimSlug, withUniqueSlug } from './slugs';
import type { CatalogWriter, StaffContext } from './staff-change';
import * as repo from './titles.repository';
import { isLive } from './visibility';

/** Which status changes staff may make; the same status again is a no-op (scheduled: a new time). */
const TRANSITIONS: Record<TitleStatus, readonly TitleStatus[]> = {
  draft: ['scheduled', 'published', 'archived'],
  scheduled: ['draft', 'scheduled', 'published', 'archived'],
  published: ['draft', 'archived'],
  archived: ['draft', 'scheduled', 'published'],
};

/** Staff management of titles: CRUD, genres and credits, publishing. Every change is audited. */
export class TitlesService {
  constructor(
    private readonly writer: CatalogWriter,
    private readonly images: ImagesService,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private staffTitle = (db: Executor, row: repo.TitleRow) => staffTitle(db, row, this.images.presenter);

  async list(query: { q?: string; status?: TitleStatus; kind?: 'film' | 'series'; cursor?: string; limit: number }) {
    const rows = await repo.listTitles(this.writer.reader, {
      ...query,
      after: decodeAfter(query.cursor),
      limit: query.limit + 1,
    });
    return toPage(rows, query.limit, toSummary, (r) => r);
  }

  async get(id: string): Promise<StaffTitle> {
    const row = await repo.findTitleById(this.writer.reader, id);
    if (!row) throw notFound();
    return this.staffTitle(this.writer.reader, row);
  }

  async create(body: CreateTitleBody, staff: StaffContext): Promise<StaffTitle> {
    return this.writer.change(staff, async (tx, audit) => {
      const { slug, genreIds, credits, kind, name, ...fields } = body;
      await checkReferences(tx, body);
      const free = await claimSlug(tx, 'titles', slug, name);
      const row = await withUniqueSlug(SLUG_KEY, () => repo.insertTitle(tx, { kind, name, slug: free, ...fields }));
      if (genreIds) await repo.replaceTitleGenres(tx, row.id, genreIds);
      if (credits) await repo.replaceTitleCredits(tx, row.id, credits);
      const after = await snapshot(tx, row);
      await audit({ action: 'title.create', entityType: 'title', entityId: row.id, after });
      return this.staffTitle(tx, row);
    });
  }

  async update(id: string, body: UpdateTitleBody, staff: StaffContext): Promise<StaffTitle> {
    const { title, becameFree } = await this.writer.change(staff, async (tx, audit) => {
      const current = await repo.findTitleById(tx, id, { lock: true });
      if (!current) throw notFound();
      await checkReferences(tx, body);
      const before = await snapshot(tx, current);
      const { slug, genreIds, credits, ...fields } = body;
      const values: repo.TitleValues = { ...fields };
      if (slug !== undefined && slug !== current.slug) values.slug = await claimSlug(tx, 'titles', slug, current.name);
      const row = (await withUniqueSlug(SLUG_KEY, () => repo.updateTitle(tx, id, values)))!;
      if (genreIds) await repo.replaceTitleGenres(tx, id, genreIds);
      if (credits) await repo.replaceTitleCredits(tx, id, credits);
      await audit({
        action: 'title.update',
        entityType: 'title',
        entityId: id,
        before,
        after: await snapshot(tx, row),
      });
      return {
        title: await this.staffTitle(tx, row),
        becameFree: current.accessTier === 'premium' && row.accessTier === 'free' && isLive(row, this.now()),
      };
    });
    if (becameFree) await this.writer.emit((events) => events.titleBecameFree(id));
    return title;
  }

  /** Only drafts and archived titles may be deleted: a live title is archived first. */
  async remove(id: string, staff: StaffContext): Promise<void> {
    const episodeIds = await this.writer.change(staff, async (tx, audit) => {
      const current = await repo.findTitleById(tx, id, { lock: true });
      if (!current) throw notFound();
      if (current.status === 'published' || current.status === 'scheduled') {
        throw new AppError('CONFLICT', 'Archive the title (or move it back to draft) before deleting it.');
      }
      const before = await snapshot(tx, current);
      const episodeIds = await repo.episodeIdsOfTitle(tx, id);
      await repo.deleteTitle(tx, id);
      await audit({ action: 'title.delete', entityType: 'title', entityId: id, before });
      return episodeIds;
    });
    await this.images.removeAll('titles', id);
    for (const episodeId of episodeIds) await this.images.removeAll('episodes', episodeId);
  }

  async setStatus(id: string, change: { status: TitleStatus; publishAt?: string }, staff: StaffContext) {
    const now = this.now();
    return this.writer.change(staff, async (tx, audit) => {
      const current = await repo.findTitleById(tx, id, { lock: true });
      if (!current) throw notFound();
      const { status } = change;
      if (status === current.status && status !== 'scheduled') return this.staffTitle(tx, current);
      if (!TRANSITIONS[current.status].includes(status)) {
        throw new AppError('CONFLICT', `A ${current.status} title cannot become ${status}.`, {
          from: current.status,
          allowed: TRANSITIONS[current.status],
        });
      }
      const values: repo.TitleValues = { status };
      if (status === 'scheduled') {
        const publishAt = new Date(change.publishAt!);
        if (publishAt <= now) {
          throw new AppError('VALIDATION_FAILED', 'publishAt must be in the future; publish now instead.', [
            { in: 'body', path: 'publishAt', message: 'must be in the future' },
          ]);
        }
        // publishedAt is when the title goes live; listings sort on it from that moment.
        Object.assign(values, { publishAt, publishedAt: publishAt });
      } else if (status === 'published') {
        Object.assign(values, { publishAt: null, publishedAt: now });
      } else if (status === 'draft') {
        Object.assign(values, { publishAt: null, publishedAt: null });
      } else {
        values.publishAt = null;
      }
      const row = (await repo.updateTitle(tx, id, values))!;
      await audit({
        action: `title.status.${status}`,
        entityType: 'title',
        entityId: id,
        before: statusOf(current),
        after: statusOf(row),
      });
      return this.staffTitle(tx, row);
    });
  }
}

const SLUG_KEY = 'titles_slug_key';
const notFound = () => new AppError('NOT_FOUND', 'No such title.');

const statusOf = (row: repo.TitleRow) => ({
  status: row.status,
  publishAt: isoOrNull(row.publishAt),
  publishedAt: isoOrNull(row.publishedAt),
});

async function checkReferences(tx: Executor, body: Partial<CreateTitleBody>): Promise<void> {
  const problems: { in: 'body'; path: string; message: string }[] = [];
  const codes = [
    ...(body.originalLanguage ? [body.originalLanguage] : []),
    ...(body.audioLanguages ?? []),
    ...(body.subtitleLanguages ?? []),
  ];
  const known = await repo.existingLanguageCodes(tx, [...new Set(codes)]);
  for (const field of ['originalLanguage', 'audioLanguages', 'subtitleLanguages'] as const) {
    const value = body[field];
    const unknown = (Array.isArray(value) ? value : value ? [value] : []).filter((c) => !known.has(c));
    if (unknown.length) problems.push({ in: 'body', path: field, message: `unknown language: ${unknown.join(', ')}` });
  }
  const missing = async (table: 'genres' | 'people' | 'videos', path: string, ids: string[]) => {
    const found = await repo.existingIds(tx, table, ids);
    const absent = ids.filter((id) => !found.has(id));
    if (absent.length) problems.push({ in: 'body', path, message: `no such ${table}: ${absent.join(', ')}` });
  };
  await missing('genres', 'genreIds', body.genreIds ?? []);
  await missing('people', 'credits', [...new Set((body.credits ?? []).map((c) => c.personId))]);
  await missing('videos', 'videoId', body.videoId ? [body.videoId] : []);
  await missing('videos', 'trailerVideoId', body.trailerVideoId ? [body.trailerVideoId] : []);
  if (problems.length) {
    throw new AppError('VALIDATION_FAILED', `Invalid body: ${problems[0]!.path} ${problems[0]!.message}`, problems);
  }
}

/** What the audit log keeps of a title: its fields, genre ids and credits. */
async function snapshot(tx: Executor, row: repo.TitleRow) {
  const genreIds = await repo.genreIdsOfTitle(tx, row.id);
  const credits = await repo.creditsOfTitle(tx, row.id);
  return { ...row, genreIds, credits };
}

function toSummary(row: repo.TitleRow) {
  return {
    id: row.id,
    kind: row.kind,
    slug: row.slug,
    name: row.name,
    status: row.status,
    year: row.year,
    maturityRating: row.maturityRating,
    accessTier: row.accessTier,
    featured: row.featured,
    publishAt: isoOrNull(row.publishAt),
    publishedAt: isoOrNull(row.publishedAt),
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
  };
}

async function staffTitle(db: Executor, row: repo.TitleRow, images: ImagePresenter): Promise<StaffTitle> {
  const relations = await repo.relationsOfTitle(db, row.id);
  const [poster, backdrop, credits] = await Promise.all([
    images.staff(row.posterImage),
    images.staff(row.backdropImage),
    Promise.all(
      relations.credits.map(async ({ person: { photoImage, ...person }, ...credit }) => ({
        ...credit,
        person: { ...person, photo: await images.staff(photoImage) },
      })),
    ),
  ]);
  return {
    ...toSummary(row),
    synopsis: row.synopsis,
    runtimeMinutes: row.runtimeMinutes,
    originalLanguage: row.originalLanguage,
    audioLanguages: row.audioLanguages,
    subtitleLanguages: row.subtitleLanguages,
    country: row.country,
    tags: row.tags,
    poster,
    backdrop,
    videoId: row.videoId,
    trailerVideoId: row.trailerVideoId,
    ratingAverage: ratingAverage(row.ratingSum, row.ratingCount),
    ratingCount: row.ratingCount,
    recentPlays: row.recentPlays,
    genres: relations.genres,
    categories: relations.categories,
    credits,
    seasons: await Promise.all(
      relations.seasons.map((season) =>
        toStaffSeason(
          season,
          relations.episodes.filter((e) => e.seasonId === season.id),
          images,
        ),
      ),
    ),
  };
}
