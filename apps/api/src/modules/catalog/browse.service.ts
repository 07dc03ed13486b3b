import {
  AppError,
  type BrowseQuery,
  type CatalogHome,
  HOME_ROW_CARDS,
  type MaturityRating,
  type TitleDetail,
} from '@kush/contracts';
import type { Database } from '@kush/db';
import * as repo from './browse.repository';
import { type CardRow, toPersonSummary, toTitleCard } from './catalog.mapper';
import type { ImagePresenter } from './images.presenter';
import { decodePageCursor, encodePageCursor, invalidCursor } from '../../lib/cursor';

const HOME_FEATURED = 5;
/** Trending and new releases: as long as a category row. */
const HOME_LIST_LENGTH = HOME_ROW_CARDS;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Listing = { kind: 'category'; id: string } | { kind: 'genre'; id: string };

/** What viewers browse: home, category and genre pages, title and person pages. Read-only. */
export class BrowseService {
  constructor(
    private readonly db: Database,
    private readonly images: ImagePresenter,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private card = (row: CardRow) => toTitleCard(row, this.images);

  /**
   * `rowCards`: cards per category row (HOME_ROW_CARDS when absent). With 0 the rows are still
   * listed, each one that has a title, without their cards: most of the answer's bytes are the
   * rows' cards, which a first screen that draws only their frames would fetch and drop.
   */
  async home(
    maturity: MaturityRating,
    { rowCards = HOME_ROW_CARDS }: { rowCards?: number } = {},
  ): Promise<CatalogHome> {
    const now = this.now();
    const [featured, categories, rowTitles, trending, fresh] = await Promise.all([
      repo.featuredTitles(this.db, now, maturity, HOME_FEATURED),
      repo.listCategories(this.db),
      repo.categoryRows(this.db, now, maturity, HOME_ROW_CARDS),
      repo.trendingTitles(this.db, now, maturity, HOME_LIST_LENGTH),
      repo.newReleases(this.db, now, maturity, HOME_LIST_LENGTH),
    ]);
    const byCategory = new Map<string, typeof rowTitles>();
    for (const row of rowTitles) {
      const list = byCategory.get(row.categoryId);
      if (list) list.push(row);
      else byCategory.set(row.categoryId, [row]);
    }
    return {
      featured: await Promise.all(featured.map(async (row) => ({ ...(await this.card(row)), synopsis: row.synopsis }))),
      // Empty rows are left out: a kids profile sees only the rows that have something for it.
      rows: await Promise.all(
        categories.flatMap((category) => {
          const list = byCategory.get(category.id);
          if (!list) return [];
          return [Promise.all(list.slice(0, rowCards).map(this.card)).then((titles) => ({ category, titles }))];
        }),
      ),
      trending: await Promise.all(trending.map(this.card)),
      newReleases: await Promise.all(fresh.map(this.card)),
    };
  }

  categories() {
    return repo.listCategories(this.db).then((items) => ({ items }));
  }

  genres() {
    return repo.listGenres(this.db).then((items) => ({ items }));
  }

  languages() {
    return repo.listLanguages(this.db).then((items) => ({ items }));
  }

  async categoryPage(slug: string, query: BrowseQuery, maturity: MaturityRating) {
    const category = await repo.findCategoryBySlug(this.db, slug);
    if (!category) throw new AppError('NOT_FOUND', 'No such category.');
    return { category, ...(await this.page({ kind: 'category', id: category.id }, query, maturity)) };
  }

  async genrePage(slug: string, query: BrowseQuery, maturity: MaturityRating) {
    const genre = await repo.findGenreBySlug(this.db, slug);
    if (!genre) throw new AppError('NOT_FOUND', 'No such genre.');
    return { genre, ...(await this.page({ kind: 'genre', id: genre.id }, query, maturity)) };
  }

  async title(slug: string, maturity: MaturityRating): Promise<TitleDetail> {
    const now = this.now();
    // Drafts, titles not yet live and titles above the viewer's limit do not exist for this viewer.
    const row = await repo.findVisibleTitleBySlug(this.db, slug, now, maturity);
    if (!row) throw new AppError('NOT_FOUND', 'No such title.');
    const [genres, credits, seasons, episodes] = await Promise.all([
      repo.genresOfTitle(this.db, row.id),
      repo.creditsOfTitle(this.db, row.id),
      row.kind === 'series' ? repo.seasonsOfTitle(this.db, row.id) : [],
      row.kind === 'series' ? repo.releasedEpisodesOfTitle(this.db, row.id, now) : [],
    ]);
    return {
      ...(await this.card(row)),
      synopsis: row.synopsis,
      originalLanguage: row.originalLanguage,
      subtitleLanguages: row.subtitleLanguages,
      country: row.country,
      tags: row.tags,
      videoId: row.videoId,
      trailerVideoId: row.trailerVideoId,
      publishedAt: row.releasedAt.toISOString(),
      genres,
      credits: await Promise.all(
        credits.map(async (credit) => ({ ...credit, person: await toPersonSummary(credit.person, this.images) })),
      ),
      seasons: await Promise.all(
        seasons.map(async (season) => ({
          ...season,
          episodes: await Promise.all(
            episodes
              .filter((e) => e.seasonId === season.id)
              .map(async ({ seasonId: _, stillImage, ...episode }) => ({
                ...episode,
                still: await this.images.public(stillImage),
              })),
          ),
        })),
      ),
    };
  }

  /** A person and the visible titles they are credited on; 404 when they have none. */
  async person(slug: string, maturity: MaturityRating) {
    const person = await repo.findPersonBySlug(this.db, slug);
    const credits = person ? await repo.visibleCreditsOfPerson(this.db, person.id, this.now(), maturity) : [];
    if (!person || credits.length === 0) throw new AppError('NOT_FOUND', 'No such person.');
    return {
      ...(await toPersonSummary(person, this.images)),
      credits: await Promise.all(
        credits.map(async (row) => ({ title: await this.card(row), role: row.role, character: row.character })),
      ),
    };
  }

  private async page(listing: Listing, query: BrowseQuery, maturity: MaturityRating) {
    const { cursor, limit, sort, maturity: _, ...filters } = query;
    // The cursor belongs to this listing with these filters and this sort, whatever the maturity.
    const given = Object.entries(filters).filter(([, value]) => value !== undefined);
    const scope = JSON.stringify([listing.kind, listing.id, sort, given.sort()]);
    let after: { key: string; id: string } | undefined;
    if (cursor) {
      const [key, id] = decodePageCursor(cursor, scope, 2) as [string, string];
      if (!UUID.test(id) || !repo.SORTS[sort].valid(key)) throw invalidCursor();
      after = { key, id };
    }
    const rows = await repo.listTitles(this.db, {
      now: this.now(),
      maturity,
      filter: {
        ...(listing.kind === 'category' ? { categoryId: listing.id } : { genreId: listing.id }),
        genreSlug: filters.genre,
        audio: filters.audio,
        yearFrom: filters.yearFrom,
        yearTo: filters.yearTo,
        tier: filters.tier,
        runtimeMin: filters.runtimeMin,
        runtimeMax: filters.runtimeMax,
      },
      sort,
      after,
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      items: await Promise.all(page.map(this.card)),
      nextCursor: rows.length > limit && last ? encodePageCursor(scope, [last.sortKey, last.id]) : null,
    };
  }
}
