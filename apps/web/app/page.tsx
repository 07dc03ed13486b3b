import type { CatalogHome, HistoryEntry } from '@kush/contracts';
import type { ContinueWatching, GenreList, MyListPage } from '@/lib/types';
import { Suspense } from 'react';
import { AdSlot } from '@/components/ad-slot';
import { Hero } from '@/components/home/hero';
import { RowsSkeleton } from '@/components/home/skeleton';
import { CardRow, CategoryRows, ROW_CARDS } from '@/components/home/rows';
import { TitleCard, TitleRow } from '@/components/title-card';
import { fill } from '@/lib/i18n/locales';
import { watchHref } from '@/lib/links';
import { getDictionary } from '@/lib/i18n/server';
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

/**
 * The hero goes out in the first flush with the header; the rows (~60 cards, most of the page's
 * server rendering) are rendered after it and follow in the same response, in place of a
 * skeleton of their shape. On a slow phone the server's time to the first byte is on the critical
 * path of the first paint, and the hero image's request should start as early as it can.
 */
export default async function HomePage() {
  // The layout has already asked who is looking (cached per request): no extra round trip here.
  const [{ t }, me, profile] = await Promise.all([getDictionary(), getMe(), getCurrentProfile()]);
  // Every API call at once: only the catalog home is awaited before the first flush.
  const genres = catalogApi<GenreList>('/api/v1/catalog/genres', '/').catch(() => null);
  const continueWatching = profile
    ? profileApi<ContinueWatching>(`/api/v1/profiles/${profile.id}/continue-watching?limit=${ROW_CARDS}`, '/')
    : null;
  const myList = profile
    ? profileApi<MyListPage>(`/api/v1/profiles/${profile.id}/list?limit=${ROW_CARDS + 1}`, '/')
    : null;
  // Rejections are awaited in HomeRows; this keeps one arriving early from going unhandled.
  for (const pending of [continueWatching, myList]) pending?.catch(() => {});
  const home = await catalogApi<CatalogHome>('/api/v1/catalog/home', '/');
  const hero = home?.featured[0];

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

      <Suspense fallback={<RowsSkeleton />}>
        <HomeRows home={home} continueWatching={continueWatching} myList={myList} genres={genres} t={t} />
      </Suspense>
    </div>
  );
}

async function HomeRows({
  home,
  continueWatching: continueWatchingPromise,
  myList: myListPromise,
  genres,
  t,
}: {
  home: CatalogHome | null;
  continueWatching: Promise<ContinueWatching> | null;
  myList: Promise<MyListPage> | null;
  genres: Promise<GenreList | null>;
  t: Dictionary;
}) {
  // Rendered after the first flush (the hero and the header are on their way meanwhile): the
  // rows are below the fold and are most of the page's rendering work on the server.
  await new Promise<void>((resolve) => setImmediate(resolve));
  const [continueWatching, myList] = await Promise.all([continueWatchingPromise, myListPromise]);
  const empty =
    !home ||
    (home.featured.length === 0 &&
      home.trending.length === 0 &&
      home.newReleases.length === 0 &&
      home.rows.every((row) => row.titles.length === 0));

  return (
    <>
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

      <CategoryRows rows={home?.rows ?? []} genres={genres} t={t} />

      {empty ? <p className="mt-10 text-center text-muted">{t.emptyCatalog}</p> : null}
    </>
  );
}
