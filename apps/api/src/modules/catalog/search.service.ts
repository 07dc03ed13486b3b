import type { MaturityRating, SearchQuery } from '@kush/contracts';
import type { Database, Transaction } from '@kush/db';
import { toPersonSummary, toTitleCard } from './catalog.mapper';
import type { ImagePresenter } from './images.presenter';
import { decodePageCursor, encodePageCursor, invalidCursor } from '../../lib/cursor';
import type { TitleFilter } from './browse.repository';
import * as repo from './search.repository';

/** Deeper than this, a viewer should refine the query. */
const MAX_OFFSET = 500;
const PEOPLE_IN_RESULTS = 5;
const PEOPLE_IN_SUGGESTIONS = 3;

/**
 * The words of a query, folded like kf_search_text() folds names (case, accents), as a to_tsquery()
 * expression: every word required, the last one as a prefix ("yellow jum" → yellow & jum:*). Only
 * letters and digits reach the expression, so no query can inject tsquery syntax.
 */
export function searchTerms(q: string): repo.SearchTerms | null {
  const words = (
    q
      .normalize('NFKD')
      .replace(/\p{M}+/gu, '')
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? []
  )
    .slice(0, 8)
    .map((word) => word.slice(0, 40));
  if (words.length === 0) return null;
  return { text: q, prefixQuery: `${words.join(' & ')}:*`, words };
}

const PLAIN_WORD = /^[\p{L}\p{N}]+$/u;

/**
 * The query with misspelt words widened to their corrections, in the prefix query's shape:
 * `(hospitl | hospital) & kampala:*`. Null when nothing was corrected. Corrections come from the
 * catalog's words; only letters and digits reach the expression.
 */
export function correctedQuery(words: string[], corrections: Map<string, string[]>): string | null {
  let changed = false;
  const parts = words.map((word, i) => {
    const exact = i === words.length - 1 ? `${word}:*` : word;
    const alternatives = (corrections.get(word) ?? []).filter((c) => c !== word && PLAIN_WORD.test(c));
    if (alternatives.length === 0) return exact;
    changed = true;
    return `(${[exact, ...alternatives].join(' | ')})`;
  });
  return changed ? parts.join(' & ') : null;
}

async function withCorrections(tx: Transaction, terms: repo.SearchTerms): Promise<repo.SearchTerms> {
  const corrected = correctedQuery(terms.words, await repo.correctWords(tx, terms.words));
  return corrected ? { ...terms, correctedQuery: corrected } : terms;
}

/**
 * Search across titles, synopses and people, and suggestions for the search box. Read-only.
 * Misspelt words are first corrected to the catalog's nearest words (repo.correctWords), then
 * searched like typed ones.
 */
export class SearchService {
  constructor(
    private readonly db: Database,
    private readonly images: ImagePresenter,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async search(query: Omit<SearchQuery, 'maturity'>, maturity: MaturityRating) {
    const { q, cursor, limit, ...filters } = query;
    const filter: TitleFilter = {
      genreSlug: filters.genre,
      audio: filters.audio,
      yearFrom: filters.yearFrom,
      yearTo: filters.yearTo,
      tier: filters.tier,
      runtimeMin: filters.runtimeMin,
      runtimeMax: filters.runtimeMax,
    };
    // A cursor belongs to these words with these filters, whatever the maturity.
    const given = Object.entries(filters)
      .filter(([, value]) => value !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    const scope = JSON.stringify(['search', q.toLowerCase(), given]);
    let offset = 0;
    if (cursor) {
      const [value] = decodePageCursor(cursor, scope, 1) as [string];
      offset = Number(value);
      if (!/^\d{1,4}$/.test(value) || offset > MAX_OFFSET) throw invalidCursor();
    }
    const terms = searchTerms(q);
    if (!terms) return { items: [], people: [], nextCursor: null };
    const now = this.now();
    return repo.inSearchTransaction(this.db, async (tx) => {
      const ranked = await repo.rankTitles(tx, await withCorrections(tx, terms), {
        now,
        maturity,
        filter,
        limit: limit + 1,
        offset,
      });
      const people =
        offset === 0 ? await repo.matchingPeople(tx, terms, { now, maturity, limit: PEOPLE_IN_RESULTS }) : [];
      const page = ranked.slice(0, limit);
      const cards = new Map(
        (
          await repo.cardsByIds(
            tx,
            page.map((r) => r.id),
          )
        ).map((row) => [row.id, row]),
      );
      const next = offset + limit;
      const found = page.flatMap((r) => {
        const row = cards.get(r.id);
        return row ? [row] : [];
      });
      return {
        items: await Promise.all(found.map((row) => toTitleCard(row, this.images))),
        people: await Promise.all(people.map(({ score: _, ...person }) => toPersonSummary(person, this.images))),
        nextCursor: ranked.length > limit && next <= MAX_OFFSET ? encodePageCursor(scope, [String(next)]) : null,
      };
    });
  }

  async autocomplete(query: { q: string; limit: number }, maturity: MaturityRating) {
    const terms = searchTerms(query.q);
    if (!terms) return { suggestions: [] };
    const now = this.now();
    return repo.inSearchTransaction(this.db, async (tx) => {
      const ranked = await repo.rankTitles(tx, await withCorrections(tx, terms), {
        now,
        maturity,
        limit: query.limit,
        offset: 0,
      });
      const people = await repo.matchingPeople(tx, terms, { now, maturity, limit: PEOPLE_IN_SUGGESTIONS });
      const cards = new Map(
        (
          await repo.cardsByIds(
            tx,
            ranked.map((r) => r.id),
          )
        ).map((row) => [row.id, row]),
      );
      const suggestions = [
        ...ranked.flatMap((r) => {
          const row = cards.get(r.id);
          return row
            ? [{ kind: 'title' as const, id: row.id, slug: row.slug, name: row.name, year: row.year, score: r.score }]
            : [];
        }),
        ...people.map((p) => ({
          kind: 'person' as const,
          id: p.id,
          slug: p.slug,
          name: p.name,
          year: null,
          score: p.score,
        })),
      ];
      suggestions.sort((a, b) => b.score - a.score);
      return { suggestions: suggestions.slice(0, query.limit).map(({ score: _, ...s }) => s) };
    });
  }
}
