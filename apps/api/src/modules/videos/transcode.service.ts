import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { JobPayloads } from '@kush/contracts';
import type { Database } from '@kush/db';
import type { JobContext, JobQueue } from '@kush/infra';
import {
  AD_LADDER,
  isMediaRefusedError,
  ladderFor,
  probeMedia,
  transcode,
  type TranscodeManifest,
  writeProgressiveFiles,
} from '@kush/media';
import {
  type ObjectStorage,
  sweepAbandonedUploads,
  transcodeStagingPrefix,
  VIDEOS_PREFIX,
  videoOutputPrefix,
} from '@kush/storage';
import { cacheControlOf, contentTypeOf, publishMaster } from './renditions';
import * as repo from './videos.repository';

export interface TranscodeSettings {
  preset: 'ultrafast' | 'superfast' | 'veryfast' | 'faster' | 'fast' | 'medium' | 'slow';
  ffmpegPath?: string;
  ffprobePath?: string;
  /** Total tries of one transcode job; the last failure marks the video failed. */
  attempts: number;
  /** A running transcode refreshes its heartbeat more often than this; older means its worker died. */
  staleAfterMs: number;
  /** Uploads never completed for this long are removed. */
  abandonedUploadMs: number;
}

export const DEFAULT_TRANSCODE_SETTINGS: TranscodeSettings = {
  preset: 'veryfast',
  attempts: 3,
  staleAfterMs: 2 * 60_000,
  abandonedUploadMs: 24 * 3600_000,
};

const HEARTBEAT_MS = 5_000;

/**
 * Turns an uploaded source into a published HLS revision. The video row is the durable state: the
 * job can die at any point and the reconciler starts it again; outputs are written under a staging
 * prefix and published with one copy at the end, so viewers never see half a revision.
 */
export class TranscodeService {
  constructor(
    private readonly db: Database,
    private readonly storage: ObjectStorage,
    private readonly queue: JobQueue<JobPayloads>,
    private readonly settings: TranscodeSettings = DEFAULT_TRANSCODE_SETTINGS,
  ) {}

  enqueue(videoId: string, revision: number) {
    return this.queue.enqueue(
      'video.transcode',
      { videoId, revision },
      { jobId: `transcode-${videoId}-r${revision}`, attempts: this.settings.attempts, backoffMs: 5_000 },
    );
  }

  async run(job: JobContext<JobPayloads['video.transcode']>): Promise<void> {
    const { videoId, revision } = job.data;
    const current = await repo.findVideo(this.db, videoId);
    // Superseded by a newer revision, deleted, or already published: nothing to do.
    if (!current || current.revision !== revision) return;
    const target = videoOutputPrefix(videoId, revision);
    if (current.outputPrefix === target) return;
    const claimed = await repo.transition(
      this.db,
      videoId,
      ['uploaded', 'processing', 'ready'],
      {
        status: 'processing',
        processingStartedAt: new Date(),
        heartbeatAt: new Date(),
        attempts: current.attempts + 1,
        progress: 0,
      },
      revision,
    );
    if (!claimed) return;

    const work = await fs.mkdtemp(path.join(os.tmpdir(), `kf-transcode-${videoId}-`));
    const staging = transcodeStagingPrefix(videoId, randomUUID());
    let lastBeat = 0;
    const beat = async (progress?: number) => {
      if (Date.now() - lastBeat < HEARTBEAT_MS) return;
      lastBeat = Date.now();
      await repo.updateVideo(this.db, videoId, {
        heartbeatAt: new Date(),
        ...(progress === undefined ? {} : { progress }),
      });
      if (progress !== undefined) await job.progress(progress);
    };
    try {
      const source = path.join(work, 'source');
      await this.storage.downloadToFile(claimed.sourceKey, source);
      const probe = await probeMedia(source, { ffprobePath: this.settings.ffprobePath });
      await repo.updateVideo(this.db, videoId, {
        probe,
        durationSeconds: probe.durationSeconds,
        width: probe.width,
        height: probe.height,
      });

      const out = path.join(work, 'out');
      const manifest = await transcode({
        input: source,
        outputDir: out,
        probe,
        preset: this.settings.preset,
        ffmpegPath: this.settings.ffmpegPath,
        // Ads get a small ladder, plus one progressive MP4 per rung for VAST players.
        ladder: claimed.purpose === 'ad' ? ladderFor(probe, AD_LADDER) : undefined,
        // Transcoding is 90% of the work; uploading the outputs is the rest.
        onProgress: (p) => void beat(Math.min(90, Math.floor(p.percent * 0.9))).catch(() => undefined),
      });
      if (claimed.purpose === 'ad') {
        await writeProgressiveFiles(out, manifest.renditions, { ffmpegPath: this.settings.ffmpegPath });
      }

      const files = await listFiles(out);
      let done = 0;
      for (const file of files) {
        await this.storage.putFile(`${staging}${file}`, path.join(out, file), {
          contentType: contentTypeOf(file),
          cacheControl: cacheControlOf(file),
        });
        done += 1;
        await beat(90 + Math.floor((done / files.length) * 9));
      }
      await this.storage.copyPrefix(staging, target);
      await publishMaster(this.storage, target, manifest, await repo.listSubtitles(this.db, videoId));

      const published = await repo.transition(
        this.db,
        videoId,
        ['processing'],
        {
          status: 'ready',
          outputPrefix: target,
          manifest,
          durationSeconds: manifest.durationSeconds,
          progress: 100,
          readyAt: new Date(),
          heartbeatAt: new Date(),
          failureCode: null,
          failureMessage: null,
        },
        revision,
      );
      if (!published) {
        // A newer revision took over meanwhile: this one is not what viewers should see.
        await this.storage.deletePrefix(target);
        return;
      }
      if (current.outputPrefix && current.outputPrefix !== target)
        await this.storage.deletePrefix(current.outputPrefix);
    } catch (err) {
      if (isMediaRefusedError(err)) {
        // A bad file stays bad: record why for staff and do not retry.
        await repo.transition(
          this.db,
          videoId,
          ['processing'],
          { status: 'failed', failureCode: err.code, failureMessage: err.message, progress: 0 },
          revision,
        );
        return;
      }
      if (job.attempt >= this.settings.attempts) {
        await repo.transition(
          this.db,
          videoId,
          ['processing'],
          {
            status: 'failed',
            failureCode: 'transcode_failed',
            failureMessage: 'Transcoding failed several times. Try re-transcoding, or upload the file again.',
          },
          revision,
        );
        return;
      }
      throw err;
    } finally {
      await this.storage.deletePrefix(staging).catch(() => undefined);
      await fs.rm(work, { recursive: true, force: true });
    }
  }

  /**
   * Finds transcodes whose worker died (stale heartbeat) and uploads waiting for a job, and queues
   * them again; removes uploads abandoned for a day. Safe to run on every instance at once.
   */
  async reconcile(now = new Date()): Promise<{ requeued: number; abandoned: number }> {
    const stalled = await repo.findStalled(this.db, new Date(now.getTime() - this.settings.staleAfterMs));
    for (const video of stalled) await this.enqueue(video.id, video.revision);
    const abandoned = await repo.findAbandonedUploads(
      this.db,
      new Date(now.getTime() - this.settings.abandonedUploadMs),
    );
    for (const video of abandoned) {
      if (video.uploadMode === 'multipart' && video.uploadId)
        await this.storage.abortMultipartUpload(video.sourceKey, video.uploadId);
      await this.storage.delete(video.sourceKey);
      await repo.deleteVideo(this.db, video.id);
    }
    await sweepAbandonedUploads(this.storage, {
      olderThan: new Date(now.getTime() - this.settings.abandonedUploadMs),
      prefix: VIDEOS_PREFIX,
    });
    return { requeued: stalled.length, abandoned: abandoned.length };
  }
}

async function listFiles(root: string, dir = ''): Promise<string[]> {
  const entries = await fs.readdir(path.join(root, dir), { withFileTypes: true });
  const files: string[] = [];
  for (const e of entries) {
    const rel = dir ? `${dir}/${e.name}` : e.name;
    if (e.isDirectory()) files.push(...(await listFiles(root, rel)));
    else files.push(rel);
  }
  return files.sort();
}

export type { TranscodeManifest };
