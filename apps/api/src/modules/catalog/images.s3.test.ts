import { inspectImage } from '@kush/media';
import { makeImage } from '@kush/media/image-fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTitle, setTitleStatus, signInCatalogStaff } from '../../testing/catalog-factories';
import type { SignedIn } from '../../testing/factories';
import { createTestApp, type TestApp } from '../../testing/harness';
import { startS3Server } from '../../testing/s3';
import { keysUnder, titleImagePath, uploadImage } from '../../testing/images';

/**
 * Pictures on S3-compatible storage (s3rver through the real AWS SDK): the upload goes straight to
 * the bucket, and catalog responses carry presigned bucket URLs signed at the start of the day, so
 * they are the same on every request that day and the API never relays picture bytes.
 */
let s3: Awaited<ReturnType<typeof startS3Server>>;
let t: TestApp;
let staff: SignedIn;

beforeAll(async () => {
  s3 = await startS3Server();
  t = await createTestApp({ env: { ...s3.env } });
  staff = await signInCatalogStaff(t);
}, 120_000);

afterAll(async () => {
  await t?.close();
  await s3?.close();
});

describe('title images on S3-compatible storage', () => {
  it('uploads to the bucket and publishes stable presigned URLs; the API route redirects to them', async () => {
    const title = await createTitle(t, staff);
    const res = await uploadImage(t, staff, titleImagePath(title.id, 'poster'), await makeImage('jpeg', 500, 750));
    expect(res.statusCode, res.body).toBe(200);
    const keys = await keysUnder(t.ctx.storage, `images/titles/${title.id}/poster/`);
    expect(keys).toHaveLength(9); // 160, 320, 480 in three formats (AVIF, WebP, JPEG)
    expect(await keysUnder(t.ctx.storage, 'images/staging/')).toEqual([]);

    const key = keys.find((k) => k.endsWith('w320.webp'))!;
    const routePath = `/api/v1/catalog/images/${key.slice('images/'.length)}`;
    expect((await t.app.inject({ method: 'GET', url: routePath })).statusCode).toBe(404); // a draft

    await setTitleStatus(t, staff, title.id, 'published');
    const read = async () =>
      (await t.app.inject({ method: 'GET', url: `/api/v1/catalog/titles/${title.slug}` })).json<{
        poster: { sources: { webp: { width: number; url: string }[] } };
      }>().poster.sources.webp;
    const first = await read();
    const url = first.find((s) => s.width === 320)!.url;
    expect(url.startsWith(`${t.config.S3_ENDPOINT}/kush-media/${key}?`)).toBe(true);
    const signed = new URL(url);
    expect(signed.searchParams.get('X-Amz-Expires')).toBe(String(7 * 24 * 3600));
    expect(signed.searchParams.get('X-Amz-Date')).toMatch(/^\d{8}T000000Z$/);

    // Another request (past the catalog cache) signs the same URLs.
    await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/admin/titles/${title.id}`,
      headers: staff.auth,
      payload: { year: 2020 },
    });
    expect(await read()).toEqual(first);

    const image = await fetch(url);
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/webp');
    expect(image.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(inspectImage(Buffer.from(await image.arrayBuffer()))).toMatchObject({ width: 320, height: 480 });

    const redirect = await t.app.inject({ method: 'GET', url: routePath });
    expect(redirect.statusCode).toBe(302);
    expect(redirect.headers.location).toBe(url);
  });
});
