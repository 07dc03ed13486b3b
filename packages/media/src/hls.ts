/**
 * Pure ffmpeg command builders. They return argv arrays (never a shell string) and do no I/O, so
 * tests can inspect them and the benchmarks can build all three strategies from the same inputs:
 *
 * - buildTranscodeArgs: ours. One process, one decode; a split filter feeds a scaler per
 *   rendition; all renditions are muxed by one HLS muxer (var_stream_map) into fMP4/CMAF segments.
 * - buildPerRenditionArgs: one ffmpeg per rendition, each decoding the source again.
 * - buildHandWrittenArgs: the single command one would write by hand from the ffmpeg docs.
 */
import { type Container, DEMUXER, hardenedInputArgs, PROTOCOL_WHITELIST } from './containers';
import { AUDIO_SAMPLE_RATE, type Ladder, type Rendition } from './ladder';

export const X264_PRESETS = [
  'ultrafast',
  'superfast',
  'veryfast',
  'faster',
  'fast',
  'medium',
  'slow',
  'slower',
  'veryslow',
] as const;
export type X264Preset = (typeof X264_PRESETS)[number];

export interface TranscodeCommandOptions {
  /** Absolute path of the source file. */
  input: string;
  /** The probed container; its demuxer is forced. */
  container: Container;
  /** Absolute path of the (empty) directory that receives the renditions. */
  outputDir: string;
  ladder: Ladder;
  segmentSeconds?: number;
  keyframeSeconds?: number;
  /** Default veryfast: good quality per bit at a speed a 2-core worker can sustain. */
  preset?: X264Preset;
  deinterlace?: boolean;
  /** Emit `-progress pipe:1` (default true). */
  progress?: boolean;
}

export const DEFAULT_SEGMENT_SECONDS = 4;
export const DEFAULT_KEYFRAME_SECONDS = 2;
export const DEFAULT_PRESET: X264Preset = 'veryfast';

/** Names the builders give to what they write, relative to outputDir. */
export const variantPlaylistPath = (r: Pick<Rendition, 'name'>) => `${r.name}/index.m3u8`;
export const variantInitPath = (r: Pick<Rendition, 'name'>) => `${r.name}/init.mp4`;
export const SEGMENT_PATTERN = 'seg_%05d.m4s';

interface Checked {
  segmentSeconds: number;
  keyframeSeconds: number;
  preset: X264Preset;
  gop: number;
  fps: string;
}

function check(options: TranscodeCommandOptions): Checked {
  const { input, outputDir, ladder } = options;
  const segmentSeconds = options.segmentSeconds ?? DEFAULT_SEGMENT_SECONDS;
  const keyframeSeconds = options.keyframeSeconds ?? DEFAULT_KEYFRAME_SECONDS;
  const preset = options.preset ?? DEFAULT_PRESET;
  if (!input.startsWith('/')) throw new Error('input must be an absolute path');
  // '%' would be read as a pattern by the HLS muxer.
  if (!outputDir.startsWith('/') || outputDir.includes('%')) throw new Error('outputDir must be absolute, without %');
  if (!X264_PRESETS.includes(preset)) throw new Error(`unknown x264 preset ${String(preset)}`);
  if (!(keyframeSeconds > 0) || !(segmentSeconds > 0)) throw new Error('segment and keyframe durations must be > 0');
  const ratio = segmentSeconds / keyframeSeconds;
  if (Math.abs(ratio - Math.round(ratio)) > 1e-9) {
    throw new Error('segmentSeconds must be a whole multiple of keyframeSeconds so segments start on keyframes');
  }
  if (ladder.renditions.length === 0) throw new Error('the ladder has no renditions');
  const names = new Set<string>();
  for (const r of ladder.renditions) {
    if (!/^v\d+$/.test(r.name) || names.has(r.name)) throw new Error(`bad or duplicate rendition name ${r.name}`);
    names.add(r.name);
  }
  const { num, den } = ladder.frameRate;
  const fpsValue = num / den;
  return { segmentSeconds, keyframeSeconds, preset, gop: Math.round(fpsValue * keyframeSeconds), fps: `${num}/${den}` };
}

const globalArgs = (progress: boolean) => [
  '-hide_banner',
  '-nostdin',
  '-y',
  '-v',
  'error',
  ...(progress ? ['-progress', 'pipe:1', '-nostats'] : []),
];

/**
 * Frame-rate normalisation, deinterlacing and 8-bit 4:2:0, done once before the split. The fps
 * filter rounds timestamps down: video that starts a few ms after the audio (AAC priming, common
 * in phone MP4s and MKVs) would otherwise be pushed one frame slot later, and its last frame
 * would land exactly on a keyframe time and become a one-frame HLS segment. The shift is under
 * one frame.
 */
function sourceChain(fps: string, deinterlace: boolean): string {
  return `[0:v:0]${deinterlace ? 'yadif=deint=interlaced,' : ''}fps=fps=${fps}:round=down,format=yuv420p`;
}

const scaleChain = (r: Rendition) => `scale=${r.width}:${r.height}:flags=bicubic,setsar=1`;

/** x264 settings for output video stream `i`, plus the GOP settings shared by all. */
function videoEncodeArgs(c: Checked, renditions: readonly Rendition[]): string[] {
  const args = ['-c:v', 'libx264', '-preset', c.preset];
  renditions.forEach((r, i) => {
    args.push(
      `-b:v:${i}`,
      String(r.videoBitrate),
      `-maxrate:v:${i}`,
      String(r.maxrate),
      `-bufsize:v:${i}`,
      String(r.bufsize),
      `-profile:v:${i}`,
      r.profile,
      `-level:v:${i}`,
      r.level,
    );
  });
  // Keyframes at exactly every keyframeSeconds in every rendition, never elsewhere: a fixed GOP,
  // no scene-cut keyframes, and forced keyframes by timestamp so rounding cannot drift.
  args.push(
    '-g',
    String(c.gop),
    '-keyint_min',
    String(c.gop),
    '-sc_threshold',
    '0',
    '-force_key_frames',
    `expr:gte(t,n_forced*${c.keyframeSeconds})`,
  );
  return args;
}

function audioEncodeArgs(ladder: Ladder, renditions: readonly Rendition[]): string[] {
  if (!ladder.hasAudio) return [];
  const args = ['-c:a', 'aac', '-ar', String(AUDIO_SAMPLE_RATE), '-ac', String(ladder.audioChannels)];
  renditions.forEach((r, i) => args.push(`-b:a:${i}`, String(r.audioBitrate)));
  return args;
}

function hlsMuxerArgs(c: Checked): string[] {
  return [
    '-map_metadata',
    '-1', // no camera, location or editing metadata in published files
    '-map_chapters',
    '-1',
    '-max_muxing_queue_size',
    '4096',
    '-protocol_whitelist',
    PROTOCOL_WHITELIST,
    '-f',
    'hls',
    '-hls_time',
    String(c.segmentSeconds),
    '-hls_playlist_type',
    'vod',
    '-hls_segment_type',
    'fmp4',
    '-hls_flags',
    'independent_segments',
    '-start_number',
    '1',
  ];
}

/** Our pipeline: one ffmpeg process, one decode, every rendition. */
export function buildTranscodeArgs(options: TranscodeCommandOptions): string[] {
  const c = check(options);
  const { ladder, outputDir } = options;
  const rs = ladder.renditions;
  const outs = rs.map((_, i) => `[s${i}]`).join('');
  const graph = [
    `${sourceChain(c.fps, options.deinterlace ?? false)},split=${rs.length}${outs}`,
    ...rs.map((r, i) => `[s${i}]${scaleChain(r)}[v${i}]`),
  ].join(';');

  const maps = rs.flatMap((_, i) => ['-map', `[v${i}]`]);
  if (ladder.hasAudio) maps.push(...rs.flatMap(() => ['-map', '0:a:0']));
  const varStreamMap = rs.map((r, i) => (ladder.hasAudio ? `v:${i},a:${i},name:${r.name}` : `v:${i},name:${r.name}`));

  return [
    ...globalArgs(options.progress ?? true),
    ...hardenedInputArgs(options.container, options.input),
    '-filter_complex',
    graph,
    ...maps,
    ...videoEncodeArgs(c, rs),
    ...audioEncodeArgs(ladder, rs),
    ...hlsMuxerArgs(c),
    // Relative to each variant playlist; with several variants the muxer would otherwise write
    // init_<n>.mp4. The playlist's MAP URI is normalised to "init.mp4" afterwards.
    '-hls_fmp4_init_filename',
    rs.length > 1 ? '../%v/init.mp4' : 'init.mp4',
    '-hls_segment_filename',
    `${outputDir}/%v/${SEGMENT_PATTERN}`,
    '-var_stream_map',
    varStreamMap.join(' '),
    `${outputDir}/%v/index.m3u8`,
  ];
}

/** Benchmark strategy: one ffmpeg per rendition, same encoder settings and output layout. */
export function buildPerRenditionArgs(options: TranscodeCommandOptions): string[][] {
  const c = check(options);
  const { ladder, outputDir } = options;
  return ladder.renditions.map((r) => {
    const one = [r];
    return [
      ...globalArgs(options.progress ?? true),
      ...hardenedInputArgs(options.container, options.input),
      '-filter_complex',
      `${sourceChain(c.fps, options.deinterlace ?? false)},${scaleChain(r)}[v0]`,
      '-map',
      '[v0]',
      ...(ladder.hasAudio ? ['-map', '0:a:0'] : []),
      ...videoEncodeArgs(c, one),
      ...audioEncodeArgs(ladder, one),
      ...hlsMuxerArgs(c),
      '-hls_fmp4_init_filename',
      'init.mp4',
      '-hls_segment_filename',
      `${outputDir}/${r.name}/${SEGMENT_PATTERN}`,
      `${outputDir}/${variantPlaylistPath(r)}`,
    ];
  });
}

/**
 * Benchmark baseline: the single command a person writes from the ffmpeg HLS documentation —
 * split + scale, GOP by frame count, one audio bitrate, ffmpeg's own master playlist. Hardened
 * input like ours (nothing runs unhardened here, even in benchmarks), but no frame-rate
 * normalisation, forced keyframes, profiles/levels or progress.
 */
export function buildHandWrittenArgs(options: TranscodeCommandOptions): string[] {
  const c = check(options);
  const { ladder, outputDir } = options;
  const rs = ladder.renditions;
  const n = rs.length;
  const graph =
    `[0:v]split=${n}${rs.map((_, i) => `[s${i}]`).join('')};` +
    rs.map((r, i) => `[s${i}]scale=-2:${r.height}[v${i}]`).join(';');
  const args = [
    '-hide_banner',
    '-nostdin',
    '-y',
    '-v',
    'error',
    '-protocol_whitelist',
    PROTOCOL_WHITELIST,
    '-f',
    DEMUXER[options.container],
    '-i',
    `file:${options.input}`,
    '-filter_complex',
    graph,
  ];
  rs.forEach((_, i) => args.push('-map', `[v${i}]`));
  if (ladder.hasAudio) rs.forEach(() => args.push('-map', '0:a:0'));
  args.push('-c:v', 'libx264', '-preset', c.preset);
  rs.forEach((r, i) =>
    args.push(
      `-b:v:${i}`,
      `${r.videoBitrate / 1000}k`,
      `-maxrate:v:${i}`,
      `${r.maxrate / 1000}k`,
      `-bufsize:v:${i}`,
      `${r.bufsize / 1000}k`,
    ),
  );
  args.push('-g', String(c.gop), '-sc_threshold', '0');
  if (ladder.hasAudio) args.push('-c:a', 'aac', '-b:a', '96k', '-ac', '2');
  args.push(
    '-f',
    'hls',
    '-hls_time',
    String(c.segmentSeconds),
    '-hls_playlist_type',
    'vod',
    '-hls_segment_type',
    'fmp4',
    '-hls_segment_filename',
    `${outputDir}/stream_%v_%03d.m4s`,
    '-master_pl_name',
    'master.m3u8',
    '-var_stream_map',
    rs.map((_, i) => (ladder.hasAudio ? `v:${i},a:${i}` : `v:${i}`)).join(' '),
    `${outputDir}/stream_%v.m3u8`,
  );
  return args;
}

/** The three strategies the benchmarks compare, as lists of commands to run (in sequence or in parallel). */
export type TranscodeStrategy = 'single' | 'per-rendition' | 'hand-written';

export function buildCommands(strategy: TranscodeStrategy, options: TranscodeCommandOptions): string[][] {
  switch (strategy) {
    case 'single':
      return [buildTranscodeArgs(options)];
    case 'per-rendition':
      return buildPerRenditionArgs(options);
    case 'hand-written':
      return [buildHandWrittenArgs(options)];
  }
}
