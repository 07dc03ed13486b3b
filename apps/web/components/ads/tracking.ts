'use client';
/**
 * Ad beacons. Tracking URLs are GET pixels (navigator.sendBeacon can only POST), so they go out
 * as fetch keepalive: delivered even when the page is closed right after, and never read.
 */
import { AD_DEVICE_ID, AD_DEVICE_KEY } from './device-id';
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

/** The cookie twin lives a year, like the localStorage id; SameSite=Lax keeps it to our own pages. */
const COOKIE_MAX_AGE_SECONDS = 365 * 86_400;

function cookieDeviceId(): string | undefined {
  const prefix = `${AD_DEVICE_KEY}=`;
  const value = document.cookie
    .split(';')
    .map((c) => c.trim())
    .find((c) => c.startsWith(prefix))
    ?.slice(prefix.length);
  return value && AD_DEVICE_ID.test(value) ? value : undefined;
}

/**
 * A random id kept in this browser, so frequency caps apply to signed-out viewers too: in
 * localStorage for the player, mirrored in a cookie for the server-rendered banner slots.
 */
export function adDeviceId(): string {
  let id: string | undefined;
  try {
    id = window.localStorage.getItem(AD_DEVICE_KEY) ?? undefined;
  } catch {
    // private mode: the cookie may still hold one
  }
  if (!id || !AD_DEVICE_ID.test(id)) id = cookieDeviceId();
  if (!id) {
    // getRandomValues, unlike randomUUID, works on plain http (a LAN address) too.
    id = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
  }
  try {
    window.localStorage.setItem(AD_DEVICE_KEY, id);
  } catch {
    // private mode: the cookie carries it alone
  }
  if (cookieDeviceId() !== id) {
    document.cookie = `${AD_DEVICE_KEY}=${id}; path=/; max-age=${COOKIE_MAX_AGE_SECONDS}; samesite=lax`;
  }
  return id;
}
