'use client';

import { useServerInsertedHTML } from 'next/navigation';
import { useRef } from 'react';
import { appCss } from '@/lib/styles/app-css';

/**
 * The whole stylesheet inline in the page's <head>, sent once with the HTML: on a 150 ms mobile
 * link a separate stylesheet is a render-blocking round trip before the first paint. It is
 * inserted into the server's HTML stream only (useServerInsertedHTML, the hook CSS-in-JS libraries
 * use), never into the React Server Components payload, so the page carries it once; later
 * navigations render into the same document and keep it. The price is ~9 kB (compressed) on each
 * full page load instead of a cached file, which is what Tailwind's small atomic stylesheet makes
 * reasonable; the service worker's cached pages carry it too, so they paint offline.
 */
export function AppStyles() {
  const sent = useRef(false);
  useServerInsertedHTML(() => {
    if (sent.current) return null;
    sent.current = true;
    return <style id="kf-app-css" dangerouslySetInnerHTML={{ __html: appCss() }} />;
  });
  return null;
}
