import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidStorageKeyError } from './errors';
import {
  assertFolderPrefix,
  assertSafeKey,
  assertSafePrefix,
  imageOwnerPrefix,
  imageStagingKey,
  imageVariantKey,
  imageVariantPrefix,
  masterPlaylistKey,
  renditionKey,
  renditionPrefix,
  transcodeStagingPrefix,
  videoSourceKey,
} from './keys';

const ROOT = path.resolve('/srv/kush/.data/media');
const VIDEO = '0193a5f2-7c1e-7d3a-9b4e-1f2a3b4c5d6e';

function accepts(check: (value: unknown) => void, value: string): boolean {
  try {
    check(value);
    return true;
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidStorageKeyError);
    return false;
  }
}

/** Strings built from the characters traversal is made of, plus a few that must never pass. */
const hostile = fc.string({
  unit: fc.constantFrom('.', '/', '\\', 'a', 'b', '0', '-', '_', '%', '2', 'e', 'f', 'C', ':', '~', ' ', '\0', 'é'),
  maxLength: 40,
});
const mixed = fc.oneof(hostile, fc.string({ maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 20 }));

describe('assertSafeKey', () => {
  it('accepts the keys the platform builds', () => {
    for (const key of [
      'videos/0193a5f2-7c1e-7d3a-9b4e-1f2a3b4c5d6e/source',
      'videos/x/hls/720p/seg_00001.ts',
      'a',
      'a.b/c-d_e/F9',
      'a..b',
      `${'x'.repeat(511)}y`,
    ]) {
      expect(accepts(assertSafeKey, key), key).toBe(true);
    }
  });

  it('refuses traversal, absolute paths, empty segments, dot-names, odd characters and long keys', () => {
    for (const key of [
      '',
      '.',
      '..',
      '../a',
      'a/..',
      'a/../b',
      './a',
      'a/./b',
      '/a',
      'a//b',
      'a/',
      '.env',
      'a/.meta.json',
      '...',
      'a\\..\\b',
      '%2e%2e%2fa',
      'a%2fb',
      'a b',
      'a\nb',
      'a\0b',
      'C:/a',
      'é',
      'x'.repeat(513),
    ]) {
      expect(accepts(assertSafeKey, key), JSON.stringify(key)).toBe(false);
    }
    expect(() => assertSafeKey(42)).toThrow(InvalidStorageKeyError);
    expect(() => assertSafeKey(undefined)).toThrow(InvalidStorageKeyError);
  });

  it('never accepts a key that resolves outside the root, or onto the root itself (property)', () => {
    fc.assert(
      fc.property(mixed, (key) => {
        if (!accepts(assertSafeKey, key)) return;
        const resolved = path.resolve(ROOT, key);
        expect(resolved.startsWith(ROOT + path.sep)).toBe(true);
        expect(path.join(ROOT, ...key.split('/'))).toBe(resolved);
        // Nothing a URL decoder or a Windows path would read differently.
        expect(decodeURIComponent(key)).toBe(key);
        expect(key.includes('\\')).toBe(false);
      }),
      { numRuns: 5000 },
    );
  });

  it('accepts every key made of safe, non-dot-leading segments (property)', () => {
    const segment = fc
      .string({ unit: fc.constantFrom(...'abcXYZ019._-'.split('')), minLength: 1, maxLength: 12 })
      .filter((s) => !s.startsWith('.'));
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 8 }), (segments) => {
        expect(accepts(assertSafeKey, segments.join('/'))).toBe(true);
      }),
    );
  });

  it('prefixes: any safe folder prefix stays inside the root too (property)', () => {
    fc.assert(
      fc.property(mixed, (prefix) => {
        if (!accepts(assertFolderPrefix, prefix)) return;
        expect(prefix.endsWith('/')).toBe(true);
        expect(path.resolve(ROOT, prefix).startsWith(ROOT + path.sep)).toBe(true);
      }),
      { numRuns: 3000 },
    );
    expect(accepts(assertSafePrefix, '')).toBe(true);
    expect(accepts(assertFolderPrefix, '')).toBe(false);
    expect(accepts(assertFolderPrefix, 'videos')).toBe(false);
    expect(accepts(assertFolderPrefix, 'videos/')).toBe(true);
  });
});

describe('keys built from ids', () => {
  it('lays out a video', () => {
    expect(videoSourceKey(VIDEO)).toBe(`videos/${VIDEO}/source`);
    expect(renditionPrefix(VIDEO)).toBe(`videos/${VIDEO}/hls/`);
    expect(masterPlaylistKey(VIDEO)).toBe(`videos/${VIDEO}/hls/master.m3u8`);
    expect(renditionKey(VIDEO, '720p/seg_00001.ts')).toBe(`videos/${VIDEO}/hls/720p/seg_00001.ts`);
    const attempt = '0193a5f2-0000-7000-8000-000000000001';
    expect(transcodeStagingPrefix(VIDEO, attempt)).toBe(`staging/${VIDEO}/${attempt}/`);
  });

  it('lower-cases ids so one video always has one set of keys', () => {
    expect(videoSourceKey(VIDEO.toUpperCase())).toBe(videoSourceKey(VIDEO));
  });

  it('refuses ids that are not UUIDs and rendition paths that escape', () => {
    for (const id of ['', '../x', 'abc', `${VIDEO}/../x`, `${VIDEO} `, '0193a5f27c1e7d3a9b4e1f2a3b4c5d6e']) {
      expect(() => videoSourceKey(id), id).toThrow(InvalidStorageKeyError);
      expect(() => renditionPrefix(id), id).toThrow(InvalidStorageKeyError);
    }
    expect(() => transcodeStagingPrefix(VIDEO, 'job-1')).toThrow(InvalidStorageKeyError);
    for (const rel of ['../../other/source', '', '/abs', '720p//x', '.hidden', '720p/']) {
      expect(() => renditionKey(VIDEO, rel), rel).toThrow(InvalidStorageKeyError);
    }
  });

  it('lays out uploaded images, and refuses anything but ids, slots and hashes', () => {
    const hash = '0123456789abcdef';
    expect(imageStagingKey(VIDEO)).toBe(`images/staging/${VIDEO}`);
    expect(imageOwnerPrefix('titles', VIDEO)).toBe(`images/titles/${VIDEO}/`);
    const prefix = imageVariantPrefix('people', VIDEO.toUpperCase(), 'photo', hash);
    expect(prefix).toBe(`images/people/${VIDEO}/photo/${hash}/`);
    expect(imageVariantKey(prefix, 320, 'webp')).toBe(`${prefix}w320.webp`);
    expect(imageVariantPrefix('episodes', VIDEO, 'still', hash)).toBe(`images/episodes/${VIDEO}/still/${hash}/`);
    expect(() => imageStagingKey('../x')).toThrow(InvalidStorageKeyError);
    expect(() => imageOwnerPrefix('videos' as 'titles', VIDEO)).toThrow(InvalidStorageKeyError);
    for (const slot of ['', '..', 'Poster', 'a/b', 'x'.repeat(21)]) {
      expect(() => imageVariantPrefix('titles', VIDEO, slot, hash), slot).toThrow(InvalidStorageKeyError);
    }
    for (const bad of ['', 'abc', '../0123456789abcdef', 'ABCDEF0123456789', 'g'.repeat(16)]) {
      expect(() => imageVariantPrefix('titles', VIDEO, 'poster', bad), bad).toThrow(InvalidStorageKeyError);
    }
    expect(() => imageVariantKey(prefix, 0, 'jpg')).toThrow(InvalidStorageKeyError);
    expect(() => imageVariantKey(prefix, 1.5, 'jpg')).toThrow(InvalidStorageKeyError);
    expect(() => imageVariantKey(prefix, 320, 'svg' as 'jpg')).toThrow(InvalidStorageKeyError);
    expect(() => imageVariantKey('images/../', 320, 'jpg')).toThrow(InvalidStorageKeyError);
  });
});
