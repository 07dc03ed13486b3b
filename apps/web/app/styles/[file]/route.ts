/**
 * Every utility of the app's stylesheet as one file (components/app-styles.tsx fetches it once a
 * page has loaded). The name carries the content's hash, so browsers and the CDN keep it for good.
 */
import { appCss } from '@/lib/styles/app-css';

export function GET(request: Request): Response {
  const { page, fullHref } = appCss();
  if (new URL(request.url).pathname !== fullHref) {
    return new Response('Not found', { status: 404, headers: { 'cache-control': 'no-store' } });
  }
  return new Response(page, {
    headers: {
      'content-type': 'text/css; charset=utf-8',
      'cache-control': 'public, max-age=31536000, immutable',
    },
  });
}
