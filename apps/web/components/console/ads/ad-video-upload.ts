'use client';
/**
 * Pre-roll uploads through the ad server's own routes (ads:manage): the file goes straight to
 * storage by the presigned URL, then the API queues the small ad ladder. Files too large for one
 * PUT come back as multipart uploads, whose part URLs only the general video routes sign
 * (uploads:manage); accounts holding that permission finish them there.
 */
import { VIDEO_CONTENT_TYPES } from '@kush/contracts';
import { api } from '@/lib/api/browser';
import type { VideoRecord } from '../types';
import { formatBytes, resumeVideo, type UploadProgress } from '../video-upload';

type CreatedUpload = {
  video: VideoRecord;
  upload:
    | { mode: 'single'; url: string; method: 'PUT'; headers: Record<string, string>; expiresAt: string }
    | { mode: 'multipart'; partSize: number; partCount: number; expiresAt: string };
};

/** The ad server takes pre-rolls up to 200 MB (AdVideoUploadBody). */
export const AD_VIDEO_MAX_BYTES = 200 * 1024 * 1024;
/** Headers a page may not set itself (the browser sends them). */
const FORBIDDEN_HEADERS = new Set(['content-length', 'host', 'connection']);

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
    xhr.onerror = () => reject(new Error('The connection dropped during the upload. Try again.'));
    xhr.onabort = () => reject(new DOMException('Upload cancelled', 'AbortError'));
    signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(body);
  });
}

/** Uploads a pre-roll; resolves to the video once storage holds it and transcoding is queued. */
export async function uploadAdVideo(
  file: File,
  options: { canUseParts: boolean; slot: string; onProgress: (p: UploadProgress) => void; signal?: AbortSignal },
): Promise<VideoRecord> {
  if (file.size > AD_VIDEO_MAX_BYTES) {
    throw new Error(`The file is ${formatBytes(file.size)}; pre-roll files can be at most 200 MB.`);
  }
  const { video, upload } = await api<CreatedUpload>('/v1/admin/ads/videos', {
    method: 'POST',
    body: { filename: file.name, contentType: contentTypeOf(file), size: file.size },
    signal: options.signal,
  });
  if (upload.mode === 'single') {
    await put(
      upload.url,
      file,
      upload.headers,
      (loaded) => options.onProgress({ sentBytes: loaded, totalBytes: file.size }),
      options.signal,
    );
    return api<VideoRecord>(`/v1/admin/ads/videos/${video.id}/upload/complete`, {
      method: 'POST',
      signal: options.signal,
    });
  }
  if (!options.canUseParts) {
    throw new Error(
      `The file is ${formatBytes(file.size)}; ad managers can upload pre-rolls up to ${formatBytes(upload.partSize)} in one go. ` +
        'Export the ad smaller (6–30 seconds at 720p fits easily), or ask someone who manages uploads.',
    );
  }
  const pending = {
    videoId: video.id,
    fileName: file.name,
    size: file.size,
    lastModified: file.lastModified,
    partSize: upload.partSize,
    partCount: upload.partCount,
  };
  return resumeVideo(file, pending, options.slot, options.onProgress, options.signal);
}

export async function getAdVideo(videoId: string, signal?: AbortSignal): Promise<VideoRecord> {
  return api<VideoRecord>(`/v1/admin/ads/videos/${videoId}`, { signal });
}
