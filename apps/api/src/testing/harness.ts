import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { parseConfig } from '@kush/config';
import { createDb } from '@kush/db';
import { createTestDatabase } from '@kush/db/testing';
import { registerProcessors } from '@kush/worker';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app';
import { createContext } from '../context';
import { startSmtpServer } from './smtp';

export interface TestAppOptions {
  env?: Record<string, string>;
  /** Deliver email through a real in-process SMTP server and keep what arrives. */
  smtp?: boolean;
  /** 'servers' uses TEST_DATABASE_URL / TEST_REDIS_URL when set; default is PGlite + memory. */
  backing?: 'embedded' | 'servers';
  /** Join another test app's PostgreSQL database and Redis namespace: a second API instance. */
  joinInstance?: { databaseUrl?: string; keyPrefix: string };
  /** Run the job processors in this process (default); false leaves the jobs to a separate worker. */
  processJobs?: boolean;
}

export type TestApp = Awaited<ReturnType<typeof createTestApp>>;

/** The whole API on a fresh database, with job processors running and logs captured. */
export async function createTestApp(options: TestAppOptions = {}) {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'kf-test-'));
  const smtp = options.smtp ? await startSmtpServer() : undefined;
  const servers = options.backing === 'servers';
  const redisUrl = servers ? process.env.TEST_REDIS_URL : undefined;
  const config = parseConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    DATA_DIR: dataDir,
    SMTP_URL: smtp?.url,
    REDIS_URL: redisUrl,
    ...options.env,
  });
  await fs.mkdir(config.paths.media, { recursive: true });
  const joined = options.joinInstance;
  if (joined && !joined.databaseUrl) throw new Error('joinInstance needs an instance on PostgreSQL (backing: servers)');
  const db = joined
    ? await createDb({ url: joined.databaseUrl, poolMax: 5 })
    : await createTestDatabase(servers ? process.env.TEST_DATABASE_URL : '');
  const keyPrefix = joined?.keyPrefix ?? `kf-test-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  const ctx = await createContext(config, { db, keyPrefix });
  const { infra } = ctx;
  if (options.processJobs ?? true) registerProcessors(ctx);

  const logs: string[] = [];
  const logStream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      logs.push(chunk.toString('utf8'));
      cb();
    },
  });
  const app: FastifyInstance = await buildApp(config, { context: ctx, logStream });
  await app.ready();

  return {
    app,
    ctx,
    config,
    logs,
    smtp,
    keyPrefix,
    databaseUrl: 'url' in db ? (db.url as string | undefined) : undefined,
    /** Waits until every queued job (emails…) has run. */
    jobsDone: () => infra.queue.whenIdle(10_000),
    async close() {
      await app.close();
      await ctx.close();
      await smtp?.close();
      await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}
