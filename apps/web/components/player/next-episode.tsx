'use client';
import { useEffect, useRef, useState } from 'react';
import { fill } from '@/lib/i18n/locales';
import { around, type PlayerStrings } from './strings';

export interface NextEpisode {
  href: string;
  /** "S1 E3 · The Return" */
  label: string;
}

export const NEXT_EPISODE_COUNTDOWN_SECONDS = 10;

interface NextEpisodeCountdownProps {
  next: NextEpisode;
  onPlay(): void;
  onCancel(): void;
  strings: Pick<
    PlayerStrings,
    'nextEpisodeHeading' | 'nextEpisodeAnnounce' | 'nextEpisodeStartsIn' | 'nextEpisodePlayNow' | 'nextEpisodeCancel'
  >;
}

/** Shown when an episode ends: the next one starts after a countdown unless the viewer cancels. */
export function NextEpisodeCountdown({ next, onPlay, onCancel, strings }: NextEpisodeCountdownProps) {
  const [remaining, setRemaining] = useState(NEXT_EPISODE_COUNTDOWN_SECONDS);
  const playNow = useRef<HTMLButtonElement>(null);
  const started = useRef(false);

  useEffect(() => {
    playNow.current?.focus();
    const timer = window.setInterval(() => setRemaining((r) => Math.max(0, r - 1)), 1000);
    return () => window.clearInterval(timer);
  }, []);

  useEffect(() => {
    if (remaining === 0 && !started.current) {
      started.current = true;
      onPlay();
    }
  }, [remaining, onPlay]);

  const [startsIn, startsInAfter] = around(strings.nextEpisodeStartsIn, 'seconds');
  return (
    <section
      aria-labelledby="next-episode-heading"
      className="absolute right-2 bottom-24 left-2 rounded-lg border border-white/15 bg-ink/95 p-4 text-white shadow-2xl sm:right-4 sm:left-auto sm:w-80"
    >
      <h2 id="next-episode-heading" className="text-xs font-semibold tracking-widest text-white/70 uppercase">
        {strings.nextEpisodeHeading}
      </h2>
      <p className="mt-1 font-semibold">{next.label}</p>
      {/* Announced once; the ticking number is hidden from screen readers so it does not chatter. */}
      <p className="sr-only" role="status">
        {fill(strings.nextEpisodeAnnounce, { seconds: NEXT_EPISODE_COUNTDOWN_SECONDS })}
      </p>
      <p aria-hidden="true" className="mt-1 text-sm text-white/80">
        {startsIn}
        <span className="font-semibold tabular-nums text-gold">{remaining}</span>
        {startsInAfter}
      </p>
      <div className="mt-3 flex gap-3">
        <button
          ref={playNow}
          type="button"
          onClick={() => {
            started.current = true;
            onPlay();
          }}
          className="inline-flex min-h-11 flex-1 items-center justify-center rounded-md bg-gold px-3 font-semibold text-ink hover:bg-gold/90"
        >
          {strings.nextEpisodePlayNow}
        </button>
        <button
          type="button"
          onClick={onCancel}
          className="inline-flex min-h-11 flex-1 items-center justify-center rounded-md border border-white/30 px-3 font-semibold hover:border-gold hover:text-gold"
        >
          {strings.nextEpisodeCancel}
        </button>
      </div>
    </section>
  );
}
