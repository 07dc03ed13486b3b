import { createHmac, timingSafeEqual } from 'node:crypto';
import type { AdEventName } from '@kush/contracts';

/**
 * What one ad decision handed out: the serving id and everything its tracking needs, in a compact
 * JSON payload. Each tracking URL carries the payload and an HMAC over the payload *and the event*,
 * so a URL can neither be forged, nor altered to another serving id, nor turned into another event.
 */
export interface ServingClaims {
  /** Serving id (uuid v7), also the VAST AdServingId. */
  servingId: string;
  campaignId: string;
  creativeId: string;
  /** Hashed viewer or device key, for caps and unique reach. */
  viewerKey: string;
  /** Decision time, Unix seconds: the frequency-cap buckets are derived from it. */
  issuedAt: number;
  /** The impression must arrive before this (Unix seconds): when the reservation lapses. */
  expiresAt: number;
}

const VERSION = 1;
const MAX_PAYLOAD = 1024;
const SIGNATURE = /^[A-Za-z0-9_-]{43}$/;

function mac(secret: string, payload: string, event: AdEventName): string {
  return createHmac('sha256', secret).update(`kush-ad-v${VERSION}.${event}.${payload}`).digest('base64url');
}

export function encodeClaims(claims: ServingClaims): string {
  const { servingId, campaignId, creativeId, viewerKey, issuedAt, expiresAt } = claims;
  return Buffer.from(
    JSON.stringify([VERSION, servingId, campaignId, creativeId, viewerKey, issuedAt, expiresAt]),
  ).toString('base64url');
}

export function signEvent(secret: string, payload: string, event: AdEventName): string {
  return mac(secret, payload, event);
}

/** The claims when the signature is the one this server made for this payload and event; null otherwise. */
export function verifyEvent(
  secret: string,
  payload: string,
  signature: string,
  event: AdEventName,
): ServingClaims | null {
  if (payload.length > MAX_PAYLOAD || !SIGNATURE.test(signature)) return null;
  const expected = Buffer.from(mac(secret, payload, event));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    if (!Array.isArray(parsed) || parsed.length !== 7 || parsed[0] !== VERSION) return null;
    const [, servingId, campaignId, creativeId, viewerKey, issuedAt, expiresAt] = parsed as unknown[];
    if (
      typeof servingId !== 'string' ||
      typeof campaignId !== 'string' ||
      typeof creativeId !== 'string' ||
      typeof viewerKey !== 'string' ||
      !Number.isSafeInteger(issuedAt) ||
      !Number.isSafeInteger(expiresAt)
    )
      return null;
    return {
      servingId,
      campaignId,
      creativeId,
      viewerKey,
      issuedAt: issuedAt as number,
      expiresAt: expiresAt as number,
    };
  } catch {
    return null;
  }
}
