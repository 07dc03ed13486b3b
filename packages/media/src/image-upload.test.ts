import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeImage, SVG_IMAGE, TEXT_AS_JPEG, truncated, withExifOrientation, withPngSize } from './image-fixtures';
import {
  buildImageVariantArgs,
  type ImageInfo,
  ImageRefusedError,
  imageVariantSizes,
  inspectImage,
  renderImageVariants,
} from './image-upload';
import { canEncodeAvif } from './binaries';
import { runMediaProcess } from './run';
import { tempDir, testFfmpeg, testFfprobe } from './test-support';

let jpeg: Buffer;
let png: Buffer;
let webp: Buffer;
let alphaPng: Buffer;
let work: Awaited<ReturnType<typeof tempDir>>;

beforeAll(async () => {
  work = await tempDir('kf-image-test-');
  [jpeg, png, webp, alphaPng] = await Promise.all([
    makeImage('jpeg', 600, 900),
    makeImage('png', 400, 250),
    makeImage('webp', 1000, 562),
    makeImage('png', 64, 64, { alpha: true }),
  ]);
});
afterAll(async () => {
  await work?.cleanup();
});

function refusal(bytes: Buffer): { code: string; format?: string; message: string } {
  try {
    inspectImage(bytes);
  } catch (err) {
    expect(err).toBeInstanceOf(ImageRefusedError);
    const e = err as ImageRefusedError;
    return { code: e.code, format: e.format, message: e.message };
  }
  throw new Error('expected a refusal');
}

async function sizeOf(path: string): Promise<{ width: number; height: number }> {
  const { stdout } = await runMediaProcess(
    await testFfprobe(),
    ['-v', 'error', '-show_entries', 'stream=width,height', '-of', 'json', path],
    { timeoutMs: 10_000, lowPriority: false },
  );
  const [stream] = (JSON.parse(stdout) as { streams: { width: number; height: number }[] }).streams;
  return { width: stream!.width, height: stream!.height };
}

describe('inspectImage', () => {
  it('reads the format, size and transparency of JPEG, PNG and WebP from their headers', async () => {
    expect(inspectImage(jpeg)).toEqual({
      format: 'jpeg',
      width: 600,
      height: 900,
      orientation: 1,
      displayWidth: 600,
      displayHeight: 900,
      hasAlpha: false,
    });
    expect(inspectImage(png)).toMatchObject({ format: 'png', width: 400, height: 250, hasAlpha: false });
    expect(inspectImage(webp)).toMatchObject({ format: 'webp', width: 1000, height: 562, hasAlpha: false });
    expect(inspectImage(alphaPng)).toMatchObject({ format: 'png', hasAlpha: true });
    const alphaWebp = await makeImage('webp', 64, 64, { alpha: true });
    expect(inspectImage(alphaWebp)).toMatchObject({ format: 'webp', width: 64, height: 64, hasAlpha: true });
  });

  it('applies the EXIF orientation to the display size, in either byte order', () => {
    expect(inspectImage(withExifOrientation(jpeg, 6))).toMatchObject({
      orientation: 6,
      displayWidth: 900,
      displayHeight: 600,
    });
    expect(inspectImage(withExifOrientation(jpeg, 3, 'II'))).toMatchObject({
      orientation: 3,
      displayWidth: 600,
      displayHeight: 900,
    });
    expect(inspectImage(withExifOrientation(jpeg, 42)).orientation).toBe(1);
  });

  it('refuses what is not a JPEG, PNG or still WebP, saying what it is', async () => {
    expect(refusal(Buffer.alloc(0)).code).toBe('empty_file');
    expect(refusal(SVG_IMAGE).code).toBe('svg');
    expect(refusal(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"></svg>')).code).toBe('svg');
    expect(refusal(TEXT_AS_JPEG)).toMatchObject({ code: 'text', message: expect.stringContaining('text') });
    expect(refusal(await makeImage('gif', 64, 64))).toMatchObject({
      code: 'unsupported_format',
      format: 'GIF',
      message: expect.stringContaining('GIF'),
    });
    const heif = Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from('ftypheic'), Buffer.alloc(64)]);
    expect(refusal(heif)).toMatchObject({ code: 'unsupported_format', format: 'HEIF' });
    expect(refusal(await makeImage('animated-webp', 64, 64)).code).toBe('animated');
    expect(refusal(Buffer.from([0x00, 0x01, 0x02, 0x03, 0xfe, 0xff, 0x10, 0x80])).code).toBe('not_image');
  });

  it('refuses decompression bombs and absurd sizes from the header, before any decoding', () => {
    const bomb = withPngSize(png, 10_000, 10_000);
    expect(bomb.length).toBe(png.length);
    expect(refusal(bomb).code).toBe('too_many_pixels');
    expect(refusal(withPngSize(png, 20_000, 40)).code).toBe('too_many_pixels');
    expect(refusal(withPngSize(png, 7100, 7100)).code).toBe('too_many_pixels'); // 50.4 MP
  });

  it('refuses pictures that are too small', async () => {
    expect(refusal(await makeImage('png', 20, 200)).code).toBe('too_small');
  });

  it('refuses truncated files of every format', () => {
    for (const bytes of [jpeg, png, webp]) expect(refusal(truncated(bytes)).code).toBe('truncated');
    expect(refusal(jpeg.subarray(0, jpeg.length - 2)).code).toBe('truncated'); // no EOI
  });

  it('refuses damaged structure', () => {
    const noHeader = Buffer.from(png);
    noHeader.write('XXXX', 12, 'latin1');
    expect(refusal(noHeader).code).toBe('corrupt');
    const badJpeg = Buffer.from(jpeg);
    badJpeg[2] = 0xff;
    badJpeg[3] = 0xd8; // a second SOI
    expect(refusal(badJpeg).code).toBe('corrupt');
  });
});

describe('imageVariantSizes', () => {
  it('keeps the widths the picture covers and never upscales', () => {
    const info = { displayWidth: 1000, displayHeight: 1500 };
    expect(imageVariantSizes(info, [160, 320, 480, 720])).toEqual([
      { width: 160, height: 240 },
      { width: 320, height: 480 },
      { width: 480, height: 720 },
      { width: 720, height: 1080 },
    ]);
    expect(imageVariantSizes({ displayWidth: 500, displayHeight: 281 }, [480, 960, 1440, 1920])).toEqual([
      { width: 480, height: 270 },
    ]);
    expect(imageVariantSizes({ displayWidth: 101, displayHeight: 150 }, [160, 320])).toEqual([
      { width: 100, height: 148 },
    ]);
  });
});

describe('buildImageVariantArgs', () => {
  const info: ImageInfo = {
    format: 'png',
    width: 400,
    height: 600,
    orientation: 1,
    displayWidth: 400,
    displayHeight: 600,
    hasAlpha: false,
  };

  it('forces the image2 demuxer and the sniffed decoder, reads local files only and drops metadata', () => {
    const args = buildImageVariantArgs({
      input: '/tmp/x/source',
      info,
      sizes: [{ width: 160, height: 240 }],
      outputDir: '/tmp/x/out',
    });
    const before = args.slice(0, args.indexOf('-i'));
    expect(before).toEqual(expect.arrayContaining(['-protocol_whitelist', 'file,pipe', '-noautorotate', '-xerror']));
    expect(before[before.indexOf('-f') + 1]).toBe('image2');
    expect(before[before.indexOf('-c:v') + 1]).toBe('png');
    expect(before[before.indexOf('-pattern_type') + 1]).toBe('none');
    expect(args[args.indexOf('-i') + 1]).toBe('file:/tmp/x/source');
    expect(args).toEqual(expect.arrayContaining(['-map_metadata', '-1']));
    expect(args.filter((a) => a.startsWith('file:/tmp/x/out/'))).toEqual([
      'file:/tmp/x/out/w160.jpg',
      'file:/tmp/x/out/w160.webp',
      'file:/tmp/x/out/placeholder.webp',
    ]);
    expect(() => buildImageVariantArgs({ input: 'relative', info, sizes: [], outputDir: '/tmp' })).toThrow();
    const withAvif = buildImageVariantArgs({
      input: '/tmp/x/source',
      info,
      sizes: [{ width: 160, height: 240 }],
      outputDir: '/tmp/x/out',
      avif: true,
    });
    expect(withAvif.filter((a) => a.startsWith('file:/tmp/x/out/'))).toEqual([
      'file:/tmp/x/out/w160.jpg',
      'file:/tmp/x/out/w160.webp',
      'file:/tmp/x/out/w160.avif',
      'file:/tmp/x/out/placeholder.webp',
    ]);
  });
});

describe('renderImageVariants', () => {
  async function render(bytes: Buffer, widths: number[], name: string) {
    const dir = join(work.path, name);
    const input = join(work.path, `${name}.source`);
    await writeFile(input, bytes);
    await mkdir(dir);
    const info = inspectImage(bytes);
    return renderImageVariants({ input, info, widths, outputDir: dir, ffmpeg: await testFfmpeg(), timeoutMs: 30_000 });
  }

  it('renders every width in WebP and JPEG, never upscaled, with a tiny placeholder', async () => {
    const rendered = await render(jpeg, [160, 320, 480, 720], 'poster');
    expect(rendered.variants.map((v) => v.width)).toEqual([160, 320, 480]);
    expect({ width: rendered.width, height: rendered.height }).toEqual({ width: 480, height: 720 });
    for (const variant of rendered.variants) {
      expect(await sizeOf(variant.webp)).toEqual({ width: variant.width, height: variant.height });
      expect(await sizeOf(variant.jpeg)).toEqual({ width: variant.width, height: variant.height });
      expect((await readFile(variant.webp)).subarray(8, 12).toString('latin1')).toBe('WEBP');
      expect((await readFile(variant.jpeg)).subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
    }
    expect(await sizeOf(rendered.placeholder)).toEqual({ width: 16, height: 24 });
    expect((await stat(rendered.placeholder)).size).toBeLessThan(600);
  });

  it('also renders AVIF at every width when the ffmpeg can write it', async (ctx) => {
    const ffmpeg = await testFfmpeg();
    if (!(await canEncodeAvif(ffmpeg))) ctx.skip();
    const dir = join(work.path, 'avif');
    const input = join(work.path, 'avif.source');
    await writeFile(input, jpeg);
    await mkdir(dir);
    const rendered = await renderImageVariants({
      input,
      info: inspectImage(jpeg),
      widths: [160, 320],
      outputDir: dir,
      ffmpeg,
      timeoutMs: 60_000,
      avif: true,
    });
    for (const variant of rendered.variants) {
      expect(variant.avif).toBe(join(dir, `w${variant.width}.avif`));
      expect(await sizeOf(variant.avif!)).toEqual({ width: variant.width, height: variant.height });
      // An ISO-BMFF file whose brand is AVIF.
      expect((await readFile(variant.avif!)).subarray(4, 12).toString('latin1')).toBe('ftypavif');
    }
  });

  it('turns a picture the way its EXIF orientation says', async () => {
    const rendered = await render(withExifOrientation(jpeg, 6), [320, 640], 'rotated');
    expect(rendered.variants.map((v) => [v.width, v.height])).toEqual([
      [320, 214],
      [640, 426],
    ]);
    expect(await sizeOf(rendered.variants[1]!.jpeg)).toEqual({ width: 640, height: 426 });
  });

  it('flattens transparency onto black', async () => {
    const rendered = await render(alphaPng, [32], 'alpha');
    const raw = join(work.path, 'alpha.rgb');
    await runMediaProcess(
      await testFfmpeg(),
      ['-v', 'error', '-i', rendered.variants[0]!.jpeg, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-frames:v', '1', raw],
      { timeoutMs: 10_000, lowPriority: false },
    );
    const [r, g, b] = await readFile(raw);
    expect(r).toBeGreaterThan(100);
    expect(r).toBeLessThan(160); // half-transparent red on black, not full red
    expect(g).toBeLessThan(20);
    expect(b).toBeLessThan(20);
  });

  it('refuses a picture damaged past its header as unreadable', async () => {
    const damaged = Buffer.from(png);
    const data = damaged.indexOf('IDAT', 0, 'latin1');
    damaged.fill(0x55, data + 8, Math.min(damaged.length - 20, data + 400));
    await expect(render(damaged, [160], 'damaged')).rejects.toMatchObject({ code: 'unreadable' });
  });
});
