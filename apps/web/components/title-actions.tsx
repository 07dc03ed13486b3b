'use client';
import type { MyListStatus, Rating } from '@/lib/types';
import { useState } from 'react';
import { api, ApiError } from '@/lib/api/browser';

export interface TitleActionsStrings {
  addToList: string;
  removeFromList: string;
  yourRating: string;
  rateN: string;
  removeRating: string;
  ratingOf: string;
  noRatings: string;
  errorGeneric: string;
  profileLocked: string;
}

const errorText = (error: unknown, t: TitleActionsStrings) =>
  error instanceof ApiError && error.code === 'PROFILE_LOCKED' ? t.profileLocked : t.errorGeneric;

/** My List toggle and the profile's own 1–5 rating: the only interactive parts of a title page's head. */
export function TitleActions({
  t,
  profileId,
  titleId,
  initialInList,
  initialScore,
  initialAverage,
  initialCount,
}: {
  /** The title's average and count; a rating answer carries fresh ones (catalog reads may be cached). */
  initialAverage: number | null;
  initialCount: number;
  t: TitleActionsStrings;
  profileId: string;
  titleId: string;
  initialInList: boolean;
  initialScore: number | null;
}) {
  const [inList, setInList] = useState(initialInList);
  const [score, setScore] = useState(initialScore);
  const [average, setAverage] = useState({ value: initialAverage, count: initialCount });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const base = `/v1/profiles/${profileId}`;

  async function run(work: () => Promise<void>) {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (e) {
      setError(errorText(e, t));
    } finally {
      setBusy(false);
    }
  }

  const toggleList = () =>
    run(async () => {
      if (inList) {
        await api(`${base}/list/${titleId}`, { method: 'DELETE' });
        setInList(false);
      } else {
        await api<MyListStatus>(`${base}/list/${titleId}`, { method: 'PUT' });
        setInList(true);
      }
    });

  const rate = (value: number) =>
    run(async () => {
      const rating = await api<Rating>(`${base}/ratings/${titleId}`, { method: 'PUT', body: { score: value } });
      setScore(rating.score);
      setAverage({ value: rating.average, count: rating.count });
    });

  const unrate = () =>
    run(async () => {
      await api(`${base}/ratings/${titleId}`, { method: 'DELETE' });
      setScore(null);
      setAverage((a) => ({ value: a.count > 1 ? a.value : null, count: Math.max(0, a.count - 1) }));
    });

  return (
    <div className="mt-4 flex flex-wrap items-center gap-x-6 gap-y-3">
      <p className="w-full text-sm text-muted" data-testid="rating-average">
        {average.value !== null
          ? `★ ${t.ratingOf.replace('{avg}', average.value.toFixed(1)).replace('{count}', String(average.count))}`
          : t.noRatings}
      </p>
      <button
        type="button"
        onClick={() => void toggleList()}
        disabled={busy}
        aria-pressed={inList}
        data-testid="my-list-toggle"
        className="inline-flex min-h-11 items-center gap-2 rounded-md border border-line px-4 font-semibold hover:border-gold disabled:opacity-60"
      >
        <span aria-hidden="true">{inList ? '✓' : '+'}</span>
        {inList ? t.removeFromList : t.addToList}
      </button>
      <fieldset className="flex min-w-0 flex-wrap items-center gap-1" data-testid="rating">
        <legend className="sr-only">{t.yourRating}</legend>
        <span className="mr-2 text-sm text-muted" aria-hidden="true">
          {t.yourRating}
        </span>
        {[1, 2, 3, 4, 5].map((value) => (
          <button
            key={value}
            type="button"
            disabled={busy}
            onClick={() => void rate(value)}
            aria-pressed={score === value}
            aria-label={t.rateN.replace('{n}', String(value))}
            className={`flex size-11 items-center justify-center text-2xl ${
              score !== null && value <= score ? 'text-gold' : 'text-muted'
            } hover:text-gold`}
          >
            ★
          </button>
        ))}
        {score !== null ? (
          <button
            type="button"
            onClick={() => void unrate()}
            disabled={busy}
            className="ml-2 min-h-11 text-sm text-muted underline underline-offset-4 hover:text-fg"
          >
            {t.removeRating}
          </button>
        ) : null}
      </fieldset>
      <p role="status" className="w-full text-sm text-down empty:hidden">
        {error}
      </p>
    </div>
  );
}
