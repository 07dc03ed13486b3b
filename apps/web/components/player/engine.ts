/**
 * The streaming engine behind the player: hls.js with the shared HLS_PLAYER_CONFIG (what the
 * start-up benchmark measures is what viewers get), or the browser's own HLS (iOS Safari) where
 * Media Source Extensions are missing. Loaded by dynamic import from the watch page only, so no
 * other page downloads hls.js.
 */
import { HLS_PLAYER_CONFIG } from '@kush/contracts';
import Hls, { ErrorTypes, Events } from 'hls.js';
import { capIndexFor } from './quality';

export interface QualityLevel {
  index: number;
  height: number;
  width: number;
  /** Bits per second, the average where the playlist gives it. */
  bitrate: number;
}

export interface SubtitleTrack {
  index: number;
  /** '' when the playlist names neither the track nor its language: the player numbers it. */
  label: string;
  language: string;
}

export interface EngineSource {
  masterUrl: string;
  /** Seconds; 0 plays from the start. */
  startPosition: number;
  /** The data saver's ceiling from the first segment on; null for none. */
  maxHeight: number | null;
}

export interface EngineListener {
  onLevels(levels: QualityLevel[]): void;
  /** The level being shown changed (automatic or manual). */
  onLevelSwitched(index: number): void;
  onSubtitleTracks(tracks: SubtitleTrack[]): void;
  /** Bytes of media downloaded, reported segment by segment. */
  onBytes(bytes: number): void;
  /** Playback cannot go on without the viewer's help (retry). */
  onFatal(kind: 'network' | 'media'): void;
}

export interface Engine {
  /** -1 is automatic. */
  setLevel(index: number): void;
  /** The data-saver ceiling for automatic choices; null lifts it. */
  setMaxHeight(maxHeight: number | null): void;
  /** -1 turns subtitles off. */
  setSubtitle(index: number): void;
  /** "360p" when known. */
  currentRendition(): string | null;
  destroy(): void;
}

export function createEngine(video: HTMLVideoElement, source: EngineSource, listener: EngineListener): Engine {
  if (Hls.isSupported()) return createHlsEngine(video, source, listener);
  return createNativeEngine(video, source, listener);
}

function createHlsEngine(video: HTMLVideoElement, source: EngineSource, listener: EngineListener): Engine {
  const hls = new Hls({
    ...HLS_PLAYER_CONFIG,
    // Resuming starts loading at the saved position: the segments before it are never fetched.
    startPosition: source.startPosition > 0 ? source.startPosition : -1,
  });
  let maxHeight = source.maxHeight;
  let recoveredMedia = false;

  const applyCap = () => {
    const cap = capIndexFor(hls.levels, maxHeight);
    if (cap === -1) return;
    // capLevelToPlayerSize also sets autoLevelCapping (on resize, fullscreen): keep the lower of the two.
    if (hls.autoLevelCapping === -1 || hls.autoLevelCapping > cap) hls.autoLevelCapping = cap;
  };

  hls.on(Events.MANIFEST_PARSED, () => {
    hls.subtitleTrack = -1;
    hls.subtitleDisplay = false;
    applyCap();
    listener.onLevels(
      hls.levels.map((level, index) => ({
        index,
        height: level.height,
        width: level.width,
        bitrate: level.averageBitrate || level.bitrate,
      })),
    );
  });
  hls.on(Events.MAX_AUTO_LEVEL_UPDATED, applyCap);
  hls.on(Events.LEVEL_SWITCHED, (_event, data) => listener.onLevelSwitched(data.level));
  hls.on(Events.SUBTITLE_TRACKS_UPDATED, (_event, data) =>
    listener.onSubtitleTracks(
      data.subtitleTracks.map((track, index) => ({
        index,
        label: track.name || track.lang || '',
        language: track.lang ?? '',
      })),
    ),
  );
  hls.on(Events.FRAG_LOADED, (_event, data) => listener.onBytes(data.frag.stats.total));
  hls.on(Events.ERROR, (_event, data) => {
    if (!data.fatal) return;
    if (data.type === ErrorTypes.MEDIA_ERROR && !recoveredMedia) {
      recoveredMedia = true;
      hls.recoverMediaError();
      return;
    }
    listener.onFatal(data.type === ErrorTypes.NETWORK_ERROR ? 'network' : 'media');
  });

  hls.loadSource(source.masterUrl);
  hls.attachMedia(video);

  return {
    setLevel(index) {
      // currentLevel switches at once (flushing what is buffered); -1 hands the choice back to ABR.
      hls.currentLevel = index;
    },
    setMaxHeight(height) {
      maxHeight = height;
      if (height === null) {
        // Back to the player-size cap alone: restarting it makes hls.js measure the player again.
        hls.capLevelToPlayerSize = false;
        hls.capLevelToPlayerSize = HLS_PLAYER_CONFIG.capLevelToPlayerSize;
        return;
      }
      applyCap();
    },
    setSubtitle(index) {
      hls.subtitleTrack = index;
      hls.subtitleDisplay = index >= 0;
    },
    currentRendition() {
      const level = hls.levels[hls.currentLevel];
      return level ? `${level.height}p` : null;
    },
    destroy() {
      hls.destroy();
    },
  };
}

/** Safari on iOS plays HLS itself: quality follows the network, subtitles are the video's text tracks. */
function createNativeEngine(video: HTMLVideoElement, source: EngineSource, listener: EngineListener): Engine {
  const onLoaded = () => {
    if (source.startPosition > 0) video.currentTime = source.startPosition;
    const tracks = [...video.textTracks].filter((t) => t.kind === 'subtitles' || t.kind === 'captions');
    for (const track of tracks) track.mode = 'disabled';
    listener.onSubtitleTracks(
      tracks.map((track, index) => ({ index, label: track.label || track.language, language: track.language })),
    );
  };
  const onError = () => listener.onFatal(video.error?.code === MediaError.MEDIA_ERR_NETWORK ? 'network' : 'media');
  video.addEventListener('loadedmetadata', onLoaded, { once: true });
  video.addEventListener('error', onError);
  video.src = source.masterUrl;
  listener.onLevels([]);

  const subtitleTracks = () => [...video.textTracks].filter((t) => t.kind === 'subtitles' || t.kind === 'captions');
  return {
    setLevel() {},
    setMaxHeight() {},
    setSubtitle(index) {
      subtitleTracks().forEach((track, i) => {
        track.mode = i === index ? 'showing' : 'disabled';
      });
    },
    currentRendition: () => (video.videoHeight ? `${video.videoHeight}p` : null),
    destroy() {
      video.removeEventListener('error', onError);
      video.removeAttribute('src');
      video.load();
    },
  };
}
