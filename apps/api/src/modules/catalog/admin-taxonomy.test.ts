import { episodes } from '@kush/db';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createCategory,
  createPerson,
  createTitle,
  signInCatalogStaff,
  uniqueName,
} from '../../testing/catalog-factories';
import type { SignedIn } from '../../testing/factories';
import { createTestApp, type TestApp } from '../../testing/harness';

let t: TestApp;
let staff: SignedIn;
beforeAll(async () => {
  t = await createTestApp();
  staff = await signInCatalogStaff(t);
});
afterAll(async () => {
  await t?.close();
});

const ZERO = '00000000-0000-4000-8000-000000000000';
const inject = (method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, payload?: object) =>
  t.app.inject({ method, url, headers: staff.auth, ...(payload ? { payload } : {}) });

describe('admin: genres', () => {
  it('creates, renames and deletes genres; slugs come from names', async () => {
    const name = uniqueName('Sci Fi');
    const created = await inject('POST', '/api/v1/admin/genres', { name });
    expect(created.statusCode).toBe(201);
    const genre = created.json();
    expect(genre.slug).toMatch(/^sci-fi-/);
    const listed = (await t.app.inject({ method: 'GET', url: '/api/v1/catalog/genres' })).json().items;
    expect(listed).toContainEqual(genre);

    const renamed = await inject('PATCH', `/api/v1/admin/genres/${genre.id}`, { name: `${name} renamed` });
    expect(renamed.json()).toMatchObject({ id: genre.id, name: `${name} renamed`, slug: genre.slug });
    const clash = await inject('PATCH', `/api/v1/admin/genres/${genre.id}`, { slug: 'drama' });
    expect(clash.statusCode).toBe(409);
    expect((await inject('PATCH', `/api/v1/admin/genres/${genre.id}`, {})).statusCode).toBe(400);
    expect((await inject('POST', '/api/v1/admin/genres', { name: 'x'.repeat(81) })).statusCode).toBe(400);

    expect((await inject('DELETE', `/api/v1/admin/genres/${genre.id}`)).statusCode).toBe(204);
    expect((await inject('DELETE', `/api/v1/admin/genres/${genre.id}`)).statusCode).toBe(404);
  });
});

describe('admin: categories', () => {
  it('appends new categories, reorders them all at once and sets their titles in order', async () => {
    const a = await createCategory(t, staff);
    const b = await createCategory(t, staff);
    expect(b.position).toBe(a.position + 1);

    const before = (await inject('GET', '/api/v1/admin/categories')).json().items as { id: string }[];
    const ids = before.map((c) => c.id).reverse();
    const reordered = await inject('PUT', '/api/v1/admin/categories/order', { ids });
    expect(reordered.statusCode).toBe(200);
    expect(reordered.json().items.map((c: { id: string }) => c.id)).toEqual(ids);
    const publicOrder = (await t.app.inject({ method: 'GET', url: '/api/v1/catalog/categories' })).json().items;
    expect(publicOrder.map((c: { id: string }) => c.id)).toEqual(ids);

    for (const bad of [
      { ids: ids.slice(1) },
      { ids: [...ids.slice(1), ZERO] },
      { ids: [...ids, ids[0]] },
      { ids: 'x' },
    ]) {
      const res = await inject('PUT', '/api/v1/admin/categories/order', bad);
      expect(res.statusCode, JSON.stringify(bad).slice(0, 60)).toBe(400);
    }

    const x = await createTitle(t, staff);
    const y = await createTitle(t, staff);
    const set = await inject('PUT', `/api/v1/admin/categories/${a.id}/titles`, { titleIds: [y.id, x.id] });
    expect(set.json()).toMatchObject({ id: a.id, titleIds: [y.id, x.id] });
    expect((await inject('PUT', `/api/v1/admin/categories/${a.id}/titles`, { titleIds: [ZERO] })).statusCode).toBe(400);
    expect((await inject('PUT', `/api/v1/admin/categories/${ZERO}/titles`, { titleIds: [] })).statusCode).toBe(404);

    const title = (await inject('GET', `/api/v1/admin/titles/${x.id}`)).json();
    expect(title.categories.map((c: { id: string }) => c.id)).toEqual([a.id]);

    const updated = await inject('PATCH', `/api/v1/admin/categories/${b.id}`, { description: 'Late-night picks' });
    expect(updated.json()).toMatchObject({ description: 'Late-night picks' });
    expect((await inject('DELETE', `/api/v1/admin/categories/${b.id}`)).statusCode).toBe(204);
    expect((await inject('PATCH', `/api/v1/admin/categories/${b.id}`, { name: 'Gone' })).statusCode).toBe(404);
  });
});

describe('admin: languages', () => {
  it('adds and renames languages; codes are unique and well-formed', async () => {
    const code = 'lgg';
    const created = await inject('POST', '/api/v1/admin/languages', { code, name: 'Lugbara', nativeName: 'Lugbarati' });
    expect(created.statusCode).toBe(201);
    expect(
      (await inject('POST', '/api/v1/admin/languages', { code, name: 'Again', nativeName: 'Again' })).statusCode,
    ).toBe(409);
    for (const bad of ['EN', 'english', 'e', 'en-GB']) {
      const res = await inject('POST', '/api/v1/admin/languages', { code: bad, name: 'X', nativeName: 'X' });
      expect(res.statusCode, bad).toBe(400);
    }
    const renamed = await inject('PATCH', `/api/v1/admin/languages/${code}`, { nativeName: 'Lugbara ti' });
    expect(renamed.json()).toEqual({ code, name: 'Lugbara', nativeName: 'Lugbara ti' });
    expect((await inject('PATCH', '/api/v1/admin/languages/qqq', { name: 'Nope' })).statusCode).toBe(404);

    const listed = (await t.app.inject({ method: 'GET', url: '/api/v1/catalog/languages' })).json().items;
    expect(listed.map((l: { code: string }) => l.code)).toEqual(
      expect.arrayContaining(['en', 'lg', 'sw', 'nyn', 'ach', 'teo', 'rw', 'fr', code]),
    );
    // Staff can now use it on titles.
    expect((await createTitle(t, staff, { audioLanguages: [code] })).id).toBeTruthy();
  });
});

describe('admin: people', () => {
  it('creates, finds, updates and deletes people; deleting removes their credits', async () => {
    const person = await createPerson(t, staff, uniqueName('Joan Kagezi'));
    const page = (await inject('GET', `/api/v1/admin/people?q=${encodeURIComponent(person.name)}`)).json();
    expect(page.items.map((p: { id: string }) => p.id)).toEqual([person.id]);

    const updated = await inject('PATCH', `/api/v1/admin/people/${person.id}`, { bio: 'Director from Gulu.' });
    expect(updated.json()).toMatchObject({ bio: 'Director from Gulu.' });
    expect((await inject('GET', `/api/v1/admin/people/${ZERO}`)).statusCode).toBe(404);
    expect((await inject('POST', '/api/v1/admin/people', { name: 'x', bio: 'y'.repeat(5001) })).statusCode).toBe(400);

    const title = await createTitle(t, staff, { credits: [{ personId: person.id, role: 'director' }] });
    expect((await inject('DELETE', `/api/v1/admin/people/${person.id}`)).statusCode).toBe(204);
    expect((await inject('GET', `/api/v1/admin/titles/${title.id}`)).json().credits).toEqual([]);
  });
});

describe('admin: seasons and episodes', () => {
  it('builds a series season by season, with unique numbers', async () => {
    const series = await createTitle(t, staff, { kind: 'series' });
    const film = await createTitle(t, staff);
    expect((await inject('POST', `/api/v1/admin/titles/${film.id}/seasons`, { number: 1 })).statusCode).toBe(409);
    expect((await inject('POST', `/api/v1/admin/titles/${ZERO}/seasons`, { number: 1 })).statusCode).toBe(404);

    const s1 = (
      await inject('POST', `/api/v1/admin/titles/${series.id}/seasons`, { number: 1, name: 'Season One' })
    ).json();
    expect(s1).toMatchObject({ titleId: series.id, number: 1, episodes: [] });
    expect((await inject('POST', `/api/v1/admin/titles/${series.id}/seasons`, { number: 1 })).statusCode).toBe(409);

    const e1 = await inject('POST', `/api/v1/admin/seasons/${s1.id}/episodes`, {
      number: 1,
      name: 'Pilot',
      runtimeMinutes: 42,
    });
    expect(e1.statusCode).toBe(201);
    expect(e1.json()).toMatchObject({ seasonId: s1.id, titleId: series.id, number: 1, publishAt: null });
    const later = new Date(Date.now() + 86_400_000).toISOString();
    const e2 = (
      await inject('POST', `/api/v1/admin/seasons/${s1.id}/episodes`, { number: 2, name: 'Second', publishAt: later })
    ).json();
    expect(e2.publishAt).toBe(later);
    expect(
      (await inject('POST', `/api/v1/admin/seasons/${s1.id}/episodes`, { number: 2, name: 'Dup' })).statusCode,
    ).toBe(409);
    expect(
      (await inject('POST', `/api/v1/admin/seasons/${s1.id}/episodes`, { number: 3, name: 'x', videoId: ZERO }))
        .statusCode,
    ).toBe(400);
    expect(
      (await inject('POST', `/api/v1/admin/seasons/${s1.id}/episodes`, { number: -1, name: 'x' })).statusCode,
    ).toBe(400);

    const renamed = await inject('PATCH', `/api/v1/admin/episodes/${e2.id}`, { name: 'The Second', publishAt: null });
    expect(renamed.json()).toMatchObject({ name: 'The Second', publishAt: null });
    const season = await inject('PATCH', `/api/v1/admin/seasons/${s1.id}`, { synopsis: 'It begins.' });
    expect(season.json().episodes.map((e: { number: number }) => e.number)).toEqual([1, 2]);

    const detail = (await inject('GET', `/api/v1/admin/titles/${series.id}`)).json();
    expect(detail.seasons).toHaveLength(1);
    expect(detail.seasons[0].episodes).toHaveLength(2);

    expect((await inject('DELETE', `/api/v1/admin/episodes/${e2.id}`)).statusCode).toBe(204);
    expect((await inject('PATCH', `/api/v1/admin/episodes/${e2.id}`, { name: 'x' })).statusCode).toBe(404);
    expect((await inject('DELETE', `/api/v1/admin/seasons/${s1.id}`)).statusCode).toBe(204);
    expect((await inject('GET', `/api/v1/admin/titles/${series.id}`)).json().seasons).toEqual([]);
  });
});

describe('catalog events for the viewer module', () => {
  const fanouts = async () => {
    await t.jobsDone();
    const counts = (await t.ctx.infra.queue.counts())['notifications.fanout'];
    return (counts?.completed ?? 0) + (counts?.failed ?? 0);
  };

  it('announces episodes released on a live series, not on drafts or for later dates', async () => {
    const series = await createTitle(t, staff, { kind: 'series' });
    const season = (await inject('POST', `/api/v1/admin/titles/${series.id}/seasons`, { number: 1 })).json();
    const addEpisode = async (number: number, publishAt?: string) =>
      (
        await inject('POST', `/api/v1/admin/seasons/${season.id}/episodes`, { number, name: `E${number}`, publishAt })
      ).json<{
        id: string;
      }>();

    const before = await fanouts();
    const draftEpisode = await addEpisode(1);
    await inject('POST', `/api/v1/admin/titles/${series.id}/status`, { status: 'published' });
    const liveEpisode = await addEpisode(2);
    await addEpisode(3, new Date(Date.now() + 86_400_000).toISOString());
    expect(await fanouts()).toBe(before + 1);
    expect(await t.ctx.infra.queue.getJob('notifications.fanout', `fanout-episode-${liveEpisode.id}`)).toBeDefined();
    expect(await t.ctx.infra.queue.getJob('notifications.fanout', `fanout-episode-${draftEpisode.id}`)).toBeUndefined();
  });

  it('announces an episode dated later once its day comes, exactly once', async () => {
    const series = await createTitle(t, staff, { kind: 'series' });
    const season = (await inject('POST', `/api/v1/admin/titles/${series.id}/seasons`, { number: 1 })).json();
    await inject('POST', `/api/v1/admin/titles/${series.id}/status`, { status: 'published' });
    const later = (
      await inject('POST', `/api/v1/admin/seasons/${season.id}/episodes`, {
        number: 1,
        name: 'Later',
        publishAt: new Date(Date.now() + 86_400_000).toISOString(),
      })
    ).json<{ id: string }>();
    const publishDue = async () => {
      await t.ctx.infra.queue.enqueue('catalog.publish-due', {});
      await t.jobsDone();
    };
    await publishDue();
    expect(await t.ctx.infra.queue.getJob('notifications.fanout', `fanout-episode-${later.id}`)).toBeUndefined();
    // The release date arrives.
    await t.ctx.db.db
      .update(episodes)
      .set({ publishAt: new Date(Date.now() - 1000) })
      .where(eq(episodes.id, later.id));
    const before = await fanouts();
    await publishDue();
    await publishDue();
    expect(await t.ctx.infra.queue.getJob('notifications.fanout', `fanout-episode-${later.id}`)).toBeDefined();
    expect(await fanouts()).toBe(before + 1);
  });

  it('announces a live title going from premium to free', async () => {
    const title = await createTitle(t, staff, { accessTier: 'premium' });
    const before = await fanouts();
    await inject('PATCH', `/api/v1/admin/titles/${title.id}`, { accessTier: 'free' });
    expect(await fanouts()).toBe(before);
    await inject('PATCH', `/api/v1/admin/titles/${title.id}`, { accessTier: 'premium' });
    await inject('POST', `/api/v1/admin/titles/${title.id}/status`, { status: 'published' });
    await inject('PATCH', `/api/v1/admin/titles/${title.id}`, { accessTier: 'free' });
    expect(await fanouts()).toBe(before + 1);
  });
});

describe('admin: string bounds', () => {
  it('refuses every oversize string with 400 and changes nothing', async () => {
    const series = await createTitle(t, staff, { kind: 'series' });
    const season = (await inject('POST', `/api/v1/admin/titles/${series.id}/seasons`, { number: 1 })).json();
    const episode = (
      await inject('POST', `/api/v1/admin/seasons/${season.id}/episodes`, { number: 1, name: 'Pilot' })
    ).json();
    const person = await createPerson(t, staff);
    const category = await createCategory(t, staff);
    const long = (n: number) => 'x'.repeat(n);
    const attempts: ['POST' | 'PATCH' | 'PUT', string, object][] = [
      ['PATCH', `/api/v1/admin/titles/${series.id}`, { name: long(201) }],
      ['PATCH', `/api/v1/admin/titles/${series.id}`, { synopsis: long(5001) }],
      ['PATCH', `/api/v1/admin/titles/${series.id}`, { tags: [long(41)] }],
      ['PATCH', `/api/v1/admin/titles/${series.id}`, { slug: long(200) }],
      [
        'PATCH',
        `/api/v1/admin/titles/${series.id}`,
        { credits: [{ personId: person.id, role: 'actor', character: long(201) }] },
      ],
      ['POST', `/api/v1/admin/titles/${series.id}/seasons`, { number: 2, name: long(201) }],
      ['PATCH', `/api/v1/admin/seasons/${season.id}`, { synopsis: long(5001) }],
      ['POST', `/api/v1/admin/seasons/${season.id}/episodes`, { number: 2, name: long(201) }],
      ['PATCH', `/api/v1/admin/episodes/${episode.id}`, { synopsis: long(5001) }],
      ['POST', '/api/v1/admin/people', { name: long(201) }],
      ['PATCH', `/api/v1/admin/people/${person.id}`, { bio: long(5001) }],
      ['POST', '/api/v1/admin/categories', { name: long(101) }],
      ['PATCH', `/api/v1/admin/categories/${category.id}`, { description: long(501) }],
      ['PUT', `/api/v1/admin/categories/${category.id}/titles`, { titleIds: Array.from({ length: 501 }, () => ZERO) }],
      ['POST', '/api/v1/admin/genres', { name: long(81) }],
      ['POST', '/api/v1/admin/languages', { code: 'qqa', name: long(81), nativeName: 'x' }],
      ['PATCH', '/api/v1/admin/languages/en', { nativeName: long(81) }],
    ];
    for (const [method, url, payload] of attempts) {
      const res = await inject(method, url, payload);
      expect(res.statusCode, `${method} ${url} ${JSON.stringify(payload).slice(0, 50)}`).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
    }
    for (const url of ['/api/v1/admin/titles?q=', '/api/v1/admin/people?q=']) {
      expect((await inject('GET', `${url}${long(101)}`)).statusCode, url).toBe(400);
    }
    const after = (await inject('GET', `/api/v1/admin/titles/${series.id}`)).json();
    expect(after).toMatchObject({
      name: series.name,
      tags: [],
      seasons: [{ number: 1, episodes: [{ name: 'Pilot' }] }],
    });
  });
});
