import { existsSync } from 'node:fs';
import path from 'node:path';
import { mediaBinaries, runMediaProcess } from '@kush/media';
import type { SampleTitle } from './sample-titles';

const FONT = '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf';

/** drawtext needs its text escaped for the filter graph: backslash, colon and quote. */
function escapeText(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/:/g, '\\:').replace(/'/g, '\u2019');
}

/**
 * Renders a sample's picture: its colour, a moving test pattern, the title drawn on it (when a
 * font is installed) and a tone, as an MP4 at 640×360 — small, so the whole set transcodes fast.
 */
export async function renderSampleClip(sample: SampleTitle, dir: string): Promise<string> {
  const { ffmpeg } = await mediaBinaries();
  const file = path.join(dir, `${sample.name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}.mp4`);
  const size = '640x360';
  const title = existsSync(FONT)
    ? `,drawtext=fontfile=${FONT}:text='${escapeText(sample.name)}':fontcolor=white:fontsize=34:borderw=3:x=(w-text_w)/2:y=h*0.72` +
      `,drawtext=fontfile=${FONT}:text='Kush Films sample %{pts\\:hms}':fontcolor=white:fontsize=18:x=(w-text_w)/2:y=h*0.86`
    : '';
  const filter =
    `color=c=${sample.colour}:s=${size}:r=25:d=${sample.seconds}[bg];` +
    `testsrc2=s=320x180:r=25:d=${sample.seconds}[pattern];` +
    `[bg][pattern]overlay=x=(W-w)/2:y=H*0.12${title}[v]`;
  await runMediaProcess(
    ffmpeg,
    [
      '-hide_banner',
      '-loglevel',
      'error',
      '-y',
      '-filter_complex',
      filter,
      '-f',
      'lavfi',
      '-i',
      `sine=frequency=${sample.tone}:sample_rate=48000:duration=${sample.seconds}`,
      '-map',
      '[v]',
      '-map',
      '0:a',
      '-c:v',
      'libx264',
      '-preset',
      'veryfast',
      '-crf',
      '20',
      '-pix_fmt',
      'yuv420p',
      '-c:a',
      'aac',
      '-b:a',
      '128k',
      '-shortest',
      '-movflags',
      '+faststart',
      file,
    ],
    { timeoutMs: 120_000 },
  );
  return file;
}

/**
 * Stills of a rendered sample clip, taken from the frame at 40% of its length: the whole frame as
 * the backdrop (16:9) and its centre, cropped to 2:3, as the poster. Nothing is drawn on them.
 */
export async function renderSampleStills(
  clip: string,
  sample: SampleTitle,
  dir: string,
): Promise<{ poster: string; backdrop: string }> {
  const { ffmpeg } = await mediaBinaries();
  const base = path.join(dir, path.basename(clip, '.mp4'));
  const poster = `${base}-poster.jpg`;
  const backdrop = `${base}-backdrop.jpg`;
  await runMediaProcess(
    ffmpeg,
    [
      '-hide_banner',
      '-loglevel',
      'error',
      '-y',
      '-ss',
      (sample.seconds * 0.4).toFixed(2),
      '-i',
      `file:${clip}`,
      '-filter_complex',
      '[0:v:0]split=2[full][crop];[crop]crop=w=ih*2/3:h=ih[poster]',
      '-map',
      '[full]',
      '-frames:v',
      '1',
      '-q:v',
      '3',
      '-update',
      '1',
      `file:${backdrop}`,
      '-map',
      '[poster]',
      '-frames:v',
      '1',
      '-q:v',
      '3',
      '-update',
      '1',
      `file:${poster}`,
    ],
    { timeoutMs: 60_000 },
  );
  return { poster, backdrop };
}
