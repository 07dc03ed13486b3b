'use client';

import { usePathname, useServerInsertedHTML } from 'next/navigation';
import { useEffect, useRef } from 'react';
import { appCss } from '@/lib/styles/app-css';

/**
 * The stylesheet, inline in the HTML and sent once (scripts/app-css.mjs explains the two parts):
 * on a 150 ms mobile link a separate stylesheet is a render-blocking round trip before the first
 * paint. Neither part goes into the React Server Components payload, and later navigations render
 * into the same document and keep both. The price is ~6 kB (compressed: the frame part and the
 * route's utilities) on each full page load instead of a cached file, which Tailwind's small atomic
 * stylesheet makes reasonable; the service worker's cached pages carry it too, so they paint offline.
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
const ALL_CSS_ID = 'kf-all-css';

/**
 * The page's utilities, in place right after the site header: only those its route's sources use
 * (scripts/app-css.mjs), so the first paint waits for as little stylesheet as possible. The server
 * renders the text; in the browser, hydration and any later render reuse the text already in the
 * page, so the element never changes and nothing is serialised.
 *
 * Once the page is loaded, the browser fetches every utility as one cached file: pages reached by
 * client-side navigation (which keep this document and its stylesheet) are then styled too.
 */
export function PageStyles() {
  const pathname = usePathname();
  const server = typeof document === 'undefined' ? appCss() : null;
  const element = server ? null : document.getElementById(PAGE_CSS_ID);
  const css = server ? server.pageFor(pathname) : (element?.innerHTML ?? '');
  const allHref = server ? server.fullHref : (element?.dataset.all ?? '');

  useEffect(() => {
    if (!allHref || document.getElementById(ALL_CSS_ID)) return;
    const add = () => {
      const link = document.createElement('link');
      link.id = ALL_CSS_ID;
      link.rel = 'stylesheet';
      link.href = allHref;
      document.head.append(link);
    };
    if (document.readyState === 'complete') add();
    else window.addEventListener('load', add, { once: true });
  }, [allHref]);

  return <style id={PAGE_CSS_ID} data-all={allHref} dangerouslySetInnerHTML={{ __html: css }} />;
}
