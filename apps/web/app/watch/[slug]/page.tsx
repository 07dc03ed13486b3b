import type { TitleDetail } from '@kush/contracts';
import type { Metadata } from 'next';
import { notFound, redirect } from 'next/navigation';
import { cache } from 'react';
import { AdSlot } from '@/components/ad-slot';
import type { NextEpisode } from '@/components/player/player';
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

const episodeLabel = (e: EpisodeEntry) => `S${e.seasonNumber} E${e.number} · ${e.name}`;

export async function generateMetadata({ params, searchParams }: WatchPageProps): Promise<Metadata> {
  const { slug } = await params;
  if (!SLUG.test(slug)) return {};
  const episodeId = one((await searchParams).episode) ?? null;
  const title = await loadTitle(slug, watchHref(slug, episodeId));
  return title ? { title: `Watch ${title.name}`, robots: { index: false } } : {};
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
    if (next) nextEpisode = { href: watchHref(slug, next.id), label: episodeLabel(next) };
  }

  const { t } = await getDictionary();
  return (
    <div className="flex flex-col gap-6">
      <WatchPlayer
        key={episode?.id ?? title.id}
        titleId={title.id}
        episodeId={episode?.id ?? null}
        profile={profile ? { id: profile.id, dataSaver: profile.dataSaver } : null}
        label={episode ? `${title.name} · ${episodeLabel(episode)}` : title.name}
        titleHref={`/title/${title.slug}`}
        watchPath={path}
        backdrop={title.backdrop}
        nextEpisode={nextEpisode}
        preRollStrings={pick(t, PRE_ROLL_KEYS)}
        banner={<AdSlot name="watch-below-player" titleId={title.id} />}
      />
      <section aria-labelledby="watch-heading" className="max-w-prose">
        <h1 id="watch-heading" className="text-2xl font-black tracking-tight text-balance sm:text-3xl">
          {title.name}
        </h1>
        {episode ? <p className="mt-1 font-semibold text-gold">{episodeLabel(episode)}</p> : null}
        <p className="mt-3 text-muted">{episode?.synopsis || title.synopsis}</p>
        <details className="mt-4 text-sm text-muted">
          <summary className="inline-flex min-h-11 cursor-pointer items-center font-semibold text-fg">
            Keyboard shortcuts
          </summary>
          <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1">
            <dt>
              <kbd>Space</kbd> or <kbd>K</kbd>
            </dt>
            <dd>Play or pause</dd>
            <dt>
              <kbd>←</kbd> <kbd>→</kbd>
            </dt>
            <dd>Back or forward 10 seconds</dd>
            <dt>
              <kbd>↑</kbd> <kbd>↓</kbd>
            </dt>
            <dd>Volume</dd>
            <dt>
              <kbd>F</kbd>
            </dt>
            <dd>Full screen</dd>
            <dt>
              <kbd>M</kbd>
            </dt>
            <dd>Mute</dd>
            <dt>
              <kbd>C</kbd>
            </dt>
            <dd>Subtitles</dd>
          </dl>
        </details>
      </section>
    </div>
  );
}
