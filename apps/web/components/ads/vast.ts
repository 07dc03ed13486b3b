/**
 * Reads the one kind of VAST our ad server sends (4.2, one InLine ad, one Linear creative,
 * progressive MP4 MediaFiles). Written here rather than using @dailymotion/vast-client: that
 * library is ~54 KB minified (~13 KB gzipped), handles wrappers, VPAID and companions we never
 * serve, and would ride along in the watch page's chunk on every slow, paid-for connection.
 *
 * Uses only getElementsByTagName and textContent, so any DOM Document works: the browser's
 * DOMParser on the page, @xmldom/xmldom in the tests.
 */

export const TRACKED_EVENTS = [
  'impression',
  'start',
  'firstQuartile',
  'midpoint',
  'thirdQuartile',
  'complete',
  'skip',
  'click',
] as const;
export type TrackedEvent = (typeof TRACKED_EVENTS)[number];

export interface AdMediaFile {
  url: string;
  type: string;
  width: number;
  height: number;
  /** kbps; 0 when the document does not say. */
  bitrate: number;
}

export interface PreRollAd {
  id: string;
  title: string;
  advertiser: string;
  durationSeconds: number;
  /** null: not skippable. */
  skipAfterSeconds: number | null;
  clickThroughUrl: string | null;
  mediaFiles: AdMediaFile[];
  /** URLs to call for each event; the click URL itself counts clicks, so `click` is usually empty. */
  tracking: Record<TrackedEvent, string[]>;
  /** Where to report that the ad could not be shown ([ERRORCODE] filled in). */
  errorUrls: string[];
}

export type VastResult = { kind: 'ad'; ad: PreRollAd } | { kind: 'no-ad'; errorUrls: string[] };

/** Minimal structural types, so this module needs neither lib.dom nor @xmldom types. */
interface XmlElement {
  readonly textContent: string | null;
  readonly parentNode: { readonly nodeName: string } | null;
  readonly nodeName: string;
  getAttribute(name: string): string | null;
  getElementsByTagName(name: string): ArrayLike<XmlElement>;
}
export interface XmlDocument {
  readonly documentElement: XmlElement | null;
  getElementsByTagName(name: string): ArrayLike<XmlElement>;
}

const all = (parent: Pick<XmlElement, 'getElementsByTagName'>, name: string): XmlElement[] =>
  Array.from(parent.getElementsByTagName(name));
const first = (parent: Pick<XmlElement, 'getElementsByTagName'>, name: string) => all(parent, name)[0];
const text = (element: XmlElement | undefined) => element?.textContent?.trim() ?? '';
const urls = (elements: XmlElement[]) => elements.map(text).filter((url) => /^https?:\/\//i.test(url));

/** "HH:MM:SS(.mmm)" to seconds; a percentage offset ("25%") is resolved against the duration. */
export function parseVastTime(value: string | null | undefined, durationSeconds = 0): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  const percent = /^(\d+(?:\.\d+)?)%$/.exec(trimmed);
  if (percent) return (Number(percent[1]) / 100) * durationSeconds;
  const clock = /^(\d+):([0-5]?\d):([0-5]?\d(?:\.\d+)?)$/.exec(trimmed);
  if (!clock) return null;
  return Number(clock[1]) * 3600 + Number(clock[2]) * 60 + Number(clock[3]);
}

/** Parses a VAST document. Anything that is not a playable linear ad is "no ad". */
export function parseVast(doc: XmlDocument): VastResult {
  const root = doc.documentElement;
  if (!root || root.nodeName !== 'VAST') return { kind: 'no-ad', errorUrls: [] };
  const ad = first(root, 'Ad');
  const inline = ad ? first(ad, 'InLine') : undefined;
  // Top-level <Error> (no fill) sits directly under <VAST>; an ad's own is inside <InLine>.
  const rootErrors = urls(all(root, 'Error').filter((e) => e.parentNode?.nodeName === 'VAST'));
  if (!ad || !inline) return { kind: 'no-ad', errorUrls: rootErrors };
  const linear = first(inline, 'Linear');
  const errorUrls = urls(all(inline, 'Error'));
  if (!linear) return { kind: 'no-ad', errorUrls };

  const durationSeconds = parseVastTime(text(first(linear, 'Duration'))) ?? 0;
  const mediaFiles: AdMediaFile[] = all(linear, 'MediaFile')
    .filter((m) => (m.getAttribute('delivery') ?? 'progressive') === 'progressive')
    .map((m) => ({
      url: text(m),
      type: m.getAttribute('type') ?? '',
      width: Number(m.getAttribute('width')) || 0,
      height: Number(m.getAttribute('height')) || 0,
      bitrate: Number(m.getAttribute('bitrate')) || 0,
    }))
    .filter((m) => /^https?:\/\//i.test(m.url));
  if (mediaFiles.length === 0) return { kind: 'no-ad', errorUrls };

  const tracking = Object.fromEntries(TRACKED_EVENTS.map((e) => [e, [] as string[]])) as Record<TrackedEvent, string[]>;
  tracking.impression = urls(all(inline, 'Impression'));
  for (const element of all(linear, 'Tracking')) {
    const event = element.getAttribute('event') as TrackedEvent | null;
    if (event && event !== 'impression' && event in tracking) tracking[event].push(...urls([element]));
  }
  const clicks = first(linear, 'VideoClicks');
  if (clicks) tracking.click.push(...urls(all(clicks, 'ClickTracking')));
  const clickThrough = clicks ? urls(all(clicks, 'ClickThrough'))[0] : undefined;

  const skip = parseVastTime(linear.getAttribute('skipoffset'), durationSeconds);
  return {
    kind: 'ad',
    ad: {
      id: ad.getAttribute('id') ?? '',
      title: text(first(inline, 'AdTitle')),
      advertiser: text(first(inline, 'Advertiser')),
      durationSeconds,
      skipAfterSeconds: skip,
      clickThroughUrl: clickThrough ?? null,
      mediaFiles,
      tracking,
      errorUrls,
    },
  };
}

/**
 * The MediaFile to play: one this browser can decode; on a slow or data-saving link the
 * smallest, otherwise the largest that is no wider than the player (bitrate breaks ties).
 */
export function chooseMediaFile(
  files: AdMediaFile[],
  options: { lowData: boolean; playerWidth: number; canPlay?: (type: string) => boolean },
): AdMediaFile | null {
  const playable = files.filter((f) => !options.canPlay || options.canPlay(f.type));
  if (playable.length === 0) return null;
  const bySize = [...playable].sort((a, b) => a.height - b.height || a.bitrate - b.bitrate);
  if (options.lowData) return bySize[0]!;
  const fitting = bySize.filter((f) => f.width <= Math.max(options.playerWidth, 1) * 1.25);
  return fitting.at(-1) ?? bySize[0]!;
}

/** Fills the VAST macros our tracking URLs may carry. */
export function withMacros(url: string, values: { errorCode?: number } = {}): string {
  return url
    .replace(/\[ERRORCODE\]|%5BERRORCODE%5D/g, values.errorCode === undefined ? '' : String(values.errorCode))
    .replace(/\[TIMESTAMP\]|%5BTIMESTAMP%5D/g, encodeURIComponent(new Date().toISOString()))
    .replace(/\[CACHEBUSTING\]|%5BCACHEBUSTING%5D/g, String(Math.floor(Math.random() * 1e8)).padStart(8, '0'));
}
