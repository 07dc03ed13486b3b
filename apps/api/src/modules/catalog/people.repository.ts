import { type Executor, people, titleCredits, uuidv7 } from '@kush/db';
import { and, desc, eq, ilike, sql, type SQL } from 'drizzle-orm';

export type PersonRow = typeof people.$inferSelect;
type PersonValues = Partial<Pick<PersonRow, 'slug' | 'name' | 'bio'>>;

export async function findPerson(db: Executor, id: string): Promise<PersonRow | undefined> {
  const [row] = await db.select().from(people).where(eq(people.id, id)).limit(1);
  return row;
}

export async function listPeople(
  db: Executor,
  filter: { q?: string; after?: { createdAt: Date; id: string }; limit: number },
): Promise<PersonRow[]> {
  const conditions: (SQL | undefined)[] = [];
  if (filter.q) conditions.push(ilike(people.name, `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`));
  if (filter.after) {
    conditions.push(
      sql`(${people.createdAt}, ${people.id}) < (${filter.after.createdAt.toISOString()}::timestamptz, ${filter.after.id}::uuid)`,
    );
  }
  return db
    .select()
    .from(people)
    .where(and(...conditions))
    .orderBy(desc(people.createdAt), desc(people.id))
    .limit(filter.limit);
}

export async function insertPerson(db: Executor, values: PersonValues & { slug: string; name: string }) {
  const [row] = await db
    .insert(people)
    .values({ id: uuidv7(), ...values })
    .returning();
  return row!;
}

export async function updatePerson(db: Executor, id: string, values: PersonValues) {
  const [row] = await db
    .update(people)
    .set({ ...values, updatedAt: new Date() })
    .where(eq(people.id, id))
    .returning();
  return row!;
}

/** Deletes the person and their credits; returns the titles they were credited on. */
export async function deletePerson(db: Executor, id: string): Promise<string[]> {
  const credited = await db
    .select({ titleId: titleCredits.titleId })
    .from(titleCredits)
    .where(eq(titleCredits.personId, id));
  await db.delete(people).where(eq(people.id, id));
  return [...new Set(credited.map((c) => c.titleId))];
}
