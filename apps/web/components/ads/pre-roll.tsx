'use client';
import { useEffect, useRef, useState } from 'react';
import { fill } from '@/lib/i18n/locales';
import { adDeviceId, deviceType, firePixel, linkIsSlow } from './tracking';
import { chooseMediaFile, parseVast, type PreRollAd, type TrackedEvent } from './vast';

/** The pre-roll's words, in the viewer's language (lib/i18n). */
export interface PreRollStrings {
  adBadge: string;
  adRemaining: string;
  adSkip: string;
  adSkipIn: string;
  adSkipNow: string;
  adLearnMore: string;
  adOpensInNewTab: string;
  adStarted: string;
  adUnmute: string;
}

export interface PreRollProps {
  titleId: string;
  /** The profile's data saver asks for the smallest ad. */
  saveData: boolean;
  strings: PreRollStrings;
  /** The ad finished, was skipped, or there is none: the title starts. */
  onDone(): void;
}

/** The ad server must answer quickly: a title never waits long for an ad. */
const VAST_TIMEOUT_MS = 4_000;
/** An ad that has not shown a frame by then (a very slow link) is given up. */
const START_TIMEOUT_MS = 10_000;

/** VAST error codes reported to the ad server's Error URL. */
const NO_ADS = 303;
const MEDIA_NOT_SUPPORTED = 403;
const MEDIA_FAILED = 405;
const MEDIA_TIMEOUT = 402;

type State = { kind: 'loading' } | { kind: 'ad'; ad: PreRollAd; src: string };

async function fetchAd(titleId: string, lowData: boolean, saveData: boolean, signal: AbortSignal) {
  const query = new URLSearchParams({ titleId, device: deviceType(), network: lowData ? 'slow' : 'unknown' });
  if (saveData) query.set('dataSaver', 'true');
  const deviceId = adDeviceId();
  if (deviceId) query.set('deviceId', deviceId);
  const response = await fetch(`/api/v1/ads/vast?${query.toString()}`, { credentials: 'same-origin', signal });
  if (!response.ok) throw new Error(`VAST ${response.status}`);
  return parseVast(new DOMParser().parseFromString(await response.text(), 'application/xml'));
}

/**
 * A VAST pre-roll in a plain <video>: the ad's remaining seconds, Skip once the ad allows it,
 * "Learn more" to the advertiser (through the ad server's click redirect), and each tracking
 * event sent once. No ad, a bad answer or a video that will not play hands over to the title at
 * once: ads never stand between a viewer and what they came to watch.
 */
export function PreRoll({ titleId, saveData, strings, onDone }: PreRollProps) {
  const [state, setState] = useState<State>({ kind: 'loading' });
  const [remaining, setRemaining] = useState<number | null>(null);
  const [elapsed, setElapsed] = useState(0);
  const [muted, setMuted] = useState(false);
  const [announcement, setAnnouncement] = useState('');
  const video = useRef<HTMLVideoElement>(null);
  const skipButton = useRef<HTMLButtonElement>(null);
  const fired = useRef(new Set<TrackedEvent>());
  const finished = useRef(false);
  const done = useRef(onDone);
  done.current = onDone;

  const ad = state.kind === 'ad' ? state.ad : null;

  const track = (event: TrackedEvent) => {
    if (!ad || fired.current.has(event)) return;
    fired.current.add(event);
    for (const url of ad.tracking[event]) firePixel(url);
  };

  const finish = () => {
    if (finished.current) return;
    finished.current = true;
    video.current?.pause();
    done.current();
  };

  const fail = (errorCode: number) => {
    // Only an ad that never showed is an error; one that stops half-way simply ends.
    if (ad && !fired.current.has('impression')) for (const url of ad.errorUrls) firePixel(url, { errorCode });
    finish();
  };

  // 1. Ask the ad server, and pick the rendition for this screen and link.
  useEffect(() => {
    const controller = new AbortController();
    const timer = window.setTimeout(() => controller.abort(), VAST_TIMEOUT_MS);
    const lowData = linkIsSlow();
    fetchAd(titleId, lowData, saveData, controller.signal)
      .then((result) => {
        if (controller.signal.aborted) return;
        if (result.kind === 'no-ad') {
          for (const url of result.errorUrls) firePixel(url, { errorCode: NO_ADS });
          finish();
          return;
        }
        const probe = document.createElement('video');
        const file = chooseMediaFile(result.ad.mediaFiles, {
          lowData: lowData || saveData,
          // The player spans the page up to its 72rem column.
          playerWidth: Math.min(window.innerWidth, 1152) * (window.devicePixelRatio || 1),
          canPlay: (type) => probe.canPlayType(type) !== '',
        });
        if (!file) {
          for (const url of result.ad.errorUrls) firePixel(url, { errorCode: MEDIA_NOT_SUPPORTED });
          finish();
          return;
        }
        setRemaining(Math.ceil(result.ad.durationSeconds));
        setState({ kind: 'ad', ad: result.ad, src: file.url });
      })
      .catch(() => finish())
      .finally(() => window.clearTimeout(timer));
    return () => {
      window.clearTimeout(timer);
      controller.abort();
    };
  }, [titleId, saveData]);

  // 2. Play it: with sound where the browser allows, muted where it only allows that.
  useEffect(() => {
    const media = video.current;
    if (!ad || !media) return;
    const started = window.setTimeout(() => {
      if (!fired.current.has('start')) fail(MEDIA_TIMEOUT);
    }, START_TIMEOUT_MS);
    media.play().catch(() => {
      media.muted = true;
      setMuted(true);
      media.play().catch(() => fail(MEDIA_FAILED));
    });
    return () => window.clearTimeout(started);
  }, [ad]);

  if (!ad || state.kind !== 'ad') {
    return (
      <div className="flex h-full items-center justify-center" role="status">
        <span className="size-12 animate-spin rounded-full border-4 border-white/25 border-t-gold" />
        <span className="sr-only">{strings.adBadge}</span>
      </div>
    );
  }

  const duration = () => {
    const media = video.current;
    return media && Number.isFinite(media.duration) && media.duration > 0 ? media.duration : ad.durationSeconds;
  };
  const skipAt = ad.skipAfterSeconds;
  const canSkip = skipAt !== null && elapsed >= skipAt;

  const onPlaying = () => {
    if (!fired.current.has('impression')) {
      track('impression');
      track('start');
      setAnnouncement(fill(strings.adStarted, { seconds: Math.ceil(duration()) }));
    }
  };

  const onTimeUpdate = () => {
    const media = video.current;
    if (!media) return;
    const total = duration();
    const now = media.currentTime;
    setElapsed(now);
    setRemaining(Math.max(0, Math.ceil(total - now)));
    if (now >= total * 0.25) track('firstQuartile');
    if (now >= total * 0.5) track('midpoint');
    if (now >= total * 0.75) track('thirdQuartile');
    if (skipAt !== null && now >= skipAt && !canSkip) setAnnouncement(strings.adSkipNow);
  };

  const onEnded = () => {
    track('firstQuartile');
    track('midpoint');
    track('thirdQuartile');
    track('complete');
    finish();
  };

  const skip = () => {
    track('skip');
    finish();
  };

  const countdown = fill(strings.adRemaining, { seconds: remaining ?? Math.ceil(ad.durationSeconds) });

  return (
    <div data-pre-roll className="relative h-full w-full">
      <video
        ref={video}
        src={state.src}
        playsInline
        preload="auto"
        // The ad is not the viewer's to scrub: no native controls.
        className="absolute inset-0 h-full w-full"
        onPlaying={onPlaying}
        onTimeUpdate={onTimeUpdate}
        onEnded={onEnded}
        onError={() => fail(MEDIA_FAILED)}
      />

      <div className="absolute top-2 left-2 flex items-center gap-2 rounded bg-black/75 px-2 py-1 text-sm font-semibold sm:top-3 sm:left-3">
        <span className="rounded-sm bg-gold px-1.5 text-xs font-black text-ink uppercase">{strings.adBadge}</span>
        <span data-ad-countdown role="timer" className="tabular-nums">
          {countdown}
        </span>
      </div>

      <div className="absolute inset-x-2 bottom-2 flex flex-wrap items-end justify-between gap-2 sm:inset-x-3 sm:bottom-3">
        {ad.clickThroughUrl ? (
          <a
            href={ad.clickThroughUrl}
            target="_blank"
            rel="noopener sponsored"
            onClick={() => track('click')}
            className="inline-flex min-h-11 items-center rounded-md bg-white px-4 font-semibold text-ink hover:bg-gold"
          >
            {strings.adLearnMore}
            <span className="sr-only">
              {' '}
              ({ad.advertiser ? `${ad.advertiser}, ` : ''}
              {strings.adOpensInNewTab})
            </span>
          </a>
        ) : (
          <span />
        )}
        <div className="flex items-center gap-2">
          {muted ? (
            <button
              type="button"
              onClick={() => {
                if (video.current) video.current.muted = false;
                setMuted(false);
              }}
              className="inline-flex min-h-11 items-center rounded-md bg-black/75 px-4 font-semibold hover:text-gold"
            >
              {strings.adUnmute}
            </button>
          ) : null}
          {skipAt === null ? null : canSkip ? (
            <button
              ref={skipButton}
              type="button"
              onClick={skip}
              className="inline-flex min-h-11 items-center rounded-md border border-white/60 bg-black/80 px-4 font-semibold hover:border-gold hover:text-gold"
            >
              {strings.adSkip}
            </button>
          ) : (
            <p className="rounded-md bg-black/75 px-3 py-2 text-sm tabular-nums">
              {fill(strings.adSkipIn, { seconds: Math.max(1, Math.ceil(skipAt - elapsed)) })}
            </p>
          )}
        </div>
      </div>

      <p className="sr-only" aria-live="polite">
        {announcement}
      </p>
    </div>
  );
}

export default PreRoll;
