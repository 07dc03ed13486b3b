import type { TitleDetail } from '@kush/contracts';
import type { Metadata } from 'next';
import { notFound, redirect } from 'next/navigation';
import { cache, Fragment, type ReactNode } from 'react';
import { AdSlot } from '@/components/ad-slot';
import type { NextEpisode } from '@/components/player/player';
import { PLAYER_KEYS } from '@/components/player/strings';
import type { Dictionary } from '@/lib/i18n/en';
import { fill } from '@/lib/i18n/locales';
import { getDictionary, pick } from '@/lib/i18n/server';
import { one, watchHref } from '@/lib/links';
import { catalogApi, getCurrentProfile, getMe } from '@/lib/session';
import { WatchPlayer } from './watch-player';

interface WatchPageProps {
  params: Promise<{ slug: string }>;
  searchParams: Promise<{ episode?: string | string[] }>;
}

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

const loadTitle = cache((slug: string, returnTo: string) =>
  catalogApi<TitleDetail>(`/api/v1/catalog/titles/${slug}`, returnTo),
);

type EpisodeEntry = {
  id: string;
  seasonNumber: number;
  number: number;
  name: string;
  synopsis: string;
};

/** Every episode that has a video, in watching order. */
function playableEpisodes(title: TitleDetail): EpisodeEntry[] {
  return [...title.seasons]
    .sort((a, b) => a.number - b.number)
    .flatMap((season) =>
      [...season.episodes]
        .sort((a, b) => a.number - b.number)
        .filter((episode) => episode.videoId !== null)
        .map((episode) => ({ ...episode, seasonNumber: season.number })),
    );
}

const PRE_ROLL_KEYS = [
  'adBadge',
  'adRemaining',
  'adSkip',
  'adSkipIn',
  'adSkipNow',
  'adLearnMore',
  'adOpensInNewTab',
  'adStarted',
  'adUnmute',
] as const;

/** "S1 E3 · The Return", with the season and episode abbreviated in the viewer's language. */
const episodeLabel = (t: Dictionary, e: EpisodeEntry) =>
  `${fill(t.episodeShort, { season: e.seasonNumber, episode: e.number })} · ${e.name}`;

/** The keyboard help under the player: the keys, and what each does. */
function KeyboardShortcuts({ t }: { t: Dictionary }) {
  const shortcuts: [keys: ReactNode, action: string][] = [
    [
      <>
        <kbd>Space</kbd> {t.shortcutOr} <kbd>K</kbd>
      </>,
      t.shortcutPlayPause,
    ],
    [
      <>
        <kbd>←</kbd> <kbd>→</kbd>
      </>,
      t.shortcutSeek,
    ],
    [
      <>
        <kbd>↑</kbd> <kbd>↓</kbd>
      </>,
      t.shortcutVolume,
    ],
    [<kbd>F</kbd>, t.shortcutFullscreen],
    [<kbd>M</kbd>, t.shortcutMute],
    [<kbd>C</kbd>, t.shortcutSubtitles],
  ];
  return (
    <details className="mt-4 text-sm text-muted">
      <summary className="inline-flex min-h-11 cursor-pointer items-center font-semibold text-fg">
        {t.shortcuts}
      </summary>
      <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1">
        {shortcuts.map(([keys, action]) => (
          <Fragment key={action}>
            <dt>{keys}</dt>
            <dd>{action}</dd>
          </Fragment>
        ))}
      </dl>
    </details>
  );
}

export async function generateMetadata({ params, searchParams }: WatchPageProps): Promise<Metadata> {
  const { slug } = await params;
  if (!SLUG.test(slug)) return {};
  const episodeId = one((await searchParams).episode) ?? null;
  const title = await loadTitle(slug, watchHref(slug, episodeId));
  if (!title) return {};
  const { t } = await getDictionary();
  return { title: fill(t.watchTitle, { name: title.name }), robots: { index: false } };
}

/**
 * /watch/<slug>[?episode=<id>]: a light server shell (name, backdrop, what plays next) around the
 * client player, which fetches hls.js only once this page is open.
 */
export default async function WatchPage({ params, searchParams }: WatchPageProps) {
  const { slug } = await params;
  if (!SLUG.test(slug)) notFound();
  const episodeParam = one((await searchParams).episode) ?? null;
  const path = watchHref(slug, episodeParam);

  // Progress, resume and the data saver belong to a profile: an account picks one first. (A page
  // rendered after the access cookie expired is refreshed in the browser by SessionKeeper.)
  const me = await getMe();
  const profile = me ? await getCurrentProfile() : null;
  if (me && !profile) redirect(`/profiles?next=${encodeURIComponent(path)}`);

  const title = await loadTitle(slug, path);
  if (!title) notFound();

  const { t } = await getDictionary();
  let episode: EpisodeEntry | null = null;
  let nextEpisode: NextEpisode | null = null;
  if (title.kind === 'series') {
    const episodes = playableEpisodes(title);
    if (!episodeParam) {
      if (episodes[0]) redirect(watchHref(slug, episodes[0].id));
      notFound();
    }
    const index = episodes.findIndex((e) => e.id === episodeParam);
    if (index === -1) notFound();
    episode = episodes[index]!;
    const next = episodes[index + 1];
    if (next) nextEpisode = { href: watchHref(slug, next.id), label: episodeLabel(t, next) };
  }

  return (
    <div className="flex flex-col gap-6">
      <WatchPlayer
        key={episode?.id ?? title.id}
        titleId={title.id}
        episodeId={episode?.id ?? null}
        profile={profile ? { id: profile.id, dataSaver: profile.dataSaver } : null}
        label={episode ? `${title.name} · ${episodeLabel(t, episode)}` : title.name}
        titleHref={`/title/${title.slug}`}
        watchPath={path}
        backdrop={title.backdrop}
        nextEpisode={nextEpisode}
        strings={pick(t, PLAYER_KEYS)}
        preRollStrings={pick(t, PRE_ROLL_KEYS)}
        banner={<AdSlot name="watch-below-player" titleId={title.id} />}
      />
      <section aria-labelledby="watch-heading" className="max-w-prose">
        <h1 id="watch-heading" className="text-2xl font-black tracking-tight text-balance sm:text-3xl">
          {title.name}
        </h1>
        {episode ? <p className="mt-1 font-semibold text-gold">{episodeLabel(t, episode)}</p> : null}
        <p className="mt-3 text-muted">{episode?.synopsis || title.synopsis}</p>
        <KeyboardShortcuts t={t} />
      </section>
    </div>
  );
}
