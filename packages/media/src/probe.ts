import { open, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { mediaBinaries } from './binaries';
import { type Container, DEMUXER, DEMUXER_FORMAT_NAME, hardenedProbeInputArgs } from './containers';
import { MediaRefusedError, type RefusalCode } from './refusal';
import { MediaProcessError, runMediaProcess } from './run';
import { containsEmbeddedPlaylist, readBytes, SNIFF_BYTES, sniffHead } from './sniff';

export interface AudioInfo {
  codec: string;
  channels: number;
  sampleRate: number;
}

/** What we know about an accepted upload. */
export interface MediaProbe {
  container: Container;
  durationSeconds: number;
  /** Display size: rotation applied and non-square pixels stretched to square. */
  width: number;
  height: number;
  fps: number;
  videoCodec: string;
  audio?: AudioInfo;
  /** Overall bits per second. */
  bitrate: number;
  sizeBytes: number;
  rotation: 0 | 90 | 180 | 270;
  interlaced: boolean;
}

export interface ProbeOptions {
  ffprobePath?: string;
  timeoutMs?: number;
  signal?: AbortSignal;
  maxDurationSeconds?: number;
  maxBytes?: number;
}

interface FfprobeStream {
  codec_type?: string;
  codec_name?: string;
  width?: number;
  height?: number;
  avg_frame_rate?: string;
  r_frame_rate?: string;
  sample_aspect_ratio?: string;
  field_order?: string;
  channels?: number;
  sample_rate?: string;
  duration?: string;
  nb_frames?: string;
  disposition?: { attached_pic?: number };
  tags?: { rotate?: string };
  side_data_list?: { rotation?: number }[];
}

interface FfprobeOutput {
  format?: { format_name?: string; duration?: string; start_time?: string; bit_rate?: string };
  streams?: FfprobeStream[];
}

const DEFAULT_MAX_DURATION = 4 * 3600;
const DEFAULT_MAX_BYTES = 20 * 1024 ** 3;
const MAX_DIMENSION = 8192;
/** Video codecs that, with a single frame, are a still picture rather than a movie. */
const IMAGE_CODECS = new Set(['png', 'mjpeg', 'jpeg2000', 'bmp', 'gif', 'webp', 'tiff', 'jpegls', 'apng']);

function parseRate(rate: string | undefined): number {
  if (!rate) return 0;
  const [num, den = '1'] = rate.split('/');
  const value = Number(num) / Number(den);
  return Number.isFinite(value) && value > 0 ? value : 0;
}

function positive(value: string | number | undefined): number | undefined {
  const n = Number(value);
  return Number.isFinite(n) && n > 0 ? n : undefined;
}

/**
 * Structural truncation check, done on the bytes without any demuxer: ISO-BMFF top-level boxes
 * must fit inside the file (a cut-off upload leaves `mdat` or `moov` running past the end), and so
 * must an AVI's RIFF chunk and a Matroska Segment.
 */
async function structuralProblem(path: string, container: Container, size: number): Promise<RefusalCode | undefined> {
  if (container === 'avi') {
    const head = await readBytes(path, 0, 12);
    return head.length < 12 || head.readUInt32LE(4) + 8 > size ? 'truncated' : undefined;
  }
  if (container === 'mkv' || container === 'webm') {
    return matroskaSegmentTruncated(await readBytes(path, 0, 4096), size) ? 'truncated' : undefined;
  }
  if (container === 'mpegts') return undefined; // no declared sizes: a cut-off TS is a shorter TS
  const handle = await open(path, 'r');
  try {
    const header = Buffer.alloc(16);
    let offset = 0;
    // Fragmented files can have thousands of boxes; past this many the tail read decides.
    for (let boxes = 0; offset < size && boxes < 10_000; boxes++) {
      const { bytesRead } = await handle.read(header, 0, 16, offset);
      if (bytesRead < 8) return 'truncated';
      let boxSize = header.readUInt32BE(0);
      if (boxSize === 1) {
        if (bytesRead < 16) return 'truncated';
        boxSize = Number(header.readBigUInt64BE(8));
      } else if (boxSize === 0) {
        return undefined; // the last box runs to the end of the file
      }
      if (boxSize < 8) return 'corrupt';
      offset += boxSize;
    }
    return offset > size ? 'truncated' : undefined;
  } finally {
    await handle.close();
  }
}

function parseJson<T>(text: string): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new MediaRefusedError('corrupt');
  }
}

/** An EBML variable-length integer: its length in bytes and value (undefined for "unknown size"). */
function readVint(buf: Buffer, offset: number): { length: number; value: number | undefined } | undefined {
  const first = buf[offset];
  if (first === undefined || first === 0) return undefined;
  const length = Math.clz32(first) - 23;
  if (offset + length > buf.length) return undefined;
  let value = first & (0xff >> length);
  let allOnes = value === 0xff >> length;
  for (let i = 1; i < length; i++) {
    const byte = buf[offset + i]!;
    value = value * 256 + byte;
    allOnes &&= byte === 0xff;
  }
  return { length, value: allOnes ? undefined : value };
}

/**
 * Matroska/WebM: the Segment element's declared size (written when the muxer finishes) must fit in
 * the file. Live-written files declare an unknown size; those are left to the tail read.
 */
function matroskaSegmentTruncated(head: Buffer, size: number): boolean {
  const headerSize = readVint(head, 4);
  if (!headerSize || headerSize.value === undefined) return false;
  const segmentId = 4 + headerSize.length + headerSize.value;
  if (segmentId + 8 > head.length || head.readUInt32BE(segmentId) !== 0x18538067) return false;
  const segmentSize = readVint(head, segmentId + 4);
  if (!segmentSize || segmentSize.value === undefined) return false;
  return segmentId + 4 + segmentSize.length + segmentSize.value > size;
}

function refuseFromToolError(err: unknown): never {
  if (err instanceof MediaProcessError) {
    if (err.failure === 'timeout') throw new MediaRefusedError('probe_timeout');
    if (err.failure === 'exit' || err.failure === 'output_limit') {
      const stderr = err.result?.stderr ?? '';
      if (/moov atom not found|partial file|end of file|truncat/i.test(stderr))
        throw new MediaRefusedError('truncated');
      throw new MediaRefusedError('corrupt');
    }
  }
  throw err;
}

/**
 * Inspects an upload and either describes it or throws MediaRefusedError with a stable reason.
 *
 * Order matters: cheap checks on our own reading of the bytes come first, so a playlist, concat
 * script, image or text file never reaches a demuxer at all. Only a file whose magic bytes say it
 * is an allowed container is given to ffprobe, with that container's demuxer forced, nested
 * demuxers restricted to it, only file/pipe protocols and capped probing.
 *
 * Truncation is checked in two cheap steps. First the container structure: declared sizes must
 * fit in the file (see structuralProblem); that catches the usual interrupted upload in a few
 * reads. Then a tail read: ffprobe demuxes, without decoding, the packets of the last ~10 s of the
 * declared duration. A complete file yields packets up to the end; a cut-off one has none there,
 * or the demuxer reports a partial file. That costs one seek and a few seconds of packet reads,
 * whatever the length, where a decode check would cost real CPU per upload.
 */
export async function probeMedia(inputPath: string, options: ProbeOptions = {}): Promise<MediaProbe> {
  const path = resolve(inputPath);
  const { signal } = options;
  const timeoutMs = options.timeoutMs ?? 60_000;
  const maxDuration = options.maxDurationSeconds ?? DEFAULT_MAX_DURATION;

  const info = await stat(path);
  if (!info.isFile()) throw new MediaRefusedError('not_media');
  const sizeBytes = info.size;
  if (sizeBytes === 0) throw new MediaRefusedError('empty_file');
  if (sizeBytes > (options.maxBytes ?? DEFAULT_MAX_BYTES)) throw new MediaRefusedError('too_large');

  const sniffed = sniffHead(await readBytes(path, 0, SNIFF_BYTES));
  switch (sniffed.kind) {
    case 'playlist':
      throw new MediaRefusedError('playlist');
    case 'image':
      throw new MediaRefusedError('image');
    case 'audio':
      throw new MediaRefusedError('audio_only');
    case 'text':
    case 'unknown':
      throw new MediaRefusedError('not_media');
    case 'other_container':
      throw new MediaRefusedError('unsupported_container');
    case 'container':
      break;
  }
  const { container } = sniffed;
  if (await containsEmbeddedPlaylist(path, signal)) throw new MediaRefusedError('playlist');
  const problem = await structuralProblem(path, container, sizeBytes);
  if (problem) throw new MediaRefusedError(problem);

  const ffprobe = options.ffprobePath ?? (await mediaBinaries()).ffprobe;
  const input = hardenedProbeInputArgs(container, path);
  let output: FfprobeOutput;
  try {
    const { stdout } = await runMediaProcess(
      ffprobe,
      ['-hide_banner', '-v', 'error', ...input, '-show_format', '-show_streams', '-of', 'json'],
      { timeoutMs, signal, maxStdoutBytes: 4 * 1024 * 1024 },
    );
    output = parseJson<FfprobeOutput>(stdout);
  } catch (err) {
    refuseFromToolError(err);
  }

  if (output.format?.format_name !== DEMUXER_FORMAT_NAME[DEMUXER[container]]) {
    throw new MediaRefusedError('unsupported_container');
  }
  const streams = output.streams ?? [];
  const videos = streams.filter((s) => s.codec_type === 'video' && !s.disposition?.attached_pic);
  const audioStream = streams.find((s) => s.codec_type === 'audio');
  const video = videos[0];
  if (!video) throw new MediaRefusedError(audioStream ? 'audio_only' : 'no_video_stream');

  const durationSeconds = positive(output.format?.duration) ?? positive(video.duration);
  const nbFrames = positive(video.nb_frames);
  if (nbFrames === 1 || (IMAGE_CODECS.has(video.codec_name ?? '') && (durationSeconds ?? 0) < 1)) {
    throw new MediaRefusedError('image');
  }
  if (
    !video.codec_name ||
    !(video.width && video.height) ||
    video.width > MAX_DIMENSION ||
    video.height > MAX_DIMENSION
  ) {
    throw new MediaRefusedError('unsupported_video');
  }
  if (durationSeconds === undefined) throw new MediaRefusedError('corrupt');
  if (durationSeconds > maxDuration) throw new MediaRefusedError('too_long');

  const startTime = Number(output.format?.start_time);
  await checkTail(ffprobe, container, path, Number.isFinite(startTime) ? startTime : 0, durationSeconds, {
    timeoutMs,
    signal,
  });

  const rotationRaw =
    video.side_data_list?.find((d) => d.rotation !== undefined)?.rotation ?? Number(video.tags?.rotate ?? 0);
  const rotation = ((((Math.round(rotationRaw / 90) * 90) % 360) + 360) % 360) as MediaProbe['rotation'];
  const sar = parseRate(video.sample_aspect_ratio) || 1;
  const displayWidth = Math.round(video.width * (sar > 0.1 && sar < 10 ? sar : 1));
  const swap = rotation === 90 || rotation === 270;
  const fps = parseRate(video.avg_frame_rate) || parseRate(video.r_frame_rate);

  return {
    container,
    durationSeconds,
    width: swap ? video.height : displayWidth,
    height: swap ? displayWidth : video.height,
    fps: fps > 0 && fps <= 1000 ? fps : 25,
    videoCodec: video.codec_name,
    ...(audioStream
      ? {
          audio: {
            codec: audioStream.codec_name ?? 'unknown',
            channels: audioStream.channels ?? 2,
            sampleRate: positive(audioStream.sample_rate) ?? 48_000,
          },
        }
      : {}),
    bitrate: positive(output.format?.bit_rate) ?? Math.round((sizeBytes * 8) / durationSeconds),
    sizeBytes,
    rotation,
    interlaced: ['tt', 'bb', 'tb', 'bt'].includes(video.field_order ?? ''),
  };
}

async function checkTail(
  ffprobe: string,
  container: Container,
  path: string,
  startTime: number,
  durationSeconds: number,
  run: { timeoutMs: number; signal?: AbortSignal },
): Promise<void> {
  const window = 10;
  const end = startTime + durationSeconds;
  const start = Math.max(0, end - window);
  let result;
  try {
    result = await runMediaProcess(
      ffprobe,
      [
        '-hide_banner',
        '-v',
        'error',
        ...hardenedProbeInputArgs(container, path),
        '-read_intervals',
        // An explicit end: open-ended intervals return no packets in some ffprobe builds (the npm one).
        `${start.toFixed(3)}%+${window * 2}`,
        '-show_entries',
        'packet=pts_time,dts_time,duration_time',
        '-of',
        'json',
      ],
      { ...run, maxStdoutBytes: 16 * 1024 * 1024 },
    );
  } catch (err) {
    refuseFromToolError(err);
  }
  if (/partial file/i.test(result.stderr)) throw new MediaRefusedError('truncated');
  const packets = parseJson<{ packets?: Record<string, string>[] }>(result.stdout).packets ?? [];
  let lastEnd = 0;
  for (const p of packets) {
    const t = Number(p.pts_time ?? p.dts_time);
    if (Number.isFinite(t)) lastEnd = Math.max(lastEnd, t + (Number(p.duration_time) || 0));
  }
  const tolerance = Math.max(1, durationSeconds * 0.005);
  if (lastEnd < end - tolerance) throw new MediaRefusedError('truncated');
}
