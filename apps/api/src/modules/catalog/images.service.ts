import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { AppError, type ImageUpload, MAX_IMAGE_BYTES } from '@kush/contracts';
import type { Database, StoredImage } from '@kush/db';
import {
  canEncodeAvif,
  type ImageInfo,
  inspectImage,
  isImageRefusedError,
  mediaBinaries,
  renderImageVariants,
} from '@kush/media';
import {
  assertSafeKey,
  IMAGES_PREFIX,
  imageOwnerPrefix,
  imageStagingKey,
  imageVariantKey,
  imageVariantPrefix,
  isUuid,
  ObjectNotFoundError,
  type ObjectStorage,
  type ObjectStream,
} from '@kush/storage';
import { LRUCache } from 'lru-cache';
import { issueImageUploadToken, verifyImageUploadToken } from './image-upload-token';
import type { ImagePresenter } from './images.presenter';
import * as repo from './images.repository';
import type { ImageSlot } from './images.repository';
import type { CatalogWriter, StaffContext } from './staff-change';

/** Widths rendered per slot (each in WebP and JPEG), never above the uploaded picture's width. */
export const IMAGE_WIDTHS: Record<ImageSlot['kind'], readonly number[]> = {
  poster: [160, 320, 480, 720],
  backdrop: [480, 960, 1440, 1920],
  photo: [160, 320, 480],
  still: [320, 640, 960],
};

/** Variants never change once written: their folder is named by the content hash. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';
/** Changing the rendering changes the hash, so new settings never reuse an old folder. */
const RENDERING_VERSION = 'v1';
const UPLOAD_URL_SECONDS = 3600;
/** How long after asking for an upload URL staff may complete it. */
const UPLOAD_GRANT_SECONDS = 24 * 3600;

export interface ImagesSettings {
  /** Signs upload ids (MEDIA_SIGNING_SECRET). */
  secret: string;
  ffmpegPath?: string;
  renderTimeoutMs?: number;
  /** Renders at once per process; more wait their turn (ffmpeg runs at low priority anyway). */
  maxConcurrentRenders?: number;
  now?: () => Date;
}

const NAMES = { titles: 'title', people: 'person', episodes: 'episode' } as const;
const notFound = (slot: ImageSlot) => new AppError('NOT_FOUND', `No such ${NAMES[slot.owner]}.`);
const alreadyCompleted = () =>
  new AppError('CONFLICT', 'The picture has not been uploaded yet (or this upload was already completed).');

/**
 * Posters, backdrops, photos and episode stills. Staff upload the original straight to storage (one
 * presigned PUT to a staging key), then ask the server to complete it: the server checks the bytes
 * itself (format, size, completeness), renders every width in WebP and JPEG plus a tiny placeholder
 * with ffmpeg, stores them under a folder named by the content hash, records the picture on its
 * owner in one audited change (which invalidates the catalog caches), and only then deletes the
 * picture it replaced. A refused upload leaves nothing behind.
 */
export class ImagesService {
  private readonly now: () => Date;
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly writer: CatalogWriter,
    private readonly storage: ObjectStorage,
    readonly presenter: ImagePresenter,
    private readonly settings: ImagesSettings,
  ) {
    this.now = settings.now ?? (() => new Date());
  }

  async createUpload(slot: ImageSlot, id: string, body: { contentType: string; size: number }) {
    const ownerId = id.toLowerCase();
    if (body.size > MAX_IMAGE_BYTES) throw new AppError('PAYLOAD_TOO_LARGE', 'Pictures can be at most 10 MB.');
    if (!(await repo.ownerExists(this.writer.reader, slot.owner, ownerId))) throw notFound(slot);
    const uploadId = randomUUID();
    const now = this.now();
    const target = await this.storage.presignPut(imageStagingKey(uploadId), {
      expiresInSeconds: UPLOAD_URL_SECONDS,
      contentType: body.contentType,
      contentLength: body.size,
    });
    const token = issueImageUploadToken(
      {
        uploadId,
        owner: slot.owner,
        ownerId,
        kind: slot.kind,
        size: body.size,
        exp: Math.floor(now.getTime() / 1000) + UPLOAD_GRANT_SECONDS,
      },
      this.settings.secret,
    );
    return {
      uploadId: token,
      upload: {
        url: target.url,
        method: target.method,
        headers: target.headers,
        expiresAt: target.expiresAt.toISOString(),
      },
    } satisfies ImageUpload;
  }

  /** Checks, renders and records an uploaded picture. */
  async complete(slot: ImageSlot, id: string, uploadToken: string, staff: StaffContext): Promise<void> {
    const ownerId = id.toLowerCase();
    const grant = verifyImageUploadToken(uploadToken, this.settings.secret, this.now().getTime());
    if (grant.owner !== slot.owner || grant.ownerId !== ownerId || grant.kind !== slot.kind) {
      throw new AppError('BAD_REQUEST', `This upload id belongs to another ${NAMES[slot.owner]} or picture.`, {
        reason: 'upload_id_mismatch',
      });
    }
    const staging = imageStagingKey(grant.uploadId);
    const head = await this.storage.head(staging);
    if (!head) throw alreadyCompleted();
    const work = await fs.mkdtemp(path.join(os.tmpdir(), 'kf-image-'));
    let folder: string | undefined;
    let recorded = false;
    try {
      if (head.size !== grant.size) {
        throw new AppError('CONFLICT', `The uploaded file has ${head.size} bytes, not the ${grant.size} announced.`, {
          reason: 'size_mismatch',
          announced: grant.size,
          received: head.size,
        });
      }
      if (!(await repo.ownerExists(this.writer.reader, slot.owner, ownerId))) throw notFound(slot);
      const source = path.join(work, 'source');
      await this.storage.downloadToFile(staging, source).catch((err: unknown) => {
        if (err instanceof ObjectNotFoundError) throw alreadyCompleted();
        throw err;
      });
      const bytes = await fs.readFile(source);
      if (bytes.length !== grant.size) {
        throw new AppError('CONFLICT', 'The uploaded file changed while it was being read; upload it again.');
      }
      const info = inspect(bytes);
      const hash = createHash('sha256').update(`${RENDERING_VERSION}\n`).update(bytes).digest('hex').slice(0, 32);
      folder = imageVariantPrefix(slot.owner, ownerId, slot.kind, hash);
      const image = await this.withRenderSlot(() => this.render(slot, folder!, source, info, work));
      const previous = await this.writer.change(staff, async (tx, audit) => {
        const current = await repo.lockImage(tx, slot, ownerId);
        if (!current) throw notFound(slot);
        await repo.setImage(tx, slot, ownerId, image);
        await audit({
          action: `${NAMES[slot.owner]}.image.set`,
          entityType: NAMES[slot.owner],
          entityId: ownerId,
          before: { kind: slot.kind, image: current.image },
          after: { kind: slot.kind, image },
        });
        return current.image;
      });
      recorded = true;
      if (previous && previous.prefix !== image.prefix) await this.deleteFolder(previous.prefix);
    } finally {
      // A refused or failed upload leaves nothing: not the original, not half the variants (unless
      // the same picture was already recorded there, from an earlier upload of the same bytes).
      if (folder && !recorded) await this.deleteUnlessRecorded(slot.owner, ownerId, folder);
      await this.storage.delete(staging).catch(() => undefined);
      await fs.rm(work, { recursive: true, force: true });
    }
  }

  /** Removes the slot's picture (nothing to remove is fine); the variants go once that is recorded. */
  async remove(slot: ImageSlot, ownerId: string, staff: StaffContext): Promise<void> {
    const previous = await this.writer.change(staff, async (tx, audit) => {
      const current = await repo.lockImage(tx, slot, ownerId);
      if (!current) throw notFound(slot);
      if (!current.image) return null;
      await repo.setImage(tx, slot, ownerId, null);
      await audit({
        action: `${NAMES[slot.owner]}.image.remove`,
        entityType: NAMES[slot.owner],
        entityId: ownerId,
        before: { kind: slot.kind, image: current.image },
        after: { kind: slot.kind, image: null },
      });
      return current.image;
    });
    if (previous) await this.deleteFolder(previous.prefix);
  }

  /** After an owner was deleted: every picture it had (failures are left to the sweep). */
  async removeAll(owner: ImageSlot['owner'], ownerId: string): Promise<void> {
    await this.deleteFolder(imageOwnerPrefix(owner, ownerId));
  }

  private async render(
    slot: ImageSlot,
    prefix: string,
    source: string,
    info: ImageInfo,
    work: string,
  ): Promise<StoredImage> {
    const out = path.join(work, 'out');
    await fs.mkdir(out);
    const ffmpeg = this.settings.ffmpegPath ?? (await mediaBinaries()).ffmpeg;
    let rendered;
    try {
      rendered = await renderImageVariants({
        input: source,
        info,
        widths: IMAGE_WIDTHS[slot.kind],
        outputDir: out,
        ffmpeg,
        timeoutMs: this.settings.renderTimeoutMs ?? 30_000,
        avif: await canEncodeAvif(ffmpeg),
      });
    } catch (err) {
      throw refusal(err);
    }
    for (const variant of rendered.variants) {
      if (variant.avif) {
        await this.storage.putFile(imageVariantKey(prefix, variant.width, 'avif'), variant.avif, {
          contentType: 'image/avif',
          cacheControl: IMMUTABLE,
        });
      }
      await this.storage.putFile(imageVariantKey(prefix, variant.width, 'webp'), variant.webp, {
        contentType: 'image/webp',
        cacheControl: IMMUTABLE,
      });
      await this.storage.putFile(imageVariantKey(prefix, variant.width, 'jpg'), variant.jpeg, {
        contentType: 'image/jpeg',
        cacheControl: IMMUTABLE,
      });
    }
    const placeholder = await fs.readFile(rendered.placeholder);
    return {
      prefix,
      width: rendered.width,
      height: rendered.height,
      widths: rendered.variants.map((v) => v.width),
      placeholder: `data:image/webp;base64,${placeholder.toString('base64')}`,
      ...(rendered.variants.every((v) => v.avif) ? { avif: true } : {}),
    };
  }

  private async deleteFolder(prefix: string): Promise<void> {
    // A failure leaves an orphan folder, which the catalog.sweep-images job removes later.
    await this.storage.deletePrefix(prefix).catch(() => undefined);
  }

  private async deleteUnlessRecorded(owner: ImageSlot['owner'], ownerId: string, prefix: string): Promise<void> {
    const recorded = await repo.recordedPrefixes(this.writer.reader, owner, [ownerId]).catch(() => undefined);
    if (recorded && !recorded.has(prefix)) await this.deleteFolder(prefix);
  }

  private async withRenderSlot<T>(work: () => Promise<T>): Promise<T> {
    const limit = this.settings.maxConcurrentRenders ?? 2;
    while (this.running >= limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running += 1;
    try {
      return await work();
    } finally {
      this.running -= 1;
      this.waiting.shift()?.();
    }
  }
}

function inspect(bytes: Buffer): ImageInfo {
  try {
    return inspectImage(bytes);
  } catch (err) {
    throw refusal(err);
  }
}

/** A refused picture is the client's problem (400 with the reason); anything else is ours. */
function refusal(err: unknown): unknown {
  if (!isImageRefusedError(err)) return err;
  return new AppError('BAD_REQUEST', err.message, { reason: err.code, ...(err.format ? { format: err.format } : {}) });
}

// Public reads

const VARIANT_KEY =
  /^images\/(titles|people|episodes)\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/([a-z]{1,20})\/([0-9a-f]{16,64})\/w\d{1,5}\.(avif|webp|jpg)$/;

export type PublicImageAnswer =
  { kind: 'object'; object: ObjectStream; contentType: string } | { kind: 'redirect'; url: string };

const IMAGE_TYPES = { avif: 'image/avif', webp: 'image/webp', jpg: 'image/jpeg' } as const;

const noSuchImage = () => new AppError('NOT_FOUND', 'No such image.');

/**
 * Serves the variants of public pictures: only under a folder currently recorded on its owner, and
 * only while the owner is public (a live title; a person credited on one; a released episode of a
 * live series). Drafts, titles not yet live, archived titles and replaced pictures answer 404. The
 * owner lookup is one primary-key query, kept for a few seconds per owner so a page of cards costs
 * one query per title.
 */
export class PublicImages {
  private readonly access: LRUCache<string, repo.ImageAccess | 'missing'>;
  private readonly now: () => Date;

  constructor(
    private readonly db: Database,
    private readonly storage: ObjectStorage,
    private readonly presenter: ImagePresenter,
    options: { accessTtlMs?: number; now?: () => Date } = {},
  ) {
    this.access = new LRUCache({ max: 10_000, ttl: options.accessTtlMs ?? 5_000 });
    this.now = options.now ?? (() => new Date());
  }

  /** Drops what this instance remembers (after a staff change here; other instances wait out the TTL). */
  forget(): void {
    this.access.clear();
  }

  async read(relativeKey: string): Promise<PublicImageAnswer> {
    const key = `${IMAGES_PREFIX}${relativeKey}`;
    try {
      assertSafeKey(key);
    } catch {
      throw noSuchImage();
    }
    const match = VARIANT_KEY.exec(key);
    if (!match || !isUuid(match[2])) throw noSuchImage();
    const [, owner, ownerId, slot, hash, extension] = match as unknown as [
      string,
      ImageSlot['owner'],
      string,
      string,
      string,
      keyof typeof IMAGE_TYPES,
    ];
    const now = this.now();
    const access = await this.lookup(owner, ownerId, now);
    const live =
      access.status === 'live' ||
      (typeof access.status === 'object' && access.status.liveFrom.getTime() <= now.getTime());
    if (!live || !access.prefixes.includes(`${IMAGES_PREFIX}${owner}/${ownerId}/${slot}/${hash}/`)) throw noSuchImage();
    if (this.storage.driver !== 'local') return { kind: 'redirect', url: await this.presenter.publicUrl(key) };
    try {
      const object = await this.storage.getStream(key);
      return { kind: 'object', object, contentType: IMAGE_TYPES[extension] };
    } catch (err) {
      if (err instanceof ObjectNotFoundError) throw noSuchImage();
      throw err;
    }
  }

  private async lookup(owner: ImageSlot['owner'], ownerId: string, now: Date): Promise<repo.ImageAccess> {
    const cacheKey = `${owner}/${ownerId}`;
    let found = this.access.get(cacheKey);
    if (!found) {
      found = (await repo.imageAccess(this.db, owner, ownerId, now)) ?? 'missing';
      this.access.set(cacheKey, found);
    }
    if (found === 'missing') throw noSuchImage();
    return found;
  }
}

export { type ImageSlot } from './images.repository';
