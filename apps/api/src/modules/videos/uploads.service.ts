import { AppError, type VIDEO_PURPOSES } from '@kush/contracts';
import { type Database, uuidv7 } from '@kush/db';
import { MAX_PART_NUMBER, MIN_PART_SIZE, type ObjectStorage, videoSourceKey } from '@kush/storage';
import { decodeAfter, toPage } from '../../lib/cursor';
import type { TranscodeService } from './transcode.service';
import * as repo from './videos.repository';
import { toVideo } from './videos.mapper';

const UPLOAD_URL_SECONDS = 6 * 3600;

export interface UploadSettings {
  maxUploadBytes: number;
  /** Files up to this size go up in one PUT; larger ones in resumable parts of this size (a lost part costs little to resend). */
  partBytes: number;
}

/** Staff uploads straight to object storage: single PUT or multipart, resumable, then queued for transcoding. */
export class UploadsService {
  constructor(
    private readonly db: Database,
    private readonly storage: ObjectStorage,
    private readonly transcodes: TranscodeService,
    private readonly settings: UploadSettings,
  ) {}

  async create(
    input: { filename: string; contentType: string; size: number; purpose: (typeof VIDEO_PURPOSES)[number] },
    actorId: string,
    now = new Date(),
  ) {
    if (input.size > this.settings.maxUploadBytes) {
      throw new AppError('PAYLOAD_TOO_LARGE', `Videos can be at most ${formatBytes(this.settings.maxUploadBytes)}.`);
    }
    const id = uuidv7();
    const key = videoSourceKey(id);
    const expiresAt = new Date(now.getTime() + UPLOAD_URL_SECONDS * 1000);
    if (input.size <= this.settings.partBytes) {
      const video = await repo.insertVideo(this.db, {
        id,
        purpose: input.purpose,
        originalFilename: input.filename,
        contentType: input.contentType,
        sourceSize: input.size,
        sourceKey: key,
        uploadMode: 'single',
        createdBy: actorId,
      });
      const target = await this.storage.presignPut(key, {
        expiresInSeconds: UPLOAD_URL_SECONDS,
        contentType: input.contentType,
        contentLength: input.size,
      });
      return {
        video: toVideo(video),
        upload: {
          mode: 'single' as const,
          url: target.url,
          method: 'PUT' as const,
          headers: target.headers,
          expiresAt: target.expiresAt.toISOString(),
        },
      };
    }
    const partSize = Math.max(this.settings.partBytes, MIN_PART_SIZE, Math.ceil(input.size / MAX_PART_NUMBER));
    const uploadId = await this.storage.createMultipartUpload(key, { contentType: input.contentType });
    const video = await repo.insertVideo(this.db, {
      id,
      purpose: input.purpose,
      originalFilename: input.filename,
      contentType: input.contentType,
      sourceSize: input.size,
      sourceKey: key,
      uploadMode: 'multipart',
      uploadId,
      partSize,
      createdBy: actorId,
    });
    return {
      video: toVideo(video),
      upload: {
        mode: 'multipart' as const,
        partSize,
        partCount: Math.ceil(input.size / partSize),
        expiresAt: expiresAt.toISOString(),
      },
    };
  }

  async partUrls(videoId: string, partNumbers: number[], now = new Date()) {
    const video = await this.uploading(videoId);
    const partCount = Math.ceil(video.sourceSize / video.partSize!);
    const bad = partNumbers.filter((n) => n > partCount);
    if (bad.length)
      throw new AppError('VALIDATION_FAILED', `This upload has ${partCount} parts; part ${bad[0]} does not exist.`);
    const parts = await Promise.all(
      [...new Set(partNumbers)].map(async (partNumber) => ({
        partNumber,
        url: await this.storage.presignUploadPart(video.sourceKey, video.uploadId!, partNumber, {
          expiresInSeconds: UPLOAD_URL_SECONDS,
        }),
      })),
    );
    return { parts, expiresAt: new Date(now.getTime() + UPLOAD_URL_SECONDS * 1000).toISOString() };
  }

  /** What storage already holds, so a client can resume after a dropped connection or a reload. */
  async storedParts(videoId: string) {
    const video = await this.uploading(videoId);
    return { parts: await this.storage.listParts(video.sourceKey, video.uploadId!) };
  }

  /** Checks the object is all there with the announced size, then queues the transcode. */
  async complete(videoId: string) {
    const video = await repo.findVideo(this.db, videoId);
    if (!video) throw new AppError('NOT_FOUND', 'No such video.');
    if (video.status !== 'uploading') throw new AppError('CONFLICT', `This upload is already ${video.status}.`);
    if (video.uploadMode === 'multipart') {
      // The part list comes from storage, not from the client, so a client cannot splice in foreign parts.
      const parts = await this.storage.listParts(video.sourceKey, video.uploadId!);
      const expected = Math.ceil(video.sourceSize / video.partSize!);
      const missing = Array.from({ length: expected }, (_, i) => i + 1).filter(
        (n) => !parts.some((p) => p.partNumber === n),
      );
      if (missing.length) {
        throw new AppError('CONFLICT', `The upload is missing ${missing.length} part(s), first part ${missing[0]}.`, {
          missingParts: missing.slice(0, 100),
        });
      }
      await this.storage.completeMultipartUpload(
        video.sourceKey,
        video.uploadId!,
        parts.filter((p) => p.partNumber <= expected),
      );
    }
    const head = await this.storage.head(video.sourceKey);
    if (!head) throw new AppError('CONFLICT', 'The file has not been uploaded yet.');
    if (head.size !== video.sourceSize) {
      throw new AppError(
        'CONFLICT',
        `The uploaded file has ${head.size} bytes, not the ${video.sourceSize} announced.`,
      );
    }
    const updated = await repo.transition(this.db, video.id, ['uploading'], {
      status: 'uploaded',
      revision: 1,
      progress: 0,
    });
    if (!updated) throw new AppError('CONFLICT', 'This upload was completed by another request.');
    await this.transcodes.enqueue(video.id, 1);
    return toVideo(updated);
  }

  async abort(videoId: string) {
    const video = await repo.findVideo(this.db, videoId);
    if (!video) throw new AppError('NOT_FOUND', 'No such video.');
    if (video.status !== 'uploading') throw new AppError('CONFLICT', `This upload is already ${video.status}.`);
    if (video.uploadMode === 'multipart') await this.storage.abortMultipartUpload(video.sourceKey, video.uploadId!);
    await this.storage.delete(video.sourceKey);
    await repo.deleteVideo(this.db, video.id);
  }

  /** Transcodes again (new ladder, new settings) without touching what viewers watch until it is ready. */
  async retranscode(videoId: string) {
    const video = await repo.findVideo(this.db, videoId);
    if (!video) throw new AppError('NOT_FOUND', 'No such video.');
    if (!['ready', 'failed'].includes(video.status))
      throw new AppError('CONFLICT', `The video is ${video.status}; wait until it is ready or failed.`);
    const head = await this.storage.head(video.sourceKey);
    if (!head) throw new AppError('CONFLICT', 'The source file is gone; upload the video again.');
    const revision = video.revision + 1;
    const updated = await repo.transition(this.db, video.id, ['ready', 'failed'], {
      // Viewers keep watching the published revision (outputPrefix) until the new one is ready.
      status: 'uploaded',
      revision,
      progress: 0,
      failureCode: null,
      failureMessage: null,
    });
    if (!updated) throw new AppError('CONFLICT', 'The video changed meanwhile; try again.');
    await this.transcodes.enqueue(video.id, revision);
    return toVideo(updated, await repo.listSubtitles(this.db, video.id));
  }

  async get(videoId: string) {
    const video = await repo.findVideo(this.db, videoId);
    if (!video) throw new AppError('NOT_FOUND', 'No such video.');
    return toVideo(video, await repo.listSubtitles(this.db, video.id));
  }

  async list(query: { status?: repo.VideoRow['status']; cursor?: string; limit: number }) {
    const rows = await repo.listVideos(this.db, {
      status: query.status,
      after: decodeAfter(query.cursor),
      limit: query.limit + 1,
    });
    return toPage(
      rows,
      query.limit,
      (r) => toVideo(r),
      (r) => r,
    );
  }

  private async uploading(videoId: string) {
    const video = await repo.findVideo(this.db, videoId);
    if (!video) throw new AppError('NOT_FOUND', 'No such video.');
    if (video.status !== 'uploading') throw new AppError('CONFLICT', `This upload is already ${video.status}.`);
    if (video.uploadMode !== 'multipart') throw new AppError('CONFLICT', 'This upload is a single PUT, not multipart.');
    return video;
  }
}

function formatBytes(n: number): string {
  return n >= 1024 ** 3 ? `${Math.round(n / 1024 ** 3)} GB` : `${Math.round(n / 1024 ** 2)} MB`;
}
