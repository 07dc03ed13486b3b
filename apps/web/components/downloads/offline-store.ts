'use client';
/**
 * Downloaded titles on this device. The files live in Cache Storage (`kf-downloads`), keyed by the
 * exact URLs the player asks for, and the service worker (public/sw.js) answers those URLs from
 * there, so hls.js plays a download with no network. What the downloads page shows of each one
 * (title, size, expiry, master URL) is kept in localStorage, so the page works offline too.
 */
import type { Download } from '@kush/contracts';

/** Must match DOWNLOAD_CACHE in public/sw.js. */
export const DOWNLOAD_CACHE = 'kf-downloads';
const INDEX_KEY = 'kf-downloads';
/** Files fetched at once: enough to fill Wi-Fi, few enough not to starve a phone. */
const PARALLEL = 3;

export interface SavedDownload {
  id: string;
  title: Download['title'];
  height: number;
  bytes: number;
  expiresAt: string;
  masterUrl: string;
  /** Every cached URL: the media files, and the offline player's page and scripts. */
  urls: string[];
  savedAt: string;
}

export function offlineSupported(): boolean {
  return typeof window !== 'undefined' && 'caches' in window && 'serviceWorker' in navigator;
}

export function savedDownloads(): SavedDownload[] {
  try {
    const parsed = JSON.parse(localStorage.getItem(INDEX_KEY) ?? '[]') as SavedDownload[];
    return Array.isArray(parsed) ? parsed : [];
  } catch {
    return [];
  }
}

export function savedDownload(id: string): SavedDownload | undefined {
  return savedDownloads().find((d) => d.id === id);
}

function writeIndex(items: SavedDownload[]): void {
  localStorage.setItem(INDEX_KEY, JSON.stringify(items));
}

/** A copy without Vary and other per-request headers, so the cache answers any later request for the URL. */
function storable(body: Blob, response: Response): Response {
  const type = response.headers.get('content-type');
  return new Response(body, { status: 200, headers: type ? { 'content-type': type } : {} });
}

/** Reads a response, reporting each chunk's size as it arrives. */
async function readCounting(response: Response, onBytes: (n: number) => void): Promise<Blob> {
  if (!response.body) {
    const blob = await response.blob();
    onBytes(blob.size);
    return blob;
  }
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    onBytes(value.byteLength);
  }
  return new Blob(chunks as BlobPart[]);
}

/**
 * Fetches every file of a download into the cache, then the offline player's page and its
 * scripts (so it opens with no network). On any failure nothing of it is left behind.
 */
export async function saveDownload(
  download: Download,
  onProgress: (done: number, total: number) => void,
  signal?: AbortSignal,
): Promise<SavedDownload> {
  const cache = await caches.open(DOWNLOAD_CACHE);
  const cached: string[] = [];
  let done = 0;
  onProgress(0, download.bytes);
  try {
    const queue = [...download.files];
    const worker = async () => {
      for (let url = queue.shift(); url !== undefined; url = queue.shift()) {
        const response = await fetch(url, { credentials: 'same-origin', signal });
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        const body = await readCounting(response, (n) => {
          done += n;
          onProgress(Math.min(done, download.bytes), download.bytes);
        });
        await cache.put(url, storable(body, response));
        cached.push(url);
      }
    };
    await Promise.all(Array.from({ length: PARALLEL }, worker));
    cached.push(...(await savePlayerPage(cache, download.id, signal)));
  } catch (error) {
    await Promise.all(cached.map((url) => cache.delete(url)));
    throw error;
  }
  const saved: SavedDownload = {
    id: download.id,
    title: download.title,
    height: download.height,
    bytes: download.bytes,
    expiresAt: download.expiresAt,
    masterUrl: download.masterUrl,
    urls: cached,
    savedAt: new Date().toISOString(),
  };
  // A renewal replaces the earlier copy's entry; its files were overwritten or are removed here.
  const earlier = savedDownloads().find((d) => d.id === saved.id);
  if (earlier) {
    const keep = new Set(cached);
    await Promise.all(earlier.urls.filter((u) => !keep.has(u)).map((u) => cache.delete(u)));
  }
  writeIndex([saved, ...savedDownloads().filter((d) => d.id !== saved.id)]);
  return saved;
}

/** The offline player's HTML and the scripts and styles it names, cached beside the media. */
async function savePlayerPage(cache: Cache, id: string, signal?: AbortSignal): Promise<string[]> {
  const path = offlinePlayerPath(id);
  const response = await fetch(path, { credentials: 'same-origin', signal });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const html = await response.text();
  const assets = [...new Set([...html.matchAll(/\/_next\/static\/[^"'\s\\)]+/g)].map((m) => m[0]))];
  await cache.put(path, new Response(html, { headers: { 'content-type': 'text/html; charset=utf-8' } }));
  // Scripts the page names are fetched once more only when the static cache does not have them.
  await Promise.all(
    assets.map(async (asset) => {
      if (await caches.match(asset)) return;
      const res = await fetch(asset, { signal });
      if (res.ok) await cache.put(asset, res);
    }),
  );
  return [path];
}

export function offlinePlayerPath(id: string): string {
  return `/downloads/${id}/play`;
}

/** Removes the files and the entry; the shared scripts stay (other downloads use them). */
export async function removeSaved(id: string): Promise<void> {
  const entry = savedDownload(id);
  if (entry && 'caches' in window) {
    const cache = await caches.open(DOWNLOAD_CACHE);
    await Promise.all(entry.urls.map((url) => cache.delete(url)));
  }
  writeIndex(savedDownloads().filter((d) => d.id !== id));
}

export const megabytes = (bytes: number) => (bytes / 1_000_000).toFixed(bytes < 10_000_000 ? 1 : 0);
