/**
 * VAST 4.2 documents (IAB), in the element order the official XSD's sequences require. Every
 * value goes through escapeXml, URLs into CDATA as the spec recommends; nothing else is ever
 * concatenated into the document.
 */

export const VAST_NAMESPACE = 'http://www.iab.com/VAST';
export const VAST_CONTENT_TYPE = 'application/xml; charset=utf-8';
const AD_SYSTEM = 'Kush Films';
const UNIVERSAL_AD_ID_REGISTRY = 'kushfilms.com';

export const VAST_TRACKING_EVENTS = [
  'start',
  'firstQuartile',
  'midpoint',
  'thirdQuartile',
  'complete',
  'skip',
] as const;
export type VastTrackingEvent = (typeof VAST_TRACKING_EVENTS)[number];

export interface VastMediaFile {
  url: string;
  width: number;
  height: number;
  /** kbps */
  bitrate: number;
  type: string;
  codec?: string;
}

export interface VastInlineAd {
  servingId: string;
  adId: string;
  creativeId: string;
  title: string;
  advertiser: string;
  durationSeconds: number;
  /** null = not skippable. */
  skipAfterSeconds: number | null;
  impressionUrl: string;
  errorUrl: string;
  clickThroughUrl: string;
  tracking: Record<VastTrackingEvent, string>;
  mediaFiles: VastMediaFile[];
}

/** A banner shown over (or under) the title instead of a video pre-roll: a VAST NonLinear ad. */
export interface VastNonLinearAd {
  servingId: string;
  adId: string;
  creativeId: string;
  title: string;
  advertiser: string;
  impressionUrl: string;
  errorUrl: string;
  clickThroughUrl: string;
  image: { url: string; contentType: string; width: number; height: number };
  /** How long the player should keep the banner up. */
  minDisplaySeconds: number;
}

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
// Characters XML 1.0 cannot carry at all, even escaped.
// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

export function escapeXml(value: string): string {
  return value.replace(NOT_XML, '').replace(/[&<>"']/g, (c) => XML_ESCAPES[c]!);
}

/** CDATA cannot contain "]]>"; splitting it across two sections keeps any text intact. */
function cdata(value: string): string {
  return `<![CDATA[${value.replace(NOT_XML, '').replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;
}

/** HH:MM:SS.mmm, as VAST's Duration and skipoffset want it. */
export function vastTime(seconds: number): string {
  const ms = Math.max(0, Math.round(seconds * 1000));
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = Math.floor((ms % 60_000) / 1000);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(h)}:${pad(m)}:${pad(s)}.${pad(ms % 1000, 3)}`;
}

const HEAD = `<?xml version="1.0" encoding="UTF-8"?>\n`;

/** No fill: an empty VAST with the Error URL the player calls (error 303, "no ads"). */
export function renderNoFill(errorUrl: string): string {
  return `${HEAD}<VAST version="4.2" xmlns="${VAST_NAMESPACE}"><Error>${cdata(errorUrl)}</Error></VAST>\n`;
}

/** The InLine elements every ad of ours carries before its creative, in the XSD's order. */
function inlineHead(
  ad: Pick<VastInlineAd, 'servingId' | 'errorUrl' | 'impressionUrl' | 'title' | 'advertiser'>,
): string {
  return (
    `<AdSystem version="1">${escapeXml(AD_SYSTEM)}</AdSystem>` +
    `<Error>${cdata(ad.errorUrl)}</Error>` +
    `<Impression id="${escapeXml(ad.servingId)}">${cdata(ad.impressionUrl)}</Impression>` +
    `<AdServingId>${escapeXml(ad.servingId)}</AdServingId>` +
    `<AdTitle>${escapeXml(ad.title)}</AdTitle>` +
    `<Advertiser>${escapeXml(ad.advertiser)}</Advertiser>`
  );
}

/**
 * A NonLinear ad: one static image with its click-through, no media to buffer. The impression is
 * the same signed, once-only pixel as a video's; a banner has no quartiles, so no TrackingEvents.
 */
export function renderNonLinear(ad: VastNonLinearAd): string {
  const { image } = ad;
  return (
    HEAD +
    `<VAST version="4.2" xmlns="${VAST_NAMESPACE}">` +
    `<Ad id="${escapeXml(ad.adId)}">` +
    `<InLine>` +
    inlineHead(ad) +
    `<Creatives><Creative id="${escapeXml(ad.creativeId)}" adId="${escapeXml(ad.adId)}">` +
    `<NonLinearAds>` +
    `<NonLinear id="${escapeXml(ad.creativeId)}" width="${image.width}" height="${image.height}"` +
    ` scalable="true" maintainAspectRatio="true" minSuggestedDuration="${vastTime(ad.minDisplaySeconds)}">` +
    `<StaticResource creativeType="${escapeXml(image.contentType)}">${cdata(image.url)}</StaticResource>` +
    `<NonLinearClickThrough>${cdata(ad.clickThroughUrl)}</NonLinearClickThrough>` +
    `</NonLinear>` +
    `</NonLinearAds>` +
    `<UniversalAdId idRegistry="${UNIVERSAL_AD_ID_REGISTRY}">${escapeXml(ad.creativeId)}</UniversalAdId>` +
    `</Creative></Creatives>` +
    `</InLine>` +
    `</Ad>` +
    `</VAST>\n`
  );
}

export function renderInline(ad: VastInlineAd): string {
  const skip = ad.skipAfterSeconds === null ? '' : ` skipoffset="${vastTime(ad.skipAfterSeconds)}"`;
  const tracking = VAST_TRACKING_EVENTS.filter((event) => event !== 'skip' || ad.skipAfterSeconds !== null)
    .map((event) => `<Tracking event="${event}">${cdata(ad.tracking[event])}</Tracking>`)
    .join('');
  const media = ad.mediaFiles
    .map(
      (m) =>
        `<MediaFile delivery="progressive" type="${escapeXml(m.type)}" width="${m.width}" height="${m.height}"` +
        ` bitrate="${Math.round(m.bitrate)}" scalable="true" maintainAspectRatio="true"` +
        (m.codec ? ` codec="${escapeXml(m.codec)}"` : '') +
        `>${cdata(m.url)}</MediaFile>`,
    )
    .join('');
  return (
    HEAD +
    `<VAST version="4.2" xmlns="${VAST_NAMESPACE}">` +
    `<Ad id="${escapeXml(ad.adId)}">` +
    `<InLine>` +
    inlineHead(ad) +
    `<Creatives><Creative id="${escapeXml(ad.creativeId)}" adId="${escapeXml(ad.adId)}">` +
    `<Linear${skip}>` +
    `<TrackingEvents>${tracking}</TrackingEvents>` +
    `<Duration>${vastTime(ad.durationSeconds)}</Duration>` +
    `<MediaFiles>${media}</MediaFiles>` +
    `<VideoClicks><ClickThrough id="${escapeXml(ad.servingId)}">${cdata(ad.clickThroughUrl)}</ClickThrough></VideoClicks>` +
    `</Linear>` +
    `<UniversalAdId idRegistry="${UNIVERSAL_AD_ID_REGISTRY}">${escapeXml(ad.creativeId)}</UniversalAdId>` +
    `</Creative></Creatives>` +
    `</InLine>` +
    `</Ad>` +
    `</VAST>\n`
  );
}
