import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BUFSIZE_FACTOR,
  h264Level,
  LADDER,
  ladderFor,
  MAXRATE_FACTOR,
  outputFrameRate,
  renditionHeightOf,
} from './ladder';

const labels = (source: Parameters<typeof ladderFor>[0]) => ladderFor(source).renditions.map((r) => r.nominalHeight);

describe('ladderFor', () => {
  it('never upscales: a 360p source gets 144p, 240p and 360p only', () => {
    const ladder = ladderFor({ width: 640, height: 360, fps: 25, audio: { channels: 2 } });
    expect(ladder.renditions.map((r) => [r.name, r.width, r.height])).toEqual([
      ['v144', 256, 144],
      ['v240', 426, 240],
      ['v360', 640, 360],
    ]);
  });

  it('caps at the source and at 1080p', () => {
    expect(labels({ width: 1280, height: 720, fps: 30 })).toEqual([144, 240, 360, 480, 720]);
    expect(labels({ width: 1920, height: 1080, fps: 30 })).toEqual([144, 240, 360, 480, 720, 1080]);
    expect(labels({ width: 3840, height: 2160, fps: 30 })).toEqual([144, 240, 360, 480, 720, 1080]);
    expect(labels({ width: 854, height: 470, fps: 30 })).toEqual([144, 240, 360, 480]);
    expect(labels({ width: 854, height: 400, fps: 30 })).toEqual([144, 240, 360]);
  });

  it('keeps a rung for a source a few pixels short of it, encoded at the source size', () => {
    const top = ladderFor({ width: 1916, height: 1076, fps: 25 }).renditions.at(-1)!;
    expect([top.nominalHeight, top.width, top.height]).toEqual([1080, 1916, 1076]);
  });

  it('names portrait rungs by their short side', () => {
    const ladder = ladderFor({ width: 720, height: 1280, fps: 30 });
    expect(ladder.renditions.map((r) => [r.nominalHeight, r.width, r.height])).toEqual([
      [144, 144, 256],
      [240, 240, 426],
      [360, 360, 640],
      [480, 480, 854],
      [720, 720, 1280],
    ]);
  });

  it('names each rendition directory so its nominal height can be read back from a path', () => {
    for (const source of [
      { width: 1920, height: 1080, fps: 25 },
      { width: 720, height: 1280, fps: 30 },
      { width: 160, height: 90, fps: 15 },
    ]) {
      for (const r of ladderFor(source).renditions) expect(renditionHeightOf(r.name)).toBe(r.nominalHeight);
    }
    for (const other of ['subs', 'master.m3u8', 'v', 'v720p', 'x720', 'V720'])
      expect(renditionHeightOf(other)).toBeNull();
  });

  it('gives a source smaller than 144p one rendition at its own size', () => {
    const ladder = ladderFor({ width: 160, height: 90, fps: 15 });
    expect(ladder.renditions.map((r) => [r.name, r.width, r.height])).toEqual([['v90', 160, 90]]);
    expect(ladder.renditions[0]!.videoBitrate).toBe(110_000);
  });

  it('uses 64 kbps audio on the two lowest rungs and 96 kbps above; no audio track, no audio codec', () => {
    const ladder = ladderFor({ width: 1920, height: 1080, fps: 25, audio: { channels: 6 } });
    expect(ladder.renditions.map((r) => r.audioBitrate)).toEqual([48_000, 64_000, 96_000, 96_000, 96_000, 96_000]);
    expect(ladder.audioChannels).toBe(2);
    expect(ladder.renditions.every((r) => r.codecs.endsWith(',mp4a.40.2'))).toBe(true);
    const silent = ladderFor({ width: 640, height: 360, fps: 25 });
    expect(silent.hasAudio).toBe(false);
    expect(silent.renditions.map((r) => r.codecs)).toEqual(['avc1.4d401e', 'avc1.4d401e', 'avc1.4d401e']);
    expect(silent.renditions.every((r) => r.audioBitrate === 0)).toBe(true);
  });

  it('sets the issue’s video bitrates with maxrate 1.1× and bufsize 2×', () => {
    const ladder = ladderFor({ width: 1920, height: 1080, fps: 25 });
    expect(ladder.renditions.map((r) => r.videoBitrate / 1000)).toEqual([110, 250, 500, 900, 2000, 4000]);
    for (const r of ladder.renditions) {
      expect(r.maxrate).toBe(Math.round(r.videoBitrate * MAXRATE_FACTOR));
      expect(r.bufsize).toBe(r.videoBitrate * BUFSIZE_FACTOR);
    }
  });

  it('uses Main profile up to 480p and High from 720p, with levels that fit', () => {
    const ladder = ladderFor({ width: 1920, height: 1080, fps: 30 });
    expect(ladder.renditions.map((r) => `${r.profile}@${r.level}`)).toEqual([
      'main@3.0',
      'main@3.0',
      'main@3.0',
      'main@3.1',
      'high@3.1',
      'high@4.0',
    ]);
    expect(ladder.renditions.map((r) => r.codecs.split(',')[0])).toEqual([
      'avc1.4d401e',
      'avc1.4d401e',
      'avc1.4d401e',
      'avc1.4d401f',
      'avc1.64001f',
      'avc1.640028',
    ]);
    expect(h264Level(854, 480, 25, 990_000, 'main').level).toBe('3.0');
  });

  it('never produces a rendition larger than the source, and sizes are even (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 16, max: 4096 }), fc.integer({ min: 16, max: 4096 }), (width, height) => {
        const ladder = ladderFor({ width, height, fps: 25 });
        expect(ladder.renditions.length).toBeGreaterThan(0);
        expect(ladder.renditions.length).toBeLessThanOrEqual(LADDER.length);
        for (const r of ladder.renditions) {
          expect(r.width).toBeLessThanOrEqual(width);
          expect(r.height).toBeLessThanOrEqual(height);
          expect(r.width % 2).toBe(0);
          expect(r.height % 2).toBe(0);
        }
      }),
    );
  });
});

describe('outputFrameRate', () => {
  it('keeps rates up to 30 fps and divides higher ones evenly', () => {
    const rate = (fps: number) => outputFrameRate(fps);
    expect(rate(25)).toEqual({ num: 25, den: 1 });
    expect(rate(24000 / 1001)).toEqual({ num: 24000, den: 1001 });
    expect(rate(30000 / 1001)).toEqual({ num: 30000, den: 1001 });
    expect(rate(30.02)).toEqual({ num: 30, den: 1 });
    expect(rate(50)).toEqual({ num: 25, den: 1 });
    expect(rate(60000 / 1001)).toEqual({ num: 30000, den: 1001 });
    expect(rate(60)).toEqual({ num: 30, den: 1 });
    expect(rate(120)).toEqual({ num: 30, den: 1 });
    expect(rate(Number.NaN)).toEqual({ num: 25, den: 1 });
  });
});
