import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** Runs ffmpeg with an argv array and resolves when it exits 0. */
function ffmpeg(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.env.FFMPEG_PATH ?? 'ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', ...args], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`ffmpeg exited ${code}: ${stderr}`))));
  });
}

/**
 * A short test picture with a tone, as an MP4. `noise` makes the picture hard to compress, which
 * is how a test gets a file large enough for a multipart upload.
 */
export async function makeClip(
  options: { seconds?: number; width?: number; height?: number; noise?: boolean; dir?: string } = {},
) {
  const { seconds = 3, width = 320, height = 240 } = options;
  const dir = options.dir ?? (await fs.mkdtemp(path.join(os.tmpdir(), 'kf-clip-')));
  const file = path.join(dir, `clip-${width}x${height}-${seconds}s${options.noise ? '-noise' : ''}.mp4`);
  const video = `testsrc2=size=${width}x${height}:rate=25:duration=${seconds}`;
  await ffmpeg([
    '-f',
    'lavfi',
    '-i',
    video,
    '-f',
    'lavfi',
    '-i',
    `sine=frequency=440:sample_rate=48000:duration=${seconds}`,
    ...(options.noise
      ? ['-vf', 'noise=alls=100:allf=t+u', '-c:v', 'libx264', '-preset', 'ultrafast', '-qp', '0']
      : ['-c:v', 'libx264', '-preset', 'ultrafast']),
    '-pix_fmt',
    'yuv420p',
    '-c:a',
    'aac',
    '-shortest',
    '-movflags',
    '+faststart',
    file,
  ]);
  return { file, bytes: await fs.readFile(file), dir };
}
