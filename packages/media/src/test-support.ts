/**
 * Test fixtures generated at test time with ffmpeg's lavfi sources (nothing binary is committed),
 * plus the hostile files the hardening tests feed to the pipeline.
 */
import { copyFile, mkdtemp, readdir, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { locateBinary } from './binaries';
import { runMediaProcess } from './run';

export async function tempDir(prefix = 'kush-media-'): Promise<{ path: string; cleanup: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, cleanup: () => rm(path, { recursive: true, force: true }) };
}

let ffmpegPath: Promise<string> | undefined;
export const testFfmpeg = () => (ffmpegPath ??= locateBinary('ffmpeg').then((b) => b.path));
let ffprobePath: Promise<string> | undefined;
export const testFfprobe = () => (ffprobePath ??= locateBinary('ffprobe').then((b) => b.path));

/** Runs ffmpeg to make a fixture (lavfi inputs are fine here: these are our own test sources). */
export async function ffmpegFixture(args: string[]): Promise<void> {
  await runMediaProcess(await testFfmpeg(), ['-hide_banner', '-nostdin', '-y', '-v', 'error', ...args], {
    timeoutMs: 60_000,
    lowPriority: false,
    captureStdout: false,
  });
}

const video = (size: string, rate: number, seconds: number) => [
  '-f',
  'lavfi',
  '-i',
  `testsrc2=size=${size}:rate=${rate}:duration=${seconds}`,
];
const tone = (seconds: number, channels = 2) => [
  '-f',
  'lavfi',
  '-i',
  `sine=frequency=440:sample_rate=48000:duration=${seconds},aformat=channel_layouts=${channels === 1 ? 'mono' : 'stereo'}`,
];
const x264 = ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p'];

export interface VideoFixtureOptions {
  size?: string;
  rate?: number;
  seconds?: number;
  audio?: boolean;
  format?: 'mp4' | 'mov' | 'matroska' | 'webm' | 'avi' | 'mpegts';
  faststart?: boolean;
}

/** A short test-pattern video with a tone, in the requested container. */
export async function makeVideo(path: string, options: VideoFixtureOptions = {}): Promise<string> {
  const { size = '640x360', rate = 25, seconds = 8, audio = true, format = 'mp4' } = options;
  const codecs =
    format === 'webm'
      ? ['-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-b:v', '400k', '-c:a', 'libopus']
      : format === 'avi'
        ? ['-c:v', 'mpeg4', '-q:v', '5', '-c:a', 'libmp3lame']
        : [...x264, '-c:a', 'aac'];
  await ffmpegFixture([
    ...video(size, rate, seconds),
    ...(audio ? tone(seconds) : []),
    ...codecs,
    ...(options.faststart ? ['-movflags', '+faststart'] : []),
    '-f',
    format,
    path,
  ]);
  return path;
}

/** The first `fraction` of a file's bytes, as an interrupted upload leaves it. */
export async function makeTruncated(source: string, path: string, fraction = 0.6): Promise<string> {
  await copyFile(source, path);
  await truncate(path, Math.floor((await stat(path)).size * fraction));
  return path;
}

/**
 * A faststart MP4 cut short whose last box size was then patched to fit the file: structurally
 * valid, but its index still points at samples that are gone. Only reading the tail can tell.
 */
export async function makeTruncatedConsistentMp4(faststartSource: string, path: string): Promise<string> {
  await makeTruncated(faststartSource, path);
  const buf = await readFile(path);
  let offset = 0;
  for (;;) {
    const size = buf.readUInt32BE(offset);
    if (offset + size >= buf.length) {
      buf.writeUInt32BE(buf.length - offset, offset);
      break;
    }
    offset += size;
  }
  await writeFile(path, buf);
  return path;
}

/** An HLS playlist that would make a demuxer read /etc/passwd. */
export const PASSWD_PLAYLIST =
  '#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:10\n#EXT-X-MEDIA-SEQUENCE:0\n' +
  '#EXTINF:10.0,\nfile:///etc/passwd\n#EXTINF:10.0,\n/etc/passwd\n#EXT-X-ENDLIST\n';

/** A concat-demuxer script listing /etc/passwd. */
export const PASSWD_CONCAT = "ffconcat version 1.0\nfile '/etc/passwd'\nfile 'file:/etc/passwd'\n";

/**
 * An AVI whose second stream is a GAB2 "subtitle" carrying an HLS playlist pointing at
 * /etc/passwd: the shape of the 2017 ffmpeg local-file-disclosure exploit. Built from an
 * ffmpeg-made AVI by turning its PCM audio stream into a text stream and overwriting the first
 * audio chunk in place (same size, so every offset and index entry stays valid).
 */
export async function makeGab2Avi(path: string): Promise<string> {
  const base = `${path}.base.avi`;
  const audio = ['-f', 'lavfi', '-i', 'sine=sample_rate=8000:samples_per_frame=2048:duration=2'];
  await ffmpegFixture([...video('320x240', 10, 2), ...audio, '-c:v', 'mpeg4', '-c:a', 'pcm_u8', base]);
  const buf = await readFile(base);
  await rm(base);
  const auds = buf.indexOf('auds');
  if (auds < 0) throw new Error('fixture: no audio stream header');
  buf.write('txts', auds, 'latin1');
  const chunk = buf.indexOf('01wb', buf.indexOf('movi'));
  const size = buf.readUInt32LE(chunk + 4);
  const playlist = Buffer.from(PASSWD_PLAYLIST, 'latin1');
  const header = Buffer.alloc(17);
  header.write('GAB2\0', 0, 'latin1');
  header.writeUInt16LE(2, 5);
  header.writeUInt32LE(0, 7); // empty UTF-16 description
  header.writeUInt16LE(0, 11);
  header.writeUInt32LE(playlist.length, 13);
  const payload = Buffer.concat([header, playlist]);
  if (payload.length > size) throw new Error('fixture: first audio chunk too small for the playlist');
  Buffer.concat([payload, Buffer.alloc(size - payload.length, 0x0a)]).copy(buf, chunk + 8);
  await writeFile(path, buf);
  return path;
}

/** A genuine Matroska video with the playlist attached as a file. */
export async function makeMkvWithPlaylistAttachment(dir: string, path: string): Promise<string> {
  const playlist = join(dir, 'attached.m3u8');
  await writeFile(playlist, PASSWD_PLAYLIST);
  await ffmpegFixture([
    ...video('320x240', 10, 2),
    ...x264,
    '-attach',
    playlist,
    '-metadata:s:t',
    'mimetype=text/plain',
    '-f',
    'matroska',
    path,
  ]);
  await rm(playlist);
  return path;
}

/** The first line of /etc/passwd ("root:x:0:0:…"): if it shows up in any output, a file leaked. */
export async function passwdMarker(): Promise<string> {
  const first = (await readFile('/etc/passwd', 'utf8')).split('\n')[0] ?? '';
  return first.split(':').slice(0, 4).join(':');
}

/** Every file under dir whose bytes contain `needle`. */
export async function filesContaining(dir: string, needle: string): Promise<string[]> {
  const hits: string[] = [];
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const full = join(entry.parentPath, entry.name);
    if ((await readFile(full)).includes(needle)) hits.push(full);
  }
  return hits;
}
