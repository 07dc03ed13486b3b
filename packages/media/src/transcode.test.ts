import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hardenedProbeInputArgs } from './containers';
import { codecsFromInitSegment, parseMediaPlaylist, writeMasterPlaylist } from './master';
import { probeMedia } from './probe';
import { MediaProcessError, runMediaProcess } from './run';
import { writeSubtitleTrack } from './subtitles';
import { makeVideo, tempDir, testFfmpeg, testFfprobe } from './test-support';
import { locateBinary } from './binaries';
import { supportsSingleProcessHls, transcode, type TranscodeManifest, type TranscodeProgress } from './transcode';

let dir: Awaited<ReturnType<typeof tempDir>>;
const at = (...parts: string[]) => join(dir.path, ...parts);

interface Run {
  outputDir: string;
  manifest: TranscodeManifest;
  progress: TranscodeProgress[];
}
const runs: Record<'sd' | 'hd' | 'silent', Run> = {} as never;

async function run(name: keyof typeof runs, input: string) {
  const outputDir = at(`out-${name}`);
  const progress: TranscodeProgress[] = [];
  const manifest = await transcode({
    input,
    outputDir,
    probe: await probeMedia(input),
    preset: 'ultrafast',
    onProgress: (p) => progress.push(p),
  });
  runs[name] = { outputDir, manifest, progress };
}

beforeAll(async () => {
  dir = await tempDir();
  await Promise.all([
    makeVideo(at('sd.mp4'), { size: '640x360', rate: 25, seconds: 8 }),
    makeVideo(at('hd.mkv'), { size: '1280x720', rate: 30, seconds: 8, format: 'matroska' }),
    makeVideo(at('silent.webm'), { size: '426x240', rate: 25, seconds: 6, format: 'webm', audio: false }),
  ]);
  await run('sd', at('sd.mp4'));
  await Promise.all([run('hd', at('hd.mkv')), run('silent', at('silent.webm'))]);
});

afterAll(() => dir.cleanup());

async function ffprobeJson<T>(path: string, args: string[]): Promise<T> {
  const { stdout } = await runMediaProcess(
    await testFfprobe(),
    ['-v', 'error', ...hardenedProbeInputArgs('mp4', path), ...args, '-of', 'json'],
    { timeoutMs: 30_000 },
  );
  return JSON.parse(stdout) as T;
}

/** A rendition's init segment followed by the given media segments, as one playable MP4. */
async function joinSegments(outputDir: string, name: string, segments: string[], target: string) {
  const parts = await Promise.all(['init.mp4', ...segments].map((f) => readFile(join(outputDir, name, f))));
  await writeFile(target, Buffer.concat(parts));
  return target;
}

async function keyframeTimes(path: string): Promise<number[]> {
  const { packets = [] } = await ffprobeJson<{ packets?: { pts_time: string; flags: string }[] }>(path, [
    '-select_streams',
    'v:0',
    '-show_entries',
    'packet=pts_time,flags',
  ]);
  return packets.filter((p) => p.flags.startsWith('K')).map((p) => Number(p.pts_time));
}

/** Our own output images: plain ffprobe (image demuxers are not on the upload allow-list). */
async function imageInfo(path: string) {
  const { stdout } = await runMediaProcess(
    await testFfprobe(),
    ['-v', 'error', '-show_entries', 'stream=codec_name,width,height', '-of', 'json', `file:${path}`],
    { timeoutMs: 30_000 },
  );
  return (JSON.parse(stdout) as { streams?: { codec_name: string; width: number; height: number }[] }).streams?.[0];
}

/**
 * Keyframe times of each rendition (relative to its first frame), checking on the way that every
 * segment, played from its init segment alone, starts with a keyframe.
 */
async function keyframesPerRendition({ manifest, outputDir }: Run): Promise<number[][]> {
  const perRendition: number[][] = [];
  for (const r of manifest.renditions) {
    const segments = parseMediaPlaylist(await readFile(join(outputDir, r.playlist), 'utf8')).segments.map((s) => s.uri);
    const tag = `${outputDir.split('/').pop()}-${r.name}`;
    const times = await keyframeTimes(await joinSegments(outputDir, r.name, segments, at(`${tag}-whole.mp4`)));
    perRendition.push(times.map((t) => Math.round((t - times[0]!) * 1000) / 1000));
    for (const [i, segment] of segments.entries()) {
      const one = await joinSegments(outputDir, r.name, [segment], at(`${tag}-seg${i}.mp4`));
      const { packets = [] } = await ffprobeJson<{ packets?: { flags: string }[] }>(one, [
        '-select_streams',
        'v:0',
        '-read_intervals',
        '%+#1',
        '-show_entries',
        'packet=flags',
      ]);
      expect(packets[0]?.flags, `${r.name} ${segment}`).toMatch(/^K/);
    }
  }
  return perRendition;
}

describe('transcode (640×360 MP4 source)', () => {
  it('builds 144p, 240p and 360p only, never upscaling', () => {
    expect(runs.sd.manifest.renditions.map((r) => [r.label, r.width, r.height])).toEqual([
      ['144p', 256, 144],
      ['240p', 426, 240],
      ['360p', 640, 360],
    ]);
    expect(runs.sd.manifest.durationSeconds).toBeCloseTo(8, 1);
  });

  it('writes predictable file names and nothing else', async () => {
    const files = (await readdir(runs.sd.outputDir, { recursive: true })).map(String).sort();
    expect(files).toEqual(
      [
        'master.m3u8',
        'poster.jpg',
        'poster.webp',
        'sprite.jpg',
        'sprite.vtt',
        'thumb_320.jpg',
        'thumb_320.webp',
        'thumb_640.jpg',
        'thumb_640.webp',
        ...['v144', 'v240', 'v360'].flatMap((v) => [
          v,
          `${v}/index.m3u8`,
          `${v}/init.mp4`,
          `${v}/seg_00001.m4s`,
          `${v}/seg_00002.m4s`,
        ]),
      ].sort(),
    );
  });

  it('writes fMP4 variant playlists with an init segment and 4 s segments, equal across renditions', async () => {
    const durations: number[][] = [];
    for (const r of runs.sd.manifest.renditions) {
      const text = await readFile(join(runs.sd.outputDir, r.playlist), 'utf8');
      expect(text).toContain('#EXT-X-MAP:URI="init.mp4"');
      expect(text).toContain('#EXT-X-PLAYLIST-TYPE:VOD');
      expect(text).toContain('#EXT-X-INDEPENDENT-SEGMENTS');
      expect(text).toContain('#EXT-X-ENDLIST');
      const playlist = parseMediaPlaylist(text);
      durations.push(playlist.segments.map((s) => s.durationSeconds));
      const init = await readFile(join(runs.sd.outputDir, r.name, 'init.mp4'));
      expect(init.subarray(4, 8).toString()).toBe('ftyp');
      expect(init.includes('moov')).toBe(true);
      for (const segment of playlist.segments) {
        expect((await readFile(join(runs.sd.outputDir, r.name, segment.uri))).includes('moof')).toBe(true);
      }
    }
    expect(durations[0]).toEqual([4, 4]);
    expect(new Set(durations.map((d) => d.join()))).toEqual(new Set([durations[0]!.join()]));
  });

  it('puts keyframes every 2 s at the same times in every rendition, and starts every segment on one', async () => {
    const perRendition = await keyframesPerRendition(runs.sd);
    expect(perRendition[0]).toEqual([0, 2, 4, 6]);
    for (const times of perRendition) expect(times).toEqual(perRendition[0]);
  });

  it('writes our master playlist: required attributes, codecs from the output, 240p first', async () => {
    const { manifest, outputDir } = runs.sd;
    const text = await readFile(join(outputDir, manifest.master), 'utf8');
    const lines = text.trimEnd().split('\n');
    expect(lines.slice(0, 3)).toEqual(['#EXTM3U', '#EXT-X-VERSION:7', '#EXT-X-INDEPENDENT-SEGMENTS']);
    const variants = lines.slice(3);
    expect(variants.filter((l) => !l.startsWith('#'))).toEqual([
      'v240/index.m3u8',
      'v144/index.m3u8',
      'v360/index.m3u8',
    ]);
    for (const [i, line] of variants.entries()) {
      if (!line.startsWith('#')) continue;
      const r = manifest.renditions.find((x) => x.playlist === variants[i + 1])!;
      const init = await readFile(join(outputDir, r.name, 'init.mp4'));
      expect(line).toBe(
        `#EXT-X-STREAM-INF:BANDWIDTH=${r.bandwidth},AVERAGE-BANDWIDTH=${r.averageBandwidth},` +
          `RESOLUTION=${r.width}x${r.height},FRAME-RATE=25.000,CODECS="${codecsFromInitSegment(init)}"`,
      );
      expect(r.codecs).toMatch(/^avc1\.[0-9a-f]{6},mp4a\.40\.2$/);
      expect(r.bandwidth).toBeGreaterThanOrEqual(r.averageBandwidth);
    }
  });

  it('keeps every rung’s measured peak within 1.5× its cap (video maxrate + audio)', () => {
    for (const r of [...runs.sd.manifest.renditions, ...runs.hd.manifest.renditions]) {
      const cap = r.videoBitrate * 1.1 + r.audioBitrate;
      expect(r.bandwidth, r.label).toBeLessThanOrEqual(cap * 1.5);
      expect(r.averageBandwidth, r.label).toBeGreaterThan((r.videoBitrate + r.audioBitrate) * 0.5);
    }
  });

  it('reports each rendition’s total bytes (init + segments)', async () => {
    for (const r of runs.sd.manifest.renditions) {
      const files = await readdir(join(runs.sd.outputDir, r.name));
      const sizes = await Promise.all(
        files.filter((f) => f !== 'index.m3u8').map(async (f) => (await stat(join(runs.sd.outputDir, r.name, f))).size),
      );
      expect(r.totalBytes).toBe(sizes.reduce((a, b) => a + b, 0));
    }
  });

  it('makes the poster and thumbnails at the right sizes in JPEG and WebP, none wider than the source', async () => {
    const { manifest, outputDir } = runs.sd;
    expect(manifest.poster).toEqual({ width: 640, height: 360, jpeg: 'poster.jpg', webp: 'poster.webp' });
    expect(manifest.thumbnails.map((t) => [t.width, t.height])).toEqual([
      [320, 180],
      [640, 360],
    ]);
    for (const image of [manifest.poster, ...manifest.thumbnails]) {
      expect(await imageInfo(join(outputDir, image.jpeg))).toEqual({
        codec_name: 'mjpeg',
        width: image.width,
        height: image.height,
      });
      expect(await imageInfo(join(outputDir, image.webp))).toEqual({
        codec_name: 'webp',
        width: image.width,
        height: image.height,
      });
    }
  });

  it('makes a seek-preview sprite whose WebVTT cues all point inside it and cover the video', async () => {
    const { manifest, outputDir } = runs.sd;
    const layout = manifest.spriteLayout;
    expect(await imageInfo(join(outputDir, manifest.sprite))).toEqual({
      codec_name: 'mjpeg',
      width: layout.width,
      height: layout.height,
    });
    const vtt = await readFile(join(outputDir, manifest.spriteVtt), 'utf8');
    expect(vtt.startsWith('WEBVTT\n')).toBe(true);
    const cues = [...vtt.matchAll(/(\S+) --> (\S+)\n(\S+)#xywh=(\d+),(\d+),(\d+),(\d+)/g)];
    expect(cues).toHaveLength(layout.count);
    for (const [, , , uri, x, y, w, h] of cues) {
      expect(uri).toBe('sprite.jpg');
      expect(Number(x) + Number(w)).toBeLessThanOrEqual(layout.width);
      expect(Number(y) + Number(h)).toBeLessThanOrEqual(layout.height);
    }
    expect(cues[0]![1]).toBe('00:00:00.000');
    expect(cues.at(-1)![2]).toBe('00:00:08.000');
  });

  it('reports progress that only goes up and ends at 100', () => {
    const percents = runs.sd.progress.map((p) => p.percent);
    expect(percents).toEqual([...percents].sort((a, b) => a - b));
    expect(runs.sd.progress.at(-1)).toEqual({ phase: 'done', percent: 100 });
    expect(runs.sd.progress.some((p) => p.phase === 'renditions' && p.percent > 0 && p.percent < 90)).toBe(true);
  });

  it('lists staff subtitles in the master playlist as a SUBTITLES group', async () => {
    const { manifest, outputDir } = runs.sd;
    const track = await writeSubtitleTrack({
      outputDir,
      language: 'en',
      name: 'English',
      source: '1\n00:00:01,000 --> 00:00:03,000\nHello\n',
      durationSeconds: manifest.durationSeconds,
    });
    await writeMasterPlaylist(outputDir, { variants: manifest.renditions, subtitles: [track] });
    const text = await readFile(join(outputDir, manifest.master), 'utf8');
    expect(text).toContain('#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="subs",LANGUAGE="en",NAME="English"');
    expect(text.match(/SUBTITLES="subs"/g)).toHaveLength(3);
    expect(await readFile(join(outputDir, 'subs/en.m3u8'), 'utf8')).toContain('#EXT-X-TARGETDURATION:8');
  });
});

describe('transcode (1280×720 MKV source, 30 fps)', () => {
  it('builds 144p to 720p and no 1080p, with aligned keyframes', async () => {
    const { manifest, outputDir } = runs.hd;
    expect(manifest.renditions.map((r) => r.label)).toEqual(['144p', '240p', '360p', '480p', '720p']);
    expect(manifest.renditions.at(-1)).toMatchObject({ width: 1280, height: 720, frameRate: 30 });
    expect(manifest.thumbnails.map((t) => t.width)).toEqual([320, 640, 1280]);
    const durations = await Promise.all(
      manifest.renditions.map(async (r) =>
        parseMediaPlaylist(await readFile(join(outputDir, r.playlist), 'utf8')).segments.map((s) => s.durationSeconds),
      ),
    );
    for (const d of durations) expect(d).toEqual([4, 4]);
    const keyframes = await keyframesPerRendition(runs.hd);
    for (const times of keyframes) expect(times).toEqual([0, 2, 4, 6]);
  });
});

describe('transcode (silent WebM source)', () => {
  it('makes video-only renditions up to the source’s 240p', () => {
    const { manifest } = runs.silent;
    expect(manifest.renditions.map((r) => [r.label, r.width, r.height])).toEqual([
      ['144p', 256, 144],
      ['240p', 426, 240],
    ]);
    for (const r of manifest.renditions) {
      expect(r.codecs).toMatch(/^avc1\.[0-9a-f]{6}$/);
      expect(r.audioBitrate).toBe(0);
    }
  });
});

describe('transcode with the npm-shipped ffmpeg (2018 build)', () => {
  it('falls back to one process per rendition and produces the same layout', async () => {
    const npm = await locateBinary('ffmpeg', { env: { PATH: '/nonexistent' } });
    expect(await supportsSingleProcessHls(npm.path)).toBe(false);
    expect(await supportsSingleProcessHls(await testFfmpeg())).toBe(true);
    const input = at('sd.mp4');
    const manifest = await transcode({
      input,
      outputDir: at('out-npm'),
      probe: await probeMedia(input),
      preset: 'ultrafast',
      ffmpegPath: npm.path,
    });
    expect(manifest.renditions.map((r) => r.playlist)).toEqual(runs.sd.manifest.renditions.map((r) => r.playlist));
    for (const r of manifest.renditions) {
      expect(
        parseMediaPlaylist(await readFile(at('out-npm', r.playlist), 'utf8')).segments.map((x) => x.durationSeconds),
      ).toEqual([4, 4]);
    }
    expect(await imageInfo(at('out-npm', manifest.poster.webp))).toMatchObject({ width: 640, height: 360 });
  });
});

describe('transcode limits', () => {
  it('is killed when it exceeds its time budget', async () => {
    const input = at('hd.mkv');
    const err = await transcode({
      input,
      outputDir: at('out-timeout'),
      probe: await probeMedia(input),
      timeoutMs: 50,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MediaProcessError);
    expect((err as MediaProcessError).failure).toBe('timeout');
  });

  it('stops when aborted', async () => {
    const input = at('hd.mkv');
    const controller = new AbortController();
    const running = transcode({
      input,
      outputDir: at('out-abort'),
      probe: await probeMedia(input),
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 50);
    const err = await running.catch((e: unknown) => e);
    expect((err as MediaProcessError).failure).toBe('aborted');
  });

  it('refuses a non-empty output directory', async () => {
    const input = at('sd.mp4');
    await expect(transcode({ input, outputDir: runs.sd.outputDir, probe: await probeMedia(input) })).rejects.toThrow(
      /empty/,
    );
  });
});
