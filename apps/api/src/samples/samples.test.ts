import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, registerViewer, signInStaff } from '../testing/factories';
import { createTestApp, type TestApp } from '../testing/harness';
import { seedCatalogReference } from '../seed';
import { createSampleContent, SAMPLE_TITLES } from '.';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ env: { TRANSCODE_PRESET: 'ultrafast' } });
  await seedCatalogReference(t.ctx.db.db);
});
afterAll(async () => {
  await t?.close();
});

describe('sample content', () => {
  it('creates playable, published titles through the upload and transcode pipeline, once', async () => {
    const admin = await signInStaff(t, ['admin']);
    const titles = [SAMPLE_TITLES[0]!, SAMPLE_TITLES[1]!].map((s) => ({ ...s, seconds: 4 }));
    const lines: string[] = [];
    const made = await createSampleContent(
      t.app,
      { email: admin.email, password: PASSWORD },
      { whenIdle: () => t.jobsDone(), titles, log: (l) => lines.push(l) },
    );
    expect(made).toBe(2);
    expect(lines).toHaveLength(2);

    const search = await t.app.inject({ method: 'GET', url: '/api/v1/catalog/search?q=yelow%20jumpr' });
    expect(search.statusCode).toBe(200);
    expect(JSON.stringify(search.json())).toContain('The Girl in the Yellow Jumper');

    const free = await t.app.inject({ method: 'GET', url: '/api/v1/catalog/titles/the-girl-in-the-yellow-jumper' });
    expect(free.statusCode, free.body).toBe(200);
    const freeTitle = free.json<{
      id: string;
      accessTier: string;
      poster: { width: number; height: number; sources: { webp: { width: number; url: string }[] } } | null;
      backdrop: { width: number; height: number } | null;
    }>();
    // Each sample has pictures: stills of its own clip, uploaded through the image flow.
    expect(freeTitle.poster).toMatchObject({ width: 160, height: 240 });
    expect(freeTitle.backdrop).toMatchObject({ width: 480, height: 270 });
    const posterUrl = new URL(freeTitle.poster!.sources.webp[0]!.url);
    const picture = await t.app.inject({ method: 'GET', url: posterUrl.pathname });
    expect(picture.statusCode).toBe(200);
    expect(picture.headers['content-type']).toBe('image/webp');
    const home = await t.app.inject({ method: 'GET', url: '/api/v1/catalog/home' });
    expect(home.json().featured[0].backdrop.sources.jpeg[0].url).toMatch(/\/api\/v1\/catalog\/images\/titles\//);
    const viewer = await registerViewer(t);
    const play = await t.app.inject({
      method: 'POST',
      url: '/api/v1/playback',
      headers: viewer.auth,
      payload: { titleId: freeTitle.id },
    });
    expect(play.statusCode, play.body).toBe(200);
    expect(play.json().renditions.length).toBeGreaterThanOrEqual(2);

    const premium = await t.app.inject({ method: 'GET', url: '/api/v1/catalog/titles/ekyama-kya-nalubaale' });
    const blocked = await t.app.inject({
      method: 'POST',
      url: '/api/v1/playback',
      headers: viewer.auth,
      payload: { titleId: premium.json().id },
    });
    expect(blocked.statusCode).toBe(403);

    const again = await createSampleContent(
      t.app,
      { email: admin.email, password: PASSWORD },
      { whenIdle: () => t.jobsDone(), titles },
    );
    expect(again).toBe(0);
  }, 180_000);
});
