import type { MaturityRating } from '@kush/contracts';
import { type Database, type Executor, people, searchWords, titleCredits, titles, type Transaction } from '@kush/db';
import { and, asc, desc, inArray, sql } from 'drizzle-orm';
import { titleFilterConditions, type TitleFilter } from './browse.repository';
import { cardColumns, rowsOf } from './catalog.mapper';
import { titleVisible } from './visibility';

/**
 * How close a misspelt word must be to a word of a name (pg_trgm word similarity, 0–1).
 * 0.45 lets "yelow jumpr" find "The Girl in the Yellow Jumper" and "kampla" find "Kampala Nights"
 * while keeping unrelated names out; pg_trgm's default of 0.6 misses both.
 */
const WORD_SIMILARITY = '0.45';
/**
 * How close a query word must be to a word of the catalog (pg_trgm similarity of the whole words)
 * to be read as a misspelling of it: one letter missing from a six-letter word ("mulgo" → "mulago")
 * scores 0.44, "hospitl" → "hospital" 0.55; unrelated words stay well below.
 */
const SPELLING_SIMILARITY = '0.4';
/** Catalog words tried per query word, the closest first. */
const CORRECTIONS_PER_WORD = 3;

export interface SearchTerms {
  /** The query as typed; folded (case, accents) in SQL by kf_search_text(). */
  text: string;
  /** Every word must appear, the last as a prefix: a to_tsquery() expression of letters and digits only. */
  prefixQuery: string;
  /** The folded words, in order (letters and digits only). */
  words: string[];
  /**
   * The same query with each word also allowed as its closest catalog words (spelling correction),
   * e.g. "hospitl" → `(hospitl | hospital)`; absent when no word needed correcting.
   */
  correctedQuery?: string;
}

/** People considered when a query names someone: the closest matches only. */
const PEOPLE_CONSIDERED = 20;

/**
 * Runs `work` in a transaction whose trigram similarity threshold is ours (SET LOCAL: pooled
 * connections are left as they were). The search queries below expect to run inside it.
 */
export async function inSearchTransaction<T>(db: Database, work: (tx: Transaction) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select set_config('pg_trgm.word_similarity_threshold', ${WORD_SIMILARITY}, true),
      set_config('pg_trgm.similarity_threshold', ${SPELLING_SIMILARITY}, true)`);
    return work(tx);
  });
}

/**
 * For each query word that is not itself a word of the catalog, the closest catalog words (the
 * search_words lexicon of every title's name and synopsis): one lookup per word on the lexicon's
 * GIN trigram index, whose size grows with the vocabulary, not the number of titles. Drafts' words
 * are in the lexicon too; that only widens the query, whose results are still filtered by visibility.
 */
export async function correctWords(tx: Transaction, words: string[]): Promise<Map<string, string[]>> {
  const candidates = [...new Set(words.filter((word) => word.length >= 3))];
  if (candidates.length === 0) return new Map();
  const list = sql.join(
    candidates.map((word) => sql`${word}`),
    sql`, `,
  );
  const result = await tx.execute(sql`
    select q.word as word, c.word as correction
    from unnest(array[${list}]::text[]) as q(word)
    cross join lateral (
      select ${searchWords.word} as word
      from ${searchWords}
      where ${searchWords.word} % q.word
      order by similarity(${searchWords.word}, q.word) desc, ${searchWords.titles} desc, ${searchWords.word}
      limit ${CORRECTIONS_PER_WORD}
    ) c
    where not exists (select 1 from ${searchWords} exact where exact.word = q.word)`);
  const corrections = new Map<string, string[]>();
  for (const row of rowsOf<{ word: string; correction: string }>(result)) {
    corrections.set(row.word, [...(corrections.get(row.word) ?? []), row.correction]);
  }
  return corrections;
}

/**
 * Ranks visible titles for a query. Four branches, each served by its own index, add up per title:
 * full-text matches on name and synopsis (every word, the last as a prefix; GIN on the tsvector),
 * the same with misspelt words corrected to catalog words (worth half as much, so exact matches
 * stay first), trigram matches on the name that tolerate misspellings (GIN trigram), and titles
 * crediting one of the closest-named people (GIN trigram on people).
 */
export async function rankTitles(
  tx: Transaction,
  terms: SearchTerms,
  options: { now: Date; maturity: MaturityRating; filter?: TitleFilter; limit: number; offset: number },
): Promise<{ id: string; score: number }[]> {
  const folded = sql`kf_search_text(${terms.text})`;
  const query = sql`to_tsquery('simple', kf_search_text(${terms.prefixQuery}))`;
  const name = sql`kf_search_text(${titles.name})`;
  const visible = and(titleVisible(options.now, options.maturity), ...titleFilterConditions(options.filter ?? {}))!;
  const corrected = terms.correctedQuery
    ? sql`
      union all
      select ${titles.id}, ${titles.recentPlays}, ts_rank(${titles.searchDocument}, q.query)
      from ${titles}, to_tsquery('simple', ${terms.correctedQuery}) as q(query)
      where ${titles.searchDocument} @@ q.query and ${visible}`
    : sql``;
  const result = await tx.execute(sql`
    with matched_people as (
      select ${people.id} as id, word_similarity(${folded}, kf_search_text(${people.name})) as similarity
      from ${people}
      where ${folded} <% kf_search_text(${people.name})
      order by similarity desc
      limit ${PEOPLE_CONSIDERED}
    ),
    hits as (
      select ${titles.id} as id, ${titles.recentPlays} as plays, 2 * ts_rank(${titles.searchDocument}, ${query}) as score
      from ${titles}
      where ${titles.searchDocument} @@ ${query} and ${visible}
      ${corrected}
      union all
      select ${titles.id}, ${titles.recentPlays}, word_similarity(${folded}, ${name})
        + case when ${name} = ${folded} then 1 when starts_with(${name}, ${folded}) then 0.5 else 0 end
      from ${titles}
      where ${folded} <% ${name} and ${visible}
      union all
      select ${titles.id}, ${titles.recentPlays}, 0.9 * matched_people.similarity
      from matched_people
        join ${titleCredits} on ${titleCredits.personId} = matched_people.id
        join ${titles} on ${titles.id} = ${titleCredits.titleId}
      where ${visible}
    )
    select id, sum(score)::float8 as score
    from hits
    group by id
    order by score desc, max(plays) desc, id
    limit ${options.limit} offset ${options.offset}`);
  return rowsOf<{ id: string; score: number | string }>(result).map((row) => ({
    id: row.id,
    score: Number(row.score),
  }));
}

/** People whose names match and who are credited on at least one title the viewer may see. */
export async function matchingPeople(
  tx: Transaction,
  terms: SearchTerms,
  options: { now: Date; maturity: MaturityRating; limit: number },
) {
  const folded = sql`kf_search_text(${terms.text})`;
  const name = sql`kf_search_text(${people.name})`;
  const score = sql<number>`word_similarity(${folded}, ${name}) + case when starts_with(${name}, ${folded}) then 0.5 else 0 end`;
  return tx
    .select({
      id: people.id,
      slug: people.slug,
      name: people.name,
      photoImage: people.photoImage,
      score: score.mapWith(Number),
    })
    .from(people)
    .where(
      and(
        sql`${folded} <% ${name}`,
        sql`exists (select 1 from ${titleCredits} join ${titles} on ${titles.id} = ${titleCredits.titleId}
          where ${titleCredits.personId} = ${people.id} and ${titleVisible(options.now, options.maturity)})`,
      ),
    )
    .orderBy(desc(score), asc(people.name))
    .limit(options.limit);
}

export async function cardsByIds(db: Executor, ids: string[]) {
  if (ids.length === 0) return [];
  return db.select(cardColumns).from(titles).where(inArray(titles.id, ids));
}
