/**
 * Seek-preview thumbnails: the transcoder writes one sprite image and a WebVTT file whose cues
 * point into it with media fragments (`sprite.jpg#xywh=x,y,w,h`). Loaded only when the viewer
 * first reaches for the progress bar, so nobody pays for previews they never look at.
 */
export interface ThumbnailCue {
  start: number;
  end: number;
  url: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

const TIMING = /^((?:\d+:)?\d{1,2}:\d{2}(?:\.\d+)?)\s+-->\s+((?:\d+:)?\d{1,2}:\d{2}(?:\.\d+)?)/;
const FRAGMENT = /#xywh=(\d+),(\d+),(\d+),(\d+)$/;

function seconds(stamp: string): number {
  return stamp.split(':').reduce((total, part) => total * 60 + Number(part), 0);
}

export function parseThumbnailVtt(text: string, vttUrl: string): ThumbnailCue[] {
  const cues: ThumbnailCue[] = [];
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  for (let i = 0; i < lines.length; i += 1) {
    const timing = TIMING.exec(lines[i]!.trim());
    const target = lines[i + 1]?.trim();
    if (!timing || !target) continue;
    const fragment = FRAGMENT.exec(target);
    if (!fragment) continue;
    cues.push({
      start: seconds(timing[1]!),
      end: seconds(timing[2]!),
      url: new URL(target.slice(0, fragment.index), vttUrl).toString(),
      x: Number(fragment[1]),
      y: Number(fragment[2]),
      width: Number(fragment[3]),
      height: Number(fragment[4]),
    });
  }
  return cues;
}

export function cueAt(cues: readonly ThumbnailCue[], time: number): ThumbnailCue | null {
  return cues.find((c) => time >= c.start && time < c.end) ?? cues.at(-1) ?? null;
}
