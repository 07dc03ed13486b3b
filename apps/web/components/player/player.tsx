'use client';
import type { ResponsiveImage as ResponsiveImageData } from '@kush/contracts';
import { useRouter } from 'next/navigation';
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { ResponsiveImage } from '@/components/responsive-image';
import { fill } from '@/lib/i18n/locales';
import type { Engine, QualityLevel, SubtitleTrack } from './engine';
import { Icon, type IconName } from './icons';
import { NextEpisodeCountdown, type NextEpisode } from './next-episode';
import { Problem, type PlayerProblem } from './problem';
import { browserSavesData, capIndexFor, type DataSaverMode, maxHeightFor } from './quality';
import { SeekBar } from './seek-bar';
import { saveDataSaver, sendHeartbeat, startSession, stopSession, type PlaybackGrant } from './session';
import { SettingsPanel } from './settings-panel';
import type { PlayerStrings } from './strings';
import { formatClock } from './time';

export type { NextEpisode } from './next-episode';
export type { PlayerStrings } from './strings';

export interface PlayerProps {
  titleId: string;
  /** The selected profile (progress, resume, data saver); null for signed-out viewers. */
  profile: { id: string; dataSaver: DataSaverMode } | null;
  episodeId: string | null;
  /** What is playing, for the top bar: "Kampala Nights" or "Kampala Nights · S1 E2". */
  label: string;
  /** The title page ("Back"). */
  titleHref: string;
  /** This page, for links that come back here (sign in, choose a profile). */
  watchPath: string;
  backdrop: ResponsiveImageData | null;
  nextEpisode: NextEpisode | null;
  /** The player's words in the viewer's language (PLAYER_KEYS, picked on the server). */
  strings: PlayerStrings;
  /** The pre-roll ad: runs before the title when the viewer's plan has ads; calls onDone when finished. */
  renderPreRoll?: (onDone: () => void) => ReactNode;
  /** Shown under the player when the viewer's plan has ads. */
  renderBanner?: () => ReactNode;
}

type Phase =
  | { kind: 'starting' }
  | { kind: 'pre-roll'; grant: PlaybackGrant }
  | { kind: 'playing'; grant: PlaybackGrant }
  | { kind: 'problem'; problem: PlayerProblem };

const SEEK_STEP_SECONDS = 10;
const HEARTBEAT_SECONDS = 10;
/** Still here this long after `beforeunload` freed the stream: the page was not left after all. */
const STAYED_AFTER_UNLOAD_MS = 15_000;
const CONTROLS_HIDE_MS = 3000;
const LOCAL_DATA_SAVER = 'kf_data_saver';

function isDataSaverMode(value: string | null): value is DataSaverMode {
  return value === 'auto' || value === 'low' || value === 'medium' || value === 'high';
}

/** Signed-out viewers keep their data saver in this browser only. */
function localDataSaver(): DataSaverMode {
  try {
    const stored = window.localStorage.getItem(LOCAL_DATA_SAVER);
    return isDataSaverMode(stored) ? stored : 'auto';
  } catch {
    return 'auto';
  }
}

/**
 * The video player: asks the API for a playback session, runs the pre-roll slot, then streams
 * with hls.js (loaded on demand). Controls work by touch, mouse and keyboard and hide while the
 * video plays; progress is saved every few seconds and when the viewer pauses, seeks or leaves.
 */
export function Player(props: PlayerProps) {
  const { titleId, episodeId, watchPath, renderPreRoll, strings: t } = props;
  const router = useRouter();
  const root = useRef<HTMLDivElement>(null);
  const video = useRef<HTMLVideoElement>(null);
  const engine = useRef<Engine | null>(null);

  const [attempt, setAttempt] = useState(0);
  const [phase, setPhase] = useState<Phase>({ kind: 'starting' });
  const profileId = props.profile?.id ?? null;
  const [dataSaver, setDataSaver] = useState<DataSaverMode>(props.profile?.dataSaver ?? 'auto');
  const dataSaverRef = useRef(dataSaver);
  dataSaverRef.current = dataSaver;
  // Read by the stream's listeners, which live as long as the stream and must not restart it.
  const stringsRef = useRef(t);
  stringsRef.current = t;
  const resumeAt = useRef(0);
  // Once the pre-roll has played, a new session for the same title (a retry, a higher data-saver
  // ceiling) goes straight to the title.
  const preRollDone = useRef(false);
  const hasPlayed = useRef(false);
  const bytesSinceBeat = useRef(0);
  const hasPreRoll = renderPreRoll !== undefined;

  // Media state, mirrored from the <video> element's events.
  const [paused, setPaused] = useState(true);
  const [buffering, setBuffering] = useState(true);
  const [current, setCurrent] = useState(0);
  const [duration, setDuration] = useState(0);
  const [bufferedEnd, setBufferedEnd] = useState(0);
  const [volume, setVolume] = useState(1);
  const [muted, setMuted] = useState(false);
  const [fullscreen, setFullscreen] = useState(false);
  const [ended, setEnded] = useState(false);
  const [needsTap, setNeedsTap] = useState(false);
  const [started, setStarted] = useState(false);

  const [levels, setLevels] = useState<QualityLevel[]>([]);
  const [selectedLevel, setSelectedLevel] = useState(-1);
  const [playingLevel, setPlayingLevel] = useState(-1);
  const [subtitles, setSubtitles] = useState<SubtitleTrack[]>([]);
  const [selectedSubtitle, setSelectedSubtitle] = useState(-1);
  const lastSubtitle = useRef(0);

  const [settingsOpen, setSettingsOpen] = useState(false);
  const [controlsVisible, setControlsVisible] = useState(true);
  const [nextDismissed, setNextDismissed] = useState(false);
  const [resumeNotice, setResumeNotice] = useState<number | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const hideTimer = useRef<number | undefined>(undefined);

  const grant = phase.kind === 'playing' || phase.kind === 'pre-roll' ? phase.grant : null;
  const capIndex = capIndexFor(levels, maxHeightFor(dataSaver, false));

  // 1. Start a session: profile, entitlement, signed playlist.
  useEffect(() => {
    let cancelled = false;
    setPhase({ kind: 'starting' });
    void startSession(titleId, episodeId, profileId !== null).then((start) => {
      if (cancelled) {
        // Superseded (another title, profile or attempt) before it answered: free the stream it
        // opened, or it would count against the plan's limit until it went idle.
        if (start.kind === 'ready') void stopSession(start.playback.token);
        return;
      }
      if (start.kind === 'profile-locked') {
        router.replace(`/profiles?locked=1&next=${encodeURIComponent(watchPath)}`);
        return;
      }
      if (start.kind === 'problem') {
        setPhase({ kind: 'problem', problem: start.problem });
        return;
      }
      if (profileId === null) setDataSaver(localDataSaver());
      // A retry carries on from where the viewer was, not from the last saved position.
      resumeAt.current = resumeAt.current || start.playback.resumeFromSeconds;
      const preRoll = start.playback.ads && hasPreRoll && !preRollDone.current;
      setPhase({ kind: preRoll ? 'pre-roll' : 'playing', grant: start.playback });
    });
    return () => {
      cancelled = true;
    };
  }, [titleId, episodeId, profileId, watchPath, router, hasPreRoll, attempt]);

  // 2. Stream: hls.js is fetched here, on the watch page only, once the viewer may play.
  const playingGrant = phase.kind === 'playing' ? phase.grant : null;
  useEffect(() => {
    const media = video.current;
    if (!playingGrant || !media) return;
    let cancelled = false;
    const startPosition = resumeAt.current;
    if (startPosition > 0) setResumeNotice(startPosition);
    void import('./engine').then(({ createEngine }) => {
      if (cancelled) return;
      engine.current = createEngine(
        media,
        {
          masterUrl: playingGrant.masterUrl,
          startPosition,
          maxHeight: maxHeightFor(dataSaverRef.current, browserSavesData()),
        },
        {
          onLevels: setLevels,
          onLevelSwitched: setPlayingLevel,
          // Tracks without a name or language are numbered, in the viewer's language.
          onSubtitleTracks: (tracks) =>
            setSubtitles(
              tracks.map((track) =>
                track.label
                  ? track
                  : { ...track, label: fill(stringsRef.current.playerSubtitleTrack, { n: track.index + 1 }) },
              ),
            ),
          onBytes: (bytes) => {
            bytesSinceBeat.current += bytes;
          },
          onFatal: (kind) =>
            setPhase({
              kind: 'problem',
              problem: kind === 'network' ? { kind: 'network', reason: 'stalled' } : { kind: 'media' },
            }),
        },
      );
      media.play().catch(() => setNeedsTap(true));
    });
    return () => {
      cancelled = true;
      engine.current?.destroy();
      engine.current = null;
      setLevels([]);
      setSubtitles([]);
      setSelectedLevel(-1);
      setSelectedSubtitle(-1);
    };
  }, [playingGrant]);

  // The data saver's cap follows the setting (and the phone's own "save data" switch on auto).
  useEffect(() => {
    engine.current?.setMaxHeight(maxHeightFor(dataSaver, browserSavesData()));
  }, [dataSaver, levels]);

  // 3. Mirror the media element into state.
  useEffect(() => {
    const media = video.current;
    if (!media) return;
    const sync = () => {
      setPaused(media.paused);
      setCurrent(media.currentTime);
      setDuration(Number.isFinite(media.duration) ? media.duration : 0);
      setVolume(media.volume);
      setMuted(media.muted);
      const ranges = media.buffered;
      let end = 0;
      for (let i = 0; i < ranges.length; i += 1) {
        if (ranges.start(i) <= media.currentTime + 0.5) end = Math.max(end, ranges.end(i));
      }
      setBufferedEnd(end);
    };
    const onWaiting = () => setBuffering(true);
    const onPlaying = () => {
      setBuffering(false);
      setEnded(false);
      setNeedsTap(false);
      setStarted(true);
      hasPlayed.current = true;
    };
    const onCanPlay = () => setBuffering(false);
    const onEnded = () => {
      setEnded(true);
      sync();
    };
    const events = ['timeupdate', 'play', 'pause', 'durationchange', 'volumechange', 'progress', 'seeked'] as const;
    for (const name of events) media.addEventListener(name, sync);
    media.addEventListener('waiting', onWaiting);
    media.addEventListener('playing', onPlaying);
    media.addEventListener('canplay', onCanPlay);
    media.addEventListener('ended', onEnded);
    return () => {
      for (const name of events) media.removeEventListener(name, sync);
      media.removeEventListener('waiting', onWaiting);
      media.removeEventListener('playing', onPlaying);
      media.removeEventListener('canplay', onCanPlay);
      media.removeEventListener('ended', onEnded);
    };
  }, []);

  useEffect(() => {
    const onChange = () => setFullscreen(document.fullscreenElement === root.current);
    document.addEventListener('fullscreenchange', onChange);
    return () => document.removeEventListener('fullscreenchange', onChange);
  }, []);

  // 4. Progress: every ~10 s while playing, and on pause, seek, hiding the page and leaving it.
  useEffect(() => {
    const media = video.current;
    if (!playingGrant || !profileId || !media) return;
    hasPlayed.current = false;
    // The last position the viewer really saw: once hls.js lets go of the element (leaving,
    // retrying) currentTime reads 0, which must never be saved over real progress.
    let position = 0;
    const track = () => {
      if (hasPlayed.current && media.readyState > 0) position = media.currentTime;
    };
    const beat = (keepalive: boolean) => {
      track();
      // Before the first frame the position is not the viewer's: never overwrite a resume point with it.
      if (!hasPlayed.current) return;
      const durationSeconds =
        Number.isFinite(media.duration) && media.duration > 0 ? media.duration : playingGrant.durationSeconds;
      const bytes = bytesSinceBeat.current;
      bytesSinceBeat.current = 0;
      const rendition = engine.current?.currentRendition() ?? undefined;
      sendHeartbeat(
        {
          token: playingGrant.token,
          positionSeconds: Math.min(position, durationSeconds),
          durationSeconds,
          ...(rendition ? { rendition } : {}),
          ...(bytes > 0 ? { bytes } : {}),
        },
        keepalive,
      );
    };
    const timer = window.setInterval(() => {
      if (!media.paused) beat(false);
    }, HEARTBEAT_SECONDS * 1000);
    const onPause = () => beat(false);
    const onSeeked = () => beat(false);
    // Leaving the page saves the position and frees the stream as it starts to go
    // (`beforeunload`), while the page is still whole: a request made later, from `pagehide`, is
    // sometimes never sent by Chromium (the document is torn down under it), and the stream then
    // counted until it went idle. `pagehide` stays for browsers that skip `beforeunload` (mobile
    // ones, often).
    let stayed: number | undefined;
    const onLeave = () => {
      beat(true);
      void stopSession(playingGrant.token);
    };
    const onBeforeUnload = () => {
      onLeave();
      // Still here later (a download, a navigation the viewer stopped): the freed stream no
      // longer counts, so carry on in a new session from where the viewer is.
      window.clearTimeout(stayed);
      stayed = window.setTimeout(() => {
        track();
        if (position > 0) resumeAt.current = position;
        setAttempt((n) => n + 1);
      }, STAYED_AFTER_UNLOAD_MS);
    };
    const onVisibility = () => {
      if (document.visibilityState === 'hidden') beat(true);
    };
    media.addEventListener('timeupdate', track);
    media.addEventListener('pause', onPause);
    media.addEventListener('seeked', onSeeked);
    window.addEventListener('beforeunload', onBeforeUnload);
    window.addEventListener('pagehide', onLeave);
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      beat(true); // leaving within the app (Back, next episode)
      void stopSession(playingGrant.token);
      window.clearInterval(timer);
      window.clearTimeout(stayed);
      media.removeEventListener('timeupdate', track);
      media.removeEventListener('pause', onPause);
      media.removeEventListener('seeked', onSeeked);
      window.removeEventListener('beforeunload', onBeforeUnload);
      window.removeEventListener('pagehide', onLeave);
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [playingGrant, profileId]);

  // Controls hide while the video plays and nobody is using them.
  const showControls = useCallback(() => {
    setControlsVisible(true);
    window.clearTimeout(hideTimer.current);
    hideTimer.current = window.setTimeout(() => setControlsVisible(false), CONTROLS_HIDE_MS);
  }, []);
  useEffect(() => () => window.clearTimeout(hideTimer.current), []);
  const focusInControls = () => !!root.current?.querySelector('[data-controls]')?.contains(document.activeElement);
  const controlsShown =
    controlsVisible || paused || settingsOpen || ended || phase.kind !== 'playing' || focusInControls();

  useEffect(() => {
    if (resumeNotice === null) return;
    const timer = window.setTimeout(() => setResumeNotice(null), 6000);
    return () => window.clearTimeout(timer);
  }, [resumeNotice]);

  const togglePlay = useCallback(() => {
    const media = video.current;
    if (!media || phase.kind !== 'playing') return;
    if (media.paused || media.ended) void media.play().catch(() => setNeedsTap(true));
    else media.pause();
  }, [phase.kind]);

  const seekTo = useCallback((seconds: number) => {
    const media = video.current;
    if (!media || !Number.isFinite(media.duration)) return;
    media.currentTime = Math.min(media.duration, Math.max(0, seconds));
    setCurrent(media.currentTime);
  }, []);

  const seekBy = useCallback(
    (delta: number) => {
      const media = video.current;
      if (media) seekTo(media.currentTime + delta);
    },
    [seekTo],
  );

  const toggleMute = useCallback(() => {
    const media = video.current;
    if (!media) return;
    media.muted = !media.muted;
    if (!media.muted && media.volume === 0) media.volume = 0.5;
  }, []);

  const changeVolume = useCallback(
    (value: number) => {
      const media = video.current;
      if (!media) return;
      media.volume = Math.min(1, Math.max(0, value));
      media.muted = media.volume === 0;
      setAnnouncement(fill(t.playerVolumeAt, { n: Math.round(media.volume * 100) }));
    },
    [t],
  );

  const toggleFullscreen = useCallback(() => {
    const container = root.current;
    const media = video.current as (HTMLVideoElement & { webkitEnterFullscreen?: () => void }) | null;
    if (!container || !media) return;
    if (document.fullscreenElement) {
      void document.exitFullscreen();
    } else if (container.requestFullscreen) {
      void container
        .requestFullscreen()
        .then(() => {
          // Phones turn sideways for full screen where the browser allows it.
          const orientation = screen.orientation as ScreenOrientation & { lock?: (o: string) => Promise<void> };
          return orientation.lock?.('landscape');
        })
        .catch(() => undefined);
    } else {
      media.webkitEnterFullscreen?.(); // iPhone Safari: only the video element can go full screen
    }
  }, []);

  const chooseSubtitle = useCallback(
    (index: number) => {
      engine.current?.setSubtitle(index);
      setSelectedSubtitle(index);
      if (index >= 0) lastSubtitle.current = index;
      setAnnouncement(
        index >= 0 ? fill(t.playerSubtitlesNow, { label: subtitles[index]?.label ?? '' }) : t.playerSubtitlesNone,
      );
    },
    [subtitles, t],
  );

  const toggleCaptions = useCallback(() => {
    if (subtitles.length === 0) return;
    chooseSubtitle(selectedSubtitle >= 0 ? -1 : Math.min(lastSubtitle.current, subtitles.length - 1));
  }, [subtitles, selectedSubtitle, chooseSubtitle]);

  const chooseLevel = (index: number) => {
    engine.current?.setLevel(index);
    setSelectedLevel(index);
    setAnnouncement(
      index === -1 ? t.playerQualityAutoNow : fill(t.playerQualityNow, { height: levels[index]?.height ?? '' }),
    );
  };

  const chooseDataSaver = (mode: DataSaverMode) => {
    setDataSaver(mode);
    // A manual choice above the new ceiling goes back to automatic.
    const cap = capIndexFor(levels, maxHeightFor(mode, false));
    if (cap !== -1 && selectedLevel > cap) {
      engine.current?.setLevel(-1);
      setSelectedLevel(-1);
    }
    if (profileId) {
      // The stream's ceiling was fixed when it started, from the saved setting; raising the setting
      // past it takes a new session (from the same moment) once the setting is saved.
      const ceiling = playingGrant?.maxHeight;
      const before = maxHeightFor(dataSaver, false);
      const after = maxHeightFor(mode, false) ?? Number.POSITIVE_INFINITY;
      const raisesCeiling = ceiling !== undefined && before !== null && ceiling === before && after > before;
      saveDataSaver(profileId, mode).then(
        () => {
          if (raisesCeiling && playingGrant) restartSession(playingGrant.token);
        },
        () => setAnnouncement(t.playerDataSaverNotSaved),
      );
    } else {
      try {
        window.localStorage.setItem(LOCAL_DATA_SAVER, mode);
      } catch {
        // private mode: the choice lasts for this video
      }
    }
  };

  // Keyboard shortcuts anywhere on the page, except where keys already mean something.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey || phase.kind !== 'playing') return;
      const target = event.target as HTMLElement | null;
      const tag = target?.tagName;
      if (tag === 'TEXTAREA' || tag === 'SELECT' || target?.isContentEditable) return;
      if (
        tag === 'INPUT' &&
        (target as HTMLInputElement).type !== 'range' &&
        (target as HTMLInputElement).type !== 'radio'
      )
        return;
      const inControl = tag === 'INPUT' || tag === 'BUTTON' || tag === 'A';
      const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
      let handled = true;
      switch (key) {
        case ' ':
          if (inControl) return; // Space presses the focused button
          togglePlay();
          break;
        case 'k':
          togglePlay();
          break;
        case 'ArrowLeft':
        case 'ArrowRight':
          if (tag === 'INPUT') return; // sliders and radio groups use their arrows
          seekBy(key === 'ArrowLeft' ? -SEEK_STEP_SECONDS : SEEK_STEP_SECONDS);
          break;
        case 'ArrowUp':
        case 'ArrowDown':
          if (tag === 'INPUT') return;
          changeVolume((video.current?.volume ?? 1) + (key === 'ArrowUp' ? 0.1 : -0.1));
          break;
        case 'f':
          toggleFullscreen();
          break;
        case 'm':
          toggleMute();
          break;
        case 'c':
          toggleCaptions();
          break;
        case 'Escape':
          if (!settingsOpen) return;
          setSettingsOpen(false);
          break;
        default:
          handled = false;
      }
      if (handled) {
        event.preventDefault();
        showControls();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [
    phase.kind,
    settingsOpen,
    togglePlay,
    seekBy,
    changeVolume,
    toggleFullscreen,
    toggleMute,
    toggleCaptions,
    showControls,
  ]);

  const retry = () => {
    if (video.current && video.current.currentTime > 0) resumeAt.current = video.current.currentTime;
    setAttempt((n) => n + 1);
  };

  /** A new session from where the viewer is, after the old stream is freed (a one-stream plan needs it). */
  const restartSession = (token: string) => {
    void stopSession(token).then(retry);
  };

  const playNext = useCallback(() => {
    if (props.nextEpisode) router.push(props.nextEpisode.href);
  }, [props.nextEpisode, router]);

  const showNext = ended && props.nextEpisode && !nextDismissed;
  const spinner =
    phase.kind === 'starting' || (phase.kind === 'playing' && buffering && !paused && !needsTap && !ended);

  return (
    <div className="flex flex-col gap-4">
      <div
        ref={root}
        data-player
        data-phase={phase.kind}
        data-playing-height={levels[playingLevel]?.height ?? ''}
        className={`relative -mx-4 aspect-video overflow-hidden bg-black text-white select-none sm:mx-0 sm:rounded-xl ${
          fullscreen ? 'aspect-auto h-full w-full sm:rounded-none' : ''
        } ${controlsShown ? '' : 'cursor-none'}`}
        onPointerMove={(event) => {
          if (event.pointerType === 'mouse') showControls();
        }}
      >
        {props.backdrop && !started ? (
          <ResponsiveImage
            image={props.backdrop}
            alt=""
            sizes="(min-width: 1024px) 64rem, 100vw"
            priority
            className="absolute inset-0 h-full w-full object-cover opacity-60"
          />
        ) : null}

        <video
          ref={video}
          playsInline
          preload="none"
          className="absolute inset-0 h-full w-full"
          poster={grant?.posterUrl ?? undefined}
          onClick={(event) => {
            // Mouse: a click plays or pauses. Touch: a tap only shows or hides the controls.
            if ((event.nativeEvent as PointerEvent).pointerType === 'touch') {
              if (controlsVisible && !paused) setControlsVisible(false);
              else showControls();
              return;
            }
            togglePlay();
            showControls();
          }}
          onDoubleClick={toggleFullscreen}
        />

        {phase.kind === 'pre-roll' && renderPreRoll ? (
          <div className="absolute inset-0 z-20 bg-black">
            {renderPreRoll(() => {
              preRollDone.current = true;
              setPhase({ kind: 'playing', grant: phase.grant });
            })}
          </div>
        ) : null}

        {spinner ? (
          <div className="pointer-events-none absolute inset-0 flex items-center justify-center" role="status">
            <span className="size-12 animate-spin rounded-full border-4 border-white/25 border-t-gold" />
            <span className="sr-only">{t.playerLoading}</span>
          </div>
        ) : null}

        {phase.kind === 'playing' && needsTap && paused ? (
          <div data-needs-tap className="absolute inset-0 flex items-center justify-center">
            <button
              type="button"
              onClick={togglePlay}
              className="flex size-20 items-center justify-center rounded-full bg-gold text-ink shadow-xl hover:bg-gold/90"
            >
              <Icon name="play" className="size-10" />
              <span className="sr-only">{t.playerPlay}</span>
            </button>
          </div>
        ) : null}

        {resumeNotice !== null && phase.kind === 'playing' ? (
          <div className="absolute top-16 left-1/2 flex -translate-x-1/2 items-center gap-3 rounded-full bg-black/80 py-1 pr-1 pl-4 text-sm whitespace-nowrap">
            <span>{fill(t.playerResumedAt, { time: formatClock(resumeNotice) })}</span>
            <button
              type="button"
              onClick={() => {
                seekTo(0);
                setResumeNotice(null);
              }}
              className="min-h-9 rounded-full bg-white/15 px-3 font-semibold hover:bg-white/25"
            >
              {t.playerStartOver}
            </button>
          </div>
        ) : null}

        {/* Top bar: back to the title page. */}
        <div
          className={`absolute inset-x-0 top-0 flex items-center gap-2 bg-gradient-to-b from-black/80 to-transparent p-2 transition-opacity sm:p-3 ${
            controlsShown ? 'opacity-100' : 'pointer-events-none opacity-0'
          }`}
        >
          <a
            href={props.titleHref}
            className="inline-flex min-h-11 items-center gap-2 rounded-md px-2 font-semibold hover:text-gold"
          >
            <Icon name="back" />
            {t.playerBack}
          </a>
          <p className="truncate text-sm text-white/85">{props.label}</p>
        </div>

        {phase.kind === 'playing' ? (
          <div
            data-controls
            onFocus={showControls}
            className={`absolute inset-x-0 bottom-0 bg-gradient-to-t from-black/90 via-black/60 to-transparent px-2 pt-10 pb-1 transition-opacity sm:px-4 sm:pb-2 ${
              controlsShown ? 'opacity-100' : 'pointer-events-none opacity-0'
            }`}
          >
            <SeekBar
              current={current}
              duration={duration}
              bufferedEnd={bufferedEnd}
              thumbnailsVttUrl={phase.grant.thumbnailsVttUrl}
              onSeek={seekTo}
              keyStep={SEEK_STEP_SECONDS}
              strings={t}
            />
            <div className="relative flex items-center gap-0.5 sm:gap-1">
              <ControlButton
                icon={paused ? 'play' : 'pause'}
                label={paused ? t.playerPlay : t.playerPause}
                shortcut="k"
                onClick={togglePlay}
              />
              <ControlButton
                icon="back10"
                label={t.playerBackTen}
                shortcut="ArrowLeft"
                onClick={() => seekBy(-SEEK_STEP_SECONDS)}
                className="hidden sm:inline-flex"
              />
              <ControlButton
                icon="forward10"
                label={t.playerForwardTen}
                shortcut="ArrowRight"
                onClick={() => seekBy(SEEK_STEP_SECONDS)}
                className="hidden sm:inline-flex"
              />
              <ControlButton
                icon={muted || volume === 0 ? 'muted' : 'volume'}
                label={muted ? t.playerUnmute : t.playerMute}
                shortcut="m"
                onClick={toggleMute}
              />
              <input
                type="range"
                min={0}
                max={1}
                step={0.05}
                value={muted ? 0 : volume}
                aria-label={t.playerVolume}
                aria-valuetext={`${Math.round((muted ? 0 : volume) * 100)}%`}
                onChange={(event) => changeVolume(Number(event.target.value))}
                className="hidden w-20 accent-gold sm:block"
              />
              <p className="ml-1 text-xs whitespace-nowrap tabular-nums sm:ml-2 sm:text-sm">
                <span className="sr-only">
                  {fill(t.playerTimeOf, { current: formatClock(current), duration: formatClock(duration) })}
                </span>
                <span aria-hidden="true">
                  {formatClock(current)} / {formatClock(duration)}
                </span>
              </p>
              <span className="flex-1" />
              {subtitles.length > 0 ? (
                <ControlButton
                  icon="captions"
                  label={selectedSubtitle >= 0 ? t.playerSubtitlesOff : t.playerSubtitlesOn}
                  shortcut="c"
                  pressed={selectedSubtitle >= 0}
                  onClick={toggleCaptions}
                />
              ) : null}
              <ControlButton
                icon="settings"
                label={t.playerSettings}
                expanded={settingsOpen}
                onClick={() => setSettingsOpen((open) => !open)}
              />
              <ControlButton
                icon={fullscreen ? 'exitFullscreen' : 'fullscreen'}
                label={fullscreen ? t.playerExitFullscreen : t.playerFullscreen}
                shortcut="f"
                onClick={toggleFullscreen}
              />
              {settingsOpen ? (
                <SettingsPanel
                  levels={levels}
                  selectedLevel={selectedLevel}
                  playingLevel={playingLevel}
                  capIndex={capIndex}
                  dataSaver={dataSaver}
                  subtitles={subtitles}
                  selectedSubtitle={selectedSubtitle}
                  onLevel={chooseLevel}
                  onDataSaver={chooseDataSaver}
                  onSubtitle={chooseSubtitle}
                  onClose={() => setSettingsOpen(false)}
                  strings={t}
                />
              ) : null}
            </div>
          </div>
        ) : null}

        {showNext && props.nextEpisode ? (
          <NextEpisodeCountdown
            next={props.nextEpisode}
            onPlay={playNext}
            onCancel={() => setNextDismissed(true)}
            strings={t}
          />
        ) : null}

        {phase.kind === 'problem' ? (
          <Problem
            problem={phase.problem}
            watchPath={watchPath}
            titleHref={props.titleHref}
            onRetry={retry}
            strings={t}
          />
        ) : null}

        <p className="sr-only" aria-live="polite">
          {announcement}
        </p>
      </div>

      {grant?.ads && props.renderBanner ? <div data-slot="banner">{props.renderBanner()}</div> : null}
    </div>
  );
}

interface ControlButtonProps {
  icon: IconName;
  label: string;
  onClick(): void;
  shortcut?: string;
  pressed?: boolean;
  expanded?: boolean;
  className?: string;
}

function ControlButton({ icon, label, onClick, shortcut, pressed, expanded, className = '' }: ControlButtonProps) {
  return (
    <button
      type="button"
      onClick={onClick}
      aria-keyshortcuts={shortcut}
      aria-pressed={pressed}
      aria-expanded={expanded}
      title={label}
      className={`inline-flex size-11 shrink-0 items-center justify-center rounded-md hover:bg-white/15 hover:text-gold ${className}`}
    >
      <Icon name={icon} />
      <span className="sr-only">{label}</span>
    </button>
  );
}
