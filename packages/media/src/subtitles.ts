/**
 * Staff-uploaded subtitles: SRT or WebVTT in, clean WebVTT out, plus the one-segment HLS
 * subtitle playlist that lists it. Pure TypeScript: subtitle files never reach ffmpeg.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type SubtitleTrack } from './master';

export type SubtitleErrorCode = 'not_subtitles' | 'too_large' | 'no_cues' | 'bad_language';

export class SubtitleError extends Error {
  override readonly name = 'SubtitleError';
  constructor(
    readonly code: SubtitleErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export const MAX_SUBTITLE_BYTES = 2 * 1024 * 1024;
const MAX_CUES = 20_000;
const MAX_CUE_TEXT = 1_000;

export interface Cue {
  start: number;
  end: number;
  /** Cue text, already sanitised WebVTT cue text. */
  text: string;
  /** Sanitised WebVTT cue settings (position/align/line/size/vertical), if any. */
  settings?: string;
}

/** UTF-8 when valid (BOM stripped), else Windows-1252, which is what older SRT files are. */
function decode(input: Buffer | string): string {
  if (typeof input === 'string') return input.replace(/^\uFEFF/, '');
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(input);
  } catch {
    return new TextDecoder('windows-1252').decode(input);
  }
}

const TIMESTAMP = /^(?:(\d{1,3}):)?([0-5]?\d):([0-5]\d)[.,](\d{1,3})$/;

function parseTimestamp(value: string): number | undefined {
  const m = TIMESTAMP.exec(value.trim());
  if (!m) return undefined;
  const [, h = '0', min = '0', s = '0', frac = '0'] = m;
  return Number(h) * 3600 + Number(min) * 60 + Number(s) + Number(frac.padEnd(3, '0')) / 1000;
}

const ALLOWED_TAGS = new Set(['i', 'b', 'u']);
const ENTITY = /^&(?:amp|lt|gt|nbsp|lrm|rlm|#\d{1,6}|#x[0-9a-f]{1,6});/i;

/**
 * Keeps <i>, <b>, <u> (without attributes) and plain text; every other tag (<font>, <script>,
 * WebVTT <c>/<v>/<ruby>, ASS {\an8} overrides) is dropped and its text kept. Stray &, < and > are
 * escaped, "-->" cannot survive, and blank lines (which would end the cue) are removed.
 */
export function sanitizeCueText(raw: string): string {
  const withoutOverrides = raw.replace(/\{\\[^}]*\}/g, '');
  let out = '';
  let i = 0;
  while (i < withoutOverrides.length) {
    const ch = withoutOverrides[i]!;
    if (ch === '<') {
      const close = withoutOverrides.indexOf('>', i);
      const tag = close > i ? withoutOverrides.slice(i + 1, close) : undefined;
      if (tag !== undefined && /^\d[\d:.]*$/.test(tag)) {
        i = close + 1; // WebVTT karaoke timestamp tag
        continue;
      }
      const m = tag !== undefined ? /^(\/?)([a-zA-Z][a-zA-Z0-9]*)(?:[\s.][^<]*)?$/.exec(tag) : null;
      if (tag !== undefined && m) {
        const name = m[2]!.toLowerCase();
        if (ALLOWED_TAGS.has(name)) out += `<${m[1]}${name}>`;
        i = close + 1;
        continue;
      }
      out += '&lt;';
    } else if (ch === '>') {
      out += '&gt;';
    } else if (ch === '&') {
      out += ENTITY.test(withoutOverrides.slice(i)) ? '&' : '&amp;';
    } else {
      out += ch;
    }
    i++;
  }
  return out
    .split(/\r?\n/)
    .map((l) => l.trimEnd())
    .filter((l) => l.trim() !== '')
    .join('\n')
    .replace(/-->/g, '--&gt;')
    .slice(0, MAX_CUE_TEXT);
}

const SETTING =
  /^(?:align:(?:start|center|end|left|right)|line:-?\d{1,3}%?(?:,(?:start|center|end))?|position:\d{1,3}%(?:,(?:line-left|center|line-right))?|size:\d{1,3}%|vertical:(?:rl|lr))$/;

function parseBlocks(text: string, format: 'srt' | 'vtt'): Cue[] {
  const blocks = text.replace(/\r\n?/g, '\n').split(/\n{2,}/);
  const cues: Cue[] = [];
  for (const block of blocks) {
    const lines = block.split('\n').filter((l, i) => i > 0 || l.trim() !== '');
    const timingIndex = lines.findIndex((l) => l.includes('-->'));
    if (timingIndex < 0 || timingIndex > 1) continue; // NOTE, STYLE, REGION blocks and junk
    if (format === 'vtt' && /^(NOTE|STYLE|REGION)\b/.test(lines[0] ?? '')) continue;
    const timing = lines[timingIndex]!;
    const [left = '', right = ''] = timing.split('-->');
    const [endText = '', ...settingsParts] = right.trim().split(/\s+/);
    const start = parseTimestamp(left);
    const end = parseTimestamp(endText);
    if (start === undefined || end === undefined || end <= start) continue;
    const cueText = sanitizeCueText(lines.slice(timingIndex + 1).join('\n'));
    if (cueText === '') continue;
    const settings = format === 'vtt' ? settingsParts.filter((s) => SETTING.test(s)).join(' ') : '';
    cues.push({ start, end, text: cueText, ...(settings ? { settings } : {}) });
    if (cues.length > MAX_CUES) throw new SubtitleError('too_large', `more than ${MAX_CUES} cues`);
  }
  return cues.sort((a, b) => a.start - b.start || a.end - b.end);
}

/** Parses SRT or WebVTT; anything else is refused. */
export function parseSubtitles(
  input: Buffer | string,
  maxBytes = MAX_SUBTITLE_BYTES,
): { format: 'srt' | 'vtt'; cues: Cue[] } {
  const size = typeof input === 'string' ? Buffer.byteLength(input) : input.length;
  if (size > maxBytes) throw new SubtitleError('too_large', `subtitle files are limited to ${maxBytes} bytes`);
  const text = decode(input);
  if (text.includes('\u0000')) throw new SubtitleError('not_subtitles', 'the file is binary, not SRT or WebVTT');
  let format: 'srt' | 'vtt';
  if (/^WEBVTT(?:[ \t].*)?(?:\r?\n|$)/.test(text)) format = 'vtt';
  else if (
    /^\s*\d+\s*\r?\n\s*(?:\d{1,3}:)?\d{1,2}:\d{2}[,.]\d{1,3}\s*-->\s*(?:\d{1,3}:)?\d{1,2}:\d{2}[,.]\d{1,3}/.test(text)
  ) {
    format = 'srt';
  } else {
    throw new SubtitleError('not_subtitles', 'the file is neither SRT nor WebVTT');
  }
  const body = format === 'vtt' ? text.replace(/^WEBVTT[^\n]*\n/, '') : text;
  const cues = parseBlocks(body, format);
  if (cues.length === 0) throw new SubtitleError('no_cues', 'the file contains no usable cues');
  return { format, cues };
}

function vttTime(seconds: number): string {
  const ms = Math.round(seconds * 1000);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(Math.floor(ms / 3_600_000))}:${pad(Math.floor((ms % 3_600_000) / 60_000))}:${pad(Math.floor((ms % 60_000) / 1000))}.${pad(ms % 1000, 3)}`;
}

export function renderWebVtt(cues: readonly Cue[]): string {
  const out = ['WEBVTT', ''];
  for (const cue of cues) {
    out.push(`${vttTime(cue.start)} --> ${vttTime(cue.end)}${cue.settings ? ` ${cue.settings}` : ''}`, cue.text, '');
  }
  return out.join('\n');
}

/** SRT or WebVTT in, normalised and sanitised WebVTT out. */
export function toWebVtt(input: Buffer | string, maxBytes = MAX_SUBTITLE_BYTES): string {
  return renderWebVtt(parseSubtitles(input, maxBytes).cues);
}

/** An HLS subtitle playlist with the whole WebVTT file as its single segment. */
export function renderSubtitlePlaylist(durationSeconds: number, vttUri: string): string {
  const duration = Math.max(durationSeconds, 0.001);
  return [
    '#EXTM3U',
    '#EXT-X-VERSION:3',
    `#EXT-X-TARGETDURATION:${Math.ceil(duration)}`,
    '#EXT-X-MEDIA-SEQUENCE:0',
    '#EXT-X-PLAYLIST-TYPE:VOD',
    `#EXTINF:${duration.toFixed(3)},`,
    vttUri,
    '#EXT-X-ENDLIST',
    '',
  ].join('\n');
}

const LANGUAGE = /^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/;

export function assertLanguageTag(language: string): void {
  if (!LANGUAGE.test(language))
    throw new SubtitleError('bad_language', 'language must be a BCP 47 tag such as "en" or "lg"');
}

/**
 * Converts an uploaded subtitle file and writes `subs/<language>.vtt` and `subs/<language>.m3u8`
 * under outputDir. Pass the returned track (with the others) to writeMasterPlaylist.
 */
export async function writeSubtitleTrack(options: {
  outputDir: string;
  language: string;
  name: string;
  source: Buffer | string;
  durationSeconds: number;
}): Promise<SubtitleTrack> {
  assertLanguageTag(options.language);
  const vtt = toWebVtt(options.source);
  const dir = join(options.outputDir, 'subs');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, `${options.language}.vtt`), vtt);
  await writeFile(
    join(dir, `${options.language}.m3u8`),
    renderSubtitlePlaylist(options.durationSeconds, `${options.language}.vtt`),
  );
  const name =
    options.name
      .replace(/["\r\n]/g, '')
      .trim()
      .slice(0, 64) || options.language;
  return {
    language: options.language,
    name,
    playlist: `subs/${options.language}.m3u8`,
    vtt: `subs/${options.language}.vtt`,
  };
}
