import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { InvalidStorageKeyError, InvalidUploadError, RangeNotSatisfiableError } from './errors';
import { type ByteRange, MAX_PART_NUMBER, MAX_PRESIGN_SECONDS, type ObjectBody } from './types';

/** Checks and helpers shared by both drivers, so they refuse the same inputs the same way. */

/** S3 refuses a single PUT larger than 5 GiB. */
export const MAX_SINGLE_PUT_SIZE = 5 * 1024 * 1024 * 1024;

const HEADER_VALUE = /^[\x20-\x7e]{1,1024}$/;
const UPLOAD_ID = /^[A-Za-z0-9._~+/=-]{1,1024}$/;

export function assertExpiresIn(seconds: number): void {
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > MAX_PRESIGN_SECONDS) {
    throw new RangeError(`expiresInSeconds must be an integer from 1 to ${MAX_PRESIGN_SECONDS}`);
  }
}

/**
 * The signing time of a presigned URL as epoch milliseconds: now, or `signedAt` when it is a valid
 * past moment whose URL would not have expired yet.
 */
export function signingTime(now: number, expiresInSeconds: number, signedAt?: Date): number {
  if (signedAt === undefined) return now;
  const at = signedAt instanceof Date ? signedAt.getTime() : Number.NaN;
  if (!Number.isFinite(at) || at > now) throw new RangeError('signedAt must be a valid time, not in the future');
  if (at + expiresInSeconds * 1000 <= now) throw new RangeError('a URL signed at signedAt would already have expired');
  return at;
}

export function assertPartNumber(partNumber: number): void {
  if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > MAX_PART_NUMBER) {
    throw new InvalidStorageKeyError(`part number must be an integer from 1 to ${MAX_PART_NUMBER}`);
  }
}

/** Upload ids come from the driver (hex locally, opaque base64-ish on S3/R2), but reach us through the client. */
export function assertUploadId(uploadId: unknown): asserts uploadId is string {
  if (typeof uploadId !== 'string' || !UPLOAD_ID.test(uploadId)) {
    throw new InvalidStorageKeyError('upload id is malformed');
  }
}

/** Printable ASCII only: the value ends up in a response or request header. */
export function assertHeaderValue(value: string, what: string): void {
  if (!HEADER_VALUE.test(value)) throw new RangeError(`${what} must be 1-1024 printable ASCII characters`);
}

export function assertContentLength(length: number, max = MAX_SINGLE_PUT_SIZE): void {
  if (!Number.isSafeInteger(length) || length < 0) throw new RangeError('contentLength must be a non-negative integer');
  if (length > max) throw new InvalidUploadError('too-large', `contentLength is over the ${max}-byte limit`);
}

export function unquoteEtag(etag: string): string {
  return etag.replace(/^W\//, '').replace(/"/g, '');
}

/** Clamps a requested range to an object of `size` bytes. */
export function resolveRange(range: ByteRange, size: number): { start: number; end: number } {
  const { start, end } = range;
  if (!Number.isSafeInteger(start) || start < 0) throw new RangeError('range.start must be a non-negative integer');
  if (end !== undefined && (!Number.isSafeInteger(end) || end < start)) {
    throw new RangeError('range.end must be an integer not less than range.start');
  }
  if (start >= size) throw new RangeNotSatisfiableError(size);
  return { start, end: Math.min(end ?? size - 1, size - 1) };
}

/**
 * Parses an HTTP Range header for one range (`bytes=a-b`, `bytes=a-`, `bytes=-n`). Returns
 * undefined for anything else (no header, several ranges, another unit, garbage): RFC 9110 lets a
 * server answer those with the whole object. Throws RangeNotSatisfiableError for a range past the end.
 */
export function parseRangeHeader(header: string | undefined, size: number): { start: number; end: number } | undefined {
  if (!header) return undefined;
  const match = /^bytes=(\d{0,15})-(\d{0,15})$/.exec(header.trim());
  if (!match) return undefined;
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return undefined;
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0 || size === 0) throw new RangeNotSatisfiableError(size);
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  const end = last === '' ? undefined : Number(last);
  if (end !== undefined && end < start) return undefined;
  return resolveRange({ start, end }, size);
}

/** Byte length of a body when it is known up front (everything but a stream). */
export function bodyToBuffer(body: Exclude<ObjectBody, Readable>): Buffer {
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (Buffer.isBuffer(body)) return body;
  return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
}

export function isStream(body: ObjectBody): body is Readable {
  return body instanceof Readable;
}

/** Runs `task` over `items` with at most `limit` in flight; rejects on the first failure. */
export async function forEachLimited<T>(items: T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++] as T;
      await task(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** Writes a stream to a temporary file beside `localPath`, then renames it into place. */
export async function streamToFile(stream: Readable, localPath: string): Promise<void> {
  const target = path.resolve(localPath);
  const partial = `${target}.${randomBytes(6).toString('hex')}.partial`;
  const out = createWriteStream(partial, { flags: 'wx' });
  try {
    await pipeline(stream, out);
    await rename(partial, target);
  } catch (err) {
    await removeAfterClose(out, partial);
    throw err;
  }
}

/**
 * Deletes a file a failed pipeline was writing. A write stream opens its file asynchronously, so
 * when the source fails first the file can appear after an immediate rm; wait for the close.
 */
export async function removeAfterClose(out: WriteStream, file: string): Promise<void> {
  if (!out.closed) await once(out, 'close').catch(() => undefined);
  await rm(file, { force: true });
}

/** Both drivers refuse the same completion lists, whatever the server would tolerate (s3rver sorts silently). */
export function assertCompletionList(parts: { partNumber: number; etag: string }[]): void {
  if (parts.length === 0) throw new InvalidUploadError('no-parts', 'a multipart upload needs at least one part');
  let previous = 0;
  for (const part of parts) {
    assertPartNumber(part.partNumber);
    if (part.partNumber <= previous)
      throw new InvalidUploadError('invalid-part-order', 'parts must be in ascending order');
    if (typeof part.etag !== 'string' || unquoteEtag(part.etag) === '') {
      throw new InvalidUploadError('invalid-part', `part ${part.partNumber} has no etag`);
    }
    previous = part.partNumber;
  }
}
