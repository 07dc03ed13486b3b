import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context';
import { SubtitlesService } from './subtitles.service';
import { DEFAULT_TRANSCODE_SETTINGS, TranscodeService } from './transcode.service';
import { UploadsService } from './uploads.service';
import { videosRoutes } from './videos.routes';

export { TranscodeService } from './transcode.service';
export type { UploadsService } from './uploads.service';

export function transcodeServiceFor(ctx: AppContext): TranscodeService {
  return new TranscodeService(ctx.db.db, ctx.storage, ctx.infra.queue, {
    ...DEFAULT_TRANSCODE_SETTINGS,
    preset: ctx.config.TRANSCODE_PRESET,
    ffmpegPath: ctx.config.FFMPEG_PATH,
    ffprobePath: ctx.config.FFPROBE_PATH,
  });
}

/** Uploads straight to storage, then transcoding; the ads module uploads its pre-rolls through it too. */
export function uploadsServiceFor(ctx: AppContext): UploadsService {
  return new UploadsService(ctx.db.db, ctx.storage, transcodeServiceFor(ctx), {
    maxUploadBytes: ctx.config.MAX_UPLOAD_BYTES,
    partBytes: ctx.config.UPLOAD_PART_BYTES,
  });
}

/** Staff video uploads (straight to storage), transcoding state, re-transcodes and subtitles. */
export async function videosModule(app: FastifyInstance, { ctx }: { ctx: AppContext }): Promise<void> {
  const uploads = uploadsServiceFor(ctx);
  await app.register(videosRoutes, {
    prefix: '/api/v1/admin/videos',
    uploads,
    subtitles: new SubtitlesService(ctx.db.db, ctx.storage),
  });
}

/** The worker side: transcode jobs and the reconciler. */
export function processVideoJobs(ctx: AppContext): void {
  const transcodes = transcodeServiceFor(ctx);
  // ffmpeg already uses both cores; one transcode at a time per worker process.
  ctx.infra.queue.process('video.transcode', (job) => transcodes.run(job), { concurrency: 1 });
  ctx.infra.queue.process('videos.reconcile', async () => {
    await transcodes.reconcile();
  });
}
