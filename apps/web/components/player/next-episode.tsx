'use client';
import { useEffect, useRef, useState } from 'react';

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
}

/** Shown when an episode ends: the next one starts after a countdown unless the viewer cancels. */
export function NextEpisodeCountdown({ next, onPlay, onCancel }: NextEpisodeCountdownProps) {
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

  return (
    <section
      aria-labelledby="next-episode-heading"
      className="absolute right-2 bottom-24 left-2 rounded-lg border border-white/15 bg-ink/95 p-4 text-white shadow-2xl sm:right-4 sm:left-auto sm:w-80"
    >
      <h2 id="next-episode-heading" className="text-xs font-bold tracking-widest text-white/70 uppercase">
        Next episode
      </h2>
      <p className="mt-1 font-semibold">{next.label}</p>
      {/* Announced once; the ticking number is hidden from screen readers so it does not chatter. */}
      <p className="sr-only" role="status">
        The next episode starts in {NEXT_EPISODE_COUNTDOWN_SECONDS} seconds.
      </p>
      <p aria-hidden="true" className="mt-1 text-sm text-white/80">
        Starts in <span className="font-bold tabular-nums text-gold">{remaining}</span> s
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
          Play now
        </button>
        <button
          type="button"
          onClick={onCancel}
          className="inline-flex min-h-11 flex-1 items-center justify-center rounded-md border border-white/30 px-3 font-semibold hover:border-gold hover:text-gold"
        >
          Cancel
        </button>
      </div>
    </section>
  );
}
