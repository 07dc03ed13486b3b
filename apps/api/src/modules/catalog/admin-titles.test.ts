import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createGenre,
  createPerson,
  createTitle,
  publishedTitle,
  setTitleStatus,
  signInCatalogStaff,
  uniqueName,
} from '../../testing/catalog-factories';
import { insertVideo } from '../../testing/catalog-rows';
import { registerViewer, signInStaff, type SignedIn } from '../../testing/factories';
import { createTestApp, type TestApp } from '../../testing/harness';

let t: TestApp;
let staff: SignedIn;
let admin: SignedIn;
beforeAll(async () => {
  t = await createTestApp();
  staff = await signInCatalogStaff(t);
  admin = await signInStaff(t, ['admin']);
});
afterAll(async () => {
  await t?.close();
});

const ZERO = '00000000-0000-4000-8000-000000000000';

async function auditOf(entityId: string) {
  const res = await t.app.inject({
    method: 'GET',
    url: `/api/v1/admin/audit?entityId=${entityId}`,
    headers: admin.auth,
  });
  expect(res.statusCode).toBe(200);
  return res.json<{ items: { action: string; actor: { id: string } | null; before: unknown; after: unknown }[] }>()
    .items;
}

describe('admin: titles', () => {
  it('requires sign-in (401) and catalog:manage (403) on every staff route', async () => {
    const viewer = await registerViewer(t);
    // Bodies are valid: validation runs before the permission check, so a bad body would be a 400.
    const routes: [string, string, object?][] = [
      ['GET', '/api/v1/admin/titles'],
      ['POST', '/api/v1/admin/titles', { kind: 'film', name: 'Sneaky' }],
      ['GET', `/api/v1/admin/titles/${ZERO}`],
      ['PATCH', `/api/v1/admin/titles/${ZERO}`, { name: 'Sneaky' }],
      ['DELETE', `/api/v1/admin/titles/${ZERO}`],
      ['POST', `/api/v1/admin/titles/${ZERO}/status`, { status: 'published' }],
      ['POST', `/api/v1/admin/titles/${ZERO}/seasons`, { number: 1 }],
      ['PATCH', `/api/v1/admin/seasons/${ZERO}`, { number: 2 }],
      ['DELETE', `/api/v1/admin/seasons/${ZERO}`],
      ['POST', `/api/v1/admin/seasons/${ZERO}/episodes`, { number: 1, name: 'Pilot' }],
      ['PATCH', `/api/v1/admin/episodes/${ZERO}`, { name: 'Pilot' }],
      ['DELETE', `/api/v1/admin/episodes/${ZERO}`],
      ['GET', '/api/v1/admin/people'],
      ['POST', '/api/v1/admin/people', { name: 'Sneaky' }],
      ['GET', `/api/v1/admin/people/${ZERO}`],
      ['PATCH', `/api/v1/admin/people/${ZERO}`, { name: 'Sneaky' }],
      ['DELETE', `/api/v1/admin/people/${ZERO}`],
      ['POST', '/api/v1/admin/genres', { name: 'Sneaky' }],
      ['PATCH', `/api/v1/admin/genres/${ZERO}`, { name: 'Sneaky' }],
      ['DELETE', `/api/v1/admin/genres/${ZERO}`],
      ['GET', '/api/v1/admin/categories'],
      ['POST', '/api/v1/admin/categories', { name: 'Sneaky' }],
      ['PUT', '/api/v1/admin/categories/order', { ids: [] }],
      ['PATCH', `/api/v1/admin/categories/${ZERO}`, { name: 'Sneaky' }],
      ['PUT', `/api/v1/admin/categories/${ZERO}/titles`, { titleIds: [] }],
      ['DELETE', `/api/v1/admin/categories/${ZERO}`],
      ['POST', '/api/v1/admin/languages', { code: 'xx', name: 'Sneaky', nativeName: 'Sneaky' }],
      ['PATCH', '/api/v1/admin/languages/en', { name: 'Sneaky' }],
    ];
    for (const [method, url, payload] of routes) {
      const request = { method: method as 'GET', url, ...(payload ? { payload } : {}) };
      const anonymous = await t.app.inject(request);
      expect(anonymous.statusCode, `${method} ${url}`).toBe(401);
      const forbidden = await t.app.inject({ ...request, headers: viewer.auth });
      expect(forbidden.statusCode, `${method} ${url}`).toBe(403);
      expect(forbidden.json().error.code).toBe('FORBIDDEN');
    }
  });

  it('creates a film with languages, genres and credits, generating a unique slug', async () => {
    const genre = await createGenre(t, staff);
    const director = await createPerson(t, staff);
    const actor = await createPerson(t, staff);
    const name = `Kampalá ${uniqueName('Nights')}`;
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/admin/titles',
      headers: staff.auth,
      payload: {
        kind: 'film',
        name,
        synopsis: 'Two friends and one boda boda.',
        year: 2024,
        runtimeMinutes: 104,
        originalLanguage: 'lg',
        audioLanguages: ['lg', 'en'],
        subtitleLanguages: ['en', 'sw'],
        maturityRating: '13',
        accessTier: 'premium',
        country: 'ug',
        tags: ['boda boda'],
        genreIds: [genre.id],
        credits: [
          { personId: director.id, role: 'director' },
          { personId: actor.id, role: 'actor', character: 'Musa' },
        ],
      },
    });
    expect(res.statusCode).toBe(201);
    const film = res.json();
    expect(film).toMatchObject({
      kind: 'film',
      name,
      status: 'draft',
      country: 'UG',
      audioLanguages: ['lg', 'en'],
      poster: null,
      backdrop: null,
      genres: [{ id: genre.id }],
      credits: [
        { person: { id: director.id }, role: 'director', character: null },
        { person: { id: actor.id }, role: 'actor', character: 'Musa' },
      ],
      seasons: [],
    });
    expect(film.slug).toMatch(/^kampala-nights-/);

    // Same name again: the slug gets a suffix. A slug chosen by staff must be free.
    const again = await createTitle(t, staff, { name });
    expect(again.slug).toBe(`${film.slug}-2`);
    const taken = await t.app.inject({
      method: 'POST',
      url: '/api/v1/admin/titles',
      headers: staff.auth,
      payload: { kind: 'film', name: 'Anything', slug: film.slug },
    });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error.code).toBe('SLUG_TAKEN');

    const fetched = await t.app.inject({ method: 'GET', url: `/api/v1/admin/titles/${film.id}`, headers: staff.auth });
    expect(fetched.json()).toEqual(film);
  });

  it('links a film and its episodes to uploaded videos, with a trailer the public page shows', async () => {
    const feature = await insertVideo(t.ctx.db.db);
    const trailer = await insertVideo(t.ctx.db.db, 90);
    const film = await publishedTitle(t, staff, { videoId: feature, trailerVideoId: trailer, featured: true });
    expect(film).toMatchObject({ videoId: feature, trailerVideoId: trailer, featured: true });
    const page = await t.app.inject({ method: 'GET', url: `/api/v1/catalog/titles/${film.slug}` });
    expect(page.json()).toMatchObject({ videoId: feature, trailerVideoId: trailer });
    const cleared = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/admin/titles/${film.id}`,
      headers: staff.auth,
      payload: { trailerVideoId: null },
    });
    expect(cleared.json()).toMatchObject({ trailerVideoId: null, videoId: feature });
    const unknown = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/admin/titles/${film.id}`,
      headers: staff.auth,
      payload: { trailerVideoId: ZERO },
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.code).toBe('VALIDATION_FAILED');

    // Episodes play like films: each names its own video.
    const series = await publishedTitle(t, staff, { kind: 'series' });
    const season = await t.app.inject({
      method: 'POST',
      url: `/api/v1/admin/titles/${series.id}/seasons`,
      headers: staff.auth,
      payload: { number: 1 },
    });
    const episodeVideo = await insertVideo(t.ctx.db.db, 1500);
    const episode = await t.app.inject({
      method: 'POST',
      url: `/api/v1/admin/seasons/${season.json().id}/episodes`,
      headers: staff.auth,
      payload: { number: 1, name: 'Pilot', videoId: episodeVideo },
    });
    expect(episode.statusCode).toBe(201);
    const seriesPage = await t.app.inject({ method: 'GET', url: `/api/v1/catalog/titles/${series.slug}` });
    expect(seriesPage.json().seasons[0].episodes[0]).toMatchObject({ name: 'Pilot', videoId: episodeVideo });
  });

  it('refuses bad bodies with 400 and changes nothing', async () => {
    const before = (
      await t.app.inject({ method: 'GET', url: '/api/v1/admin/titles?limit=100', headers: staff.auth })
    ).json().items.length;
    const bad = [
      {},
      { kind: 'film' },
      { kind: 'documentary', name: 'x' },
      { kind: 'film', name: 'x'.repeat(201) },
      { kind: 'film', name: '   ' },
      { kind: 'film', name: 'x', synopsis: 'x'.repeat(5001) },
      { kind: 'film', name: 'x', year: 1500 },
      { kind: 'film', name: 'x', maturityRating: 'R' },
      { kind: 'film', name: 'x', audioLanguages: ['zz'] },
      { kind: 'film', name: 'x', audioLanguages: ['English'] },
      { kind: 'film', name: 'x', audioLanguages: ['en', 'en'] },
      { kind: 'film', name: 'x', originalLanguage: 'xyz' },
      { kind: 'film', name: 'x', genreIds: [ZERO] },
      { kind: 'film', name: 'x', credits: [{ personId: ZERO, role: 'actor' }] },
      { kind: 'film', name: 'x', credits: [{ personId: ZERO, role: 'stunt double' }] },
      { kind: 'film', name: 'x', videoId: ZERO },
      { kind: 'film', name: 'x', country: 'Uganda' },
      { kind: 'film', name: 'x', slug: 'Not A Slug' },
      { kind: 'film', name: 'x', tags: Array.from({ length: 31 }, (_, i) => `t${i}`) },
      // Images are set by the upload flow, never here.
      { kind: 'film', name: 'x', posterKey: 'posters/x.jpg' },
      { kind: 'film', name: 'x', poster: { width: 1, height: 1, placeholder: '', sources: { webp: [], jpeg: [] } } },
      { kind: 'film', name: 'x', status: 'published' },
    ];
    for (const payload of bad) {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/admin/titles', headers: staff.auth, payload });
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
    }
    const after = (
      await t.app.inject({ method: 'GET', url: '/api/v1/admin/titles?limit=100', headers: staff.auth })
    ).json().items.length;
    expect(after).toBe(before);
  });

  it('updates a title with an audit entry holding before and after', async () => {
    const title = await createTitle(t, staff, { synopsis: 'Old synopsis' });
    const genre = await createGenre(t, staff);
    const res = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/admin/titles/${title.id}`,
      headers: staff.auth,
      payload: { synopsis: 'New synopsis', genreIds: [genre.id], slug: `${title.slug}-renamed` },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      synopsis: 'New synopsis',
      slug: `${title.slug}-renamed`,
      genres: [{ id: genre.id }],
    });

    const entries = await auditOf(title.id);
    expect(entries.map((e) => e.action)).toEqual(['title.update', 'title.create']);
    const [update] = entries;
    expect(update!.actor?.id).toBe(staff.userId);
    expect(update!.before).toMatchObject({ synopsis: 'Old synopsis', genreIds: [], slug: title.slug });
    expect(update!.after).toMatchObject({
      synopsis: 'New synopsis',
      genreIds: [genre.id],
      slug: `${title.slug}-renamed`,
    });

    for (const payload of [{}, { kind: 'series' }, { name: '' }, { maturityRating: 'X' }]) {
      const bad = await t.app.inject({
        method: 'PATCH',
        url: `/api/v1/admin/titles/${title.id}`,
        headers: staff.auth,
        payload,
      });
      expect(bad.statusCode, JSON.stringify(payload)).toBe(400);
    }
    const missing = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/admin/titles/${ZERO}`,
      headers: staff.auth,
      payload: { name: 'Nobody' },
    });
    expect(missing.statusCode).toBe(404);
    expect(
      (await t.app.inject({ method: 'GET', url: `/api/v1/admin/titles/${ZERO}`, headers: staff.auth })).statusCode,
    ).toBe(404);
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/v1/admin/titles/nope', headers: staff.auth })).statusCode,
    ).toBe(400);
  });

  it('moves titles through draft → scheduled → published → archived, refusing other moves', async () => {
    const title = await createTitle(t, staff);
    const soon = new Date(Date.now() + 3600_000).toISOString();

    const past = await t.app.inject({
      method: 'POST',
      url: `/api/v1/admin/titles/${title.id}/status`,
      headers: staff.auth,
      payload: { status: 'scheduled', publishAt: new Date(Date.now() - 60_000).toISOString() },
    });
    expect(past.statusCode).toBe(400);
    const noTime = await t.app.inject({
      method: 'POST',
      url: `/api/v1/admin/titles/${title.id}/status`,
      headers: staff.auth,
      payload: { status: 'scheduled' },
    });
    expect(noTime.statusCode).toBe(400);

    const scheduled = await setTitleStatus(t, staff, title.id, 'scheduled', soon);
    expect(scheduled).toMatchObject({ status: 'scheduled', publishAt: soon });
    const published = await setTitleStatus(t, staff, title.id, 'published');
    expect(published).toMatchObject({ status: 'published', publishAt: null });
    expect((published as unknown as { publishedAt: string }).publishedAt).toBeTruthy();

    const rescheduled = await t.app.inject({
      method: 'POST',
      url: `/api/v1/admin/titles/${title.id}/status`,
      headers: staff.auth,
      payload: { status: 'scheduled', publishAt: soon },
    });
    expect(rescheduled.statusCode).toBe(409);
    expect(rescheduled.json().error.details).toMatchObject({ from: 'published' });

    const live = await t.app.inject({ method: 'DELETE', url: `/api/v1/admin/titles/${title.id}`, headers: staff.auth });
    expect(live.statusCode).toBe(409);
    await setTitleStatus(t, staff, title.id, 'archived');
    const gone = await t.app.inject({ method: 'DELETE', url: `/api/v1/admin/titles/${title.id}`, headers: staff.auth });
    expect(gone.statusCode).toBe(204);
    expect(
      (await t.app.inject({ method: 'GET', url: `/api/v1/admin/titles/${title.id}`, headers: staff.auth })).statusCode,
    ).toBe(404);

    const actions = (await auditOf(title.id)).map((e) => e.action);
    expect(actions).toEqual([
      'title.delete',
      'title.status.archived',
      'title.status.published',
      'title.status.scheduled',
      'title.create',
    ]);
  });

  it('lists titles newest first with filters and opaque cursors', async () => {
    const tag = uniqueName('Pager');
    const made = [];
    for (let i = 0; i < 5; i++)
      made.push(await createTitle(t, staff, { name: `${tag} ${i}`, kind: i % 2 ? 'series' : 'film' }));
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/api/v1/admin/titles?q=${encodeURIComponent(tag)}&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await t.app.inject({ method: 'GET', url, headers: staff.auth })).json<{
        items: { id: string }[];
        nextCursor: string | null;
      }>();
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(made.map((m) => m.id).reverse());

    const series = await t.app.inject({
      method: 'GET',
      url: `/api/v1/admin/titles?q=${encodeURIComponent(tag)}&kind=series&status=draft`,
      headers: staff.auth,
    });
    expect(series.json().items).toHaveLength(2);
    for (const query of ['cursor=bm9wZQ', 'limit=0', 'limit=101', 'status=live', 'kind=show', 'sort=name']) {
      const res = await t.app.inject({ method: 'GET', url: `/api/v1/admin/titles?${query}`, headers: staff.auth });
      expect(res.statusCode, query).toBe(400);
    }
  });
});
