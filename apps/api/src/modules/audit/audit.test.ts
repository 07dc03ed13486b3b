import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createCategory,
  createGenre,
  createPerson,
  createTitle,
  signInCatalogStaff,
  uniqueName,
} from '../../testing/catalog-factories';
import { registerViewer, signInStaff, type SignedIn } from '../../testing/factories';
import { createTestApp, type TestApp } from '../../testing/harness';

let t: TestApp;
let admin: SignedIn;
let staff: SignedIn;
beforeAll(async () => {
  t = await createTestApp();
  admin = await signInStaff(t, ['admin']);
  staff = await signInCatalogStaff(t);
});
afterAll(async () => {
  await t?.close();
});

type Page = {
  items: { id: string; action: string; entityType: string; entityId: string; actor: { id: string } | null }[];
  nextCursor: string | null;
};
const audit = async (query: string, who: SignedIn = admin) => {
  const res = await t.app.inject({ method: 'GET', url: `/api/v1/admin/audit?${query}`, headers: who.auth });
  return { status: res.statusCode, page: res.json<Page>() };
};

describe('admin: audit log', () => {
  it('needs audit:read: 401 anonymous, 403 for viewers and content managers', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/admin/audit' })).statusCode).toBe(401);
    expect((await audit('', await registerViewer(t))).status).toBe(403);
    expect((await audit('', staff)).status).toBe(403);
  });

  it('filters by entity and actor, newest first, with opaque cursors', async () => {
    const genre = await createGenre(t, staff);
    const title = await createTitle(t, staff);
    for (const name of ['One', 'Two', 'Three']) {
      await t.app.inject({
        method: 'PATCH',
        url: `/api/v1/admin/titles/${title.id}`,
        headers: staff.auth,
        payload: { name: `${title.name} ${name}` },
      });
    }

    const byEntity = await audit(`entityType=title&entityId=${title.id}`);
    expect(byEntity.page.items.map((e) => e.action)).toEqual([
      'title.update',
      'title.update',
      'title.update',
      'title.create',
    ]);
    expect(byEntity.page.items.every((e) => e.actor?.id === staff.userId)).toBe(true);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const { page }: { page: Page } = await audit(
        `actorId=${staff.userId}&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      seen.push(...page.items.map((e) => e.entityId));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toContain(genre.id);
    expect(seen.filter((id) => id === title.id)).toHaveLength(4);

    expect((await audit('entityType=genre')).page.items.map((e) => e.entityId)).toContain(genre.id);
    for (const bad of ['cursor=bm9wZQ', 'actorId=someone', 'entityType=Title!', 'limit=500', 'entity=title']) {
      expect((await audit(bad)).status, bad).toBe(400);
    }
  });

  it('records who, what, when, before and after for every kind of staff change', async () => {
    type Entry = {
      action: string;
      actor: { id: string } | null;
      before: Record<string, unknown> | null;
      after: Record<string, unknown> | null;
      createdAt: string;
    };
    const staffCall = async (method: 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, payload?: object) => {
      const res = await t.app.inject({ method, url, headers: staff.auth, ...(payload ? { payload } : {}) });
      expect(res.statusCode, `${method} ${url}: ${res.body}`).toBeLessThan(300);
      return res.statusCode === 204 ? null : res.json<{ id: string }>();
    };
    const entriesOf = async (entityType: string, entityId: string) => {
      const res = await t.app.inject({
        method: 'GET',
        url: `/api/v1/admin/audit?entityType=${entityType}&entityId=${encodeURIComponent(entityId)}`,
        headers: admin.auth,
      });
      expect(res.statusCode).toBe(200);
      return res.json<{ items: Entry[] }>().items;
    };
    const started = Date.now();
    const expectTrail = async (
      entityType: string,
      entityId: string,
      expected: [string, object | null, object | null][],
    ) => {
      const entries = await entriesOf(entityType, entityId);
      expect(
        entries.map((e) => e.action),
        `${entityType} ${entityId}`,
      ).toEqual(expected.map(([action]) => action));
      for (const [i, [action, before, after]] of expected.entries()) {
        const entry = entries[i]!;
        expect(entry.actor?.id, action).toBe(staff.userId);
        expect(Date.parse(entry.createdAt), action).toBeGreaterThanOrEqual(started - 1000);
        if (before) expect(entry.before, `${action} before`).toMatchObject(before);
        else expect(entry.before, `${action} before`).toBeNull();
        if (after) expect(entry.after, `${action} after`).toMatchObject(after);
        else expect(entry.after, `${action} after`).toBeNull();
      }
    };

    // Genres.
    const genre = await createGenre(t, staff, uniqueName('Audit Genre'));
    await staffCall('PATCH', `/api/v1/admin/genres/${genre.id}`, { name: `${genre.name} renamed` });
    await staffCall('DELETE', `/api/v1/admin/genres/${genre.id}`);
    await expectTrail('genre', genre.id, [
      ['genre.delete', { name: `${genre.name} renamed` }, null],
      ['genre.update', { name: genre.name }, { name: `${genre.name} renamed` }],
      ['genre.create', null, { name: genre.name, slug: genre.slug }],
    ]);

    // People.
    const person = await createPerson(t, staff, uniqueName('Audit Person'));
    await staffCall('PATCH', `/api/v1/admin/people/${person.id}`, { bio: 'From Jinja.' });
    await staffCall('DELETE', `/api/v1/admin/people/${person.id}`);
    await expectTrail('person', person.id, [
      ['person.delete', { bio: 'From Jinja.' }, null],
      ['person.update', { bio: null }, { bio: 'From Jinja.' }],
      ['person.create', null, { name: person.name }],
    ]);

    // Seasons and episodes.
    const series = await createTitle(t, staff, { kind: 'series' });
    const season = (await staffCall('POST', `/api/v1/admin/titles/${series.id}/seasons`, { number: 1 }))!;
    await staffCall('PATCH', `/api/v1/admin/seasons/${season.id}`, { name: 'The first' });
    const episode = (await staffCall('POST', `/api/v1/admin/seasons/${season.id}/episodes`, {
      number: 1,
      name: 'Pilot',
    }))!;
    await staffCall('PATCH', `/api/v1/admin/episodes/${episode.id}`, { name: 'The pilot' });
    await staffCall('DELETE', `/api/v1/admin/episodes/${episode.id}`);
    await staffCall('DELETE', `/api/v1/admin/seasons/${season.id}`);
    await expectTrail('episode', episode.id, [
      ['episode.delete', { name: 'The pilot' }, null],
      ['episode.update', { name: 'Pilot' }, { name: 'The pilot' }],
      ['episode.create', null, { name: 'Pilot', number: 1 }],
    ]);
    await expectTrail('season', season.id, [
      ['season.delete', { name: 'The first' }, null],
      ['season.update', { number: 1 }, { name: 'The first' }],
      ['season.create', null, { number: 1, titleId: series.id }],
    ]);

    // Categories: create, edit, fill, reorder, delete.
    const category = await createCategory(t, staff, uniqueName('Audit Row'));
    await staffCall('PATCH', `/api/v1/admin/categories/${category.id}`, { description: 'Picks' });
    await staffCall('PUT', `/api/v1/admin/categories/${category.id}/titles`, { titleIds: [series.id] });
    const order = (await t.app.inject({ method: 'GET', url: '/api/v1/admin/categories', headers: staff.auth }))
      .json<{ items: { id: string }[] }>()
      .items.map((c) => c.id);
    await staffCall('PUT', '/api/v1/admin/categories/order', { ids: [...order].reverse() });
    await staffCall('DELETE', `/api/v1/admin/categories/${category.id}`);
    await expectTrail('category', category.id, [
      ['category.delete', { name: category.name, titleIds: [series.id] }, null],
      ['category.titles.set', { titleIds: [] }, { titleIds: [series.id] }],
      ['category.update', { description: null }, { description: 'Picks' }],
      ['category.create', null, { name: category.name }],
    ]);
    const [reorder] = await entriesOf('category', 'order');
    expect(reorder).toMatchObject({ action: 'category.reorder', before: order, after: [...order].reverse() });
    expect(reorder!.actor?.id).toBe(staff.userId);

    // Languages.
    const code = 'kdj';
    await staffCall('POST', '/api/v1/admin/languages', { code, name: 'Karamojong', nativeName: 'Ngakarimojong' });
    await staffCall('PATCH', `/api/v1/admin/languages/${code}`, { name: 'Karimojong' });
    await expectTrail('language', code, [
      ['language.update', { name: 'Karamojong' }, { name: 'Karimojong' }],
      ['language.create', null, { code, name: 'Karamojong' }],
    ]);
  });
});
