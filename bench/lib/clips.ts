/**
 * Synthetic test clips, generated once with ffmpeg's lavfi sources and cached under bench/.cache/
 * (gitignored): the file name holds every generation parameter, so changing one makes a new file.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { mediaBinaries } from '@kush/media';
import { REPO_ROOT } from './spawn-server';

export const CACHE_DIR = path.join(REPO_ROOT, 'bench/.cache');

export interface ClipSpec {
  width: number;
  height: number;
  fps: number;
  seconds: number;
}

/** Bumped when the recipe below changes, so an old cached file is not reused. */
const RECIPE = 'v1';

export const clipFileName = (c: ClipSpec) =>
  `testsrc2-${c.width}x${c.height}-${c.fps}fps-${c.seconds}s-sine-${RECIPE}.mp4`;

/**
 * ffmpeg arguments for a clip: testsrc2 (moving colour pattern, counters) and a 440 Hz tone, as
 * H.264 High (x264 veryfast, CRF 18, 2 s GOP) + AAC 128 kbps in MP4 with faststart — a clean,
 * camera-like upload.
 */
export function clipArgs(c: ClipSpec, output: string): string[] {
  return [
    ...['-hide_banner', '-nostdin', '-y', '-v', 'error'],
    ...['-f', 'lavfi', '-i', `testsrc2=size=${c.width}x${c.height}:rate=${c.fps}:duration=${c.seconds}`],
    ...['-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${c.seconds}`],
    ...['-c:v', 'libx264', '-preset', 'veryfast', '-crf', '18', '-g', String(c.fps * 2), '-pix_fmt', 'yuv420p'],
    ...['-c:a', 'aac', '-b:a', '128k', '-shortest', '-movflags', '+faststart', '-f', 'mp4', output],
  ];
}

function run(binary: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
    child.once('error', reject);
    child.once('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`${binary} exited with ${code}: ${stderr.trim()}`)),
    );
  });
}

/** The cached clip's absolute path, generating it first when it is missing. */
export async function ensureClip(spec: ClipSpec, log: (line: string) => void = () => {}): Promise<string> {
  const file = path.join(CACHE_DIR, clipFileName(spec));
  try {
    if ((await fs.stat(file)).size > 0) return file;
  } catch {
    // not cached yet
  }
  await fs.mkdir(CACHE_DIR, { recursive: true });
  const partial = `${file}.${process.pid}.partial`;
  const started = Date.now();
  log(`generating ${path.relative(REPO_ROOT, file)} (once; cached afterwards)`);
  try {
    await run((await mediaBinaries()).ffmpeg, clipArgs(spec, partial));
    await fs.rename(partial, file); // atomic: a killed run never leaves a truncated clip behind
  } finally {
    await fs.rm(partial, { force: true });
  }
  log(
    `generated in ${((Date.now() - started) / 1000).toFixed(1)} s (${((await fs.stat(file)).size / 1e6).toFixed(1)} MB)`,
  );
  return file;
}
