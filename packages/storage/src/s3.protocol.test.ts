import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { InvalidUploadError, ObjectNotFoundError, UploadNotFoundError } from './errors';
import { createS3Storage, type S3Storage } from './s3';
import { MIN_PART_SIZE } from './types';

/**
 * The S3 calls s3rver does not implement (ListParts, ListMultipartUploads, AbortMultipartUpload,
 * S3's own completion errors), checked against canned responses shaped like the S3 API reference,
 * through the real SDK. This pins our paging and error mapping; the wire format itself is the SDK's.
 * Also pins what we send: no default CRC32 checksums, Content-MD5 on DeleteObjects, signed
 * Content-Type and Content-Length on presigned PUTs.
 */

interface Recorded {
  method: string;
  url: URL;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

type Reply = { status?: number; headers?: Record<string, string>; body?: string };

const NS = 'xmlns="http://s3.amazonaws.com/doc/2006-03-01/"';
const xml = (body: string): Reply => ({
  headers: { 'Content-Type': 'application/xml' },
  body: `<?xml version="1.0" encoding="UTF-8"?>\n${body}`,
});
const s3Error = (status: number, code: string): Reply => ({
  status,
  ...xml(`<Error><Code>${code}</Code><Message>${code}</Message><RequestId>r1</RequestId></Error>`),
});

describe('S3 driver protocol details (stub server)', () => {
  let server: Server;
  let storage: S3Storage;
  let requests: Recorded[];
  let respond: (req: Recorded) => Reply;

  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const recorded = {
          method: req.method ?? '',
          url: new URL(req.url ?? '/', 'http://stub'),
          headers: req.headers,
          body: Buffer.concat(chunks),
        };
        requests.push(recorded);
        const reply = respond(recorded);
        res.writeHead(reply.status ?? 200, reply.headers ?? {});
        res.end(req.method === 'HEAD' ? undefined : reply.body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    storage = createS3Storage({
      endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      region: 'auto',
      bucket: 'media',
      accessKeyId: 'key',
      secretAccessKey: 'secret',
      forcePathStyle: true,
      partSize: MIN_PART_SIZE,
    });
  });
  afterAll(async () => {
    storage.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  beforeEach(() => {
    requests = [];
    respond = () => ({ status: 500 });
  });

  it('sends no default checksums on PutObject', async () => {
    respond = () => ({ headers: { ETag: '"abc"' } });
    await storage.put('videos/a/x.ts', Buffer.from('segment'), { contentType: 'video/mp2t' });
    const [put] = requests;
    expect(put?.method).toBe('PUT');
    expect(put?.url.pathname).toBe('/media/videos/a/x.ts');
    expect(put?.body.toString()).toBe('segment');
    expect(put?.headers['content-type']).toBe('video/mp2t');
    const names = Object.keys(put?.headers ?? {});
    expect(names.filter((h) => h.startsWith('x-amz-checksum-') || h.startsWith('x-amz-sdk-checksum'))).toEqual([]);
    expect(put?.headers['content-encoding']).toBeUndefined();
  });

  it('presigns a PUT whose signature covers Content-Type and Content-Length, without checksum parameters', async () => {
    const upload = await storage.presignPut('videos/a/source', {
      expiresInSeconds: 900,
      contentType: 'video/mp4',
      contentLength: 1234,
    });
    const url = new URL(upload.url);
    expect(url.pathname).toBe('/media/videos/a/source');
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe('content-length;content-type;host');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('900');
    expect([...url.searchParams.keys()].filter((k) => /checksum/i.test(k))).toEqual([]);
    expect(requests).toEqual([]);
  });

  it('presigns part uploads scoped to the upload id and part number', async () => {
    const url = new URL(await storage.presignUploadPart('videos/a/source', 'upload-1', 3, { expiresInSeconds: 60 }));
    expect(url.searchParams.get('uploadId')).toBe('upload-1');
    expect(url.searchParams.get('partNumber')).toBe('3');
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe('host');
  });

  it('adds Content-MD5 to DeleteObjects (older MinIO refuses it without)', async () => {
    respond = (req) =>
      req.method === 'GET'
        ? xml(
            `<ListBucketResult ${NS}><Name>media</Name><Prefix>videos/a/</Prefix><KeyCount>2</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>` +
              `<Contents><Key>videos/a/1</Key><LastModified>2025-01-01T00:00:00.000Z</LastModified><ETag>"e"</ETag><Size>1</Size></Contents>` +
              `<Contents><Key>videos/a/2</Key><LastModified>2025-01-01T00:00:00.000Z</LastModified><ETag>"e"</ETag><Size>1</Size></Contents>` +
              `</ListBucketResult>`,
          )
        : xml(`<DeleteResult ${NS}></DeleteResult>`);
    expect(await storage.deletePrefix('videos/a/')).toBe(2);
    const del = requests.find((r) => r.method === 'POST');
    expect(del?.url.searchParams.has('delete')).toBe(true);
    expect(del?.body.toString()).toContain('<Key>videos/a/1</Key>');
    expect(del?.headers['content-md5']).toBe(
      createHash('md5')
        .update(del?.body ?? '')
        .digest('base64'),
    );
  });

  it('reads every page of ListParts and unquotes etags', async () => {
    respond = (req) => {
      const marker = req.url.searchParams.get('part-number-marker');
      const part = (n: number) =>
        `<Part><PartNumber>${n}</PartNumber><LastModified>2025-01-01T00:00:00.000Z</LastModified><ETag>"etag${n}"</ETag><Size>${n * 10}</Size></Part>`;
      return marker === '2'
        ? xml(
            `<ListPartsResult ${NS}><Bucket>media</Bucket><Key>k</Key><UploadId>u</UploadId><PartNumberMarker>2</PartNumberMarker><NextPartNumberMarker>3</NextPartNumberMarker><MaxParts>2</MaxParts><IsTruncated>false</IsTruncated>${part(3)}</ListPartsResult>`,
          )
        : xml(
            `<ListPartsResult ${NS}><Bucket>media</Bucket><Key>k</Key><UploadId>u</UploadId><PartNumberMarker>0</PartNumberMarker><NextPartNumberMarker>2</NextPartNumberMarker><MaxParts>2</MaxParts><IsTruncated>true</IsTruncated>${part(1)}${part(2)}</ListPartsResult>`,
          );
    };
    expect(await storage.listParts('videos/a/source', 'u')).toEqual([
      { partNumber: 1, etag: 'etag1', size: 10 },
      { partNumber: 2, etag: 'etag2', size: 20 },
      { partNumber: 3, etag: 'etag3', size: 30 },
    ]);
    expect(
      requests.map((r) => [r.method, r.url.searchParams.get('uploadId'), r.url.searchParams.get('part-number-marker')]),
    ).toEqual([
      ['GET', 'u', null],
      ['GET', 'u', '2'],
    ]);
  });

  it('maps NoSuchUpload on ListParts and CompleteMultipartUpload to UploadNotFoundError', async () => {
    respond = () => s3Error(404, 'NoSuchUpload');
    await expect(storage.listParts('videos/a/source', 'gone')).rejects.toBeInstanceOf(UploadNotFoundError);
    await expect(
      storage.completeMultipartUpload('videos/a/source', 'gone', [{ partNumber: 1, etag: 'e' }]),
    ).rejects.toBeInstanceOf(UploadNotFoundError);
  });

  it("maps S3's completion refusals to InvalidUploadError, including errors sent with status 200", async () => {
    for (const [status, code, reason] of [
      [400, 'InvalidPart', 'invalid-part'],
      [400, 'EntityTooSmall', 'part-too-small'],
      [200, 'InvalidPart', 'invalid-part'],
    ] as const) {
      respond = () => s3Error(status, code);
      const attempt = storage.completeMultipartUpload('videos/a/source', 'u', [{ partNumber: 1, etag: '"e"' }]);
      await expect(attempt).rejects.toBeInstanceOf(InvalidUploadError);
      await expect(attempt).rejects.toMatchObject({ reason });
    }
  });

  it('sends the completion list in order with quoted etags and returns the unquoted etag', async () => {
    respond = () =>
      xml(
        `<CompleteMultipartUploadResult ${NS}><Location>x</Location><Bucket>media</Bucket><Key>k</Key><ETag>"abc-2"</ETag></CompleteMultipartUploadResult>`,
      );
    const done = await storage.completeMultipartUpload('videos/a/source', 'u', [
      { partNumber: 1, etag: 'one' },
      { partNumber: 2, etag: '"two"' },
    ]);
    expect(done).toEqual({ etag: 'abc-2' });
    const body = requests[0]?.body.toString() ?? '';
    expect(body.indexOf('<PartNumber>1</PartNumber>')).toBeLessThan(body.indexOf('<PartNumber>2</PartNumber>'));
    expect(body).toContain('<ETag>&quot;one&quot;</ETag>');
    expect(body).toContain('<ETag>&quot;two&quot;</ETag>');
  });

  it('treats aborting an unknown upload as done', async () => {
    respond = () => s3Error(404, 'NoSuchUpload');
    await expect(storage.abortMultipartUpload('videos/a/source', 'gone')).resolves.toBeUndefined();
    expect(requests[0]?.method).toBe('DELETE');
    respond = () => s3Error(403, 'AccessDenied');
    await expect(storage.abortMultipartUpload('videos/a/source', 'u')).rejects.toThrow();
  });

  it('reads every page of ListMultipartUploads', async () => {
    respond = (req) => {
      const upload = (key: string, id: string) =>
        `<Upload><Key>${key}</Key><UploadId>${id}</UploadId><Initiated>2025-01-0${id.slice(-1)}T00:00:00.000Z</Initiated></Upload>`;
      return req.url.searchParams.get('key-marker') === 'videos/b'
        ? xml(
            `<ListMultipartUploadsResult ${NS}><Bucket>media</Bucket><KeyMarker>videos/b</KeyMarker><UploadIdMarker>u2</UploadIdMarker><MaxUploads>2</MaxUploads><IsTruncated>false</IsTruncated>${upload('videos/c', 'u3')}</ListMultipartUploadsResult>`,
          )
        : xml(
            `<ListMultipartUploadsResult ${NS}><Bucket>media</Bucket><KeyMarker></KeyMarker><UploadIdMarker></UploadIdMarker><NextKeyMarker>videos/b</NextKeyMarker><NextUploadIdMarker>u2</NextUploadIdMarker><MaxUploads>2</MaxUploads><IsTruncated>true</IsTruncated>${upload('videos/a', 'u1')}${upload('videos/b', 'u2')}</ListMultipartUploadsResult>`,
          );
    };
    const uploads = await storage.listMultipartUploads('videos/');
    expect(uploads.map((u) => [u.key, u.uploadId, u.initiated.toISOString()])).toEqual([
      ['videos/a', 'u1', '2025-01-01T00:00:00.000Z'],
      ['videos/b', 'u2', '2025-01-02T00:00:00.000Z'],
      ['videos/c', 'u3', '2025-01-03T00:00:00.000Z'],
    ]);
    expect(requests[0]?.url.searchParams.get('prefix')).toBe('videos/');
    expect(requests[1]?.url.searchParams.get('upload-id-marker')).toBe('u2');
  });

  it('maps a missing object to null / ObjectNotFoundError', async () => {
    respond = (req) => (req.method === 'HEAD' ? { status: 404 } : s3Error(404, 'NoSuchKey'));
    expect(await storage.head('videos/a/none')).toBeNull();
    await expect(storage.getStream('videos/a/none')).rejects.toBeInstanceOf(ObjectNotFoundError);
  });

  it('splits a long stream into parts and aborts the upload when a part fails', async () => {
    let parts = 0;
    respond = (req) => {
      if (req.method === 'POST' && req.url.searchParams.has('uploads')) {
        return xml(
          `<InitiateMultipartUploadResult ${NS}><Bucket>media</Bucket><Key>k</Key><UploadId>up1</UploadId></InitiateMultipartUploadResult>`,
        );
      }
      if (req.method === 'PUT') {
        parts += 1;
        return parts === 2 ? s3Error(403, 'AccessDenied') : { headers: { ETag: '"p"' } };
      }
      return { status: 204 };
    };
    const data = Buffer.alloc(MIN_PART_SIZE * 2 + 10);
    await expect(storage.put('videos/a/big', Readable.from([data]))).rejects.toThrow();
    expect(requests.map((r) => `${r.method} ${r.url.searchParams.get('partNumber') ?? ''}`)).toEqual([
      'POST ',
      'PUT 1',
      'PUT 2',
      'DELETE ',
    ]);
    expect(requests[1]?.body.length).toBe(MIN_PART_SIZE);
  });
});
