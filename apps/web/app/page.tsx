import type { CatalogHome, HistoryEntry } from '@kush/contracts';
import type { ContinueWatching, GenreList, MyListPage } from '@/lib/types';
import { AdSlot } from '@/components/ad-slot';
import { ResponsiveImage } from '@/components/responsive-image';
import { TierBadge, TitleCard, TitleRow } from '@/components/title-card';
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

export default async function HomePage() {
  const { t } = await getDictionary();
  const [home, genres, me, profile] = await Promise.all([
    catalogApi<CatalogHome>('/api/v1/catalog/home', '/'),
    catalogApi<GenreList>('/api/v1/catalog/genres', '/'),
    getMe(),
    getCurrentProfile(),
  ]);
  const [continueWatching, myList] = profile
    ? await Promise.all([
        profileApi<ContinueWatching>(`/api/v1/profiles/${profile.id}/continue-watching?limit=12`, '/'),
        profileApi<MyListPage>(`/api/v1/profiles/${profile.id}/list?limit=12`, '/'),
      ])
    : [null, null];
  const hero = home?.featured[0];
  const empty =
    !home ||
    (home.featured.length === 0 &&
      home.trending.length === 0 &&
      home.newReleases.length === 0 &&
      home.rows.every((row) => row.titles.length === 0));

  return (
    <div>
      <h1 className="sr-only">Kush Films</h1>
      {hero ? (
        <section
          aria-labelledby="hero-title"
          className="relative -mx-4 -mt-6 overflow-hidden sm:mx-0 sm:mt-0 sm:rounded-xl"
          data-testid="hero"
        >
          {hero.backdrop ? (
            <ResponsiveImage
              image={hero.backdrop}
              alt=""
              sizes="(min-width: 1152px) 1152px, 100vw"
              priority
              className="aspect-video max-h-[70vh] w-full object-cover"
            />
          ) : (
            <div className="aspect-video w-full bg-surface-raised" />
          )}
          <div className="absolute inset-0 bg-gradient-to-t from-ink via-ink/60 to-transparent" />
          <div className="absolute inset-x-0 bottom-0 p-4 sm:p-8">
            <div className="flex items-center gap-2 text-sm text-fg/90">
              <TierBadge tier={hero.accessTier} t={t} />
              {hero.year ? <span>{hero.year}</span> : null}
              <span className="rounded border border-fg/40 px-1 text-xs">{hero.maturityRating}</span>
            </div>
            <h2 id="hero-title" className="mt-2 text-2xl font-black tracking-tight sm:text-4xl">
              {hero.name}
            </h2>
            <p className="mt-2 line-clamp-2 max-w-prose text-sm text-fg/90 sm:line-clamp-3 sm:text-base">
              {hero.synopsis}
            </p>
            <div className="mt-4 flex gap-3">
              <a
                href={watchHref(hero.slug)}
                className="inline-flex min-h-11 items-center rounded-md bg-gold px-5 font-bold text-ink hover:bg-gold/90"
              >
                ▶ {t.heroPlay}
              </a>
              <a
                href={`/title/${hero.slug}`}
                className="inline-flex min-h-11 items-center rounded-md border border-fg/40 bg-ink/60 px-5 font-semibold hover:border-gold"
              >
                {t.heroMore}
              </a>
            </div>
          </div>
        </section>
      ) : null}

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
        <TitleRow heading={t.rowMyList} id="row-my-list" moreHref="/my-list" moreLabel={t.seeAll}>
          {myList.items.map((item) => (
            <TitleCard key={item.title.id} title={item.title} t={t} />
          ))}
        </TitleRow>
      ) : null}

      {home && home.trending.length > 0 ? (
        <TitleRow heading={t.rowTrending} id="row-trending">
          {home.trending.map((title) => (
            <TitleCard key={title.id} title={title} t={t} />
          ))}
        </TitleRow>
      ) : null}

      {home && home.newReleases.length > 0 ? (
        <TitleRow heading={t.rowNewReleases} id="row-new">
          {home.newReleases.map((title) => (
            <TitleCard key={title.id} title={title} t={t} />
          ))}
        </TitleRow>
      ) : null}

      {home?.rows.map((row) =>
        row.titles.length > 0 ? (
          <TitleRow
            key={row.category.id}
            heading={row.category.name}
            id={`row-${row.category.slug}`}
            moreHref={`/category/${row.category.slug}`}
            moreLabel={t.seeAll}
          >
            {row.titles.map((title) => (
              <TitleCard key={title.id} title={title} t={t} />
            ))}
          </TitleRow>
        ) : null,
      )}

      {genres && genres.items.length > 0 ? (
        <section aria-labelledby="genres-heading" className="mt-10">
          <h2 id="genres-heading" className="text-lg font-bold sm:text-xl">
            {t.genres}
          </h2>
          <ul className="mt-3 flex flex-wrap gap-2">
            {genres.items.map((genre) => (
              <li key={genre.id}>
                <a
                  href={`/genre/${genre.slug}`}
                  className="inline-flex min-h-11 items-center rounded-full border border-line px-4 text-sm hover:border-gold hover:text-gold"
                >
                  {genre.name}
                </a>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {empty ? <p className="mt-10 text-center text-muted">{t.emptyCatalog}</p> : null}
    </div>
  );
}
