'use client';

import { useServerInsertedHTML } from 'next/navigation';
import { useRef } from 'react';
import { appCss } from '@/lib/styles/app-css';

/**
 * The stylesheet, inline in the HTML and sent once (scripts/app-css.mjs explains the two parts):
 * on a 150 ms mobile link a separate stylesheet is a render-blocking round trip before the first
 * paint. Neither part goes into the React Server Components payload, and later navigations render
 * into the same document and keep both. The price is ~9 kB (compressed) on each full page load
 * instead of a cached file, which Tailwind's small atomic stylesheet makes reasonable; the service
 * worker's cached pages carry it too, so they paint offline.
 */

/** The <head> part: inserted into the server's HTML stream (the hook CSS-in-JS libraries use). */
export function ShellStyles() {
  const sent = useRef(false);
  useServerInsertedHTML(() => {
    if (sent.current) return null;
    sent.current = true;
    return <style id="kf-shell-css" dangerouslySetInnerHTML={{ __html: appCss().shell }} />;
  });
  return null;
}

const PAGE_CSS_ID = 'kf-page-css';

/**
 * The utilities, in place right after the site header. The server renders the text; in the
 * browser, hydration and any later render reuse the text already in the page, so the element
 * never changes and nothing is fetched or serialised.
 */
export function PageStyles() {
  const css = typeof document === 'undefined' ? appCss().page : (document.getElementById(PAGE_CSS_ID)?.innerHTML ?? '');
  return <style id={PAGE_CSS_ID} dangerouslySetInnerHTML={{ __html: css }} />;
}
