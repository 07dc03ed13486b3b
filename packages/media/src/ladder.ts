/**
 * The rendition ladder, tuned for viewers on slow, metered mobile data.
 *
 * Rungs are named by their short side (a portrait 360p rung is 360 pixels wide), so a phone
 * video filmed upright gets the same number of pixels per rung as a landscape one.
 */

export type H264Profile = 'baseline' | 'main' | 'high';

export interface RungSpec {
  /** Nominal short side in pixels: 144, 240, … */
  label: number;
  videoKbps: number;
  audioKbps: number;
  profile: H264Profile;
}

/**
 * Video rates are the targets. Audio is AAC-LC, stereo on every rung (a channel-count
 * change at a rung switch glitches some MSE implementations): 48 kbps at 144p and 64 kbps at 240p,
 * where audio is already a third of the stream (144p's first segment is what a viewer on a slow
 * link waits for before the picture starts), 96 kbps from 360p up. Main profile up to 480p
 * (every phone decoder with MSE handles it; baseline would cost ~15% more bits for the same
 * quality exactly where bits are scarcest), High from 720p.
 */
export const LADDER: readonly RungSpec[] = [
  { label: 144, videoKbps: 110, audioKbps: 48, profile: 'main' },
  { label: 240, videoKbps: 250, audioKbps: 64, profile: 'main' },
  { label: 360, videoKbps: 500, audioKbps: 96, profile: 'main' },
  { label: 480, videoKbps: 900, audioKbps: 96, profile: 'main' },
  { label: 720, videoKbps: 2000, audioKbps: 96, profile: 'high' },
  { label: 1080, videoKbps: 4000, audioKbps: 96, profile: 'high' },
];

/**
 * maxrate = 1.1 × target keeps the encoder close to the label; bufsize = 2 × target is a 2 s VBV
 * buffer, the length of one GOP, so the encoder can still spend on each keyframe and on hard
 * scenes. Over a 4 s segment the VBV bound is (maxrate·4 s + bufsize) / 4 s = 1.6 × target in
 * the worst case; in practice peaks land near 1.1–1.3 × target. A smaller buffer would hold peaks
 * tighter but makes quality pump visibly at these low rates.
 */
export const MAXRATE_FACTOR = 1.1;
export const BUFSIZE_FACTOR = 2;

/** A rung may be kept when the source is within this much of it; it is then encoded at source size. */
const SOURCE_TOLERANCE = 0.95;

export const AUDIO_CODEC = 'mp4a.40.2'; // AAC-LC
export const AUDIO_SAMPLE_RATE = 48_000;

export interface FrameRate {
  num: number;
  den: number;
}

export interface Rendition {
  /** Directory and variant name: "v360". */
  name: string;
  /** "360p" */
  label: string;
  nominalHeight: number;
  width: number;
  height: number;
  /** bits per second */
  videoBitrate: number;
  maxrate: number;
  bufsize: number;
  audioBitrate: number;
  profile: H264Profile;
  /** "3.1" */
  level: string;
  /** Expected RFC 6381 codec string; the master playlist uses the one read back from the output. */
  codecs: string;
}

export interface Ladder {
  frameRate: FrameRate;
  renditions: Rendition[];
  hasAudio: boolean;
  /** 1 or 2: mono sources stay mono, everything else is downmixed to stereo. */
  audioChannels: number;
}

export interface LadderSource {
  width: number;
  height: number;
  fps: number;
  audio?: { channels: number };
}

const COMMON_RATES: FrameRate[] = [
  { num: 24000, den: 1001 },
  { num: 24, den: 1 },
  { num: 25, den: 1 },
  { num: 30000, den: 1001 },
  { num: 30, den: 1 },
  { num: 15, den: 1 },
  { num: 20, den: 1 },
  { num: 12, den: 1 },
  { num: 10, den: 1 },
];

export const frameRateValue = (r: FrameRate) => r.num / r.den;

/**
 * The output frame rate: the source's, divided by a whole number until it is at most 30 fps
 * (50 → 25, 59.94 → 29.97, 120 → 30) so frames are dropped evenly, then snapped to a standard
 * rate when within 0.5%. More than 30 fps would spend scarce bits on motion smoothness.
 */
export function outputFrameRate(sourceFps: number): FrameRate {
  const fps = Number.isFinite(sourceFps) && sourceFps >= 1 && sourceFps <= 1000 ? sourceFps : 25;
  const divisor = Math.max(1, Math.round(fps / 30 + 0.25));
  const target = Math.min(fps / divisor, 30);
  const distance = (r: FrameRate) => Math.abs(frameRateValue(r) - target) / target;
  const snapped = COMMON_RATES.filter((r) => distance(r) < 0.005).sort((a, b) => distance(a) - distance(b))[0];
  return snapped ?? { num: Math.round(target * 1000), den: 1000 };
}

const even = (x: number) => Math.max(2, Math.round(x / 2) * 2);
const evenFloor = (x: number) => Math.max(2, Math.floor(x / 2) * 2);

/** H.264 levels (Table A-1): max macroblocks/s, max frame size in macroblocks, max bitrate (kbps, Baseline/Main). */
const LEVELS: { level: string; idc: number; mbps: number; fs: number; br: number }[] = [
  { level: '3.0', idc: 30, mbps: 40_500, fs: 1_620, br: 10_000 },
  { level: '3.1', idc: 31, mbps: 108_000, fs: 3_600, br: 14_000 },
  { level: '3.2', idc: 32, mbps: 216_000, fs: 5_120, br: 20_000 },
  { level: '4.0', idc: 40, mbps: 245_760, fs: 8_192, br: 20_000 },
  { level: '4.1', idc: 41, mbps: 245_760, fs: 8_192, br: 50_000 },
  { level: '4.2', idc: 42, mbps: 522_240, fs: 8_704, br: 50_000 },
  { level: '5.0', idc: 50, mbps: 589_824, fs: 22_080, br: 135_000 },
  { level: '5.1', idc: 51, mbps: 983_040, fs: 36_864, br: 240_000 },
  { level: '5.2', idc: 52, mbps: 2_073_600, fs: 36_864, br: 240_000 },
];

/**
 * The lowest level that fits, but never below 3.0: Main@3.0 is what every phone decoder
 * advertises, and a lower declared level only restricts the encoder.
 */
export function h264Level(width: number, height: number, fps: number, maxrate: number, profile: H264Profile) {
  const frameMbs = Math.ceil(width / 16) * Math.ceil(height / 16);
  const brFactor = profile === 'high' ? 1.25 : 1;
  const fit = LEVELS.find((l) => frameMbs <= l.fs && frameMbs * fps <= l.mbps && maxrate / 1000 <= l.br * brFactor);
  return fit ?? LEVELS[LEVELS.length - 1]!;
}

const PROFILE_IDC: Record<H264Profile, string> = { baseline: '42c0', main: '4d40', high: '6400' };

/** RFC 6381 codec string as x264 writes it (constraint flags included). */
export function avcCodecString(profile: H264Profile, levelIdc: number): string {
  return `avc1.${PROFILE_IDC[profile]}${levelIdc.toString(16).padStart(2, '0')}`;
}

/**
 * The nominal height a rendition's directory stands for ("v720" → 720), or null for a name that is
 * not a rendition directory. Renditions are named `v<nominal height>` below, so playback can tell
 * from a path alone which rendition a playlist or segment belongs to, without the manifest.
 */
export function renditionHeightOf(name: string): number | null {
  const match = /^v(\d{1,5})$/.exec(name);
  return match ? Number(match[1]) : null;
}

function rendition(
  spec: RungSpec,
  label: number,
  width: number,
  height: number,
  fps: number,
  withAudio: boolean,
): Rendition {
  const videoBitrate = spec.videoKbps * 1000;
  const maxrate = Math.round(videoBitrate * MAXRATE_FACTOR);
  const level = h264Level(width, height, fps, maxrate, spec.profile);
  const video = avcCodecString(spec.profile, level.idc);
  return {
    name: `v${label}`,
    label: `${label}p`,
    nominalHeight: label,
    width,
    height,
    videoBitrate,
    maxrate,
    bufsize: Math.round(videoBitrate * BUFSIZE_FACTOR),
    audioBitrate: withAudio ? spec.audioKbps * 1000 : 0,
    profile: spec.profile,
    level: level.level,
    codecs: withAudio ? `${video},${AUDIO_CODEC}` : video,
  };
}

/**
 * The renditions for a source: every rung up to the source's short side, never upscaling.
 * Widths follow the source's display aspect ratio, rounded to even numbers. A source smaller than
 * the lowest rung gets a single rendition at its own size.
 */
export function ladderFor(source: LadderSource, rungs: readonly RungSpec[] = LADDER): Ladder {
  if (!(source.width > 0 && source.height > 0)) throw new RangeError('source dimensions must be positive');
  if (rungs.length === 0) throw new RangeError('the ladder needs at least one rung');
  const frameRate = outputFrameRate(source.fps);
  const fps = frameRateValue(frameRate);
  const hasAudio = source.audio !== undefined;
  const landscape = source.width >= source.height;
  const shortSide = landscape ? source.height : source.width;
  const aspect = source.width / source.height;

  const sizeFor = (short: number) => {
    const w = landscape ? even(short * aspect) : evenFloor(short);
    const h = landscape ? evenFloor(short) : even(short / aspect);
    return { width: Math.min(w, evenFloor(source.width)), height: Math.min(h, evenFloor(source.height)) };
  };

  const sorted = [...rungs].sort((a, b) => a.label - b.label);
  const kept = sorted.filter((r) => shortSide >= r.label * SOURCE_TOLERANCE);
  if (kept.length === 0) {
    const lowest = sorted[0]!;
    const size = sizeFor(shortSide);
    const label = landscape ? size.height : size.width;
    return {
      frameRate,
      hasAudio,
      audioChannels: Math.min(2, Math.max(1, source.audio?.channels ?? 2)),
      renditions: [rendition(lowest, label, size.width, size.height, fps, hasAudio)],
    };
  }
  return {
    frameRate,
    hasAudio,
    audioChannels: Math.min(2, Math.max(1, source.audio?.channels ?? 2)),
    renditions: kept.map((r) => {
      const size = sizeFor(Math.min(r.label, shortSide));
      return rendition(r, r.label, size.width, size.height, fps, hasAudio);
    }),
  };
}
