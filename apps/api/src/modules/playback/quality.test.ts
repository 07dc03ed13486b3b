import { subscriptions, uuidv7, videos } from '@kush/db';
import { type MasterVariant, renderMasterPlaylist } from '@kush/media';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertTitle, insertVideo } from '../../testing/catalog-rows';
import { registerViewer, type SignedIn } from '../../testing/factories';
import { createTestApp, type TestApp } from '../../testing/harness';
import { startS3Server } from '../../testing/s3';
import { seedPlans } from '../billing/plans.service';
import { capMasterPlaylist, pathWithinHeight, sessionMaxHeight } from './quality';

/**
 * The plan's maximum quality (and the profile's data saver) is enforced by the stream itself, not
 * only by the list the player is shown: the master playlist a token opens lists nothing above its
 * cap, and the playlists and segments of a taller rendition are refused, on local storage (bytes
 * through the API) and on S3 (presigned segment URLs) alike.
 */

const RUNGS = [
  { name: 'v240', width: 426, height: 240, bandwidth: 400_000 },
  { name: 'v720', width: 1280, height: 720, bandwidth: 2_300_000 },
  { name: 'v1080', width: 1920, height: 1080, bandwidth: 4_500_000 },
];

/** A published revision written straight to storage: master, one playlist, init and segment per rendition. */
async function publishFakeRevision(t: TestApp): Promise<string> {
  const videoId = await insertVideo(t.ctx.db.db, 8);
  const prefix = `videos/${videoId}/r1/`;
  const variants: MasterVariant[] = RUNGS.map((r) => ({
    playlist: `${r.name}/index.m3u8`,
    nominalHeight: r.height,
    width: r.width,
    height: r.height,
    bandwidth: r.bandwidth,
    averageBandwidth: r.bandwidth * 0.8,
    codecs: 'avc1.64001f,mp4a.40.2',
    frameRate: 25,
  }));
  const subtitles = [{ language: 'en', name: 'English', playlist: 'subs/en.m3u8', vtt: 'subs/en.vtt' }];
  await t.ctx.storage.put(`${prefix}master.m3u8`, renderMasterPlaylist({ variants, subtitles }));
  await t.ctx.storage.put(`${prefix}subs/en.m3u8`, '#EXTM3U\n#EXT-X-TARGETDURATION:8\n#EXTINF:8,\nen.vtt\n');
  for (const r of RUNGS) {
    await t.ctx.storage.put(
      `${prefix}${r.name}/index.m3u8`,
      '#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:4\n#EXT-X-MAP:URI="init.mp4"\n' +
        '#EXTINF:4.0,\nseg_00000.m4s\n#EXTINF:4.0,\nseg_00001.m4s\n#EXT-X-ENDLIST\n',
    );
    await t.ctx.storage.put(`${prefix}${r.name}/init.mp4`, Buffer.alloc(64, 1));
    for (const seg of ['seg_00000.m4s', 'seg_00001.m4s']) {
      await t.ctx.storage.put(`${prefix}${r.name}/${seg}`, Buffer.alloc(256, r.height % 251));
    }
  }
  await t.ctx.db.db
    .update(videos)
    .set({
      outputPrefix: prefix,
      manifest: {
        master: 'master.m3u8',
        durationSeconds: 8,
        renditions: RUNGS.map((r) => ({
          name: r.name,
          label: `${r.height}p`,
          nominalHeight: r.height,
          width: r.width,
          height: r.height,
          bandwidth: r.bandwidth,
          averageBandwidth: r.bandwidth * 0.8,
          totalBytes: 1000,
        })),
      },
    })
    .where(eq(videos.id, videoId));
  return videoId;
}

const storages = ['local', 's3'] as const;

describe.each(storages)('quality cap on %s storage', (storage) => {
  let t: TestApp;
  let s3: Awaited<ReturnType<typeof startS3Server>> | undefined;
  let titleId: string;

  beforeAll(async () => {
    s3 = storage === 's3' ? await startS3Server() : undefined;
    t = await createTestApp({ env: s3?.env });
    await seedPlans(t.ctx.db.db);
    const videoId = await publishFakeRevision(t);
    titleId = (await insertTitle(t.ctx.db.db, { videoId })).id;
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await s3?.close();
  });

  async function premium(): Promise<SignedIn> {
    const viewer = await registerViewer(t);
    const now = Date.now();
    await t.ctx.db.db.insert(subscriptions).values({
      id: uuidv7(),
      userId: viewer.userId,
      planCode: 'premium-monthly',
      status: 'active',
      provider: 'sandbox',
      maxQuality: 1080,
      currentPeriodStart: new Date(now - 1000),
      currentPeriodEnd: new Date(now + 30 * 86_400_000),
    });
    return viewer;
  }

  async function start(who: SignedIn, profileId?: string) {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/playback',
      headers: { ...who.auth, ...(profileId ? { 'x-profile-id': profileId } : {}) },
      payload: { titleId },
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json<{ token: string; masterUrl: string; maxHeight: number; renditions: { height: number }[] }>();
    return { ...body, base: new URL(body.masterUrl).pathname.replace(/master\.m3u8$/, '') };
  }

  const get = (path: string) => t.app.inject({ method: 'GET', url: path });
  const variantsOf = (master: string) => master.split('\n').filter((l) => l && !l.startsWith('#'));

  /** Fetches a segment the way the player would: from the API locally, from the presigned URL on S3. */
  async function fetchSegment(base: string, variantPlaylist: string): Promise<number> {
    const segment = variantsOf(variantPlaylist)[0]!;
    if (storage === 's3') {
      expect(segment).toContain('X-Amz-Signature=');
      const res = await fetch(segment);
      await res.arrayBuffer();
      return res.status;
    }
    return (await get(`${base}${segment}`)).statusCode;
  }

  function expectRefused(res: { statusCode: number; json: () => unknown; headers: Record<string, unknown> }) {
    expect(res.statusCode).toBe(403);
    expect(res.headers.location).toBeUndefined();
    expect(res.json()).toMatchObject({
      error: { code: 'FORBIDDEN', requestId: expect.any(String), details: { reason: 'quality_not_allowed' } },
    });
  }

  it('gives a free viewer a master without 1080p and refuses its playlist and segments', async () => {
    const viewer = await registerViewer(t);
    const session = await start(viewer);
    expect(session.maxHeight).toBe(720);
    expect(session.renditions.map((r) => r.height)).toEqual([240, 720]);

    const master = await get(`${session.base}master.m3u8`);
    expect(master.statusCode).toBe(200);
    expect(variantsOf(master.body)).toEqual(['v240/index.m3u8', 'v720/index.m3u8']);
    expect(master.body).not.toContain('1920x1080');
    // Each remaining variant keeps its own #EXT-X-STREAM-INF; the subtitles stay.
    expect(master.body.match(/#EXT-X-STREAM-INF:/g)).toHaveLength(2);
    expect(master.body).toContain('RESOLUTION=1280x720');
    expect(master.body).toContain('URI="subs/en.m3u8"');

    const allowed = await get(`${session.base}v720/index.m3u8`);
    expect(allowed.statusCode).toBe(200);
    expect(await fetchSegment(`${session.base}v720/`, allowed.body)).toBe(200);

    for (const path of ['v1080/index.m3u8', 'v1080/seg_00000.m4s', 'v1080/init.mp4']) {
      expectRefused(await get(`${session.base}${path}`));
    }
    // Shared files are not renditions: the subtitles still play.
    expect((await get(`${session.base}subs/en.m3u8`)).statusCode).toBe(200);
  });

  it('gives a premium viewer the 1080p variant, playlist and segments', async () => {
    const session = await start(await premium());
    expect(session.maxHeight).toBe(1080);
    expect(session.renditions.map((r) => r.height)).toEqual([240, 720, 1080]);
    const master = await get(`${session.base}master.m3u8`);
    expect(variantsOf(master.body)).toEqual(['v240/index.m3u8', 'v720/index.m3u8', 'v1080/index.m3u8']);
    const variant = await get(`${session.base}v1080/index.m3u8`);
    expect(variant.statusCode).toBe(200);
    expect(await fetchSegment(`${session.base}v1080/`, variant.body)).toBe(200);
  });

  it('rejects a token whose cap was raised by the client', async () => {
    const session = await start(await registerViewer(t));
    const [payload, signature] = session.token.split('.') as [string, string];
    const fields = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as unknown[];
    expect(fields).toContain(720);
    const raised = fields.map((f) => (f === 720 ? 1080 : f));
    const forged = `${Buffer.from(JSON.stringify(raised)).toString('base64url')}.${signature}`;
    for (const path of ['master.m3u8', 'v1080/index.m3u8', 'v1080/seg_00000.m4s']) {
      const res = await get(`${session.base.replace(session.token, forged)}${path}`);
      expect(res.statusCode, path).toBe(403);
      expect(res.json().error.code).toBe('FORBIDDEN');
    }
  });

  it("lowers the cap to the profile's data saver, even on a premium plan", async () => {
    const viewer = await premium();
    const profiles = await t.app.inject({ method: 'GET', url: '/api/v1/profiles', headers: viewer.auth });
    const profileId = profiles.json<{ items: { id: string }[] }>().items[0]!.id;
    const saver = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/profiles/${profileId}`,
      headers: viewer.auth,
      payload: { dataSaver: 'low' },
    });
    expect(saver.statusCode, saver.body).toBe(200);

    const session = await start(viewer, profileId);
    expect(session.maxHeight).toBe(240);
    expect(session.renditions.map((r) => r.height)).toEqual([240]);
    expect(variantsOf((await get(`${session.base}master.m3u8`)).body)).toEqual(['v240/index.m3u8']);
    expectRefused(await get(`${session.base}v720/seg_00000.m4s`));

    // "Best quality" again: the next session gets the plan's full cap.
    await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/profiles/${profileId}`,
      headers: viewer.auth,
      payload: { dataSaver: 'high' },
    });
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/playback/stop',
      headers: viewer.auth,
      payload: { token: session.token },
    });
    expect((await start(viewer, profileId)).maxHeight).toBe(1080);
  });
});

describe('quality cap rules', () => {
  const renditions = RUNGS.map((r) => ({ name: r.name, nominalHeight: r.height, height: r.height }));

  it('takes the lower of plan and data saver, never below the lowest rendition; staff see everything', () => {
    const cap = (planMaxQuality: number, dataSaver: 'auto' | 'low' | 'medium' | 'high' | null, staff = false) =>
      sessionMaxHeight({ planMaxQuality, dataSaver, staff, renditions });
    expect(cap(720, null)).toBe(720);
    expect(cap(1080, 'medium')).toBe(480);
    expect(cap(1080, 'auto')).toBe(1080);
    expect(cap(720, 'high')).toBe(720);
    // Nothing at or under 144p here: the 240p rendition still plays.
    expect(cap(144, 'low')).toBe(240);
    expect(cap(720, null, true)).toBe(1080);
    // Portrait renditions are capped by their nominal (short-side) height, not the picture height.
    expect(
      sessionMaxHeight({
        planMaxQuality: 720,
        dataSaver: null,
        staff: false,
        renditions: [{ name: 'v720', nominalHeight: 720, height: 1280 }],
      }),
    ).toBe(720);
  });

  it('classifies paths by their rendition folder only', () => {
    expect(pathWithinHeight('master.m3u8', 240)).toBe(true);
    expect(pathWithinHeight('subs/en.vtt', 240)).toBe(true);
    expect(pathWithinHeight('v240/seg_00001.m4s', 240)).toBe(true);
    expect(pathWithinHeight('v360/seg_00001.m4s', 240)).toBe(false);
    expect(pathWithinHeight('v1080/progressive.mp4', 720)).toBe(false);
  });

  it('drops a capped variant together with its tags, whatever the line endings', () => {
    const master = [
      '#EXTM3U',
      '#EXT-X-STREAM-INF:BANDWIDTH=400000,RESOLUTION=426x240',
      'v240/index.m3u8',
      '#EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=90000,URI="v1080/iframes.m3u8"',
      '#EXT-X-STREAM-INF:BANDWIDTH=4500000,RESOLUTION=1920x1080',
      'v1080/index.m3u8',
      '',
    ].join('\r\n');
    expect(capMasterPlaylist(master, 720)).toBe(
      ['#EXTM3U', '#EXT-X-STREAM-INF:BANDWIDTH=400000,RESOLUTION=426x240', 'v240/index.m3u8', ''].join('\r\n'),
    );
  });
});
