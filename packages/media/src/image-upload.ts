/**
 * Pictures staff upload (posters, backdrops, photos of people): what a file is, decided from its
 * bytes before any decoder sees it, and the responsive variants rendered from it with ffmpeg.
 *
 * Only JPEG, PNG and still WebP are accepted. The header is parsed here, so a decompression bomb
 * (a small file declaring a huge picture), an SVG, a text file with an image's name, an animation
 * or a truncated file is refused with a stable reason before ffmpeg runs; ffmpeg then gets the
 * image2 demuxer and the decoder of the sniffed format forced, local files only, and a timeout.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { PROTOCOL_WHITELIST } from './containers';
import { MediaProcessError, runMediaProcess } from './run';
import { sniffHead } from './sniff';

export type ImageFormat = 'jpeg' | 'png' | 'webp';

export const IMAGE_REFUSAL_CODES = [
  'empty_file',
  'text',
  'svg',
  'not_image',
  'unsupported_format',
  'animated',
  'too_many_pixels',
  'too_small',
  'truncated',
  'corrupt',
  'unreadable',
  'too_slow',
] as const;
export type ImageRefusalCode = (typeof IMAGE_REFUSAL_CODES)[number];

/** Fixed text written by us, safe to show to staff: never tool output or file content. */
export const IMAGE_REFUSAL_MESSAGES: Record<ImageRefusalCode, string> = {
  empty_file: 'The file is empty (0 bytes). The upload may have failed; upload it again.',
  text: 'The file is text, not a picture (whatever its name says). Upload a JPEG, PNG or WebP image.',
  svg: 'SVG drawings are not accepted: they can carry scripts and have no fixed size. Export the picture as PNG or JPEG.',
  not_image: 'The file is not a picture. Upload a JPEG, PNG or WebP image.',
  unsupported_format: 'This picture format is not accepted. Upload a JPEG, PNG or WebP image.',
  animated: 'Animated pictures are not accepted. Upload a still JPEG, PNG or WebP image.',
  too_many_pixels: 'The picture is too large: at most 50 megapixels, and 16384 pixels on a side.',
  too_small: 'The picture is too small: it must be at least 32 pixels on each side.',
  truncated: 'The file is incomplete: it ends before the picture does. Upload the full file again.',
  corrupt: 'The file starts like a picture but its structure is damaged. Try exporting it again.',
  unreadable: 'The picture could not be decoded; it may be damaged. Try exporting it again.',
  too_slow: 'The picture took too long to process. Try a smaller picture.',
};

export class ImageRefusedError extends Error {
  override readonly name = 'ImageRefusedError';
  constructor(
    readonly code: ImageRefusalCode,
    /** The format recognised, for unsupported_format (GIF, HEIF…). */
    readonly format?: string,
  ) {
    super(
      code === 'unsupported_format' && format
        ? `${format} pictures are not accepted. Upload a JPEG, PNG or WebP image.`
        : IMAGE_REFUSAL_MESSAGES[code],
    );
  }
}

export function isImageRefusedError(err: unknown): err is ImageRefusedError {
  return err instanceof ImageRefusedError;
}

export interface ImageLimits {
  /** width × height; 50 MP decodes to about 200 MB of RGBA. */
  maxPixels: number;
  maxSide: number;
  minSide: number;
}

export const DEFAULT_IMAGE_LIMITS: ImageLimits = { maxPixels: 50_000_000, maxSide: 16_384, minSide: 32 };

export interface ImageInfo {
  format: ImageFormat;
  /** As stored in the file. */
  width: number;
  height: number;
  /** EXIF orientation (JPEG), 1 = as stored. */
  orientation: number;
  /** As shown, after the orientation is applied. */
  displayWidth: number;
  displayHeight: number;
  /** The picture may have transparent pixels (flattened onto black when rendered). */
  hasAlpha: boolean;
}

const refuse = (code: ImageRefusalCode, format?: string): never => {
  throw new ImageRefusedError(code, format);
};

const latin1 = (buf: Buffer, start: number, end: number) => buf.toString('latin1', start, Math.min(end, buf.length));
const startsWith = (buf: Buffer, bytes: readonly number[]) => bytes.every((b, i) => buf[i] === b);

/**
 * What an uploaded picture is, from the whole file's bytes (uploads are at most a few MB). Throws
 * ImageRefusedError for anything that is not a complete, reasonably sized JPEG, PNG or still WebP.
 */
export function inspectImage(bytes: Uint8Array, limits: ImageLimits = DEFAULT_IMAGE_LIMITS): ImageInfo {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length === 0) refuse('empty_file');
  let parsed: Omit<ImageInfo, 'displayWidth' | 'displayHeight'>;
  if (startsWith(buf, [0xff, 0xd8, 0xff])) parsed = { format: 'jpeg', ...inspectJpeg(buf, limits) };
  else if (startsWith(buf, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
    parsed = { format: 'png', orientation: 1, ...inspectPng(buf, limits) };
  else if (latin1(buf, 0, 4) === 'RIFF' && latin1(buf, 8, 12) === 'WEBP')
    parsed = { format: 'webp', orientation: 1, ...inspectWebp(buf, limits) };
  else return refuseOther(buf);
  const swapped = parsed.orientation >= 5;
  return {
    ...parsed,
    displayWidth: swapped ? parsed.height : parsed.width,
    displayHeight: swapped ? parsed.width : parsed.height,
  };
}

function checkSize(width: number, height: number, limits: ImageLimits): void {
  if (width > limits.maxSide || height > limits.maxSide || width * height > limits.maxPixels) refuse('too_many_pixels');
  if (width < limits.minSide || height < limits.minSide) refuse('too_small');
}

/** Names what a refused file is, as precisely as its first bytes allow. */
function refuseOther(buf: Buffer): never {
  let head = latin1(buf, 0, 2048);
  if (head.startsWith('\u00ef\u00bb\u00bf')) head = head.slice(3);
  const text = head.trimStart();
  if (/^<svg[\s>]/i.test(text) || /^<!doctype svg/i.test(text) || /^<\?xml[\s\S]{0,1024}<svg[\s>]/i.test(text)) {
    refuse('svg');
  }
  const four = latin1(buf, 0, 4);
  if (/^GIF8[79]a/.test(latin1(buf, 0, 6))) refuse('unsupported_format', 'GIF');
  if (four === 'II*\u0000' || four === 'MM\u0000*') refuse('unsupported_format', 'TIFF');
  if (four === '8BPS') refuse('unsupported_format', 'Photoshop');
  if (startsWith(buf, [0x00, 0x00, 0x01, 0x00]) && buf.length > 6) refuse('unsupported_format', 'Icon');
  if (startsWith(buf, [0xff, 0x0a]) || latin1(buf, 4, 12) === 'JXL \r\n\u0087\n')
    refuse('unsupported_format', 'JPEG XL');
  if (latin1(buf, 4, 12) === 'jP  \r\n\u0087\n') refuse('unsupported_format', 'JPEG 2000');
  if (latin1(buf, 0, 2) === 'BM' && buf.length > 26 && [12, 40, 52, 56, 108, 124].includes(buf[14] ?? 0)) {
    refuse('unsupported_format', 'BMP');
  }
  if (latin1(buf, 4, 8) === 'ftyp' && /^(heic|heix|heim|heis|hevc|mif1|msf1)$/.test(latin1(buf, 8, 12))) {
    refuse('unsupported_format', 'HEIF');
  }
  if (latin1(buf, 4, 8) === 'ftyp' && /^avi[fs]$/.test(latin1(buf, 8, 12))) refuse('unsupported_format', 'AVIF');
  if (four === 'RIFF') refuse('not_image');
  const sniffed = sniffHead(buf.subarray(0, 4096));
  return refuse(sniffed.kind === 'text' ? 'text' : 'not_image');
}

// JPEG: segments up to the first scan; SOFn gives the size, APP1 Exif the orientation.

const SOF_MARKERS = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);
const EOI = Buffer.from([0xff, 0xd9]);

function inspectJpeg(buf: Buffer, limits: ImageLimits) {
  let offset = 2;
  let size: { width: number; height: number } | undefined;
  let orientation = 1;
  for (;;) {
    if (offset >= buf.length) refuse('truncated');
    if (buf[offset] !== 0xff) refuse('corrupt');
    while (offset < buf.length && buf[offset] === 0xff) offset++; // fill bytes
    if (offset >= buf.length) refuse('truncated');
    const marker = buf[offset++]!;
    if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) continue; // no length
    if (marker === 0x00 || marker === 0xd8 || marker === 0xd9) refuse('corrupt');
    if (offset + 2 > buf.length) refuse('truncated');
    const length = buf.readUInt16BE(offset);
    if (length < 2) refuse('corrupt');
    const end = offset + length;
    if (end > buf.length) refuse('truncated');
    if (SOF_MARKERS.has(marker)) {
      if (length < 8) refuse('corrupt');
      // Height 0 means "given later by a DNL marker": legal, rare, and not worth the risk.
      const height = buf.readUInt16BE(offset + 3);
      const width = buf.readUInt16BE(offset + 5);
      if (width === 0 || height === 0) refuse('corrupt');
      checkSize(width, height, limits);
      size = { width, height };
    } else if (marker === 0xe1 && orientation === 1) {
      orientation = exifOrientation(buf.subarray(offset + 2, end));
    } else if (marker === 0xda) {
      if (!size) refuse('corrupt');
      // Entropy-coded data cannot contain FF D9 (FF is always followed by 00 or a restart marker),
      // so the picture is complete when an EOI follows the first scan. Data after it (a trailer, a
      // second picture of a multi-picture file) is ignored.
      if (buf.indexOf(EOI, end) === -1) refuse('truncated');
      return { ...size!, orientation, hasAlpha: false };
    }
    offset = end;
  }
}

/** The Orientation tag (0x0112) of IFD0 in an APP1 Exif segment; 1 when absent or unreadable. */
export function exifOrientation(segment: Buffer): number {
  if (segment.length < 14 || latin1(segment, 0, 6) !== 'Exif\u0000\u0000') return 1;
  const tiff = segment.subarray(6);
  const little = latin1(tiff, 0, 2) === 'II';
  if (!little && latin1(tiff, 0, 2) !== 'MM') return 1;
  const u16 = (at: number) => (at + 2 > tiff.length ? -1 : little ? tiff.readUInt16LE(at) : tiff.readUInt16BE(at));
  const u32 = (at: number) => (at + 4 > tiff.length ? -1 : little ? tiff.readUInt32LE(at) : tiff.readUInt32BE(at));
  if (u16(2) !== 42) return 1;
  const ifd = u32(4);
  if (ifd < 8) return 1;
  const count = u16(ifd);
  for (let n = 0; n < Math.min(count, 512); n++) {
    const entry = ifd + 2 + n * 12;
    if (entry + 12 > tiff.length) return 1;
    if (u16(entry) !== 0x0112) continue;
    const value = u16(entry + 2) === 3 ? u16(entry + 8) : -1;
    return value >= 1 && value <= 8 ? value : 1;
  }
  return 1;
}

// PNG: IHDR first, then every chunk must fit, up to IEND.

function inspectPng(buf: Buffer, limits: ImageLimits) {
  if (buf.length < 33) refuse('truncated');
  if (buf.readUInt32BE(8) !== 13 || latin1(buf, 12, 16) !== 'IHDR') refuse('corrupt');
  const width = buf.readUInt32BE(16);
  const height = buf.readUInt32BE(20);
  if (width === 0 || height === 0) refuse('corrupt');
  checkSize(width, height, limits);
  const colourType = buf[25]!;
  let hasAlpha = colourType === 4 || colourType === 6;
  let sawData = false;
  let offset = 8;
  for (;;) {
    if (offset + 12 > buf.length) refuse('truncated');
    const length = buf.readUInt32BE(offset);
    if (length > 0x7fffffff) refuse('corrupt');
    const type = latin1(buf, offset + 4, offset + 8);
    if (!/^[A-Za-z]{4}$/.test(type)) refuse('corrupt');
    const next = offset + 12 + length;
    if (next > buf.length) refuse('truncated');
    if (type === 'tRNS') hasAlpha = true;
    else if (type === 'IDAT') sawData = true;
    else if (type === 'IEND') {
      if (!sawData) refuse('corrupt');
      return { width, height, hasAlpha };
    }
    offset = next;
  }
}

// WebP: RIFF chunks; VP8X (extended) gives the canvas and the animation flag, VP8 / VP8L the bitstream.

function inspectWebp(buf: Buffer, limits: ImageLimits) {
  if (buf.length < 20) refuse('truncated');
  const end = 8 + buf.readUInt32LE(4);
  if (end < 20) refuse('corrupt');
  if (end > buf.length) refuse('truncated');
  let canvas: { width: number; height: number } | undefined;
  let bitstream: { width: number; height: number } | undefined;
  let hasAlpha = false;
  let offset = 12;
  while (offset + 8 <= end) {
    const type = latin1(buf, offset, offset + 4);
    const size = buf.readUInt32LE(offset + 4);
    const data = offset + 8;
    if (data + size > end) refuse('truncated');
    if (type === 'VP8X') {
      if (size < 10) refuse('corrupt');
      const flags = buf[data]!;
      if (flags & 0x02) refuse('animated');
      if (flags & 0x10) hasAlpha = true;
      canvas = { width: 1 + buf.readUIntLE(data + 4, 3), height: 1 + buf.readUIntLE(data + 7, 3) };
      checkSize(canvas.width, canvas.height, limits);
    } else if (type === 'ANIM' || type === 'ANMF') {
      refuse('animated');
    } else if (type === 'ALPH') {
      hasAlpha = true;
    } else if (type === 'VP8 ' && !bitstream) {
      if (size < 10 || buf[data + 3] !== 0x9d || buf[data + 4] !== 0x01 || buf[data + 5] !== 0x2a) refuse('corrupt');
      bitstream = { width: buf.readUInt16LE(data + 6) & 0x3fff, height: buf.readUInt16LE(data + 8) & 0x3fff };
    } else if (type === 'VP8L' && !bitstream) {
      if (size < 5 || buf[data] !== 0x2f) refuse('corrupt');
      const bits = buf.readUInt32LE(data + 1);
      bitstream = { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
      if ((bits >>> 28) & 1) hasAlpha = true;
    } else if (offset === 12) {
      refuse('corrupt');
    }
    offset = data + size + (size & 1);
  }
  if (!bitstream || bitstream.width === 0 || bitstream.height === 0) return refuse('corrupt');
  const { width, height } = canvas ?? bitstream;
  checkSize(width, height, limits);
  return { width, height, hasAlpha };
}

// Rendering

export interface ImageVariant {
  width: number;
  height: number;
  /** Absolute paths of the encodings (AVIF when the ffmpeg can write it). */
  avif?: string;
  webp: string;
  jpeg: string;
}

export interface RenderedImage {
  /** The largest variant's size. */
  width: number;
  height: number;
  /** Ascending widths. */
  variants: ImageVariant[];
  /** A tiny blurred WebP (16 px wide) for a no-layout-shift placeholder. */
  placeholder: string;
}

export const PLACEHOLDER_WIDTH = 16;

const even = (x: number) => Math.max(2, Math.round(x / 2) * 2);

/**
 * The sizes to render: each requested width the picture is at least as wide as (never upscaled),
 * or the picture's own width (rounded down to even) when it is narrower than all of them. Heights
 * keep the aspect ratio, rounded to even (4:2:0 chroma).
 */
export function imageVariantSizes(
  info: Pick<ImageInfo, 'displayWidth' | 'displayHeight'>,
  widths: readonly number[],
): { width: number; height: number }[] {
  const fitting = [...new Set(widths)].filter((w) => w <= info.displayWidth).sort((a, b) => a - b);
  const chosen = fitting.length > 0 ? fitting : [Math.max(2, Math.floor(info.displayWidth / 2) * 2)];
  return chosen.map((width) => ({ width, height: even((width * info.displayHeight) / info.displayWidth) }));
}

/** ffmpeg's transposition for each EXIF orientation (applied after scaling, where it is cheap). */
const ORIENT: Record<number, string> = {
  2: 'hflip',
  3: 'hflip,vflip',
  4: 'vflip',
  5: 'transpose=0',
  6: 'transpose=1',
  7: 'transpose=3',
  8: 'transpose=2',
};

const DECODER: Record<ImageFormat, string> = { jpeg: 'mjpeg', png: 'png', webp: 'webp' };

export interface ImageRenderPlan {
  input: string;
  info: ImageInfo;
  sizes: { width: number; height: number }[];
  outputDir: string;
  /** Also write AVIF (a third of WebP's bytes for a poster on a phone); needs canEncodeAvif(). */
  avif?: boolean;
}

export type ImageExtension = 'avif' | 'webp' | 'jpg';

export function variantFileName(width: number, extension: ImageExtension): string {
  return `w${width}.${extension}`;
}
export const PLACEHOLDER_FILE = 'placeholder.webp';

/**
 * One ffmpeg run: decode once (image2 demuxer and the sniffed format's decoder forced, local files
 * only), flatten transparency onto black, scale to the largest width, orient, then split into every
 * width in JPEG and WebP, plus the placeholder. Metadata (EXIF, GPS) is not copied.
 */
export function buildImageVariantArgs(plan: ImageRenderPlan): string[] {
  const { info, sizes, outputDir } = plan;
  if (!plan.input.startsWith('/') || !outputDir.startsWith('/')) throw new Error('image paths must be absolute');
  if (sizes.length === 0) throw new Error('no sizes to render');
  const largest = sizes.at(-1)!;
  const swapped = info.orientation >= 5;
  const orient = ORIENT[info.orientation];
  const base = [
    '[0:v:0]',
    // Premultiplying composites onto black, and scaling premultiplied pixels leaves no fringes.
    info.hasAlpha ? 'format=gbrap,premultiply=inplace=1,' : '',
    `scale=${swapped ? largest.height : largest.width}:${swapped ? largest.width : largest.height}:flags=lanczos,`,
    orient ? `${orient},` : '',
    `setsar=1,split=${sizes.length + 1}${sizes.map((_, i) => `[s${i}]`).join('')}[sp]`,
  ].join('');
  const placeholderHeight = even((PLACEHOLDER_WIDTH * largest.height) / largest.width);
  const graph = [
    base,
    ...sizes.map(
      (s, i) =>
        `[s${i}]${s === largest ? 'null' : `scale=${s.width}:${s.height}:flags=lanczos`},` +
        (plan.avif ? `split=3[j${i}][w${i}][a${i}];[a${i}]format=yuv420p[ao${i}];` : `split=2[j${i}][w${i}];`) +
        `[j${i}]format=yuvj420p[jo${i}];[w${i}]format=yuv420p[wo${i}]`,
    ),
    `[sp]scale=${PLACEHOLDER_WIDTH}:${placeholderHeight}:flags=area,gblur=sigma=1,format=yuv420p[ph]`,
  ].join(';');
  const single = ['-frames:v', '1', '-update', '1'];
  return [
    '-hide_banner',
    '-nostdin',
    '-y',
    '-v',
    'error',
    '-xerror',
    '-noautorotate',
    '-protocol_whitelist',
    PROTOCOL_WHITELIST,
    '-format_whitelist',
    'image2',
    '-f',
    'image2',
    '-pattern_type',
    'none',
    '-c:v',
    DECODER[info.format],
    '-i',
    `file:${plan.input}`,
    '-filter_complex',
    graph,
    '-map_metadata',
    '-1',
    ...sizes.flatMap((s, i) => [
      '-map',
      `[jo${i}]`,
      ...single,
      '-c:v',
      'mjpeg',
      '-q:v',
      '3',
      `file:${join(outputDir, variantFileName(s.width, 'jpg'))}`,
      '-map',
      `[wo${i}]`,
      ...single,
      '-c:v',
      'libwebp',
      '-quality',
      '78',
      '-compression_level',
      '4',
      `file:${join(outputDir, variantFileName(s.width, 'webp'))}`,
      ...(plan.avif
        ? [
            '-map',
            `[ao${i}]`,
            ...single,
            '-c:v',
            'libaom-av1',
            '-still-picture',
            '1',
            '-crf',
            '32',
            '-cpu-used',
            '6',
            '-row-mt',
            '1',
            '-f',
            'avif',
            `file:${join(outputDir, variantFileName(s.width, 'avif'))}`,
          ]
        : []),
    ]),
    '-map',
    '[ph]',
    ...single,
    '-c:v',
    'libwebp',
    '-quality',
    '40',
    `file:${join(outputDir, PLACEHOLDER_FILE)}`,
  ];
}

export interface RenderImageOptions {
  input: string;
  info: ImageInfo;
  widths: readonly number[];
  /** An empty directory for the outputs. */
  outputDir: string;
  ffmpeg: string;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Also write AVIF (see canEncodeAvif). */
  avif?: boolean;
}

/**
 * Renders the variants of an inspected picture. A decoder error (a file damaged past its header)
 * or a timeout is an ImageRefusedError; a missing ffmpeg is not (a server problem, not the file's).
 */
export async function renderImageVariants(options: RenderImageOptions): Promise<RenderedImage> {
  const sizes = imageVariantSizes(options.info, options.widths);
  const args = buildImageVariantArgs({
    input: options.input,
    info: options.info,
    sizes,
    outputDir: options.outputDir,
    avif: options.avif,
  });
  try {
    await runMediaProcess(options.ffmpeg, args, {
      timeoutMs: options.timeoutMs,
      signal: options.signal,
      captureStdout: false,
    });
  } catch (err) {
    if (err instanceof MediaProcessError && err.failure === 'exit') refuse('unreadable');
    if (err instanceof MediaProcessError && err.failure === 'timeout') refuse('too_slow');
    throw err;
  }
  const written = new Set(await readdir(options.outputDir));
  const variants: ImageVariant[] = sizes.map((s) => ({
    ...s,
    ...(options.avif ? { avif: join(options.outputDir, variantFileName(s.width, 'avif')) } : {}),
    webp: join(options.outputDir, variantFileName(s.width, 'webp')),
    jpeg: join(options.outputDir, variantFileName(s.width, 'jpg')),
  }));
  const expected = [
    ...variants.flatMap((v) => [v.webp, v.jpeg, ...(v.avif ? [v.avif] : [])]),
    join(options.outputDir, PLACEHOLDER_FILE),
  ];
  for (const path of expected) {
    const name = path.slice(options.outputDir.length + 1);
    if (!written.has(name) || (await stat(path)).size === 0) refuse('unreadable');
  }
  const largest = sizes.at(-1)!;
  return {
    width: largest.width,
    height: largest.height,
    variants,
    placeholder: join(options.outputDir, PLACEHOLDER_FILE),
  };
}
