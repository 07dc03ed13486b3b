import type { Metadata } from 'next';
import { ActionButton } from '@/components/action-button';
import { queryOf } from '@/components/browse';
import { formatKampalaDate } from '@/lib/format';
import { fill } from '@/lib/i18n/locales';
import { getDictionary } from '@/lib/i18n/server';
import { one, watchHref } from '@/lib/links';
import { profileApi, requireProfile } from '@/lib/session';
import type { HistoryPage } from '@/lib/types';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Watch history' };

export default async function HistoryRoute({
  searchParams,
}: {
  searchParams: Promise<{ cursor?: string | string[] }>;
}) {
  const cursor = one((await searchParams).cursor);
  const here = `/history${queryOf({ cursor })}`;
  const { profile } = await requireProfile(here);
  const { locale, t } = await getDictionary();
  const page = await profileApi<HistoryPage>(
    `/api/v1/profiles/${profile.id}/history${queryOf({ cursor, limit: '30' })}`,
    here,
  );

  return (
    <div>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-3xl font-black tracking-tight">{t.historyHeading}</h1>
        {page.items.length > 0 ? (
          <ActionButton
            path={`/v1/profiles/${profile.id}/history`}
            method="DELETE"
            label={t.clearHistory}
            confirm={t.clearHistoryConfirm}
            errorText={t.errorGeneric}
          />
        ) : null}
      </div>
      {page.items.length === 0 ? <p className="mt-6 text-muted">{t.historyEmpty}</p> : null}
      <ul className="mt-6 divide-y divide-line rounded-xl border border-line">
        {page.items.map((entry) => (
          <li key={entry.videoId} className="flex flex-wrap items-center gap-3 p-4" data-history={entry.title.slug}>
            <div className="min-w-0 flex-1">
              <a href={watchHref(entry.title.slug, entry.episode?.id)} className="font-semibold hover:text-gold">
                {entry.title.name}
                {entry.episode
                  ? ` · ${fill(t.episodeShort, { season: entry.episode.seasonNumber, episode: entry.episode.number })} ${entry.episode.name}`
                  : ''}
              </a>
              <p className="text-sm text-muted">
                {fill(t.watchedOn, { date: formatKampalaDate(entry.watchedAt, locale) })} ·{' '}
                {fill(t.watchedPercent, { n: Math.round(entry.progress * 100) })}
              </p>
            </div>
            <ActionButton
              path={`/v1/profiles/${profile.id}/history/${entry.videoId}`}
              method="DELETE"
              label={t.remove}
              errorText={t.errorGeneric}
            />
          </li>
        ))}
      </ul>
      {page.nextCursor ? (
        <div className="mt-8 text-center">
          <a
            href={`/history${queryOf({ cursor: page.nextCursor })}`}
            rel="next"
            className="inline-flex min-h-11 items-center rounded-md border border-line px-6 font-semibold hover:border-gold"
          >
            {t.loadMore}
          </a>
        </div>
      ) : null}
    </div>
  );
}
