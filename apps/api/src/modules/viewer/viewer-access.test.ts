import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertTitle, insertVideo } from '../../testing/catalog-rows';
import { PASSWORD, registerViewer, signInStaff, type SignedIn } from '../../testing/factories';
import { createTestApp, type TestApp } from '../../testing/harness';
import { HistoryService } from './history/history.service';
import { PERSONAL_CACHE_CONTROL } from './index';
import { NotificationsService } from './notifications/notifications.service';
import { firstProfile, VIEWER_TEST_ENV } from './test-helpers';

/**
 * The viewer module's offensive checks, across its resources: what a shared cache may keep, what
 * a forged cursor gets, and how long a string may be.
 */
let t: TestApp;
let viewer: SignedIn;
let profileId: string;
let titleId: string;
beforeAll(async () => {
  t = await createTestApp({ env: VIEWER_TEST_ENV });
  viewer = await registerViewer(t);
  profileId = (await firstProfile(t, viewer)).id;

  // Two of everything, so that every list has a second page.
  const history = new HistoryService(t.ctx.db.db);
  const notifications = new NotificationsService({
    db: t.ctx.db.db,
    queue: t.ctx.infra.queue,
    webUrl: t.config.WEB_URL,
  });
  const now = Date.now();
  for (let i = 0; i < 2; i++) {
    const videoId = await insertVideo(t.ctx.db.db, 3600);
    const title = await insertTitle(t.ctx.db.db, { videoId });
    titleId = title.id;
    await history.recordProgress(
      { id: profileId },
      { titleId, videoId, positionSeconds: 600, durationSeconds: 3600, clientTime: new Date(now + i) },
    );
    await as('PUT', `/api/v1/profiles/${profileId}/list/${titleId}`);
    await as('PUT', `/api/v1/profiles/${profileId}/ratings/${titleId}`, { score: 4 });
    await notifications.notify(viewer.userId, 'subscription', { subject: `Notice ${i}`, body: 'x' });
  }
  for (let i = 0; i < 2; i++) {
    await as('POST', `/api/v1/profiles/${profileId}/comments`, { titleId, body: `Comment ${i}` });
  }
});
afterAll(async () => {
  await t?.close();
});

function as(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: object, who = viewer) {
  return t.app.inject({ method, url, headers: who.auth, ...(payload ? { payload } : {}) });
}

const personalLists = () => [
  `/api/v1/profiles/${profileId}/list`,
  `/api/v1/profiles/${profileId}/history`,
  `/api/v1/profiles/${profileId}/ratings`,
  `/api/v1/profiles/${profileId}/notifications`,
  `/api/v1/titles/${titleId}/comments`,
];

describe('personal answers and shared caches', () => {
  it('marks every answer to a signed-in viewer private and not to be stored', async () => {
    const urls = [
      '/api/v1/profiles',
      `/api/v1/profiles/${profileId}`,
      ...personalLists(),
      `/api/v1/profiles/${profileId}/list/${titleId}`,
      `/api/v1/profiles/${profileId}/continue-watching`,
      `/api/v1/profiles/${profileId}/notifications/unread-count`,
      '/api/v1/me/notification-preferences',
    ];
    for (const url of urls) {
      const res = await as('GET', url);
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['cache-control'], url).toBe(PERSONAL_CACHE_CONTROL);
    }
    // Errors too: even "not yours" says nothing a shared cache should keep.
    const stranger = await registerViewer(t);
    const foreign = await as('GET', `/api/v1/profiles/${profileId}/history`, undefined, stranger);
    expect(foreign.statusCode).toBe(404);
    expect(foreign.headers['cache-control']).toBe(PERSONAL_CACHE_CONTROL);
    // Writes as well.
    const rated = await as('PUT', `/api/v1/profiles/${profileId}/ratings/${titleId}`, { score: 5 });
    expect(rated.headers['cache-control']).toBe(PERSONAL_CACHE_CONTROL);
  });
});

describe('pagination cursors', () => {
  it('pages every personal list, and answers 400 to an edited, foreign or oversize cursor', async () => {
    for (const url of personalLists()) {
      const first = await as('GET', `${url}?limit=1`);
      expect(first.statusCode, url).toBe(200);
      const { items, nextCursor } = first.json<{ items: unknown[]; nextCursor: string | null }>();
      expect(items, url).toHaveLength(1);
      expect(nextCursor, url).toEqual(expect.any(String));
      const next = await as('GET', `${url}?limit=1&cursor=${encodeURIComponent(nextCursor!)}`);
      expect(next.statusCode, url).toBe(200);

      const [payload, check] = nextCursor!.split('.') as [string, string];
      const edited = `${payload.slice(0, -2)}${payload.at(-2) === 'A' ? 'B' : 'A'}${payload.at(-1)}.${check}`;
      const forged = `${Buffer.from(JSON.stringify({ s: 'x', k: ['2020-01-01T00:00:00.000Z', titleId] })).toString('base64url')}.${check}`;
      // The moderation queue's cursors have their own shape.
      const moderator = await signInStaff(t, ['content_manager']);
      const queue = (await as('GET', '/api/v1/admin/comments?limit=1', undefined, moderator)).json<{
        nextCursor: string;
      }>();
      for (const bad of ['bm9wZQ', edited, forged, queue.nextCursor, 'x'.repeat(513), `${nextCursor}.x`]) {
        const res = await as('GET', `${url}?cursor=${encodeURIComponent(bad)}`);
        expect(res.statusCode, `${url} ${bad.slice(0, 30)}`).toBe(400);
        expect(res.json().error.code).toBe('VALIDATION_FAILED');
      }
    }
  });
});

describe('query parameters', () => {
  it('answers 400 to a parameter no personal list knows, instead of ignoring it', async () => {
    const moderator = await signInStaff(t, ['content_manager']);
    const urls: [string, SignedIn][] = [
      ...personalLists().map((url): [string, SignedIn] => [url, viewer]),
      [`/api/v1/profiles/${profileId}/continue-watching`, viewer],
      ['/api/v1/admin/comments', moderator],
    ];
    for (const [url, who] of urls) {
      expect((await as('GET', `${url}?limit=1`, undefined, who)).statusCode, url).toBe(200);
      for (const bad of ['sort=oldest', 'order=asc', 'profileId=x', 'limit=1&limit=2', 'limit=0']) {
        const res = await as('GET', `${url}?${bad}`, undefined, who);
        expect(res.statusCode, `${url}?${bad}`).toBe(400);
        expect(res.json().error.code).toBe('VALIDATION_FAILED');
      }
    }
  });
});

describe('string bounds', () => {
  it('refuses oversize strings with 400 wherever a viewer or moderator can write text', async () => {
    const comment = (await as('POST', `/api/v1/profiles/${profileId}/comments`, { titleId, body: 'Bounded' })).json<{
      id: string;
    }>();
    const other = await registerViewer(t);
    const moderator = await signInStaff(t, ['content_manager']);
    const long = (n: number) => 'x'.repeat(n);
    const attempts: [SignedIn, 'POST' | 'PUT' | 'PATCH', string, object][] = [
      [viewer, 'POST', '/api/v1/profiles', { name: long(41) }],
      [viewer, 'PATCH', `/api/v1/profiles/${profileId}`, { name: long(41) }],
      [viewer, 'PATCH', `/api/v1/profiles/${profileId}`, { avatar: long(2000) }],
      [viewer, 'PUT', `/api/v1/profiles/${profileId}/pin`, { pin: '12345', password: PASSWORD }],
      [viewer, 'PUT', `/api/v1/profiles/${profileId}/pin`, { pin: '1234', password: long(257) }],
      [viewer, 'POST', `/api/v1/profiles/${profileId}/pin/verify`, { pin: long(1000) }],
      [viewer, 'POST', `/api/v1/profiles/${profileId}/comments`, { titleId, body: long(2001) }],
      [viewer, 'PATCH', `/api/v1/profiles/${profileId}/comments/${comment.id}`, { body: long(2001) }],
      [other, 'POST', `/api/v1/comments/${comment.id}/report`, { reason: 'spam', note: long(501) }],
      [other, 'POST', `/api/v1/comments/${comment.id}/report`, { reason: long(1000) }],
      [moderator, 'POST', `/api/v1/admin/comments/${comment.id}/hide`, { reason: long(201) }],
    ];
    for (const [who, method, url, payload] of attempts) {
      const res = await as(method, url, payload, who);
      expect(res.statusCode, `${method} ${url} ${JSON.stringify(payload).slice(0, 40)}`).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
    }
    // Nothing changed.
    const mine = (await as('GET', `/api/v1/titles/${titleId}/comments`)).json<{
      items: { id: string; body: string; hidden: boolean }[];
    }>();
    expect(mine.items.find((c) => c.id === comment.id)).toMatchObject({ body: 'Bounded', hidden: false });
    const profile = (await as('GET', `/api/v1/profiles/${profileId}`)).json<{ name: string; hasPin: boolean }>();
    expect(profile.name.length).toBeLessThanOrEqual(40);
  });
});
