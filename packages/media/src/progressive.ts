import { createReadStream, createWriteStream } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { mediaBinaries } from './binaries';
import { variantPlaylistPath } from './hls';
import { type RungSpec } from './ladder';
import { parseMediaPlaylist } from './master';
import { runMediaProcess } from './run';

/**
 * Ad pre-rolls last 6–30 s and are watched before the film the viewer asked for, on the viewer's
 * data: three small rungs only, with audio at speech rates.
 */
export const AD_LADDER: readonly RungSpec[] = [
  { label: 144, videoKbps: 110, audioKbps: 48, profile: 'main' },
  { label: 240, videoKbps: 250, audioKbps: 64, profile: 'main' },
  { label: 360, videoKbps: 450, audioKbps: 64, profile: 'main' },
];

/** Where a rendition's single progressive MP4 lives, relative to the transcode's outputDir. */
export const progressiveFilePath = (r: { name: string }) => `${r.name}/progressive.mp4`;

/**
 * Remuxes each HLS rendition (init segment + fMP4 segments, already encoded) into one progressive
 * MP4 with the index up front, without re-encoding: what VAST players expect in a MediaFile.
 */
export async function writeProgressiveFiles(
  outputDir: string,
  renditions: readonly { name: string }[],
  options: { ffmpegPath?: string; timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<string[]> {
  const ffmpeg = options.ffmpegPath ?? (await mediaBinaries()).ffmpeg;
  const written: string[] = [];
  for (const r of renditions) {
    const dir = join(outputDir, r.name);
    const playlist = parseMediaPlaylist(await readFile(join(outputDir, variantPlaylistPath(r)), 'utf8'));
    if (!playlist.map) throw new Error(`rendition ${r.name} has no init segment`);
    const joined = join(dir, 'joined.tmp.mp4');
    const out = createWriteStream(joined);
    for (const part of [playlist.map, ...playlist.segments.map((s) => s.uri)]) {
      await pipeline(createReadStream(join(dir, part)), out, { end: false });
    }
    await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
    try {
      await runMediaProcess(
        ffmpeg,
        [
          ...['-hide_banner', '-nostdin', '-y', '-v', 'error', '-f', 'mov', '-i', joined],
          ...[
            '-map',
            '0',
            '-c',
            'copy',
            '-movflags',
            '+faststart',
            '-f',
            'mp4',
            join(outputDir, progressiveFilePath(r)),
          ],
        ],
        { timeoutMs: options.timeoutMs ?? 120_000, signal: options.signal, captureStdout: false },
      );
    } finally {
      await rm(joined, { force: true });
    }
    written.push(progressiveFilePath(r));
  }
  return written;
}
