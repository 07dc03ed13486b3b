import { type MultipartUploadInfo, type ObjectStorage } from './types';

export interface SweepOptions {
  /** Uploads initiated before this are abandoned (e.g. now minus 24 hours). */
  olderThan: Date;
  /** Only uploads whose key starts with this; usually VIDEOS_PREFIX. */
  prefix: string;
}

export interface SweepResult {
  /** Multipart uploads aborted (their parts are gone). */
  aborted: MultipartUploadInfo[];
  /** Local driver only: temporary files left by writes that crashed mid-way. */
  temporaryFilesRemoved: number;
}

interface HasTemporaryFiles {
  removeStaleTemporaryFiles(olderThan: Date): Promise<number>;
}

function hasTemporaryFiles(storage: ObjectStorage): storage is ObjectStorage & HasTemporaryFiles {
  return typeof (storage as Partial<HasTemporaryFiles>).removeStaleTemporaryFiles === 'function';
}

/**
 * Aborts multipart uploads nobody finished, so their parts stop taking space (and, on S3/R2,
 * stop being billed). Safe to run on every instance at once: aborting is idempotent. Also set a
 * lifecycle rule (AbortIncompleteMultipartUpload) on the bucket as a second net.
 */
export async function sweepAbandonedUploads(storage: ObjectStorage, options: SweepOptions): Promise<SweepResult> {
  const uploads = await storage.listMultipartUploads(options.prefix);
  const aborted: MultipartUploadInfo[] = [];
  for (const upload of uploads) {
    if (upload.initiated.getTime() >= options.olderThan.getTime()) continue;
    await storage.abortMultipartUpload(upload.key, upload.uploadId);
    aborted.push(upload);
  }
  const temporaryFilesRemoved = hasTemporaryFiles(storage)
    ? await storage.removeStaleTemporaryFiles(options.olderThan)
    : 0;
  return { aborted, temporaryFilesRemoved };
}
