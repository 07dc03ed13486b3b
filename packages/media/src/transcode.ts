import { access, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { mediaBinaries } from './binaries';
import { buildCommands, type X264Preset, variantPlaylistPath } from './hls';
import { type ImageSource, renderSprite, renderStillImages, type SpriteLayout, type StillImage } from './images';
import { frameRateValue, type Ladder, ladderFor } from './ladder';
import {
  type MasterVariant,
  measureRendition,
  normalizeVariantPlaylist,
  type SubtitleTrack,
  writeMasterPlaylist,
} from './master';
import { type MediaProbe } from './probe';
import { createProgressParser, runMediaProcess } from './run';

export type TranscodePhase = 'renditions' | 'images' | 'sprite' | 'done';

export interface TranscodeProgress {
  phase: TranscodePhase;
  /** Overall 0–100 (renditions 0–90, images 90–95, sprite 95–100). */
  percent: number;
}

export interface TranscodeOptions {
  /** The uploaded file, already accepted by probeMedia. */
  input: string;
  /** Created if missing; must be empty. */
  outputDir: string;
  probe: MediaProbe;
  onProgress?: (progress: TranscodeProgress) => void;
  signal?: AbortSignal;
  /** Budget for the whole job; default max(10 min, 10 × duration). */
  timeoutMs?: number;
  preset?: X264Preset;
  segmentSeconds?: number;
  keyframeSeconds?: number;
  ffmpegPath?: string;
  /** Defaults to ladderFor(probe). */
  ladder?: Ladder;
  spriteMinIntervalSeconds?: number;
  startRung?: number;
  /**
   * Default: 'single' (one process for all renditions) when the ffmpeg build supports it, else
   * 'per-rendition' (the 2018 build shipped in @ffmpeg-installer lacks named variant streams).
   */
  strategy?: 'single' | 'per-rendition';
}

export interface RenditionManifest extends MasterVariant {
  name: string;
  label: string;
  /** Measured, bits/s: HLS BANDWIDTH (peak segment) and AVERAGE-BANDWIDTH. */
  bandwidth: number;
  averageBandwidth: number;
  /** Bytes to watch the whole video at this quality (init + segments): the data cost shown to viewers. */
  totalBytes: number;
  segmentCount: number;
  /** Targets from the ladder, bits/s. */
  videoBitrate: number;
  audioBitrate: number;
}

/**
 * Everything produced, with paths relative to outputDir. Names are the same for every video, so
 * storage keys are predictable.
 */
export interface TranscodeManifest {
  durationSeconds: number;
  frameRate: number;
  master: string;
  renditions: RenditionManifest[];
  poster: StillImage;
  thumbnails: StillImage[];
  sprite: string;
  spriteVtt: string;
  spriteLayout: SpriteLayout;
  subtitles: SubtitleTrack[];
}

/**
 * Runs the single-process HLS transcode, measures what it produced, writes our master playlist,
 * then the poster/thumbnails and the seek-preview sprite. Every ffmpeg run shares one deadline.
 */
export async function transcode(options: TranscodeOptions): Promise<TranscodeManifest> {
  const { probe, signal, onProgress } = options;
  const input = resolve(options.input);
  const outputDir = resolve(options.outputDir);
  const ffmpeg = options.ffmpegPath ?? (await mediaBinaries()).ffmpeg;
  const ladder = options.ladder ?? ladderFor(probe);
  const deadline = Date.now() + (options.timeoutMs ?? Math.max(600_000, probe.durationSeconds * 10_000));
  const remaining = () => Math.max(1, deadline - Date.now());

  await mkdir(outputDir, { recursive: true });
  if ((await readdir(outputDir)).length > 0) throw new Error('transcode outputDir must be empty');
  for (const r of ladder.renditions) await mkdir(join(outputDir, r.name));

  const strategy = options.strategy ?? ((await supportsSingleProcessHls(ffmpeg)) ? 'single' : 'per-rendition');
  const commands = buildCommands(strategy, {
    input,
    container: probe.container,
    outputDir,
    ladder,
    segmentSeconds: options.segmentSeconds,
    keyframeSeconds: options.keyframeSeconds,
    preset: options.preset,
    deinterlace: probe.interlaced,
  });
  const report = (phase: TranscodePhase, percent: number) =>
    onProgress?.({ phase, percent: Math.round(percent * 10) / 10 });
  report('renditions', 0);
  for (const [i, args] of commands.entries()) {
    await runMediaProcess(ffmpeg, args, {
      timeoutMs: remaining(),
      signal,
      captureStdout: false,
      onStdoutLine: createProgressParser(probe.durationSeconds, (p) =>
        report('renditions', ((i + p.percent / 100) / commands.length) * 90),
      ),
    });
  }

  const fps = frameRateValue(ladder.frameRate);
  const renditions: RenditionManifest[] = [];
  let durationSeconds = 0;
  for (const r of ladder.renditions) {
    await normalizeVariantPlaylist(outputDir, r.name);
    const measured = await measureRendition(outputDir, r.name);
    durationSeconds = Math.max(durationSeconds, measured.durationSeconds);
    renditions.push({
      name: r.name,
      label: r.label,
      nominalHeight: r.nominalHeight,
      width: r.width,
      height: r.height,
      playlist: variantPlaylistPath(r),
      bandwidth: measured.peakBitrate,
      averageBandwidth: measured.averageBitrate,
      codecs: measured.codecs ?? r.codecs,
      frameRate: fps,
      totalBytes: measured.totalBytes,
      segmentCount: measured.segmentCount,
      videoBitrate: r.videoBitrate,
      audioBitrate: r.audioBitrate,
    });
  }
  const master = await writeMasterPlaylist(outputDir, { variants: renditions, startRung: options.startRung });

  const source: ImageSource = {
    input,
    container: probe.container,
    width: probe.width,
    height: probe.height,
    durationSeconds: probe.durationSeconds,
    deinterlace: probe.interlaced,
  };
  report('images', 90);
  const { poster, thumbnails } = await renderStillImages(source, outputDir, { ffmpeg, timeoutMs: remaining(), signal });
  report('sprite', 95);
  const sprite = await renderSprite(
    source,
    outputDir,
    { ffmpeg, timeoutMs: remaining(), signal },
    { minIntervalSeconds: options.spriteMinIntervalSeconds },
  );
  report('done', 100);

  return {
    durationSeconds: Math.round(durationSeconds * 1000) / 1000,
    frameRate: fps,
    master,
    renditions,
    poster,
    thumbnails,
    sprite: sprite.image,
    spriteVtt: sprite.vtt,
    spriteLayout: sprite.layout,
    subtitles: [],
  };
}

const singleProcessSupport = new Map<string, Promise<boolean>>();

/**
 * Whether this ffmpeg build can write every rendition from one process with our layout (named
 * variant streams, per-variant init segments). Found out once per binary by doing it on a
 * fraction of a second of synthetic video, rather than by parsing version numbers.
 */
export function supportsSingleProcessHls(ffmpeg: string): Promise<boolean> {
  let known = singleProcessSupport.get(ffmpeg);
  if (!known) {
    known = (async () => {
      const dir = await mkdtemp(join(tmpdir(), 'kush-hls-check-'));
      try {
        await runMediaProcess(
          ffmpeg,
          [
            ...['-hide_banner', '-nostdin', '-y', '-v', 'error'],
            ...['-f', 'lavfi', '-i', 'testsrc2=size=64x36:rate=5:duration=0.4'],
            ...['-filter_complex', '[0:v]split=2[a][b]', '-map', '[a]', '-map', '[b]', '-c:v', 'libx264'],
            ...['-f', 'hls', '-hls_segment_type', 'fmp4', '-hls_fmp4_init_filename', '../%v/init.mp4'],
            ...['-hls_segment_filename', `${dir}/%v/seg_%05d.m4s`, '-var_stream_map', 'v:0,name:va v:1,name:vb'],
            `${dir}/%v/index.m3u8`,
          ],
          { timeoutMs: 30_000, captureStdout: false },
        );
        await access(join(dir, 'vb', 'init.mp4'));
        return true;
      } catch {
        return false;
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    })();
    singleProcessSupport.set(ffmpeg, known);
  }
  return known;
}
