import { titles } from '@kush/db';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishedTitle, signInCatalogStaff, uniqueName } from '../../../testing/catalog-factories';
import { insertEpisode, insertTitle } from '../../../testing/catalog-rows';
import { PASSWORD, registerViewer, type SignedIn } from '../../../testing/factories';
import { createTestApp, type TestApp } from '../../../testing/harness';
import { addProfile, firstProfile, VIEWER_TEST_ENV } from '../test-helpers';
import { NotificationsService } from './notifications.service';

let t: TestApp;
let service: NotificationsService;
beforeAll(async () => {
  t = await createTestApp({ smtp: true, env: VIEWER_TEST_ENV });
  service = new NotificationsService({ db: t.ctx.db.db, queue: t.ctx.infra.queue, webUrl: t.config.WEB_URL });
});
afterAll(async () => {
  await t?.close();
});

type Page = {
  items: { id: string; type: string; subject: string; read: boolean; profileId: string | null; url: string | null }[];
  unreadCount: number;
  nextCursor: string | null;
};
const inbox = async (who: SignedIn, profileId: string, query = '') =>
  (
    await t.app.inject({ method: 'GET', url: `/api/v1/profiles/${profileId}/notifications${query}`, headers: who.auth })
  ).json<Page>();
const setPrefs = (who: SignedIn, items: unknown) =>
  t.app.inject({ method: 'PUT', url: '/api/v1/me/notification-preferences', headers: who.auth, payload: { items } });
const addToList = (who: SignedIn, profileId: string, titleId: string) =>
  t.app.inject({ method: 'PUT', url: `/api/v1/profiles/${profileId}/list/${titleId}`, headers: who.auth });
const mailsTo = (email: string) => t.smtp!.received.filter((m) => m.to.includes(email));

describe('in-app notifications', () => {
  it('lists, counts unread, marks one and all as read; kids profiles see only their own', async () => {
    const v = await registerViewer(t);
    const main = await firstProfile(t, v);
    const kids = await addProfile(t, v, { name: 'Kids', isKids: true });
    const receipt = await service.notify(v.userId, 'payment_receipt', {
      subject: 'Payment received: UGX 15,000',
      body: 'Thank you. Your monthly pass runs until 1 March.',
      url: '/account/billing',
      data: { amount: 15000, currency: 'UGX' },
    });
    expect(receipt.notificationId).toEqual(expect.any(String));
    await service.notify(v.userId, 'subscription', { subject: 'Your pass renews soon', body: 'In 3 days.' });
    await service.notify(v.userId, 'new_episode', { subject: 'For kids', body: 'New cartoon.', profileId: kids.id });

    const page = await inbox(v, main.id);
    expect(page.unreadCount).toBe(2);
    expect(page.items.map((n) => n.type)).toEqual(['subscription', 'payment_receipt']);
    expect(page.items[1]).toMatchObject({ url: '/account/billing', profileId: null, read: false });
    const kidsPage = await inbox(v, kids.id);
    expect(kidsPage.items.map((n) => n.subject)).toEqual(['For kids']);

    const one = await t.app.inject({
      method: 'POST',
      url: `/api/v1/profiles/${main.id}/notifications/${page.items[1]!.id}/read`,
      headers: v.auth,
    });
    expect(one.statusCode).toBe(204);
    const count = await t.app.inject({
      method: 'GET',
      url: `/api/v1/profiles/${main.id}/notifications/unread-count`,
      headers: v.auth,
    });
    expect(count.json()).toEqual({ unreadCount: 1 });
    expect((await inbox(v, main.id, '?unread=true')).items.map((n) => n.type)).toEqual(['subscription']);
    // A kids profile cannot mark the account's notifications.
    const fromKids = await t.app.inject({
      method: 'POST',
      url: `/api/v1/profiles/${kids.id}/notifications/${page.items[0]!.id}/read`,
      headers: v.auth,
    });
    expect(fromKids.statusCode).toBe(404);

    const all = await t.app.inject({
      method: 'POST',
      url: `/api/v1/profiles/${main.id}/notifications/read-all`,
      headers: v.auth,
    });
    expect(all.json()).toEqual({ updated: 1 });
    expect((await inbox(v, main.id)).unreadCount).toBe(0);
    expect((await inbox(v, kids.id)).unreadCount).toBe(1);
  });

  it('delivers once per dedupe key', async () => {
    const v = await registerViewer(t);
    const main = await firstProfile(t, v);
    for (let i = 0; i < 3; i++) {
      await service.notify(v.userId, 'payment_receipt', { subject: 'Receipt', body: 'Paid.', dedupeKey: 'payment-42' });
    }
    await t.jobsDone();
    expect((await inbox(v, main.id)).items).toHaveLength(1);
    expect(mailsTo(v.email).filter((m) => m.subject === 'Receipt')).toHaveLength(1);
  });

  it("answers 404 for another account's notifications, 401 without sign-in", async () => {
    const a = await registerViewer(t);
    const b = await registerViewer(t);
    const aProfile = await firstProfile(t, a);
    const bProfile = await firstProfile(t, b);
    const { notificationId } = await service.notify(a.userId, 'subscription', { subject: 'Private', body: 'x' });
    const attempts = [
      ['GET', `/api/v1/profiles/${aProfile.id}/notifications`],
      ['GET', `/api/v1/profiles/${aProfile.id}/notifications/unread-count`],
      ['POST', `/api/v1/profiles/${aProfile.id}/notifications/${notificationId}/read`],
      ['POST', `/api/v1/profiles/${aProfile.id}/notifications/read-all`],
      // Their notification through one's own profile.
      ['POST', `/api/v1/profiles/${bProfile.id}/notifications/${notificationId}/read`],
    ] as const;
    for (const [method, url] of attempts) {
      expect((await t.app.inject({ method, url, headers: b.auth })).statusCode, `${method} ${url}`).toBe(404);
      expect((await t.app.inject({ method, url })).statusCode, `${method} ${url}`).toBe(401);
    }
    expect((await inbox(a, aProfile.id)).unreadCount).toBe(1);
    expect((await inbox(b, bProfile.id)).items).toEqual([]);
  });
});

describe('preferences', () => {
  it('starts from defaults, changes only what is sent, and refuses bad input', async () => {
    const v = await registerViewer(t);
    const get = async () =>
      (await t.app.inject({ method: 'GET', url: '/api/v1/me/notification-preferences', headers: v.auth })).json();
    expect((await get()).items).toEqual([
      { type: 'new_episode', inApp: true, email: false },
      { type: 'title_free', inApp: true, email: false },
      { type: 'subscription', inApp: true, email: true },
      { type: 'payment_receipt', inApp: true, email: true },
      { type: 'account', inApp: true, email: true },
    ]);
    const res = await setPrefs(v, [
      { type: 'new_episode', email: true },
      { type: 'subscription', inApp: false },
    ]);
    expect(res.statusCode).toBe(200);
    expect(res.json().items.slice(0, 3)).toEqual([
      { type: 'new_episode', inApp: true, email: true },
      { type: 'title_free', inApp: true, email: false },
      { type: 'subscription', inApp: false, email: true },
    ]);
    for (const items of [
      [],
      [{ type: 'marketing', email: true }],
      [{ type: 'account', email: 'yes' }],
      [
        { type: 'account', email: true },
        { type: 'account', email: false },
      ],
    ]) {
      expect((await setPrefs(v, items)).statusCode, JSON.stringify(items)).toBe(400);
    }
    expect((await get()).items[0]).toEqual({ type: 'new_episode', inApp: true, email: true });
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me/notification-preferences' })).statusCode).toBe(401);
  });
});

describe('fan-out to My List', () => {
  it('notifies every profile with the series in its list, through a job, once, with one email per account', async () => {
    const series = await insertTitle(t.ctx.db.db, { kind: 'series', name: 'Pearl of Africa', maturityRating: '13' });
    const fan = await registerViewer(t);
    const fanMain = await firstProfile(t, fan);
    const fanSecond = await addProfile(t, fan, { name: 'Second' });
    const fanKids = await addProfile(t, fan, { name: 'Kids', isKids: true });
    const other = await registerViewer(t);
    const otherMain = await firstProfile(t, other);
    const bystander = await registerViewer(t);
    const bystanderMain = await firstProfile(t, bystander);
    for (const p of [fanMain, fanSecond]) expect((await addToList(fan, p.id, series.id)).statusCode).toBe(200);
    await addToList(other, otherMain.id, series.id);
    // The kids profile listed it while the series was rated for children; it is 13 now.
    await t.ctx.db.db.update(titles).set({ maturityRating: 'G' }).where(eq(titles.id, series.id));
    await addToList(fan, fanKids.id, series.id);
    await t.ctx.db.db.update(titles).set({ maturityRating: '13' }).where(eq(titles.id, series.id));
    expect((await setPrefs(fan, [{ type: 'new_episode', email: true }])).statusCode).toBe(200);

    const episode = await insertEpisode(t.ctx.db.db, series.id, { season: 2, number: 3, name: 'The Return' });
    await service.notifyNewEpisode(series.id, episode.id);
    await t.jobsDone();
    // The catalog calling twice (or a retried job) changes nothing.
    await service.notifyNewEpisode(series.id, episode.id);
    await t.jobsDone();

    for (const p of [fanMain, fanSecond]) {
      const page = await inbox(fan, p.id);
      expect(page.items).toHaveLength(1);
      expect(page.items[0]).toMatchObject({
        type: 'new_episode',
        subject: 'New episode of Pearl of Africa',
        url: `/titles/${series.slug}`,
        profileId: p.id,
      });
    }
    expect((await inbox(fan, fanKids.id)).items).toEqual([]);
    expect((await inbox(other, otherMain.id)).items).toHaveLength(1);
    expect((await inbox(bystander, bystanderMain.id)).items).toEqual([]);

    // Email only where chosen, once per account however many profiles listed the series.
    const mails = mailsTo(fan.email).filter((m) => m.subject === 'New episode of Pearl of Africa');
    expect(mails).toHaveLength(1);
    expect(mails[0]!.text).toContain('Season 2, episode 3: The Return');
    expect(mails[0]!.text).toContain(`${t.config.WEB_URL}/titles/${series.slug}`);
    expect(mailsTo(other.email).filter((m) => m.subject.startsWith('New episode'))).toEqual([]);
  });

  it('announces a title that became free, unless it went back to premium before the job ran', async () => {
    const film = await insertTitle(t.ctx.db.db, { name: 'Free at last', accessTier: 'premium' });
    const v = await registerViewer(t);
    const p = await firstProfile(t, v);
    await addToList(v, p.id, film.id);

    await service.notifyTitleBecameFree(film.id);
    await t.jobsDone();
    expect((await inbox(v, p.id)).items).toEqual([]);

    await t.ctx.db.db.update(titles).set({ accessTier: 'free' }).where(eq(titles.id, film.id));
    await service.notifyTitleBecameFree(film.id);
    await t.jobsDone();
    expect((await inbox(v, p.id)).items.map((n) => [n.type, n.subject])).toEqual([
      ['title_free', 'Free at last is now free to watch'],
    ]);
  });

  it('walks a large audience in batches, each account once', async () => {
    const small = new NotificationsService({
      db: t.ctx.db.db,
      queue: t.ctx.infra.queue,
      webUrl: t.config.WEB_URL,
      fanoutBatchSize: 2,
    });
    const film = await insertTitle(t.ctx.db.db, { accessTier: 'free' });
    const audience: { who: SignedIn; profileId: string }[] = [];
    for (let i = 0; i < 5; i++) {
      const who = await registerViewer(t);
      const profileId = (await firstProfile(t, who)).id;
      await addToList(who, profileId, film.id);
      audience.push({ who, profileId });
    }
    const extra = await addProfile(t, audience[2]!.who, { name: 'Extra' });
    await addToList(audience[2]!.who, extra.id, film.id);
    expect(await small.runFanout({ kind: 'title_free', titleId: film.id, eventId: 'e1' })).toEqual({
      notified: 6,
      emailed: 0,
    });
    // Run again (a retried job): nothing new.
    expect(await small.runFanout({ kind: 'title_free', titleId: film.id, eventId: 'e1' })).toEqual({
      notified: 0,
      emailed: 0,
    });
    for (const a of audience) expect((await inbox(a.who, a.profileId)).items).toHaveLength(1);
  });

  it('skips unpublished titles and accounts that turned in-app off', async () => {
    const series = await insertTitle(t.ctx.db.db, { kind: 'series' });
    const v = await registerViewer(t);
    const p = await firstProfile(t, v);
    await addToList(v, p.id, series.id);

    await t.ctx.db.db.update(titles).set({ status: 'draft' }).where(eq(titles.id, series.id));
    await service.notifyNewEpisode(series.id, (await insertEpisode(t.ctx.db.db, series.id)).id);
    await t.jobsDone();
    expect((await inbox(v, p.id)).items).toEqual([]);

    await t.ctx.db.db.update(titles).set({ status: 'published' }).where(eq(titles.id, series.id));
    await setPrefs(v, [{ type: 'new_episode', inApp: false }]);
    await service.notifyNewEpisode(series.id, (await insertEpisode(t.ctx.db.db, series.id)).id);
    await t.jobsDone();
    expect((await inbox(v, p.id)).items).toEqual([]);

    await setPrefs(v, [{ type: 'new_episode', inApp: true }]);
    await service.notifyNewEpisode(series.id, (await insertEpisode(t.ctx.db.db, series.id)).id);
    await t.jobsDone();
    expect((await inbox(v, p.id)).items).toHaveLength(1);
  });
});

describe('from staff changes to the inbox', () => {
  it('a new episode and a title turning free, made through the staff API, reach the profiles listing them', async () => {
    const staff = await signInCatalogStaff(t);
    const series = await publishedTitle(t, staff, { kind: 'series', name: uniqueName('Rwenzori Tales') });
    const film = await publishedTitle(t, staff, { name: uniqueName('Nile Crossing'), accessTier: 'premium' });
    const v = await registerViewer(t);
    const p = await firstProfile(t, v);
    const bystander = await registerViewer(t);
    const bp = await firstProfile(t, bystander);
    expect((await addToList(v, p.id, series.id)).statusCode).toBe(200);
    expect((await addToList(v, p.id, film.id)).statusCode).toBe(200);

    const season = await t.app.inject({
      method: 'POST',
      url: `/api/v1/admin/titles/${series.id}/seasons`,
      headers: staff.auth,
      payload: { number: 1 },
    });
    const episode = await t.app.inject({
      method: 'POST',
      url: `/api/v1/admin/seasons/${season.json<{ id: string }>().id}/episodes`,
      headers: staff.auth,
      payload: { number: 1, name: 'Mountains of the Moon' },
    });
    expect(episode.statusCode).toBe(201);
    const free = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/admin/titles/${film.id}`,
      headers: staff.auth,
      payload: { accessTier: 'free' },
    });
    expect(free.statusCode).toBe(200);
    await t.jobsDone();

    const page = await inbox(v, p.id);
    expect(page.unreadCount).toBe(2);
    expect(page.items.map((n) => [n.type, n.url])).toEqual([
      ['title_free', `/titles/${film.slug}`],
      ['new_episode', `/titles/${series.slug}`],
    ]);
    expect((await inbox(bystander, bp.id)).items).toEqual([]);
  });
});

describe('account events by email', () => {
  it('emails account events through SMTP, and honours the email switch', async () => {
    const v = await registerViewer(t, { displayName: 'Apio Grace' });
    const p = await firstProfile(t, v);
    const setPin = (pin: string | null) =>
      t.app.inject({
        method: 'PUT',
        url: `/api/v1/profiles/${p.id}/pin`,
        headers: v.auth,
        payload: { pin, password: PASSWORD },
      });
    const set = await setPin('1357');
    expect(set.statusCode).toBe(200);
    // The profile is now locked: read its inbox with the unlock the PIN change handed back.
    const unlocked = { ...v, auth: { ...v.auth, 'x-profile-unlock': set.json<{ unlockToken: string }>().unlockToken } };
    await t.jobsDone();
    const mails = mailsTo(v.email).filter((m) => m.subject === 'A PIN was set on a profile');
    expect(mails).toHaveLength(1);
    expect(mails[0]!.text).toContain('Hello Apio Grace');
    expect(mails[0]!.text).toContain(`"${p.name}"`);
    expect((await inbox(unlocked, p.id)).items[0]).toMatchObject({
      type: 'account',
      subject: 'A PIN was set on a profile',
    });

    expect((await setPrefs(v, [{ type: 'account', email: false }])).statusCode).toBe(200);
    expect((await setPin(null)).statusCode).toBe(204);
    await t.jobsDone();
    expect(mailsTo(v.email).filter((m) => m.subject.startsWith('A PIN was removed'))).toEqual([]);
    expect((await inbox(v, p.id)).items[0]).toMatchObject({ subject: 'A PIN was removed from a profile' });
  });
});
