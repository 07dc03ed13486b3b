import {
  categories,
  episodes,
  type Executor,
  genres,
  languages,
  people,
  playEvents,
  seasons,
  titleCategories,
  titleCredits,
  titleGenres,
  titles,
  uuidv7,
  videos,
} from '@kush/db';
import { and, asc, desc, eq, getTableColumns, ilike, inArray, lte, sql, type SQL } from 'drizzle-orm';
import { rowsOf } from './catalog.mapper';

/** Staff reads and writes of titles and their genres, credits and seasons. */

const { searchDocument: _, ...titleColumns } = getTableColumns(titles);
export type TitleRow = Omit<typeof titles.$inferSelect, 'searchDocument'>;
export type TitleValues = Partial<Omit<typeof titles.$inferInsert, 'id' | 'searchDocument' | 'createdAt'>>;
export type CreditValues = {
  personId: string;
  role: (typeof titleCredits.$inferInsert)['role'];
  character?: string | null;
};

/** With `lock`, the row stays locked until the transaction ends, so concurrent edits queue up. */
export async function findTitleById(db: Executor, id: string, options: { lock?: boolean } = {}) {
  const query = db.select(titleColumns).from(titles).where(eq(titles.id, id)).limit(1);
  const [row] = options.lock ? await query.for('update') : await query;
  return row as TitleRow | undefined;
}

export async function listTitles(
  db: Executor,
  filter: {
    q?: string;
    status?: TitleRow['status'];
    kind?: TitleRow['kind'];
    after?: { createdAt: Date; id: string };
    limit: number;
  },
): Promise<TitleRow[]> {
  const conditions: (SQL | undefined)[] = [];
  if (filter.q) conditions.push(ilike(titles.name, `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`));
  if (filter.status) conditions.push(eq(titles.status, filter.status));
  if (filter.kind) conditions.push(eq(titles.kind, filter.kind));
  if (filter.after) {
    conditions.push(
      sql`(${titles.createdAt}, ${titles.id}) < (${filter.after.createdAt.toISOString()}::timestamptz, ${filter.after.id}::uuid)`,
    );
  }
  return db
    .select(titleColumns)
    .from(titles)
    .where(and(...conditions))
    .orderBy(desc(titles.createdAt), desc(titles.id))
    .limit(filter.limit);
}

export async function insertTitle(
  db: Executor,
  values: TitleValues & Pick<typeof titles.$inferInsert, 'kind' | 'slug' | 'name'>,
) {
  const [row] = await db
    .insert(titles)
    .values({ id: uuidv7(), ...values })
    .returning(titleColumns);
  return row!;
}

export async function updateTitle(db: Executor, id: string, values: TitleValues): Promise<TitleRow | undefined> {
  const [row] = await db
    .update(titles)
    .set({ ...values, updatedAt: new Date() })
    .where(eq(titles.id, id))
    .returning(titleColumns);
  return row;
}

export async function deleteTitle(db: Executor, id: string): Promise<void> {
  await db.delete(titles).where(eq(titles.id, id));
}

/** The episodes of a series (their stills are stored apart from the title's pictures). */
export async function episodeIdsOfTitle(db: Executor, titleId: string): Promise<string[]> {
  const rows = await db.select({ id: episodes.id }).from(episodes).where(eq(episodes.titleId, titleId));
  return rows.map((r) => r.id);
}

export async function genreIdsOfTitle(db: Executor, titleId: string): Promise<string[]> {
  const rows = await db.select({ id: titleGenres.genreId }).from(titleGenres).where(eq(titleGenres.titleId, titleId));
  return rows.map((r) => r.id).sort();
}

export async function replaceTitleGenres(db: Executor, titleId: string, genreIds: string[]): Promise<void> {
  await db.delete(titleGenres).where(eq(titleGenres.titleId, titleId));
  if (genreIds.length) await db.insert(titleGenres).values(genreIds.map((genreId) => ({ titleId, genreId })));
}

export async function creditsOfTitle(db: Executor, titleId: string): Promise<CreditValues[]> {
  return db
    .select({ personId: titleCredits.personId, role: titleCredits.role, character: titleCredits.character })
    .from(titleCredits)
    .where(eq(titleCredits.titleId, titleId))
    .orderBy(asc(titleCredits.position));
}

export async function replaceTitleCredits(db: Executor, titleId: string, credits: CreditValues[]): Promise<void> {
  await db.delete(titleCredits).where(eq(titleCredits.titleId, titleId));
  if (credits.length) {
    await db.insert(titleCredits).values(
      credits.map((c, position) => ({
        titleId,
        personId: c.personId,
        role: c.role,
        character: c.character ?? null,
        position,
      })),
    );
  }
}

/**
 * Genres, categories, credits (with people) and seasons (with episodes) of one title, for staff.
 * One query after another: inside a transaction they share one connection.
 */
export async function relationsOfTitle(db: Executor, titleId: string) {
  const genreRows = await db
    .select({ id: genres.id, slug: genres.slug, name: genres.name })
    .from(titleGenres)
    .innerJoin(genres, eq(genres.id, titleGenres.genreId))
    .where(eq(titleGenres.titleId, titleId))
    .orderBy(asc(genres.name));
  const categoryRows = await db
    .select({ id: categories.id, slug: categories.slug, name: categories.name, description: categories.description })
    .from(titleCategories)
    .innerJoin(categories, eq(categories.id, titleCategories.categoryId))
    .where(eq(titleCategories.titleId, titleId))
    .orderBy(asc(categories.position));
  const creditRows = await db
    .select({
      person: { id: people.id, slug: people.slug, name: people.name, photoImage: people.photoImage },
      role: titleCredits.role,
      character: titleCredits.character,
    })
    .from(titleCredits)
    .innerJoin(people, eq(people.id, titleCredits.personId))
    .where(eq(titleCredits.titleId, titleId))
    .orderBy(asc(titleCredits.position));
  const seasonRows = await db.select().from(seasons).where(eq(seasons.titleId, titleId)).orderBy(asc(seasons.number));
  const episodeRows = await db
    .select()
    .from(episodes)
    .where(eq(episodes.titleId, titleId))
    .orderBy(asc(episodes.number));
  return {
    genres: genreRows,
    categories: categoryRows,
    credits: creditRows,
    seasons: seasonRows,
    episodes: episodeRows,
  };
}

// References a title points at: each must exist.

export async function existingLanguageCodes(db: Executor, codes: string[]): Promise<Set<string>> {
  if (codes.length === 0) return new Set();
  const rows = await db.select({ code: languages.code }).from(languages).where(inArray(languages.code, codes));
  return new Set(rows.map((r) => r.code));
}

export async function existingIds(
  db: Executor,
  table: 'genres' | 'people' | 'videos',
  ids: string[],
): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const t = { genres, people, videos }[table];
  const rows = await db.select({ id: t.id }).from(t).where(inArray(t.id, ids));
  return new Set(rows.map((r) => r.id));
}

// Publishing and popularity

/** Flips scheduled titles whose time has come to published; returns what changed. */
export async function publishDueTitles(db: Executor, now: Date) {
  return db
    .update(titles)
    .set({
      status: 'published',
      publishedAt: sql`coalesce(${titles.publishedAt}, ${titles.publishAt})`,
      updatedAt: now,
    })
    .where(and(eq(titles.status, 'scheduled'), lte(titles.publishAt, now)))
    .returning({ id: titles.id, publishAt: titles.publishAt });
}

export async function markEpisodeAnnounced(db: Executor, episodeId: string, now: Date): Promise<void> {
  await db.update(episodes).set({ announcedAt: now }).where(eq(episodes.id, episodeId));
}

/**
 * Claims the episodes whose release date has come on a live series and that nobody announced yet.
 * The update is the claim, so two schedulers never announce the same episode twice.
 */
export async function claimDueEpisodeAnnouncements(db: Executor, now: Date) {
  return db
    .update(episodes)
    .set({ announcedAt: now })
    .where(
      and(
        sql`${episodes.announcedAt} is null`,
        lte(episodes.publishAt, now),
        inArray(
          episodes.titleId,
          db
            .select({ id: titles.id })
            .from(titles)
            .where(
              sql`${titles.status} = 'published' or (${titles.status} = 'scheduled' and ${titles.publishAt} <= ${now})`,
            ),
        ),
      ),
    )
    .returning({ id: episodes.id, titleId: episodes.titleId });
}

/** Recounts plays over the last 7 days for every title whose count changed; returns how many changed. */
export async function refreshRecentPlays(db: Executor, now: Date): Promise<number> {
  const since = new Date(now.getTime() - 7 * 24 * 3600 * 1000).toISOString();
  const result = await db.execute(sql`
    with counts as (
      select ${playEvents.titleId} as title_id, count(*)::int as plays
      from ${playEvents}
      where ${playEvents.createdAt} > ${since}::timestamptz
      group by ${playEvents.titleId}
    )
    update ${titles} set recent_plays = coalesce(counts.plays, 0)
    from ${titles} as current left join counts on counts.title_id = current.id
    where ${titles.id} = current.id and ${titles.recentPlays} <> coalesce(counts.plays, 0)
    returning ${titles.id}`);
  return rowsOf(result).length;
}
