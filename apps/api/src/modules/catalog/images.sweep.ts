import type { Executor } from '@kush/db';
import { IMAGE_STAGING_PREFIX, IMAGES_PREFIX, type ObjectStorage } from '@kush/storage';
import { type ImageSlot, recordedPrefixes } from './images.repository';

export interface ImageSweepOptions {
  /** Staging uploads older than this were abandoned (upload URLs last an hour, completion a day). */
  stagingOlderThanMs?: number;
  /** Folders no owner records and untouched for this long are orphans (a render takes seconds). */
  orphanOlderThanMs?: number;
}

const FOLDER =
  /^(images\/(titles|people|episodes)\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/[a-z]{1,20}\/[0-9a-f]{16,64}\/)[^/]+$/;
const BATCH = 500;

/**
 * Removes what the image flow can leave behind: staging uploads nobody completed, and variant
 * folders no title, person or episode records any more (a replaced picture whose deletion failed,
 * a deleted owner, a render interrupted by a crash). Idempotent, so every instance may run it.
 */
export async function sweepImages(
  db: Executor,
  storage: ObjectStorage,
  now = new Date(),
  options: ImageSweepOptions = {},
): Promise<{ staging: number; orphans: number }> {
  const stagingBefore = now.getTime() - (options.stagingOlderThanMs ?? 25 * 3600_000);
  let staging = 0;
  for await (const object of storage.list(IMAGE_STAGING_PREFIX)) {
    if (object.lastModified.getTime() < stagingBefore) {
      await storage.delete(object.key);
      staging += 1;
    }
  }

  const orphanBefore = now.getTime() - (options.orphanOlderThanMs ?? 3600_000);
  let orphans = 0;
  for (const owner of ['titles', 'people', 'episodes'] as const satisfies readonly ImageSlot['owner'][]) {
    const folders = new Map<string, { ownerId: string; newest: number }>();
    for await (const object of storage.list(`${IMAGES_PREFIX}${owner}/`)) {
      const match = FOLDER.exec(object.key);
      if (!match) continue;
      const folder = folders.get(match[1]!) ?? { ownerId: match[3]!, newest: 0 };
      folder.newest = Math.max(folder.newest, object.lastModified.getTime());
      folders.set(match[1]!, folder);
    }
    const ownerIds = [...new Set([...folders.values()].map((f) => f.ownerId))];
    const recorded = new Set<string>();
    for (let i = 0; i < ownerIds.length; i += BATCH) {
      for (const prefix of await recordedPrefixes(db, owner, ownerIds.slice(i, i + BATCH))) recorded.add(prefix);
    }
    for (const [prefix, folder] of folders) {
      if (recorded.has(prefix) || folder.newest >= orphanBefore) continue;
      await storage.deletePrefix(prefix);
      orphans += 1;
    }
  }
  return { staging, orphans };
}
