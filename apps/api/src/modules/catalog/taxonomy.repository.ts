import { categories, type Executor, genres, languages, titleCategories, titles, uuidv7 } from '@kush/db';
import { asc, eq, inArray, sql } from 'drizzle-orm';

/** Genres, categories (the ordered rows of the home page) and languages. */

export type GenreRow = typeof genres.$inferSelect;
export type CategoryRow = typeof categories.$inferSelect;
export type LanguageRow = typeof languages.$inferSelect;

// Genres

export async function findGenre(db: Executor, id: string): Promise<GenreRow | undefined> {
  const [row] = await db.select().from(genres).where(eq(genres.id, id)).limit(1);
  return row;
}

export async function insertGenre(db: Executor, values: { slug: string; name: string }) {
  const [row] = await db
    .insert(genres)
    .values({ id: uuidv7(), ...values })
    .returning();
  return row!;
}

export async function updateGenre(db: Executor, id: string, values: { slug?: string; name?: string }) {
  if (values.slug === undefined && values.name === undefined) return (await findGenre(db, id))!;
  const [row] = await db.update(genres).set(values).where(eq(genres.id, id)).returning();
  return row!;
}

export async function deleteGenre(db: Executor, id: string): Promise<void> {
  await db.delete(genres).where(eq(genres.id, id));
}

// Categories

export async function listCategories(db: Executor, options: { lock?: boolean } = {}): Promise<CategoryRow[]> {
  const query = db.select().from(categories).orderBy(asc(categories.position), asc(categories.id));
  return options.lock ? query.for('update') : query;
}

export async function titleIdsByCategory(db: Executor, categoryIds?: string[]): Promise<Map<string, string[]>> {
  const rows = await db
    .select({ categoryId: titleCategories.categoryId, titleId: titleCategories.titleId })
    .from(titleCategories)
    .where(categoryIds ? inArray(titleCategories.categoryId, categoryIds) : undefined)
    .orderBy(asc(titleCategories.position));
  const map = new Map<string, string[]>();
  for (const row of rows) map.set(row.categoryId, [...(map.get(row.categoryId) ?? []), row.titleId]);
  return map;
}

export async function findCategory(db: Executor, id: string): Promise<CategoryRow | undefined> {
  const [row] = await db.select().from(categories).where(eq(categories.id, id)).limit(1);
  return row;
}

/** Appends the category at the end of the home page. */
export async function insertCategory(
  db: Executor,
  values: { slug: string; name: string; description?: string | null },
) {
  const [row] = await db
    .insert(categories)
    .values({
      id: uuidv7(),
      ...values,
      position: sql`(select coalesce(max(${categories.position}), -1) + 1 from ${categories})`,
    })
    .returning();
  return row!;
}

export async function updateCategory(
  db: Executor,
  id: string,
  values: { slug?: string; name?: string; description?: string | null; position?: number },
) {
  const [row] = await db
    .update(categories)
    .set({ ...values, updatedAt: new Date() })
    .where(eq(categories.id, id))
    .returning();
  return row!;
}

export async function deleteCategory(db: Executor, id: string): Promise<void> {
  await db.delete(categories).where(eq(categories.id, id));
}

export async function replaceCategoryTitles(db: Executor, categoryId: string, titleIds: string[]): Promise<void> {
  await db.delete(titleCategories).where(eq(titleCategories.categoryId, categoryId));
  if (titleIds.length) {
    await db.insert(titleCategories).values(titleIds.map((titleId, position) => ({ titleId, categoryId, position })));
  }
}

export async function existingTitleIds(db: Executor, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db.select({ id: titles.id }).from(titles).where(inArray(titles.id, ids));
  return new Set(rows.map((r) => r.id));
}

// Languages

export async function findLanguage(db: Executor, code: string): Promise<LanguageRow | undefined> {
  const [row] = await db.select().from(languages).where(eq(languages.code, code)).limit(1);
  return row;
}

/** Inserts the language unless its code exists; returns it when inserted. */
export async function insertLanguage(db: Executor, values: { code: string; name: string; nativeName: string }) {
  const [row] = await db.insert(languages).values(values).onConflictDoNothing().returning();
  return row;
}

export async function updateLanguage(db: Executor, code: string, values: { name?: string; nativeName?: string }) {
  const [row] = await db.update(languages).set(values).where(eq(languages.code, code)).returning();
  return row!;
}
