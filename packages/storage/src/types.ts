import { type Readable } from 'node:stream';

/**
 * One object storage interface with two drivers: local disk (embedded default, URLs served and
 * verified by the API) and S3-compatible (R2, AWS S3, MinIO; URLs presigned for the bucket).
 * Every method validates its keys with assertSafeKey first.
 */

export type StorageDriver = 'local' | 's3';

export type ObjectBody = Buffer | Uint8Array | string | Readable;

export interface PutOptions {
  contentType?: string;
  cacheControl?: string;
}

/** Inclusive byte range, as in HTTP `Range: bytes=start-end`; `end` defaults to the last byte. */
export interface ByteRange {
  start: number;
  end?: number;
}

export interface ObjectStream {
  stream: Readable;
  /** Size of the whole object. */
  size: number;
  /** Bytes in `stream`: the range length for a range read, else `size`. */
  contentLength: number;
  /** The range actually served (clamped to the object), present for range reads. */
  range?: { start: number; end: number };
  contentType?: string;
  cacheControl?: string;
  etag?: string;
  lastModified?: Date;
}

export interface ObjectInfo {
  size: number;
  contentType?: string;
  cacheControl?: string;
  /** Without quotes; md5 hex for single uploads, `md5-N` for multipart (as S3 reports them). */
  etag?: string;
  lastModified: Date;
}

export interface ListedObject {
  key: string;
  size: number;
  lastModified: Date;
}

export interface PresignGetOptions {
  expiresInSeconds: number;
  /**
   * Sign as of this moment instead of now (not in the future, and the URL must still be valid). A
   * time rounded down to a bucket (e.g. the start of the day) gives the same URL for every call in
   * that bucket, so URLs embedded in cached responses stay stable and CDN caches keep hitting.
   */
  signedAt?: Date;
  /** Sets the response's Content-Disposition (e.g. `attachment; filename="x.mp4"`). */
  contentDisposition?: string;
}

export interface PresignPutOptions {
  expiresInSeconds: number;
  /** The client must send exactly this Content-Type. */
  contentType: string;
  /** The client must send exactly this many bytes. */
  contentLength: number;
}

export interface PresignedUpload {
  url: string;
  method: 'PUT';
  /** Headers the client must send with the PUT (Content-Length is set by the browser itself). */
  headers: Record<string, string>;
  expiresAt: Date;
}

export interface CreateMultipartOptions {
  contentType: string;
  cacheControl?: string;
}

export interface PresignPartOptions {
  expiresInSeconds: number;
}

export interface UploadedPart {
  partNumber: number;
  /** Without quotes. */
  etag: string;
  size: number;
}

export interface CompletedPart {
  partNumber: number;
  /** With or without quotes. */
  etag: string;
}

export interface MultipartUploadInfo {
  key: string;
  uploadId: string;
  initiated: Date;
}

export interface ObjectStorage {
  readonly driver: StorageDriver;

  put(key: string, body: ObjectBody, opts?: PutOptions): Promise<void>;
  putFile(key: string, localPath: string, opts?: PutOptions): Promise<void>;
  /** Throws ObjectNotFoundError when missing, RangeNotSatisfiableError when the range starts past the end. */
  getStream(key: string, range?: ByteRange): Promise<ObjectStream>;
  /** Writes to a temporary file beside `localPath`, then renames it into place. */
  downloadToFile(key: string, localPath: string): Promise<void>;
  head(key: string): Promise<ObjectInfo | null>;
  /** Deleting a missing key is not an error. */
  delete(key: string): Promise<void>;
  /** `prefix` must end with `/`. Returns how many objects were deleted. */
  deletePrefix(prefix: string): Promise<number>;
  /** Keys in ascending (byte) order, every page. */
  list(prefix: string): AsyncIterable<ListedObject>;
  /**
   * Copies every object under `fromPrefix` to the same relative key under `toPrefix`, overwriting;
   * both must end with `/`. Returns how many objects were copied.
   */
  copyPrefix(fromPrefix: string, toPrefix: string): Promise<number>;

  presignGet(key: string, opts: PresignGetOptions): Promise<string>;
  /** A single PUT: for objects up to a few hundred MB. */
  presignPut(key: string, opts: PresignPutOptions): Promise<PresignedUpload>;

  /** Multipart: for large objects, resumable part by part. Returns the upload id. */
  createMultipartUpload(key: string, opts: CreateMultipartOptions): Promise<string>;
  presignUploadPart(key: string, uploadId: string, partNumber: number, opts: PresignPartOptions): Promise<string>;
  /** Parts stored so far (every page), ascending; this is how a client resumes. */
  listParts(key: string, uploadId: string): Promise<UploadedPart[]>;
  /** Parts in ascending order; every part but the last must be at least 5 MiB. */
  completeMultipartUpload(key: string, uploadId: string, parts: CompletedPart[]): Promise<{ etag: string }>;
  /** Idempotent: aborting an unknown or finished upload is not an error. */
  abortMultipartUpload(key: string, uploadId: string): Promise<void>;
  /** Uploads in progress whose key starts with `prefix`, for the sweeper. */
  listMultipartUploads(prefix: string): Promise<MultipartUploadInfo[]>;

  /** Readiness: resolves when the storage is reachable and writable, throws otherwise. */
  ping(): Promise<void>;
}

/** S3 allows 1..10000 parts; each part but the last must be at least 5 MiB and at most 5 GiB. */
export const MAX_PART_NUMBER = 10_000;
export const MIN_PART_SIZE = 5 * 1024 * 1024;
export const MAX_PART_SIZE = 5 * 1024 * 1024 * 1024;
/** S3 and R2 refuse presigned URLs valid for longer than 7 days; the local driver follows suit. */
export const MAX_PRESIGN_SECONDS = 7 * 24 * 3600;

/** Reads a whole (small) object into memory: playlists, subtitles, manifests. */
export async function readObject(storage: Pick<ObjectStorage, 'getStream'>, key: string): Promise<Buffer> {
  const { stream } = await storage.getStream(key);
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}
