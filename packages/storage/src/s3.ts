import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  ListPartsCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import {
  InvalidUploadError,
  ObjectNotFoundError,
  RangeNotSatisfiableError,
  UploadNotFoundError,
  type InvalidUploadReason,
} from './errors';
import {
  assertCompletionList,
  assertContentLength,
  assertExpiresIn,
  assertHeaderValue,
  assertPartNumber,
  assertUploadId,
  bodyToBuffer,
  forEachLimited,
  isStream,
  signingTime,
  streamToFile,
  unquoteEtag,
} from './internal';
import { assertFolderPrefix, assertSafeKey, assertSafePrefix } from './keys';
import {
  type CompletedPart,
  type ListedObject,
  MAX_PART_NUMBER,
  MIN_PART_SIZE,
  type MultipartUploadInfo,
  type ObjectInfo,
  type ObjectStorage,
  type ObjectStream,
  type PresignedUpload,
  type PutOptions,
  type UploadedPart,
} from './types';

/**
 * S3-compatible driver (Cloudflare R2, AWS S3, MinIO) on the AWS SDK v3. Browsers upload and play
 * straight from the bucket through presigned URLs; media bytes never pass through the API.
 *
 * The SDK's default CRC32 request checksums (since 3.729) are switched to "when required":
 * presigned PUTs would otherwise carry a checksum of an empty body, and several S3-compatible
 * servers reject or ignore the new headers. DeleteObjects still requires a checksum, so it also
 * gets the Content-MD5 header that older MinIO insists on.
 */

export interface S3StorageOptions {
  /** Unset for AWS; `https://<account>.r2.cloudflarestorage.com` for R2; `http://host:9000` for MinIO. */
  endpoint?: string;
  /** `auto` for R2. */
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** True for MinIO and most self-hosted servers; R2 and AWS work either way. */
  forcePathStyle: boolean;
  /** Clock in milliseconds used as the presigning time, for tests. */
  now?: () => number;
  /** Part size when put/putFile split an upload themselves (default 16 MiB, at least 5 MiB). */
  partSize?: number;
  /** putFile sends files up to this size in one PutObject (default 64 MiB). */
  singlePutMaxBytes?: number;
}

export interface S3Storage extends ObjectStorage {
  readonly driver: 's3';
  readonly bucket: string;
  /** Closes the client's sockets. */
  close(): void;
}

interface AwsErrorLike {
  name?: string;
  Code?: string;
  $metadata?: { httpStatusCode?: number };
}

function errorCode(err: unknown): string | undefined {
  const e = err as AwsErrorLike | undefined;
  return e?.Code ?? e?.name;
}

function httpStatus(err: unknown): number | undefined {
  return (err as AwsErrorLike | undefined)?.$metadata?.httpStatusCode;
}

const UPLOAD_ERRORS: Record<string, InvalidUploadReason> = {
  InvalidPart: 'invalid-part',
  InvalidPartOrder: 'invalid-part-order',
  EntityTooSmall: 'part-too-small',
  EntityTooLarge: 'too-large',
};

/** Maps the errors both drivers share to the same typed errors. */
function translate(err: unknown, context: { key?: string; uploadId?: string }): unknown {
  const code = errorCode(err);
  if (code === 'NoSuchUpload' && context.uploadId) return new UploadNotFoundError(context.uploadId);
  if ((code === 'NoSuchKey' || code === 'NotFound' || httpStatus(err) === 404) && context.key) {
    return new ObjectNotFoundError(context.key);
  }
  const reason = code ? UPLOAD_ERRORS[code] : undefined;
  if (reason) return new InvalidUploadError(reason, (err as Error).message);
  return err;
}

/** `bytes 0-99/1234` → start, end, total. */
function parseContentRange(value: string | undefined): { start: number; end: number; total: number } | undefined {
  const match = value ? /^bytes (\d+)-(\d+)\/(\d+)$/.exec(value) : null;
  if (!match) return undefined;
  return { start: Number(match[1]), end: Number(match[2]), total: Number(match[3]) };
}

export function createS3Storage(options: S3StorageOptions): S3Storage {
  const { bucket } = options;
  const now = options.now ?? Date.now;
  const partSize = Math.max(options.partSize ?? 16 * 1024 * 1024, MIN_PART_SIZE);
  const singlePutMaxBytes = options.singlePutMaxBytes ?? 64 * 1024 * 1024;
  const client = new S3Client({
    endpoint: options.endpoint,
    region: options.region,
    forcePathStyle: options.forcePathStyle,
    credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const request = args.request as { headers?: Record<string, string>; body?: unknown };
      if (context.commandName === 'DeleteObjectsCommand' && request.headers && typeof request.body === 'string') {
        request.headers['content-md5'] = createHash('md5').update(request.body).digest('base64');
      }
      return next(args);
    },
    { step: 'build', name: 'kushDeleteObjectsContentMd5' },
  );

  function presignOptions(expiresInSeconds: number, signedAt?: Date) {
    assertExpiresIn(expiresInSeconds);
    return { expiresIn: expiresInSeconds, signingDate: new Date(signingTime(now(), expiresInSeconds, signedAt)) };
  }

  async function putBuffer(key: string, body: Buffer, opts: PutOptions): Promise<void> {
    await client.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: body,
        ContentLength: body.length,
        ContentType: opts.contentType,
        CacheControl: opts.cacheControl,
      }),
    );
  }

  async function uploadPart(
    key: string,
    uploadId: string,
    partNumber: number,
    body: Buffer | Readable,
    length: number,
  ) {
    const out = await client.send(
      new UploadPartCommand({
        Bucket: bucket,
        Key: key,
        UploadId: uploadId,
        PartNumber: partNumber,
        Body: body,
        ContentLength: length,
      }),
    );
    if (!out.ETag) throw new Error(`part ${partNumber} of ${key} was stored without an ETag`);
    return { partNumber, etag: unquoteEtag(out.ETag) };
  }

  /** Runs a multipart upload from our side, aborting it if anything fails. */
  async function multipart(
    key: string,
    opts: PutOptions,
    send: (uploadId: string) => Promise<CompletedPart[]>,
  ): Promise<void> {
    const created = await client.send(
      new CreateMultipartUploadCommand({
        Bucket: bucket,
        Key: key,
        ContentType: opts.contentType,
        CacheControl: opts.cacheControl,
      }),
    );
    const uploadId = created.UploadId;
    if (!uploadId) throw new Error('CreateMultipartUpload returned no UploadId');
    try {
      const parts = await send(uploadId);
      await storage.completeMultipartUpload(
        key,
        uploadId,
        parts.sort((a, b) => a.partNumber - b.partNumber),
      );
    } catch (err) {
      await storage.abortMultipartUpload(key, uploadId).catch(() => undefined);
      throw err;
    }
  }

  /** A stream of unknown length: one PutObject if it fits in a part, else parts of `partSize` (memory stays at one part). */
  async function putStream(key: string, stream: Readable, opts: PutOptions): Promise<void> {
    const iterator = stream[Symbol.asyncIterator]();
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    let done = false;
    const fill = async (): Promise<Buffer> => {
      while (!done && pendingBytes < partSize) {
        const next = (await iterator.next()) as IteratorResult<Buffer | string>;
        if (next.done) {
          done = true;
          break;
        }
        const chunk = typeof next.value === 'string' ? Buffer.from(next.value) : next.value;
        pending.push(chunk);
        pendingBytes += chunk.length;
      }
      const all = Buffer.concat(pending);
      const part = all.subarray(0, partSize);
      const rest = all.subarray(partSize);
      pending = rest.length > 0 ? [rest] : [];
      pendingBytes = rest.length;
      return part;
    };

    const first = await fill();
    if (done && pendingBytes === 0) {
      await putBuffer(key, first, opts);
      return;
    }
    await multipart(key, opts, async (uploadId) => {
      const parts: CompletedPart[] = [await uploadPart(key, uploadId, 1, first, first.length)];
      while (!done || pendingBytes > 0) {
        const part = await fill();
        if (part.length === 0) break;
        if (parts.length >= MAX_PART_NUMBER) throw new InvalidUploadError('too-large', 'stream needs too many parts');
        parts.push(await uploadPart(key, uploadId, parts.length + 1, part, part.length));
      }
      return parts;
    }).catch(async (err: unknown) => {
      stream.destroy();
      throw err;
    });
  }

  async function* listPages(prefix: string): AsyncGenerator<ListedObject> {
    let token: string | undefined;
    do {
      const out = await client.send(
        new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix || undefined, ContinuationToken: token }),
      );
      for (const item of out.Contents ?? []) {
        if (item.Key === undefined) continue;
        yield { key: item.Key, size: item.Size ?? 0, lastModified: item.LastModified ?? new Date(0) };
      }
      token = out.IsTruncated ? out.NextContinuationToken : undefined;
    } while (token);
  }

  async function collectKeys(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    for await (const object of listPages(prefix)) keys.push(object.key);
    return keys;
  }

  const storage: S3Storage = {
    driver: 's3',
    bucket,

    close() {
      client.destroy();
    },

    async put(key, body, opts = {}) {
      assertSafeKey(key);
      if (isStream(body)) await putStream(key, body, opts);
      else await putBuffer(key, bodyToBuffer(body), opts);
    },

    async putFile(key, localPath, opts = {}) {
      assertSafeKey(key);
      const { size } = await stat(localPath);
      if (size <= singlePutMaxBytes) {
        await client.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: key,
            Body: createReadStream(localPath),
            ContentLength: size,
            ContentType: opts.contentType,
            CacheControl: opts.cacheControl,
          }),
        );
        return;
      }
      const fileParts = Math.max(partSize, Math.ceil(size / MAX_PART_NUMBER));
      const numbers = Array.from({ length: Math.ceil(size / fileParts) }, (_, i) => i + 1);
      await multipart(key, opts, async (uploadId) => {
        const parts: CompletedPart[] = [];
        await forEachLimited(numbers, 4, async (partNumber) => {
          const start = (partNumber - 1) * fileParts;
          const end = Math.min(start + fileParts, size) - 1;
          const body = createReadStream(localPath, { start, end });
          parts.push(await uploadPart(key, uploadId, partNumber, body, end - start + 1));
        });
        return parts;
      });
    },

    async getStream(key, range) {
      assertSafeKey(key);
      if (range) {
        if (!Number.isSafeInteger(range.start) || range.start < 0) throw new RangeError('range.start must be >= 0');
        if (range.end !== undefined && (!Number.isSafeInteger(range.end) || range.end < range.start)) {
          throw new RangeError('range.end must be >= range.start');
        }
      }
      let out;
      try {
        out = await client.send(
          new GetObjectCommand({
            Bucket: bucket,
            Key: key,
            Range: range ? `bytes=${range.start}-${range.end ?? ''}` : undefined,
          }),
        );
      } catch (err) {
        if (errorCode(err) === 'InvalidRange' || httpStatus(err) === 416) {
          const info = await storage.head(key);
          if (!info) throw new ObjectNotFoundError(key);
          throw new RangeNotSatisfiableError(info.size);
        }
        throw translate(err, { key });
      }
      if (!(out.Body instanceof Readable)) throw new Error('expected a Node.js stream from GetObject');
      const served = parseContentRange(out.ContentRange);
      const contentLength = out.ContentLength ?? 0;
      const result: ObjectStream = {
        stream: out.Body,
        size: served ? served.total : contentLength,
        contentLength,
        range: served ? { start: served.start, end: served.end } : undefined,
        contentType: out.ContentType,
        cacheControl: out.CacheControl,
        etag: out.ETag ? unquoteEtag(out.ETag) : undefined,
        lastModified: out.LastModified,
      };
      return result;
    },

    async downloadToFile(key, localPath) {
      const { stream } = await storage.getStream(key);
      await streamToFile(stream, localPath);
    },

    async head(key): Promise<ObjectInfo | null> {
      assertSafeKey(key);
      try {
        const out = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
        return {
          size: out.ContentLength ?? 0,
          contentType: out.ContentType,
          cacheControl: out.CacheControl,
          etag: out.ETag ? unquoteEtag(out.ETag) : undefined,
          lastModified: out.LastModified ?? new Date(0),
        };
      } catch (err) {
        if (translate(err, { key }) instanceof ObjectNotFoundError) return null;
        throw err;
      }
    },

    async delete(key) {
      assertSafeKey(key);
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    },

    async deletePrefix(prefix) {
      assertFolderPrefix(prefix);
      const keys = await collectKeys(prefix);
      for (let i = 0; i < keys.length; i += 1000) {
        const batch = keys.slice(i, i + 1000);
        const out = await client.send(
          new DeleteObjectsCommand({
            Bucket: bucket,
            Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true },
          }),
        );
        const failed = out.Errors?.[0];
        if (failed) throw new Error(`could not delete ${failed.Key}: ${failed.Code} ${failed.Message}`);
      }
      return keys.length;
    },

    list(prefix) {
      assertSafePrefix(prefix);
      return listPages(prefix);
    },

    async copyPrefix(fromPrefix, toPrefix) {
      assertFolderPrefix(fromPrefix);
      assertFolderPrefix(toPrefix);
      const keys = await collectKeys(fromPrefix);
      await forEachLimited(keys, 8, async (key) => {
        const target = toPrefix + key.slice(fromPrefix.length);
        assertSafeKey(target);
        // Keys are [A-Za-z0-9._/-] only, so the copy source needs no further encoding.
        await client.send(new CopyObjectCommand({ Bucket: bucket, Key: target, CopySource: `${bucket}/${key}` }));
      });
      return keys.length;
    },

    async presignGet(key, opts) {
      assertSafeKey(key);
      if (opts.contentDisposition !== undefined) assertHeaderValue(opts.contentDisposition, 'contentDisposition');
      const command = new GetObjectCommand({
        Bucket: bucket,
        Key: key,
        ResponseContentDisposition: opts.contentDisposition,
      });
      return getSignedUrl(client, command, presignOptions(opts.expiresInSeconds, opts.signedAt));
    },

    async presignPut(key, opts): Promise<PresignedUpload> {
      assertSafeKey(key);
      assertHeaderValue(opts.contentType, 'contentType');
      assertContentLength(opts.contentLength);
      const signing = presignOptions(opts.expiresInSeconds);
      // Content-Type and Content-Length become signed headers: S3/R2 refuse any other type or size.
      const command = new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        ContentType: opts.contentType,
        ContentLength: opts.contentLength,
      });
      const url = await getSignedUrl(client, command, {
        ...signing,
        signableHeaders: new Set(['content-type', 'content-length']),
      });
      return {
        url,
        method: 'PUT',
        headers: { 'Content-Type': opts.contentType },
        expiresAt: new Date(signing.signingDate.getTime() + opts.expiresInSeconds * 1000),
      };
    },

    async createMultipartUpload(key, opts) {
      assertSafeKey(key);
      assertHeaderValue(opts.contentType, 'contentType');
      if (opts.cacheControl !== undefined) assertHeaderValue(opts.cacheControl, 'cacheControl');
      const out = await client.send(
        new CreateMultipartUploadCommand({
          Bucket: bucket,
          Key: key,
          ContentType: opts.contentType,
          CacheControl: opts.cacheControl,
        }),
      );
      if (!out.UploadId) throw new Error('CreateMultipartUpload returned no UploadId');
      return out.UploadId;
    },

    async presignUploadPart(key, uploadId, partNumber, opts) {
      assertSafeKey(key);
      assertUploadId(uploadId);
      assertPartNumber(partNumber);
      const command = new UploadPartCommand({ Bucket: bucket, Key: key, UploadId: uploadId, PartNumber: partNumber });
      return getSignedUrl(client, command, presignOptions(opts.expiresInSeconds));
    },

    async listParts(key, uploadId) {
      assertSafeKey(key);
      assertUploadId(uploadId);
      const parts: UploadedPart[] = [];
      let marker: string | undefined;
      try {
        do {
          const out = await client.send(
            new ListPartsCommand({ Bucket: bucket, Key: key, UploadId: uploadId, PartNumberMarker: marker }),
          );
          for (const part of out.Parts ?? []) {
            if (part.PartNumber === undefined || part.ETag === undefined) continue;
            parts.push({ partNumber: part.PartNumber, etag: unquoteEtag(part.ETag), size: part.Size ?? 0 });
          }
          marker = out.IsTruncated ? out.NextPartNumberMarker : undefined;
        } while (marker);
      } catch (err) {
        throw translate(err, { uploadId });
      }
      return parts.sort((a, b) => a.partNumber - b.partNumber);
    },

    async completeMultipartUpload(key, uploadId, parts) {
      assertSafeKey(key);
      assertUploadId(uploadId);
      assertCompletionList(parts);
      try {
        const out = await client.send(
          new CompleteMultipartUploadCommand({
            Bucket: bucket,
            Key: key,
            UploadId: uploadId,
            MultipartUpload: {
              Parts: parts.map((part) => ({ PartNumber: part.partNumber, ETag: `"${unquoteEtag(part.etag)}"` })),
            },
          }),
        );
        return { etag: out.ETag ? unquoteEtag(out.ETag) : '' };
      } catch (err) {
        throw translate(err, { uploadId });
      }
    },

    async abortMultipartUpload(key, uploadId) {
      assertSafeKey(key);
      assertUploadId(uploadId);
      try {
        await client.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId }));
      } catch (err) {
        if (errorCode(err) === 'NoSuchUpload' || httpStatus(err) === 404) return;
        throw err;
      }
    },

    async listMultipartUploads(prefix) {
      assertSafePrefix(prefix);
      const uploads: MultipartUploadInfo[] = [];
      let keyMarker: string | undefined;
      let uploadIdMarker: string | undefined;
      do {
        const out = await client.send(
          new ListMultipartUploadsCommand({
            Bucket: bucket,
            Prefix: prefix || undefined,
            KeyMarker: keyMarker,
            UploadIdMarker: uploadIdMarker,
          }),
        );
        for (const upload of out.Uploads ?? []) {
          if (!upload.Key || !upload.UploadId) continue;
          uploads.push({ key: upload.Key, uploadId: upload.UploadId, initiated: upload.Initiated ?? new Date(0) });
        }
        const truncated = out.IsTruncated === true;
        keyMarker = truncated ? out.NextKeyMarker : undefined;
        uploadIdMarker = truncated ? out.NextUploadIdMarker : undefined;
      } while (keyMarker);
      return uploads;
    },

    async ping() {
      await client.send(new HeadBucketCommand({ Bucket: bucket }));
    },
  };
  return storage;
}
