import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { VASTParser } from '@dailymotion/vast-client';
import { DOMParser } from '@xmldom/xmldom';
import type { MaturityRating } from '@kush/contracts';
import { categories, genres, subscriptions, titleCategories, titleGenres, uuidv7, videos } from '@kush/db';
import { mediaBinaries } from '@kush/media';
import { expect } from 'vitest';
import { insertTitle } from '../../testing/catalog-rows';
import type { SignedIn } from '../../testing/factories';
import type { TestApp } from '../../testing/harness';
import { makeClip } from '../../testing/media-fixtures';
import { localPath } from '../../testing/uploads';

const run = promisify(execFile);
export const VAST_XSD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'standards', 'vast_4.2.xsd');

/** Validates a VAST document against the IAB XSD with xmllint; fails the test with xmllint's words. */
export async function expectValidVast(xml: string): Promise<void> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'kf-vast-'));
  const file = path.join(dir, 'vast.xml');
  await fs.writeFile(file, xml);
  try {
    await run('xmllint', ['--noout', '--schema', VAST_XSD, file]);
  } catch (err) {
    const stderr = (err as { stderr?: string }).stderr ?? String(err);
    expect.fail(`VAST does not validate against the XSD:\n${stderr}\n${xml}`);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/** What a third-party VAST client makes of the document. */
export async function parseVast(xml: string) {
  const doc = new DOMParser().parseFromString(xml, 'text/xml');
  // The library's types say `any`; the shape used by the tests is named here.
  const parsed = (await new VASTParser().parseVAST(doc as never)) as {
    ads: {
      id: string;
      adServingId: string | null;
      title: string;
      impressionURLTemplates: { url: string }[];
      errorURLTemplates: string[];
      creatives: {
        type: string;
        variations?: {
          width: string;
          height: string;
          type: string;
          staticResource: string | null;
          nonlinearClickThroughURLTemplate: string | null;
          minSuggestedDuration: number;
        }[];
        duration: number;
        skipDelay: number | null;
        universalAdIds: { idRegistry: string; value: string }[];
        mediaFiles: { fileURL: string; mimeType: string; width: number; height: number; bitrate: number }[];
        trackingEvents: Record<string, string[]>;
        videoClickThroughURLTemplate: { url: string } | null;
      }[];
    }[];
    errorURLTemplates: string[];
  };
  return parsed;
}

export async function uploadAdVideo(t: TestApp, staff: SignedIn, seconds = 6): Promise<string> {
  const clip = await makeClip({ seconds, width: 640, height: 360 });
  try {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/admin/ads/videos',
      headers: staff.auth,
      payload: { filename: 'ad.mp4', contentType: 'video/mp4', size: clip.bytes.length },
    });
    expect(created.statusCode, created.body).toBe(201);
    const body = created.json<{ video: { id: string }; upload: { url: string; headers: Record<string, string> } }>();
    const put = await t.app.inject({
      method: 'PUT',
      url: localPath(body.upload.url),
      headers: { ...body.upload.headers, 'content-length': String(clip.bytes.length) },
      payload: clip.bytes,
    });
    expect(put.statusCode, put.body).toBe(200);
    const done = await t.app.inject({
      method: 'POST',
      url: `/api/v1/admin/ads/videos/${body.video.id}/upload/complete`,
      headers: staff.auth,
    });
    expect(done.statusCode, done.body).toBe(200);
    // A transcode on a busy 2-core machine takes longer than jobsDone's default wait.
    await t.ctx.infra.queue.whenIdle(180_000);
    return body.video.id;
  } finally {
    await fs.rm(clip.dir, { recursive: true, force: true });
  }
}

export function campaignBody(overrides: Record<string, unknown> = {}) {
  return {
    name: 'Rainy season',
    advertiser: 'Acme Uganda',
    startsAt: new Date(Date.now() - 3600_000).toISOString(),
    endsAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    budget: { kind: 'impressions', amount: 1000 },
    cpm: 4000,
    pacing: 'asap',
    priority: 5,
    ...overrides,
  };
}

export async function createCampaign(t: TestApp, staff: SignedIn, overrides: Record<string, unknown> = {}) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/admin/ads/campaigns',
    headers: staff.auth,
    payload: campaignBody(overrides),
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ id: string; maxImpressions: number }>();
}

export async function addVideoCreative(
  t: TestApp,
  staff: SignedIn,
  campaignId: string,
  videoId: string,
  overrides: Record<string, unknown> = {},
) {
  const res = await t.app.inject({
    method: 'POST',
    url: `/api/v1/admin/ads/campaigns/${campaignId}/creatives`,
    headers: staff.auth,
    payload: {
      kind: 'video',
      name: 'Umbrella 6s',
      videoId,
      clickUrl: 'https://acme.example.ug/umbrellas?utm=kush',
      skipAfterSeconds: null,
      ...overrides,
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ creative: { id: string } }>().creative;
}

/** PUTs bytes to a presigned upload target (local storage answers through the app). */
export async function putUpload(t: TestApp, upload: { url: string; headers: Record<string, string> }, bytes: Buffer) {
  const res = await t.app.inject({
    method: 'PUT',
    url: pathOf(upload.url),
    headers: { ...upload.headers, 'content-length': String(bytes.length) },
    payload: bytes,
  });
  return res.statusCode;
}

/** A banner creative with its image uploaded and checked. */
export async function addBannerCreative(t: TestApp, staff: SignedIn, campaignId: string, size = '320x50') {
  const [width, height] = size.split('x').map(Number) as [number, number];
  const bytes = await makeImage(width, height);
  const res = await t.app.inject({
    method: 'POST',
    url: `/api/v1/admin/ads/campaigns/${campaignId}/creatives`,
    headers: staff.auth,
    payload: {
      kind: 'banner',
      name: `Banner ${size}`,
      size,
      clickUrl: 'https://acme.example.ug/banner',
      contentType: 'image/png',
      contentLength: bytes.length,
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  const body = res.json<{ creative: { id: string }; upload: { url: string; headers: Record<string, string> } }>();
  expect(await putUpload(t, body.upload, bytes)).toBe(200);
  const done = await t.app.inject({
    method: 'POST',
    url: `/api/v1/admin/ads/campaigns/${campaignId}/creatives/${body.creative.id}/image/complete`,
    headers: staff.auth,
  });
  expect(done.statusCode, done.body).toBe(200);
  return body.creative;
}

/** Pauses every other live campaign so a test sees only its own. */
export async function pauseAllCampaigns(t: TestApp, staff: SignedIn) {
  const res = await t.app.inject({ method: 'GET', url: '/api/v1/admin/ads/campaigns?limit=100', headers: staff.auth });
  for (const c of res.json<{ items: { id: string; status: string }[] }>().items) {
    if (c.status !== 'active') continue;
    await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/admin/ads/campaigns/${c.id}`,
      headers: staff.auth,
      payload: { status: 'paused' },
    });
  }
}

/** An active ad-free subscription unless overridden (e.g. a plan with ads, or one that ended). */
export async function subscribe(
  t: TestApp,
  userId: string,
  overrides: Partial<typeof subscriptions.$inferInsert> = {},
) {
  const now = Date.now();
  await t.ctx.db.db.insert(subscriptions).values({
    id: uuidv7(),
    userId,
    planCode: 'premium-monthly',
    status: 'active',
    provider: 'sandbox',
    currentPeriodStart: new Date(now - 86_400_000),
    currentPeriodEnd: new Date(now + 30 * 86_400_000),
    ...overrides,
  });
}

/** A solid-colour picture of the given size and format, made by ffmpeg. */
export async function makeImage(width: number, height: number, format: 'png' | 'jpeg' = 'png'): Promise<Buffer> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'kf-banner-'));
  const file = path.join(dir, `banner.${format === 'png' ? 'png' : 'jpg'}`);
  try {
    await run((await mediaBinaries()).ffmpeg, [
      ...['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', `color=c=orange:s=${width}x${height}`],
      ...['-frames:v', '1', file],
    ]);
    return await fs.readFile(file);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/** Path and query of an absolute URL the API handed out. */
export const pathOf = localPath;

let slugSeq = 0;
const slugRun = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

/** A genre and a category no other test uses (slugs), straight in the database. */
export async function insertGenreAndCategory(t: TestApp) {
  slugSeq += 1;
  const tag = `${slugRun}-${slugSeq}`;
  const genre = { id: uuidv7(), slug: `ad-genre-${tag}`, name: `Ad genre ${tag}` };
  const category = { id: uuidv7(), slug: `ad-row-${tag}`, name: `Ad row ${tag}` };
  await t.ctx.db.db.insert(genres).values(genre);
  await t.ctx.db.db.insert(categories).values(category);
  return { genre, category };
}

/** A published title with what ad targeting looks at: genres, categories, audio languages, maturity. */
export async function insertTargetedTitle(
  t: TestApp,
  options: { genreIds?: string[]; categoryIds?: string[]; audioLanguages: string[]; maturity: MaturityRating },
) {
  const title = await insertTitle(t.ctx.db.db, {
    audioLanguages: options.audioLanguages,
    maturityRating: options.maturity,
  });
  for (const genreId of options.genreIds ?? []) {
    await t.ctx.db.db.insert(titleGenres).values({ titleId: title.id, genreId });
  }
  for (const categoryId of options.categoryIds ?? []) {
    await t.ctx.db.db.insert(titleCategories).values({ titleId: title.id, categoryId });
  }
  return title;
}

/**
 * An ad video the pipeline has finished, as the transcoder records it (its probed duration), with
 * no media behind it: for the checks that read only the row.
 */
export async function insertReadyAdVideo(t: TestApp, durationSeconds: number): Promise<string> {
  const id = uuidv7();
  await t.ctx.db.db.insert(videos).values({
    id,
    purpose: 'ad',
    status: 'ready',
    originalFilename: 'spot.mp4',
    contentType: 'video/mp4',
    sourceSize: 1000,
    sourceKey: `videos/${id}/source`,
    uploadMode: 'single',
    durationSeconds,
  });
  return id;
}
