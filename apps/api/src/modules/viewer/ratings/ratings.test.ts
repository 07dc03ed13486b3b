import { titles } from '@kush/db';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertTitle } from '../../../testing/catalog-rows';
import { registerViewer, type SignedIn } from '../../../testing/factories';
import { createTestApp, type TestApp } from '../../../testing/harness';
import { addProfile, firstProfile, VIEWER_TEST_ENV } from '../test-helpers';

let t: TestApp;
let owner: SignedIn;
let stranger: SignedIn;
beforeAll(async () => {
  t = await createTestApp({ backing: 'servers', env: VIEWER_TEST_ENV });
  owner = await registerViewer(t);
  stranger = await registerViewer(t);
});
afterAll(async () => {
  await t?.close();
});

const rate = (who: SignedIn, profileId: string, titleId: string, score: unknown) =>
  t.app.inject({
    method: 'PUT',
    url: `/api/v1/profiles/${profileId}/ratings/${titleId}`,
    headers: who.auth,
    payload: { score },
  });
const unrate = (who: SignedIn, profileId: string, titleId: string) =>
  t.app.inject({ method: 'DELETE', url: `/api/v1/profiles/${profileId}/ratings/${titleId}`, headers: who.auth });
const totals = async (titleId: string) => {
  const [row] = await t.ctx.db.db
    .select({ sum: titles.ratingSum, count: titles.ratingCount })
    .from(titles)
    .where(eq(titles.id, titleId));
  return row!;
};

describe('ratings', () => {
  it('keeps the average and count on the title through create, change and delete', async () => {
    const title = await insertTitle(t.ctx.db.db);
    const a = await firstProfile(t, owner);
    const b = await addProfile(t, owner, { name: 'B' });
    const c = await firstProfile(t, stranger);

    expect((await rate(owner, a.id, title.id, 5)).json()).toMatchObject({
      titleId: title.id,
      score: 5,
      average: 5,
      count: 1,
    });
    expect((await rate(owner, b.id, title.id, 2)).json()).toMatchObject({ average: 3.5, count: 2 });
    expect((await rate(stranger, c.id, title.id, 4)).json()).toMatchObject({ average: 3.67, count: 3 });
    expect(await totals(title.id)).toEqual({ sum: 11, count: 3 });

    // Changing a rating replaces it rather than adding another.
    expect((await rate(owner, a.id, title.id, 1)).json()).toMatchObject({ score: 1, count: 3 });
    expect(await totals(title.id)).toEqual({ sum: 7, count: 3 });
    expect((await rate(owner, a.id, title.id, 1)).json()).toMatchObject({ count: 3 });
    expect(await totals(title.id)).toEqual({ sum: 7, count: 3 });

    const mine = await t.app.inject({
      method: 'GET',
      url: `/api/v1/profiles/${b.id}/ratings/${title.id}`,
      headers: owner.auth,
    });
    expect(mine.json()).toMatchObject({ score: 2, average: 2.33, count: 3 });

    expect((await unrate(owner, b.id, title.id)).statusCode).toBe(204);
    expect(await totals(title.id)).toEqual({ sum: 5, count: 2 });
    expect((await unrate(owner, b.id, title.id)).statusCode).toBe(404);
    expect(await totals(title.id)).toEqual({ sum: 5, count: 2 });

    // Deleting a profile takes its ratings out of the totals.
    const del = await t.app.inject({ method: 'DELETE', url: `/api/v1/profiles/${b.id}`, headers: owner.auth });
    expect(del.statusCode).toBe(204);
    const d = await addProfile(t, owner, { name: 'D' });
    await rate(owner, d.id, title.id, 3);
    expect(await totals(title.id)).toEqual({ sum: 8, count: 3 });
    await t.app.inject({ method: 'DELETE', url: `/api/v1/profiles/${d.id}`, headers: owner.auth });
    expect(await totals(title.id)).toEqual({ sum: 5, count: 2 });
  });

  it('adds up right when many profiles rate and re-rate at once', async () => {
    const title = await insertTitle(t.ctx.db.db);
    const raters: { who: SignedIn; profileId: string }[] = [];
    for (let i = 0; i < 6; i++) {
      const who = await registerViewer(t);
      raters.push({ who, profileId: (await firstProfile(t, who)).id });
    }
    await Promise.all(raters.map((r, i) => rate(r.who, r.profileId, title.id, (i % 5) + 1)));
    // Each profile changes its mind twice, concurrently with the others and with itself.
    await Promise.all(
      raters.flatMap((r) => [rate(r.who, r.profileId, title.id, 5), rate(r.who, r.profileId, title.id, 5)]),
    );
    await Promise.all(raters.slice(0, 2).map((r) => unrate(r.who, r.profileId, title.id)));
    expect(await totals(title.id)).toEqual({ sum: 20, count: 4 });
  });

  it('refuses scores outside 1–5 and changes nothing', async () => {
    const title = await insertTitle(t.ctx.db.db);
    const p = await firstProfile(t, owner);
    await rate(owner, p.id, title.id, 4);
    for (const score of [0, 6, -1, 2.5, '5', null, 'five']) {
      const res = await rate(owner, p.id, title.id, score);
      expect(res.statusCode, String(score)).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
    }
    const empty = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/profiles/${p.id}/ratings/${title.id}`,
      headers: owner.auth,
      payload: {},
    });
    expect(empty.statusCode).toBe(400);
    expect(await totals(title.id)).toEqual({ sum: 4, count: 1 });
  });

  it('rates only titles the profile may see', async () => {
    const p = await firstProfile(t, owner);
    const kids = await addProfile(t, owner, { name: 'Kids', isKids: true });
    const draft = await insertTitle(t.ctx.db.db, { status: 'draft' });
    const adult = await insertTitle(t.ctx.db.db, { maturityRating: '18' });
    expect((await rate(owner, p.id, draft.id, 3)).statusCode).toBe(404);
    expect((await rate(owner, kids.id, adult.id, 3)).statusCode).toBe(404);
    expect(await totals(draft.id)).toEqual({ sum: 0, count: 0 });
    expect(await totals(adult.id)).toEqual({ sum: 0, count: 0 });
    await t.app.inject({ method: 'DELETE', url: `/api/v1/profiles/${kids.id}`, headers: owner.auth });
  });

  it('lists a profile ratings, most recent first', async () => {
    const v = await registerViewer(t);
    const p = await firstProfile(t, v);
    const [x, y] = [await insertTitle(t.ctx.db.db), await insertTitle(t.ctx.db.db)];
    await rate(v, p.id, x!.id, 2);
    await rate(v, p.id, y!.id, 5);
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/profiles/${p.id}/ratings`, headers: v.auth });
    expect(res.json().items.map((i: { title: { id: string }; score: number }) => [i.title.id, i.score])).toEqual([
      [y!.id, 5],
      [x!.id, 2],
    ]);
  });

  it("answers 404 for another account's ratings, 401 without sign-in", async () => {
    const title = await insertTitle(t.ctx.db.db);
    const theirs = await firstProfile(t, stranger);
    await rate(stranger, theirs.id, title.id, 5);
    const base = `/api/v1/profiles/${theirs.id}/ratings`;
    for (const [method, url, payload] of [
      ['GET', base, undefined],
      ['GET', `${base}/${title.id}`, undefined],
      ['PUT', `${base}/${title.id}`, { score: 1 }],
      ['DELETE', `${base}/${title.id}`, undefined],
    ] as const) {
      expect((await t.app.inject({ method, url, payload, headers: owner.auth })).statusCode, `${method} ${url}`).toBe(
        404,
      );
      expect((await t.app.inject({ method, url, payload })).statusCode, `${method} ${url}`).toBe(401);
    }
    expect(await totals(title.id)).toEqual({ sum: 5, count: 1 });
  });
});
