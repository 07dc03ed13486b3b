import type { TitleDetail } from '@kush/contracts';
import type { CommentPage, ContinueWatching, MyListStatus, Rating } from '@/lib/types';
import { COMMENT_MAX_LENGTH } from '@kush/contracts';
import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { cache, Suspense } from 'react';
import { AdSlot, preloadAdSlot } from '@/components/ad-slot';
import { Comments } from '@/components/comments';
import { DownloadOffer } from '@/components/downloads/download-offer';
import { ResponsiveImage } from '@/components/responsive-image';
import { TierBadge } from '@/components/title-card';
import { TitleActions } from '@/components/title-actions';
import { ApiError, serverApi } from '@/lib/api/server';
import { dataPriceUgxPerGb, dataUseFor } from '@/lib/data-cost';
import { formatKampalaDate, formatUgx } from '@/lib/format';
import type { Dictionary } from '@/lib/i18n/en';
import { fill, type Locale } from '@/lib/i18n/locales';
import { ROLE_LABEL } from '@/lib/credit-roles';
import { getDictionary, pick } from '@/lib/i18n/server';
import { watchHref } from '@/lib/links';
import { catalogApi, getCurrentProfile, profileApi } from '@/lib/session';

export const dynamic = 'force-dynamic';

interface Props {
  params: Promise<{ slug: string }>;
}

/** One API call per request for the metadata and the page alike. */
const titleBySlug = cache((slug: string) =>
  catalogApi<TitleDetail>(`/api/v1/catalog/titles/${slug}`, `/title/${slug}`),
);

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { slug } = await params;
  const title = await titleBySlug(slug).catch(() => null);
  return title ? { title: title.name, description: title.synopsis.slice(0, 160) } : { title: 'Not found' };
}

/** The profile's state for this title; any failure just shows the default (not in list, unrated). */
async function personal(profileId: string, titleId: string, here: string) {
  const base = `/api/v1/profiles/${profileId}`;
  const [status, rating, continuing] = await Promise.all([
    profileApi<MyListStatus>(`${base}/list/${titleId}`, here),
    profileApi<Rating>(`${base}/ratings/${titleId}`, here).catch((error: unknown) => {
      if (error instanceof ApiError && error.status === 404) return null;
      throw error;
    }),
    profileApi<ContinueWatching>(`${base}/continue-watching?limit=50`, here),
  ]);
  const resume = continuing.items.find((entry) => entry.title.id === titleId) ?? null;
  return { inList: status.inList, rating, resume };
}

function DataUse({ minutes, t }: { minutes: number; t: Dictionary }) {
  const price = dataPriceUgxPerGb();
  const rows = dataUseFor(minutes, price);
  return (
    <section aria-labelledby="data-heading" className="render-lazy mt-8 max-w-md" data-testid="data-use">
      <h2 id="data-heading" className="text-lg font-semibold">
        {t.dataUse}
      </h2>
      <table className="mt-2 w-full text-sm">
        <thead className="text-left text-muted">
          <tr>
            <th scope="col" className="py-1 font-semibold">
              {t.quality}
            </th>
            <th scope="col" className="py-1 text-right font-semibold">
              {t.dataSize}
            </th>
            <th scope="col" className="py-1 text-right font-semibold">
              {t.approxCost}
            </th>
          </tr>
        </thead>
        <tbody className="tabular-nums">
          {rows.map((row) => (
            <tr key={row.label} className="border-t border-line">
              <th scope="row" className="py-1.5 text-left font-semibold">
                {row.label}
              </th>
              <td className="py-1.5 text-right">{row.megabytes.toLocaleString('en-UG')} MB</td>
              <td className="py-1.5 text-right">{formatUgx(row.costUgx)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="mt-2 text-xs text-muted">{fill(t.dataUseNote, { price: formatUgx(price) })}</p>
    </section>
  );
}

export default async function TitlePage({ params }: Props) {
  const { slug } = await params;
  const here = `/title/${slug}`;
  const [{ locale, t }, profile, title] = await Promise.all([getDictionary(), getCurrentProfile(), titleBySlug(slug)]);
  if (!title) notFound();
  preloadAdSlot('title-below-synopsis', title.id); // alongside the profile's state, not after it

  const mine = profile ? await personal(profile.id, title.id, here) : null;
  const minutes =
    title.kind === 'film'
      ? (title.runtimeMinutes ?? 0)
      : title.seasons.flatMap((s) => s.episodes).reduce((sum, e) => sum + (e.runtimeMinutes ?? 0), 0);
  const firstEpisode = title.seasons[0]?.episodes[0];
  const playHref = mine?.resume
    ? watchHref(title.slug, mine.resume.episode?.id)
    : watchHref(title.slug, title.kind === 'series' ? firstEpisode?.id : null);

  return (
    <article>
      <div className="relative -mx-4 -mt-6 sm:mx-0 sm:mt-0">
        {title.backdrop ? (
          <ResponsiveImage
            image={title.backdrop}
            alt=""
            sizes="(min-width: 1152px) 1152px, 100vw"
            priority
            className="aspect-video max-h-[60vh] w-full object-cover sm:rounded-xl"
          />
        ) : null}
        {title.backdrop ? (
          <div className="absolute inset-0 bg-gradient-to-t from-ink to-transparent sm:rounded-xl" />
        ) : null}
      </div>

      <div className={`relative flex gap-4 sm:gap-6 ${title.backdrop ? '-mt-16 sm:-mt-24' : ''}`}>
        {title.poster ? (
          <div className="hidden w-40 shrink-0 sm:block lg:w-52">
            <ResponsiveImage
              image={title.poster}
              alt=""
              sizes="208px"
              className="aspect-[2/3] w-full rounded-lg border border-line object-cover"
            />
          </div>
        ) : null}
        <div className="min-w-0 flex-1 self-end">
          <div className="flex flex-wrap items-center gap-2 text-sm text-fg/90">
            <TierBadge tier={title.accessTier} t={t} />
            <span>{title.kind === 'film' ? t.film : t.series}</span>
            {title.year ? <span>· {title.year}</span> : null}
            {title.runtimeMinutes ? <span>· {fill(t.minutes, { n: title.runtimeMinutes })}</span> : null}
            <span className="rounded border border-fg/40 px-1 text-xs" aria-label={`Rated ${title.maturityRating}`}>
              {title.maturityRating}
            </span>
          </div>
          <h1 className="mt-2 text-2xl font-black tracking-tight text-balance sm:text-4xl">{title.name}</h1>
          {profile ? null : (
            <p className="mt-1 text-sm text-muted" data-testid="rating-average">
              {title.ratingAverage !== null
                ? `★ ${fill(t.ratingOf, { avg: title.ratingAverage.toFixed(1), count: title.ratingCount })}`
                : t.noRatings}
            </p>
          )}
          <div className="mt-4">
            <a
              href={playHref}
              className="inline-flex min-h-11 items-center rounded-md bg-gold px-6 font-semibold text-ink hover:bg-gold/90"
            >
              ▶ {mine?.resume ? t.resume : t.play}
            </a>
          </div>
          <DownloadOffer
            t={t}
            titleId={title.id}
            episodeId={title.kind === 'series' ? (firstEpisode?.id ?? null) : null}
            profileId={profile?.id ?? null}
          />
        </div>
      </div>

      {profile && mine ? (
        <TitleActions
          t={pick(t, [
            'addToList',
            'removeFromList',
            'yourRating',
            'rateN',
            'removeRating',
            'ratingOf',
            'noRatings',
            'errorGeneric',
            'profileLocked',
          ])}
          profileId={profile.id}
          titleId={title.id}
          initialInList={mine.inList}
          initialScore={mine.rating?.score ?? null}
          initialAverage={mine.rating ? mine.rating.average : title.ratingAverage}
          initialCount={mine.rating ? mine.rating.count : title.ratingCount}
        />
      ) : (
        <p className="mt-4 text-sm">
          <a href={`/login?next=${encodeURIComponent(here)}`} className="text-gold underline underline-offset-4">
            {t.signInToRate}
          </a>
        </p>
      )}

      <AdSlot name="title-below-synopsis" titleId={title.id} />

      <section aria-labelledby="synopsis-heading" className="mt-8 max-w-prose">
        <h2 id="synopsis-heading" className="sr-only">
          {t.synopsis}
        </h2>
        <p className="whitespace-pre-line">{title.synopsis}</p>
        <dl className="mt-4 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
          {title.genres.length > 0 ? (
            <>
              <dt className="text-muted">{t.genresLabel}</dt>
              <dd className="flex flex-wrap gap-x-2">
                {title.genres.map((g) => (
                  <a key={g.id} href={`/genre/${g.slug}`} className="text-gold underline-offset-4 hover:underline">
                    {g.name}
                  </a>
                ))}
              </dd>
            </>
          ) : null}
          {title.audioLanguages.length > 0 ? (
            <>
              <dt className="text-muted">{t.audioLanguages}</dt>
              <dd>{title.audioLanguages.join(', ')}</dd>
            </>
          ) : null}
          {title.subtitleLanguages.length > 0 ? (
            <>
              <dt className="text-muted">{t.subtitles}</dt>
              <dd>{title.subtitleLanguages.join(', ')}</dd>
            </>
          ) : null}
        </dl>
      </section>

      {title.seasons.length > 0 ? (
        <section aria-labelledby="seasons-heading" className="render-lazy mt-8">
          <h2 id="seasons-heading" className="text-lg font-semibold sm:text-xl">
            {t.seasons}
          </h2>
          {title.seasons.map((season) => (
            <details key={season.id} open={season === title.seasons[0]} className="mt-3 rounded-lg border border-line">
              <summary className="flex min-h-11 cursor-pointer items-center px-4 font-semibold">
                {season.name ?? fill(t.seasonN, { n: season.number })}
              </summary>
              <ol className="divide-y divide-line">
                {season.episodes.map((episode) => (
                  <li key={episode.id} className="flex items-start gap-3 p-4">
                    <a
                      href={watchHref(title.slug, episode.id)}
                      aria-label={`${fill(t.playEpisode, { n: episode.number })}: ${episode.name}`}
                      className="flex size-11 shrink-0 items-center justify-center rounded-full bg-gold text-ink hover:bg-gold/90"
                    >
                      ▶
                    </a>
                    <div className="min-w-0">
                      <p className="font-semibold">
                        {episode.number}. {episode.name}
                        {episode.runtimeMinutes ? (
                          <span className="ml-2 text-sm font-normal text-muted">
                            {fill(t.minutes, { n: episode.runtimeMinutes })}
                          </span>
                        ) : null}
                      </p>
                      {episode.synopsis ? <p className="mt-1 text-sm text-muted">{episode.synopsis}</p> : null}
                    </div>
                  </li>
                ))}
              </ol>
            </details>
          ))}
        </section>
      ) : null}

      {title.credits.length > 0 ? (
        <section aria-labelledby="credits-heading" className="render-lazy mt-8">
          <h2 id="credits-heading" className="text-lg font-semibold sm:text-xl">
            {t.castAndCrew}
          </h2>
          <ul className="mt-3 grid grid-cols-1 gap-2 min-[480px]:grid-cols-2 lg:grid-cols-3">
            {title.credits.map((credit) => (
              <li key={`${credit.person.id}-${credit.role}`}>
                <a
                  href={`/person/${credit.person.slug}`}
                  className="flex min-h-11 items-center gap-3 rounded-lg border border-line p-2 hover:border-gold"
                >
                  {credit.person.photo ? (
                    <ResponsiveImage
                      image={credit.person.photo}
                      alt=""
                      sizes="48px"
                      className="size-12 rounded-full object-cover"
                    />
                  ) : (
                    <span aria-hidden="true" className="flex size-12 items-center justify-center rounded-full bg-line">
                      {credit.person.name.charAt(0)}
                    </span>
                  )}
                  <span className="min-w-0">
                    <span className="block truncate font-semibold">{credit.person.name}</span>
                    <span className="block truncate text-sm text-muted">
                      {t[ROLE_LABEL[credit.role]]}
                      {credit.character ? ` · ${fill(t.asCharacter, { name: credit.character })}` : ''}
                    </span>
                  </span>
                </a>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {minutes > 0 ? <DataUse minutes={minutes} t={t} /> : null}

      {/* At the foot of the page: streamed after the rest rather than holding it back. */}
      <Suspense fallback={<div className="mt-10 min-h-32" />}>
        <TitleComments titleId={title.id} profileId={profile?.id ?? null} locale={locale} t={t} />
      </Suspense>
    </article>
  );
}

async function TitleComments({
  titleId,
  profileId,
  locale,
  t,
}: {
  titleId: string;
  profileId: string | null;
  locale: Locale;
  t: Dictionary;
}) {
  const comments = await serverApi<CommentPage>(`/api/v1/titles/${titleId}/comments?limit=20`);
  const commentDates = Object.fromEntries(comments.items.map((c) => [c.id, formatKampalaDate(c.createdAt, locale)]));
  return (
    <Comments
      t={pick(t, [
        'comments',
        'commentPlaceholder',
        'commentPost',
        'commentEdit',
        'commentSave',
        'commentCancel',
        'commentDelete',
        'commentDeleteConfirm',
        'commentReport',
        'commentReported',
        'commentHidden',
        'commentEdited',
        'commentsEmpty',
        'moreComments',
        'reportReason',
        'reasonSpam',
        'reasonAbuse',
        'reasonSpoiler',
        'reasonOffTopic',
        'reasonOther',
        'send',
        'signInToRate',
        'errorGeneric',
      ])}
      titleId={titleId}
      profileId={profileId}
      initial={comments.items}
      initialCursor={comments.nextCursor}
      dates={commentDates}
      maxBodyLength={COMMENT_MAX_LENGTH}
    />
  );
}
