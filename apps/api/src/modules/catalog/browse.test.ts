import { CatalogHome, CategoryPage, TitleDetail } from '@kush/contracts';
import { auditLog, titles } from '@kush/db';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createCategory,
  createGenre,
  createPerson,
  createProfile,
  createTitle,
  makeDue,
  publishedTitle,
  recordPlays,
  runCatalogJob,
  setCategoryTitles,
  setTitleStatus,
  signInCatalogStaff,
  uniqueName,
  type CreatedTitle,
} from '../../testing/catalog-factories';
import { registerViewer, signInStaff, type SignedIn } from '../../testing/factories';
import { createTestApp, type TestApp } from '../../testing/harness';

let t: TestApp;
let staff: SignedIn;
let genre: { id: string; slug: string };
let otherGenre: { id: string; slug: string };
let category: { id: string; slug: string };
let actor: { id: string; slug: string };
let A: CreatedTitle; // published film, G, featured, free, 2010, 90 min, Luganda, rated 4.5
let B: CreatedTitle; // published film, 16, premium, 2020, 130 min, English
let C: CreatedTitle; // published series, PG, 2015, one released and one future episode
let D: CreatedTitle; // draft
let E: CreatedTitle; // scheduled for tomorrow
let F: CreatedTitle; // archived
let seasonId: string;

const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });
const ids = (items: { id: string }[]) => items.map((i) => i.id);

beforeAll(async () => {
  t = await createTestApp();
  staff = await signInCatalogStaff(t);
  genre = await createGenre(t, staff);
  otherGenre = await createGenre(t, staff);
  category = await createCategory(t, staff);
  actor = await createPerson(t, staff);
  const common = { genreIds: [genre.id] };
  A = await publishedTitle(t, staff, {
    ...common,
    name: uniqueName('Amber'),
    featured: true,
    year: 2010,
    runtimeMinutes: 90,
    audioLanguages: ['lg'],
    maturityRating: 'G',
    credits: [{ personId: actor.id, role: 'actor', character: 'Nakato' }],
  });
  B = await publishedTitle(t, staff, {
    ...common,
    name: uniqueName('Blue'),
    year: 2020,
    runtimeMinutes: 130,
    audioLanguages: ['en'],
    maturityRating: '16',
    accessTier: 'premium',
  });
  C = await createTitle(t, staff, {
    ...common,
    kind: 'series',
    name: uniqueName('Crimson'),
    year: 2015,
    maturityRating: 'PG',
  });
  const season = await t.app.inject({
    method: 'POST',
    url: `/api/v1/admin/titles/${C.id}/seasons`,
    headers: staff.auth,
    payload: { number: 1 },
  });
  seasonId = season.json().id;
  for (const [number, publishAt] of [
    [1, null],
    [2, new Date(Date.now() + 86_400_000).toISOString()],
  ] as const) {
    await t.app.inject({
      method: 'POST',
      url: `/api/v1/admin/seasons/${seasonId}/episodes`,
      headers: staff.auth,
      payload: { number, name: `Episode ${number}`, publishAt },
    });
  }
  C = await setTitleStatus(t, staff, C.id, 'published');
  D = await createTitle(t, staff, {
    ...common,
    name: uniqueName('Draft'),
    credits: [{ personId: actor.id, role: 'actor' }],
  });
  E = await createTitle(t, staff, { ...common, name: uniqueName('Scheduled') });
  E = await setTitleStatus(t, staff, E.id, 'scheduled', new Date(Date.now() + 86_400_000).toISOString());
  F = await publishedTitle(t, staff, { ...common, name: uniqueName('Faded') });
  F = await setTitleStatus(t, staff, F.id, 'archived');
  await setCategoryTitles(t, staff, category.id, [B.id, A.id, D.id, E.id, F.id, C.id]);
  // Ratings belong to the viewer module; the catalog reads the sums it keeps on the title.
  await t.ctx.db.db.update(titles).set({ ratingSum: 9, ratingCount: 2 }).where(eq(titles.id, A.id));
  await t.ctx.db.db.update(titles).set({ ratingSum: 5, ratingCount: 1 }).where(eq(titles.id, C.id));
});
afterAll(async () => {
  await t?.close();
});

describe('home', () => {
  it('shows featured titles, the category rows in order, new releases and trending by recent plays', async () => {
    const res = await get('/api/v1/catalog/home');
    expect(res.statusCode).toBe(200);
    const home = CatalogHome.parse(res.json());
    expect(ids(home.featured)).toEqual([A.id]);
    expect(home.featured[0]!.synopsis).toBeDefined();
    const row = home.rows.find((r) => r.category.id === category.id)!;
    expect(ids(row.titles)).toEqual([B.id, A.id, C.id]);
    expect(ids(home.newReleases)).toEqual([C.id, B.id, A.id]);
    expect(home.trending).toEqual([]);
    // Seeded categories with no titles are left out.
    expect(home.rows.every((r) => r.titles.length > 0)).toBe(true);

    await recordPlays(t, B.id, 2);
    await recordPlays(t, A.id, 5);
    await runCatalogJob(t, 'catalog.refresh-popularity');
    const after = CatalogHome.parse((await get('/api/v1/catalog/home')).json());
    expect(ids(after.trending)).toEqual([A.id, B.id]);
  });

  it('shows the category rows in the order staff set, following a reorder', async () => {
    const second = await createCategory(t, staff);
    await setCategoryTitles(t, staff, second.id, [C.id, A.id]);
    const rowOrder = async () =>
      CatalogHome.parse((await get('/api/v1/catalog/home')).json())
        .rows.map((r) => r.category.id)
        .filter((id) => id === category.id || id === second.id);
    expect(await rowOrder()).toEqual([category.id, second.id]);
    const staffOrder = (await t.app.inject({ method: 'GET', url: '/api/v1/admin/categories', headers: staff.auth }))
      .json<{ items: { id: string }[] }>()
      .items.map((c) => c.id);
    const moved = [second.id, ...staffOrder.filter((id) => id !== second.id)];
    const res = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/admin/categories/order',
      headers: staff.auth,
      payload: { ids: moved },
    });
    expect(res.statusCode).toBe(200);
    expect(await rowOrder()).toEqual([second.id, category.id]);
    const home = CatalogHome.parse((await get('/api/v1/catalog/home')).json());
    expect(ids(home.rows.find((r) => r.category.id === second.id)!.titles)).toEqual([C.id, A.id]);
    // Back as it was, for the other tests.
    await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/admin/categories/${second.id}`,
      headers: staff.auth,
    });
  });

  it('lists the category rows with fewer or no cards when asked (a first screen that draws only their frames)', async () => {
    const full = CatalogHome.parse((await get('/api/v1/catalog/home')).json());
    const bare = CatalogHome.parse((await get('/api/v1/catalog/home?rowCards=0')).json());
    // The same rows in the same order, every one that has a title, none with its cards.
    expect(bare.rows.map((r) => r.category.id)).toEqual(full.rows.map((r) => r.category.id));
    expect(bare.rows.some((r) => r.category.id === category.id)).toBe(true);
    expect(bare.rows.every((r) => r.titles.length === 0)).toBe(true);
    // The rest of the page is unchanged.
    expect(bare.featured).toEqual(full.featured);
    expect(bare.trending).toEqual(full.trending);
    expect(bare.newReleases).toEqual(full.newReleases);

    const one = CatalogHome.parse((await get('/api/v1/catalog/home?rowCards=1')).json());
    expect(ids(one.rows.find((r) => r.category.id === category.id)!.titles)).toEqual([B.id]);
    // Cached per query: the full answer still has the whole row afterwards.
    const again = CatalogHome.parse((await get('/api/v1/catalog/home')).json());
    expect(ids(again.rows.find((r) => r.category.id === category.id)!.titles)).toEqual([B.id, A.id, C.id]);

    for (const query of ['rowCards=-1', 'rowCards=13', 'rowCards=1.5', 'rowCards=all', 'rows=0']) {
      const res = await get(`/api/v1/catalog/home?${query}`);
      expect(res.statusCode, query).toBe(400);
      expect(res.json().error.code, query).toBe('VALIDATION_FAILED');
    }
  });

  it('never shows drafts, scheduled or archived titles', async () => {
    const body = (await get('/api/v1/catalog/home')).body;
    for (const hidden of [D, E, F]) expect(body).not.toContain(hidden.id);
  });
});

describe('category and genre pages', () => {
  const page = async (url: string) => {
    const res = await get(url);
    expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
    return CategoryPage.omit({ category: true }).parse(res.json());
  };
  const base = () => `/api/v1/catalog/categories/${category.slug}`;

  it('sorts by popularity, newest, rating and name', async () => {
    await runCatalogJob(t, 'catalog.refresh-popularity');
    expect(ids((await page(`${base()}?sort=popular`)).items).slice(0, 2)).toEqual([A.id, B.id]);
    expect(ids((await page(`${base()}?sort=newest`)).items)).toEqual([C.id, B.id, A.id]);
    expect(ids((await page(`${base()}?sort=rating`)).items)).toEqual([C.id, A.id, B.id]);
    expect(ids((await page(`${base()}?sort=az`)).items)).toEqual([A.id, B.id, C.id]);
    const a = (await page(`${base()}?sort=az`)).items[0]!;
    expect(a).toMatchObject({ ratingAverage: 4.5, ratingCount: 2, audioLanguages: ['lg'] });
  });

  it('filters by genre, audio language, years, tier, maturity and runtime', async () => {
    const cases: [string, string[]][] = [
      [`genre=${genre.slug}&sort=az`, [A.id, B.id, C.id]],
      [`genre=${otherGenre.slug}`, []],
      ['audio=lg', [A.id]],
      ['yearFrom=2012&sort=az', [B.id, C.id]],
      ['yearFrom=2012&yearTo=2016', [C.id]],
      ['tier=premium', [B.id]],
      ['maturity=PG&sort=az', [A.id, C.id]],
      ['maturity=G', [A.id]],
      ['runtimeMin=100', [B.id]],
      ['runtimeMax=100', [A.id]],
      ['audio=sw', []],
    ];
    for (const [query, expected] of cases) {
      expect(ids((await page(`${base()}?${query}`)).items), query).toEqual(expected);
    }
    const byGenre = await get(`/api/v1/catalog/genres/${genre.slug}?tier=free&sort=az`);
    expect(byGenre.json().genre).toMatchObject({ id: genre.id });
    expect(ids(byGenre.json().items)).toEqual([A.id, C.id]);
  });

  it('pages through every title exactly once with cursors, for each sort', async () => {
    for (const sort of ['popular', 'newest', 'rating', 'az']) {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const url: string = `${base()}?sort=${sort}&limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
        const { items, nextCursor } = await page(url);
        seen.push(...ids(items));
        cursor = nextCursor;
      } while (cursor);
      expect(seen, sort).toEqual(ids((await page(`${base()}?sort=${sort}`)).items));
      expect(seen).toHaveLength(3);
    }
  });

  it('refuses unknown or malformed filters, sorts and cursors with 400', async () => {
    const { nextCursor } = await page(`${base()}?sort=az&limit=1`);
    const [payload, check] = nextCursor!.split('.') as [string, string];
    const flipped = `${payload.slice(0, -2)}${payload.at(-2) === 'A' ? 'B' : 'A'}${payload.at(-1)}.${check}`;
    const forged = Buffer.from(JSON.stringify({ s: 'x', k: ['a', A.id] })).toString('base64url');
    const bad = [
      'sort=price',
      'sort=',
      'order=asc',
      'color=red',
      'genre=Not%20A%20Slug',
      'audio=english',
      'yearFrom=abc',
      'yearFrom=1200',
      'yearFrom=2020&yearTo=2010',
      'tier=gold',
      'maturity=R',
      'maturity=',
      'runtimeMin=-5',
      'runtimeMin=200&runtimeMax=100',
      'limit=0',
      'limit=1000',
      'cursor=garbage',
      `cursor=${encodeURIComponent(flipped)}`,
      `cursor=${forged}.abc`,
      `cursor=${'x'.repeat(600)}`,
      // A cursor belongs to its listing: another sort or other filters refuse it.
      `sort=newest&cursor=${encodeURIComponent(nextCursor!)}`,
      `sort=az&tier=free&cursor=${encodeURIComponent(nextCursor!)}`,
      'sort=az&sort=newest',
    ];
    for (const query of bad) {
      const res = await get(`${base()}?${query}`);
      expect(res.statusCode, query).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
    }
    const genrePage = await get(
      `/api/v1/catalog/genres/${genre.slug}?cursor=${encodeURIComponent(nextCursor!)}&sort=az`,
    );
    expect(genrePage.statusCode).toBe(400);
  });

  it('answers 404 for unknown categories and genres, 400 for malformed slugs', async () => {
    expect((await get('/api/v1/catalog/categories/no-such-row')).statusCode).toBe(404);
    expect((await get('/api/v1/catalog/genres/no-such-genre')).statusCode).toBe(404);
    expect((await get('/api/v1/catalog/categories/Bad%20Slug')).statusCode).toBe(400);
  });
});

describe('title and person pages', () => {
  it('shows a title with genres, credits and rating', async () => {
    const res = await get(`/api/v1/catalog/titles/${A.slug}`);
    expect(res.statusCode).toBe(200);
    const title = TitleDetail.parse(res.json());
    expect(title).toMatchObject({
      id: A.id,
      ratingAverage: 4.5,
      ratingCount: 2,
      genres: [{ id: genre.id }],
      credits: [{ person: { id: actor.id }, role: 'actor', character: 'Nakato' }],
      seasons: [],
    });
    expect(res.body).not.toMatch(/status|draft|recentPlays|ratingSum/);
  });

  it('shows a series with its released episodes only', async () => {
    const title = TitleDetail.parse((await get(`/api/v1/catalog/titles/${C.slug}`)).json());
    expect(title.seasons).toHaveLength(1);
    expect(title.seasons[0]!.episodes.map((e) => e.number)).toEqual([1]);
  });

  it('answers 404 for drafts, scheduled and archived titles', async () => {
    for (const hidden of [D, E, F]) {
      expect((await get(`/api/v1/catalog/titles/${hidden.slug}`)).statusCode, hidden.name).toBe(404);
    }
    expect((await get('/api/v1/catalog/titles/nothing-here')).statusCode).toBe(404);
    expect((await get(`/api/v1/catalog/titles/${'x'.repeat(101)}`)).statusCode).toBe(400);
  });

  it('shows a person with the visible titles they are credited on', async () => {
    const res = await get(`/api/v1/catalog/people/${actor.slug}`);
    expect(res.statusCode).toBe(200);
    expect(res.json().credits.map((c: { title: { id: string } }) => c.title.id)).toEqual([A.id]);
    const draftOnly = await createPerson(t, staff);
    await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/admin/titles/${D.id}`,
      headers: staff.auth,
      payload: { credits: [{ personId: draftOnly.id, role: 'writer' }] },
    });
    expect((await get(`/api/v1/catalog/people/${draftOnly.slug}`)).statusCode).toBe(404);
    expect((await get(`/api/v1/catalog/people/${actor.slug}?maturity=R`)).statusCode).toBe(400);
  });
});

describe('maturity', () => {
  it('lets anonymous viewers ask for a lower limit', async () => {
    const home = CatalogHome.parse((await get('/api/v1/catalog/home?maturity=PG')).json());
    expect(ids(home.newReleases)).toEqual([C.id, A.id]);
    expect((await get(`/api/v1/catalog/titles/${B.slug}?maturity=13`)).statusCode).toBe(404);
  });

  it("clamps every response to the profile's limit; kids profiles see G and PG only", async () => {
    const viewer = await registerViewer(t);
    const kids = await createProfile(t, viewer.userId, { isKids: true, maturityLimit: '18' });
    const teen = await createProfile(t, viewer.userId, { maturityLimit: '13' });
    const as = (profileId: string) => ({ ...viewer.auth, 'x-profile-id': profileId });

    for (const profile of [kids, teen]) {
      // Asking for more than the profile allows changes nothing.
      const homeRes = await get('/api/v1/catalog/home?maturity=18', as(profile.id));
      const home = CatalogHome.parse(homeRes.json());
      expect(ids(home.newReleases)).toEqual([C.id, A.id]);
      // Nowhere on the page: hero, rows, trending (B has plays) or new releases.
      await t.ctx.db.db.update(titles).set({ featured: true }).where(eq(titles.id, B.id));
      await runCatalogJob(t, 'catalog.refresh-popularity');
      const unclamped = CatalogHome.parse((await get('/api/v1/catalog/home')).json());
      expect(ids(unclamped.featured), 'B is on the anonymous page').toContain(B.id);
      expect(ids(unclamped.trending)).toContain(B.id);
      const everywhere = await get('/api/v1/catalog/home', as(profile.id));
      expect(everywhere.body).not.toContain(B.id);
      expect(ids(CatalogHome.parse(everywhere.json()).featured)).toEqual([A.id]);
      expect(homeRes.body).not.toContain(B.id);
      await t.ctx.db.db.update(titles).set({ featured: false }).where(eq(titles.id, B.id));
      await runCatalogJob(t, 'catalog.refresh-popularity');
      expect((await get(`/api/v1/catalog/titles/${B.slug}`, as(profile.id))).statusCode).toBe(404);
      const row = await get(`/api/v1/catalog/categories/${category.slug}?sort=az`, as(profile.id));
      expect(ids(row.json().items)).toEqual([A.id, C.id]);
    }
    // Genre and person pages too: a person credited only above the limit does not exist for the profile.
    const bOnly = await createPerson(t, staff);
    await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/admin/titles/${B.id}`,
      headers: staff.auth,
      payload: { credits: [{ personId: bOnly.id, role: 'writer' }] },
    });
    for (const profile of [kids, teen]) {
      const byGenre = await get(`/api/v1/catalog/genres/${genre.slug}?sort=az&maturity=18`, as(profile.id));
      expect(ids(byGenre.json().items)).toEqual([A.id, C.id]);
      expect((await get(`/api/v1/catalog/people/${bOnly.slug}`, as(profile.id))).statusCode).toBe(404);
      expect((await get(`/api/v1/catalog/people/${actor.slug}`, as(profile.id))).statusCode).toBe(200);
    }
    expect((await get(`/api/v1/catalog/people/${bOnly.slug}`, viewer.auth)).statusCode).toBe(200);
    const kidsOnlyG = await get(`/api/v1/catalog/categories/${category.slug}?maturity=G`, as(kids.id));
    expect(ids(kidsOnlyG.json().items)).toEqual([A.id]);
    // Without a profile, the same account sees everything.
    expect((await get(`/api/v1/catalog/titles/${B.slug}`, viewer.auth)).statusCode).toBe(200);
  });

  it("answers 404 for another account's profile, 401 for a profile without sign-in, 400 for a malformed one", async () => {
    const owner = await registerViewer(t);
    const other = await registerViewer(t);
    const profile = await createProfile(t, owner.userId, { isKids: true });
    const stolen = await get('/api/v1/catalog/home', { ...other.auth, 'x-profile-id': profile.id });
    expect(stolen.statusCode).toBe(404);
    expect((await get('/api/v1/catalog/home', { 'x-profile-id': profile.id })).statusCode).toBe(401);
    expect((await get('/api/v1/catalog/home', { ...owner.auth, 'x-profile-id': 'kids' })).statusCode).toBe(400);
  });
});

describe('scheduled publishing', () => {
  it('a scheduled title goes live at its time, and the job then marks it published', async () => {
    const staffAdmin = await signInStaff(t, ['admin']);
    const title = await createTitle(t, staff, { name: uniqueName('Premiere') });
    await setTitleStatus(t, staff, title.id, 'scheduled', new Date(Date.now() + 3600_000).toISOString());
    expect((await get(`/api/v1/catalog/titles/${title.slug}`)).statusCode).toBe(404);
    expect((await get('/api/v1/catalog/home')).body).not.toContain(title.id);

    await makeDue(t, title.id);
    // Live at its time, before the job runs: visibility does not wait for the scheduler.
    expect((await get(`/api/v1/catalog/titles/${title.slug}`)).statusCode).toBe(200);

    await runCatalogJob(t, 'catalog.publish-due');
    const staffView = await get(`/api/v1/admin/titles/${title.id}`, staff.auth);
    expect(staffView.json()).toMatchObject({ status: 'published' });
    // The job announced the change, so cached pages include it now.
    expect(ids(CatalogHome.parse((await get('/api/v1/catalog/home')).json()).newReleases)).toContain(title.id);
    const entries = await get(`/api/v1/admin/audit?entityId=${title.id}`, staffAdmin.auth);
    expect(entries.json().items[0]).toMatchObject({
      action: 'title.status.published',
      actor: null,
      before: { status: 'scheduled' },
      after: { status: 'published', by: 'scheduler' },
    });
    // Running it again changes nothing.
    await runCatalogJob(t, 'catalog.publish-due');
    const rows = await t.ctx.db.db.select().from(auditLog).where(eq(auditLog.entityId, title.id));
    expect(rows.filter((r) => r.action === 'title.status.published')).toHaveLength(1);
  });
});
