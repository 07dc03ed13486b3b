import { inspectImage } from '@kush/media';
import {
  makeImage,
  SVG_IMAGE,
  TEXT_AS_JPEG,
  truncated,
  withExifOrientation,
  withPngSize,
} from '@kush/media/image-fixtures';
import { imageStagingKey } from '@kush/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createEpisode,
  createPerson,
  createTitle,
  makeDue,
  setTitleStatus,
  signInCatalogStaff,
  uniqueName,
} from '../../testing/catalog-factories';
import { registerViewer, signInStaff, type SignedIn } from '../../testing/factories';
import { createTestApp, type TestApp } from '../../testing/harness';
import {
  completeImageUpload,
  episodeStillPath,
  keysUnder,
  pathOf,
  personPhotoPath,
  putImage,
  startImageUpload,
  titleImagePath,
  uploadImage,
} from '../../testing/images';
import { localPath } from '../../testing/uploads';
import { sweepImages } from './images.sweep';

let t: TestApp;
let staff: SignedIn;
let admin: SignedIn;
let poster: Buffer; // 900 × 1350 JPEG: every poster width
let backdrop: Buffer; // 1000 × 563 PNG: only the backdrop widths up to 1000
let otherPoster: Buffer; // 400 × 600 WebP

beforeAll(async () => {
  t = await createTestApp();
  staff = await signInCatalogStaff(t);
  admin = await signInStaff(t, ['admin']);
  [poster, backdrop, otherPoster] = await Promise.all([
    makeImage('jpeg', 900, 1350),
    makeImage('png', 1000, 563),
    makeImage('webp', 400, 600),
  ]);
});
afterAll(async () => {
  await t?.close();
});

const ZERO = '00000000-0000-4000-8000-000000000000';

interface Source {
  width: number;
  url: string;
}
interface Picture {
  width: number;
  height: number;
  placeholder: string;
  sources: { avif?: Source[]; webp: Source[]; jpeg: Source[] };
}

/** The folder a picture's URLs point into (…/poster/<hash>/), as a storage prefix. */
function folderOf(picture: Picture): string {
  const url = new URL(picture.sources.jpeg[0]!.url);
  const key = decodeURIComponent(url.pathname).replace(
    /^\/api\/v1\/(catalog\/images\/|storage\/objects\/images\/)/,
    '',
  );
  return `images/${key.slice(0, key.lastIndexOf('/') + 1)}`;
}

/** The public URL path of a stored variant. */
const publicPath = (key: string) => `/api/v1/catalog/images/${key.slice('images/'.length)}`;

async function stored(key: string): Promise<Buffer> {
  const { stream } = await t.ctx.storage.getStream(key);
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function auditOf(entityId: string) {
  const res = await t.app.inject({
    method: 'GET',
    url: `/api/v1/admin/audit?entityId=${entityId}`,
    headers: admin.auth,
  });
  return res.json<{ items: { action: string; before: unknown; after: unknown }[] }>().items;
}

async function liveTitle(body: Record<string, unknown> = {}) {
  const title = await createTitle(t, staff, body);
  await setTitleStatus(t, staff, title.id, 'published');
  return title;
}

describe('title images: upload, render, publish', () => {
  it('renders a JPEG poster and a PNG backdrop in every width that fits, never upscaled', async () => {
    const title = await liveTitle({ featured: true });
    const posterRes = await uploadImage(t, staff, titleImagePath(title.id, 'poster'), poster);
    expect(posterRes.statusCode, posterRes.body).toBe(200);
    const staffPoster = posterRes.json<{ poster: Picture; backdrop: null }>().poster;
    expect(staffPoster).toMatchObject({ width: 720, height: 1080 });
    expect(staffPoster.sources.webp.map((s) => s.width)).toEqual([160, 320, 480, 720]);
    expect(staffPoster.sources.jpeg.map((s) => s.width)).toEqual([160, 320, 480, 720]);
    // Staff see signed, short-lived storage URLs (drafts are not public).
    expect(staffPoster.sources.webp[0]!.url).toContain('/api/v1/storage/objects/images/titles/');

    const backdropRes = await uploadImage(t, staff, titleImagePath(title.id, 'backdrop'), backdrop, 'image/png');
    expect(backdropRes.statusCode, backdropRes.body).toBe(200);
    const staffBackdrop = backdropRes.json<{ backdrop: Picture }>().backdrop;
    expect(staffBackdrop.sources.webp.map((s) => s.width)).toEqual([480, 960]);
    expect(staffBackdrop).toMatchObject({ width: 960, height: 540 });

    // What storage holds: each width in both formats, at the size its name says, and no staging left.
    const posterFolder = folderOf(staffPoster);
    expect(posterFolder).toMatch(new RegExp(`^images/titles/${title.id}/poster/[0-9a-f]{32}/$`));
    const keys = await keysUnder(t.ctx.storage, posterFolder);
    expect(keys.map((k) => k.slice(posterFolder.length)).sort()).toEqual(
      [160, 320, 480, 720].flatMap((w) => [`w${w}.avif`, `w${w}.jpg`, `w${w}.webp`]).sort(),
    );
    for (const key of keys.filter((k) => !k.endsWith('.avif'))) {
      const info = inspectImage(await stored(key));
      const width = Number(/w(\d+)\./.exec(key)![1]);
      expect(info).toMatchObject({ format: key.endsWith('.webp') ? 'webp' : 'jpeg', width, height: width * 1.5 });
      expect((await t.ctx.storage.head(key))?.cacheControl).toBe('public, max-age=31536000, immutable');
    }
    for (const key of (await keysUnder(t.ctx.storage, folderOf(staffBackdrop))).filter((k) => !k.endsWith('.avif'))) {
      expect(inspectImage(await stored(key)).width).toBeLessThanOrEqual(1000);
    }
    expect(await keysUnder(t.ctx.storage, 'images/staging/')).toEqual([]);

    // The placeholder: a tiny WebP inline.
    const placeholder = Buffer.from(staffPoster.placeholder.replace(/^data:image\/webp;base64,/, ''), 'base64');
    expect(staffPoster.placeholder.startsWith('data:image/webp;base64,')).toBe(true);
    expect(placeholder.length).toBeLessThan(600);
    expect(inspectImage(placeholder, { maxPixels: 1e6, maxSide: 100, minSide: 1 })).toMatchObject({
      format: 'webp',
      width: 16,
      height: 24,
    });

    // Viewers: the title page, cards and the home hero carry the pictures with public URLs.
    const page = await t.app.inject({ method: 'GET', url: `/api/v1/catalog/titles/${title.slug}` });
    expect(page.statusCode).toBe(200);
    const detail = page.json<{ poster: Picture; backdrop: Picture }>();
    expect(detail).not.toHaveProperty('posterKey');
    expect(detail).not.toHaveProperty('backdropKey');
    expect(detail.poster.placeholder).toBe(staffPoster.placeholder);
    expect(detail.poster.sources.webp).toEqual(
      [160, 320, 480, 720].map((width) => ({
        width,
        url: `${t.config.WEB_URL}/api/v1/catalog/images/${posterFolder.slice('images/'.length)}w${width}.webp`,
      })),
    );
    expect(detail.backdrop.sources.jpeg.map((s) => s.width)).toEqual([480, 960]);
    const home = (await t.app.inject({ method: 'GET', url: '/api/v1/catalog/home' })).json<{
      featured: { id: string; backdrop: Picture | null }[];
      newReleases: { id: string; poster: Picture | null }[];
    }>();
    expect(home.featured.find((f) => f.id === title.id)?.backdrop).toEqual(detail.backdrop);
    expect(home.newReleases.find((c) => c.id === title.id)?.poster).toEqual(detail.poster);

    // The bytes, cached for a year; a revalidation is a 304.
    const image = await t.app.inject({ method: 'GET', url: pathOf(detail.poster.sources.webp[1]!.url) });
    expect(image.statusCode).toBe(200);
    expect(image.headers['content-type']).toBe('image/webp');
    expect(image.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(inspectImage(image.rawPayload)).toMatchObject({ format: 'webp', width: 320, height: 480 });
    // AVIF (this machine's ffmpeg writes it; CI installs Debian's): the same widths, served as AVIF.
    expect(detail.poster.sources.avif?.map((s) => s.width)).toEqual([160, 320, 480, 720]);
    const avif = await t.app.inject({ method: 'GET', url: pathOf(detail.poster.sources.avif![0]!.url) });
    expect(avif.statusCode).toBe(200);
    expect(avif.headers['content-type']).toBe('image/avif');
    expect(avif.rawPayload.subarray(4, 12).toString('latin1')).toBe('ftypavif');
    expect(avif.rawPayload.length).toBeLessThan(image.rawPayload.length);
    const jpeg = await t.app.inject({ method: 'GET', url: pathOf(detail.poster.sources.jpeg[0]!.url) });
    expect(jpeg.headers['content-type']).toBe('image/jpeg');
    expect(Number(jpeg.headers['content-length'])).toBe(jpeg.rawPayload.length);
    const again = await t.app.inject({
      method: 'GET',
      url: pathOf(detail.poster.sources.webp[1]!.url),
      headers: { 'if-none-match': String(image.headers.etag) },
    });
    expect(again.statusCode).toBe(304);

    const audit = await auditOf(title.id);
    expect(audit.filter((e) => e.action === 'title.image.set')).toHaveLength(2);
    expect(audit.find((e) => e.action === 'title.image.set')?.after).toMatchObject({ kind: expect.any(String) });
  });

  it('turns a photo the way its EXIF orientation says', async () => {
    const title = await createTitle(t, staff);
    const sideways = withExifOrientation(await makeImage('jpeg', 1350, 900), 6);
    const res = await uploadImage(t, staff, titleImagePath(title.id, 'poster'), sideways);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<{ poster: Picture }>().poster).toMatchObject({ width: 720, height: 1080 });
  });

  it('replaces a picture, then removes it: each old folder goes once the change is recorded', async () => {
    const title = await liveTitle();
    const path = titleImagePath(title.id, 'poster');
    const first = (await uploadImage(t, staff, path, poster)).json<{ poster: Picture }>().poster;
    const firstFolder = folderOf(first);
    const publicFirst = (await t.app.inject({ method: 'GET', url: `/api/v1/catalog/titles/${title.slug}` })).json<{
      poster: Picture;
    }>().poster;

    const replaced = await uploadImage(t, staff, path, otherPoster, 'image/webp');
    expect(replaced.statusCode, replaced.body).toBe(200);
    const second = replaced.json<{ poster: Picture }>().poster;
    expect(second.sources.webp.map((s) => s.width)).toEqual([160, 320]);
    expect(folderOf(second)).not.toBe(firstFolder);
    expect(await keysUnder(t.ctx.storage, firstFolder)).toEqual([]);
    expect(await keysUnder(t.ctx.storage, folderOf(second))).toHaveLength(6);
    const old = await t.app.inject({ method: 'GET', url: pathOf(publicFirst.sources.webp[0]!.url) });
    expect(old.statusCode).toBe(404);
    const page = (await t.app.inject({ method: 'GET', url: `/api/v1/catalog/titles/${title.slug}` })).json<{
      poster: Picture;
    }>();
    expect((await t.app.inject({ method: 'GET', url: pathOf(page.poster.sources.webp[0]!.url) })).statusCode).toBe(200);

    // The same picture again keeps its folder.
    const same = (await uploadImage(t, staff, path, otherPoster, 'image/webp')).json<{ poster: Picture }>().poster;
    expect(folderOf(same)).toBe(folderOf(second));
    expect(await keysUnder(t.ctx.storage, folderOf(second))).toHaveLength(6);

    const removed = await t.app.inject({ method: 'DELETE', url: path, headers: staff.auth });
    expect(removed.statusCode, removed.body).toBe(200);
    expect(removed.json().poster).toBeNull();
    expect(await keysUnder(t.ctx.storage, `images/titles/${title.id}/`)).toEqual([]);
    const after = (await t.app.inject({ method: 'GET', url: `/api/v1/catalog/titles/${title.slug}` })).json();
    expect(after.poster).toBeNull();
    const nothing = await t.app.inject({ method: 'DELETE', url: path, headers: staff.auth });
    expect(nothing.statusCode).toBe(200);
    const actions = (await auditOf(title.id)).map((e) => e.action);
    expect(actions.filter((a) => a === 'title.image.remove')).toHaveLength(1);
  });

  it('deleting a title removes its pictures', async () => {
    const title = await createTitle(t, staff);
    await uploadImage(t, staff, titleImagePath(title.id, 'backdrop'), backdrop, 'image/png');
    expect((await keysUnder(t.ctx.storage, `images/titles/${title.id}/`)).length).toBeGreaterThan(0);
    const res = await t.app.inject({ method: 'DELETE', url: `/api/v1/admin/titles/${title.id}`, headers: staff.auth });
    expect(res.statusCode).toBe(204);
    expect(await keysUnder(t.ctx.storage, `images/titles/${title.id}/`)).toEqual([]);
  });
});

describe('title images: refused uploads', () => {
  it('refuses what is not a usable JPEG, PNG or WebP with the reason, keeping nothing', async () => {
    const title = await liveTitle();
    const path = titleImagePath(title.id, 'poster');
    const current = (await uploadImage(t, staff, path, otherPoster, 'image/webp')).json<{ poster: Picture }>().poster;
    const before = await keysUnder(t.ctx.storage, `images/titles/${title.id}/`);

    const cases: [string, Buffer, string, string][] = [
      ['an SVG', SVG_IMAGE, 'image/png', 'svg'],
      ['a text file named .jpg', TEXT_AS_JPEG, 'image/jpeg', 'text'],
      ['a PNG declaring 10000 × 10000 pixels', withPngSize(backdrop, 10_000, 10_000), 'image/png', 'too_many_pixels'],
      ['a truncated JPEG', truncated(poster), 'image/jpeg', 'truncated'],
      ['a truncated PNG', truncated(backdrop), 'image/png', 'truncated'],
      ['a GIF', await makeImage('gif', 200, 300), 'image/jpeg', 'unsupported_format'],
      ['an animated WebP', await makeImage('animated-webp', 200, 300), 'image/webp', 'animated'],
      ['a tiny picture', await makeImage('png', 20, 20), 'image/png', 'too_small'],
    ];
    for (const [what, bytes, contentType, reason] of cases) {
      const res = await uploadImage(t, staff, path, bytes, contentType);
      expect(res.statusCode, what).toBe(400);
      const error = res.json<{ error: { code: string; message: string; details: { reason: string } } }>().error;
      expect(error.details.reason, what).toBe(reason);
      expect(error.message.length, what).toBeGreaterThan(20);
      expect(await keysUnder(t.ctx.storage, `images/titles/${title.id}/`), what).toEqual(before);
      expect(await keysUnder(t.ctx.storage, 'images/staging/'), what).toEqual([]);
    }
    const page = (await t.app.inject({ method: 'GET', url: `/api/v1/catalog/titles/${title.slug}` })).json();
    expect(folderOf(page.poster)).toBe(folderOf(current));
  });

  it('checks the uploaded size against the announced one (409) and refuses bad upload requests', async () => {
    const title = await createTitle(t, staff);
    const path = titleImagePath(title.id, 'poster');

    // The object in storage is not the size announced (written around the signed PUT).
    const started = await startImageUpload(t, staff, path, poster.length);
    const stagingKey = decodeURIComponent(new URL(started.upload.url).pathname).replace('/api/v1/storage/objects/', '');
    expect(stagingKey).toMatch(/^images\/staging\/[0-9a-f-]{36}$/);
    await t.ctx.storage.put(stagingKey, poster.subarray(0, poster.length - 100), { contentType: 'image/jpeg' });
    const mismatch = await completeImageUpload(t, staff, path, started.uploadId);
    expect(mismatch.statusCode).toBe(409);
    expect(mismatch.json().error.details).toMatchObject({ reason: 'size_mismatch', announced: poster.length });
    expect(await t.ctx.storage.head(stagingKey)).toBeNull();

    // The signed PUT itself refuses another size.
    const signed = await startImageUpload(t, staff, path, poster.length);
    const put = await t.app.inject({
      method: 'PUT',
      url: localPath(signed.upload.url),
      headers: { ...signed.upload.headers, 'content-length': String(poster.length - 1) },
      payload: poster.subarray(1),
    });
    expect(put.statusCode).toBeGreaterThanOrEqual(400);

    // Completing before uploading, twice, with a forged id, or for another title or kind.
    const early = await startImageUpload(t, staff, path, poster.length);
    expect((await completeImageUpload(t, staff, path, early.uploadId)).statusCode).toBe(409);
    await putImage(t, early, poster);
    const other = await createTitle(t, staff);
    const wrongTitle = await completeImageUpload(t, staff, titleImagePath(other.id, 'poster'), early.uploadId);
    expect(wrongTitle.statusCode).toBe(400);
    expect(wrongTitle.json().error.details.reason).toBe('upload_id_mismatch');
    const wrongKind = await completeImageUpload(t, staff, titleImagePath(title.id, 'backdrop'), early.uploadId);
    expect(wrongKind.statusCode).toBe(400);
    const forged = `${early.uploadId.slice(0, -4)}AAAA`;
    expect((await completeImageUpload(t, staff, path, forged)).json().error.details.reason).toBe('invalid_upload_id');
    expect((await completeImageUpload(t, staff, path, 'nonsense')).statusCode).toBe(400);
    expect((await completeImageUpload(t, staff, path, early.uploadId)).statusCode).toBe(200);
    expect((await completeImageUpload(t, staff, path, early.uploadId)).statusCode).toBe(409);

    // Too big, wrong type, unknown kind: refused before any URL is signed.
    const bad = [
      { contentType: 'image/jpeg', size: 10 * 1024 * 1024 + 1 },
      { contentType: 'image/svg+xml', size: 100 },
      { contentType: 'image/gif', size: 100 },
      { contentType: 'image/jpeg', size: 0 },
      { contentType: 'image/jpeg' },
    ];
    for (const payload of bad) {
      const res = await t.app.inject({ method: 'POST', url: path, headers: staff.auth, payload });
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
    }
    const kind = await t.app.inject({
      method: 'POST',
      url: `/api/v1/admin/titles/${title.id}/images/thumbnail`,
      headers: staff.auth,
      payload: { contentType: 'image/jpeg', size: 100 },
    });
    expect(kind.statusCode).toBe(400);
    expect(await keysUnder(t.ctx.storage, 'images/staging/')).toEqual([]);
  });

  it('needs catalog:manage (401, 403) and an existing title or person (404)', async () => {
    const viewer = await registerViewer(t);
    const title = await createTitle(t, staff);
    const person = await createPerson(t, staff);
    const body = { contentType: 'image/jpeg', size: 1000 };
    const routes: [string, string, object?][] = [
      ['POST', titleImagePath(title.id, 'poster'), body],
      ['POST', `${titleImagePath(title.id, 'poster')}/complete`, { uploadId: 'x' }],
      ['DELETE', titleImagePath(title.id, 'backdrop')],
      ['POST', personPhotoPath(person.id), body],
      ['POST', `${personPhotoPath(person.id)}/complete`, { uploadId: 'x' }],
      ['DELETE', personPhotoPath(person.id)],
    ];
    for (const [method, url, payload] of routes) {
      const request = { method: method as 'POST', url, ...(payload ? { payload } : {}) };
      expect((await t.app.inject(request)).statusCode, `${method} ${url}`).toBe(401);
      const forbidden = await t.app.inject({ ...request, headers: viewer.auth });
      expect(forbidden.statusCode, `${method} ${url}`).toBe(403);
    }
    for (const [method, url, payload] of [
      ['POST', titleImagePath(ZERO, 'poster'), body],
      ['DELETE', titleImagePath(ZERO, 'poster')],
      ['POST', personPhotoPath(ZERO), body],
      ['DELETE', personPhotoPath(ZERO)],
    ] as const) {
      const res = await t.app.inject({ method, url, headers: staff.auth, ...(payload ? { payload } : {}) });
      expect(res.statusCode, `${method} ${url}`).toBe(404);
    }
    // A title deleted between the upload and its completion.
    const doomed = await createTitle(t, staff);
    const started = await startImageUpload(t, staff, titleImagePath(doomed.id, 'poster'), poster.length);
    await putImage(t, started, poster);
    await t.app.inject({ method: 'DELETE', url: `/api/v1/admin/titles/${doomed.id}`, headers: staff.auth });
    const gone = await completeImageUpload(t, staff, titleImagePath(doomed.id, 'poster'), started.uploadId);
    expect(gone.statusCode).toBe(404);
    expect(await keysUnder(t.ctx.storage, `images/titles/${doomed.id}/`)).toEqual([]);
    expect(await keysUnder(t.ctx.storage, 'images/staging/')).toEqual([]);
  });
});

describe('the public image route', () => {
  it('serves pictures of live titles only: drafts, titles not yet live and archived ones are 404', async () => {
    const title = await createTitle(t, staff);
    await uploadImage(t, staff, titleImagePath(title.id, 'poster'), otherPoster, 'image/webp');
    const [key] = (await keysUnder(t.ctx.storage, `images/titles/${title.id}/`)).filter((k) => k.endsWith('.webp'));
    const url = publicPath(key!);
    const status = async () => (await t.app.inject({ method: 'GET', url })).statusCode;

    const draft = await t.app.inject({ method: 'GET', url });
    expect(draft.statusCode).toBe(404);
    expect(draft.headers['cache-control']).toBe('no-store');
    expect(draft.json().error.code).toBe('NOT_FOUND');
    await setTitleStatus(t, staff, title.id, 'scheduled', new Date(Date.now() + 3600_000).toISOString());
    expect(await status()).toBe(404);
    await setTitleStatus(t, staff, title.id, 'published');
    expect(await status()).toBe(200);
    await setTitleStatus(t, staff, title.id, 'archived');
    expect(await status()).toBe(404);

    // A scheduled title is public from its publishAt, before the scheduler flips its status.
    const scheduled = await createTitle(t, staff);
    await uploadImage(t, staff, titleImagePath(scheduled.id, 'backdrop'), backdrop, 'image/png');
    await setTitleStatus(t, staff, scheduled.id, 'scheduled', new Date(Date.now() + 3600_000).toISOString());
    await makeDue(t, scheduled.id);
    const [due] = await keysUnder(t.ctx.storage, `images/titles/${scheduled.id}/`);
    expect((await t.app.inject({ method: 'GET', url: publicPath(due!) })).statusCode).toBe(200);
  });

  it('refuses traversal and anything that is not a current variant, without a 5xx', async () => {
    const title = await liveTitle();
    await uploadImage(t, staff, titleImagePath(title.id, 'poster'), otherPoster, 'image/webp');
    const [key] = await keysUnder(t.ctx.storage, `images/titles/${title.id}/`);
    const folder = key!.slice('images/'.length, key!.lastIndexOf('/') + 1);
    // A staging upload of another title lies in the same bucket.
    const started = await startImageUpload(t, staff, titleImagePath(title.id, 'backdrop'), poster.length);
    await putImage(t, started, poster);
    const stagingKey = decodeURIComponent(new URL(started.upload.url).pathname).replace('/api/v1/storage/objects/', '');

    const attempts = [
      '../../../etc/passwd',
      '..%2F..%2F..%2Fetc%2Fpasswd',
      '%2e%2e/%2e%2e/etc/passwd',
      `${folder}../../../../staging/${stagingKey.split('/').pop()}`,
      `${folder}..%2F..%2F..%2F..%2F${stagingKey.replace(/\//g, '%2F')}`,
      stagingKey.slice('images/'.length),
      `${folder}w320.svg`,
      `${folder}w320.webp/`,
      `${folder}.w320.webp`,
      `${folder}w99999999.webp`,
      `${folder.toUpperCase()}w160.webp`,
      `titles/${title.id}/poster/`,
      `titles/${title.id}`,
      `titles/not-a-uuid/poster/0123456789abcdef/w160.webp`,
      `people/${ZERO}/photo/0123456789abcdef0123456789abcdef/w160.webp`,
      `titles/${title.id}/poster/0123456789abcdef0123456789abcdef/w160.webp`,
      `${folder}w160.webp%00.png`,
      '',
      'x'.repeat(600),
    ];
    for (const attempt of attempts) {
      const res = await t.app.inject({ method: 'GET', url: `/api/v1/catalog/images/${attempt}` });
      expect([400, 404], attempt).toContain(res.statusCode);
      expect(res.json().error.code, attempt).toMatch(/NOT_FOUND|VALIDATION_FAILED|BAD_REQUEST/);
    }
    // Control: the real one works.
    expect((await t.app.inject({ method: 'GET', url: publicPath(key!) })).statusCode).toBe(200);
  });
});

describe('photos of people', () => {
  it('shows a credited person’s photo on title pages, person pages and in search; hidden otherwise', async () => {
    const person = await createPerson(t, staff, uniqueName('Nakato Photogenic'));
    const res = await uploadImage(t, staff, personPhotoPath(person.id), poster);
    expect(res.statusCode, res.body).toBe(200);
    const photo = res.json<{ photo: Picture }>().photo;
    expect(photo.sources.jpeg.map((s) => s.width)).toEqual([160, 320, 480]);
    const [key] = await keysUnder(t.ctx.storage, `images/people/${person.id}/photo/`);
    // Not credited on anything live yet: the photo is not public.
    expect((await t.app.inject({ method: 'GET', url: publicPath(key!) })).statusCode).toBe(404);

    const title = await liveTitle({ credits: [{ personId: person.id, role: 'actor' }] });
    const page = (await t.app.inject({ method: 'GET', url: `/api/v1/catalog/titles/${title.slug}` })).json<{
      credits: { person: { id: string; photo: Picture | null } }[];
    }>();
    const credited = page.credits.find((c) => c.person.id === person.id)!.person;
    expect(credited).not.toHaveProperty('photoKey');
    expect(credited.photo?.sources.webp.map((s) => s.width)).toEqual([160, 320, 480]);
    const personPage = (await t.app.inject({ method: 'GET', url: `/api/v1/catalog/people/${person.slug}` })).json();
    expect(personPage.photo).toEqual(credited.photo);
    const search = (
      await t.app.inject({ method: 'GET', url: `/api/v1/catalog/search?q=${encodeURIComponent(person.name)}` })
    ).json<{ people: { id: string; photo: Picture | null }[] }>();
    expect(search.people.find((p) => p.id === person.id)?.photo).toEqual(credited.photo);
    const image = await t.app.inject({ method: 'GET', url: pathOf(credited.photo!.sources.webp[0]!.url) });
    expect(image.statusCode).toBe(200);

    const removed = await t.app.inject({ method: 'DELETE', url: personPhotoPath(person.id), headers: staff.auth });
    expect(removed.json().photo).toBeNull();
    expect(await keysUnder(t.ctx.storage, `images/people/${person.id}/`)).toEqual([]);
  });
});

describe('episode stills', () => {
  type EpisodeOnPage = { id: string; still: Picture | null };
  const episodesOf = async (slug: string) =>
    (await t.app.inject({ method: 'GET', url: `/api/v1/catalog/titles/${slug}` }))
      .json<{ seasons: { episodes: EpisodeOnPage[] }[] }>()
      .seasons.flatMap((s) => s.episodes);
  let still: Buffer; // 1280 × 720 JPEG: every still width

  beforeAll(async () => {
    still = await makeImage('jpeg', 1280, 720);
  });

  it('renders a still that the live series page shows, then removes it', async () => {
    const series = await liveTitle({ kind: 'series' });
    const episode = await createEpisode(t, staff, series.id);
    expect(episode).toMatchObject({ still: null });
    expect(episode).not.toHaveProperty('stillKey');

    // Other tests leave staging uploads behind on purpose: this one must add none.
    const staging = await keysUnder(t.ctx.storage, 'images/staging/');
    const res = await uploadImage(t, staff, episodeStillPath(episode.id), still);
    expect(res.statusCode, res.body).toBe(200);
    const staffStill = res.json<{ id: string; still: Picture }>().still;
    expect(staffStill).toMatchObject({ width: 960, height: 540 });
    expect(staffStill.sources.webp.map((s) => s.width)).toEqual([320, 640, 960]);
    expect(staffStill.sources.jpeg[0]!.url).toContain('/api/v1/storage/objects/images/episodes/');
    const folder = folderOf(staffStill);
    expect(folder).toMatch(new RegExp(`^images/episodes/${episode.id}/still/[0-9a-f]{32}/$`));
    expect(await keysUnder(t.ctx.storage, folder)).toHaveLength(9);
    expect(await keysUnder(t.ctx.storage, 'images/staging/')).toEqual(staging);
    const staffTitle = await t.app.inject({
      method: 'GET',
      url: `/api/v1/admin/titles/${series.id}`,
      headers: staff.auth,
    });
    expect(staffTitle.json().seasons[0].episodes[0].still.placeholder).toBe(staffStill.placeholder);

    // Viewers: the title page carries it with public URLs (the change invalidated the cached page).
    const [shown] = await episodesOf(series.slug);
    expect(shown).not.toHaveProperty('stillKey');
    expect(shown!.still!.sources.webp).toEqual(
      [320, 640, 960].map((width) => ({
        width,
        url: `${t.config.WEB_URL}/api/v1/catalog/images/${folder.slice('images/'.length)}w${width}.webp`,
      })),
    );
    const image = await t.app.inject({ method: 'GET', url: pathOf(shown!.still!.sources.jpeg[1]!.url) });
    expect(image.statusCode).toBe(200);
    expect(inspectImage(image.rawPayload)).toMatchObject({ format: 'jpeg', width: 640, height: 360 });
    expect((await auditOf(episode.id)).map((e) => e.action)).toContain('episode.image.set');

    const removed = await t.app.inject({ method: 'DELETE', url: episodeStillPath(episode.id), headers: staff.auth });
    expect(removed.statusCode, removed.body).toBe(200);
    expect(removed.json().still).toBeNull();
    expect(await keysUnder(t.ctx.storage, `images/episodes/${episode.id}/`)).toEqual([]);
    expect((await episodesOf(series.slug))[0]!.still).toBeNull();
    expect((await auditOf(episode.id)).map((e) => e.action)).toContain('episode.image.remove');
  });

  it('serves a still only while its series is live and the episode released', async () => {
    const series = await createTitle(t, staff, { kind: 'series' });
    const episode = await createEpisode(t, staff, series.id);
    const later = await createEpisode(t, staff, series.id, {
      season: 2,
      publishAt: new Date(Date.now() + 3600_000).toISOString(),
    });
    for (const e of [episode, later]) {
      expect((await uploadImage(t, staff, episodeStillPath(e.id), still)).statusCode).toBe(200);
    }
    const [key] = (await keysUnder(t.ctx.storage, `images/episodes/${episode.id}/`)).filter((k) => k.endsWith('.jpg'));
    const [laterKey] = await keysUnder(t.ctx.storage, `images/episodes/${later.id}/`);
    const status = async (k: string) => (await t.app.inject({ method: 'GET', url: publicPath(k) })).statusCode;

    const draft = await t.app.inject({ method: 'GET', url: publicPath(key!) });
    expect(draft.statusCode).toBe(404);
    expect(draft.headers['cache-control']).toBe('no-store');
    await setTitleStatus(t, staff, series.id, 'published');
    expect(await status(key!)).toBe(200);
    // An episode dated later: neither listed nor its still served until then.
    expect(await status(laterKey!)).toBe(404);
    expect((await episodesOf(series.slug)).map((e) => e.id)).toEqual([episode.id]);
    await setTitleStatus(t, staff, series.id, 'archived');
    expect(await status(key!)).toBe(404);
  });

  it('refuses a bad picture, keeping nothing and the current still', async () => {
    const series = await liveTitle({ kind: 'series' });
    const episode = await createEpisode(t, staff, series.id);
    const path = episodeStillPath(episode.id);
    const current = (await uploadImage(t, staff, path, still)).json<{ still: Picture }>().still;
    const before = await keysUnder(t.ctx.storage, `images/episodes/${episode.id}/`);
    const staging = await keysUnder(t.ctx.storage, 'images/staging/');
    for (const [bytes, contentType, reason] of [
      [SVG_IMAGE, 'image/png', 'svg'],
      [truncated(still), 'image/jpeg', 'truncated'],
    ] as const) {
      const res = await uploadImage(t, staff, path, bytes, contentType);
      expect(res.statusCode, reason).toBe(400);
      expect(res.json().error.details.reason).toBe(reason);
      expect(await keysUnder(t.ctx.storage, `images/episodes/${episode.id}/`), reason).toEqual(before);
      expect(await keysUnder(t.ctx.storage, 'images/staging/'), reason).toEqual(staging);
    }
    expect(folderOf((await episodesOf(series.slug))[0]!.still!)).toBe(folderOf(current));
    // An upload id for a poster cannot complete a still.
    const started = await startImageUpload(t, staff, titleImagePath(series.id, 'poster'), poster.length);
    await putImage(t, started, poster);
    const mismatch = await completeImageUpload(t, staff, path, started.uploadId);
    expect(mismatch.statusCode).toBe(400);
    expect(mismatch.json().error.details.reason).toBe('upload_id_mismatch');
  });

  it('needs catalog:manage (401, 403) and an existing episode (404)', async () => {
    const viewer = await registerViewer(t);
    const series = await createTitle(t, staff, { kind: 'series' });
    const episode = await createEpisode(t, staff, series.id);
    const body = { contentType: 'image/jpeg', size: 1000 };
    for (const [method, url, payload] of [
      ['POST', episodeStillPath(episode.id), body],
      ['POST', `${episodeStillPath(episode.id)}/complete`, { uploadId: 'x' }],
      ['DELETE', episodeStillPath(episode.id)],
    ] as const) {
      const request = { method, url, ...(payload ? { payload } : {}) };
      expect((await t.app.inject(request)).statusCode, `${method} ${url}`).toBe(401);
      expect((await t.app.inject({ ...request, headers: viewer.auth })).statusCode, `${method} ${url}`).toBe(403);
    }
    for (const [method, payload] of [
      ['POST', body],
      ['DELETE', undefined],
    ] as const) {
      const res = await t.app.inject({
        method,
        url: episodeStillPath(ZERO),
        headers: staff.auth,
        ...(payload ? { payload } : {}),
      });
      expect(res.statusCode, method).toBe(404);
    }
    const kind = await t.app.inject({
      method: 'POST',
      url: `/api/v1/admin/episodes/${episode.id}/images/poster`,
      headers: staff.auth,
      payload: body,
    });
    expect(kind.statusCode).toBe(400);
  });

  it('deleting an episode, a season or the series removes the stills', async () => {
    const series = await createTitle(t, staff, { kind: 'series' });
    const [a, b, c] = [
      await createEpisode(t, staff, series.id, { season: 1 }),
      await createEpisode(t, staff, series.id, { season: 2 }),
      await createEpisode(t, staff, series.id, { season: 3 }),
    ];
    for (const e of [a, b, c]) await uploadImage(t, staff, episodeStillPath(e.id), still);
    const stored = async (e: { id: string }) => (await keysUnder(t.ctx.storage, `images/episodes/${e.id}/`)).length;
    expect(await stored(a)).toBeGreaterThan(0);

    await t.app.inject({ method: 'DELETE', url: `/api/v1/admin/episodes/${a.id}`, headers: staff.auth });
    expect(await stored(a)).toBe(0);
    await t.app.inject({ method: 'DELETE', url: `/api/v1/admin/seasons/${b.seasonId}`, headers: staff.auth });
    expect(await stored(b)).toBe(0);
    expect(await stored(c)).toBeGreaterThan(0);
    const res = await t.app.inject({ method: 'DELETE', url: `/api/v1/admin/titles/${series.id}`, headers: staff.auth });
    expect(res.statusCode).toBe(204);
    expect(await stored(c)).toBe(0);
  });
});

describe('the image sweep', () => {
  it('removes abandoned staging uploads and folders nothing records, keeping recorded ones', async () => {
    const title = await createTitle(t, staff);
    await uploadImage(t, staff, titleImagePath(title.id, 'poster'), otherPoster, 'image/webp');
    const recorded = await keysUnder(t.ctx.storage, `images/titles/${title.id}/`);
    const staging = imageStagingKey('0193a5f2-7c1e-7d3a-9b4e-1f2a3b4c5d6e');
    await t.ctx.storage.put(staging, 'abandoned');
    const orphan = `images/titles/${title.id}/backdrop/0123456789abcdef0123456789abcdef/w480.webp`;
    await t.ctx.storage.put(orphan, 'orphan');

    // Too recent: kept.
    expect(await sweepImages(t.ctx.db.db, t.ctx.storage)).toEqual({ staging: 0, orphans: 0 });
    const later = new Date(Date.now() + 2 * 24 * 3600_000);
    const swept = await sweepImages(t.ctx.db.db, t.ctx.storage, later);
    expect(swept.staging).toBeGreaterThanOrEqual(1);
    expect(swept.orphans).toBeGreaterThanOrEqual(1);
    expect(await t.ctx.storage.head(staging)).toBeNull();
    expect(await t.ctx.storage.head(orphan)).toBeNull();
    expect(await keysUnder(t.ctx.storage, `images/titles/${title.id}/`)).toEqual(recorded);
  });

  it("knows the episodes' folders: an unrecorded one goes, the recorded still stays", async () => {
    const series = await createTitle(t, staff, { kind: 'series' });
    const episode = await createEpisode(t, staff, series.id);
    await uploadImage(t, staff, episodeStillPath(episode.id), otherPoster, 'image/webp');
    const recorded = await keysUnder(t.ctx.storage, `images/episodes/${episode.id}/`);
    expect(recorded.length).toBeGreaterThan(0);
    const orphan = `images/episodes/${episode.id}/still/0123456789abcdef0123456789abcdef/w320.webp`;
    await t.ctx.storage.put(orphan, 'orphan');
    const swept = await sweepImages(t.ctx.db.db, t.ctx.storage, new Date(Date.now() + 2 * 24 * 3600_000));
    expect(swept.orphans).toBeGreaterThanOrEqual(1);
    expect(await t.ctx.storage.head(orphan)).toBeNull();
    expect(await keysUnder(t.ctx.storage, `images/episodes/${episode.id}/`)).toEqual(recorded);
  });
});
