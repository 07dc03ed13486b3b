/**
 * Which app route a URL path is: the page patterns of the App Router (`/title/[slug]`,
 * `/console/titles/[id]`, `/docs/[...path]`), matched as Next.js does: a static segment beats a
 * dynamic one, a dynamic one beats a catch-all. Used by the server to pick a page's stylesheet
 * (scripts/app-css.mjs builds one per route); plain JavaScript so the build script and the server
 * share it.
 */

/** A pattern's segments, each scored: static 0, [param] 1, [...rest] 2, [[...rest]] 3. */
function compile(pattern) {
  const segments = pattern.split('/').filter(Boolean);
  return segments.map((segment) => {
    if (segment.startsWith('[[...')) return { kind: 3 };
    if (segment.startsWith('[...')) return { kind: 2 };
    if (segment.startsWith('[')) return { kind: 1 };
    return { kind: 0, text: segment };
  });
}

function matches(segments, parts) {
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i];
    if (segment.kind === 3) return true;
    if (segment.kind === 2) return parts.length > i;
    if (i >= parts.length) return false;
    if (segment.kind === 0 && segment.text !== parts[i]) return false;
  }
  return parts.length === segments.length;
}

/** Sorts more specific patterns first: earlier static segments win, then fewer catch-alls. */
function specificity(a, b) {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const ka = a[i]?.kind ?? -1;
    const kb = b[i]?.kind ?? -1;
    if (ka !== kb) return ka - kb;
  }
  return 0;
}

/** A matcher over the given patterns: path → the pattern it renders, or null when none does. */
export function routeMatcher(patterns) {
  const compiled = patterns
    .map((pattern) => ({ pattern, segments: compile(pattern) }))
    .sort((a, b) => specificity(a.segments, b.segments));
  return (pathname) => {
    const parts = pathname
      .split('?')[0]
      .split('/')
      .filter(Boolean)
      .map((part) => {
        try {
          return decodeURIComponent(part);
        } catch {
          return part;
        }
      });
    return compiled.find((route) => matches(route.segments, parts))?.pattern ?? null;
  };
}
