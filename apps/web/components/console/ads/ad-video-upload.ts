'use client';
/**
 * Pre-roll uploads through the ad server's own routes (ads:manage): the file goes straight to
 * storage by presigned URLs (parts for large files, resumable after a reload), then the API queues
 * the small ad ladder. The upload itself is the console's one video uploader (../video-upload).
 */
import { api } from '@/lib/api/browser';
import type { VideoRecord } from '../types';
import { AD_VIDEO_ROUTES, formatBytes, type UploadProgress, uploadVideo } from '../video-upload';

/** The ad server takes pre-rolls up to 200 MB (AdVideoUploadBody). */
export const AD_VIDEO_MAX_BYTES = 200 * 1024 * 1024;

/** Uploads a pre-roll; resolves to the video once storage holds it and transcoding is queued. */
export async function uploadAdVideo(
  file: File,
  options: { slot: string; onProgress: (p: UploadProgress) => void; signal?: AbortSignal },
): Promise<VideoRecord> {
  if (file.size > AD_VIDEO_MAX_BYTES) {
    throw new Error(`The file is ${formatBytes(file.size)}; pre-roll files can be at most 200 MB.`);
  }
  return uploadVideo(file, null, options.slot, options.onProgress, options.signal, AD_VIDEO_ROUTES);
}

export async function getAdVideo(videoId: string, signal?: AbortSignal): Promise<VideoRecord> {
  return api<VideoRecord>(`${AD_VIDEO_ROUTES}/${videoId}`, { signal });
}
