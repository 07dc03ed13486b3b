import { playbackStreams } from '@kush/db';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertPlayableVideo, insertTitle } from '../../testing/catalog-rows';
import { registerViewer, type SignedIn } from '../../testing/factories';
import { createTestApp, type TestApp } from '../../testing/harness';
import { seedPlans } from '../billing/plans.service';

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

  const start = (who: SignedIn, ua: string) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/playback',
      headers: { ...who.auth, 'user-agent': ua },
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

  it('refuses a stream beyond the plan limit, naming the other device, until that one goes quiet', async () => {
    const viewer = await registerViewer(t);
    const first = await start(viewer, PHONE);
    expect(first.statusCode, first.body).toBe(200);
    // The free plan caps quality at 720p: the 1080p rendition is not offered.
    expect(first.json().renditions.map((r: { height: number }) => r.height)).toEqual([360]);
    expect((await heartbeat(viewer, first.json().token, PHONE)).statusCode).toBe(200);

    const second = await start(viewer, LAPTOP);
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
    const third = await start(viewer, LAPTOP);
    expect(third.statusCode, third.body).toBe(200);
    // Now the phone is the stream beyond the limit: its heartbeats are refused.
    const late = await heartbeat(viewer, first.json().token, PHONE);
    expect(late.statusCode).toBe(409);
    expect(late.json().error.message).toContain('Chrome on Windows');
  });

  it('frees the stream at once when the player stops, and only the caller can stop their own', async () => {
    const viewer = await registerViewer(t);
    const stranger = await registerViewer(t);
    const first = await start(viewer, PHONE);
    expect(first.statusCode, first.body).toBe(200);
    const stop = (who: SignedIn, token: string) =>
      t.app.inject({ method: 'POST', url: '/api/v1/playback/stop', headers: who.auth, payload: { token } });

    // Another account's stop (or a made-up token) ends nothing.
    expect((await stop(stranger, first.json().token)).statusCode).toBe(204);
    expect((await stop(viewer, 'x'.repeat(40))).statusCode).toBe(204);
    expect((await start(viewer, PHONE)).statusCode).toBe(409);
    expect((await stop(viewer, 'short')).statusCode).toBe(400);
    expect(
      (await t.app.inject({ method: 'POST', url: '/api/v1/playback/stop', payload: { token: first.json().token } }))
        .statusCode,
    ).toBe(401);

    // Leaving the page and coming back: the player's stop frees the slot for the next start.
    expect((await stop(viewer, first.json().token)).statusCode).toBe(204);
    // A heartbeat the page sent before stopping may arrive after the stop: it saves progress but
    // does not count the stopped stream again.
    expect((await heartbeat(viewer, first.json().token, PHONE)).statusCode).toBe(200);
    const again = await start(viewer, PHONE);
    expect(again.statusCode, again.body).toBe(200);
    expect((await start(viewer, LAPTOP)).statusCode).toBe(409);
  });

  it('counts each account on its own', async () => {
    const a = await registerViewer(t);
    const b = await registerViewer(t);
    expect((await start(a, PHONE)).statusCode).toBe(200);
    expect((await start(b, PHONE)).statusCode).toBe(200);
  });
});
