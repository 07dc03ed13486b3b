import { isLocale, LOCALE_COOKIE } from '@/lib/i18n/locales';

export const dynamic = 'force-dynamic';

/**
 * Back to the page the switcher was on: only a path on this site, never an open redirect. Behind
 * Next the request URL may name another host than the browser used (127.0.0.1 for localhost), so
 * the Host header the browser sent counts too.
 */
function returnPath(request: Request): string {
  const referer = request.headers.get('referer');
  if (!referer) return '/';
  try {
    const from = new URL(referer);
    const ours = [request.headers.get('x-forwarded-host'), request.headers.get('host'), new URL(request.url).host];
    if (!ours.includes(from.host)) return '/';
    const path = `${from.pathname}${from.search}`;
    // "//evil.example" or "/\\evil.example" would leave the site as a protocol-relative URL.
    return /^\/(?![/\\])/.test(path) ? path : '/';
  } catch {
    return '/';
  }
}

/** The language switcher's target: keeps the choice for a year and goes back to the page. */
export function GET(request: Request): Response {
  const lang = new URL(request.url).searchParams.get('lang');
  const headers = new Headers({ location: returnPath(request), 'cache-control': 'no-store' });
  if (isLocale(lang)) {
    headers.append('set-cookie', `${LOCALE_COOKIE}=${lang}; Path=/; Max-Age=31536000; SameSite=Lax`);
  }
  return new Response(null, { status: 303, headers });
}
