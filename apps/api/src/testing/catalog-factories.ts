import type { MaturityRating } from '@kush/contracts';
import { playEvents, profiles, titles, uuidv7, videos } from '@kush/db';
import { eq } from 'drizzle-orm';
import { seedCatalogReference } from '../modules/catalog/reference-data';
import { signInStaff, type SignedIn } from './factories';
import type { TestApp } from './harness';

let seq = 0;
const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

/** A name no other test uses, e.g. "Kampala Nights k3x9a2-7". */
export function uniqueName(base = 'Title'): string {
  seq += 1;
  return `${base} ${run}-${seq}`;
}

/** A content manager, with the reference languages, genres and categories seeded. */
export async function signInCatalogStaff(t: TestApp): Promise<SignedIn> {
  await seedCatalogReference(t.ctx.db.db);
  return signInStaff(t, ['content_manager']);
}

async function post<T>(t: TestApp, staff: SignedIn, url: string, payload: object, expected = 201): Promise<T> {
  const res = await t.app.inject({ method: 'POST', url, headers: staff.auth, payload });
  if (res.statusCode !== expected) throw new Error(`POST ${url} answered ${res.statusCode}: ${res.body}`);
  return res.json<T>();
}

export interface CreatedTitle {
  id: string;
  slug: string;
  name: string;
  status: string;
}

/** A draft title through the staff API; any field of the create body may be given. */
export async function createTitle(t: TestApp, staff: SignedIn, body: Record<string, unknown> = {}) {
  return post<CreatedTitle>(t, staff, '/api/v1/admin/titles', { kind: 'film', name: uniqueName('Film'), ...body });
}

export async function setTitleStatus(
  t: TestApp,
  staff: SignedIn,
  id: string,
  status: string,
  publishAt?: string,
): Promise<CreatedTitle> {
  return post(t, staff, `/api/v1/admin/titles/${id}/status`, { status, ...(publishAt ? { publishAt } : {}) }, 200);
}

/** A published title. */
export async function publishedTitle(t: TestApp, staff: SignedIn, body: Record<string, unknown> = {}) {
  const title = await createTitle(t, staff, body);
  return setTitleStatus(t, staff, title.id, 'published');
}

/** An episode of a series through the staff API, in a new season numbered `season` (default 1). */
export async function createEpisode(
  t: TestApp,
  staff: SignedIn,
  seriesId: string,
  body: { season?: number; number?: number; publishAt?: string } = {},
) {
  const { season: seasonNumber = 1, number = 1, ...rest } = body;
  const seasonRes = await t.app.inject({
    method: 'POST',
    url: `/api/v1/admin/titles/${seriesId}/seasons`,
    headers: staff.auth,
    payload: { number: seasonNumber },
  });
  if (seasonRes.statusCode !== 201) throw new Error(`season answered ${seasonRes.statusCode}: ${seasonRes.body}`);
  const season = seasonRes.json<{ id: string }>();
  return post<{ id: string; seasonId: string; titleId: string; name: string }>(
    t,
    staff,
    `/api/v1/admin/seasons/${season.id}/episodes`,
    { number, name: uniqueName('Episode'), ...rest },
  );
}

export async function createPerson(t: TestApp, staff: SignedIn, name = uniqueName('Person')) {
  return post<{ id: string; slug: string; name: string }>(t, staff, '/api/v1/admin/people', { name });
}

export async function createGenre(t: TestApp, staff: SignedIn, name = uniqueName('Genre')) {
  return post<{ id: string; slug: string; name: string }>(t, staff, '/api/v1/admin/genres', { name });
}

export async function createCategory(t: TestApp, staff: SignedIn, name = uniqueName('Row')) {
  return post<{ id: string; slug: string; name: string; position: number }>(t, staff, '/api/v1/admin/categories', {
    name,
  });
}

export async function setCategoryTitles(t: TestApp, staff: SignedIn, categoryId: string, titleIds: string[]) {
  const res = await t.app.inject({
    method: 'PUT',
    url: `/api/v1/admin/categories/${categoryId}/titles`,
    headers: staff.auth,
    payload: { titleIds },
  });
  if (res.statusCode !== 200) throw new Error(`set category titles answered ${res.statusCode}: ${res.body}`);
}

/** A profile of `userId`, straight in the database (the profiles API belongs to the viewer module). */
export async function createProfile(
  t: TestApp,
  userId: string,
  options: { isKids?: boolean; maturityLimit?: MaturityRating } = {},
): Promise<{ id: string }> {
  const [row] = await t.ctx.db.db
    .insert(profiles)
    .values({ id: uuidv7(), userId, name: uniqueName('Profile').slice(0, 40), ...options })
    .returning({ id: profiles.id });
  return row!;
}

/** `count` plays of a title just now (for trending), on a video row made for the purpose. */
export async function recordPlays(t: TestApp, titleId: string, count: number): Promise<void> {
  const videoId = uuidv7();
  await t.ctx.db.db.insert(videos).values({
    id: videoId,
    originalFilename: 'film.mp4',
    contentType: 'video/mp4',
    sourceSize: 1,
    sourceKey: `sources/${videoId}`,
    uploadMode: 'single',
  });
  await t.ctx.db.db
    .insert(playEvents)
    .values(Array.from({ length: count }, () => ({ id: uuidv7(), titleId, videoId })));
}

/** Moves a scheduled title's publishAt into the past, as if its time had come. */
export async function makeDue(t: TestApp, titleId: string): Promise<void> {
  const past = new Date(Date.now() - 1000);
  await t.ctx.db.db.update(titles).set({ publishAt: past, publishedAt: past }).where(eq(titles.id, titleId));
}

/** Runs a catalog job through the queue, as the scheduler would, and waits for it. */
export async function runCatalogJob(
  t: TestApp,
  name: 'catalog.publish-due' | 'catalog.refresh-popularity' | 'catalog.sweep-images',
) {
  await t.ctx.infra.queue.enqueue(name, {});
  await t.jobsDone();
}
