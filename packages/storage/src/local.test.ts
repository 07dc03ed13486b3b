import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidStorageKeyError, InvalidUploadError, StorageAccessError, UploadNotFoundError } from './errors';
import { createLocalStorage, type LocalStorage } from './local';
import { signPath } from './signing';
import { sweepAbandonedUploads } from './sweeper';
import { startStorageRoutes, type StorageRoutesServer } from './test-support';

/** What only the local driver has: the API-side handlers, their refusals, and how files land on disk. */

const SECRET = 'test-media-signing-secret-0123456789abcdef';

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** node:http sends the path exactly as given (fetch would resolve `..` and `%2e%2e` first). */
function raw(
  baseUrl: string,
  method: string,
  rawPath: string,
  body?: string | Buffer,
  headers = {},
): Promise<RawResponse> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, method, path: rawPath, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name)));
}

describe('local driver', () => {
  let outer: string;
  let root: string;
  let routes: StorageRoutesServer;
  let storage: LocalStorage;
  const clock = { offsetMs: 0 };
  const p = () => `test/${randomUUID()}/`;
  const exp = () => Math.floor(Date.now() / 1000) + 300;

  beforeAll(async () => {
    // The storage root sits one level down, so anything escaping it would land in `outer`.
    outer = await mkdtemp(path.join(tmpdir(), 'kf-storage-outer-'));
    root = path.join(outer, 'media');
    routes = await startStorageRoutes();
    storage = createLocalStorage({
      root,
      publicBaseUrl: `${routes.baseUrl}/ignored/path`,
      signingSecret: SECRET,
      now: () => Date.now() + clock.offsetMs,
    });
    routes.use(storage);
  });
  afterAll(async () => {
    await routes.close();
    const escaped = (await readdir(outer)).filter((name) => name !== 'media');
    await rm(outer, { recursive: true, force: true });
    // Checked last, after every test has had its chance to write outside the root.
    expect(escaped).toEqual([]);
  });

  it('refuses a signing secret shorter than 32 characters', () => {
    expect(() => createLocalStorage({ root, publicBaseUrl: routes.baseUrl, signingSecret: 'short' })).toThrow(/32/);
  });

  it('issues URLs on the API with the documented shapes', async () => {
    const key = `${p()}a.ts`;
    const get = new URL(await storage.presignGet(key, { expiresInSeconds: 60 }));
    expect(get.origin).toBe(routes.baseUrl);
    expect(get.pathname).toBe(`/api/v1/storage/objects/${key}`);
    expect([...get.searchParams.keys()]).toEqual(['exp', 'sig']);
    const put = new URL(
      (await storage.presignPut(key, { expiresInSeconds: 60, contentType: 'video/mp4', contentLength: 9 })).url,
    );
    expect([...put.searchParams.keys()]).toEqual(['ct', 'len', 'exp', 'sig']);
    expect(put.searchParams.get('ct')).toBe('video/mp4');
    const uploadId = await storage.createMultipartUpload(key, { contentType: 'video/mp4' });
    const part = new URL(await storage.presignUploadPart(key, uploadId, 7, { expiresInSeconds: 60 }));
    expect(part.pathname).toBe(`/api/v1/storage/uploads/${uploadId}/parts/7`);
    expect([...part.searchParams.keys()]).toEqual(['key', 'exp', 'sig']);
    expect(part.searchParams.get('key')).toBe(key);
    await storage.abortMultipartUpload(key, uploadId);
  });

  describe('handlers refuse', () => {
    let key: string;
    let url: URL;
    beforeAll(async () => {
      key = `${p()}segment.ts`;
      await storage.put(key, 'segment bytes', { contentType: 'video/mp2t' });
      url = new URL(await storage.presignGet(key, { expiresInSeconds: 300 }));
    });
    const get = (u: URL) => raw(routes.baseUrl, 'GET', u.pathname + u.search);

    it('a missing, malformed or altered signature, or an altered expiry', async () => {
      const cases: [string, (q: URLSearchParams) => void][] = [
        ['no sig', (q) => q.delete('sig')],
        ['no exp', (q) => q.delete('exp')],
        ['empty sig', (q) => q.set('sig', '')],
        ['short sig', (q) => q.set('sig', 'abc')],
        ['sig with padding', (q) => q.set('sig', `${q.get('sig')}=`)],
        ['flipped sig', (q) => q.set('sig', `${q.get('sig')!.slice(0, -1)}${q.get('sig')!.endsWith('A') ? 'B' : 'A'}`)],
        ['later exp', (q) => q.set('exp', String(Number(q.get('exp')) + 3600))],
        ['exp not a number', (q) => q.set('exp', '1e99')],
        ['rcd added', (q) => q.set('rcd', 'attachment')],
        ['sig twice', (q) => q.append('sig', q.get('sig')!)],
      ];
      for (const [name, mutate] of cases) {
        const bad = new URL(url);
        mutate(bad.searchParams);
        const res = await get(bad);
        expect(res.status, name).toBe(403);
        expect(JSON.parse(res.body).error.code).toBe('STORAGE_ACCESS_DENIED');
      }
      expect((await get(url)).status).toBe(200);
    });

    it('a GET URL used to PUT, and a PUT URL used to GET', async () => {
      const put = await raw(routes.baseUrl, 'PUT', url.pathname + url.search, 'overwrite!', {
        'Content-Type': 'video/mp2t',
      });
      expect(put.status).toBe(403);
      const upload = new URL(
        (await storage.presignPut(key, { expiresInSeconds: 60, contentType: 'video/mp2t', contentLength: 3 })).url,
      );
      expect((await get(upload)).status).toBe(403);
      expect((await readAll((await storage.getStream(key)).stream)).toString()).toBe('segment bytes');
    });

    it('an expired URL, as expired', async () => {
      clock.offsetMs = -600_000;
      const old = new URL(await storage.presignGet(key, { expiresInSeconds: 60 }));
      clock.offsetMs = 0;
      const res = await get(old);
      expect(res.status).toBe(403);
      expect(JSON.parse(res.body).error.message).toMatch(/expired/);
      await expect(storage.verifyAndReadObject(key, Object.fromEntries(old.searchParams))).rejects.toMatchObject({
        reason: 'expired',
      });
    });

    it('repeated query parameters handed over as arrays', async () => {
      const query = { exp: url.searchParams.get('exp')!, sig: [url.searchParams.get('sig')!, 'x'] };
      await expect(storage.verifyAndReadObject(key, query)).rejects.toBeInstanceOf(StorageAccessError);
    });

    it('traversal in object paths, raw or encoded, and writes nothing outside the root', async () => {
      const attempts = [
        '../escape.txt',
        '../../escape.txt',
        '..%2fescape.txt',
        '..%2F..%2Fescape.txt',
        '%2e%2e%2fescape.txt',
        '%2E%2E%2F%2E%2E%2Fescape.txt',
        'a/%2e%2e/%2e%2e/%2e%2e/escape.txt',
        '..%5cescape.txt',
        '%2fetc%2fpasswd',
        'a%00b',
        '.%2e/escape.txt',
      ];
      for (const attempt of attempts) {
        // Even a correct signature over the decoded key (which the API would never issue) is refused.
        const decoded = decodeURIComponent(attempt);
        const e = exp();
        const query = new URLSearchParams({
          ct: 'text/plain',
          len: '4',
          exp: String(e),
          sig: signPath('PUT', decoded, e, SECRET, { ct: 'text/plain', len: '4' }),
        });
        const res = await raw(routes.baseUrl, 'PUT', `/api/v1/storage/objects/${attempt}?${query}`, 'evil', {
          'Content-Type': 'text/plain',
        });
        expect([403, 404], attempt).toContain(res.status);
        const read = await raw(routes.baseUrl, 'GET', `/api/v1/storage/objects/${attempt}?${query}`);
        expect([403, 404], attempt).toContain(read.status);
      }
      expect(await readdir(outer)).toEqual(['media']);
    });

    it('traversal in part URLs (upload id, part number, key)', async () => {
      const target = `${p()}source`;
      const uploadId = await storage.createMultipartUpload(target, { contentType: 'video/mp4' });
      const good = new URL(await storage.presignUploadPart(target, uploadId, 1, { expiresInSeconds: 60 }));
      const attempts = [
        `/api/v1/storage/uploads/..%2f..%2fescape/parts/1${good.search}`,
        `/api/v1/storage/uploads/${uploadId}%2f..%2f..%2f..%2fescape/parts/1${good.search}`,
        `/api/v1/storage/uploads/${uploadId}/parts/1%2f..%2f..%2fescape${good.search}`,
        `/api/v1/storage/uploads/${uploadId}/parts/0${good.search}`,
        `/api/v1/storage/uploads/${uploadId}/parts/10001${good.search}`,
        `/api/v1/storage/uploads/${uploadId}/parts/1?${new URLSearchParams({ ...Object.fromEntries(good.searchParams), key: '../../escape' })}`,
      ];
      for (const attempt of attempts) {
        const res = await raw(routes.baseUrl, 'PUT', attempt, 'evil');
        expect([403, 404], attempt).toContain(res.status);
      }
      expect(await storage.listParts(target, uploadId)).toEqual([]);
      expect(await readdir(outer)).toEqual(['media']);
      await storage.abortMultipartUpload(target, uploadId);
    });

    it('a part URL the server signed for another key than the upload was created for', async () => {
      const a = `${p()}a`;
      const b = `${p()}b`;
      const uploadForB = await storage.createMultipartUpload(b, { contentType: 'video/mp4' });
      const res = await fetch(await storage.presignUploadPart(a, uploadForB, 1, { expiresInSeconds: 60 }), {
        method: 'PUT',
        body: 'x',
      });
      expect(res.status).toBe(404);
      await expect(storage.listParts(a, uploadForB)).rejects.toBeInstanceOf(UploadNotFoundError);
      expect(await storage.listParts(b, uploadForB)).toEqual([]);
      await storage.abortMultipartUpload(b, uploadForB);
    });
  });

  describe('uploads through the handlers', () => {
    it('refuses a body shorter or longer than signed, sent without Content-Length, and keeps nothing', async () => {
      const key = `${p()}source`;
      const upload = await storage.presignPut(key, {
        expiresInSeconds: 60,
        contentType: 'video/mp4',
        contentLength: 10,
      });
      const query = Object.fromEntries(new URL(upload.url).searchParams);
      for (const body of ['short', 'much too long body']) {
        const attempt = storage.verifyAndWriteObject(key, query, Readable.from([Buffer.from(body)]), {
          contentType: 'video/mp4',
        });
        await expect(attempt).rejects.toBeInstanceOf(InvalidUploadError);
      }
      await expect(
        storage.verifyAndWriteObject(key, query, Readable.from([Buffer.from('much too long body')]), {
          contentType: 'video/mp4',
        }),
      ).rejects.toMatchObject({ status: 413 });
      await expect(
        storage.verifyAndWriteObject(key, query, Readable.from([Buffer.from('0123456789')]), {
          contentType: 'video/mp4',
          contentLength: '11',
        }),
      ).rejects.toMatchObject({ reason: 'size-mismatch' });
      await expect(
        storage.verifyAndWriteObject(key, query, Readable.from([Buffer.from('0123456789')]), {
          contentType: 'video/webm',
        }),
      ).rejects.toMatchObject({ reason: 'content-type-mismatch' });
      expect(await storage.head(key)).toBeNull();
      expect(await readdir(path.join(root, '.tmp'))).toEqual([]);
      const ok = await storage.verifyAndWriteObject(key, query, Readable.from([Buffer.from('0123456789')]), {
        contentType: 'video/mp4',
        contentLength: 10,
      });
      expect(ok).toMatchObject({ size: 10, headers: { ETag: `"${ok.etag}"` } });
    });

    it('keeps nothing from a part whose connection dropped', async () => {
      const key = `${p()}source`;
      const uploadId = await storage.createMultipartUpload(key, { contentType: 'video/mp4' });
      const query = Object.fromEntries(
        new URL(await storage.presignUploadPart(key, uploadId, 1, { expiresInSeconds: 60 })).searchParams,
      );
      const body = new PassThrough();
      const attempt = storage.verifyAndWritePart(uploadId, 1, query, body, { contentLength: 100 });
      body.write(randomBytes(40));
      body.destroy(new Error('socket hang up'));
      await expect(attempt).rejects.toThrow();
      expect(await readdir(path.join(root, '.tmp'))).toEqual([]);
      expect(await storage.listParts(key, uploadId)).toEqual([]);
      expect(await readdir(path.join(root, '.uploads', uploadId))).toEqual(['manifest.json']);
      await storage.abortMultipartUpload(key, uploadId);
    });

    it('serves ranges from the Range header: suffix, open-ended, several (ignored), past the end (416)', async () => {
      const key = `${p()}digits`;
      await storage.put(key, '0123456789');
      const url = new URL(await storage.presignGet(key, { expiresInSeconds: 60 }));
      const get = (range: string) => raw(routes.baseUrl, 'GET', url.pathname + url.search, undefined, { Range: range });
      expect(await get('bytes=-3')).toMatchObject({ status: 206, body: '789' });
      expect(await get('bytes=4-')).toMatchObject({ status: 206, body: '456789' });
      expect(await get('bytes=0-1,4-5')).toMatchObject({ status: 200, body: '0123456789' });
      expect(await get('items=0-1')).toMatchObject({ status: 200, body: '0123456789' });
      const past = await get('bytes=20-');
      expect(past.status).toBe(416);
      expect(past.headers['content-range']).toBe('bytes */10');
    });
  });

  describe('on disk', () => {
    it('never shows a half-written object: readers see the old version until the new one is complete', async () => {
      const key = `${p()}playlist.m3u8`;
      await storage.put(key, 'old version');
      const body = new PassThrough();
      const writing = storage.put(key, body);
      body.write('new ver');
      await new Promise((resolve) => setTimeout(resolve, 30));
      expect((await readAll((await storage.getStream(key)).stream)).toString()).toBe('old version');
      expect(await storage.head(key)).toMatchObject({ size: 11 });
      body.end('sion!');
      await writing;
      expect((await readAll((await storage.getStream(key)).stream)).toString()).toBe('new version!');
    });

    it('keeps sidecars and bookkeeping out of listings, and prunes empty folders on delete', async () => {
      const prefix = p();
      await storage.put(`${prefix}deep/er/file`, 'x', { contentType: 'text/plain' });
      const listed: string[] = [];
      for await (const object of storage.list(prefix)) listed.push(object.key);
      expect(listed).toEqual([`${prefix}deep/er/file`]);
      expect(await filesUnder(path.join(root, prefix))).toEqual([
        path.join('deep', 'er', '.file.meta.json'),
        path.join('deep', 'er', 'file'),
      ]);
      await storage.delete(`${prefix}deep/er/file`);
      await expect(readdir(path.join(root, prefix))).rejects.toMatchObject({ code: 'ENOENT' });
    });

    it('leaves no temporary file behind when the body fails before its file is even open', async () => {
      // The write stream opens its file asynchronously; the cleanup must wait for that.
      for (let i = 0; i < 20; i += 1) {
        const body = new PassThrough();
        body.destroy(new Error('client went away'));
        await expect(storage.put(`${p()}never`, body)).rejects.toThrow();
      }
      expect(await readdir(path.join(root, '.tmp'))).toEqual([]);
    });

    it('refuses a key that would be both an object and a folder on disk', async () => {
      const prefix = p();
      await storage.put(`${prefix}a`, 'object');
      await expect(storage.put(`${prefix}a/b`, 'below it')).rejects.toBeInstanceOf(InvalidStorageKeyError);
      await storage.put(`${prefix}x/y`, 'below');
      await expect(storage.put(`${prefix}x`, 'over it')).rejects.toBeInstanceOf(InvalidStorageKeyError);
      expect((await readAll((await storage.getStream(`${prefix}a`)).stream)).toString()).toBe('object');
      expect(await readdir(path.join(root, '.tmp'))).toEqual([]);
    });

    it('removes stale temporary files (through the sweeper) and keeps fresh ones', async () => {
      const tmp = path.join(root, '.tmp');
      await mkdir(tmp, { recursive: true });
      const stale = path.join(tmp, 'crashed-write');
      const fresh = path.join(tmp, 'in-progress-write');
      await writeFile(stale, 'x');
      await writeFile(fresh, 'y');
      const twoDaysAgo = new Date(Date.now() - 2 * 24 * 3600_000);
      await utimes(stale, twoDaysAgo, twoDaysAgo);
      const result = await sweepAbandonedUploads(storage, {
        olderThan: new Date(Date.now() - 24 * 3600_000),
        prefix: 'nothing/',
      });
      expect(result).toEqual({ aborted: [], temporaryFilesRemoved: 1 });
      expect(await readdir(tmp)).toEqual(['in-progress-write']);
      await rm(fresh);
    });

    it('enforces the 5 MiB minimum for every part but the last', async () => {
      const key = `${p()}source`;
      const uploadId = await storage.createMultipartUpload(key, { contentType: 'video/mp4' });
      const put = async (n: number, size: number) => {
        const query = Object.fromEntries(
          new URL(await storage.presignUploadPart(key, uploadId, n, { expiresInSeconds: 60 })).searchParams,
        );
        return storage.verifyAndWritePart(uploadId, n, query, Readable.from([randomBytes(size)]));
      };
      const one = await put(1, 1000);
      const two = await put(2, 1000);
      await expect(
        storage.completeMultipartUpload(key, uploadId, [
          { partNumber: 1, etag: one.etag },
          { partNumber: 2, etag: two.etag },
        ]),
      ).rejects.toMatchObject({ reason: 'part-too-small' });
      await storage.abortMultipartUpload(key, uploadId);
    });
  });
});
