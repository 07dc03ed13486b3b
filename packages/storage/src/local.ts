import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, type Dirent } from 'node:fs';
import { copyFile, mkdir, open, readdir, readFile, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  InvalidStorageKeyError,
  InvalidUploadError,
  ObjectNotFoundError,
  StorageAccessError,
  UploadNotFoundError,
  type InvalidUploadReason,
} from './errors';
import { assertFolderPrefix, assertSafeKey, assertSafePrefix } from './keys';
import { assertSigned, MIN_SECRET_LENGTH, signPath, type SignedParams } from './signing';
import {
  type ByteRange,
  type CompletedPart,
  type CreateMultipartOptions,
  type ListedObject,
  MAX_PART_SIZE,
  MIN_PART_SIZE,
  type MultipartUploadInfo,
  type ObjectBody,
  type ObjectInfo,
  type ObjectStorage,
  type ObjectStream,
  type PresignedUpload,
  type PresignGetOptions,
  type PresignPartOptions,
  type PresignPutOptions,
  type PutOptions,
  type UploadedPart,
} from './types';
import {
  assertCompletionList,
  assertContentLength,
  assertExpiresIn,
  assertHeaderValue,
  assertPartNumber,
  bodyToBuffer,
  forEachLimited,
  isStream,
  parseRangeHeader,
  removeAfterClose,
  resolveRange,
  signingTime,
  streamToFile,
  unquoteEtag,
} from './internal';

/**
 * Local-disk driver: the embedded default. Objects are plain files under `root`, each with a
 * hidden sidecar (`.<name>.meta.json`) holding content type, cache control and etag. Keys never
 * have dot-segments (see keys.ts), so sidecars, `.tmp/` and `.uploads/` can never collide with an
 * object. Every write goes to `.tmp/` first and is renamed into place, so a reader sees the old
 * object or the new one, never half of one.
 *
 * URLs point at the API, which mounts the verifyAndRead/Write handlers below:
 *   GET|PUT {publicBaseUrl}/api/v1/storage/objects/<key>?[rcd=|ct=&len=]&exp=&sig=
 *   PUT     {publicBaseUrl}/api/v1/storage/uploads/<uploadId>/parts/<n>?key=&exp=&sig=
 */

export const OBJECTS_ROUTE = '/api/v1/storage/objects/';
export const UPLOADS_ROUTE = '/api/v1/storage/uploads/';

export interface LocalStorageOptions {
  /** Absolute or relative; created on first use. */
  root: string;
  /** Origin the browser reaches the API at, e.g. `http://localhost:4000` (no trailing path). */
  publicBaseUrl: string;
  /** HMAC key, at least 32 characters (MEDIA_SIGNING_SECRET). */
  signingSecret: string;
  /** Clock in milliseconds, for tests. */
  now?: () => number;
  /** Smallest part but the last that completeMultipartUpload accepts (S3's 5 MiB by default). */
  minPartSize?: number;
}

/** Query parameters as a framework hands them over: URLSearchParams or a parsed object. */
export type SignedQuery = URLSearchParams | Record<string, string | string[] | undefined>;

export interface ObjectResponse extends ObjectStream {
  status: 200 | 206;
  /** Ready to send: Content-Type, Content-Length, Accept-Ranges, ETag, Last-Modified, and when relevant Content-Range, Cache-Control, Content-Disposition. */
  headers: Record<string, string>;
}

export interface WriteResponse {
  etag: string;
  size: number;
  /** `ETag` (quoted), as S3 answers a PUT. */
  headers: Record<string, string>;
}

export interface WriteRequest {
  /** The request's Content-Length header, when sent. */
  contentLength?: number | string;
  /** The request's Content-Type header. */
  contentType?: string;
}

export interface LocalStorage extends ObjectStorage {
  readonly driver: 'local';
  readonly root: string;
  /** GET /api/v1/storage/objects/<key>: `range` is the Range header or an explicit range. */
  verifyAndReadObject(key: string, query: SignedQuery, range?: string | ByteRange): Promise<ObjectResponse>;
  /** PUT /api/v1/storage/objects/<key>: enforces the signed Content-Type and exact byte count. */
  verifyAndWriteObject(key: string, query: SignedQuery, body: Readable, request: WriteRequest): Promise<WriteResponse>;
  /** PUT /api/v1/storage/uploads/<uploadId>/parts/<n>. */
  verifyAndWritePart(
    uploadId: string,
    partNumber: string | number,
    query: SignedQuery,
    body: Readable,
    request?: WriteRequest,
  ): Promise<WriteResponse>;
  /** Removes temporary files left by writes that crashed mid-way; returns how many. */
  removeStaleTemporaryFiles(olderThan: Date): Promise<number>;
}

interface Sidecar {
  contentType?: string;
  cacheControl?: string;
  etag: string;
  size: number;
}

interface Manifest {
  key: string;
  contentType: string;
  cacheControl?: string;
  initiated: string;
}

interface PartRecord {
  etag: string;
  size: number;
}

const LOCAL_UPLOAD_ID = /^[0-9a-f]{32}$/;
const PART_NUMBER = /^[1-9]\d{0,4}$/;

function isMissing(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR';
}

function isSafe(check: (value: unknown) => void, value: unknown): boolean {
  try {
    check(value);
    return true;
  } catch {
    return false;
  }
}

function queryParam(query: SignedQuery, name: string): string | undefined {
  if (query instanceof URLSearchParams) {
    const all = query.getAll(name);
    if (all.length > 1) throw new StorageAccessError('malformed');
    return all[0];
  }
  const value = query[name];
  if (Array.isArray(value)) throw new StorageAccessError('malformed');
  return value;
}

function encodeKey(key: string): string {
  return key.split('/').map(encodeURIComponent).join('/');
}

async function readJson<T>(file: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T;
  } catch (err) {
    if (isMissing(err) || err instanceof SyntaxError) return undefined;
    throw err;
  }
}

/**
 * A request body can fail (client gone) while a handler is still checking the signature, before
 * pipeline() listens; without a listener that error would crash the process. pipeline() still
 * sees the failure, because the stream is then already destroyed.
 */
function holdErrors(stream: Readable): Readable {
  stream.on('error', () => undefined);
  return stream;
}

async function md5File(file: string): Promise<string> {
  const hash = createHash('md5');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Counts and hashes bytes on their way through; fails once more than `max` bytes have passed. */
class Measure extends Transform {
  size = 0;
  private readonly hash = createHash('md5');
  constructor(private readonly max: number) {
    super();
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: (err?: Error | null, data?: Buffer) => void) {
    this.size += chunk.length;
    if (this.size > this.max) {
      callback(new InvalidUploadError('too-large', `body is over the ${this.max}-byte limit`));
      return;
    }
    this.hash.update(chunk);
    callback(null, chunk);
  }
  digest(): Buffer {
    return this.hash.digest();
  }
}

export function createLocalStorage(options: LocalStorageOptions): LocalStorage {
  if (options.signingSecret.length < MIN_SECRET_LENGTH) {
    throw new Error(`signingSecret must be at least ${MIN_SECRET_LENGTH} characters`);
  }
  const root = path.resolve(options.root);
  const tmpDir = path.join(root, '.tmp');
  const uploadsDir = path.join(root, '.uploads');
  const baseUrl = new URL(options.publicBaseUrl).origin;
  const secret = options.signingSecret;
  const now = options.now ?? Date.now;
  const minPartSize = options.minPartSize ?? MIN_PART_SIZE;

  function objectPath(key: string): string {
    assertSafeKey(key);
    const full = path.join(root, ...key.split('/'));
    // Defence in depth: assertSafeKey already makes this impossible.
    if (!full.startsWith(root + path.sep)) throw new Error('key resolved outside the storage root');
    return full;
  }

  function sidecarPath(objectFile: string): string {
    return path.join(path.dirname(objectFile), `.${path.basename(objectFile)}.meta.json`);
  }

  function uploadDir(uploadId: string): string {
    if (!LOCAL_UPLOAD_ID.test(uploadId)) throw new UploadNotFoundError(uploadId);
    return path.join(uploadsDir, uploadId);
  }

  async function tempFile(): Promise<string> {
    await mkdir(tmpDir, { recursive: true });
    return path.join(tmpDir, randomUUID());
  }

  /** Removes now-empty folders from `dir` up to (not including) the root, so listings and new keys stay clean. */
  async function pruneEmptyDirs(dir: string): Promise<void> {
    let current = dir;
    while (current.startsWith(root + path.sep)) {
      try {
        await rmdir(current);
      } catch {
        return;
      }
      current = path.dirname(current);
    }
  }

  /** Moves a finished temp file into place, sidecar first so a reader that sees the object sees its metadata. */
  async function commit(key: string, tmpData: string, sidecar: Sidecar): Promise<void> {
    const target = objectPath(key);
    const tmpMeta = await tempFile();
    try {
      await writeFile(tmpMeta, JSON.stringify(sidecar));
      // A concurrent delete may prune the folder between mkdir and rename; make it again then.
      for (let attempt = 1; ; attempt += 1) {
        try {
          await mkdir(path.dirname(target), { recursive: true });
          await rename(tmpMeta, sidecarPath(target));
          break;
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || attempt === 3) throw err;
        }
      }
      await rename(tmpData, target);
    } catch (err) {
      await rm(tmpMeta, { force: true });
      // On disk a key cannot be both an object and a folder (`a` and `a/b`); S3 would allow it.
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST' || code === 'ENOTDIR' || code === 'EISDIR' || code === 'ENOTEMPTY') {
        throw new InvalidStorageKeyError(`${key} collides with an existing object or folder`);
      }
      throw err;
    }
  }

  /** Streams `source` into a temp file, measuring it; the caller commits or discards the file. */
  async function spool(
    source: Readable,
    limits: { max: number; exact?: number },
  ): Promise<{ tmp: string; size: number; md5: Buffer }> {
    const tmp = await tempFile();
    const measure = new Measure(limits.max);
    const out = createWriteStream(tmp, { flags: 'wx' });
    try {
      await pipeline(source, measure, out);
      if (limits.exact !== undefined && measure.size !== limits.exact) {
        throw new InvalidUploadError('size-mismatch', `expected ${limits.exact} bytes, received ${measure.size}`);
      }
      return { tmp, size: measure.size, md5: measure.digest() };
    } catch (err) {
      await removeAfterClose(out, tmp);
      throw err;
    }
  }

  async function writeObject(
    key: string,
    source: Readable,
    meta: PutOptions,
    limits: { max: number; exact?: number },
  ): Promise<{ etag: string; size: number }> {
    objectPath(key);
    const { tmp, size, md5 } = await spool(source, limits);
    const etag = md5.toString('hex');
    try {
      await commit(key, tmp, { contentType: meta.contentType, cacheControl: meta.cacheControl, etag, size });
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
    return { etag, size };
  }

  async function readSidecar(file: string, size: number): Promise<Sidecar | undefined> {
    const sidecar = await readJson<Sidecar>(sidecarPath(file));
    // A sidecar that disagrees with the file belongs to a write that is still landing.
    return sidecar && sidecar.size === size ? sidecar : undefined;
  }

  async function openObject(
    key: string,
    pickRange: (size: number) => { start: number; end: number } | undefined,
  ): Promise<ObjectStream> {
    const file = objectPath(key);
    let handle;
    try {
      handle = await open(file, 'r');
    } catch (err) {
      if (isMissing(err)) throw new ObjectNotFoundError(key);
      throw err;
    }
    try {
      // Stat the open handle: a rename landing now cannot mix two versions.
      const info = await handle.stat();
      if (!info.isFile()) throw new ObjectNotFoundError(key);
      const range = pickRange(info.size);
      const sidecar = await readSidecar(file, info.size);
      const stream = handle.createReadStream(range ? { start: range.start, end: range.end } : {});
      return {
        stream,
        size: info.size,
        contentLength: range ? range.end - range.start + 1 : info.size,
        range,
        contentType: sidecar?.contentType,
        cacheControl: sidecar?.cacheControl,
        etag: sidecar?.etag,
        lastModified: info.mtime,
      };
    } catch (err) {
      await handle.close();
      throw err;
    }
  }

  async function* walk(dirRel: string, prefix: string): AsyncGenerator<ListedObject> {
    let entries: Dirent[];
    try {
      entries = await readdir(path.join(root, dirRel), { withFileTypes: true });
    } catch (err) {
      if (isMissing(err)) return;
      throw err;
    }
    // Sorting folders as `name/` yields keys in S3's byte order across the whole tree.
    const items = entries
      .filter((entry) => !entry.name.startsWith('.') && (entry.isFile() || entry.isDirectory()))
      .map((entry) => ({ rel: dirRel + entry.name + (entry.isDirectory() ? '/' : ''), isDir: entry.isDirectory() }))
      .sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
    for (const item of items) {
      if (item.isDir) {
        if (item.rel.startsWith(prefix) || prefix.startsWith(item.rel)) yield* walk(item.rel, prefix);
      } else if (item.rel.startsWith(prefix)) {
        try {
          const info = await stat(path.join(root, item.rel));
          yield { key: item.rel, size: info.size, lastModified: info.mtime };
        } catch (err) {
          if (!isMissing(err)) throw err;
        }
      }
    }
  }

  async function readManifest(uploadId: string): Promise<Manifest | undefined> {
    return readJson<Manifest>(path.join(uploadDir(uploadId), 'manifest.json'));
  }

  async function manifestFor(key: string, uploadId: string): Promise<Manifest> {
    assertSafeKey(key);
    const manifest = await readManifest(uploadId);
    if (!manifest || manifest.key !== key) throw new UploadNotFoundError(uploadId);
    return manifest;
  }

  function signedUrl(route: string, query: Record<string, string>): string {
    return `${baseUrl}${route}?${new URLSearchParams(query).toString()}`;
  }

  function expiry(seconds: number, signedAt?: Date): number {
    assertExpiresIn(seconds);
    return Math.floor(signingTime(now(), seconds, signedAt) / 1000) + seconds;
  }

  const storage: LocalStorage = {
    driver: 'local',
    root,

    async put(key, body: ObjectBody, opts = {}) {
      objectPath(key);
      const source = isStream(body) ? holdErrors(body) : Readable.from([bodyToBuffer(body)]);
      await writeObject(key, source, opts, { max: Number.MAX_SAFE_INTEGER });
    },

    async putFile(key, localPath, opts = {}) {
      objectPath(key);
      await writeObject(key, createReadStream(localPath), opts, { max: Number.MAX_SAFE_INTEGER });
    },

    async getStream(key, range) {
      return openObject(key, (size) => (range ? resolveRange(range, size) : undefined));
    },

    async downloadToFile(key, localPath) {
      const { stream } = await storage.getStream(key);
      await streamToFile(stream, localPath);
    },

    async head(key): Promise<ObjectInfo | null> {
      const file = objectPath(key);
      try {
        const info = await stat(file);
        if (!info.isFile()) return null;
        const sidecar = await readSidecar(file, info.size);
        return {
          size: info.size,
          contentType: sidecar?.contentType,
          cacheControl: sidecar?.cacheControl,
          etag: sidecar?.etag,
          lastModified: info.mtime,
        };
      } catch (err) {
        if (isMissing(err)) return null;
        throw err;
      }
    },

    async delete(key) {
      const file = objectPath(key);
      await rm(file, { force: true });
      await rm(sidecarPath(file), { force: true });
      await pruneEmptyDirs(path.dirname(file));
    },

    async deletePrefix(prefix) {
      assertFolderPrefix(prefix);
      const keys: string[] = [];
      for await (const object of walk(prefix, prefix)) keys.push(object.key);
      await forEachLimited(keys, 8, (key) => storage.delete(key));
      return keys.length;
    },

    list(prefix) {
      assertSafePrefix(prefix);
      return walk(prefix.slice(0, prefix.lastIndexOf('/') + 1), prefix);
    },

    async copyPrefix(fromPrefix, toPrefix) {
      assertFolderPrefix(fromPrefix);
      assertFolderPrefix(toPrefix);
      // List first, so copying into a folder below the source cannot feed the loop.
      const keys: string[] = [];
      for await (const object of walk(fromPrefix, fromPrefix)) keys.push(object.key);
      await forEachLimited(keys, 8, async (key) => {
        const source = objectPath(key);
        const targetKey = toPrefix + key.slice(fromPrefix.length);
        objectPath(targetKey);
        const tmp = await tempFile();
        try {
          await copyFile(source, tmp);
          const info = await stat(tmp);
          const sidecar = (await readSidecar(source, info.size)) ?? { etag: await md5File(tmp), size: info.size };
          await commit(targetKey, tmp, sidecar);
        } catch (err) {
          await rm(tmp, { force: true });
          throw err;
        }
      });
      return keys.length;
    },

    async presignGet(key, opts: PresignGetOptions) {
      assertSafeKey(key);
      const exp = expiry(opts.expiresInSeconds, opts.signedAt);
      const extra: SignedParams = {};
      if (opts.contentDisposition !== undefined) {
        assertHeaderValue(opts.contentDisposition, 'contentDisposition');
        extra.rcd = opts.contentDisposition;
      }
      const sig = signPath('GET', key, exp, secret, extra);
      return signedUrl(OBJECTS_ROUTE + encodeKey(key), { ...extra, exp: String(exp), sig });
    },

    async presignPut(key, opts: PresignPutOptions): Promise<PresignedUpload> {
      assertSafeKey(key);
      assertHeaderValue(opts.contentType, 'contentType');
      assertContentLength(opts.contentLength);
      const exp = expiry(opts.expiresInSeconds);
      const extra = { ct: opts.contentType, len: String(opts.contentLength) };
      const sig = signPath('PUT', key, exp, secret, extra);
      return {
        url: signedUrl(OBJECTS_ROUTE + encodeKey(key), { ...extra, exp: String(exp), sig }),
        method: 'PUT',
        headers: { 'Content-Type': opts.contentType },
        expiresAt: new Date(exp * 1000),
      };
    },

    async createMultipartUpload(key, opts: CreateMultipartOptions) {
      assertSafeKey(key);
      assertHeaderValue(opts.contentType, 'contentType');
      if (opts.cacheControl !== undefined) assertHeaderValue(opts.cacheControl, 'cacheControl');
      const uploadId = randomBytes(16).toString('hex');
      const dir = uploadDir(uploadId);
      await mkdir(dir, { recursive: true });
      const manifest: Manifest = {
        key,
        contentType: opts.contentType,
        cacheControl: opts.cacheControl,
        initiated: new Date(now()).toISOString(),
      };
      const tmp = await tempFile();
      await writeFile(tmp, JSON.stringify(manifest));
      await rename(tmp, path.join(dir, 'manifest.json'));
      return uploadId;
    },

    async presignUploadPart(key, uploadId, partNumber, opts: PresignPartOptions) {
      assertSafeKey(key);
      uploadDir(uploadId);
      assertPartNumber(partNumber);
      const exp = expiry(opts.expiresInSeconds);
      const sig = signPath('PUT', key, exp, secret, { uploadId, partNumber: String(partNumber) });
      return signedUrl(`${UPLOADS_ROUTE}${uploadId}/parts/${partNumber}`, { key, exp: String(exp), sig });
    },

    async listParts(key, uploadId): Promise<UploadedPart[]> {
      await manifestFor(key, uploadId);
      const dir = uploadDir(uploadId);
      let names: string[];
      try {
        names = await readdir(dir);
      } catch (err) {
        if (isMissing(err)) throw new UploadNotFoundError(uploadId);
        throw err;
      }
      const parts: UploadedPart[] = [];
      for (const name of names) {
        if (!PART_NUMBER.test(name)) continue;
        const record = await readJson<PartRecord>(path.join(dir, `${name}.json`));
        if (!record) continue;
        try {
          const info = await stat(path.join(dir, name));
          if (info.size === record.size) parts.push({ partNumber: Number(name), etag: record.etag, size: record.size });
        } catch (err) {
          if (!isMissing(err)) throw err;
        }
      }
      return parts.sort((a, b) => a.partNumber - b.partNumber);
    },

    async completeMultipartUpload(key, uploadId, parts: CompletedPart[]) {
      const manifest = await manifestFor(key, uploadId);
      const dir = uploadDir(uploadId);
      const invalid = (reason: InvalidUploadReason, message: string) => new InvalidUploadError(reason, message);
      assertCompletionList(parts);
      const wanted: { file: string; etag: string; partNumber: number }[] = [];
      for (const [index, part] of parts.entries()) {
        const file = path.join(dir, String(part.partNumber));
        const record = await readJson<PartRecord>(`${file}.json`);
        const etag = unquoteEtag(part.etag);
        if (!record || record.etag !== etag) throw invalid('invalid-part', `part ${part.partNumber} was not uploaded`);
        if (index < parts.length - 1 && record.size < minPartSize) {
          throw invalid('part-too-small', `part ${part.partNumber} is smaller than ${minPartSize} bytes`);
        }
        wanted.push({ file, etag, partNumber: part.partNumber });
      }

      // Concatenate by streaming, hashing each part again: the bytes on disk must match the etags.
      const partDigests: Buffer[] = [];
      async function* concatenate(): AsyncGenerator<Buffer> {
        for (const part of wanted) {
          const hash = createHash('md5');
          for await (const chunk of createReadStream(part.file)) {
            hash.update(chunk as Buffer);
            yield chunk as Buffer;
          }
          const digest = hash.digest();
          if (digest.toString('hex') !== part.etag) {
            throw invalid('invalid-part', `part ${part.partNumber} changed while completing`);
          }
          partDigests.push(digest);
        }
      }
      let spooled;
      try {
        spooled = await spool(Readable.from(concatenate()), { max: Number.MAX_SAFE_INTEGER });
      } catch (err) {
        if (isMissing(err)) throw new UploadNotFoundError(uploadId);
        throw err;
      }
      const etag = `${createHash('md5').update(Buffer.concat(partDigests)).digest('hex')}-${wanted.length}`;
      try {
        await commit(key, spooled.tmp, {
          contentType: manifest.contentType,
          cacheControl: manifest.cacheControl,
          etag,
          size: spooled.size,
        });
      } catch (err) {
        await rm(spooled.tmp, { force: true });
        throw err;
      }
      await rm(dir, { recursive: true, force: true });
      return { etag };
    },

    async abortMultipartUpload(key, uploadId) {
      assertSafeKey(key);
      if (!LOCAL_UPLOAD_ID.test(uploadId)) return;
      const manifest = await readManifest(uploadId);
      if (!manifest || manifest.key !== key) return;
      await rm(uploadDir(uploadId), { recursive: true, force: true });
    },

    async listMultipartUploads(prefix) {
      assertSafePrefix(prefix);
      let names: string[];
      try {
        names = await readdir(uploadsDir);
      } catch (err) {
        if (isMissing(err)) return [];
        throw err;
      }
      const uploads: MultipartUploadInfo[] = [];
      for (const uploadId of names) {
        if (!LOCAL_UPLOAD_ID.test(uploadId)) continue;
        const manifest = await readManifest(uploadId);
        if (manifest && manifest.key.startsWith(prefix)) {
          uploads.push({ key: manifest.key, uploadId, initiated: new Date(manifest.initiated) });
        }
      }
      return uploads.sort((a, b) =>
        a.key === b.key ? a.initiated.getTime() - b.initiated.getTime() : a.key < b.key ? -1 : 1,
      );
    },

    async ping() {
      const probe = await tempFile();
      await writeFile(probe, 'ok');
      await rm(probe, { force: true });
    },

    async verifyAndReadObject(key, query, range) {
      if (!isSafe(assertSafeKey, key)) throw new StorageAccessError('invalid');
      const disposition = queryParam(query, 'rcd');
      const extra: SignedParams = disposition === undefined ? {} : { rcd: disposition };
      assertSigned({
        method: 'GET',
        path: key,
        expiresAt: queryParam(query, 'exp'),
        signature: queryParam(query, 'sig'),
        secret,
        extra,
        now: now(),
      });
      const object = await openObject(key, (size) =>
        typeof range === 'string' ? parseRangeHeader(range, size) : range ? resolveRange(range, size) : undefined,
      );
      const headers: Record<string, string> = {
        'Content-Type': object.contentType ?? 'application/octet-stream',
        'Content-Length': String(object.contentLength),
        'Accept-Ranges': 'bytes',
      };
      if (object.etag) headers.ETag = `"${object.etag}"`;
      if (object.lastModified) headers['Last-Modified'] = object.lastModified.toUTCString();
      if (object.cacheControl) headers['Cache-Control'] = object.cacheControl;
      if (disposition !== undefined) headers['Content-Disposition'] = disposition;
      if (object.range) headers['Content-Range'] = `bytes ${object.range.start}-${object.range.end}/${object.size}`;
      return { ...object, status: object.range ? 206 : 200, headers };
    },

    async verifyAndWriteObject(key, query, body, request) {
      holdErrors(body);
      if (!isSafe(assertSafeKey, key)) throw new StorageAccessError('invalid');
      const contentType = queryParam(query, 'ct');
      const length = queryParam(query, 'len');
      if (contentType === undefined || length === undefined) throw new StorageAccessError('missing');
      assertSigned({
        method: 'PUT',
        path: key,
        expiresAt: queryParam(query, 'exp'),
        signature: queryParam(query, 'sig'),
        secret,
        extra: { ct: contentType, len: length },
        now: now(),
      });
      const expected = Number(length);
      if (request.contentType !== contentType) {
        throw new InvalidUploadError(
          'content-type-mismatch',
          'Content-Type differs from the one the URL was issued for',
        );
      }
      if (request.contentLength !== undefined && Number(request.contentLength) !== expected) {
        throw new InvalidUploadError('size-mismatch', 'Content-Length differs from the size the URL was issued for');
      }
      const written = await writeObject(key, body, { contentType }, { max: expected, exact: expected });
      return { ...written, headers: { ETag: `"${written.etag}"` } };
    },

    async verifyAndWritePart(uploadId, partNumber, query, body, request = {}) {
      holdErrors(body);
      const part = String(partNumber);
      const key = queryParam(query, 'key');
      if (!LOCAL_UPLOAD_ID.test(uploadId) || !PART_NUMBER.test(part) || Number(part) > 10_000) {
        throw new StorageAccessError('invalid');
      }
      if (key === undefined) throw new StorageAccessError('missing');
      if (!isSafe(assertSafeKey, key)) throw new StorageAccessError('invalid');
      assertSigned({
        method: 'PUT',
        path: key,
        expiresAt: queryParam(query, 'exp'),
        signature: queryParam(query, 'sig'),
        secret,
        extra: { uploadId, partNumber: part },
        now: now(),
      });
      await manifestFor(key, uploadId);
      const declared = request.contentLength === undefined ? undefined : Number(request.contentLength);
      if (declared !== undefined) assertContentLength(declared, MAX_PART_SIZE);
      const { tmp, size, md5 } = await spool(body, { max: MAX_PART_SIZE, exact: declared });
      const etag = md5.toString('hex');
      const file = path.join(uploadDir(uploadId), part);
      const record = await tempFile();
      try {
        // Hide the old record first: while the new bytes land, the part is missing rather than wrong.
        await rm(`${file}.json`, { force: true });
        await rename(tmp, file);
        await writeFile(record, JSON.stringify({ etag, size } satisfies PartRecord));
        await rename(record, `${file}.json`);
      } catch (err) {
        await rm(tmp, { force: true });
        await rm(record, { force: true });
        // The upload was completed or aborted while this part was arriving.
        if (isMissing(err)) throw new UploadNotFoundError(uploadId);
        throw err;
      }
      return { etag, size, headers: { ETag: `"${etag}"` } };
    },

    async removeStaleTemporaryFiles(olderThan) {
      let names: string[];
      try {
        names = await readdir(tmpDir);
      } catch (err) {
        if (isMissing(err)) return 0;
        throw err;
      }
      let removed = 0;
      for (const name of names) {
        const file = path.join(tmpDir, name);
        try {
          if ((await stat(file)).mtime < olderThan) {
            await rm(file, { force: true });
            removed += 1;
          }
        } catch (err) {
          if (!isMissing(err)) throw err;
        }
      }
      return removed;
    },
  };
  return storage;
}
