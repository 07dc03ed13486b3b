import type { SignedIn } from './factories';
import type { TestApp } from './harness';

/** The path and query of an absolute URL the API handed out, for app.inject. */
export const localPath = (url: string) => {
  const u = new URL(url);
  return `${u.pathname}${u.search}`;
};

export interface CreatedUploadBody {
  video: { id: string; status: string };
  upload: { mode: string; url?: string; headers?: Record<string, string>; partSize?: number; partCount?: number };
}

export async function createUpload(
  t: TestApp,
  staff: SignedIn,
  size: number,
  filename = 'film.mp4',
  contentType = 'video/mp4',
) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/admin/videos',
    headers: staff.auth,
    payload: { filename, contentType, size },
  });
  if (res.statusCode !== 201) throw new Error(`create upload: ${res.statusCode} ${res.body}`);
  return res.json<CreatedUploadBody>();
}

/** A single-PUT upload to the signed local-storage URL, completed: the transcode job is queued. */
export async function uploadAndComplete(t: TestApp, staff: SignedIn, bytes: Buffer, filename = 'film.mp4') {
  const created = await createUpload(t, staff, bytes.length, filename);
  if (created.upload.mode !== 'single') throw new Error('expected a single-PUT upload');
  const put = await t.app.inject({
    method: 'PUT',
    url: localPath(created.upload.url!),
    headers: { ...created.upload.headers, 'content-length': String(bytes.length) },
    payload: bytes,
  });
  if (put.statusCode !== 200) throw new Error(`upload: ${put.statusCode} ${put.body}`);
  const done = await t.app.inject({
    method: 'POST',
    url: `/api/v1/admin/videos/${created.video.id}/upload/complete`,
    headers: staff.auth,
  });
  if (done.statusCode !== 200) throw new Error(`complete: ${done.statusCode} ${done.body}`);
  return created.video.id;
}
