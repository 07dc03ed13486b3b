import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createDb, type DbHandle } from './client';

/**
 * A fresh, migrated database for one test file: in-memory PGlite by default, or a new database on
 * the PostgreSQL server at `url` (TEST_DATABASE_URL) that is dropped again on close.
 */
export async function createTestDatabase(url = process.env.TEST_DATABASE_URL): Promise<DbHandle & { url?: string }> {
  if (!url) {
    const db = await createDb();
    await db.migrate();
    return db;
  }
  const name = `kf_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const dbUrl = new URL(url);
  dbUrl.pathname = `/${name}`;
  const handle = await createDb({ url: dbUrl.toString(), poolMax: 5 });
  await handle.migrate();
  return {
    ...handle,
    url: dbUrl.toString(),
    async close() {
      await handle.close();
      const cleanup = new pg.Client({ connectionString: url });
      await cleanup.connect();
      try {
        await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await cleanup.end();
      }
    },
  };
}
