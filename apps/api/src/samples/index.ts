import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { renderSampleClip, renderSampleStills } from './sample-clips';
import { SAMPLE_TITLES, type SampleTitle } from './sample-titles';

export { SAMPLE_TITLES } from './sample-titles';

interface Credentials {
  email: string;
  password: string;
}

/**
 * Creates the sample titles through the same API staff use: upload to the signed URL, complete
 * (which queues the transcode), create the title, give it a poster and a backdrop (stills of its
 * clip, through the image upload flow), file it in its genres and home rows, publish. Skipped when
 * the catalog already has titles. Returns how many titles it created.
 */
export async function createSampleContent(
  app: FastifyInstance,
  admin: Credentials,
  options: {
    /** Resolves when every queued job (the transcodes) has finished. */
    whenIdle: () => Promise<void>;
    log?: (line: string) => void;
    titles?: readonly SampleTitle[];
  },
): Promise<number> {
  const titles = options.titles ?? SAMPLE_TITLES;
  const log = options.log ?? (() => {});
  const call = async <T>(
    method: 'GET' | 'POST' | 'PUT',
    url: string,
    token: string | null,
    payload?: unknown,
  ): Promise<T> => {
    const res = await app.inject({
      method,
      url,
      headers: token ? { authorization: `Bearer ${token}` } : {},
      payload: payload as never,
    });
    if (res.statusCode >= 300) throw new Error(`${method} ${url} → ${res.statusCode} ${res.body}`);
    return res.json<T>();
  };

  const { accessToken } = await call<{ accessToken: string }>('POST', '/api/v1/auth/login', null, {
    identifier: admin.email,
    password: admin.password,
    tokenDelivery: 'body',
  });
  const existing = await call<{ items: unknown[] }>('GET', '/api/v1/admin/titles?limit=1', accessToken);
  if (existing.items.length > 0) return 0;

  const genres = await call<{ items: { id: string; slug: string }[] }>('GET', '/api/v1/catalog/genres', null);
  const categories = await call<{ items: { id: string; slug: string; titleIds: string[] }[] }>(
    'GET',
    '/api/v1/admin/categories',
    accessToken,
  );
  const rows = new Map(categories.items.map((c) => [c.slug, [...c.titleIds]]));

  /** A single PUT to a signed local-storage URL. */
  const put = async (upload: { url: string; headers: Record<string, string> }, bytes: Buffer) => {
    const url = new URL(upload.url);
    const res = await app.inject({
      method: 'PUT',
      url: `${url.pathname}${url.search}`,
      headers: { ...upload.headers, 'content-length': String(bytes.length) },
      payload: bytes,
    });
    if (res.statusCode !== 200) throw new Error(`sample upload failed: ${res.statusCode} ${res.body}`);
  };
  const uploadPicture = async (titleId: string, kind: 'poster' | 'backdrop', file: string) => {
    const bytes = await fs.readFile(file);
    const url = `/api/v1/admin/titles/${titleId}/images/${kind}`;
    const started = await call<{ uploadId: string; upload: { url: string; headers: Record<string, string> } }>(
      'POST',
      url,
      accessToken,
      { contentType: 'image/jpeg', size: bytes.length },
    );
    await put(started.upload, bytes);
    await call('POST', `${url}/complete`, accessToken, { uploadId: started.uploadId });
  };

  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'kf-samples-'));
  try {
    let made = 0;
    for (const sample of titles) {
      const file = await renderSampleClip(sample, dir);
      const bytes = await fs.readFile(file);
      const created = await call<{ video: { id: string }; upload: { url: string; headers: Record<string, string> } }>(
        'POST',
        '/api/v1/admin/videos',
        accessToken,
        { filename: path.basename(file), contentType: 'video/mp4', size: bytes.length, purpose: 'sample' },
      );
      await put(created.upload, bytes);
      await call('POST', `/api/v1/admin/videos/${created.video.id}/upload/complete`, accessToken);

      const title = await call<{ id: string }>('POST', '/api/v1/admin/titles', accessToken, {
        kind: 'film',
        name: sample.name,
        synopsis: sample.synopsis,
        year: sample.year,
        runtimeMinutes: 1,
        originalLanguage: sample.originalLanguage,
        audioLanguages: sample.audioLanguages,
        maturityRating: sample.maturityRating,
        accessTier: sample.accessTier,
        country: 'UG',
        tags: ['sample'],
        featured: sample.featured ?? false,
        videoId: created.video.id,
        genreIds: genres.items.filter((g) => sample.genres.includes(g.slug)).map((g) => g.id),
      });
      const stills = await renderSampleStills(file, sample, dir);
      await uploadPicture(title.id, 'poster', stills.poster);
      await uploadPicture(title.id, 'backdrop', stills.backdrop);
      for (const slug of sample.categories) rows.get(slug)?.push(title.id);
      await call('POST', `/api/v1/admin/titles/${title.id}/status`, accessToken, { status: 'published' });
      made += 1;
      log(`sample ${made}/${titles.length}: ${sample.name}`);
    }
    for (const category of categories.items) {
      const titleIds = rows.get(category.slug)!;
      if (titleIds.length !== category.titleIds.length) {
        await call('PUT', `/api/v1/admin/categories/${category.id}/titles`, accessToken, { titleIds });
      }
    }
    await options.whenIdle();
    return made;
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}
