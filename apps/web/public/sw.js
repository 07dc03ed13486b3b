/*
 * Kush Films service worker: a repeat visit paints from cache, and an offline visit gets a page.
 *
 * - Static assets (/_next/static, /icons) and pictures: cache first (their URLs change when they do).
 * - Pages: network first; a cached copy (catalog pages only) or /offline when the network fails.
 * - /api/*, RSC payloads and everything not GET: never touched, never cached (personal data).
 * - Downloads: the files of a downloaded title and its offline player page are put in the
 *   `kf-downloads` cache by the page (components/downloads/offline-store.ts); a request for one of
 *   those exact URLs is answered from there, so the player works with no network. Nothing else
 *   is ever read from or written to that cache here.
 */
const VERSION = 'v1';
const STATIC_CACHE = `kf-static-${VERSION}`;
const PAGE_CACHE = `kf-pages-${VERSION}`;
const DOWNLOAD_CACHE = 'kf-downloads';
const OFFLINE_URL = '/offline';
const PRECACHE = [OFFLINE_URL, '/icons/icon-192.png', '/manifest.webmanifest'];
/** Pages that hold nothing personal beyond the selected profile's rows (the downloads list is drawn on the device); account pages are never kept. */
const CACHEABLE_PAGE = /^\/($|title\/|category\/|genre\/|person\/|status$|downloads$)/;
const PAGE_TIMEOUT_MS = 4000;
/** The only URLs a download holds: stream files, offline playlists and the offline player page. */
const DOWNLOADED = /^\/(api\/v1\/stream\/|api\/v1\/downloads\/files\/|downloads\/[^/]+\/play$)/;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(STATIC_CACHE)
      .then((cache) => cache.addAll(PRECACHE))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(
          keys
            .filter((k) => k !== STATIC_CACHE && k !== PAGE_CACHE && k !== DOWNLOAD_CACHE)
            .map((k) => caches.delete(k)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

/** Signing out empties the page cache (see SignOutButton). */
self.addEventListener('message', (event) => {
  if (event.data === 'clear-pages') event.waitUntil(caches.delete(PAGE_CACHE));
});

async function cacheFirst(request) {
  const cached = await caches.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok && response.type === 'basic') {
    const cache = await caches.open(STATIC_CACHE);
    await cache.put(request, response.clone());
  }
  return response;
}

function withTimeout(promise, ms) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timeout')), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

async function page(request, url) {
  const keep = CACHEABLE_PAGE.test(url.pathname);
  const network = fetch(request);
  try {
    const response = await withTimeout(network, PAGE_TIMEOUT_MS);
    if (keep && response.ok) {
      const cache = await caches.open(PAGE_CACHE);
      await cache.put(request, response.clone());
    }
    return response;
  } catch {
    const cached = keep ? await caches.match(request) : undefined;
    if (cached) return cached;
    try {
      return await network; // slow, not dead: keep waiting rather than claim to be offline
    } catch {
      return (await caches.match(OFFLINE_URL)) ?? Response.error();
    }
  }
}

/** A downloaded file from the cache; anything not downloaded goes on as if the worker were not there. */
async function downloaded(request, url) {
  const cache = await caches.open(DOWNLOAD_CACHE);
  const hit = await cache.match(request.url, { ignoreVary: true });
  if (hit) return hit;
  return request.mode === 'navigate' ? page(request, url) : fetch(request);
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (DOWNLOADED.test(url.pathname) && !request.headers.get('range')) {
    event.respondWith(downloaded(request, url));
    return;
  }
  if (request.destination === 'image' && !url.pathname.startsWith('/api/v1/stream/')) {
    event.respondWith(cacheFirst(request));
    return;
  }
  if (url.pathname.startsWith('/api/')) return;
  if (request.headers.get('rsc') || url.searchParams.has('_rsc')) return;
  if (url.pathname.startsWith('/_next/static/') || url.pathname.startsWith('/icons/')) {
    event.respondWith(cacheFirst(request));
    return;
  }
  if (request.mode === 'navigate') event.respondWith(page(request, url));
});
