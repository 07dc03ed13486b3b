import { titles } from '@kush/db';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInCatalogStaff } from '../../../testing/catalog-factories';
import { insertTitle } from '../../../testing/catalog-rows';
import { registerViewer, type SignedIn } from '../../../testing/factories';
import { createTestApp, type TestApp } from '../../../testing/harness';
import { pathOf, setTitleImage } from '../../../testing/images';
import { addProfile, firstProfile, VIEWER_TEST_ENV } from '../test-helpers';

let t: TestApp;
let owner: SignedIn;
let stranger: SignedIn;
beforeAll(async () => {
  t = await createTestApp({ env: VIEWER_TEST_ENV });
  owner = await registerViewer(t);
  stranger = await registerViewer(t);
});
afterAll(async () => {
  await t?.close();
});

const put = (who: SignedIn, profileId: string, titleId: string) =>
  t.app.inject({ method: 'PUT', url: `/api/v1/profiles/${profileId}/list/${titleId}`, headers: who.auth });
const get = (who: SignedIn, url: string) => t.app.inject({ method: 'GET', url, headers: who.auth });
type Page = { items: { title: { id: string; name: string }; addedAt: string }[]; nextCursor: string | null };

describe('My List', () => {
  it('adds, lists newest first, keeps the first date when added again, and removes', async () => {
    const v = await registerViewer(t);
    const p = await firstProfile(t, v);
    const [a, b, c] = [await insertTitle(t.ctx.db.db), await insertTitle(t.ctx.db.db), await insertTitle(t.ctx.db.db)];
    for (const title of [a!, b!, c!]) {
      const res = await put(v, p.id, title.id);
      expect(res.statusCode).toBe(200);
      expect(res.json().title).toMatchObject({
        id: title.id,
        slug: title.slug,
        maturityRating: '13',
        accessTier: 'free',
      });
    }
    const firstAdd = (await get(v, `/api/v1/profiles/${p.id}/list/${a!.id}`)).json().addedAt as string;
    expect((await put(v, p.id, a!.id)).json().addedAt).toBe(firstAdd);

    const page = (await get(v, `/api/v1/profiles/${p.id}/list`)).json<Page>();
    expect(page.items.map((i) => i.title.id)).toEqual([c!.id, b!.id, a!.id]);

    expect((await get(v, `/api/v1/profiles/${p.id}/list/${b!.id}`)).json()).toMatchObject({ inList: true });
    const del = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/profiles/${p.id}/list/${b!.id}`,
      headers: v.auth,
    });
    expect(del.statusCode).toBe(204);
    expect((await get(v, `/api/v1/profiles/${p.id}/list/${b!.id}`)).json()).toEqual({
      titleId: b!.id,
      inList: false,
      addedAt: null,
    });
    const again = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/profiles/${p.id}/list/${b!.id}`,
      headers: v.auth,
    });
    expect(again.statusCode).toBe(404);
    expect((await get(v, `/api/v1/profiles/${p.id}/list`)).json<Page>().items.map((i) => i.title.id)).toEqual([
      c!.id,
      a!.id,
    ]);
  });

  it("shows each title's poster and backdrop with the catalog's public URLs", async () => {
    const staff = await signInCatalogStaff(t);
    const [pictured, plain] = [await insertTitle(t.ctx.db.db), await insertTitle(t.ctx.db.db)];
    await setTitleImage(t, staff, pictured.id, 'poster');
    const v = await registerViewer(t);
    const p = await firstProfile(t, v);
    const added = await put(v, p.id, pictured.id);
    await put(v, p.id, plain.id);

    const catalog = (await t.app.inject({ method: 'GET', url: `/api/v1/catalog/titles/${pictured.slug}` })).json();
    expect(catalog.poster).not.toBeNull();
    expect(added.json().title).toMatchObject({ poster: catalog.poster, backdrop: null });
    const items = (await get(v, `/api/v1/profiles/${p.id}/list`)).json().items as {
      title: { id: string; poster: { sources: { webp: { url: string }[] } } | null; backdrop: unknown };
    }[];
    expect(items.map((i) => [i.title.id, i.title.poster, i.title.backdrop])).toEqual([
      [plain.id, null, null],
      [pictured.id, catalog.poster, null],
    ]);
    // The URLs serve the picture to anyone, like the catalog's.
    const picture = await t.app.inject({ method: 'GET', url: pathOf(items[1]!.title.poster!.sources.webp[0]!.url) });
    expect(picture.statusCode).toBe(200);
    expect(picture.headers['content-type']).toBe('image/webp');
  });

  it('pages with opaque cursors and refuses a tampered one', async () => {
    const v = await registerViewer(t);
    const p = await firstProfile(t, v);
    const added: string[] = [];
    for (let i = 0; i < 5; i++) {
      const title = await insertTitle(t.ctx.db.db);
      await put(v, p.id, title.id);
      added.push(title.id);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/api/v1/profiles/${p.id}/list?limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page: Page = (await get(v, url)).json<Page>();
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((i) => i.title.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...added].reverse());
    for (const bad of ['bm9wZQ', 'eyJ0IjoieCIsImlkIjoieSJ9', '%%%']) {
      expect((await get(v, `/api/v1/profiles/${p.id}/list?cursor=${bad}`)).statusCode).toBe(400);
    }
    expect((await get(v, `/api/v1/profiles/${p.id}/list?limit=1000`)).statusCode).toBe(400);
  });

  it('keeps each profile its own list', async () => {
    const main = await firstProfile(t, owner);
    const second = await addProfile(t, owner, { name: 'Sibling' });
    const title = await insertTitle(t.ctx.db.db);
    await put(owner, main.id, title.id);
    expect((await get(owner, `/api/v1/profiles/${second.id}/list`)).json<Page>().items).toEqual([]);
    expect((await get(owner, `/api/v1/profiles/${second.id}/list/${title.id}`)).json().inList).toBe(false);
  });

  it('only holds titles the profile may see', async () => {
    const v = await registerViewer(t);
    const adultProfile = await firstProfile(t, v);
    const kids = await addProfile(t, v, { name: 'Kids', isKids: true });
    const draft = await insertTitle(t.ctx.db.db, { status: 'draft' });
    const scheduled = await insertTitle(t.ctx.db.db, {
      status: 'scheduled',
      publishAt: new Date(Date.now() + 86_400_000),
    });
    const adult = await insertTitle(t.ctx.db.db, { maturityRating: '16' });
    const cartoon = await insertTitle(t.ctx.db.db, { maturityRating: 'G' });
    for (const title of [draft, scheduled, adult]) {
      const res = await put(v, kids.id, title.id);
      expect(res.statusCode).toBe(404);
    }
    expect((await put(v, kids.id, cartoon.id)).statusCode).toBe(200);
    expect((await put(v, kids.id, '00000000-0000-7000-8000-000000000000')).statusCode).toBe(404);

    // A listed title that is unpublished later drops out of the list.
    const later = await insertTitle(t.ctx.db.db);
    await put(v, adultProfile.id, later.id);
    await t.ctx.db.db.update(titles).set({ status: 'archived' }).where(eq(titles.id, later.id));
    expect((await get(v, `/api/v1/profiles/${adultProfile.id}/list`)).json<Page>().items).toEqual([]);
  });

  it("answers 404 for another account's list, 401 without sign-in, 400 for bad ids", async () => {
    const theirs = await firstProfile(t, stranger);
    const title = await insertTitle(t.ctx.db.db);
    await put(stranger, theirs.id, title.id);
    const base = `/api/v1/profiles/${theirs.id}/list`;
    for (const [method, url] of [
      ['GET', base],
      ['GET', `${base}/${title.id}`],
      ['PUT', `${base}/${title.id}`],
      ['DELETE', `${base}/${title.id}`],
    ] as const) {
      const res = await t.app.inject({ method, url, headers: owner.auth });
      expect(res.statusCode, `${method} ${url}`).toBe(404);
      expect((await t.app.inject({ method, url })).statusCode, `${method} ${url}`).toBe(401);
    }
    expect((await get(stranger, base)).json<Page>().items).toHaveLength(1);
    const mine = await firstProfile(t, owner);
    expect((await put(owner, mine.id, 'not-a-uuid')).statusCode).toBe(400);
  });
});
