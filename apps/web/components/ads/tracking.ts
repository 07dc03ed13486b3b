'use client';
/**
 * Ad beacons. Tracking URLs are GET pixels (navigator.sendBeacon can only POST), so they go out
 * as fetch keepalive: delivered even when the page is closed right after, and never read.
 */
import { withMacros } from './vast';

export function firePixel(url: string, macros: { errorCode?: number } = {}): void {
  try {
    void fetch(withMacros(url, macros), {
      method: 'GET',
      keepalive: true,
      mode: 'no-cors',
      credentials: 'omit',
      cache: 'no-store',
    }).catch(() => undefined);
  } catch {
    // A beacon is never worth an error in front of the viewer.
  }
}

/** How the viewer's link looks: slow when the browser says so, or when the phone saves data. */
export function linkIsSlow(): boolean {
  const connection = (navigator as Navigator & { connection?: { effectiveType?: string; saveData?: boolean } })
    .connection;
  if (!connection) return false;
  return connection.saveData === true || ['slow-2g', '2g', '3g'].includes(connection.effectiveType ?? '');
}

/** The ad server's device targeting: phone, tablet or computer, from the screen and pointer. */
export function deviceType(): 'mobile' | 'tablet' | 'desktop' {
  const coarse = window.matchMedia('(pointer: coarse)').matches;
  if (!coarse) return 'desktop';
  return Math.min(window.screen.width, window.screen.height) < 600 ? 'mobile' : 'tablet';
}

const DEVICE_ID_KEY = 'kf_ad_device';

/** A random id kept in this browser, so frequency caps apply to signed-out viewers too. */
export function adDeviceId(): string | undefined {
  try {
    let id = window.localStorage.getItem(DEVICE_ID_KEY);
    if (!id || !/^[A-Za-z0-9_-]{8,64}$/.test(id)) {
      // getRandomValues, unlike randomUUID, works on plain http (a LAN address) too.
      id = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
      window.localStorage.setItem(DEVICE_ID_KEY, id);
    }
    return id;
  } catch {
    return undefined; // private mode: the API falls back to its own rough identity
  }
}
