import type { CatalogHome, HistoryEntry } from '@kush/contracts';
import type { ContinueWatching, MyListPage } from '@/lib/types';
import { AdSlot, preloadAdSlot } from '@/components/ad-slot';
import { Hero } from '@/components/home/hero';
import { MoreRows } from '@/components/home/more-rows';
import { CardRow, CategoryRows, ROW_CARDS, RowSkeleton, SERVER_CATEGORY_ROWS } from '@/components/home/rows';
import { TitleCard, TitleRow } from '@/components/title-card';
import { fill } from '@/lib/i18n/locales';
import { watchHref } from '@/lib/links';
import { getDictionary, pick } from '@/lib/i18n/server';
import { catalogApi, getCurrentProfile, getMe, profileApi } from '@/lib/session';
import type { Dictionary } from '@/lib/i18n/en';

export const dynamic = 'force-dynamic';

function ContinueCard({ entry, t }: { entry: HistoryEntry; t: Dictionary }) {
  const percent = Math.round(entry.progress * 100);
  return (
    <TitleCard
      title={entry.title}
      t={t}
      href={watchHref(entry.title.slug, entry.episode?.id)}
      footer={
        <>
          {entry.episode ? (
            <p className="text-xs text-muted">
              {fill(t.episodeShort, { season: entry.episode.seasonNumber, episode: entry.episode.number })}
            </p>
          ) : null}
          <div
            role="progressbar"
            aria-valuenow={percent}
            aria-valuemin={0}
            aria-valuemax={100}
            aria-label={fill(t.watchedPercent, { n: percent })}
            className="mt-1 h-1 overflow-hidden rounded bg-line"
          >
            <div className="h-full bg-gold" style={{ width: `${percent}%` }} />
          </div>
        </>
      }
    />
  );
}

export default async function HomePage() {
  // The banner's decision needs nothing from the page: asked now, alongside everything else.
  preloadAdSlot('home-top');
  // The layout has already asked who is looking (cached per request): no extra round trip here.
  const [{ t }, me, profile] = await Promise.all([getDictionary(), getMe(), getCurrentProfile()]);
  // Every API call at once (the genre list comes with the rows past the first few: MoreRows). The
  // category rows' cards only for the rows drawn here: the others' frames need just their names,
  // and their cards (most of the answer's bytes) would be fetched, parsed and dropped on every view.
  const [home, continueWatching, myList] = await Promise.all([
    catalogApi<CatalogHome>(`/api/v1/catalog/home${SERVER_CATEGORY_ROWS === 0 ? '?rowCards=0' : ''}`, '/'),
    profile
      ? profileApi<ContinueWatching>(`/api/v1/profiles/${profile.id}/continue-watching?limit=${ROW_CARDS}`, '/')
      : null,
    profile ? profileApi<MyListPage>(`/api/v1/profiles/${profile.id}/list?limit=${ROW_CARDS + 1}`, '/') : null,
  ]);
  const hero = home?.featured[0];
  const empty =
    !home ||
    (home.featured.length === 0 &&
      home.trending.length === 0 &&
      home.newReleases.length === 0 &&
      home.rows.length === 0);

  return (
    <div>
      <h1 className="sr-only">Kush Films</h1>
      {hero ? <Hero hero={hero} t={t} /> : null}

      <AdSlot name="home-top" />

      {me && !profile ? (
        <p className="mt-6 rounded-lg border border-line bg-surface p-4">
          <a href="/profiles?next=/" className="font-semibold text-gold underline underline-offset-4">
            {t.whoIsWatching}
          </a>
        </p>
      ) : null}

      {continueWatching && continueWatching.items.length > 0 ? (
        <TitleRow heading={t.rowContinue} id="row-continue">
          {continueWatching.items.map((entry) => (
            <ContinueCard key={entry.videoId} entry={entry} t={t} />
          ))}
        </TitleRow>
      ) : null}

      {myList && myList.items.length > 0 ? (
        <CardRow
          heading={t.rowMyList}
          id="row-my-list"
          titles={myList.items.map((item) => item.title)}
          t={t}
          moreHref="/my-list"
        />
      ) : null}

      {home && home.trending.length > 0 ? (
        <CardRow heading={t.rowTrending} id="row-trending" titles={home.trending} t={t} />
      ) : null}

      {home && home.newReleases.length > 0 ? (
        <CardRow heading={t.rowNewReleases} id="row-new" titles={home.newReleases} t={t} />
      ) : null}

      <CategoryRows rows={home?.rows.slice(0, SERVER_CATEGORY_ROWS) ?? []} t={t} />
      {home ? (
        <MoreRows strings={pick(t, ['rowsLoadFailed', 'retry'])}>
          {home.rows.slice(SERVER_CATEGORY_ROWS).map((row) => (
            <RowSkeleton key={row.category.id} category={row.category} t={t} />
          ))}
        </MoreRows>
      ) : null}

      {empty ? <p className="mt-10 text-center text-muted">{t.emptyCatalog}</p> : null}
    </div>
  );
}
