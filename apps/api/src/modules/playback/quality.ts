import { DATA_SAVER_MAX_HEIGHT, type DATA_SAVER_MODES } from '@kush/contracts';
import { renditionHeightOf } from '@kush/media';

type DataSaverMode = (typeof DATA_SAVER_MODES)[number];

/** What playback knows of a rendition: manifests written before nominalHeight existed lack it. */
export interface RenditionLike {
  name?: string;
  nominalHeight?: number;
  height: number;
}

/**
 * The rendition's nominal height as the stream sees it: read from its directory name first (that
 * is all a stream request carries), then from the manifest. A portrait 720p rendition is 720, not
 * its 1280-pixel picture height.
 */
export function nominalHeightOf(r: RenditionLike): number {
  return (r.name ? renditionHeightOf(r.name) : null) ?? r.nominalHeight ?? r.height;
}

/**
 * The tallest rendition a session may fetch. The plan's maximum quality (ignored for staff, who
 * preview everything), lowered by the profile's data saver; never below the video's lowest
 * rendition, so that something always plays.
 */
export function sessionMaxHeight(input: {
  planMaxQuality: number;
  dataSaver: DataSaverMode | null;
  staff: boolean;
  renditions: readonly RenditionLike[];
}): number {
  const heights = input.renditions.map(nominalHeightOf);
  const plan = input.staff ? Math.max(input.planMaxQuality, ...heights) : input.planMaxQuality;
  const saver = input.dataSaver ? DATA_SAVER_MAX_HEIGHT[input.dataSaver] : null;
  const cap = saver === null ? plan : Math.min(plan, saver);
  return heights.length ? Math.max(cap, Math.min(...heights)) : cap;
}

export function withinHeight<R extends RenditionLike>(renditions: readonly R[], maxHeight: number): R[] {
  return renditions.filter((r) => nominalHeightOf(r) <= maxHeight);
}

/**
 * May a token capped at `maxHeight` fetch this file of the revision? Files inside a rendition's
 * directory (its playlist, init segment, segments, progressive MP4) belong to that rendition;
 * everything else (master, subtitles, poster, sprite) is shared by all.
 */
export function pathWithinHeight(relativePath: string, maxHeight: number): boolean {
  const slash = relativePath.indexOf('/');
  if (slash < 0) return true;
  const height = renditionHeightOf(relativePath.slice(0, slash));
  return height === null || height <= maxHeight;
}

const URI_ATTRIBUTE = /URI="([^"]*)"/;

/**
 * The master playlist without the variants above `maxHeight`: each #EXT-X-STREAM-INF goes with
 * the URI line after it, and tags that name a playlist in an URI attribute (I-frame playlists,
 * renditions) go when that playlist is above the cap. Everything else is kept as it is.
 */
export function capMasterPlaylist(text: string, maxHeight: number): string {
  const kept: string[] = [];
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (trimmed && !trimmed.startsWith('#')) {
      if (pathWithinHeight(trimmed, maxHeight)) kept.push(line);
      // A variant above the cap: its URI goes, and so does the #EXT-X-STREAM-INF line before it.
      else if (kept.at(-1)?.trim().startsWith('#EXT-X-STREAM-INF:')) kept.pop();
      continue;
    }
    const uri = URI_ATTRIBUTE.exec(trimmed)?.[1];
    if (uri !== undefined && !pathWithinHeight(uri, maxHeight)) continue;
    kept.push(line);
  }
  return kept.join('\n');
}
