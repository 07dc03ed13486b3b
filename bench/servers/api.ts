/**
 * The real API on the embedded defaults (PGlite, in-memory cache and limits, local storage) in a
 * temporary DATA_DIR. Usage: tsx bench/servers/api.ts [port]. BENCH_DATA_DIR picks the directory
 * (the caller then owns it); otherwise a temporary one is made and removed on exit.
 * BENCH_API_DATABASE_URL (and BENCH_API_REDIS_URL) run it on PostgreSQL (and Redis) instead: the
 * `@pg` targets, set by bench/fixtures/catalog-pg.ts.
 */
import fs from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { buildApp } from '@kush/api';
import { parseConfig } from '@kush/config';
import { announceReady, closeOnSignals, portFromArgs } from './shared';

const port = portFromArgs();
const ownsDir = !process.env.BENCH_DATA_DIR;
const dataDir = process.env.BENCH_DATA_DIR ?? (await fs.mkdtemp(path.join(os.tmpdir(), 'kush-bench-api-')));

const config = parseConfig({
  ...process.env,
  NODE_ENV: 'development',
  DATA_DIR: dataDir,
  LOG_LEVEL: 'warn',
  // Every autocannon request comes from 127.0.0.1: the per-IP budget would answer 429 within a second.
  RATE_LIMIT_PER_MINUTE: '100000000',
  // The embedded defaults unless the target asked for servers, even when the shell points at some.
  DATABASE_URL: process.env.BENCH_API_DATABASE_URL,
  DATABASE_REPLICA_URLS: undefined,
  REDIS_URL: process.env.BENCH_API_REDIS_URL,
  REDIS_KEY_PREFIX: process.env.BENCH_API_REDIS_KEY_PREFIX,
  SMTP_URL: undefined,
  STORAGE_DRIVER: undefined,
});

const app = await buildApp(config);
await app.listen({ port, host: '127.0.0.1' });
closeOnSignals(async () => {
  await app.close();
  if (ownsDir) await fs.rm(dataDir, { recursive: true, force: true });
});
announceReady((app.server.address() as AddressInfo).port);
