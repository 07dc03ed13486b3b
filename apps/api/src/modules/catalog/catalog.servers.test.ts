import { makeImage } from '@kush/media/image-fixtures';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  createTitle,
  makeDue,
  publishedTitle,
  setTitleStatus,
  signInCatalogStaff,
  uniqueName,
} from '../../testing/catalog-factories';
import type { SignedIn } from '../../testing/factories';
import { createTestApp, type TestApp } from '../../testing/harness';
import { pathOf, titleImagePath, uploadImage } from '../../testing/images';

/**
 * The catalog on real PostgreSQL and Redis, as two API instances behind a load balancer would run
 * it: one shared cache layer, invalidation by pub/sub. Runs when TEST_DATABASE_URL and
 * TEST_REDIS_URL are set (CI sets both).
 */
const enabled = !!process.env.TEST_DATABASE_URL && !!process.env.TEST_REDIS_URL;

describe.skipIf(!enabled)('catalog across two API instances on PostgreSQL and Redis', () => {
  let a: TestApp;
  let b: TestApp;
  let staff: SignedIn;
  beforeAll(async () => {
    a = await createTestApp({ backing: 'servers' });
    // One media directory for both, as one bucket would be.
    b = await createTestApp({ backing: 'servers', joinInstance: a, env: { DATA_DIR: a.config.DATA_DIR } });
    staff = await signInCatalogStaff(a);
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  const get = (app: TestApp, url: string) => app.app.inject({ method: 'GET', url });
  const outcomes = async (app: TestApp, outcome: string) => {
    const metrics = (await get(app, '/metrics')).body;
    return Number(
      new RegExp(`^catalog_cache_lookups_total\\{outcome="${outcome}"\\} (\\d+)$`, 'm').exec(metrics)?.[1] ?? 0,
    );
  };

  it('runs on the servers', () => {
    expect(a.ctx.db.driver).toBe('postgres');
    expect(b.ctx.infra.redis).toBeDefined();
  });

  it('searches with trigram similarity and unaccent on PostgreSQL', async () => {
    const jumper = await publishedTitle(a, staff, { name: 'The Girl in the Yellow Jumper' });
    const kampala = await publishedTitle(a, staff, { name: 'Kampalá Nights' });
    const misspelt = (await get(b, '/api/v1/catalog/search?q=yelow%20jumpr')).json();
    expect(misspelt.items[0].id).toBe(jumper.id);
    const plain = (await get(b, '/api/v1/catalog/search?q=kampala')).json();
    expect(plain.items.map((i: { id: string }) => i.id)).toContain(kampala.id);
  });

  it('serves from the shared Redis layer what another instance cached', async () => {
    const title = await publishedTitle(a, staff);
    const url = `/api/v1/catalog/titles/${title.slug}`;
    const fromA = await get(a, url);
    const sharedBefore = await outcomes(b, 'shared');
    const fromB = await get(b, url);
    expect(fromB.body).toBe(fromA.body);
    expect(fromB.headers.etag).toBe(fromA.headers.etag);
    expect(await outcomes(b, 'shared')).toBe(sharedBefore + 1);
  });

  it('a staff edit on one instance reaches the cached pages of the other', async () => {
    const title = await publishedTitle(a, staff, { synopsis: 'Before.' });
    const url = `/api/v1/catalog/titles/${title.slug}`;
    expect((await get(b, url)).json().synopsis).toBe('Before.');
    expect((await get(b, url)).json().synopsis).toBe('Before.');
    const edit = await a.app.inject({
      method: 'PATCH',
      url: `/api/v1/admin/titles/${title.id}`,
      headers: staff.auth,
      payload: { synopsis: 'After.' },
    });
    expect(edit.statusCode).toBe(200);
    // Pub/sub delivery is asynchronous; the other instance converges as soon as the message lands.
    await vi.waitFor(async () => expect((await get(b, url)).json().synopsis).toBe('After.'), { timeout: 10_000 });

    await setTitleStatus(a, staff, title.id, 'archived');
    await vi.waitFor(async () => expect((await get(b, url)).statusCode).toBe(404), { timeout: 10_000 });
  });

  it('publishes a scheduled title through a BullMQ job, and every instance shows it', async () => {
    const title = await createTitle(a, staff, { name: uniqueName('Premiere') });
    await setTitleStatus(a, staff, title.id, 'scheduled', new Date(Date.now() + 3600_000).toISOString());
    expect((await get(b, '/api/v1/catalog/home')).body).not.toContain(title.id);
    await makeDue(a, title.id);
    await a.ctx.infra.queue.enqueue('catalog.publish-due', {});
    await a.jobsDone();
    await b.jobsDone();
    const staffView = await a.app.inject({
      method: 'GET',
      url: `/api/v1/admin/titles/${title.id}`,
      headers: staff.auth,
    });
    expect(staffView.json().status).toBe('published');
    await vi.waitFor(async () => expect((await get(b, '/api/v1/catalog/home')).body).toContain(title.id), {
      timeout: 10_000,
    });
  });

  it('a picture set on one instance shows on the other, which serves it while the title is live', async () => {
    const title = await publishedTitle(a, staff);
    const url = `/api/v1/catalog/titles/${title.slug}`;
    expect((await get(b, url)).json().poster).toBeNull();
    const res = await uploadImage(a, staff, titleImagePath(title.id, 'poster'), await makeImage('jpeg', 400, 600));
    expect(res.statusCode, res.body).toBe(200);
    await vi.waitFor(async () => expect((await get(b, url)).json().poster).not.toBeNull(), { timeout: 10_000 });
    const poster = (await get(b, url)).json<{ poster: { sources: { webp: { url: string }[] } } }>().poster;
    const image = pathOf(poster.sources.webp[0]!.url);
    expect((await get(b, image)).statusCode).toBe(200);

    await setTitleStatus(a, staff, title.id, 'archived');
    // The other instance remembers the title's status for a few seconds at most.
    await vi.waitFor(async () => expect((await get(b, image)).statusCode).toBe(404), { timeout: 15_000 });
  });
});
