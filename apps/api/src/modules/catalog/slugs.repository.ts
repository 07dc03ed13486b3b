import { categories, type Executor, genres, people, titles } from '@kush/db';
import { eq, like, or } from 'drizzle-orm';

export const SLUGGED = { titles, people, genres, categories };
export type Slugged = keyof typeof SLUGGED;

/** The slugs in `table` equal to `base` or of the form `base-…`. `base` is [a-z0-9-] only. */
export async function slugsLike(db: Executor, table: Slugged, base: string): Promise<string[]> {
  const t = SLUGGED[table];
  const rows = await db
    .select({ slug: t.slug })
    .from(t)
    .where(or(eq(t.slug, base), like(t.slug, `${base}-%`)));
  return rows.map((r) => r.slug);
}
