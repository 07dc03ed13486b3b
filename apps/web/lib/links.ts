/** Links into the watch page (built by the player work): /watch/<slug>[?episode=<id>]. */
export function watchHref(slug: string, episodeId?: string | null): string {
  return episodeId ? `/watch/${slug}?episode=${episodeId}` : `/watch/${slug}`;
}

/** Only a path on this site, never another origin: `next=` parameters must not become open redirects. */
export function safeNext(candidate: string | string[] | null | undefined, fallback = '/'): string {
  const value = Array.isArray(candidate) ? candidate[0] : candidate;
  if (!value || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return fallback;
  return value;
}

/** The first value of a search parameter as Next passes them. */
export function one(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
