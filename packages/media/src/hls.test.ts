import { describe, expect, it } from 'vitest';
import {
  buildCommands,
  buildHandWrittenArgs,
  buildPerRenditionArgs,
  buildTranscodeArgs,
  type TranscodeCommandOptions,
  type TranscodeStrategy,
} from './hls';
import { ladderFor } from './ladder';

const ladder = ladderFor({ width: 1280, height: 720, fps: 25, audio: { channels: 2 } });
const base: TranscodeCommandOptions = {
  input: '/uploads/a film; rm -rf $(echo x) `id` | cat.mp4',
  container: 'mp4',
  outputDir: '/out/video 1',
  ladder,
};

const value = (args: string[], flag: string) => args[args.indexOf(flag) + 1];

describe('command builders', () => {
  const strategies: TranscodeStrategy[] = ['single', 'per-rendition', 'hand-written'];

  it.each(strategies)('%s: argv arrays with hardened, forced input', (strategy) => {
    const commands = buildCommands(strategy, base);
    expect(commands.length).toBe(strategy === 'per-rendition' ? ladder.renditions.length : 1);
    for (const args of commands) {
      expect(Array.isArray(args)).toBe(true);
      expect(args.every((a) => typeof a === 'string')).toBe(true);
      const input = args.indexOf('-i');
      expect(input).toBeGreaterThan(0);
      // The path is one argv element behind the file: protocol, metacharacters and all.
      expect(args[input + 1]).toBe(`file:${base.input}`);
      const before = args.slice(0, input);
      expect(value(before, '-protocol_whitelist')).toBe('file,pipe');
      expect(value(before, '-f')).toBe('mov');
      expect(args.filter((a) => a === '-i')).toHaveLength(1);
    }
  });

  it('forces the demuxer of the probed container', () => {
    const demuxer = (container: TranscodeCommandOptions['container']) => {
      const args = buildTranscodeArgs({ ...base, container });
      return [value(args, '-f'), value(args, '-format_whitelist')];
    };
    expect(demuxer('mkv')).toEqual(['matroska', 'matroska']);
    expect(demuxer('webm')).toEqual(['matroska', 'matroska']);
    expect(demuxer('avi')).toEqual(['avi', 'avi']);
    expect(demuxer('mpegts')).toEqual(['mpegts', 'mpegts']);
  });

  it('builds one process: split + scale, aligned 2 s keyframes, fMP4 HLS with a stream map', () => {
    const args = buildTranscodeArgs(base);
    expect(value(args, '-filter_complex')).toBe(
      '[0:v:0]fps=fps=25/1:round=down,format=yuv420p,split=5[s0][s1][s2][s3][s4];' +
        '[s0]scale=256:144:flags=bicubic,setsar=1[v0];[s1]scale=426:240:flags=bicubic,setsar=1[v1];' +
        '[s2]scale=640:360:flags=bicubic,setsar=1[v2];[s3]scale=854:480:flags=bicubic,setsar=1[v3];' +
        '[s4]scale=1280:720:flags=bicubic,setsar=1[v4]',
    );
    expect(value(args, '-g')).toBe('50');
    expect(value(args, '-keyint_min')).toBe('50');
    expect(value(args, '-sc_threshold')).toBe('0');
    expect(value(args, '-force_key_frames')).toBe('expr:gte(t,n_forced*2)');
    expect(value(args, '-b:v:0')).toBe('110000');
    expect(value(args, '-maxrate:v:4')).toBe('2200000');
    expect(value(args, '-bufsize:v:4')).toBe('4000000');
    expect(value(args, '-profile:v:4')).toBe('high');
    expect(value(args, '-b:a:0')).toBe('48000');
    expect(value(args, '-b:a:1')).toBe('64000');
    expect(value(args, '-b:a:2')).toBe('96000');
    expect(value(args, '-hls_segment_type')).toBe('fmp4');
    expect(value(args, '-hls_time')).toBe('4');
    expect(value(args, '-hls_playlist_type')).toBe('vod');
    expect(value(args, '-hls_flags')).toBe('independent_segments');
    expect(value(args, '-var_stream_map')).toBe(
      'v:0,a:0,name:v144 v:1,a:1,name:v240 v:2,a:2,name:v360 v:3,a:3,name:v480 v:4,a:4,name:v720',
    );
    expect(value(args, '-hls_segment_filename')).toBe('/out/video 1/%v/seg_%05d.m4s');
    expect(args.at(-1)).toBe('/out/video 1/%v/index.m3u8');
    expect(args.filter((a) => a === '0:a:0')).toHaveLength(5);
    expect(value(args, '-progress')).toBe('pipe:1');
  });

  it('follows segment and keyframe settings and the frame rate', () => {
    const ntsc = ladderFor({ width: 640, height: 360, fps: 30000 / 1001 });
    const args = buildTranscodeArgs({ ...base, ladder: ntsc, segmentSeconds: 6, keyframeSeconds: 2 });
    expect(value(args, '-hls_time')).toBe('6');
    expect(value(args, '-g')).toBe('60');
    expect(value(args, '-filter_complex')).toContain('fps=fps=30000/1001:round=down');
    expect(() => buildTranscodeArgs({ ...base, segmentSeconds: 5, keyframeSeconds: 2 })).toThrow(/multiple/);
  });

  it('maps no audio for a silent source', () => {
    const silent = ladderFor({ width: 640, height: 360, fps: 25 });
    const args = buildTranscodeArgs({ ...base, ladder: silent });
    expect(args).not.toContain('0:a:0');
    expect(args).not.toContain('-c:a');
    expect(value(args, '-var_stream_map')).toBe('v:0,name:v144 v:1,name:v240 v:2,name:v360');
  });

  it('refuses relative paths and % in the output directory', () => {
    expect(() => buildTranscodeArgs({ ...base, input: 'film.mp4' })).toThrow();
    expect(() => buildTranscodeArgs({ ...base, outputDir: 'out' })).toThrow();
    expect(() => buildTranscodeArgs({ ...base, outputDir: '/out/%v' })).toThrow();
  });

  it('per-rendition: one full decode per rung into the same layout', () => {
    const commands = buildPerRenditionArgs(base);
    expect(commands.map((args) => args.at(-1))).toEqual(
      ladder.renditions.map((r) => `/out/video 1/${r.name}/index.m3u8`),
    );
    for (const args of commands) {
      expect(args).not.toContain('-var_stream_map');
      expect(value(args, '-filter_complex')).not.toContain('split');
      expect(value(args, '-hls_fmp4_init_filename')).toBe('init.mp4');
    }
  });

  it('hand-written: the documented single command with ffmpeg’s own master playlist', () => {
    const args = buildHandWrittenArgs(base);
    expect(value(args, '-master_pl_name')).toBe('master.m3u8');
    expect(value(args, '-filter_complex')).toContain('split=5');
    expect(args).not.toContain('-force_key_frames');
  });
});
