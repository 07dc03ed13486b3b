import { AppError } from '@kush/contracts';
import { type Database, uuidv7 } from '@kush/db';
import { SubtitleError, toWebVtt, type TranscodeManifest } from '@kush/media';
import { isUuid, type ObjectStorage, VIDEOS_PREFIX } from '@kush/storage';
import { publishMaster } from './renditions';
import * as repo from './videos.repository';
import { toVideo } from './videos.mapper';

/** Staff-uploaded subtitles: stored as WebVTT and listed in the master playlist's SUBTITLES group. */
export class SubtitlesService {
  constructor(
    private readonly db: Database,
    private readonly storage: ObjectStorage,
  ) {}

  async upsert(videoId: string, input: { language: string; label: string; content: string }) {
    const video = await repo.findVideo(this.db, videoId);
    if (!video || !isUuid(videoId)) throw new AppError('NOT_FOUND', 'No such video.');
    let vtt: string;
    try {
      vtt = toWebVtt(input.content);
    } catch (err) {
      if (err instanceof SubtitleError)
        throw new AppError('VALIDATION_FAILED', `The subtitles could not be read: ${err.message}`);
      throw err;
    }
    const key = `${VIDEOS_PREFIX}${video.id}/subtitles/${input.language}.vtt`;
    await this.storage.put(key, vtt, { contentType: 'text/vtt; charset=utf-8' });
    await repo.upsertSubtitle(this.db, {
      id: uuidv7(),
      videoId: video.id,
      language: input.language,
      label: input.label,
      key,
    });
    const subtitles = await repo.listSubtitles(this.db, video.id);
    // A published revision gets the new track at once; a later transcode includes it too.
    if (video.outputPrefix && video.manifest) {
      await publishMaster(this.storage, video.outputPrefix, video.manifest as TranscodeManifest, subtitles);
    }
    return toVideo(video, subtitles);
  }
}
