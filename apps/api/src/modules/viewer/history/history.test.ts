import { watchProgress } from '@kush/db';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInCatalogStaff } from '../../../testing/catalog-factories';
import { insertEpisode, insertPlayableVideo, insertTitle, insertVideo } from '../../../testing/catalog-rows';
import { registerViewer, type SignedIn } from '../../../testing/factories';
import { createTestApp, type TestApp } from '../../../testing/harness';
import { createImagePresenter } from '../../catalog/images.presenter';
import { setTitleImage } from '../../../testing/images';
import { seedPlans } from '../../billing/plans.service';
import type { ProfileRow } from '../../profiles/profile-context';
import { addProfile, firstProfile, VIEWER_TEST_ENV } from '../test-helpers';
import { HistoryService } from './history.service';

/**
 * On PostgreSQL (and Redis) when TEST_DATABASE_URL / TEST_REDIS_URL are set, with a second API
 * instance on the same database for the concurrency test; on PGlite otherwise.
 */
let t: TestApp;
let second: TestApp | undefined;
let owner: SignedIn;
let stranger: SignedIn;
beforeAll(async () => {
  t = await createTestApp({ backing: 'servers', env: VIEWER_TEST_ENV });
  if (t.databaseUrl) second = await createTestApp({ backing: 'servers', joinInstance: t, env: VIEWER_TEST_ENV });
  owner = await registerViewer(t);
  stranger = await registerViewer(t);
});
afterAll(async () => {
  await second?.close();
  await t?.close();
});

const DURATION = 3600;

async function film(overrides: Parameters<typeof insertTitle>[1] = {}) {
  const videoId = await insertVideo(t.ctx.db.db, DURATION);
  const title = await insertTitle(t.ctx.db.db, { videoId, ...overrides });
  return { title, videoId };
}

function heartbeat(titleId: string, videoId: string, seconds: number, at: number, extra: { bytes?: number } = {}) {
  return {
    titleId,
    videoId,
    positionSeconds: seconds,
    durationSeconds: DURATION,
    clientTime: new Date(at),
    rendition: '480p',
    ...extra,
  };
}

const storedRow = async (profileId: string, videoId: string) =>
  (
    await t.ctx.db.db
      .select()
      .from(watchProgress)
      .where(and(eq(watchProgress.profileId, profileId), eq(watchProgress.videoId, videoId)))
  )[0]!;

describe('recordProgress', () => {
  it('never moves progress backwards when an older heartbeat arrives late', async () => {
    const history = new HistoryService(t.ctx.db.db);
    const p = { id: (await firstProfile(t, owner)).id };
    const { title, videoId } = await film();
    const base = Date.parse('2030-01-01T10:00:00Z');

    expect(
      await history.recordProgress(p, heartbeat(title.id, videoId, 600, base + 60_000, { bytes: 1000 })),
    ).toMatchObject({ applied: true, positionSeconds: 600 });
    const late = await history.recordProgress(p, heartbeat(title.id, videoId, 300, base + 30_000, { bytes: 500 }));
    expect(late).toMatchObject({ applied: false, positionSeconds: 600 });
    // A seek back that really is newer does move it back.
    expect(await history.recordProgress(p, heartbeat(title.id, videoId, 120, base + 90_000))).toMatchObject({
      applied: true,
      positionSeconds: 120,
    });
    // Same client time: the further position wins, whatever the arrival order.
    await history.recordProgress(p, heartbeat(title.id, videoId, 130, base + 90_000));
    await history.recordProgress(p, heartbeat(title.id, videoId, 125, base + 90_000));
    const row = await storedRow(p.id, videoId);
    expect(row).toMatchObject({ positionSeconds: 130, completed: false, rendition: '480p', hidden: false });
    expect(row.clientTime.getTime()).toBe(base + 90_000);
    // Bytes were spent whichever heartbeat reported them.
    expect(row.bytesDownloaded).toBe(1500);

    await history.recordProgress(p, heartbeat(title.id, videoId, 3500, base + 120_000));
    expect((await storedRow(p.id, videoId)).completed).toBe(true);
  });

  it('ends at the newest heartbeat when many saves race, across two API instances on PostgreSQL', async () => {
    if (process.env.TEST_DATABASE_URL) {
      expect(t.ctx.db.driver).toBe('postgres');
      expect(second).toBeDefined();
    }
    const services = [new HistoryService(t.ctx.db.db), ...(second ? [new HistoryService(second.ctx.db.db)] : [])];
    const p = { id: (await firstProfile(t, owner)).id };
    const { title, videoId } = await film();
    const base = Date.parse('2030-02-01T10:00:00Z');
    const n = 60;
    // Every index once, in a scrambled order, so old heartbeats keep arriving after newer ones.
    const order = Array.from({ length: n }, (_, i) => i + 1).sort((a, b) => ((a * 37) % 61) - ((b * 37) % 61));
    for (let round = 0; round < 2; round++) {
      const offset = round * 100_000;
      await Promise.all(
        order.map((i, k) =>
          services[k % services.length]!.recordProgress(
            p,
            heartbeat(title.id, videoId, i * 10 + round, base + offset + i * 1000, { bytes: 1 }),
          ),
        ),
      );
      const row = await storedRow(p.id, videoId);
      expect(row.positionSeconds).toBe(n * 10 + round);
      expect(row.clientTime.getTime()).toBe(base + offset + n * 1000);
      expect(row.bytesDownloaded).toBe(n * (round + 1));
    }
  });

  it('refuses impossible values', async () => {
    const history = new HistoryService(t.ctx.db.db);
    const p = { id: (await firstProfile(t, owner)).id };
    const { title, videoId } = await film();
    const ok = heartbeat(title.id, videoId, 10, Date.now());
    for (const bad of [
      { ...ok, positionSeconds: -1 },
      { ...ok, positionSeconds: Number.NaN },
      { ...ok, durationSeconds: 0 },
      { ...ok, clientTime: 'yesterday' },
      { ...ok, bytes: -5 },
    ]) {
      await expect(history.recordProgress(p, bad)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    }
  });
});

type Entry = { videoId: string; title: { id: string }; episode: { number: number; seasonNumber: number } | null };

describe('history and continue watching', () => {
  it('lists history newest first, continue watching per title, and hides single entries', async () => {
    const v = await registerViewer(t);
    const profile = await firstProfile(t, v);
    const p = { id: profile.id } as Pick<ProfileRow, 'id'>;
    const history = new HistoryService(t.ctx.db.db);
    const series = await insertTitle(t.ctx.db.db, { kind: 'series', name: 'Kampala Nights' });
    const e1 = await insertEpisode(t.ctx.db.db, series.id, { season: 1, number: 1 });
    const e2 = await insertEpisode(t.ctx.db.db, series.id, { season: 1, number: 2 });
    const a = await film();
    const barelyStarted = await film();
    const almostDone = await film();
    const base = Date.now();
    const ep = (e: typeof e1, seconds: number, at: number) => ({
      titleId: series.id,
      episodeId: e.id,
      videoId: e.videoId,
      positionSeconds: seconds,
      durationSeconds: 1800,
      clientTime: new Date(at),
    });
    // Saved in the order the videos were made, so equal server times still sort the same way.
    await history.recordProgress(p, ep(e1, 1800, base));
    await history.recordProgress(p, ep(e2, 540, base + 1));
    await history.recordProgress(p, heartbeat(a.title.id, a.videoId, DURATION / 2, base + 2));
    await history.recordProgress(p, heartbeat(barelyStarted.title.id, barelyStarted.videoId, 60, base + 3));
    await history.recordProgress(p, heartbeat(almostDone.title.id, almostDone.videoId, 3500, base + 4));

    const url = `/api/v1/profiles/${profile.id}`;
    const list = async () =>
      (await t.app.inject({ method: 'GET', url: `${url}/history`, headers: v.auth })).json<{ items: Entry[] }>().items;
    const cw = async () =>
      (await t.app.inject({ method: 'GET', url: `${url}/continue-watching`, headers: v.auth })).json<{
        items: Entry[];
      }>().items;

    const entries = await list();
    expect(entries.map((e) => e.videoId)).toEqual([
      almostDone.videoId,
      barelyStarted.videoId,
      a.videoId,
      e2.videoId,
      e1.videoId,
    ]);
    expect(entries[3]).toMatchObject({ episode: { seasonNumber: 1, number: 2 }, progress: 0.3, completed: false });
    expect(entries[4]).toMatchObject({ completed: true, progress: 1 });
    expect(entries[0]!.episode).toBeNull();

    // 5%–95% only, one per title: the series shows its unfinished episode 2.
    expect((await cw()).map((e) => e.videoId)).toEqual([a.videoId, e2.videoId]);

    const hide = await t.app.inject({ method: 'DELETE', url: `${url}/history/${e2.videoId}`, headers: v.auth });
    expect(hide.statusCode).toBe(204);
    expect((await list()).map((e) => e.videoId)).not.toContain(e2.videoId);
    expect((await cw()).map((e) => e.videoId)).toEqual([a.videoId]);

    // A late, older heartbeat does not bring it back; playing it again does.
    await history.recordProgress(p, ep(e2, 500, base));
    expect((await cw()).map((e) => e.videoId)).toEqual([a.videoId]);
    await history.recordProgress(p, ep(e2, 600, base + 10));
    expect((await cw()).map((e) => e.videoId)).toEqual([e2.videoId, a.videoId]);

    const missing = await t.app.inject({
      method: 'DELETE',
      url: `${url}/history/${almostDone.title.id}`,
      headers: v.auth,
    });
    expect(missing.statusCode).toBe(404);
    const clear = await t.app.inject({ method: 'DELETE', url: `${url}/history`, headers: v.auth });
    expect(clear.json()).toEqual({ hidden: 5 });
    expect(await list()).toEqual([]);
    expect(await cw()).toEqual([]);
  });

  it("builds continue watching from the player's heartbeats, through the playback API", async () => {
    await seedPlans(t.ctx.db.db);
    const v = await registerViewer(t);
    const profile = await firstProfile(t, v);
    const videoId = await insertPlayableVideo(t.ctx.db.db, { durationSeconds: 600 });
    const title = await insertTitle(t.ctx.db.db, { videoId });
    const as = { ...v.auth, 'x-profile-id': profile.id };
    const started = await t.app.inject({
      method: 'POST',
      url: '/api/v1/playback',
      headers: as,
      payload: { titleId: title.id },
    });
    expect(started.statusCode, started.body).toBe(200);
    const beat = await t.app.inject({
      method: 'POST',
      url: '/api/v1/playback/heartbeat',
      headers: as,
      payload: {
        token: started.json<{ token: string }>().token,
        positionSeconds: 240,
        durationSeconds: 600,
        clientTime: new Date().toISOString(),
      },
    });
    expect(beat.statusCode, beat.body).toBe(200);

    const cw = await t.app.inject({
      method: 'GET',
      url: `/api/v1/profiles/${profile.id}/continue-watching`,
      headers: v.auth,
    });
    expect(cw.json<{ items: Entry[] }>().items).toMatchObject([
      { videoId, title: { id: title.id }, progress: 0.4, completed: false },
    ]);
    const history = await t.app.inject({
      method: 'GET',
      url: `/api/v1/profiles/${profile.id}/history`,
      headers: v.auth,
    });
    expect(history.json<{ items: Entry[] }>().items.map((e) => e.videoId)).toEqual([videoId]);
  });

  it("shows each title's poster and backdrop in history and continue watching, as the catalog does", async () => {
    const staff = await signInCatalogStaff(t);
    const v = await registerViewer(t);
    const profile = await firstProfile(t, v);
    const pictured = await film();
    const plain = await film();
    await setTitleImage(t, staff, pictured.title.id, 'poster');
    await setTitleImage(t, staff, pictured.title.id, 'backdrop');
    const history = new HistoryService(t.ctx.db.db, createImagePresenter(t.ctx));
    const now = Date.now();
    await history.recordProgress({ id: profile.id }, heartbeat(plain.title.id, plain.videoId, 600, now));
    await history.recordProgress({ id: profile.id }, heartbeat(pictured.title.id, pictured.videoId, 900, now + 1));

    const catalog = (
      await t.app.inject({ method: 'GET', url: `/api/v1/catalog/titles/${pictured.title.slug}` })
    ).json();
    expect(catalog.poster).not.toBeNull();
    expect(catalog.backdrop).not.toBeNull();
    for (const path of ['history', 'continue-watching']) {
      const res = await t.app.inject({ method: 'GET', url: `/api/v1/profiles/${profile.id}/${path}`, headers: v.auth });
      const items = res.json<{ items: { title: { id: string; poster: unknown; backdrop: unknown } }[] }>().items;
      expect(
        items.map((e) => [e.title.id, e.title.poster, e.title.backdrop]),
        path,
      ).toEqual([
        [pictured.title.id, catalog.poster, catalog.backdrop],
        [plain.title.id, null, null],
      ]);
    }
  });

  it('leaves out unpublished titles and titles above the profile limit', async () => {
    const v = await registerViewer(t);
    await firstProfile(t, v);
    const kids = await addProfile(t, v, { name: 'Kids', isKids: true });
    const history = new HistoryService(t.ctx.db.db);
    const cartoon = await film({ maturityRating: 'G' });
    const thriller = await film({ maturityRating: '16' });
    const draft = await film({ status: 'draft', maturityRating: 'G' });
    const now = Date.now();
    for (const f of [cartoon, thriller, draft]) {
      await history.recordProgress({ id: kids.id }, heartbeat(f.title.id, f.videoId, 600, now));
    }
    for (const path of ['history', 'continue-watching']) {
      const res = await t.app.inject({ method: 'GET', url: `/api/v1/profiles/${kids.id}/${path}`, headers: v.auth });
      expect(
        res.json<{ items: Entry[] }>().items.map((e) => e.title.id),
        path,
      ).toEqual([cartoon.title.id]);
    }
  });

  it("answers 404 for another account's history, 401 without sign-in", async () => {
    const theirs = await firstProfile(t, stranger);
    const f = await film();
    await new HistoryService(t.ctx.db.db).recordProgress(
      { id: theirs.id },
      heartbeat(f.title.id, f.videoId, 900, Date.now()),
    );
    const base = `/api/v1/profiles/${theirs.id}`;
    for (const [method, url] of [
      ['GET', `${base}/history`],
      ['GET', `${base}/continue-watching`],
      ['DELETE', `${base}/history/${f.videoId}`],
      ['DELETE', `${base}/history`],
    ] as const) {
      expect((await t.app.inject({ method, url, headers: owner.auth })).statusCode, `${method} ${url}`).toBe(404);
      expect((await t.app.inject({ method, url })).statusCode, `${method} ${url}`).toBe(401);
    }
    const still = await t.app.inject({ method: 'GET', url: `${base}/history`, headers: stranger.auth });
    expect(still.json().items).toHaveLength(1);
    const badQuery = await t.app.inject({
      method: 'GET',
      url: `${base}/continue-watching?limit=500`,
      headers: stranger.auth,
    });
    expect(badQuery.statusCode).toBe(400);
  });
});
