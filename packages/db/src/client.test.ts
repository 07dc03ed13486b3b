import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, isUniqueViolation, type DbHandle } from './client';
import { uuidv7 } from './ids';
import { users } from './schema';
import { createTestDatabase } from './testing';

const drivers = [
  ['pglite', undefined] as const,
  ...(process.env.TEST_DATABASE_URL ? [['postgres', process.env.TEST_DATABASE_URL] as const] : []),
];

describe.each(drivers)('database on %s', (_name, url) => {
  let h: DbHandle;
  beforeAll(async () => {
    h = await createTestDatabase(url ?? '');
  });
  afterAll(async () => {
    await h?.close();
  });

  const rows = async <T>(query: ReturnType<typeof sql>) =>
    ((await h.db.execute(query)) as unknown as { rows: T[] }).rows;

  it('applies every migration, including the search extensions', async () => {
    const ext = await rows<{ extname: string }>(
      sql`select extname from pg_extension where extname in ('pg_trgm','unaccent') order by 1`,
    );
    expect(ext.map((r) => r.extname)).toEqual(['pg_trgm', 'unaccent']);
    const sim = await rows<{ close: boolean }>(sql`select similarity(unaccent('Kampalá'), 'kampala') > 0.5 as close`);
    expect(sim[0]?.close).toBe(true);
  });

  it('migrating twice is a no-op', async () => {
    await h.migrate();
    const applied = await rows<{ n: number }>(sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
    expect(applied[0]?.n).toBeGreaterThanOrEqual(2);
  });

  it('inserts, reads, and reports unique violations by constraint name', async () => {
    const email = `u-${uuidv7()}@example.com`;
    const id = uuidv7();
    await h.db.insert(users).values({ id, email, passwordHash: 'x', displayName: 'A' });
    const [row] = await h.db.select().from(users).where(eq(users.id, id));
    expect(row?.roles).toEqual(['viewer']);
    expect(row?.status).toBe('active');
    const dup = h.db.insert(users).values({ id: uuidv7(), email, passwordHash: 'x', displayName: 'B' });
    const err = await dup.then(
      () => null,
      (e: unknown) => e,
    );
    expect(isUniqueViolation(err, 'users_email_key')).toBe(true);
    expect(isUniqueViolation(err, 'users_phone_key')).toBe(false);
  });

  it('rolls back a failed transaction completely', async () => {
    const id = uuidv7();
    await expect(
      h.db.transaction(async (tx) => {
        await tx.insert(users).values({ id, email: `${id}@example.com`, passwordHash: 'x', displayName: 'T' });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await h.db.select().from(users).where(eq(users.id, id))).toEqual([]);
  });

  it('reports pool figures and answers ping', async () => {
    await h.ping();
    const s = h.poolStats();
    expect(s.total).toBeGreaterThanOrEqual(0);
  });
});

describe.skipIf(!process.env.TEST_DATABASE_URL)('read replicas', () => {
  it('sends reads to a replica and writes to the primary', async () => {
    const primary = await createTestDatabase(process.env.TEST_DATABASE_URL);
    // The same database stands in for a replica: what matters is that reads go through its pool.
    const h = await createDb({ url: primary.url, replicaUrls: [primary.url!], poolMax: 2 });
    try {
      const id = uuidv7();
      await h.db.insert(users).values({ id, email: `${id}@example.com`, passwordHash: 'x', displayName: 'R' });
      const [row] = await h.read.select().from(users).where(eq(users.id, id));
      expect(row?.id).toBe(id);
      expect(h.poolStats().total).toBeGreaterThan(0);
    } finally {
      await h.close();
      await primary.close();
    }
  });
});

describe('uuidv7', () => {
  it('is a version-7 RFC 9562 UUID and sorts by creation order', () => {
    const ids = Array.from({ length: 2000 }, () => uuidv7());
    for (const id of ids.slice(0, 20))
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
