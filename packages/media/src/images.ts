/**
 * Poster, thumbnails and the seek-preview sprite. Each is a separate short ffmpeg run with the same
 * input hardening as the transcode.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Container, hardenedInputArgs } from './containers';
import { runMediaProcess } from './run';

export const THUMBNAIL_WIDTHS = [320, 640, 1280] as const;
export const POSTER_MAX_WIDTH = 1280;
/** Where the poster is taken from, as a fraction of the duration: past titles, before credits. */
export const POSTER_POSITION = 0.2;

export interface StillImage {
  width: number;
  height: number;
  /** Paths relative to outputDir. */
  jpeg: string;
  webp: string;
}

export interface ImageSource {
  input: string;
  container: Container;
  /** Display size and duration from the probe. */
  width: number;
  height: number;
  durationSeconds: number;
  deinterlace?: boolean;
}

const even = (x: number) => Math.max(2, Math.round(x / 2) * 2);
const evenFloor = (x: number) => Math.max(2, Math.floor(x / 2) * 2);
const heightFor = (source: Pick<ImageSource, 'width' | 'height'>, width: number) =>
  even((width * source.height) / source.width);

/** Thumbnail widths up to the source width (at least one: the source width itself when it is smaller). */
export function thumbnailSizes(
  source: Pick<ImageSource, 'width' | 'height'>,
  widths: readonly number[] = THUMBNAIL_WIDTHS,
) {
  const fitting = widths.filter((w) => w <= source.width);
  const chosen = fitting.length > 0 ? fitting : [evenFloor(source.width)];
  return chosen.map((width) => ({ width, height: heightFor(source, width) }));
}

export function posterSize(source: Pick<ImageSource, 'width' | 'height'>) {
  const width = Math.min(POSTER_MAX_WIDTH, evenFloor(source.width));
  return { width, height: heightFor(source, width) };
}

interface Still extends StillImage {
  name: string;
}

/**
 * One run decodes ~3 s from POSTER_POSITION, picks the most representative frame with the
 * `thumbnail` filter (a black or fade frame is far from the batch's average histogram, so it is not
 * picked) and writes every size in JPEG and WebP.
 */
export function buildStillImagesArgs(source: ImageSource, outputDir: string, stills: readonly Still[]): string[] {
  const seek = Math.max(0, source.durationSeconds * POSTER_POSITION);
  const graph = [
    `[0:v:0]${source.deinterlace ? 'yadif=deint=interlaced,' : ''}fps=4,thumbnail=n=12,format=yuv420p,split=${stills.length}${stills.map((_, i) => `[p${i}]`).join('')}`,
    ...stills.map((s, i) => `[p${i}]scale=${s.width}:${s.height}:flags=lanczos,setsar=1,split=2[j${i}][w${i}]`),
  ].join(';');
  const outputs = stills.flatMap((s, i) => [
    '-map',
    `[j${i}]`,
    '-frames:v',
    '1',
    '-c:v',
    'mjpeg',
    '-pix_fmt',
    'yuvj420p',
    '-q:v',
    '3',
    '-update',
    '1',
    join(outputDir, s.jpeg),
    '-map',
    `[w${i}]`,
    '-frames:v',
    '1',
    '-c:v',
    'libwebp',
    '-quality',
    '75',
    '-update',
    '1',
    join(outputDir, s.webp),
  ]);
  return [
    '-hide_banner',
    '-nostdin',
    '-y',
    '-v',
    'error',
    '-ss',
    seek.toFixed(3),
    ...hardenedInputArgs(source.container, source.input),
    '-filter_complex',
    graph,
    '-map_metadata',
    '-1',
    ...outputs,
  ];
}

export interface RunContext {
  ffmpeg: string;
  timeoutMs: number;
  signal?: AbortSignal;
}

export async function renderStillImages(
  source: ImageSource,
  outputDir: string,
  run: RunContext,
): Promise<{ poster: StillImage; thumbnails: StillImage[] }> {
  const poster: Still = { name: 'poster', ...posterSize(source), jpeg: 'poster.jpg', webp: 'poster.webp' };
  const thumbnails: Still[] = thumbnailSizes(source).map((size) => ({
    name: `thumb_${size.width}`,
    ...size,
    jpeg: `thumb_${size.width}.jpg`,
    webp: `thumb_${size.width}.webp`,
  }));
  await runMediaProcess(run.ffmpeg, buildStillImagesArgs(source, outputDir, [poster, ...thumbnails]), {
    timeoutMs: run.timeoutMs,
    signal: run.signal,
    captureStdout: false,
  });
  const strip = ({ width, height, jpeg, webp }: Still): StillImage => ({ width, height, jpeg, webp });
  return { poster: strip(poster), thumbnails: thumbnails.map(strip) };
}

export interface SpriteLayout {
  intervalSeconds: number;
  count: number;
  columns: number;
  rows: number;
  tileWidth: number;
  tileHeight: number;
  /** Size of the whole sprite image. */
  width: number;
  height: number;
}

export const SPRITE_TILE_WIDTH = 160;
export const SPRITE_COLUMNS = 10;
/** At most this many tiles: a 10 × 10 sheet of 160 px tiles is ~1600 × 900, around 100 KB. */
export const SPRITE_MAX_TILES = 100;

/**
 * One tile every `intervalSeconds` (at least `minIntervalSeconds`, stretched so a long film still
 * fits in SPRITE_MAX_TILES: seek previews are fetched on slow links too).
 */
export function spriteLayout(
  source: Pick<ImageSource, 'width' | 'height' | 'durationSeconds'>,
  options: { minIntervalSeconds?: number; maxTiles?: number } = {},
): SpriteLayout {
  const maxTiles = options.maxTiles ?? SPRITE_MAX_TILES;
  const duration = Math.max(source.durationSeconds, 0.001);
  const intervalSeconds = Math.max(options.minIntervalSeconds ?? 2, Math.ceil(duration / maxTiles));
  const count = Math.max(1, Math.ceil(duration / intervalSeconds));
  const columns = Math.min(SPRITE_COLUMNS, count);
  const rows = Math.ceil(count / columns);
  const tileWidth = SPRITE_TILE_WIDTH;
  const tileHeight = heightFor(source, tileWidth);
  return {
    intervalSeconds,
    count,
    columns,
    rows,
    tileWidth,
    tileHeight,
    width: columns * tileWidth,
    height: rows * tileHeight,
  };
}

/**
 * Long videos decode keyframes only (`-skip_frame nokey`): the sprite then costs a read of the
 * file rather than a second full decode. Short ones decode every frame so tiles are exact.
 */
export function buildSpriteArgs(source: ImageSource, outputPath: string, layout: SpriteLayout): string[] {
  const keyframesOnly = source.durationSeconds > 600;
  return [
    '-hide_banner',
    '-nostdin',
    '-y',
    '-v',
    'error',
    ...(keyframesOnly ? ['-skip_frame', 'nokey'] : []),
    ...hardenedInputArgs(source.container, source.input),
    '-filter_complex',
    `[0:v:0]${source.deinterlace ? 'yadif=deint=interlaced,' : ''}fps=1/${layout.intervalSeconds},` +
      `scale=${layout.tileWidth}:${layout.tileHeight}:flags=bicubic,setsar=1,format=yuvj420p,` +
      `tile=${layout.columns}x${layout.rows}[sprite]`,
    '-map',
    '[sprite]',
    '-map_metadata',
    '-1',
    '-frames:v',
    '1',
    '-c:v',
    'mjpeg',
    '-q:v',
    '5',
    '-update',
    '1',
    outputPath,
  ];
}

function vttTime(seconds: number): string {
  const ms = Math.round(seconds * 1000);
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = Math.floor((ms % 60_000) / 1000);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(h)}:${pad(m)}:${pad(s)}.${pad(ms % 1000, 3)}`;
}

/** WebVTT thumbnails track: one cue per tile, pointing into the sprite with a media fragment. */
export function renderSpriteVtt(layout: SpriteLayout, durationSeconds: number, imageUri = 'sprite.jpg'): string {
  const cues: string[] = ['WEBVTT', ''];
  for (let i = 0; i < layout.count; i++) {
    const start = i * layout.intervalSeconds;
    const end = Math.min((i + 1) * layout.intervalSeconds, durationSeconds);
    if (end <= start) break;
    const x = (i % layout.columns) * layout.tileWidth;
    const y = Math.floor(i / layout.columns) * layout.tileHeight;
    cues.push(
      `${vttTime(start)} --> ${vttTime(end)}`,
      `${imageUri}#xywh=${x},${y},${layout.tileWidth},${layout.tileHeight}`,
      '',
    );
  }
  return cues.join('\n');
}

export const SPRITE_IMAGE = 'sprite.jpg';
export const SPRITE_VTT = 'sprite.vtt';

export async function renderSprite(
  source: ImageSource,
  outputDir: string,
  run: RunContext,
  options: { minIntervalSeconds?: number } = {},
): Promise<{ image: string; vtt: string; layout: SpriteLayout }> {
  const layout = spriteLayout(source, options);
  await runMediaProcess(run.ffmpeg, buildSpriteArgs(source, join(outputDir, SPRITE_IMAGE), layout), {
    timeoutMs: run.timeoutMs,
    signal: run.signal,
    captureStdout: false,
  });
  await writeFile(join(outputDir, SPRITE_VTT), renderSpriteVtt(layout, source.durationSeconds, SPRITE_IMAGE));
  return { image: SPRITE_IMAGE, vtt: SPRITE_VTT, layout };
}
