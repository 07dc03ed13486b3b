import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGenre, createTitle, signInCatalogStaff } from '../../testing/catalog-factories';
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
});
