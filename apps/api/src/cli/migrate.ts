import { loadConfig } from '@kush/config';
import { createDb } from '@kush/db';

/** npm run db:migrate: applies pending migrations to the configured database (PGlite or PostgreSQL). */
const config = loadConfig();
const db = await createDb({
  url: config.DATABASE_URL,
  pgliteDir: config.DATABASE_URL ? undefined : config.paths.pglite,
});
try {
  await db.migrate();
  process.stdout.write(`Migrations applied (${db.driver}).\n`);
} finally {
  await db.close();
}
