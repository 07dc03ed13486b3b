import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ladderFor } from './ladder';
import { type MediaProbe, probeMedia } from './probe';
import { MediaRefusedError, REFUSAL_MESSAGES, type RefusalCode } from './refusal';
import { MediaProcessError } from './run';
import {
  ffmpegFixture,
  filesContaining,
  makeGab2Avi,
  makeMkvWithPlaylistAttachment,
  makeTruncated,
  makeTruncatedConsistentMp4,
  makeVideo,
  passwdMarker,
  PASSWD_CONCAT,
  PASSWD_PLAYLIST,
  tempDir,
} from './test-support';
import { transcode } from './transcode';

let dir: Awaited<ReturnType<typeof tempDir>>;
let marker: string;
const at = (name: string) => join(dir.path, name);

beforeAll(async () => {
  dir = await tempDir();
  marker = await passwdMarker();
  await mkdir(at('out'));
  const lavfi = (spec: string) => ['-f', 'lavfi', '-i', spec];
  await Promise.all([
    makeVideo(at('good.mp4'), { seconds: 4 }),
    makeVideo(at('good-fast.mp4'), { seconds: 4, faststart: true }),
    makeVideo(at('good.mkv'), { seconds: 4, format: 'matroska' }),
    makeVideo(at('good.webm'), { seconds: 3, format: 'webm', size: '320x240' }),
    makeVideo(at('good.avi'), { seconds: 3, format: 'avi', size: '320x240' }),
    makeVideo(at('good.ts'), { seconds: 3, format: 'mpegts', size: '320x240' }),
    makeVideo(at('good.mov'), { seconds: 3, format: 'mov', size: '320x240', audio: false }),
    makeVideo(at('portrait.mp4'), { seconds: 2, size: '360x640', audio: false }),
    ffmpegFixture([...lavfi('testsrc2=size=320x240'), '-frames:v', '1', at('picture.png')]),
    ffmpegFixture([...lavfi('testsrc2=size=320x240'), '-frames:v', '1', at('picture.jpg')]),
    ffmpegFixture([...lavfi('testsrc2=size=320x240'), '-frames:v', '1', '-c:v', 'libx264', at('one-frame.mp4')]),
    ffmpegFixture([...lavfi('sine=duration=2'), '-c:a', 'aac', at('song.m4a')]),
    ffmpegFixture([...lavfi('sine=duration=2'), '-c:a', 'libmp3lame', at('song.mp3')]),
    ffmpegFixture([...lavfi('sine=duration=1'), at('song.wav')]),
    ffmpegFixture([...lavfi('testsrc2=size=320x240:duration=1'), '-f', 'flv', at('old.flv')]),
    makeGab2Avi(at('gab2.avi')),
    makeMkvWithPlaylistAttachment(dir.path, at('attached.mkv')),
    writeFile(at('empty.mp4'), ''),
    writeFile(at('text.mp4'), 'This is not a video, just some text that was renamed.\n'),
    writeFile(at('playlist.m3u8'), PASSWD_PLAYLIST),
    writeFile(at('playlist.mp4'), PASSWD_PLAYLIST),
    writeFile(at('playlist.mkv'), PASSWD_PLAYLIST),
    writeFile(at('playlist.avi'), PASSWD_PLAYLIST),
    writeFile(at('playlist.ts'), PASSWD_PLAYLIST),
    writeFile(at('bom-playlist.mp4'), `\ufeff\n  ${PASSWD_PLAYLIST}`),
    writeFile(at('concat.mp4'), PASSWD_CONCAT),
    writeFile(at('noise.mp4'), Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 251))),
  ]);
  await Promise.all([
    makeTruncated(at('good.mp4'), at('truncated.mp4')),
    makeTruncated(at('good-fast.mp4'), at('truncated-faststart.mp4')),
    makeTruncated(at('good.mkv'), at('truncated.mkv')),
    makeTruncated(at('good.webm'), at('truncated.webm')),
    makeTruncated(at('good.avi'), at('truncated.avi')),
    makeTruncatedConsistentMp4(at('good-fast.mp4'), at('truncated-patched.mp4')),
    ffmpegFixture(['-i', at('good.mp4'), '-c', 'copy', '-metadata:s:v', 'rotate=90', at('rotated.mp4')]),
  ]);
});

afterAll(() => dir.cleanup());

async function refusal(name: string, options?: Parameters<typeof probeMedia>[1]): Promise<MediaRefusedError> {
  try {
    await probeMedia(at(name), options);
  } catch (err) {
    if (err instanceof MediaRefusedError) return err;
    throw err;
  }
  throw new Error(`${name} was accepted`);
}

describe('probeMedia accepts the allowed containers', () => {
  it.each([
    ['good.mp4', 'mp4', 'h264', true],
    ['good-fast.mp4', 'mp4', 'h264', true],
    ['good.mkv', 'mkv', 'h264', true],
    ['good.webm', 'webm', 'vp8', true],
    ['good.avi', 'avi', 'mpeg4', true],
    ['good.ts', 'mpegts', 'h264', true],
    ['good.mov', 'mov', 'h264', false],
  ] as const)('%s', async (name, container, videoCodec, hasAudio) => {
    const probe = await probeMedia(at(name));
    expect(probe).toMatchObject({ container, videoCodec, rotation: 0, interlaced: false });
    expect(probe.width).toBeGreaterThan(0);
    expect(probe.durationSeconds).toBeGreaterThan(2);
    expect(probe.fps).toBe(25);
    expect(probe.sizeBytes).toBeGreaterThan(0);
    expect(probe.bitrate).toBeGreaterThan(0);
    expect(probe.audio !== undefined).toBe(hasAudio);
  });

  it('reports size, duration and audio', async () => {
    const probe = await probeMedia(at('good.mp4'));
    expect(probe).toMatchObject({
      width: 640,
      height: 360,
      durationSeconds: 4,
      audio: { codec: 'aac', channels: 2, sampleRate: 48000 },
    });
    expect((await probeMedia(at('portrait.mp4'))).height).toBe(640);
  });

  it('reports the displayed size of a video recorded with the phone turned', async () => {
    const probe = await probeMedia(at('rotated.mp4'));
    expect([probe.width, probe.height]).toEqual([360, 640]);
    expect([90, 270]).toContain(probe.rotation);
  });
});

describe('probeMedia refuses, with a stable reason', () => {
  it.each<[string, RefusalCode]>([
    ['text.mp4', 'not_media'],
    ['noise.mp4', 'not_media'],
    ['playlist.m3u8', 'playlist'],
    ['playlist.mp4', 'playlist'],
    ['playlist.mkv', 'playlist'],
    ['playlist.avi', 'playlist'],
    ['playlist.ts', 'playlist'],
    ['bom-playlist.mp4', 'playlist'],
    ['concat.mp4', 'playlist'],
    ['gab2.avi', 'playlist'],
    ['attached.mkv', 'playlist'],
    ['empty.mp4', 'empty_file'],
    ['truncated.mp4', 'truncated'],
    ['truncated-faststart.mp4', 'truncated'],
    ['truncated.mkv', 'truncated'],
    ['truncated.webm', 'truncated'],
    ['truncated.avi', 'truncated'],
    ['truncated-patched.mp4', 'truncated'],
    ['picture.png', 'image'],
    ['picture.jpg', 'image'],
    ['one-frame.mp4', 'image'],
    ['song.m4a', 'audio_only'],
    ['song.mp3', 'audio_only'],
    ['song.wav', 'audio_only'],
    ['old.flv', 'unsupported_container'],
  ])('%s → %s', async (name, code) => {
    const err = await refusal(name);
    expect(err.code).toBe(code);
    expect(err.message).toBe(REFUSAL_MESSAGES[code]);
    expect(JSON.stringify({ code: err.code, message: err.message, stack: err.stack })).not.toContain(marker);
  });

  it('refuses videos longer than the limit', async () => {
    expect((await refusal('good.mp4', { maxDurationSeconds: 3 })).code).toBe('too_long');
  });

  it('refuses files larger than the limit before reading them', async () => {
    expect((await refusal('good.mp4', { maxBytes: 1000 })).code).toBe('too_large');
  });
});

describe('defence in depth: even a forged probe cannot make ffmpeg read local files', () => {
  const hostile: [string, MediaProbe['container']][] = [
    ['playlist.mp4', 'mp4'],
    ['playlist.mkv', 'mkv'],
    ['playlist.avi', 'avi'],
    ['playlist.ts', 'mpegts'],
    ['concat.mp4', 'mp4'],
    ['gab2.avi', 'avi'],
    ['attached.mkv', 'mkv'],
  ];

  it.each(hostile)('%s transcoded as %s leaks nothing', async (name, container) => {
    const forged: MediaProbe = {
      container,
      durationSeconds: 2,
      width: 320,
      height: 240,
      fps: 10,
      videoCodec: 'h264',
      bitrate: 1,
      sizeBytes: 1,
      rotation: 0,
      interlaced: false,
    };
    const outputDir = at(`out/${name}`);
    const result = await transcode({
      input: at(name),
      outputDir,
      probe: forged,
      preset: 'ultrafast',
      ladder: ladderFor({ width: 320, height: 240, fps: 10 }),
      timeoutMs: 30_000,
    }).then(
      (manifest) => ({ manifest }),
      (error: unknown) => ({ error }),
    );
    if ('error' in result) {
      expect(result.error).toBeInstanceOf(MediaProcessError);
      const { message, result: run } = result.error as MediaProcessError;
      expect(`${message}\n${run?.stderr ?? ''}\n${run?.stdout ?? ''}`).not.toContain(marker);
    } else {
      // The GAB2 and attachment files are real videos: they may transcode, without the playlist.
      expect(['gab2.avi', 'attached.mkv']).toContain(name);
    }
    expect(await filesContaining(outputDir, marker)).toEqual([]);
  });

  it('no file anywhere in this suite’s outputs contains /etc/passwd content', async () => {
    expect(await filesContaining(at('out'), marker)).toEqual([]);
  });
});
