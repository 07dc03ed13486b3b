import { isLocale, LOCALE_COOKIE } from '@/lib/i18n/locales';

export const dynamic = 'force-dynamic';

/** Only paths on this site: never an open redirect. */
function returnPath(request: Request): string {
  const referer = request.headers.get('referer');
  if (!referer) return '/';
  try {
    const from = new URL(referer);
    if (from.host !== new URL(request.url).host) return '/';
    return `${from.pathname}${from.search}`;
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
