import { playbackStreams } from '@kush/db';
import { and, eq, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertPlayableVideo, insertTitle } from '../../testing/catalog-rows';
import { login, registerViewer, type SignedIn } from '../../testing/factories';
import { createTestApp, type TestApp } from '../../testing/harness';
import { seedPlans } from '../billing/plans.service';
import { streamIdOf } from './streams.service';

const backings = process.env.TEST_DATABASE_URL ? (['embedded', 'servers'] as const) : (['embedded'] as const);
const PHONE = 'Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/126.0 Mobile Safari/537.36';
const LAPTOP = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36';

describe.each(backings)('concurrent-stream limit (%s)', (backing) => {
  let t: TestApp;
  let titleId: string;

  beforeAll(async () => {
    t = await createTestApp({ backing });
    await seedPlans(t.ctx.db.db);
    const videoId = await insertPlayableVideo(t.ctx.db.db, { heights: [360, 1080] });
    titleId = (await insertTitle(t.ctx.db.db, { videoId })).id;
  });
  afterAll(() => t.close());

  const start = (who: SignedIn, ua: string, profileId?: string) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/playback',
      headers: { ...who.auth, 'user-agent': ua, ...(profileId ? { 'x-profile-id': profileId } : {}) },
      payload: { titleId },
    });

  async function heartbeat(who: SignedIn, token: string, ua: string) {
    const profiles = await t.app.inject({ method: 'GET', url: '/api/v1/profiles', headers: who.auth });
    const profileId = profiles.json<{ items: { id: string }[] }>().items[0]!.id;
    return t.app.inject({
      method: 'POST',
      url: '/api/v1/playback/heartbeat',
      headers: { ...who.auth, 'x-profile-id': profileId, 'user-agent': ua },
      payload: { token, positionSeconds: 5, durationSeconds: 60, clientTime: new Date().toISOString() },
    });
  }

  /** The account's streams still counting, by device. */
  const counting = async (who: SignedIn) =>
    (
      await t.ctx.db.db
        .select({ device: playbackStreams.device })
        .from(playbackStreams)
        .where(and(eq(playbackStreams.userId, who.userId), isNull(playbackStreams.endedAt)))
    ).map((r) => r.device);

  it('refuses a stream beyond the plan limit, naming the other device, until that one goes quiet', async () => {
    const viewer = await registerViewer(t);
    const laptop = await login(t, viewer.email);
    const first = await start(viewer, PHONE);
    expect(first.statusCode, first.body).toBe(200);
    // The free plan caps quality at 720p: the 1080p rendition is not offered.
    expect(first.json().renditions.map((r: { height: number }) => r.height)).toEqual([360]);
    expect((await heartbeat(viewer, first.json().token, PHONE)).statusCode).toBe(200);

    const second = await start(laptop, LAPTOP);
    expect(second.statusCode).toBe(409);
    expect(second.json().error.code).toBe('STREAM_LIMIT_REACHED');
    expect(second.json().error.message).toContain('Chrome on Android');
    expect(second.json().error.details).toMatchObject({ maxStreams: 1, devices: [{ device: 'Chrome on Android' }] });

    // The phone stops sending heartbeats: once its last one is older than the idle window, it no longer counts.
    const idle = t.config.STREAM_IDLE_SECONDS * 1000 + 1000;
    await t.ctx.db.db
      .update(playbackStreams)
      .set({ lastSeenAt: new Date(Date.now() - idle) })
      .where(eq(playbackStreams.userId, viewer.userId));
    const third = await start(laptop, LAPTOP);
    expect(third.statusCode, third.body).toBe(200);
    // Now the phone is the stream beyond the limit: its heartbeats are refused.
    const late = await heartbeat(viewer, first.json().token, PHONE);
    expect(late.statusCode).toBe(409);
    expect(late.json().error.message).toContain('Chrome on Windows');
  });

  it('frees the stream at once when the player stops, and only the caller can stop their own', async () => {
    const viewer = await registerViewer(t);
    const laptop = await login(t, viewer.email);
    const stranger = await registerViewer(t);
    const first = await start(viewer, PHONE);
    expect(first.statusCode, first.body).toBe(200);
    const stop = (who: SignedIn, token: string) =>
      t.app.inject({ method: 'POST', url: '/api/v1/playback/stop', headers: who.auth, payload: { token } });

    // Another account's stop (or a made-up token) ends nothing.
    expect((await stop(stranger, first.json().token)).statusCode).toBe(204);
    expect((await stop(viewer, 'x'.repeat(40))).statusCode).toBe(204);
    expect((await start(laptop, LAPTOP)).statusCode).toBe(409);
    expect((await stop(viewer, 'short')).statusCode).toBe(400);
    expect(
      (await t.app.inject({ method: 'POST', url: '/api/v1/playback/stop', payload: { token: first.json().token } }))
        .statusCode,
    ).toBe(401);

    // The phone's player stops: the slot is free for another device at once.
    expect((await stop(viewer, first.json().token)).statusCode).toBe(204);
    // A heartbeat the page sent before stopping may arrive after the stop: it saves progress but
    // does not count the stopped stream again.
    expect((await heartbeat(viewer, first.json().token, PHONE)).statusCode).toBe(200);
    const elsewhere = await start(laptop, LAPTOP);
    expect(elsewhere.statusCode, elsewhere.body).toBe(200);
    expect((await start(viewer, PHONE)).statusCode).toBe(409);
  });

  it("takes over its own session's earlier stream when the viewer comes back before the stop lands", async () => {
    const viewer = await registerViewer(t);
    const laptop = await login(t, viewer.email);
    const first = await start(viewer, PHONE);
    expect(first.statusCode, first.body).toBe(200);
    expect((await heartbeat(viewer, first.json().token, PHONE)).statusCode).toBe(200);

    // Back on the watch page (Resume) while the last page's stop is still on its way: the same
    // session's new stream replaces the earlier one instead of being refused because of it.
    const again = await start(viewer, PHONE);
    expect(again.statusCode, again.body).toBe(200);
    expect(await counting(viewer)).toEqual(['Chrome on Android']);
    const [earlier] = await t.ctx.db.db
      .select({ endedAt: playbackStreams.endedAt })
      .from(playbackStreams)
      .where(eq(playbackStreams.id, streamIdOf(first.json().token)));
    expect(earlier?.endedAt).toBeInstanceOf(Date);

    // The earlier page's late heartbeat saves progress but does not count it again, nor end the new one;
    // its late stop changes nothing either.
    expect((await heartbeat(viewer, first.json().token, PHONE)).statusCode).toBe(200);
    const stop = await t.app.inject({
      method: 'POST',
      url: '/api/v1/playback/stop',
      headers: viewer.auth,
      payload: { token: first.json().token },
    });
    expect(stop.statusCode).toBe(204);
    expect(await counting(viewer)).toEqual(['Chrome on Android']);

    // Another session of the same account is still one stream too many, named by the phone alone.
    const refused = await start(laptop, LAPTOP);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('STREAM_LIMIT_REACHED');
    expect(refused.json().error.details.devices).toEqual([{ device: 'Chrome on Android', since: expect.any(String) }]);
    // …and a session is not taken over from another one: the phone keeps its stream.
    expect(await counting(viewer)).toEqual(['Chrome on Android']);
  });

  it('takes over whichever profile was playing in the session: one browser plays one video at a time', async () => {
    const viewer = await registerViewer(t);
    const laptop = await login(t, viewer.email);
    const profiles = await t.app.inject({ method: 'GET', url: '/api/v1/profiles', headers: viewer.auth });
    const owner = profiles.json<{ items: { id: string }[] }>().items[0]!.id;
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/profiles',
      headers: viewer.auth,
      payload: { name: 'Sam' },
    });
    expect(created.statusCode, created.body).toBe(201);
    const sam = created.json<{ id: string }>().id;

    expect((await start(viewer, PHONE, owner)).statusCode).toBe(200);
    const switched = await start(viewer, PHONE, sam);
    expect(switched.statusCode, switched.body).toBe(200);
    expect(await counting(viewer)).toEqual(['Chrome on Android']);

    // Sam watching on the laptop at the same time is a second device: refused on a one-stream plan.
    expect((await start(laptop, LAPTOP, owner)).statusCode).toBe(409);
  });

  it('never takes over a stream recorded without its session', async () => {
    const viewer = await registerViewer(t);
    const first = await start(viewer, PHONE);
    expect(first.statusCode, first.body).toBe(200);
    // A row from before streams recorded their session: nobody can tell it was this browser's.
    await t.ctx.db.db.update(playbackStreams).set({ sessionId: null }).where(eq(playbackStreams.userId, viewer.userId));
    expect((await start(viewer, PHONE)).statusCode).toBe(409);
  });

  it('starts at the same moment: two sessions get one stream between them; one session replaces its own', async () => {
    const viewer = await registerViewer(t);
    const laptop = await login(t, viewer.email);
    const race = await Promise.all([start(viewer, PHONE), start(laptop, LAPTOP)]);
    expect(race.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    expect(await counting(viewer)).toHaveLength(1);

    // Two starts from one session (a double click on Resume) both play, the later replacing the earlier.
    const other = await registerViewer(t);
    const twice = await Promise.all([start(other, PHONE), start(other, PHONE)]);
    expect(twice.map((r) => r.statusCode)).toEqual([200, 200]);
    expect(await counting(other)).toHaveLength(1);
  });

  it('counts each account on its own', async () => {
    const a = await registerViewer(t);
    const b = await registerViewer(t);
    expect((await start(a, PHONE)).statusCode).toBe(200);
    expect((await start(b, PHONE)).statusCode).toBe(200);
  });
});
