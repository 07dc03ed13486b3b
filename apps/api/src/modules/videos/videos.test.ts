import fs from 'node:fs/promises';
import { subscriptions, uuidv7, videos } from '@kush/db';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertTitle } from '../../testing/catalog-rows';
import { registerViewer, signInStaff, type SignedIn } from '../../testing/factories';
import { createTestApp, type TestApp } from '../../testing/harness';
import { makeClip } from '../../testing/media-fixtures';
import { createUpload as createUploadFor, localPath, uploadAndComplete } from '../../testing/uploads';
import { issuePlaybackToken } from '../playback/playback-token';

const PART = 5 * 1024 * 1024;
let t: TestApp;
let staff: SignedIn;
let clip: Buffer;

beforeAll(async () => {
  t = await createTestApp({ env: { UPLOAD_PART_BYTES: String(PART), TRANSCODE_PRESET: 'ultrafast' } });
  staff = await signInStaff(t, ['content_manager']);
  clip = (await makeClip({ seconds: 4 })).bytes;
}, 120_000);
afterAll(async () => {
  await t?.close();
});

const local = localPath;
const createUpload = (size: number, filename?: string) => createUploadFor(t, staff, size, filename);

/** Upload → complete → transcode, through the API and the signed local-storage URLs. */
async function uploadSingle(bytes: Buffer, filename = 'film.mp4') {
  const id = await uploadAndComplete(t, staff, bytes, filename);
  await t.jobsDone();
  return (await t.app.inject({ method: 'GET', url: `/api/v1/admin/videos/${id}`, headers: staff.auth })).json<{
    id: string;
    status: string;
    progress: number;
    failure: { code: string; message: string } | null;
    renditions: { label: string; height: number; totalBytes: number; bandwidth: number }[];
    durationSeconds: number;
  }>();
}

async function play(titleId: string, auth: Record<string, string> = {}) {
  return t.app.inject({ method: 'POST', url: '/api/v1/playback', headers: auth, payload: { titleId } });
}

describe('upload → transcode → ready → play', () => {
  let videoId: string;
  let titleId: string;

  it('a single-PUT upload becomes an adaptive HLS stream', async () => {
    const video = await uploadSingle(clip);
    expect(video.status).toBe('ready');
    expect(video.progress).toBe(100);
    expect(video.durationSeconds).toBeGreaterThan(3.5);
    // A 240p source: 144p and 240p, never upscaled.
    expect(video.renditions.map((r) => r.height)).toEqual([144, 240]);
    for (const r of video.renditions) expect(r.totalBytes).toBeGreaterThan(0);
    videoId = video.id;
    titleId = (await insertTitle(t.ctx.db.db, { videoId })).id;
  });

  it('plays through signed playlists and segments', async () => {
    const viewer = await registerViewer(t);
    const res = await play(titleId, viewer.auth);
    expect(res.statusCode, res.body).toBe(200);
    const playback = res.json<{
      masterUrl: string;
      token: string;
      ads: boolean;
      renditions: unknown[];
      thumbnailsVttUrl: string;
    }>();
    expect(playback.ads).toBe(true);
    expect(playback.renditions).toHaveLength(2);

    const master = await t.app.inject({ method: 'GET', url: local(playback.masterUrl) });
    expect(master.statusCode).toBe(200);
    expect(master.headers['content-type']).toContain('mpegurl');
    expect(master.body).toContain('#EXT-X-INDEPENDENT-SEGMENTS');
    const variants = master.body.split('\n').filter((l) => l && !l.startsWith('#'));
    expect(variants.length).toBe(2);

    const base = local(playback.masterUrl).replace(/master\.m3u8$/, '');
    const variant = await t.app.inject({ method: 'GET', url: `${base}${variants[0]}` });
    expect(variant.statusCode).toBe(200);
    expect(variant.body).toContain('#EXT-X-MAP:URI=');
    const variantDir = `${base}${variants[0]!.replace(/[^/]+$/, '')}`;
    const segment = variant.body.split('\n').find((l) => l && !l.startsWith('#'))!;
    const seg = await t.app.inject({ method: 'GET', url: `${variantDir}${segment}` });
    expect(seg.statusCode).toBe(200);
    expect(seg.headers['cache-control']).toContain('immutable');
    expect(seg.rawPayload.length).toBeGreaterThan(100);
    const ranged = await t.app.inject({
      method: 'GET',
      url: `${variantDir}${segment}`,
      headers: { range: 'bytes=0-99' },
    });
    expect(ranged.statusCode).toBe(206);
    expect(ranged.rawPayload.length).toBe(100);
    const vtt = await t.app.inject({ method: 'GET', url: local(playback.thumbnailsVttUrl) });
    expect(vtt.body.startsWith('WEBVTT')).toBe(true);
    // Playback tokens are credentials: the request logs show the path without them.
    expect(t.logs.join('')).toContain('/api/v1/stream/[redacted]/');
    expect(t.logs.join('')).not.toContain(playback.token);
  });

  it('refuses altered, expired, foreign and traversing stream requests', async () => {
    const playback = (await play(titleId)).json<{ masterUrl: string; token: string }>();
    const path = local(playback.masterUrl);
    const altered = path.replace(
      playback.token,
      `${playback.token.slice(0, -2)}${playback.token.endsWith('AA') ? 'BB' : 'AA'}`,
    );
    expect((await t.app.inject({ method: 'GET', url: altered })).statusCode).toBe(403);

    const expired = issuePlaybackToken(
      {
        videoId,
        revision: 1,
        titleId,
        episodeId: null,
        userId: null,
        profileId: null,
        exp: Math.floor(Date.now() / 1000) - 1,
      },
      t.config.MEDIA_SIGNING_SECRET,
    );
    expect((await t.app.inject({ method: 'GET', url: path.replace(playback.token, expired) })).statusCode).toBe(403);
    const forged = issuePlaybackToken(
      {
        videoId,
        revision: 1,
        titleId,
        episodeId: null,
        userId: null,
        profileId: null,
        exp: Math.floor(Date.now() / 1000) + 600,
      },
      'x'.repeat(48),
    );
    expect((await t.app.inject({ method: 'GET', url: path.replace(playback.token, forged) })).statusCode).toBe(403);

    // Another video's files are not reachable from this token, however the path is spelled.
    const other = await uploadSingle(clip, 'other.mp4');
    const traversals = [
      `../../${other.id}/r1/master.m3u8`,
      `..%2F..%2F${other.id}%2Fr1%2Fmaster.m3u8`,
      `%2e%2e/%2e%2e/${other.id}/r1/master.m3u8`,
      '../source',
      '/etc/passwd',
    ];
    for (const evil of traversals) {
      const res = await t.app.inject({ method: 'GET', url: `/api/v1/stream/${playback.token}/${evil}` });
      expect([403, 404], evil).toContain(res.statusCode);
      expect(res.body).not.toContain('#EXTM3U');
    }
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/stream/master.m3u8` })).statusCode).toBe(404);
  });

  it('keeps premium titles for viewers with an active pass; staff can preview drafts', async () => {
    const premium = await insertTitle(t.ctx.db.db, { videoId, accessTier: 'premium' });
    const viewer = await registerViewer(t);
    expect((await play(premium.id)).statusCode).toBe(401);
    const refused = await play(premium.id, viewer.auth);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.details).toEqual({ reason: 'premium_required' });
    const now = Date.now();
    await t.ctx.db.db.insert(subscriptions).values({
      id: uuidv7(),
      userId: viewer.userId,
      planCode: 'premium-week',
      status: 'active',
      provider: 'sandbox',
      currentPeriodStart: new Date(now - 1000),
      currentPeriodEnd: new Date(now + 7 * 86_400_000),
    });
    const allowed = await play(premium.id, viewer.auth);
    expect(allowed.statusCode).toBe(200);
    expect(allowed.json().ads).toBe(false);

    const draft = await insertTitle(t.ctx.db.db, { videoId, status: 'draft' });
    expect((await play(draft.id, viewer.auth)).statusCode).toBe(404);
    expect((await play(draft.id, staff.auth)).statusCode).toBe(200);
  });

  it('saves heartbeats per profile and resumes from them', async () => {
    const viewer = await registerViewer(t);
    const profiles = await t.app.inject({ method: 'GET', url: '/api/v1/profiles', headers: viewer.auth });
    const profileId = profiles.json<{ items: { id: string }[] }>().items[0]!.id;
    const headers = { ...viewer.auth, 'x-profile-id': profileId };
    const start = await t.app.inject({ method: 'POST', url: '/api/v1/playback', headers, payload: { titleId } });
    expect(start.statusCode, start.body).toBe(200);
    const started = start.json<{ token: string }>();
    const beat = (positionSeconds: number, clientTime: Date) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/playback/heartbeat',
        headers,
        payload: {
          token: started.token,
          positionSeconds,
          durationSeconds: 4,
          rendition: '240p',
          bytes: 1000,
          clientTime: clientTime.toISOString(),
        },
      });
    expect((await beat(2, new Date())).json()).toMatchObject({ applied: true, positionSeconds: 2 });
    expect((await beat(1, new Date(Date.now() - 60_000))).json()).toMatchObject({ applied: false, positionSeconds: 2 });
    // The viewer leaves (the player stops its stream) and comes back.
    const stopped = await t.app.inject({
      method: 'POST',
      url: '/api/v1/playback/stop',
      headers,
      payload: { token: started.token },
    });
    expect(stopped.statusCode).toBe(204);
    const again = await t.app.inject({ method: 'POST', url: '/api/v1/playback', headers, payload: { titleId } });
    expect(again.json().resumeFromSeconds).toBe(2);

    const stranger = await registerViewer(t);
    const foreign = await t.app.inject({
      method: 'POST',
      url: '/api/v1/playback/heartbeat',
      headers: { ...stranger.auth, 'x-profile-id': profileId },
      payload: { token: started.token, positionSeconds: 3, durationSeconds: 4, clientTime: new Date().toISOString() },
    });
    expect(foreign.statusCode).toBe(403);
  });
});

describe('subtitles and re-transcoding', () => {
  it('adds subtitles to the master playlist and keeps playing across a re-transcode', async () => {
    const video = await uploadSingle(clip, 'subbed.mp4');
    const title = await insertTitle(t.ctx.db.db, { videoId: video.id });
    const srt =
      '1\n00:00:00,500 --> 00:00:02,000\nOli otya, <b>Kampala</b>!\n\n2\n00:00:02,500 --> 00:00:03,500\nHabari\n';
    const added = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/admin/videos/${video.id}/subtitles`,
      headers: staff.auth,
      payload: { language: 'lg', label: 'Luganda', content: srt },
    });
    expect(added.statusCode, added.body).toBe(200);
    expect(added.json().subtitles).toEqual([{ language: 'lg', label: 'Luganda' }]);
    const bad = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/admin/videos/${video.id}/subtitles`,
      headers: staff.auth,
      payload: { language: 'lg', label: 'Luganda', content: 'not subtitles at all' },
    });
    expect(bad.statusCode).toBe(400);

    const first = (await play(title.id)).json<{ masterUrl: string; subtitles: unknown[] }>();
    expect(first.subtitles).toEqual([{ language: 'lg', label: 'Luganda' }]);
    const master = await t.app.inject({ method: 'GET', url: local(first.masterUrl) });
    expect(master.body).toMatch(/#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="subs",LANGUAGE="lg",NAME="Luganda"/);
    const vtt = await t.app.inject({
      method: 'GET',
      url: local(first.masterUrl).replace('master.m3u8', 'subs/lg.vtt'),
    });
    expect(vtt.body).toMatch(/^WEBVTT/);
    expect(vtt.body).toContain('Oli otya, <b>Kampala</b>!');

    const again = await t.app.inject({
      method: 'POST',
      url: `/api/v1/admin/videos/${video.id}/transcode`,
      headers: staff.auth,
    });
    expect(again.statusCode).toBe(202);
    expect(again.json().revision).toBe(2);
    await t.jobsDone();
    const after = (
      await t.app.inject({ method: 'GET', url: `/api/v1/admin/videos/${video.id}`, headers: staff.auth })
    ).json();
    expect(after).toMatchObject({ status: 'ready', revision: 2 });
    const second = (await play(title.id)).json<{ masterUrl: string }>();
    expect(second.masterUrl).not.toBe(first.masterUrl);
    const master2 = await t.app.inject({ method: 'GET', url: local(second.masterUrl) });
    expect(master2.body).toContain('LANGUAGE="lg"');
    // The old revision is gone once the new one is published.
    expect((await t.app.inject({ method: 'GET', url: local(first.masterUrl) })).statusCode).toBe(404);
  });
});

describe('multipart uploads', () => {
  it('resumes after an interruption and ends in the same ready video', async () => {
    const big = (await makeClip({ seconds: 3, width: 320, height: 240, noise: true })).bytes;
    expect(big.length).toBeGreaterThan(PART);
    const created = await createUpload(big.length);
    expect(created.upload).toMatchObject({
      mode: 'multipart',
      partSize: PART,
      partCount: Math.ceil(big.length / PART),
    });
    const id = created.video.id;
    const urls = await t.app.inject({
      method: 'POST',
      url: `/api/v1/admin/videos/${id}/upload/parts`,
      headers: staff.auth,
      payload: { partNumbers: [1, 2, 3].slice(0, created.upload.partCount) },
    });
    const parts = urls.json<{ parts: { partNumber: number; url: string }[] }>().parts;
    const send = (n: number) => {
      const body = big.subarray((n - 1) * PART, n * PART);
      return t.app.inject({
        method: 'PUT',
        url: local(parts.find((p) => p.partNumber === n)!.url),
        headers: { 'content-length': String(body.length) },
        payload: body,
      });
    };
    expect((await send(1)).statusCode).toBe(200);
    // The connection drops here; on reload the client asks what is stored and sends the rest.
    const early = await t.app.inject({
      method: 'POST',
      url: `/api/v1/admin/videos/${id}/upload/complete`,
      headers: staff.auth,
    });
    expect(early.statusCode).toBe(409);
    const stored = await t.app.inject({
      method: 'GET',
      url: `/api/v1/admin/videos/${id}/upload/parts`,
      headers: staff.auth,
    });
    expect(stored.json<{ parts: { partNumber: number }[] }>().parts.map((p) => p.partNumber)).toEqual([1]);
    for (let n = 2; n <= created.upload.partCount!; n++) expect((await send(n)).statusCode).toBe(200);
    const done = await t.app.inject({
      method: 'POST',
      url: `/api/v1/admin/videos/${id}/upload/complete`,
      headers: staff.auth,
    });
    expect(done.statusCode, done.body).toBe(200);
    await t.jobsDone();
    const video = (
      await t.app.inject({ method: 'GET', url: `/api/v1/admin/videos/${id}`, headers: staff.auth })
    ).json();
    expect(video.status).toBe('ready');
    expect(video.sourceSize).toBe(big.length);
  });
});

describe('refused inputs', () => {
  it('records why a file cannot be transcoded, and never reads local files', async () => {
    const cases: [string, Buffer, string][] = [
      ['notes.mp4', Buffer.from('this is not a video, just text\n'.repeat(20)), 'not_media'],
      ['list.m3u8', Buffer.from('#EXTM3U\n#EXTINF:10,\nfile:///etc/passwd\n#EXT-X-ENDLIST\n'), 'playlist'],
      [
        'sneaky.mp4',
        Buffer.from('#EXTM3U\n#EXT-X-MEDIA-SEQUENCE:0\n#EXTINF:10.0,\nfile:///etc/passwd\n#EXT-X-ENDLIST\n'),
        'playlist',
      ],
      ['cut.mp4', clip.subarray(0, Math.floor(clip.length * 0.6)), 'truncated'],
    ];
    for (const [name, bytes, code] of cases) {
      const video = await uploadSingle(bytes, name);
      expect(video.status, name).toBe('failed');
      expect(video.failure?.code, name).toBe(code);
      expect(video.failure?.message).not.toMatch(/root:x:0:0/);
      const [row] = await t.ctx.db.db.select().from(videos).where(eq(videos.id, video.id));
      expect(JSON.stringify(row)).not.toContain('root:x:0:0');
    }
    const empty = await t.app.inject({
      method: 'POST',
      url: '/api/v1/admin/videos',
      headers: staff.auth,
      payload: { filename: 'empty.mp4', contentType: 'video/mp4', size: 0 },
    });
    expect(empty.statusCode).toBe(400);
    const huge = await t.app.inject({
      method: 'POST',
      url: '/api/v1/admin/videos',
      headers: staff.auth,
      payload: { filename: 'x.mp4', contentType: 'video/mp4', size: 30 * 1024 ** 3 },
    });
    expect(huge.statusCode).toBe(413);
  });

  it('refuses an upload that does not match the announced size', async () => {
    const created = await createUpload(clip.length + 10);
    const put = await t.app.inject({
      method: 'PUT',
      url: local(created.upload.url!),
      headers: { ...created.upload.headers, 'content-length': String(clip.length) },
      payload: clip,
    });
    expect(put.statusCode).toBeGreaterThanOrEqual(400);
    const done = await t.app.inject({
      method: 'POST',
      url: `/api/v1/admin/videos/${created.video.id}/upload/complete`,
      headers: staff.auth,
    });
    expect(done.statusCode).toBe(409);
  });
});

describe('staff only', () => {
  it('needs uploads:manage', async () => {
    const viewer = await registerViewer(t);
    const body = { filename: 'a.mp4', contentType: 'video/mp4', size: 10 };
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/admin/videos', payload: body })).statusCode).toBe(401);
    expect(
      (await t.app.inject({ method: 'POST', url: '/api/v1/admin/videos', headers: viewer.auth, payload: body }))
        .statusCode,
    ).toBe(403);
    const missing = await t.app.inject({ method: 'GET', url: `/api/v1/admin/videos/${uuidv7()}`, headers: staff.auth });
    expect(missing.statusCode).toBe(404);
  });
});

describe('reconciler', () => {
  it('re-queues a transcode whose worker died, which then finishes', async () => {
    const created = await createUpload(clip.length);
    await t.app.inject({
      method: 'PUT',
      url: local(created.upload.url!),
      headers: { ...created.upload.headers, 'content-length': String(clip.length) },
      payload: clip,
    });
    // The state a worker killed mid-transcode leaves behind: processing, no job, an old heartbeat.
    await t.ctx.db.db
      .update(videos)
      .set({ status: 'processing', revision: 1, heartbeatAt: new Date(Date.now() - 10 * 60_000), progress: 40 })
      .where(eq(videos.id, created.video.id));
    await t.ctx.infra.queue.enqueue('videos.reconcile', {});
    await t.jobsDone();
    const video = (
      await t.app.inject({ method: 'GET', url: `/api/v1/admin/videos/${created.video.id}`, headers: staff.auth })
    ).json();
    expect(video.status).toBe('ready');
    await fs.rm(t.config.paths.media, { recursive: true, force: true }).catch(() => undefined);
  });
});
