import { renderMasterPlaylist, renderSubtitlePlaylist, type TranscodeManifest } from '@kush/media';
import { type ObjectStorage, readObject } from '@kush/storage';
import type { SubtitleRow } from './videos.repository';

/** Segments never change once written; playlists and images of a revision don't either. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';
const PLAYLIST = 'public, max-age=60';

export function contentTypeOf(path: string): string {
  if (path.endsWith('.m3u8')) return 'application/vnd.apple.mpegurl';
  if (path.endsWith('.m4s')) return 'video/iso.segment';
  if (path.endsWith('.mp4')) return 'video/mp4';
  if (path.endsWith('.vtt')) return 'text/vtt; charset=utf-8';
  if (path.endsWith('.webp')) return 'image/webp';
  if (path.endsWith('.jpg') || path.endsWith('.jpeg')) return 'image/jpeg';
  return 'application/octet-stream';
}

export function cacheControlOf(path: string): string {
  return path.endsWith('.m3u8') ? PLAYLIST : IMMUTABLE;
}

/**
 * Writes each subtitle's playlist and WebVTT into a published revision and renders its master
 * playlist with a SUBTITLES group. Used after a transcode and whenever staff change subtitles.
 */
export async function publishMaster(
  storage: ObjectStorage,
  outputPrefix: string,
  manifest: TranscodeManifest,
  subtitles: SubtitleRow[],
): Promise<void> {
  const tracks = [];
  for (const s of subtitles) {
    await storage.put(`${outputPrefix}subs/${s.language}.vtt`, await readObject(storage, s.key), {
      contentType: contentTypeOf('.vtt'),
      cacheControl: PLAYLIST,
    });
    await storage.put(
      `${outputPrefix}subs/${s.language}.m3u8`,
      renderSubtitlePlaylist(manifest.durationSeconds, `${s.language}.vtt`),
      {
        contentType: contentTypeOf('.m3u8'),
        cacheControl: PLAYLIST,
      },
    );
    tracks.push({
      language: s.language,
      name: s.label,
      playlist: `subs/${s.language}.m3u8`,
      vtt: `subs/${s.language}.vtt`,
    });
  }
  await storage.put(
    `${outputPrefix}${manifest.master}`,
    renderMasterPlaylist({ variants: manifest.renditions, subtitles: tracks }),
    {
      contentType: contentTypeOf('.m3u8'),
      cacheControl: PLAYLIST,
    },
  );
}
