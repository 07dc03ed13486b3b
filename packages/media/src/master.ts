/**
 * Reading back what ffmpeg produced and writing the master playlist ourselves. ffmpeg's own master
 * is not used: its BANDWIDTH is the configured bitrate, not what was produced, and it cannot order
 * variants for a slow start or list our subtitle tracks.
 */
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { AUDIO_CODEC } from './ladder';
import { readBytes } from './sniff';

export interface MediaSegment {
  uri: string;
  durationSeconds: number;
}

export interface MediaPlaylist {
  targetDuration: number;
  map?: string;
  segments: MediaSegment[];
}

/** Parses the subset of a media playlist the HLS muxer writes. */
export function parseMediaPlaylist(text: string): MediaPlaylist {
  const lines = text.split(/\r?\n/).map((l) => l.trim());
  if (lines[0] !== '#EXTM3U') throw new Error('not an HLS playlist');
  let targetDuration = 0;
  let map: string | undefined;
  let pending: number | undefined;
  const segments: MediaSegment[] = [];
  for (const line of lines) {
    if (line.startsWith('#EXT-X-TARGETDURATION:')) targetDuration = Number(line.slice(22));
    else if (line.startsWith('#EXT-X-MAP:')) map = /URI="([^"]*)"/.exec(line)?.[1];
    else if (line.startsWith('#EXTINF:')) pending = Number.parseFloat(line.slice(8));
    else if (line && !line.startsWith('#')) {
      if (pending === undefined || !Number.isFinite(pending)) throw new Error('segment without a valid #EXTINF');
      segments.push({ uri: line, durationSeconds: pending });
      pending = undefined;
    }
  }
  return { targetDuration, map, segments };
}

/** Only plain file names next to the playlist: nothing in our playlists may point elsewhere. */
const SAFE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

export interface RenditionMeasurement {
  /** Peak segment bitrate (bits/s, audio included), i.e. HLS BANDWIDTH. */
  peakBitrate: number;
  /** Average bitrate over all media segments, i.e. HLS AVERAGE-BANDWIDTH. */
  averageBitrate: number;
  /** Bytes a viewer downloads to watch the whole video at this quality: init + all segments. */
  totalBytes: number;
  durationSeconds: number;
  segmentCount: number;
  segmentDurations: number[];
  segmentBitrates: number[];
  /** RFC 6381 codecs read from the init segment. */
  codecs?: string;
}

/** Reads the avcC box of an init segment: "avc1.PPCCLL", plus the AAC codec when audio is present. */
export function codecsFromInitSegment(init: Buffer): string | undefined {
  const avcC = init.indexOf('avcC');
  if (avcC < 0 || avcC + 8 > init.length) return undefined;
  const video = `avc1.${init.subarray(avcC + 5, avcC + 8).toString('hex')}`;
  return init.includes('mp4a') ? `${video},${AUDIO_CODEC}` : video;
}

/**
 * Makes a variant playlist self-contained (its init segment referenced as "init.mp4" rather than
 * "../vNNN/init.mp4") and checks every URI in it is a plain file name in the same directory.
 */
export async function normalizeVariantPlaylist(outputDir: string, name: string): Promise<MediaPlaylist> {
  const path = join(outputDir, name, 'index.m3u8');
  let text = await readFile(path, 'utf8');
  text = text.replace(`#EXT-X-MAP:URI="../${name}/init.mp4"`, '#EXT-X-MAP:URI="init.mp4"');
  const playlist = parseMediaPlaylist(text);
  for (const uri of [playlist.map, ...playlist.segments.map((s) => s.uri)]) {
    if (uri !== undefined && !SAFE_NAME.test(uri)) throw new Error(`unexpected URI in ${name}/index.m3u8`);
  }
  await writeFile(path, text);
  return playlist;
}

/**
 * Measures a rendition from its playlist and files. The peak ignores a final segment shorter than
 * half the target duration: a sub-second tail (often one keyframe) would report a meaningless
 * peak and push players down a rung for the whole video.
 */
export async function measureRendition(outputDir: string, name: string): Promise<RenditionMeasurement> {
  const dir = join(outputDir, name);
  const playlist = parseMediaPlaylist(await readFile(join(dir, 'index.m3u8'), 'utf8'));
  if (playlist.segments.length === 0) throw new Error(`${name} has no segments`);
  let totalBytes = 0;
  let codecs: string | undefined;
  if (playlist.map) {
    const initPath = join(dir, playlist.map);
    totalBytes += (await stat(initPath)).size;
    codecs = codecsFromInitSegment(await readBytes(initPath, 0, 64 * 1024));
  }
  const segmentBitrates: number[] = [];
  let segmentBytes = 0;
  let durationSeconds = 0;
  for (const segment of playlist.segments) {
    const size = (await stat(join(dir, segment.uri))).size;
    segmentBytes += size;
    durationSeconds += segment.durationSeconds;
    segmentBitrates.push(segment.durationSeconds > 0 ? (size * 8) / segment.durationSeconds : 0);
  }
  totalBytes += segmentBytes;
  const target = playlist.targetDuration || Math.max(...playlist.segments.map((s) => s.durationSeconds));
  const forPeak = segmentBitrates.filter(
    (_, i) => i < segmentBitrates.length - 1 || playlist.segments[i]!.durationSeconds >= target / 2 || i === 0,
  );
  const averageBitrate = Math.ceil((segmentBytes * 8) / durationSeconds);
  return {
    peakBitrate: Math.max(averageBitrate, Math.ceil(Math.max(...forPeak))),
    averageBitrate,
    totalBytes,
    durationSeconds,
    segmentCount: playlist.segments.length,
    segmentDurations: playlist.segments.map((s) => s.durationSeconds),
    segmentBitrates: segmentBitrates.map((b) => Math.round(b)),
    codecs,
  };
}

export interface MasterVariant {
  /** URI of the variant playlist relative to the master: "v360/index.m3u8". */
  playlist: string;
  nominalHeight: number;
  width: number;
  height: number;
  bandwidth: number;
  averageBandwidth: number;
  codecs: string;
  frameRate: number;
}

export interface SubtitleTrack {
  /** BCP 47 tag: "en", "lg", "sw". */
  language: string;
  /** Shown in the player's menu: "English", "Luganda". */
  name: string;
  /** URI of the subtitle playlist relative to the master: "subs/en.m3u8". */
  playlist: string;
  /** The WebVTT file, relative to outputDir: "subs/en.vtt". */
  vtt: string;
}

/**
 * The rung a player that starts on the first variant (hls.js without a configured startLevel,
 * Safari) starts on. 240p is about 250 + 64 kbps: on a ~700 kbps link a 4 s segment arrives in
 * under 2 s, so playback starts quickly and the buffer grows while the player measures the link
 * and climbs. 360p (~600 kbps average, higher peaks) would take about as long to fetch as it takes
 * to play, so start-up would stall on exactly the links we care about.
 */
export const START_RUNG = 240;

/** Start rung first (or the lowest rung when the source is smaller), then the rest ascending. */
export function orderVariants<T extends Pick<MasterVariant, 'nominalHeight' | 'bandwidth'>>(
  variants: readonly T[],
  startRung = START_RUNG,
): T[] {
  const ascending = [...variants].sort((a, b) => a.nominalHeight - b.nominalHeight || a.bandwidth - b.bandwidth);
  const start = ascending.filter((v) => v.nominalHeight <= startRung).pop() ?? ascending[0];
  return start ? [start, ...ascending.filter((v) => v !== start)] : [];
}

const quoted = (value: string) => `"${value.replace(/["\r\n]/g, '')}"`;

export interface MasterPlaylistInput {
  variants: readonly MasterVariant[];
  subtitles?: readonly SubtitleTrack[];
  startRung?: number;
}

export function renderMasterPlaylist({ variants, subtitles = [], startRung }: MasterPlaylistInput): string {
  if (variants.length === 0) throw new Error('a master playlist needs at least one variant');
  const lines = ['#EXTM3U', '#EXT-X-VERSION:7', '#EXT-X-INDEPENDENT-SEGMENTS'];
  for (const s of subtitles) {
    lines.push(
      `#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="subs",LANGUAGE=${quoted(s.language)},NAME=${quoted(s.name)},` +
        `DEFAULT=NO,AUTOSELECT=YES,URI=${quoted(s.playlist)}`,
    );
  }
  for (const v of orderVariants(variants, startRung)) {
    const attributes = [
      `BANDWIDTH=${Math.ceil(Math.max(v.bandwidth, v.averageBandwidth))}`,
      `AVERAGE-BANDWIDTH=${Math.ceil(v.averageBandwidth)}`,
      `RESOLUTION=${v.width}x${v.height}`,
      `FRAME-RATE=${v.frameRate.toFixed(3)}`,
      `CODECS=${quoted(v.codecs)}`,
      ...(subtitles.length > 0 ? ['SUBTITLES="subs"'] : []),
    ];
    lines.push(`#EXT-X-STREAM-INF:${attributes.join(',')}`, v.playlist);
  }
  return `${lines.join('\n')}\n`;
}

export const MASTER_PLAYLIST = 'master.m3u8';

/** Writes master.m3u8 into outputDir and returns its path relative to outputDir. */
export async function writeMasterPlaylist(outputDir: string, input: MasterPlaylistInput): Promise<string> {
  for (const uri of [...input.variants.map((v) => v.playlist), ...(input.subtitles ?? []).map((s) => s.playlist)]) {
    if (posix.isAbsolute(uri) || uri.split('/').some((part) => !SAFE_NAME.test(part))) {
      throw new Error(`unsafe URI in master playlist: ${uri}`);
    }
  }
  await writeFile(join(outputDir, MASTER_PLAYLIST), renderMasterPlaylist(input));
  return MASTER_PLAYLIST;
}
