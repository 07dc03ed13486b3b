import { makeImage } from '@kush/media/image-fixtures';
import type { ObjectStorage } from '@kush/storage';
import type { SignedIn } from './factories';
import type { TestApp } from './harness';
import { localPath } from './uploads';

export interface StartedImageUpload {
  uploadId: string;
  upload: { url: string; method: 'PUT'; headers: Record<string, string>; expiresAt: string };
}

/** `/api/v1/admin/titles/<id>/images/poster` and the like. */
export const titleImagePath = (titleId: string, kind: 'poster' | 'backdrop') =>
  `/api/v1/admin/titles/${titleId}/images/${kind}`;
export const personPhotoPath = (personId: string) => `/api/v1/admin/people/${personId}/images/photo`;
export const episodeStillPath = (episodeId: string) => `/api/v1/admin/episodes/${episodeId}/images/still`;

export async function startImageUpload(
  t: TestApp,
  staff: SignedIn,
  path: string,
  size: number,
  contentType = 'image/jpeg',
): Promise<StartedImageUpload> {
  const res = await t.app.inject({ method: 'POST', url: path, headers: staff.auth, payload: { contentType, size } });
  if (res.statusCode !== 201) throw new Error(`start image upload: ${res.statusCode} ${res.body}`);
  return res.json<StartedImageUpload>();
}

/** PUTs the bytes to the presigned URL: the API's storage route locally, the bucket on S3. */
export async function putImage(t: TestApp, started: StartedImageUpload, bytes: Buffer): Promise<void> {
  const { url, headers } = started.upload;
  if (t.ctx.storage.driver === 'local') {
    const put = await t.app.inject({
      method: 'PUT',
      url: localPath(url),
      headers: { ...headers, 'content-length': String(bytes.length) },
      payload: bytes,
    });
    if (put.statusCode !== 200) throw new Error(`image PUT: ${put.statusCode} ${put.body}`);
  } else {
    const put = await fetch(url, { method: 'PUT', headers, body: new Uint8Array(bytes) });
    if (put.status !== 200) throw new Error(`image PUT: ${put.status} ${await put.text()}`);
  }
}

export function completeImageUpload(t: TestApp, staff: SignedIn, path: string, uploadId: string) {
  return t.app.inject({ method: 'POST', url: `${path}/complete`, headers: staff.auth, payload: { uploadId } });
}

/** The whole flow: start, PUT, complete. Returns the completion's response (200 with the title, or an error). */
export async function uploadImage(
  t: TestApp,
  staff: SignedIn,
  path: string,
  bytes: Buffer,
  contentType = 'image/jpeg',
) {
  const started = await startImageUpload(t, staff, path, bytes.length, contentType);
  await putImage(t, started, bytes);
  return completeImageUpload(t, staff, path, started.uploadId);
}

/** Gives a title a small rendered poster or backdrop through the staff flow. */
export async function setTitleImage(
  t: TestApp,
  staff: SignedIn,
  titleId: string,
  kind: 'poster' | 'backdrop' = 'poster',
): Promise<void> {
  const bytes = kind === 'poster' ? await makeImage('jpeg', 320, 480) : await makeImage('jpeg', 640, 360);
  const res = await uploadImage(t, staff, titleImagePath(titleId, kind), bytes);
  if (res.statusCode !== 200) throw new Error(`set ${kind}: ${res.statusCode} ${res.body}`);
}

/** Every key under a prefix. */
export async function keysUnder(storage: ObjectStorage, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const object of storage.list(prefix)) keys.push(object.key);
  return keys;
}

/** The path and query of an image URL a response carries, for app.inject. */
export const pathOf = (url: string) => {
  const u = new URL(url);
  return `${u.pathname}${u.search}`;
};
