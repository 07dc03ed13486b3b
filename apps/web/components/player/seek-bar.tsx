'use client';
import { useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import { fill } from '@/lib/i18n/locales';
import type { PlayerStrings } from './strings';
import { cueAt, parseThumbnailVtt, type ThumbnailCue } from './thumbnails';
import { type DurationUnits, formatClock, spokenDuration } from './time';

const PREVIEW_WIDTH = 160;

interface SeekBarProps {
  current: number;
  duration: number;
  bufferedEnd: number;
  /** The seek-preview WebVTT, when the transcoder made one. */
  thumbnailsVttUrl: string | null;
  onSeek(seconds: number): void;
  /** Arrow keys on the slider move by this many seconds. */
  keyStep: number;
  strings: Pick<PlayerStrings, 'playerSeek' | 'playerPositionOf'> & DurationUnits;
}

type Thumbnails = { state: 'idle' | 'loading' | 'failed' } | { state: 'ready'; cues: ThumbnailCue[] };

/**
 * The progress bar: a native range input (so it is a slider to assistive technology and to touch)
 * over a drawn track showing what is buffered and what has played. Hovering or dragging shows the
 * time there and, when the video has them, a thumbnail of that moment.
 */
export function SeekBar(props: SeekBarProps) {
  const { current, duration, bufferedEnd, thumbnailsVttUrl, onSeek, keyStep, strings } = props;
  const wrapper = useRef<HTMLDivElement>(null);
  const [scrubbing, setScrubbing] = useState<number | null>(null);
  const [hover, setHover] = useState<{ time: number; x: number } | null>(null);
  const [thumbnails, setThumbnails] = useState<Thumbnails>({ state: 'idle' });

  const max = duration > 0 ? duration : 0;
  const shown = scrubbing ?? current;
  const pct = (value: number) => (max > 0 ? `${Math.min(100, Math.max(0, (value / max) * 100))}%` : '0%');

  const loadThumbnails = () => {
    if (!thumbnailsVttUrl || thumbnails.state !== 'idle') return;
    setThumbnails({ state: 'loading' });
    const vttUrl = new URL(thumbnailsVttUrl, window.location.href).toString();
    fetch(vttUrl)
      .then(async (response) => {
        if (!response.ok) throw new Error(String(response.status));
        setThumbnails({ state: 'ready', cues: parseThumbnailVtt(await response.text(), vttUrl) });
      })
      .catch(() => setThumbnails({ state: 'failed' }));
  };

  const timeAtPointer = (event: PointerEvent) => {
    const rect = wrapper.current?.getBoundingClientRect();
    if (!rect || rect.width === 0) return null;
    const x = Math.min(rect.width, Math.max(0, event.clientX - rect.left));
    return { time: (x / rect.width) * max, x };
  };

  const onPointerMove = (event: PointerEvent) => {
    loadThumbnails();
    setHover(timeAtPointer(event));
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    const moves: Record<string, number> = {
      ArrowLeft: -keyStep,
      ArrowDown: -keyStep,
      ArrowRight: keyStep,
      ArrowUp: keyStep,
      PageDown: -60,
      PageUp: 60,
    };
    let target: number | null = null;
    if (event.key in moves) target = current + moves[event.key]!;
    else if (event.key === 'Home') target = 0;
    else if (event.key === 'End') target = max;
    if (target === null) return;
    event.preventDefault();
    onSeek(Math.min(max, Math.max(0, target)));
  };

  const previewTime = scrubbing ?? hover?.time ?? null;
  const previewX =
    scrubbing !== null && wrapper.current ? (scrubbing / (max || 1)) * wrapper.current.clientWidth : (hover?.x ?? 0);
  const cue = previewTime !== null && thumbnails.state === 'ready' ? cueAt(thumbnails.cues, previewTime) : null;
  const wrapperWidth = wrapper.current?.clientWidth ?? 0;
  const previewLeft = Math.min(Math.max(0, previewX - PREVIEW_WIDTH / 2), Math.max(0, wrapperWidth - PREVIEW_WIDTH));

  return (
    <div
      ref={wrapper}
      className="group/seek relative flex h-8 items-center"
      onPointerEnter={loadThumbnails}
      onPointerMove={onPointerMove}
      onPointerLeave={() => setHover(null)}
    >
      <div aria-hidden="true" className="absolute inset-x-0 h-1.5 overflow-hidden rounded-full bg-white/25">
        <div className="absolute inset-y-0 left-0 bg-white/45" style={{ width: pct(bufferedEnd) }} />
        <div className="absolute inset-y-0 left-0 bg-gold" style={{ width: pct(shown) }} />
      </div>
      <input
        type="range"
        min={0}
        max={max}
        step="any"
        value={Math.min(shown, max)}
        aria-label={strings.playerSeek}
        aria-valuenow={Math.round(shown)}
        aria-valuetext={fill(strings.playerPositionOf, {
          position: spokenDuration(shown, strings),
          duration: spokenDuration(max, strings),
        })}
        disabled={max === 0}
        onFocus={loadThumbnails}
        onKeyDown={onKeyDown}
        onPointerDown={() => setScrubbing(current)}
        onChange={(event) => {
          const value = Number(event.target.value);
          if (scrubbing !== null) setScrubbing(value);
          else onSeek(value);
        }}
        onPointerUp={(event) => {
          if (scrubbing === null) return;
          onSeek(Number(event.currentTarget.value));
          setScrubbing(null);
        }}
        onPointerCancel={() => setScrubbing(null)}
        className="relative h-8 w-full cursor-pointer appearance-none bg-transparent focus-visible:outline-offset-0 [&::-moz-range-thumb]:size-4 [&::-moz-range-thumb]:rounded-full [&::-moz-range-thumb]:border-0 [&::-moz-range-thumb]:bg-gold [&::-webkit-slider-thumb]:size-4 [&::-webkit-slider-thumb]:appearance-none [&::-webkit-slider-thumb]:rounded-full [&::-webkit-slider-thumb]:bg-gold"
      />
      {previewTime !== null && max > 0 ? (
        <div
          aria-hidden="true"
          data-testid="seek-preview"
          className="pointer-events-none absolute bottom-9 flex flex-col items-center gap-1"
          style={{ left: previewLeft, width: PREVIEW_WIDTH }}
        >
          {cue ? (
            <div
              data-testid="seek-thumbnail"
              className="overflow-hidden rounded border border-white/40 bg-black shadow-lg"
              style={{ width: PREVIEW_WIDTH, height: Math.round((PREVIEW_WIDTH * cue.height) / cue.width) }}
            >
              {/* One tile of the sprite at its own size, scaled to fill the preview box. */}
              <div
                style={{
                  width: cue.width,
                  height: cue.height,
                  backgroundImage: `url("${cue.url}")`,
                  backgroundPosition: `-${cue.x}px -${cue.y}px`,
                  transform: `scale(${PREVIEW_WIDTH / cue.width})`,
                  transformOrigin: '0 0',
                }}
              />
            </div>
          ) : null}
          <span className="rounded bg-black/80 px-1.5 py-0.5 text-xs font-semibold tabular-nums text-white">
            {formatClock(previewTime)}
          </span>
        </div>
      ) : null}
    </div>
  );
}
