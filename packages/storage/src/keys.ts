import { InvalidStorageKeyError } from './errors';

/**
 * Storage keys are built here from ids, never from user input, and every driver method checks them
 * again with assertSafeKey before touching disk or a bucket.
 *
 * The rules are stricter than S3 needs so that a key always maps to one plain path below the local
 * root: a small character set, no empty segment, and no segment that starts with a dot (that rules
 * out `.` and `..`, and keeps dot-names free for the local driver's own bookkeeping).
 */

export const MAX_KEY_LENGTH = 512;

const SAFE_CHARS = /^[A-Za-z0-9._/-]+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function checkPath(value: unknown, what: string): string {
  if (typeof value !== 'string') throw new InvalidStorageKeyError(`${what} must be a string`);
  if (value.length > MAX_KEY_LENGTH) throw new InvalidStorageKeyError(`${what} is longer than ${MAX_KEY_LENGTH}`);
  if (value === '') return value;
  if (!SAFE_CHARS.test(value)) throw new InvalidStorageKeyError(`${what} has characters outside [A-Za-z0-9._/-]`);
  if (value.startsWith('/')) throw new InvalidStorageKeyError(`${what} starts with /`);
  if (value.includes('//')) throw new InvalidStorageKeyError(`${what} has an empty segment`);
  for (const segment of value.split('/')) {
    if (segment.startsWith('.')) throw new InvalidStorageKeyError(`${what} has a segment starting with a dot`);
  }
  return value;
}

/** Throws InvalidStorageKeyError unless `key` names one object: non-empty, safe, not ending in `/`. */
export function assertSafeKey(key: unknown): asserts key is string {
  const value = checkPath(key, 'key');
  if (value === '') throw new InvalidStorageKeyError('key is empty');
  if (value.endsWith('/')) throw new InvalidStorageKeyError('key ends with /');
}

/** A listing prefix: empty (everything) or a safe path that may end with `/`. */
export function assertSafePrefix(prefix: unknown): asserts prefix is string {
  checkPath(prefix, 'prefix');
}

/**
 * A prefix for bulk operations (deletePrefix, copyPrefix): non-empty and ending with `/`, so
 * `videos/abc/` can never also match `videos/abcdef/`.
 */
export function assertFolderPrefix(prefix: unknown): asserts prefix is string {
  const value = checkPath(prefix, 'prefix');
  if (value === '' || !value.endsWith('/')) throw new InvalidStorageKeyError('prefix must be non-empty and end with /');
}

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

function uuid(value: string, what: string): string {
  if (!isUuid(value)) throw new InvalidStorageKeyError(`${what} must be a UUID`);
  return value.toLowerCase();
}

/** Everything that belongs to videos lives under this prefix (the upload sweeper scans it). */
export const VIDEOS_PREFIX = 'videos/';

/** The uploaded original, before transcoding. */
export function videoSourceKey(videoId: string): string {
  return `${VIDEOS_PREFIX}${uuid(videoId, 'videoId')}/source`;
}

/** Published HLS output: master playlist, one folder per rendition with its playlist and segments. */
export function renditionPrefix(videoId: string): string {
  return `${VIDEOS_PREFIX}${uuid(videoId, 'videoId')}/hls/`;
}

export function masterPlaylistKey(videoId: string): string {
  return `${renditionPrefix(videoId)}master.m3u8`;
}

/** A file inside the published HLS output, e.g. `720p/seg_00001.ts` (a path ffmpeg wrote, still checked). */
export function renditionKey(videoId: string, relativePath: string): string {
  const key = `${renditionPrefix(videoId)}${relativePath}`;
  assertSafeKey(key);
  return key;
}

/** One published transcode revision: master playlist, renditions, images. Re-transcodes get a new revision. */
export function videoOutputPrefix(videoId: string, revision: number): string {
  if (!Number.isInteger(revision) || revision < 1)
    throw new InvalidStorageKeyError('revision must be a positive integer');
  return `${VIDEOS_PREFIX}${uuid(videoId, 'videoId')}/r${revision}/`;
}

/**
 * Where one transcode attempt writes before it is published with copyPrefix, so a failed or
 * half-finished attempt never replaces what viewers are watching.
 */
export function transcodeStagingPrefix(videoId: string, attemptId: string): string {
  return `staging/${uuid(videoId, 'videoId')}/${uuid(attemptId, 'attemptId')}/`;
}

/** Uploaded pictures: staff uploads waiting to be checked, and the variants rendered from them. */
export const IMAGES_PREFIX = 'images/';
/** Where a staff upload lands (one presigned PUT) until the server has checked and rendered it. */
export const IMAGE_STAGING_PREFIX = `${IMAGES_PREFIX}staging/`;
/** Whose images: the folder under IMAGES_PREFIX. */
export type ImageOwner = 'titles' | 'people' | 'episodes';

const IMAGE_OWNERS: readonly ImageOwner[] = ['titles', 'people', 'episodes'];
const IMAGE_SLOT = /^[a-z]{1,20}$/;
const CONTENT_HASH = /^[0-9a-f]{16,64}$/;
const IMAGE_EXTENSIONS = ['avif', 'webp', 'jpg'] as const;

export function imageStagingKey(uploadId: string): string {
  return `${IMAGE_STAGING_PREFIX}${uuid(uploadId, 'uploadId')}`;
}

/** Every image of one title, person or episode, e.g. `images/titles/<titleId>/`. */
export function imageOwnerPrefix(owner: ImageOwner, ownerId: string): string {
  if (!IMAGE_OWNERS.includes(owner)) {
    throw new InvalidStorageKeyError('image owner must be titles, people or episodes');
  }
  return `${IMAGES_PREFIX}${owner}/${uuid(ownerId, 'ownerId')}/`;
}

/**
 * One rendered image (all its widths and formats), e.g. `images/titles/<titleId>/poster/<hash>/`.
 * The content hash names the folder, so a new picture never overwrites one a cache still holds.
 */
export function imageVariantPrefix(owner: ImageOwner, ownerId: string, slot: string, contentHash: string): string {
  if (!IMAGE_SLOT.test(slot)) throw new InvalidStorageKeyError('image slot must be 1-20 lower-case letters');
  if (!CONTENT_HASH.test(contentHash)) throw new InvalidStorageKeyError('content hash must be 16-64 hex digits');
  return `${imageOwnerPrefix(owner, ownerId)}${slot}/${contentHash}/`;
}

/** One variant in a rendered image's folder: `w<width>.webp` or `w<width>.jpg`. */
export function imageVariantKey(prefix: string, width: number, extension: (typeof IMAGE_EXTENSIONS)[number]): string {
  assertFolderPrefix(prefix);
  if (!Number.isInteger(width) || width < 1 || width > 100_000) {
    throw new InvalidStorageKeyError('width must be a positive integer');
  }
  if (!IMAGE_EXTENSIONS.includes(extension)) throw new InvalidStorageKeyError('extension must be avif, webp or jpg');
  const key = `${prefix}w${width}.${extension}`;
  assertSafeKey(key);
  return key;
}
