import { MAX_ACTIVE_DOWNLOADS } from '@kush/contracts';
import { downloads, profiles, subscriptions, uuidv7, videos } from '@kush/db';
import { type MasterVariant, renderMasterPlaylist } from '@kush/media';
import { and, count, eq, gt } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProfile } from '../../testing/catalog-factories';
import { insertEpisode, insertTitle, insertVideo } from '../../testing/catalog-rows';
import { registerViewer, type SignedIn } from '../../testing/factories';
import { createTestApp, type TestApp } from '../../testing/harness';
import { startS3Server } from '../../testing/s3';
import { seedPlans } from '../billing/plans.service';
import { chooseRendition } from './downloads.service';

/**
 * Offline downloads: only plans with downloads may save a title, in one rendition within the
 * plan's cap and the profile's data saver, and every file the offline player needs is listed and
 * fetchable through the stream's own signed routes, on local storage and on S3 alike.
 */

const RUNGS = [
  { name: 'v240', width: 426, height: 240, bandwidth: 400_000, segmentBytes: 200 },
  { name: 'v480', width: 854, height: 480, bandwidth: 1_200_000, segmentBytes: 480 },
  { name: 'v720', width: 1280, height: 720, bandwidth: 2_300_000, segmentBytes: 720 },
  { name: 'v1080', width: 1920, height: 1080, bandwidth: 4_500_000, segmentBytes: 1080 },
];
const SEGMENTS = ['seg_00000.m4s', 'seg_00001.m4s', 'seg_00002.m4s'];
const VTT = 'WEBVTT\n\n00:00.000 --> 00:04.000\nHello\n';

/** A published revision written straight to storage: master with subtitles, and per rendition a playlist, init and segments. */
async function publishFakeRevision(t: TestApp): Promise<string> {
  const videoId = await insertVideo(t.ctx.db.db, 12);
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
  await t.ctx.storage.put(
    `${prefix}subs/en.m3u8`,
    '#EXTM3U\n#EXT-X-TARGETDURATION:12\n#EXTINF:12,\nen.vtt\n#EXT-X-ENDLIST\n',
  );
  await t.ctx.storage.put(`${prefix}subs/en.vtt`, VTT);
  for (const r of RUNGS) {
    await t.ctx.storage.put(
      `${prefix}${r.name}/index.m3u8`,
      '#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:4\n#EXT-X-MAP:URI="init.mp4"\n' +
        SEGMENTS.map((s) => `#EXTINF:4.0,\n${s}\n`).join('') +
        '#EXT-X-ENDLIST\n',
    );
    await t.ctx.storage.put(`${prefix}${r.name}/init.mp4`, Buffer.alloc(64, 1));
    for (const seg of SEGMENTS) await t.ctx.storage.put(`${prefix}${r.name}/${seg}`, Buffer.alloc(r.segmentBytes, 7));
  }
  await t.ctx.db.db
    .update(videos)
    .set({
      outputPrefix: prefix,
      manifest: {
        master: 'master.m3u8',
        durationSeconds: 12,
        renditions: RUNGS.map((r) => ({
          name: r.name,
          label: `${r.height}p`,
          nominalHeight: r.height,
          width: r.width,
          height: r.height,
          bandwidth: r.bandwidth,
          averageBandwidth: r.bandwidth * 0.8,
          totalBytes: 64 + r.segmentBytes * SEGMENTS.length,
        })),
      },
    })
    .where(eq(videos.id, videoId));
  return videoId;
}

interface DownloadAnswer {
  id: string;
  height: number;
  bytes: number;
  expiresAt: string;
  expired: boolean;
  masterUrl: string;
  files: string[];
  title: { id: string; name: string; episode: { id: string } | null };
}

const DAY = 86_400_000;

describe.each(['local', 's3'] as const)('downloads on %s storage', (storage) => {
  let t: TestApp;
  let s3: Awaited<ReturnType<typeof startS3Server>> | undefined;
  let videoId: string;
  let titleId: string;

  beforeAll(async () => {
    s3 = storage === 's3' ? await startS3Server() : undefined;
    // On PostgreSQL too when TEST_DATABASE_URL is set (CI): the migration and the upsert on both engines.
    t = await createTestApp({ backing: 'servers', env: s3?.env });
    await seedPlans(t.ctx.db.db);
    videoId = await publishFakeRevision(t);
    titleId = (await insertTitle(t.ctx.db.db, { videoId })).id;
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await s3?.close();
  });

  async function subscribe(
    viewer: SignedIn,
    grants: Partial<typeof subscriptions.$inferInsert> = {},
    endsInMs = 60 * DAY,
  ): Promise<void> {
    const now = Date.now();
    await t.ctx.db.db.insert(subscriptions).values({
      id: uuidv7(),
      userId: viewer.userId,
      planCode: 'premium-monthly',
      status: 'active',
      provider: 'sandbox',
      maxQuality: 1080,
      downloads: true,
      currentPeriodStart: new Date(now - 1000),
      currentPeriodEnd: new Date(now + endsInMs),
      ...grants,
    });
  }

  async function subscriber(grants: Partial<typeof subscriptions.$inferInsert> = {}, endsInMs?: number) {
    const viewer = await registerViewer(t);
    await subscribe(viewer, grants, endsInMs);
    return { viewer, profileId: await profileOf(viewer) };
  }

  async function profileOf(viewer: SignedIn): Promise<string> {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/profiles', headers: viewer.auth });
    return res.json<{ items: { id: string }[] }>().items[0]!.id;
  }

  const download = (viewer: SignedIn, profileId: string | null, payload: Record<string, unknown>) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/downloads',
      headers: { ...viewer.auth, ...(profileId ? { 'x-profile-id': profileId } : {}) },
      payload,
    });

  const list = (viewer: SignedIn, profileId: string) =>
    t.app.inject({ method: 'GET', url: `/api/v1/profiles/${profileId}/downloads`, headers: viewer.auth });

  /** Fetches a file the way the browser does: through the API, following a redirect to S3. */
  async function fetchFile(url: string): Promise<{ status: number; body: Buffer }> {
    const res = await t.app.inject({ method: 'GET', url: new URL(url).pathname });
    if (res.statusCode === 302) {
      expect(storage).toBe('s3');
      const direct = await fetch(res.headers.location as string);
      return { status: direct.status, body: Buffer.from(await direct.arrayBuffer()) };
    }
    return { status: res.statusCode, body: res.rawPayload };
  }

  it('refuses a free viewer and records nothing', async () => {
    const viewer = await registerViewer(t);
    const profileId = await profileOf(viewer);
    const res = await download(viewer, profileId, { titleId });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ error: { code: 'DOWNLOADS_NOT_INCLUDED', requestId: expect.any(String) } });
    expect((await list(viewer, profileId)).json()).toEqual({ items: [] });
  });

  it('gives a subscriber one 480p rendition whose every file is fetchable and adds up to its bytes', async () => {
    const { viewer, profileId } = await subscriber();
    const res = await download(viewer, profileId, { titleId });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json<DownloadAnswer>();
    expect(body.height).toBe(480);
    expect(body.title).toMatchObject({ id: titleId, episode: null });
    expect(body.masterUrl).toBe(body.files[0]);

    const paths = body.files.map((f) =>
      new URL(f).pathname.replace(/^\/api\/v1\/(stream|downloads\/files)\/[^/]+\//, ''),
    );
    expect(paths.sort()).toEqual(
      [
        'master.m3u8',
        'v480/index.m3u8',
        'v480/init.mp4',
        ...SEGMENTS.map((s) => `v480/${s}`),
        'subs/en.m3u8',
        'subs/en.vtt',
      ].sort(),
    );

    let total = 0;
    const texts = new Map<string, string>();
    for (const url of body.files) {
      const file = await fetchFile(url);
      expect(file.status, url).toBe(200);
      total += file.body.length;
      if (url.endsWith('.m3u8')) texts.set(url, file.body.toString('utf8'));
    }
    expect(total).toBe(body.bytes);
    // 480p: init and three segments of 480 bytes, the subtitles, and the playlists.
    expect(body.bytes).toBeGreaterThan(64 + 3 * 480 + VTT.length);

    // The master lists the one variant; every URL the playlists name is one of the files.
    const master = texts.get(body.masterUrl)!;
    expect(master.match(/#EXT-X-STREAM-INF:/g)).toHaveLength(1);
    expect(master).toContain('RESOLUTION=854x480');
    expect(master).not.toMatch(/v240|v720|v1080/);
    const named = [...texts.values()].flatMap((text) => [
      ...text.split('\n').filter((l) => l && !l.startsWith('#')),
      ...[...text.matchAll(/URI="([^"]+)"/g)].map((m) => m[1]!),
    ]);
    expect(named.length).toBeGreaterThan(5);
    for (const url of named) expect(body.files).toContain(url);

    // The token reaches no taller rendition.
    const taller = body.files.find((f) => f.includes('/v480/init.mp4'))!.replace('/v480/', '/v720/');
    expect((await t.app.inject({ method: 'GET', url: new URL(taller).pathname })).statusCode).toBe(403);

    const listed = (await list(viewer, profileId)).json<{ items: DownloadAnswer[] }>().items;
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ id: body.id, height: 480, bytes: body.bytes, expired: false });
  });

  it('gives the asked quality within the plan cap, and never more', async () => {
    const { viewer, profileId } = await subscriber({ maxQuality: 720 });
    expect((await download(viewer, profileId, { titleId, quality: 1080 })).json<DownloadAnswer>().height).toBe(720);
    expect((await download(viewer, profileId, { titleId, quality: 240 })).json<DownloadAnswer>().height).toBe(240);
    const best = await subscriber();
    expect(
      (await download(best.viewer, best.profileId, { titleId, quality: 1080 })).json<DownloadAnswer>().height,
    ).toBe(1080);
  });

  it("respects the profile's data saver", async () => {
    const { viewer, profileId } = await subscriber();
    await t.ctx.db.db.update(profiles).set({ dataSaver: 'low' }).where(eq(profiles.id, profileId));
    const res = await download(viewer, profileId, { titleId, quality: 1080 });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json<DownloadAnswer>();
    expect(body.height).toBe(240);
    expect(body.files.some((f) => f.includes('/v240/'))).toBe(true);
    expect(body.files.some((f) => /\/v(480|720|1080)\//.test(f))).toBe(false);
  });

  it('refuses a premium title without premium access, like playback', async () => {
    const premiumTitle = await insertTitle(t.ctx.db.db, { videoId, accessTier: 'premium' });
    const { viewer, profileId } = await subscriber({ premiumCatalog: false });
    expect((await download(viewer, profileId, { titleId })).statusCode).toBe(200);
    const res = await download(viewer, profileId, { titleId: premiumTitle.id });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ error: { code: 'FORBIDDEN', details: { reason: 'premium_required' } } });
    const premium = await subscriber();
    expect((await download(premium.viewer, premium.profileId, { titleId: premiumTitle.id })).statusCode).toBe(200);
  });

  it("answers 404 for a title above the profile's maturity, a kids profile, a draft or a missing title", async () => {
    const { viewer, profileId } = await subscriber();
    const adult = await insertTitle(t.ctx.db.db, { videoId, maturityRating: '18' });
    const kids = await createProfile(t, viewer.userId, { isKids: true });
    const teen = await createProfile(t, viewer.userId, { maturityLimit: '16' });
    const draft = await insertTitle(t.ctx.db.db, { videoId, status: 'draft' });
    for (const [profile, id] of [
      [kids.id, titleId],
      [teen.id, adult.id],
      [profileId, draft.id],
      [profileId, uuidv7()],
    ] as const) {
      const res = await download(viewer, profile, { titleId: id });
      expect(res.statusCode, `${profile} ${id}`).toBe(404);
      expect(res.json().error.code).toBe('NOT_FOUND');
    }
    // The same adult title is fine on the unrestricted profile, so the 404s above are the rules.
    expect((await download(viewer, profileId, { titleId: adult.id })).statusCode).toBe(200);
  });

  it('answers 409 while the video is not ready, and downloads an episode of a series', async () => {
    const { viewer, profileId } = await subscriber();
    const notReady = await insertTitle(t.ctx.db.db, { videoId: await insertVideo(t.ctx.db.db) });
    const res = await download(viewer, profileId, { titleId: notReady.id });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('CONFLICT');

    const series = await insertTitle(t.ctx.db.db, { kind: 'series' });
    const episode = await insertEpisode(t.ctx.db.db, series.id);
    await t.ctx.db.db.update(videos).set({ outputPrefix: null }).where(eq(videos.id, episode.videoId));
    expect((await download(viewer, profileId, { titleId: series.id })).statusCode).toBe(400);
    expect((await download(viewer, profileId, { titleId: series.id, episodeId: episode.id })).statusCode).toBe(409);
    const [source] = await t.ctx.db.db.select().from(videos).where(eq(videos.id, videoId));
    await t.ctx.db.db
      .update(videos)
      .set({ outputPrefix: source!.outputPrefix, manifest: source!.manifest })
      .where(eq(videos.id, episode.videoId));
    // The episode's video is its own row but, for the test, the same revision path is not: copy its files.
    for (const path of [
      'master.m3u8',
      'subs/en.m3u8',
      'subs/en.vtt',
      'v480/index.m3u8',
      'v480/init.mp4',
      ...SEGMENTS.map((s) => `v480/${s}`),
    ]) {
      const object = await t.ctx.storage.getStream(`videos/${videoId}/r1/${path}`);
      const chunks: Buffer[] = [];
      for await (const chunk of object.stream) chunks.push(chunk as Buffer);
      await t.ctx.storage.put(`videos/${episode.videoId}/r1/${path}`, Buffer.concat(chunks));
    }
    await t.ctx.db.db
      .update(videos)
      .set({ outputPrefix: `videos/${episode.videoId}/r1/` })
      .where(eq(videos.id, episode.videoId));
    const ok = await download(viewer, profileId, { titleId: series.id, episodeId: episode.id });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json<DownloadAnswer>().title.episode).toMatchObject({ id: episode.id });
  });

  it("keeps another account's downloads out of reach: 404 on delete, absent from lists", async () => {
    const owner = await subscriber();
    const other = await subscriber();
    const mine = (await download(owner.viewer, owner.profileId, { titleId })).json<DownloadAnswer>();
    const del = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/downloads/${mine.id}`,
      headers: other.viewer.auth,
    });
    expect(del.statusCode).toBe(404);
    expect((await list(other.viewer, other.profileId)).json()).toEqual({ items: [] });
    expect((await list(other.viewer, owner.profileId)).statusCode).toBe(404);
    expect((await list(owner.viewer, owner.profileId)).json<{ items: { id: string }[] }>().items).toHaveLength(1);

    const own = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/downloads/${mine.id}`,
      headers: owner.viewer.auth,
    });
    expect(own.statusCode).toBe(204);
    expect((await list(owner.viewer, owner.profileId)).json()).toEqual({ items: [] });
  });

  it('renews a download of the same title: same record, fresh files and expiry', async () => {
    const { viewer, profileId } = await subscriber();
    const first = (await download(viewer, profileId, { titleId })).json<DownloadAnswer>();
    await new Promise((r) => setTimeout(r, 20));
    const again = (await download(viewer, profileId, { titleId })).json<DownloadAnswer>();
    expect(again.id).toBe(first.id);
    expect(again.files[0]).not.toBe(first.files[0]);
    expect(Date.parse(again.expiresAt)).toBeGreaterThan(Date.parse(first.expiresAt));
    expect((await list(viewer, profileId)).json<{ items: unknown[] }>().items).toHaveLength(1);
  });

  /** `n` licensed downloads of new titles, written straight to the table (profile chosen per index). */
  async function activeDownloads(userId: string, n: number, profileOf: (i: number) => string) {
    const rows: (typeof downloads.$inferInsert)[] = [];
    for (let i = 0; i < n; i += 1) {
      const title = await insertTitle(t.ctx.db.db, { videoId });
      rows.push({
        id: uuidv7(),
        userId,
        profileId: profileOf(i),
        titleId: title.id,
        videoId,
        revision: 1,
        height: 480,
        bytes: 100,
        expiresAt: new Date(Date.now() + DAY),
      });
    }
    await t.ctx.db.db.insert(downloads).values(rows);
    return rows;
  }

  it(`refuses more than ${MAX_ACTIVE_DOWNLOADS} active downloads per account; renewals and expired ones do not count`, async () => {
    const { viewer, profileId } = await subscriber();
    const second = await createProfile(t, viewer.userId);
    const rows = await activeDownloads(viewer.userId, MAX_ACTIVE_DOWNLOADS, (i) => (i % 2 ? profileId : second.id));
    const res = await download(viewer, profileId, { titleId });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({
      error: { code: 'DOWNLOAD_LIMIT_REACHED', details: { limit: MAX_ACTIVE_DOWNLOADS } },
    });
    expect((await download(viewer, profileId, { titleId: rows[1]!.titleId })).statusCode).toBe(200);

    await t.ctx.db.db
      .update(downloads)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(downloads.id, rows[0]!.id));
    expect((await download(viewer, profileId, { titleId })).statusCode).toBe(200);
    const listed = (await list(viewer, second.id)).json<{ items: { id: string; expired: boolean }[] }>().items;
    expect(listed.find((d) => d.id === rows[0]!.id)).toMatchObject({ expired: true });
  });

  it('keeps the limit when the last free places are asked for together', async () => {
    const { viewer, profileId } = await subscriber();
    await activeDownloads(viewer.userId, MAX_ACTIVE_DOWNLOADS - 1, () => profileId);
    const more = await Promise.all([1, 2, 3, 4].map(() => insertTitle(t.ctx.db.db, { videoId })));
    const answers = await Promise.all(more.map((title) => download(viewer, profileId, { titleId: title.id })));
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 409, 409, 409]);
    const [active] = await t.ctx.db.db
      .select({ n: count() })
      .from(downloads)
      .where(and(eq(downloads.userId, viewer.userId), gt(downloads.expiresAt, new Date())));
    expect(active!.n).toBe(MAX_ACTIVE_DOWNLOADS);
  });

  it('licenses for 30 days at most, never past the end of the pass', async () => {
    const pass = await subscriber({ kind: 'pass', planCode: 'premium-week' }, 5 * DAY);
    const short = (await download(pass.viewer, pass.profileId, { titleId })).json<DownloadAnswer>();
    const [sub] = await t.ctx.db.db.select().from(subscriptions).where(eq(subscriptions.userId, pass.viewer.userId));
    expect(Date.parse(short.expiresAt)).toBe(sub!.currentPeriodEnd.getTime());

    const year = await subscriber({}, 365 * DAY);
    const long = (await download(year.viewer, year.profileId, { titleId })).json<DownloadAnswer>();
    expect(Math.abs(Date.parse(long.expiresAt) - (Date.now() + 30 * DAY))).toBeLessThan(60_000);
  });

  it('answers 400 to bad input, 401 without a session and 403 on a locked profile, recording nothing', async () => {
    const { viewer, profileId } = await subscriber();
    for (const payload of [
      {},
      { titleId: 'nope' },
      { titleId, quality: 5000 },
      { titleId, quality: 'hd' },
      { titleId, extra: 1 },
    ]) {
      const res = await download(viewer, profileId, payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
    }
    expect((await download(viewer, null, { titleId })).statusCode).toBe(400);
    const anonymous = await t.app.inject({
      method: 'POST',
      url: '/api/v1/downloads',
      headers: { 'x-profile-id': profileId },
      payload: { titleId },
    });
    expect(anonymous.statusCode).toBe(401);

    await t.ctx.db.db.update(profiles).set({ pinHash: 'locked' }).where(eq(profiles.id, profileId));
    const locked = await download(viewer, profileId, { titleId });
    expect(locked.statusCode).toBe(403);
    expect(locked.json().error.code).toBe('PROFILE_LOCKED');
    await t.ctx.db.db.update(profiles).set({ pinHash: null }).where(eq(profiles.id, profileId));
    expect((await list(viewer, profileId)).json()).toEqual({ items: [] });
  });
});

describe('choosing the rendition', () => {
  const renditions = RUNGS.map((r) => ({ name: r.name, nominalHeight: r.height, height: r.height }));
  const pick = (planMaxQuality: number, dataSaver: 'auto' | 'low' | 'medium' | 'high', requested?: number) =>
    chooseRendition(renditions, { planMaxQuality, dataSaver, requested })?.nominalHeight;

  it('defaults to 480p or the plan cap, whichever is lower, and never exceeds plan or data saver', () => {
    expect(pick(1080, 'auto')).toBe(480);
    expect(pick(360, 'auto')).toBe(240);
    expect(pick(1080, 'auto', 1080)).toBe(1080);
    expect(pick(720, 'auto', 1080)).toBe(720);
    expect(pick(1080, 'medium', 1080)).toBe(480);
    expect(pick(1080, 'low')).toBe(240);
    expect(pick(1080, 'auto', 600)).toBe(480);
    // Nothing as low as asked: the lowest rendition.
    expect(pick(1080, 'auto', 144)).toBe(240);
  });
});
