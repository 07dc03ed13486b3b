import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  InvalidStorageKeyError,
  InvalidUploadError,
  ObjectNotFoundError,
  RangeNotSatisfiableError,
  UploadNotFoundError,
} from './errors';
import { createLocalStorage } from './local';
import { createS3Storage } from './s3';
import { sweepAbandonedUploads } from './sweeper';
import { startStorageRoutes } from './test-support';
import { MIN_PART_SIZE, type ObjectStorage } from './types';

/**
 * One contract, every driver: local disk (behind the same node:http routes the API mounts), S3
 * through the real AWS SDK against s3rver in-process, and a real S3-compatible server (MinIO, R2,
 * AWS) when TEST_S3_* is set. s3rver cannot do everything S3 does; `supports` lists the gaps and
 * the tests that need them are skipped for it (their names say why).
 */

interface Supports {
  /** The server checks presigned V4 signatures (s3rver accepts any signature; it does check expiry). */
  verifiesSignatures: boolean;
  listParts: boolean;
  listMultipartUploads: boolean;
  abortMultipartUpload: boolean;
  /** Completion checks each part's etag and the 5 MiB minimum (s3rver concatenates whatever is there). */
  validatesParts: boolean;
  /** Completed multipart objects get S3's `md5-N` etag (s3rver uses the plain md5). */
  multipartEtag: boolean;
  /** Listings come in S3's byte order (s3rver walks its folders, so `a/b` comes before `a-c`). */
  byteOrderListing: boolean;
}

interface Clock {
  offsetMs: number;
  now: () => number;
}

interface Harness {
  storage: ObjectStorage;
  close(): Promise<void>;
}

interface DriverCase {
  name: string;
  supports: Supports;
  make(clock: Clock): Promise<Harness>;
}

const SECRET = 'test-media-signing-secret-0123456789abcdef';
const everything: Supports = {
  verifiesSignatures: true,
  listParts: true,
  listMultipartUploads: true,
  abortMultipartUpload: true,
  validatesParts: true,
  multipartEtag: true,
  byteOrderListing: true,
};

const drivers: DriverCase[] = [
  {
    name: 'local',
    supports: everything,
    async make(clock) {
      const root = await mkdtemp(path.join(tmpdir(), 'kf-storage-local-'));
      const routes = await startStorageRoutes();
      const storage = createLocalStorage({
        root,
        publicBaseUrl: routes.baseUrl,
        signingSecret: SECRET,
        now: clock.now,
      });
      routes.use(storage);
      return {
        storage,
        async close() {
          await routes.close();
          await rm(root, { recursive: true, force: true });
        },
      };
    },
  },
  {
    name: 's3 (s3rver)',
    supports: {
      verifiesSignatures: false,
      listParts: false,
      listMultipartUploads: false,
      abortMultipartUpload: false,
      validatesParts: false,
      multipartEtag: false,
      byteOrderListing: false,
    },
    async make(clock) {
      const directory = await mkdtemp(path.join(tmpdir(), 'kf-storage-s3rver-'));
      const server = new S3rver({
        address: '127.0.0.1',
        port: 0,
        silent: true,
        directory,
        configureBuckets: [{ name: 'kush-media' }],
      });
      const { port } = await server.run();
      const storage = createS3Storage({
        endpoint: `http://127.0.0.1:${port}`,
        region: 'us-east-1',
        bucket: 'kush-media',
        accessKeyId: 'S3RVER',
        secretAccessKey: 'S3RVER',
        forcePathStyle: true,
        now: clock.now,
        partSize: MIN_PART_SIZE,
      });
      return {
        storage,
        async close() {
          storage.close();
          await server.close();
          await rm(directory, { recursive: true, force: true });
        },
      };
    },
  },
];

const external = process.env.TEST_S3_ENDPOINT;
if (external) {
  drivers.push({
    name: `s3 (${external})`,
    supports: everything,
    async make(clock) {
      const storage = createS3Storage({
        endpoint: external,
        region: process.env.TEST_S3_REGION ?? 'us-east-1',
        bucket: process.env.TEST_S3_BUCKET ?? 'kush-test',
        accessKeyId: process.env.TEST_S3_ACCESS_KEY_ID ?? '',
        secretAccessKey: process.env.TEST_S3_SECRET_ACCESS_KEY ?? '',
        forcePathStyle: process.env.TEST_S3_FORCE_PATH_STYLE !== 'false',
        now: clock.now,
        partSize: MIN_PART_SIZE,
      });
      return {
        storage,
        async close() {
          storage.close();
        },
      };
    },
  });
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function md5(data: Buffer): string {
  return createHash('md5').update(data).digest('hex');
}

/** Sends the first `sendBytes` of a PUT that announced `body.length`, then drops the connection. */
function dropMidUpload(url: string, body: Buffer, sendBytes: number): Promise<void> {
  return new Promise((resolve) => {
    const req = request(new URL(url), { method: 'PUT', headers: { 'Content-Length': String(body.length) } });
    req.on('error', () => resolve());
    req.write(body.subarray(0, sendBytes), () => {
      setTimeout(() => {
        req.destroy();
        resolve();
      }, 50);
    });
  });
}

describe.each(drivers)('$name driver', ({ supports, make }) => {
  const clock: Clock = { offsetMs: 0, now: () => Date.now() + clock.offsetMs };
  let harness: Harness;
  let storage: ObjectStorage;
  let scratch: string;
  const base = () => `test/${randomUUID()}/`;

  beforeAll(async () => {
    harness = await make(clock);
    storage = harness.storage;
    scratch = await mkdtemp(path.join(tmpdir(), 'kf-storage-files-'));
  });
  afterAll(async () => {
    await harness?.close();
    await rm(scratch, { recursive: true, force: true });
  });

  it('answers ping', async () => {
    await expect(storage.ping()).resolves.toBeUndefined();
  });

  describe('objects', () => {
    it('puts and reads back every body type, with content type and cache control', async () => {
      const p = base();
      const bodies: [string, Buffer | Uint8Array | string | Readable, Buffer][] = [
        ['buffer', Buffer.from('buffer body'), Buffer.from('buffer body')],
        ['string', 'string body ✓', Buffer.from('string body ✓')],
        ['uint8', new Uint8Array([1, 2, 3, 250]), Buffer.from([1, 2, 3, 250])],
        ['stream', Readable.from([Buffer.from('str'), Buffer.from('eam')]), Buffer.from('stream')],
      ];
      for (const [name, body, bytes] of bodies) {
        await storage.put(`${p}${name}`, body, { contentType: 'text/plain', cacheControl: 'public, max-age=60' });
        const info = await storage.head(`${p}${name}`);
        expect(info).toMatchObject({
          size: bytes.length,
          contentType: 'text/plain',
          cacheControl: 'public, max-age=60',
        });
        expect(info?.etag).toBe(md5(bytes));
        expect(info?.lastModified).toBeInstanceOf(Date);
        const got = await storage.getStream(`${p}${name}`);
        expect(got).toMatchObject({ size: bytes.length, contentLength: bytes.length, contentType: 'text/plain' });
        expect(await readAll(got.stream)).toEqual(bytes);
      }
    });

    it('overwrites an object', async () => {
      const key = `${base()}object`;
      await storage.put(key, 'first version', { contentType: 'text/plain' });
      await storage.put(key, 'second', { contentType: 'application/json' });
      expect(await storage.head(key)).toMatchObject({ size: 6, contentType: 'application/json' });
      expect((await readAll((await storage.getStream(key)).stream)).toString()).toBe('second');
    });

    it('reports a missing object as null / ObjectNotFoundError, and deleting it is not an error', async () => {
      const key = `${base()}missing`;
      expect(await storage.head(key)).toBeNull();
      await expect(storage.getStream(key)).rejects.toBeInstanceOf(ObjectNotFoundError);
      await expect(storage.downloadToFile(key, path.join(scratch, 'missing'))).rejects.toBeInstanceOf(
        ObjectNotFoundError,
      );
      await expect(storage.delete(key)).resolves.toBeUndefined();
    });

    it('deletes an object', async () => {
      const key = `${base()}gone`;
      await storage.put(key, 'bye');
      await storage.delete(key);
      expect(await storage.head(key)).toBeNull();
    });

    it('streams a body larger than one part (multipart on S3) without knowing its length', async () => {
      const key = `${base()}big-stream`;
      const data = randomBytes(2 * MIN_PART_SIZE + 12_345);
      const chunks = Array.from({ length: Math.ceil(data.length / 65_536) }, (_, i) =>
        data.subarray(i * 65_536, (i + 1) * 65_536),
      );
      await storage.put(key, Readable.from(chunks), { contentType: 'video/mp4' });
      expect(await storage.head(key)).toMatchObject({ size: data.length, contentType: 'video/mp4' });
      expect(md5(await readAll((await storage.getStream(key)).stream))).toBe(md5(data));
    });

    it('uploads from a file and downloads to a file', async () => {
      const key = `${base()}file.bin`;
      const data = randomBytes(300_000);
      const source = path.join(scratch, `${randomUUID()}.src`);
      const target = path.join(scratch, `${randomUUID()}.dst`);
      await writeFile(source, data);
      await storage.putFile(key, source, { contentType: 'application/octet-stream' });
      await storage.downloadToFile(key, target);
      expect(md5(await readFile(target))).toBe(md5(data));
    });

    it('reads byte ranges, clamping the end and refusing a start past the end', async () => {
      const key = `${base()}digits`;
      await storage.put(key, '0123456789', { contentType: 'text/plain' });
      const cases: [{ start: number; end?: number }, string, { start: number; end: number }][] = [
        [{ start: 2, end: 5 }, '2345', { start: 2, end: 5 }],
        [{ start: 7 }, '789', { start: 7, end: 9 }],
        [{ start: 8, end: 100 }, '89', { start: 8, end: 9 }],
        // Not bytes=0-0: s3rver reads an end of 0 as "no end" (real S3 and the local driver serve one byte).
        [{ start: 0, end: 1 }, '01', { start: 0, end: 1 }],
      ];
      for (const [range, text, served] of cases) {
        const got = await storage.getStream(key, range);
        expect({ size: got.size, contentLength: got.contentLength, range: got.range }).toEqual({
          size: 10,
          contentLength: text.length,
          range: served,
        });
        expect((await readAll(got.stream)).toString()).toBe(text);
      }
      const past = storage.getStream(key, { start: 10 });
      await expect(past).rejects.toBeInstanceOf(RangeNotSatisfiableError);
      await expect(past).rejects.toMatchObject({ size: 10 });
    });
  });

  describe('prefixes', () => {
    it('lists keys under a prefix in byte order, including partial-segment prefixes', async () => {
      const p = base();
      const keys = ['b', 'ab', 'a/c/d', 'a-c', 'a/b'];
      for (const key of keys) await storage.put(p + key, key);
      const listed = async (prefix: string) => {
        const out: string[] = [];
        for await (const object of storage.list(prefix)) out.push(object.key.slice(p.length));
        return supports.byteOrderListing ? out : out.sort();
      };
      expect(await listed(p)).toEqual(['a-c', 'a/b', 'a/c/d', 'ab', 'b']);
      expect(await listed(`${p}a`)).toEqual(['a-c', 'a/b', 'a/c/d', 'ab']);
      expect(await listed(`${p}a/`)).toEqual(['a/b', 'a/c/d']);
      expect(await listed(`${p}a/c`)).toEqual(['a/c/d']);
      expect(await listed(`${p}zzz`)).toEqual([]);
      for await (const object of storage.list(`${p}a/b`)) {
        expect(object).toMatchObject({ key: `${p}a/b`, size: 3 });
        expect(object.lastModified).toBeInstanceOf(Date);
      }
    });

    it('copies a prefix (publishing a transcode) and keeps content types', async () => {
      const p = base();
      await storage.put(`${p}staging/master.m3u8`, '#EXTM3U\n', { contentType: 'application/vnd.apple.mpegurl' });
      await storage.put(`${p}staging/720p/seg_00001.ts`, randomBytes(1000), { contentType: 'video/mp2t' });
      await storage.put(`${p}stagingX/not-me`, 'x');
      expect(await storage.copyPrefix(`${p}staging/`, `${p}hls/`)).toBe(2);
      expect(await storage.head(`${p}hls/master.m3u8`)).toMatchObject({
        size: 8,
        contentType: 'application/vnd.apple.mpegurl',
      });
      expect(await storage.head(`${p}hls/720p/seg_00001.ts`)).toMatchObject({ size: 1000, contentType: 'video/mp2t' });
      expect(await storage.head(`${p}hls/not-me`)).toBeNull();
      expect(await storage.head(`${p}staging/master.m3u8`)).not.toBeNull();
    });

    it('deletes a prefix and nothing beside it', async () => {
      const p = base();
      for (const key of ['x/1', 'x/2', 'x/deep/3', 'xy', 'x-sibling/4']) await storage.put(p + key, key);
      expect(await storage.deletePrefix(`${p}x/`)).toBe(3);
      const left: string[] = [];
      for await (const object of storage.list(p)) left.push(object.key.slice(p.length));
      expect(left.sort()).toEqual(['x-sibling/4', 'xy']);
      expect(await storage.deletePrefix(`${p}nothing/`)).toBe(0);
    });

    it('refuses bulk operations on prefixes that are not folders', async () => {
      for (const prefix of ['', 'test', '../', 'a//', '/abs/']) {
        await expect(storage.deletePrefix(prefix)).rejects.toBeInstanceOf(InvalidStorageKeyError);
        await expect(storage.copyPrefix(prefix, 'to/')).rejects.toBeInstanceOf(InvalidStorageKeyError);
        await expect(storage.copyPrefix('from/', prefix)).rejects.toBeInstanceOf(InvalidStorageKeyError);
      }
      expect(() => storage.list('../')).toThrow(InvalidStorageKeyError);
      await expect(storage.listMultipartUploads('a/../')).rejects.toBeInstanceOf(InvalidStorageKeyError);
    });
  });

  describe('keys', () => {
    const badKeys = [
      '',
      '/abs',
      'a//b',
      '../x',
      'a/../b',
      'a/./b',
      '.',
      '..',
      'a/',
      '.hidden',
      'a/.meta.json',
      'a\\b',
      'a b',
      '%2e%2e%2fx',
      '..%2fx',
      'é',
      'a\u0000b',
      'x'.repeat(513),
    ];
    const calls: [string, (s: ObjectStorage, key: string) => Promise<unknown>][] = [
      ['put', (s, k) => s.put(k, 'x')],
      ['putFile', (s, k) => s.putFile(k, fileURLToPath(import.meta.url))],
      ['getStream', (s, k) => s.getStream(k)],
      ['downloadToFile', (s, k) => s.downloadToFile(k, path.join(tmpdir(), `kf-never-${randomUUID()}`))],
      ['head', (s, k) => s.head(k)],
      ['delete', (s, k) => s.delete(k)],
      ['presignGet', (s, k) => s.presignGet(k, { expiresInSeconds: 60 })],
      ['presignPut', (s, k) => s.presignPut(k, { expiresInSeconds: 60, contentType: 'video/mp4', contentLength: 1 })],
      ['createMultipartUpload', (s, k) => s.createMultipartUpload(k, { contentType: 'video/mp4' })],
      ['presignUploadPart', (s, k) => s.presignUploadPart(k, 'a'.repeat(32), 1, { expiresInSeconds: 60 })],
      ['listParts', (s, k) => s.listParts(k, 'a'.repeat(32))],
      [
        'completeMultipartUpload',
        (s, k) => s.completeMultipartUpload(k, 'a'.repeat(32), [{ partNumber: 1, etag: 'e' }]),
      ],
      ['abortMultipartUpload', (s, k) => s.abortMultipartUpload(k, 'a'.repeat(32))],
    ];
    it.each(calls)('%s refuses unsafe keys', async (_name, call) => {
      for (const key of badKeys) {
        await expect(call(storage, key), JSON.stringify(key)).rejects.toBeInstanceOf(InvalidStorageKeyError);
      }
    });

    it('refuses bad part numbers and expiries', async () => {
      const key = `${base()}k`;
      for (const partNumber of [0, -1, 10_001, 1.5]) {
        await expect(
          storage.presignUploadPart(key, 'a'.repeat(32), partNumber, { expiresInSeconds: 60 }),
        ).rejects.toThrow();
      }
      for (const expiresInSeconds of [0, -5, 604_801, 1.5]) {
        await expect(storage.presignGet(key, { expiresInSeconds })).rejects.toThrow(RangeError);
      }
    });
  });

  describe('presigned GET', () => {
    it('serves the object, ranges and a content disposition', async () => {
      const key = `${base()}segment.ts`;
      await storage.put(key, '0123456789', { contentType: 'video/mp2t' });
      const url = await storage.presignGet(key, { expiresInSeconds: 300 });
      const full = await fetch(url);
      expect(full.status).toBe(200);
      expect(full.headers.get('content-type')).toBe('video/mp2t');
      expect(await full.text()).toBe('0123456789');

      const partial = await fetch(url, { headers: { Range: 'bytes=3-5' } });
      expect(partial.status).toBe(206);
      expect(partial.headers.get('content-range')).toBe('bytes 3-5/10');
      expect(await partial.text()).toBe('345');

      const download = await storage.presignGet(key, {
        expiresInSeconds: 300,
        contentDisposition: 'attachment; filename="film.ts"',
      });
      const res = await fetch(download);
      expect(res.headers.get('content-disposition')).toBe('attachment; filename="film.ts"');
      await res.arrayBuffer();
    });

    it('answers 404 for a signed URL to a missing object', async () => {
      const res = await fetch(await storage.presignGet(`${base()}nothing`, { expiresInSeconds: 60 }));
      expect(res.status).toBe(404);
      await res.arrayBuffer();
    });

    it('refuses an expired URL with 403', async () => {
      const key = `${base()}old`;
      await storage.put(key, 'old');
      clock.offsetMs = -3600_000;
      const url = await storage.presignGet(key, { expiresInSeconds: 60 });
      clock.offsetMs = 0;
      const res = await fetch(url);
      expect(res.status).toBe(403);
      await res.arrayBuffer();
    });

    it('signs as of a given past moment: the same URL for every call, still valid', async () => {
      const key = `${base()}poster.webp`;
      await storage.put(key, 'webp bytes', { contentType: 'image/webp' });
      const signedAt = new Date(Math.floor(clock.now() / 86_400_000) * 86_400_000 - 3600_000);
      const first = await storage.presignGet(key, { expiresInSeconds: 7 * 86_400, signedAt });
      const second = await storage.presignGet(key, { expiresInSeconds: 7 * 86_400, signedAt });
      expect(second).toBe(first);
      const res = await fetch(first);
      expect(res.status).toBe(200);
      expect(await res.text()).toBe('webp bytes');
      await expect(
        storage.presignGet(key, { expiresInSeconds: 60, signedAt: new Date(clock.now() + 3600_000) }),
      ).rejects.toThrow(RangeError);
      await expect(
        storage.presignGet(key, { expiresInSeconds: 60, signedAt: new Date(clock.now() - 3600_000) }),
      ).rejects.toThrow(RangeError);
      await expect(storage.presignGet(key, { expiresInSeconds: 60, signedAt: new Date(Number.NaN) })).rejects.toThrow(
        RangeError,
      );
    });

    it.skipIf(!supports.verifiesSignatures)(
      'refuses an altered signature, and a URL for key A used for key B, with 403',
      async () => {
        const p = base();
        await storage.put(`${p}a`, 'secret A');
        await storage.put(`${p}b`, 'secret B');
        const url = new URL(await storage.presignGet(`${p}a`, { expiresInSeconds: 300 }));
        const sigParam = url.searchParams.has('sig') ? 'sig' : 'X-Amz-Signature';
        const sig = url.searchParams.get(sigParam) ?? '';
        const altered = new URL(url);
        altered.searchParams.set(sigParam, (sig[0] === 'A' ? 'B' : 'A') + sig.slice(1));
        const otherKey = new URL(url.href.replace(`${p}a?`, `${p}b?`));
        const noSig = new URL(url);
        noSig.searchParams.delete(sigParam);
        for (const bad of [altered, otherKey, noSig]) {
          const res = await fetch(bad);
          expect(res.status, bad.href).toBe(403);
          await res.arrayBuffer();
        }
      },
    );
  });

  describe('single PUT upload', () => {
    it('accepts a PUT to the presigned URL with the announced type and size', async () => {
      const key = `${base()}source`;
      const body = randomBytes(64_000);
      const upload = await storage.presignPut(key, {
        expiresInSeconds: 300,
        contentType: 'video/mp4',
        contentLength: body.length,
      });
      expect(upload.method).toBe('PUT');
      expect(upload.headers).toEqual({ 'Content-Type': 'video/mp4' });
      expect(upload.expiresAt.getTime()).toBeGreaterThan(Date.now());
      const res = await fetch(upload.url, { method: 'PUT', headers: upload.headers, body });
      expect(res.status).toBe(200);
      expect(res.headers.get('etag')).toBe(`"${md5(body)}"`);
      await res.arrayBuffer();
      // Complete: the API checks the object exists with the announced size.
      expect(await storage.head(key)).toMatchObject({ size: body.length, contentType: 'video/mp4' });
      const back = await fetch(await storage.presignGet(key, { expiresInSeconds: 60 }));
      expect(md5(Buffer.from(await back.arrayBuffer()))).toBe(md5(body));
    });

    it('refuses an expired upload URL with 403 and stores nothing', async () => {
      const key = `${base()}late`;
      clock.offsetMs = -3600_000;
      const upload = await storage.presignPut(key, {
        expiresInSeconds: 60,
        contentType: 'video/mp4',
        contentLength: 3,
      });
      clock.offsetMs = 0;
      const res = await fetch(upload.url, { method: 'PUT', headers: upload.headers, body: 'abc' });
      expect(res.status).toBe(403);
      await res.arrayBuffer();
      expect(await storage.head(key)).toBeNull();
    });

    it.skipIf(!supports.verifiesSignatures)(
      'refuses another size, another content type, an altered signature or another key',
      async () => {
        const p = base();
        const upload = await storage.presignPut(`${p}a`, {
          expiresInSeconds: 300,
          contentType: 'video/mp4',
          contentLength: 5,
        });
        const sigParam = new URL(upload.url).searchParams.has('sig') ? 'sig' : 'X-Amz-Signature';
        const altered = new URL(upload.url);
        const sig = altered.searchParams.get(sigParam) ?? '';
        altered.searchParams.set(sigParam, (sig[0] === 'A' ? 'B' : 'A') + sig.slice(1));
        const attempts: [string, RequestInit][] = [
          [upload.url, { headers: upload.headers, body: 'too long!' }],
          [upload.url, { headers: upload.headers, body: 'shrt' }],
          [upload.url, { headers: { 'Content-Type': 'text/html' }, body: '12345' }],
          [altered.href, { headers: upload.headers, body: '12345' }],
          [upload.url.replace(`${p}a?`, `${p}b?`), { headers: upload.headers, body: '12345' }],
        ];
        for (const [url, init] of attempts) {
          const res = await fetch(url, { method: 'PUT', ...init });
          expect(res.status, `${url} ${JSON.stringify(init.headers)}`).toBeGreaterThanOrEqual(400);
          await res.arrayBuffer();
        }
        expect(await storage.head(`${p}a`)).toBeNull();
        expect(await storage.head(`${p}b`)).toBeNull();
      },
    );
  });

  describe('multipart upload', () => {
    const putPart = async (url: string, body: Buffer) => {
      const res = await fetch(url, { method: 'PUT', body: new Uint8Array(body) });
      expect(res.status).toBe(200);
      await res.arrayBuffer();
      const etag = res.headers.get('etag');
      expect(etag).toBe(`"${md5(body)}"`);
      return etag ?? '';
    };

    it('uploads parts to presigned URLs, survives a dropped connection, resumes and completes', async () => {
      const key = `${base()}source`;
      const part1 = randomBytes(MIN_PART_SIZE);
      const part2 = randomBytes(MIN_PART_SIZE + 4321);
      const part3 = randomBytes(777);
      const uploadId = await storage.createMultipartUpload(key, { contentType: 'video/mp4' });
      const url = (n: number) => storage.presignUploadPart(key, uploadId, n, { expiresInSeconds: 600 });

      const etag1 = await putPart(await url(1), part1);
      // The connection drops halfway through part 2 (a page reload, a lost signal).
      await dropMidUpload(await url(2), part2, 1024 * 1024);

      if (supports.listParts) {
        // The client resumes from what the storage holds: part 1 only.
        const stored = await storage.listParts(key, uploadId);
        expect(stored).toEqual([{ partNumber: 1, etag: md5(part1), size: part1.length }]);
      }
      const etag2 = await putPart(await url(2), part2);
      const etag3 = await putPart(await url(3), part3);
      if (supports.listParts) {
        expect((await storage.listParts(key, uploadId)).map((p) => p.partNumber)).toEqual([1, 2, 3]);
      }
      expect(await storage.head(key)).toBeNull();

      const done = await storage.completeMultipartUpload(key, uploadId, [
        { partNumber: 1, etag: etag1 },
        { partNumber: 2, etag: etag2 },
        { partNumber: 3, etag: etag3 },
      ]);
      const whole = Buffer.concat([part1, part2, part3]);
      const info = await storage.head(key);
      expect(info).toMatchObject({ size: whole.length, contentType: 'video/mp4' });
      if (supports.multipartEtag) {
        expect(done.etag).toMatch(/^[0-9a-f]{32}-3$/);
        expect(info?.etag).toBe(done.etag);
      }
      expect(md5(await readAll((await storage.getStream(key)).stream))).toBe(md5(whole));
      if (supports.listMultipartUploads) {
        expect((await storage.listMultipartUploads(key)).map((u) => u.uploadId)).not.toContain(uploadId);
      }
    });

    it('refuses a completion list out of order, empty, or with a missing etag', async () => {
      const key = `${base()}source`;
      const uploadId = await storage.createMultipartUpload(key, { contentType: 'video/mp4' });
      const cases = [
        [
          { partNumber: 2, etag: 'a' },
          { partNumber: 1, etag: 'b' },
        ],
        [
          { partNumber: 1, etag: 'a' },
          { partNumber: 1, etag: 'a' },
        ],
        [],
        [{ partNumber: 1, etag: '' }],
      ];
      for (const parts of cases) {
        await expect(storage.completeMultipartUpload(key, uploadId, parts)).rejects.toBeInstanceOf(InvalidUploadError);
      }
    });

    it.skipIf(!supports.validatesParts)(
      'refuses a completion with a wrong etag, a missing part, or a small middle part',
      async () => {
        const key = `${base()}source`;
        const uploadId = await storage.createMultipartUpload(key, { contentType: 'video/mp4' });
        const small = randomBytes(1000);
        const etag1 = await putPart(await storage.presignUploadPart(key, uploadId, 1, { expiresInSeconds: 60 }), small);
        const etag2 = await putPart(await storage.presignUploadPart(key, uploadId, 2, { expiresInSeconds: 60 }), small);
        const attempts = [
          [{ partNumber: 1, etag: md5(Buffer.from('other bytes')) }],
          [
            { partNumber: 1, etag: etag1 },
            { partNumber: 3, etag: etag2 },
          ],
          [
            { partNumber: 1, etag: etag1 },
            { partNumber: 2, etag: etag2 },
          ],
        ];
        for (const parts of attempts) {
          await expect(storage.completeMultipartUpload(key, uploadId, parts)).rejects.toBeInstanceOf(
            InvalidUploadError,
          );
        }
        expect(await storage.head(key)).toBeNull();
        // A single small part is fine: only the last part may be small.
        await storage.completeMultipartUpload(key, uploadId, [{ partNumber: 1, etag: etag1 }]);
        expect(await storage.head(key)).toMatchObject({ size: 1000 });
      },
    );

    it.skipIf(!supports.abortMultipartUpload)('aborts an upload; aborting again is not an error', async () => {
      const key = `${base()}source`;
      const uploadId = await storage.createMultipartUpload(key, { contentType: 'video/mp4' });
      await putPart(await storage.presignUploadPart(key, uploadId, 1, { expiresInSeconds: 60 }), randomBytes(100));
      await storage.abortMultipartUpload(key, uploadId);
      await storage.abortMultipartUpload(key, uploadId);
      await expect(storage.listParts(key, uploadId)).rejects.toBeInstanceOf(UploadNotFoundError);
      await expect(
        storage.completeMultipartUpload(key, uploadId, [{ partNumber: 1, etag: 'x'.repeat(32) }]),
      ).rejects.toBeInstanceOf(UploadNotFoundError);
      const late = await fetch(await storage.presignUploadPart(key, uploadId, 2, { expiresInSeconds: 60 }), {
        method: 'PUT',
        body: 'late part',
      });
      expect(late.status).toBe(404);
      await late.arrayBuffer();
      expect(await storage.head(key)).toBeNull();
    });

    it.skipIf(!supports.listMultipartUploads)(
      'lists uploads in progress, and the sweeper aborts only the stale ones',
      async () => {
        const p = base();
        clock.offsetMs = -2 * 24 * 3600_000;
        const stale = await storage.createMultipartUpload(`${p}stale`, { contentType: 'video/mp4' });
        clock.offsetMs = 0;
        const fresh = await storage.createMultipartUpload(`${p}fresh`, { contentType: 'video/mp4' });
        const listed = await storage.listMultipartUploads(p);
        expect(listed.map((u) => [u.key, u.uploadId])).toEqual([
          [`${p}fresh`, fresh],
          [`${p}stale`, stale],
        ]);
        for (const upload of listed) expect(upload.initiated).toBeInstanceOf(Date);

        const result = await sweepAbandonedUploads(storage, {
          olderThan: new Date(Date.now() - 24 * 3600_000),
          prefix: p,
        });
        expect(result.aborted.map((u) => u.uploadId)).toEqual([stale]);
        expect((await storage.listMultipartUploads(p)).map((u) => u.uploadId)).toEqual([fresh]);
        await storage.abortMultipartUpload(`${p}fresh`, fresh);
      },
    );

    it.skipIf(!supports.verifiesSignatures)('refuses a part URL replayed for another upload or part', async () => {
      const key = `${base()}source`;
      const a = await storage.createMultipartUpload(key, { contentType: 'video/mp4' });
      const b = await storage.createMultipartUpload(key, { contentType: 'video/mp4' });
      const url = await storage.presignUploadPart(key, a, 1, { expiresInSeconds: 60 });
      for (const replay of [
        url.replaceAll(a, b),
        url.replace('/parts/1?', '/parts/2?').replace('partNumber=1', 'partNumber=2'),
      ]) {
        const res = await fetch(replay, { method: 'PUT', body: 'sneaky' });
        expect(res.status, replay).toBe(403);
        await res.arrayBuffer();
      }
      if (supports.listParts) {
        expect(await storage.listParts(key, a)).toEqual([]);
        expect(await storage.listParts(key, b)).toEqual([]);
      }
      await storage.abortMultipartUpload(key, a);
      await storage.abortMultipartUpload(key, b);
    });
  });
});
