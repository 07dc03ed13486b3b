import { auditLog, comments } from '@kush/db';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertTitle } from '../../../testing/catalog-rows';
import { registerViewer, signInStaff, type SignedIn } from '../../../testing/factories';
import { createTestApp, type TestApp } from '../../../testing/harness';
import { addProfile, firstProfile, VIEWER_TEST_ENV } from '../test-helpers';
import { COMMENT_WRITES_PER_MINUTE } from './comments.service';

let t: TestApp;
let moderator: SignedIn;
beforeAll(async () => {
  t = await createTestApp({ env: VIEWER_TEST_ENV });
  moderator = await signInStaff(t, ['content_manager']);
});
afterAll(async () => {
  await t?.close();
});

type CommentJson = { id: string; body: string; mine: boolean; hidden: boolean; author: { name: string } };

async function author() {
  const who = await registerViewer(t);
  const profile = await firstProfile(t, who);
  return { who, profile };
}
const post = (who: SignedIn, profileId: string, titleId: string, body: unknown) =>
  t.app.inject({
    method: 'POST',
    url: `/api/v1/profiles/${profileId}/comments`,
    headers: who.auth,
    payload: { titleId, body },
  });
const listFor = async (titleId: string, who?: SignedIn) =>
  (await t.app.inject({ method: 'GET', url: `/api/v1/titles/${titleId}/comments`, headers: who?.auth ?? {} })).json<{
    items: CommentJson[];
  }>().items;
const report = (who: SignedIn, commentId: string, reason = 'spam') =>
  t.app.inject({
    method: 'POST',
    url: `/api/v1/comments/${commentId}/report`,
    headers: who.auth,
    payload: { reason },
  });

describe('comments', () => {
  it('posts, lists newest first, edits and deletes own comments, as plain text', async () => {
    const title = await insertTitle(t.ctx.db.db);
    const { who, profile } = await author();
    const script = '<script>alert("x")</script> & <b>bold</b>';
    const first = await post(who, profile.id, title.id, 'Great film!\r\nLoved the ending.\u0007');
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({
      body: 'Great film!\nLoved the ending.',
      mine: true,
      hidden: false,
      author: { name: profile.name },
      editedAt: null,
    });
    const second = await post(who, profile.id, title.id, script);
    // Stored and returned exactly as typed: the web app renders it escaped.
    expect(second.json().body).toBe(script);
    expect(second.headers['content-type']).toContain('application/json');

    const anonymous = await listFor(title.id);
    expect(anonymous.map((c) => c.id)).toEqual([second.json().id, first.json().id]);
    expect(anonymous.every((c) => !c.mine)).toBe(true);
    expect((await listFor(title.id, who)).every((c) => c.mine)).toBe(true);

    const edit = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/profiles/${profile.id}/comments/${first.json().id}`,
      headers: who.auth,
      payload: { body: 'Edited' },
    });
    expect(edit.json()).toMatchObject({ body: 'Edited', editedAt: expect.any(String) });
    const del = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/profiles/${profile.id}/comments/${second.json().id}`,
      headers: who.auth,
    });
    expect(del.statusCode).toBe(204);
    expect((await listFor(title.id)).map((c) => c.body)).toEqual(['Edited']);
  });

  it('bounds comment length and refuses bad input with 400', async () => {
    const title = await insertTitle(t.ctx.db.db);
    const { who, profile } = await author();
    expect((await post(who, profile.id, title.id, 'x'.repeat(2000))).statusCode).toBe(201);
    for (const body of ['x'.repeat(2001), '', '   \n ', 42, null, '\u0000\u0001']) {
      const res = await post(who, profile.id, title.id, body);
      expect(res.statusCode, JSON.stringify(body).slice(0, 20)).toBe(400);
    }
    expect((await post(who, profile.id, 'not-a-uuid', 'hi')).statusCode).toBe(400);
    const extra = await t.app.inject({
      method: 'POST',
      url: `/api/v1/profiles/${profile.id}/comments`,
      headers: who.auth,
      payload: { titleId: title.id, body: 'hi', status: 'visible' },
    });
    expect(extra.statusCode).toBe(400);
    expect(await listFor(title.id)).toHaveLength(1);
  });

  it('comments only on titles the profile may see', async () => {
    const { who } = await author();
    const kids = await addProfile(t, who, { name: 'Kids', isKids: true });
    const draft = await insertTitle(t.ctx.db.db, { status: 'draft' });
    const adult = await insertTitle(t.ctx.db.db, { maturityRating: '18' });
    expect((await post(who, kids.id, adult.id, 'hi')).statusCode).toBe(404);
    expect((await post(who, (await firstProfile(t, who)).id, draft.id, 'hi')).statusCode).toBe(404);
    const listDraft = await t.app.inject({ method: 'GET', url: `/api/v1/titles/${draft.id}/comments` });
    expect(listDraft.statusCode).toBe(404);

    // Read as a profile, a title above its limit does not exist, nor do its comments.
    const grownUp = await author();
    expect((await post(grownUp.who, grownUp.profile.id, adult.id, 'For adults')).statusCode).toBe(201);
    const read = (profileId: string, titleId: string, who: SignedIn | null = grownUp.who) =>
      t.app.inject({
        method: 'GET',
        url: `/api/v1/titles/${titleId}/comments`,
        headers: { ...(who?.auth ?? {}), 'x-profile-id': profileId },
      });
    expect((await read(kids.id, adult.id, who)).statusCode).toBe(404);
    expect((await read(kids.id, adult.id, who)).body).not.toContain('For adults');
    const cartoon = await insertTitle(t.ctx.db.db, { maturityRating: 'G' });
    expect((await read(kids.id, cartoon.id, who)).statusCode).toBe(200);
    expect((await read(grownUp.profile.id, adult.id)).json().items.map((c: CommentJson) => c.body)).toEqual([
      'For adults',
    ]);
    expect((await listFor(adult.id)).map((c) => c.body)).toEqual(['For adults']);
    // Someone else's profile, no sign-in, a malformed id.
    expect((await read(kids.id, adult.id)).statusCode).toBe(404);
    expect((await read(kids.id, cartoon.id, null)).statusCode).toBe(401);
    expect((await read('kids', cartoon.id, who)).statusCode).toBe(400);
  });

  it("answers 404 for another account's comments and profiles, 401 without sign-in", async () => {
    const title = await insertTitle(t.ctx.db.db);
    const a = await author();
    const b = await author();
    const theirs = (await post(a.who, a.profile.id, title.id, 'Mine')).json<CommentJson>();
    const attempts = [
      // Through the other account's profile…
      ['PATCH', `/api/v1/profiles/${a.profile.id}/comments/${theirs.id}`, { body: 'hijack' }],
      ['DELETE', `/api/v1/profiles/${a.profile.id}/comments/${theirs.id}`, undefined],
      ['POST', `/api/v1/profiles/${a.profile.id}/comments`, { titleId: title.id, body: 'as you' }],
      // …and through one's own.
      ['PATCH', `/api/v1/profiles/${b.profile.id}/comments/${theirs.id}`, { body: 'hijack' }],
      ['DELETE', `/api/v1/profiles/${b.profile.id}/comments/${theirs.id}`, undefined],
    ] as const;
    for (const [method, url, payload] of attempts) {
      expect((await t.app.inject({ method, url, payload, headers: b.who.auth })).statusCode, `${method} ${url}`).toBe(
        404,
      );
      expect((await t.app.inject({ method, url, payload })).statusCode, `${method} ${url}`).toBe(401);
    }
    // Another profile of the same account does not own it either.
    const sibling = await addProfile(t, a.who, { name: 'Sibling' });
    const viaSibling = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/profiles/${sibling.id}/comments/${theirs.id}`,
      headers: a.who.auth,
    });
    expect(viaSibling.statusCode).toBe(404);
    expect((await listFor(title.id)).map((c) => c.body)).toEqual(['Mine']);
  });

  it('throttles comment flooding per account with Retry-After', async () => {
    const title = await insertTitle(t.ctx.db.db);
    const { who, profile } = await author();
    const second = await addProfile(t, who, { name: 'Second' });
    const codes: number[] = [];
    for (let i = 0; i < 5; i++) codes.push((await post(who, profile.id, title.id, `comment ${i}`)).statusCode);
    expect(codes).toEqual([201, 201, 201, 201, 201]);
    // Switching profile does not reset it: the limit is per account.
    const blocked = await post(who, second.id, title.id, 'one more');
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json().error.code).toBe('RATE_LIMITED');
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    const other = await author();
    expect((await post(other.who, other.profile.id, title.id, 'unaffected')).statusCode).toBe(201);
    expect(await listFor(title.id)).toHaveLength(6);
  });
});

describe('reports and moderation', () => {
  it('keeps viewers out of moderation (403)', async () => {
    const { who } = await author();
    const id = '00000000-0000-7000-8000-000000000000';
    for (const [method, url] of [
      ['GET', '/api/v1/admin/comments'],
      ['POST', `/api/v1/admin/comments/${id}/hide`],
      ['POST', `/api/v1/admin/comments/${id}/restore`],
      ['POST', `/api/v1/admin/comments/${id}/dismiss-reports`],
      ['DELETE', `/api/v1/admin/comments/${id}`],
    ] as const) {
      const res = await t.app.inject({ method, url, headers: who.auth });
      expect(res.statusCode, `${method} ${url}`).toBe(403);
      expect((await t.app.inject({ method, url })).statusCode, `${method} ${url}`).toBe(401);
    }
  });

  it('reports once per account, queues the most reported first, and hides from everyone but the author', async () => {
    const title = await insertTitle(t.ctx.db.db, { name: 'Moderated film' });
    const a = await author();
    const calm = (await post(a.who, a.profile.id, title.id, 'Nice cinematography')).json<CommentJson>();
    const rude = (await post(a.who, a.profile.id, title.id, 'Something rude')).json<CommentJson>();
    const reporters = [await author(), await author()];
    for (const r of reporters) expect((await report(r.who, rude.id, 'abuse')).statusCode).toBe(204);
    expect((await report(reporters[0]!.who, rude.id, 'spam')).statusCode).toBe(204);
    expect((await report(reporters[0]!.who, calm.id, 'spoiler')).statusCode).toBe(204);
    expect((await report(a.who, calm.id)).statusCode).toBe(409);
    expect((await report(reporters[1]!.who, '00000000-0000-7000-8000-000000000000')).statusCode).toBe(404);
    const badReason = await t.app.inject({
      method: 'POST',
      url: `/api/v1/comments/${calm.id}/report`,
      headers: reporters[1]!.who.auth,
      payload: { reason: 'boring' },
    });
    expect(badReason.statusCode).toBe(400);

    const queue = await t.app.inject({
      method: 'GET',
      url: '/api/v1/admin/comments?reported=true',
      headers: moderator.auth,
    });
    expect(queue.statusCode).toBe(200);
    const items = queue.json<{ items: { id: string; openReports: number; reportReasons: string[] }[] }>().items;
    expect(items.slice(0, 2)).toMatchObject([
      { id: rude.id, openReports: 2, reportReasons: ['abuse'] },
      { id: calm.id, openReports: 1, reportReasons: ['spoiler'] },
    ]);

    const hide = await t.app.inject({
      method: 'POST',
      url: `/api/v1/admin/comments/${rude.id}/hide`,
      headers: moderator.auth,
      payload: { reason: 'insults' },
    });
    expect(hide.json()).toMatchObject({ status: 'hidden', hiddenReason: 'insults', openReports: 0 });

    expect((await listFor(title.id)).map((c) => c.id)).toEqual([calm.id]);
    expect((await listFor(title.id, reporters[0]!.who)).map((c) => c.id)).toEqual([calm.id]);
    const own = await listFor(title.id, a.who);
    expect(own.map((c) => [c.id, c.hidden])).toEqual([
      [rude.id, true],
      [calm.id, false],
    ]);
    const editHidden = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/profiles/${a.profile.id}/comments/${rude.id}`,
      headers: a.who.auth,
      payload: { body: 'sorry' },
    });
    expect(editHidden.statusCode).toBe(409);
    expect((await report(reporters[1]!.who, rude.id)).statusCode).toBe(404);

    const restore = await t.app.inject({
      method: 'POST',
      url: `/api/v1/admin/comments/${rude.id}/restore`,
      headers: moderator.auth,
    });
    expect(restore.json()).toMatchObject({ status: 'visible' });
    expect(await listFor(title.id)).toHaveLength(2);

    const dismiss = await t.app.inject({
      method: 'POST',
      url: `/api/v1/admin/comments/${calm.id}/dismiss-reports`,
      headers: moderator.auth,
    });
    expect(dismiss.json()).toMatchObject({ openReports: 0, status: 'visible' });

    const del = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/admin/comments/${rude.id}`,
      headers: moderator.auth,
    });
    expect(del.statusCode).toBe(204);
    expect(await t.ctx.db.db.select().from(comments).where(eq(comments.id, rude.id))).toEqual([]);
    const again = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/admin/comments/${rude.id}`,
      headers: moderator.auth,
    });
    expect(again.statusCode).toBe(404);

    const audit = await t.ctx.db.db.select().from(auditLog).where(eq(auditLog.entityId, rude.id));
    expect(audit.map((e) => e.action).sort()).toEqual(['comment.delete', 'comment.hide', 'comment.restore']);
    expect(audit.every((e) => e.actorId === moderator.userId)).toBe(true);
    expect(audit.find((e) => e.action === 'comment.hide')).toMatchObject({
      before: { status: 'visible', openReports: 2 },
      after: { status: 'hidden', reason: 'insults' },
    });
    const dismissed = await t.ctx.db.db.select().from(auditLog).where(eq(auditLog.entityId, calm.id));
    expect(dismissed).toMatchObject([
      { action: 'comment.reports.dismiss', actorId: moderator.userId, before: { openReports: 1 } },
    ]);
  });

  it('pages the queue with cursors and refuses tampered ones', async () => {
    const title = await insertTitle(t.ctx.db.db);
    const a = await author();
    for (let i = 0; i < 3; i++) await post(a.who, a.profile.id, title.id, `queued ${i}`);
    const seen = new Set<string>();
    let cursor: string | null = null;
    let pages = 0;
    do {
      const url: string = `/api/v1/admin/comments?limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await t.app.inject({ method: 'GET', url, headers: moderator.auth });
      const page = res.json<{ items: { id: string }[]; nextCursor: string | null }>();
      for (const c of page.items) {
        expect(seen.has(c.id)).toBe(false);
        seen.add(c.id);
      }
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor && pages < 50);
    const total = await t.ctx.db.db.$count(comments);
    expect(seen.size).toBe(total);
    const bad = await t.app.inject({
      method: 'GET',
      url: '/api/v1/admin/comments?cursor=bm9wZQ',
      headers: moderator.auth,
    });
    expect(bad.statusCode).toBe(400);
  });
});

describe('flooding', () => {
  it('counts edits against the same per-account quota as posts', async () => {
    const title = await insertTitle(t.ctx.db.db);
    const { who, profile } = await author();
    const first = (await post(who, profile.id, title.id, 'first')).json<CommentJson>();
    const edit = (body: string) =>
      t.app.inject({
        method: 'PATCH',
        url: `/api/v1/profiles/${profile.id}/comments/${first.id}`,
        headers: who.auth,
        payload: { body },
      });
    const codes: number[] = [];
    for (let i = 0; i < COMMENT_WRITES_PER_MINUTE - 1; i++) codes.push((await edit(`edit ${i}`)).statusCode);
    expect(codes.every((c) => c === 200)).toBe(true);
    const blocked = await edit('one edit too many');
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json().error.code).toBe('RATE_LIMITED');
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect((await post(who, profile.id, title.id, 'and a post')).statusCode).toBe(429);
    expect((await listFor(title.id)).map((c) => c.body)).toEqual([`edit ${COMMENT_WRITES_PER_MINUTE - 2}`]);
    // Deleting one's own comment is never held back.
    const del = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/profiles/${profile.id}/comments/${first.id}`,
      headers: who.auth,
    });
    expect(del.statusCode).toBe(204);
  });

  it('throttles report flooding per account with Retry-After', async () => {
    const title = await insertTitle(t.ctx.db.db);
    const a = await author();
    const target = (await post(a.who, a.profile.id, title.id, 'Reported a lot')).json<CommentJson>();
    const { who } = await author();
    let status = 204;
    let sent = 0;
    while (status === 204 && sent < 100) {
      status = (await report(who, target.id)).statusCode;
      sent += 1;
    }
    expect(status).toBe(429);
    expect(sent).toBeGreaterThan(1);
    const blocked = await report(who, target.id);
    expect(blocked.json().error.code).toBe('RATE_LIMITED');
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    // Another account still reports.
    expect((await report((await author()).who, target.id)).statusCode).toBe(204);
  });
});
