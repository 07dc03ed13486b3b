import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProfile, publishedTitle, signInCatalogStaff, type CreatedTitle } from '../../testing/catalog-factories';
import { registerViewer, type SignedIn } from '../../testing/factories';
import { createTestApp, type TestApp } from '../../testing/harness';
import { MIN_COMPRESS_BYTES } from './catalog.cache';
import { preferredEncoding, PRIVATE_CACHE_CONTROL, PUBLIC_CACHE_CONTROL } from './catalog.http';

let t: TestApp;
let staff: SignedIn;
let title: CreatedTitle;
beforeAll(async () => {
  t = await createTestApp();
  staff = await signInCatalogStaff(t);
  title = await publishedTitle(t, staff, { synopsis: 'Before the edit.' });
});
afterAll(async () => {
  await t?.close();
});

const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });

describe('HTTP caching of catalog reads', () => {
  it('sends strong ETags and answers 304 when the client has the body', async () => {
    for (const url of [
      '/api/v1/catalog/home',
      `/api/v1/catalog/titles/${title.slug}`,
      '/api/v1/catalog/categories/ugandan-stories',
      '/api/v1/catalog/genres',
      '/api/v1/catalog/autocomplete?q=film',
      '/api/v1/catalog/search?q=film',
    ]) {
      const first = await get(url);
      expect(first.statusCode, url).toBe(200);
      const etag = first.headers.etag as string;
      expect(etag, url).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
      expect(first.headers['cache-control']).toBe(PUBLIC_CACHE_CONTROL);
      // CDN-friendly: shared caches keep it a while and may serve it stale while they revalidate.
      expect(first.headers['cache-control']).toMatch(/^public,/);
      expect(first.headers['cache-control']).toMatch(/(^|, )s-maxage=[1-9]\d*(,|$)/);
      expect(first.headers['cache-control']).toMatch(/(^|, )stale-while-revalidate=[1-9]\d*(,|$)/);
      expect(first.headers.vary).toContain('X-Profile-Id');
      expect(first.headers['content-type']).toContain('application/json');

      const again = await get(url, { 'if-none-match': etag });
      expect(again.statusCode, url).toBe(304);
      expect(again.body).toBe('');
      expect(again.headers.etag).toBe(etag);
      expect((await get(url, { 'if-none-match': `"other", W/${etag}` })).statusCode).toBe(304);
      expect((await get(url, { 'if-none-match': '"other"' })).statusCode).toBe(200);
    }
  });

  it('sends the cached body pre-compressed in the best encoding the client accepts, each with its own ETag', async () => {
    const synopsis = Array.from({ length: 60 }, (_, i) => `Scene ${i}: the boda rider crosses Kampala again.`).join(
      ' ',
    );
    const long = await publishedTitle(t, staff, { synopsis });
    const url = `/api/v1/catalog/titles/${long.slug}`;
    const plain = await get(url);
    expect(plain.body.length, 'a body worth compressing').toBeGreaterThan(MIN_COMPRESS_BYTES);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers.vary).toContain('Accept-Encoding');
    const etag = plain.headers.etag as string;

    const br = await get(url, { 'accept-encoding': 'gzip, deflate, br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(br.rawPayload).toString()).toBe(plain.body);
    expect(br.rawPayload.length).toBeLessThan(plain.rawPayload.length);
    expect(br.headers.etag).toBe(`${etag.slice(0, -1)}-br"`);

    const gz = await get(url, { 'accept-encoding': 'gzip;q=1, br;q=0' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.rawPayload).toString()).toBe(plain.body);
    expect(gz.headers.etag).toBe(`${etag.slice(0, -1)}-gz"`);

    expect((await get(url, { 'accept-encoding': 'identity' })).headers['content-encoding']).toBeUndefined();
    // Any representation's ETag revalidates: they all carry the same document.
    const revalidated = await get(url, { 'accept-encoding': 'br', 'if-none-match': br.headers.etag as string });
    expect(revalidated.statusCode).toBe(304);
    expect((await get(url, { 'if-none-match': gz.headers.etag as string })).statusCode).toBe(304);
  });

  it('reads Accept-Encoding weights', () => {
    expect(preferredEncoding(undefined)).toBeNull();
    expect(preferredEncoding('gzip, deflate, br, zstd')).toBe('br');
    expect(preferredEncoding('gzip')).toBe('gzip');
    expect(preferredEncoding('br;q=0, gzip;q=0.5')).toBe('gzip');
    expect(preferredEncoding('*')).toBe('br');
    expect(preferredEncoding('*;q=0, identity')).toBeNull();
    expect(preferredEncoding('deflate')).toBeNull();
  });

  it('marks responses to signed-in or profile requests private, with the same body and ETag', async () => {
    const anonymous = await get('/api/v1/catalog/home');
    const viewer = await registerViewer(t);
    const signedIn = await get('/api/v1/catalog/home', viewer.auth);
    expect(signedIn.headers['cache-control']).toBe(PRIVATE_CACHE_CONTROL);
    // Never stored by a shared cache (CDN, proxy): no public, no s-maxage.
    expect(signedIn.headers['cache-control']).toMatch(/^private\b/);
    expect(signedIn.headers['cache-control']).not.toMatch(/public|s-maxage/);
    const profile = await createProfile(t, viewer.userId, { isKids: true });
    for (const url of [
      '/api/v1/catalog/home',
      `/api/v1/catalog/titles/${title.slug}`,
      '/api/v1/catalog/search?q=film',
    ]) {
      const res = await get(url, { ...viewer.auth, 'x-profile-id': profile.id });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['cache-control'], url).toBe(PRIVATE_CACHE_CONTROL);
    }
    expect(signedIn.headers.etag).toBe(anonymous.headers.etag);
    expect(signedIn.body).toBe(anonymous.body);
    expect(
      (await get('/api/v1/catalog/home', { ...viewer.auth, 'if-none-match': anonymous.headers.etag as string }))
        .statusCode,
    ).toBe(304);
  });

  it('shows a staff edit at once: the edit invalidates the cached pages', async () => {
    const url = `/api/v1/catalog/titles/${title.slug}`;
    const before = await get(url);
    expect(before.json().synopsis).toBe('Before the edit.');
    const edit = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/admin/titles/${title.id}`,
      headers: staff.auth,
      payload: { synopsis: 'After the edit.' },
    });
    expect(edit.statusCode).toBe(200);
    const after = await get(url, { 'if-none-match': before.headers.etag as string });
    expect(after.statusCode).toBe(200);
    expect(after.json().synopsis).toBe('After the edit.');
    expect(after.headers.etag).not.toBe(before.headers.etag);

    await t.app.inject({
      method: 'POST',
      url: `/api/v1/admin/titles/${title.id}/status`,
      headers: staff.auth,
      payload: { status: 'archived' },
    });
    expect((await get(url)).statusCode).toBe(404);
    expect((await get('/api/v1/catalog/home')).body).not.toContain(title.id);
  });

  it('exports the cache hit ratio in /metrics', async () => {
    for (let i = 0; i < 3; i++) await get('/api/v1/catalog/genres');
    const metrics = (await get('/metrics')).body;
    expect(metrics).toMatch(/catalog_cache_lookups_total\{outcome="local"\} [1-9]/);
    expect(metrics).toMatch(/catalog_cache_lookups_total\{outcome="miss"\} [1-9]/);
    const ratio = Number(/^catalog_cache_hit_ratio (\S+)$/m.exec(metrics)?.[1]);
    expect(ratio).toBeGreaterThan(0);
    expect(ratio).toBeLessThan(1);
  });
});
