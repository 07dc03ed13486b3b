import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliDecompressSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishedTitle, signInCatalogStaff, type CreatedTitle } from '../../testing/catalog-factories';
import { registerViewer, type SignedIn } from '../../testing/factories';
import { createTestApp, type TestApp } from '../../testing/harness';
import { SECURITY_HEADERS } from '../../plugins/security-headers';
import { PUBLIC_CACHE_CONTROL } from './catalog.http';

// The edge sits in the HTTP server in front of Fastify, so these tests talk to a listening port
// (app.inject would bypass it). Fastify's answers carry the per-IP limiter's headers; edge answers,
// which skip the limiter as CDN hits do, do not — that is how a test tells the two apart.

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

let t: TestApp;
let base: string;
let staff: SignedIn;
let viewer: SignedIn;
let title: CreatedTitle;

beforeAll(async () => {
  t = await createTestApp();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  staff = await signInCatalogStaff(t);
  viewer = await registerViewer(t);
  title = await publishedTitle(t, staff, {
    synopsis: Array.from({ length: 40 }, (_, i) => `Scene ${i}: a boda boda rider crosses Kampala at dawn.`).join(' '),
  });
});
afterAll(async () => {
  await t?.close();
});

function get(path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${base}${path}`, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

const viaFastify = (res: RawResponse) => res.headers['x-ratelimit-limit'] !== undefined;
const PER_REQUEST = new Set(['date', 'x-request-id', 'x-ratelimit-limit', 'x-ratelimit-remaining']);
const stable = (headers: RawResponse['headers']) =>
  Object.fromEntries(Object.entries(headers).filter(([name]) => !PER_REQUEST.has(name)));

describe('the edge: anonymous cached catalog reads answered before Fastify', () => {
  it('answers a repeated anonymous read itself, with the same headers and bytes Fastify sent', async () => {
    const path = `/api/v1/catalog/titles/${title.slug}`;
    const first = await get(path, { 'accept-encoding': 'gzip, deflate, br' });
    expect(first.status).toBe(200);
    expect(viaFastify(first)).toBe(true);

    const second = await get(path, { 'accept-encoding': 'gzip, deflate, br', 'x-request-id': 'edge-test-0001' });
    expect(second.status).toBe(200);
    expect(viaFastify(second), 'answered by the edge').toBe(false);
    expect(stable(second.headers)).toEqual(stable(first.headers));
    expect(second.body.equals(first.body)).toBe(true);
    expect(second.headers['content-encoding']).toBe('br');
    expect(JSON.parse(brotliDecompressSync(second.body).toString()).slug).toBe(title.slug);
    expect(second.headers['cache-control']).toBe(PUBLIC_CACHE_CONTROL);
    expect(second.headers['x-request-id']).toBe('edge-test-0001');
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) expect(second.headers[name], name).toBe(value);

    // Other encodings and revalidation work the same at the edge.
    const plain = await get(path);
    expect(viaFastify(plain)).toBe(false);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(plain.body.toString()).slug).toBe(title.slug);
    const revalidated = await get(path, { 'if-none-match': second.headers.etag as string });
    expect(revalidated.status).toBe(304);
    expect(viaFastify(revalidated)).toBe(false);
    expect(revalidated.body.length).toBe(0);

    // Answers are prepared once per representation and reused: asking again after the others still
    // gets the Brotli body, with a request id of its own (never one left on a shared answer).
    const again = await get(path, { 'accept-encoding': 'gzip, deflate, br' });
    expect(again.status).toBe(200);
    expect(again.headers['content-encoding']).toBe('br');
    expect(again.body.equals(first.body)).toBe(true);
    expect(again.headers['x-request-id']).toBeTruthy();
    expect(again.headers['x-request-id']).not.toBe('edge-test-0001');
    expect(again.headers['content-length']).toBe(String(first.body.length));
  });

  it('leaves anything personal, cross-origin or not a GET to Fastify', async () => {
    const path = '/api/v1/catalog/home';
    await get(path);
    expect(viaFastify(await get(path))).toBe(false);

    // A bad token is refused, not answered from the anonymous cache.
    expect((await get(path, { authorization: 'Bearer not-a-token' })).status).toBe(401);
    expect((await get(path, { cookie: 'kf_lang=lg; kf_at=garbage' })).status).toBe(401);
    // A profile needs a signed-in account.
    expect((await get(path, { 'x-profile-id': randomUUID() })).status).toBe(401);

    const signedIn = await get(path, viewer.auth);
    expect(signedIn.status).toBe(200);
    expect(viaFastify(signedIn)).toBe(true);
    expect(signedIn.headers['cache-control']).toContain('private');

    expect(viaFastify(await get(path, { origin: 'https://elsewhere.example' }))).toBe(true);
    expect(viaFastify(await get(path, {}, 'HEAD'))).toBe(true);
    // Cookies that do not sign anyone in (a language choice) still get the shared answer.
    expect(viaFastify(await get(path, { cookie: 'kf_lang=sw' }))).toBe(false);
  });

  it('never serves what a staff change replaced', async () => {
    const path = `/api/v1/catalog/titles/${title.slug}`;
    await get(path);
    expect(viaFastify(await get(path))).toBe(false);

    const edit = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/admin/titles/${title.id}`,
      headers: staff.auth,
      payload: { synopsis: 'Rewritten by the content team.' },
    });
    expect(edit.statusCode).toBe(200);
    const after = await get(path);
    expect(JSON.parse(after.body.toString()).synopsis).toBe('Rewritten by the content team.');

    await t.app.inject({
      method: 'POST',
      url: `/api/v1/admin/titles/${title.id}/status`,
      headers: staff.auth,
      payload: { status: 'archived' },
    });
    expect((await get(path)).status).toBe(404);
    expect((await get(path)).status).toBe(404);
  });

  it('counts edge answers in the request metrics and the cache hit ratio', async () => {
    const path = '/api/v1/catalog/genres';
    await get(path);
    const count = async () => {
      const metrics = (await get('/metrics')).body.toString();
      const line = metrics
        .split('\n')
        .find(
          (l) =>
            l.startsWith('http_request_duration_seconds_count{') &&
            l.includes('route="/api/v1/catalog/genres"') &&
            l.includes('status_code="200"'),
        );
      return Number(line?.split(' ').at(-1) ?? 0);
    };
    const before = await count();
    for (let i = 0; i < 4; i++) expect(viaFastify(await get(path))).toBe(false);
    expect(await count()).toBe(before + 4);
  });
});
