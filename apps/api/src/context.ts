import fs from 'node:fs/promises';
import type { Config } from '@kush/config';
import type { JobPayloads } from '@kush/contracts';
import { createDb, type DbHandle } from '@kush/db';
import { createInfra, type Infra } from '@kush/infra';
import { createStorage, type ObjectStorage, storageOptionsFromConfig } from '@kush/storage';

/** Everything a process shares: configuration and connections to infrastructure. Built once at start. */
export interface AppContext {
  config: Config;
  db: DbHandle;
  infra: Infra<JobPayloads>;
  storage: ObjectStorage;
  close(): Promise<void>;
}

export interface ContextOptions {
  /** An already-migrated database (tests); by default the configured one, migrated now. */
  db?: DbHandle;
  /** Namespace for Redis keys, channels and queues. */
  keyPrefix?: string;
}

export async function createContext(config: Config, options: ContextOptions = {}): Promise<AppContext> {
  const db =
    options.db ??
    (await createDb({
      url: config.DATABASE_URL,
      replicaUrls: config.DATABASE_REPLICA_URLS,
      pgliteDir: config.DATABASE_URL ? undefined : config.paths.pglite,
      poolMax: config.DATABASE_POOL_MAX,
    }));
  try {
    if (!options.db) await db.migrate();
    await fs.mkdir(config.paths.media, { recursive: true });
    const infra = createInfra<JobPayloads>({
      redisUrl: config.REDIS_URL,
      keyPrefix: options.keyPrefix ?? config.REDIS_KEY_PREFIX,
      outboxDir: config.paths.outbox,
      smtpUrl: config.SMTP_URL,
      mailFrom: config.MAIL_FROM,
    });
    // Signed local-storage URLs go through the web app's same-origin /api proxy.
    const storage = createStorage(storageOptionsFromConfig(config, config.WEB_URL));
    return {
      config,
      db,
      infra,
      storage,
      async close() {
        await infra.close();
        if ('close' in storage) storage.close();
        await db.close();
      },
    };
  } catch (err) {
    await db.close();
    throw err;
  }
}
