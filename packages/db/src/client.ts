import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { type ExtractTablesWithRelations, sql } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import { withReplicas } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import * as schema from './schema';

export type Schema = typeof schema;
/** A database or a transaction: repositories accept either. */
export type Database = PgDatabase<PgQueryResultHKT, Schema>;
export type Transaction = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
export type Executor = Database | Transaction;

export const migrationsFolder = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../migrations');

export interface DbOptions {
  /** postgres:// URL; without it an embedded PGlite database is used. */
  url?: string;
  replicaUrls?: string[];
  /** Directory for the embedded database; omitted = in memory. */
  pgliteDir?: string;
  poolMax?: number;
}

export interface DbHandle {
  /** Writes and reads that must see the latest writes. */
  db: Database;
  /** Reads that tolerate replica lag (catalog, listings); the primary when no replica is configured. */
  read: Database;
  driver: 'pglite' | 'postgres';
  ping(): Promise<void>;
  /** Pool figures for metrics; zeros for PGlite. */
  poolStats(): { total: number; idle: number; waiting: number };
  migrate(): Promise<void>;
  close(): Promise<void>;
}

// drizzle's pg session marks pooled connections; a single advisory lock key keeps two
// API instances that start together from applying the same migration twice.
const MIGRATION_LOCK_KEY = 7_412_019_883;

export async function createDb(options: DbOptions = {}): Promise<DbHandle> {
  if (options.url) return createPostgres(options.url, options.replicaUrls ?? [], options.poolMax ?? 20);
  return createPglite(options.pgliteDir);
}

async function createPglite(dir?: string): Promise<DbHandle> {
  if (dir) fs.mkdirSync(dir, { recursive: true });
  // Options-only form: PGlite.create(undefined, options) ignores the options.
  const client = await PGlite.create({ ...(dir ? { dataDir: dir } : {}), extensions: { pg_trgm, unaccent } });
  const db = drizzlePglite(client, { schema }) as unknown as Database;
  return {
    db,
    read: db,
    driver: 'pglite',
    async ping() {
      await client.query('select 1');
    },
    poolStats: () => ({ total: 0, idle: 0, waiting: 0 }),
    async migrate() {
      await migratePglite(db as never, { migrationsFolder });
    },
    async close() {
      if (!client.closed) await client.close();
    },
  };
}

async function createPostgres(url: string, replicaUrls: string[], poolMax: number): Promise<DbHandle> {
  const pool = new pg.Pool({ connectionString: url, max: poolMax, idleTimeoutMillis: 30_000 });
  const replicaPools = replicaUrls.map(
    (u) => new pg.Pool({ connectionString: u, max: poolMax, idleTimeoutMillis: 30_000 }),
  );
  // A dropped connection must not crash the process; the pool replaces it.
  for (const p of [pool, ...replicaPools]) p.on('error', () => undefined);
  const primary = drizzlePg(pool, { schema }) as unknown as Database;
  const replicas = replicaPools.map((p) => drizzlePg(p, { schema }) as unknown as Database);
  const read = replicas.length
    ? (withReplicas(primary, replicas as [Database, ...Database[]]) as unknown as Database)
    : primary;
  return {
    db: primary,
    read,
    driver: 'postgres',
    async ping() {
      await pool.query('select 1');
    },
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    async migrate() {
      const client = await pool.connect();
      try {
        await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
        await migratePg(drizzlePg(client, { schema }), { migrationsFolder });
      } finally {
        await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
        client.release();
      }
    },
    async close() {
      await Promise.all([pool.end(), ...replicaPools.map((p) => p.end())]);
    },
  };
}

/** True when a database error is a unique-constraint violation (optionally on a named constraint). */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  const e = findPgError(err);
  return !!e && e.code === '23505' && (!constraint || e.constraint === constraint);
}

function findPgError(err: unknown): { code?: string; constraint?: string } | undefined {
  let cur: unknown = err;
  for (let i = 0; i < 4 && cur && typeof cur === 'object'; i++) {
    const c = cur as { code?: unknown; constraint?: string; cause?: unknown };
    if (typeof c.code === 'string' && /^[0-9A-Z]{5}$/.test(c.code)) return c as { code: string; constraint?: string };
    cur = c.cause;
  }
  return undefined;
}

export { sql };
