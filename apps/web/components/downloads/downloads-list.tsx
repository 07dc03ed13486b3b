'use client';
import { useEffect, useState } from 'react';
import { api, ApiError } from '@/lib/api/browser';
import type { Dictionary } from '@/lib/i18n/en';
import { fill } from '@/lib/i18n/locales';
import { megabytes, offlinePlayerPath, removeSaved, type SavedDownload, savedDownloads } from './offline-store';

export type DownloadsListStrings = Pick<
  Dictionary,
  | 'downloadsEmpty'
  | 'downloadsExpires'
  | 'downloadsExpired'
  | 'downloadsPlay'
  | 'downloadsRemove'
  | 'downloadsQuality'
  | 'episodeShort'
  | 'errorGeneric'
>;

const kampalaDate = (iso: string, locale: string) =>
  new Intl.DateTimeFormat(locale === 'en' ? 'en-UG' : locale, {
    timeZone: 'Africa/Kampala',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
  }).format(new Date(iso));

/**
 * The titles downloaded on this device, newest first, drawn from the device alone so the list
 * shows offline. Removing deletes the files here and the download on the account.
 */
export function DownloadsList({ t, locale }: { t: DownloadsListStrings; locale: string }) {
  const [items, setItems] = useState<SavedDownload[] | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    setItems(savedDownloads().sort((a, b) => b.savedAt.localeCompare(a.savedAt)));
    setNow(Date.now());
  }, []);

  async function remove(item: SavedDownload) {
    setFailed(null);
    await removeSaved(item.id);
    setItems((list) => (list ?? []).filter((d) => d.id !== item.id));
    try {
      await api(`/v1/downloads/${item.id}`, { method: 'DELETE' });
    } catch (error) {
      // Already gone on the account is what we wanted; offline, the files are gone from here anyway.
      if (error instanceof ApiError && (error.status === 404 || error.status === 0)) return;
      setFailed(error instanceof ApiError ? error.message : t.errorGeneric);
    }
  }

  if (items === null) return null;
  if (items.length === 0) {
    return <p className="mt-6 text-muted">{t.downloadsEmpty}</p>;
  }
  return (
    <>
      {failed ? (
        <p role="alert" className="mt-4 text-sm text-down">
          {failed}
        </p>
      ) : null}
      <ul className="mt-6 divide-y divide-line rounded-lg border border-line" data-testid="downloads-list">
        {items.map((item) => {
          const expired = Date.parse(item.expiresAt) <= now;
          const episode = item.title.episode;
          return (
            <li
              key={item.id}
              className="flex flex-col gap-3 p-4 sm:flex-row sm:items-center"
              data-testid="download-item"
            >
              <div className="min-w-0 flex-1">
                <p className="font-semibold break-words">
                  {item.title.name}
                  {episode ? (
                    <span className="ml-2 text-sm font-normal text-muted">
                      {fill(t.episodeShort, { season: episode.seasonNumber, episode: episode.number })} · {episode.name}
                    </span>
                  ) : null}
                </p>
                <p className="text-sm text-muted tabular-nums">
                  {megabytes(item.bytes)} MB · {fill(t.downloadsQuality, { n: item.height })} ·{' '}
                  {expired ? (
                    <span className="text-down">{t.downloadsExpired}</span>
                  ) : (
                    fill(t.downloadsExpires, { date: kampalaDate(item.expiresAt, locale) })
                  )}
                </p>
              </div>
              <div className="flex gap-2">
                {expired ? null : (
                  <a
                    href={offlinePlayerPath(item.id)}
                    className="inline-flex min-h-11 items-center rounded-md bg-gold px-4 font-semibold text-ink hover:bg-gold/90"
                    aria-label={`${t.downloadsPlay}: ${item.title.name}`}
                  >
                    ▶ {t.downloadsPlay}
                  </a>
                )}
                <button
                  type="button"
                  onClick={() => void remove(item)}
                  className="min-h-11 rounded-md border border-line px-3 text-sm font-semibold hover:border-gold"
                  aria-label={`${t.downloadsRemove}: ${item.title.name}`}
                >
                  {t.downloadsRemove}
                </button>
              </div>
            </li>
          );
        })}
      </ul>
    </>
  );
}
