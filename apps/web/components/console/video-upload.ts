'use client';
/**
 * Video uploads straight to storage by presigned URLs: one PUT for small files, parts for large
 * ones. A multipart upload survives a reload: its id and the file's name, size and last-modified
 * time (metadata, not a credential) stay in localStorage, and resuming uploads only the parts
 * storage does not already hold.
 */
import { VIDEO_CONTENT_TYPES, type VIDEO_PURPOSES } from '@kush/contracts';
import { api } from '@/lib/api/browser';
import type { VideoRecord } from './types';

export type VideoPurpose = (typeof VIDEO_PURPOSES)[number];

type CreatedUpload = {
  video: VideoRecord;
  upload:
    | { mode: 'single'; url: string; method: 'PUT'; headers: Record<string, string>; expiresAt: string }
    | { mode: 'multipart'; partSize: number; partCount: number; expiresAt: string };
};

/** Where videos are created and uploaded: titles' videos (uploads:manage) or pre-rolls (ads:manage). */
export const TITLE_VIDEO_ROUTES = '/v1/admin/videos';
export const AD_VIDEO_ROUTES = '/v1/admin/ads/videos';

/** What a reload needs to resume: never the file itself, never a token. */
export interface PendingUpload {
  videoId: string;
  /** The routes it was created under (titles' videos when absent). */
  routes?: string;
  fileName: string;
  size: number;
  lastModified: number;
  partSize: number;
  partCount: number;
}

export interface UploadProgress {
  sentBytes: number;
  totalBytes: number;
}

const STORAGE_PREFIX = 'kf-console-upload:';
const PART_CONCURRENCY = 3;
const PART_ATTEMPTS = 3;
/** Headers a page may not set itself (the browser sends them). */
const FORBIDDEN_HEADERS = new Set(['content-length', 'host', 'connection']);

export function loadPending(slot: string): PendingUpload | null {
  try {
    const raw = localStorage.getItem(STORAGE_PREFIX + slot);
    return raw ? (JSON.parse(raw) as PendingUpload) : null;
  } catch {
    return null;
  }
}

export function forgetPending(slot: string): void {
  localStorage.removeItem(STORAGE_PREFIX + slot);
}

function rememberPending(slot: string, pending: PendingUpload): void {
  localStorage.setItem(STORAGE_PREFIX + slot, JSON.stringify(pending));
}

export function sameFile(pending: PendingUpload, file: File): boolean {
  return pending.fileName === file.name && pending.size === file.size && pending.lastModified === file.lastModified;
}

function contentTypeOf(file: File): (typeof VIDEO_CONTENT_TYPES)[number] {
  return VIDEO_CONTENT_TYPES.find((t) => t === file.type) ?? 'application/octet-stream';
}

/** PUT with upload progress (fetch cannot report it); rejects on a network error or a non-2xx answer. */
function put(
  url: string,
  body: Blob,
  headers: Record<string, string>,
  onProgress: (loaded: number) => void,
  signal?: AbortSignal,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', url);
    for (const [name, value] of Object.entries(headers)) {
      if (!FORBIDDEN_HEADERS.has(name.toLowerCase())) xhr.setRequestHeader(name, value);
    }
    xhr.upload.onprogress = (e) => onProgress(e.loaded);
    xhr.onload = () =>
      xhr.status >= 200 && xhr.status < 300
        ? resolve()
        : reject(new Error(`Storage refused the upload (HTTP ${xhr.status}).`));
    xhr.onerror = () => reject(new Error('The connection dropped during the upload.'));
    xhr.onabort = () => reject(new DOMException('Upload cancelled', 'AbortError'));
    signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(body);
  });
}

async function putWithRetries(
  url: string,
  body: Blob,
  headers: Record<string, string>,
  onProgress: (loaded: number) => void,
  signal?: AbortSignal,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await put(url, body, headers, onProgress, signal);
    } catch (error) {
      if (signal?.aborted || attempt >= PART_ATTEMPTS) throw error;
      onProgress(0);
      // Mobile connections drop for a moment; wait a little longer each time.
      await new Promise((resolve) => setTimeout(resolve, 1000 * attempt));
    }
  }
}

/** Uploads the parts storage does not hold yet, a few at a time. */
async function uploadMissingParts(
  file: File,
  pending: PendingUpload,
  onProgress: (p: UploadProgress) => void,
  signal?: AbortSignal,
): Promise<void> {
  const routes = pending.routes ?? TITLE_VIDEO_ROUTES;
  const stored = await api<{ parts: { partNumber: number; size: number }[] }>(
    `${routes}/${pending.videoId}/upload/parts`,
    { signal },
  );
  const expectedSize = (n: number) => Math.min(pending.partSize, pending.size - (n - 1) * pending.partSize);
  const done = new Set(stored.parts.filter((p) => p.size === expectedSize(p.partNumber)).map((p) => p.partNumber));
  const missing = Array.from({ length: pending.partCount }, (_, i) => i + 1).filter((n) => !done.has(n));

  const inFlight = new Map<number, number>();
  let doneBytes = [...done].reduce((sum, n) => sum + expectedSize(n), 0);
  const report = () =>
    onProgress({ sentBytes: doneBytes + [...inFlight.values()].reduce((a, b) => a + b, 0), totalBytes: pending.size });
  report();

  // URLs in batches (the API signs at most 100 per call), parts with a few uploads in flight.
  for (let i = 0; i < missing.length; i += 100) {
    const batch = missing.slice(i, i + 100);
    const { parts } = await api<{ parts: { partNumber: number; url: string }[] }>(
      `${routes}/${pending.videoId}/upload/parts`,
      { method: 'POST', body: { partNumbers: batch }, signal },
    );
    const queue = [...parts];
    const worker = async () => {
      for (let part = queue.shift(); part; part = queue.shift()) {
        const start = (part.partNumber - 1) * pending.partSize;
        const number = part.partNumber;
        await putWithRetries(
          part.url,
          file.slice(start, start + expectedSize(number)),
          {},
          (loaded) => {
            inFlight.set(number, loaded);
            report();
          },
          signal,
        );
        inFlight.delete(number);
        doneBytes += expectedSize(number);
        report();
      }
    };
    await Promise.all(Array.from({ length: Math.min(PART_CONCURRENCY, queue.length) }, worker));
  }
}

async function complete(videoId: string, routes = TITLE_VIDEO_ROUTES): Promise<VideoRecord> {
  return api<VideoRecord>(`${routes}/${videoId}/upload/complete`, { method: 'POST' });
}

/** Uploads a new file; resolves to the video once storage holds it all and transcoding is queued. */
export async function uploadVideo(
  file: File,
  purpose: VideoPurpose | null,
  slot: string,
  onProgress: (p: UploadProgress) => void,
  signal?: AbortSignal,
  routes = TITLE_VIDEO_ROUTES,
): Promise<VideoRecord> {
  const created = await api<CreatedUpload>(routes, {
    method: 'POST',
    body: {
      filename: file.name,
      contentType: contentTypeOf(file),
      size: file.size,
      ...(purpose ? { purpose } : {}),
    },
    signal,
  });
  const { upload, video } = created;
  if (upload.mode === 'single') {
    await putWithRetries(
      upload.url,
      file,
      upload.headers,
      (loaded) => onProgress({ sentBytes: loaded, totalBytes: file.size }),
      signal,
    );
    return complete(video.id, routes);
  }
  const pending: PendingUpload = {
    videoId: video.id,
    routes,
    fileName: file.name,
    size: file.size,
    lastModified: file.lastModified,
    partSize: upload.partSize,
    partCount: upload.partCount,
  };
  rememberPending(slot, pending);
  await uploadMissingParts(file, pending, onProgress, signal);
  const done = await complete(video.id, routes);
  forgetPending(slot);
  return done;
}

/** Finishes an interrupted multipart upload with the same file picked again. */
export async function resumeVideo(
  file: File,
  pending: PendingUpload,
  slot: string,
  onProgress: (p: UploadProgress) => void,
  signal?: AbortSignal,
): Promise<VideoRecord> {
  if (!sameFile(pending, file)) {
    throw new Error(`That is not the same file: pick “${pending.fileName}” (${formatBytes(pending.size)}).`);
  }
  await uploadMissingParts(file, pending, onProgress, signal);
  const done = await complete(pending.videoId, pending.routes);
  forgetPending(slot);
  return done;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}
