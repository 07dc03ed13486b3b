/**
 * Pictures for tests, made at test time with ffmpeg's lavfi sources (nothing binary is committed),
 * and the hostile variants the upload checks must refuse. Exported as `@kush/media/image-fixtures`
 * for the API's tests; never used by production code.
 */
import { crc32 } from 'node:zlib';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { locateBinary } from './binaries';
import { runMediaProcess } from './run';

export type FixtureFormat = 'jpeg' | 'png' | 'webp' | 'gif' | 'animated-webp';

const ENCODER: Record<FixtureFormat, { args: string[]; ext: string }> = {
  jpeg: { args: ['-c:v', 'mjpeg', '-q:v', '3'], ext: 'jpg' },
  png: { args: ['-c:v', 'png'], ext: 'png' },
  webp: { args: ['-c:v', 'libwebp', '-quality', '80'], ext: 'webp' },
  gif: { args: [], ext: 'gif' },
  'animated-webp': { args: ['-c:v', 'libwebp_anim', '-loop', '0'], ext: 'webp' },
};

/**
 * A test picture of the given size: a colour test pattern, or a half-transparent red square when
 * `alpha` is set (PNG and WebP only). Animated WebP gets three frames.
 */
export async function makeImage(
  format: FixtureFormat,
  width: number,
  height: number,
  options: { alpha?: boolean } = {},
): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), 'kf-image-'));
  try {
    const file = join(dir, `fixture.${ENCODER[format].ext}`);
    const source = options.alpha
      ? `color=c=red@0.5:s=${width}x${height},format=rgba`
      : `testsrc2=s=${width}x${height}:r=5`;
    const frames = format === 'animated-webp' ? '3' : '1';
    const { path: ffmpeg } = await locateBinary('ffmpeg');
    await runMediaProcess(
      ffmpeg,
      [
        '-hide_banner',
        '-nostdin',
        '-y',
        '-v',
        'error',
        '-f',
        'lavfi',
        '-i',
        source,
        '-frames:v',
        frames,
        ...ENCODER[format].args,
        ...(frames === '1' ? ['-update', '1'] : []),
        file,
      ],
      { timeoutMs: 60_000, lowPriority: false, captureStdout: false },
    );
    return await readFile(file);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The same JPEG with an APP1 Exif segment carrying this orientation, right after SOI. */
export function withExifOrientation(jpeg: Buffer, orientation: number, byteOrder: 'II' | 'MM' = 'MM'): Buffer {
  const tiff = Buffer.alloc(26);
  const little = byteOrder === 'II';
  tiff.write(byteOrder, 0, 'latin1');
  const u16 = (value: number, at: number) => (little ? tiff.writeUInt16LE(value, at) : tiff.writeUInt16BE(value, at));
  const u32 = (value: number, at: number) => (little ? tiff.writeUInt32LE(value, at) : tiff.writeUInt32BE(value, at));
  u16(42, 2);
  u32(8, 4); // IFD0 right after the header
  u16(1, 8); // one entry
  u16(0x0112, 10); // Orientation
  u16(3, 12); // SHORT
  u32(1, 14); // one value
  u16(orientation, 18);
  u32(0, 22); // no next IFD
  const payload = Buffer.concat([Buffer.from('Exif\u0000\u0000', 'latin1'), tiff]);
  const header = Buffer.from([0xff, 0xe1, 0, 0]);
  header.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([jpeg.subarray(0, 2), header, payload, jpeg.subarray(2)]);
}

/**
 * The same PNG declaring another size in its IHDR (with a valid CRC): a decompression bomb when the
 * size is huge, since the file stays a few KB.
 */
export function withPngSize(png: Buffer, width: number, height: number): Buffer {
  const copy = Buffer.from(png);
  copy.writeUInt32BE(width, 16);
  copy.writeUInt32BE(height, 20);
  copy.writeUInt32BE(crc32(copy.subarray(12, 29)) >>> 0, 29);
  return copy;
}

/** The first part of a file, as an interrupted upload or export leaves it. */
export function truncated(bytes: Buffer, fraction = 0.6): Buffer {
  return Buffer.from(bytes.subarray(0, Math.floor(bytes.length * fraction)));
}

/** An SVG carrying a script: what a poster upload must never store or serve. */
export const SVG_IMAGE = Buffer.from(
  '<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="600" height="900">' +
    '<script>alert(document.cookie)</script><rect width="600" height="900" fill="gold"/></svg>\n',
);

/** Plain text with a picture's name. */
export const TEXT_AS_JPEG = Buffer.from('This is not a poster, just notes saved as poster.jpg.\n'.repeat(20));
