import { createHmac, timingSafeEqual } from 'node:crypto';
import { type AccessDeniedReason, StorageAccessError } from './errors';

/**
 * HMAC-SHA256 signatures for the local driver's URLs. A signature covers the method, the storage
 * key, the expiry and every scoping parameter (content type and length of a PUT, upload id and part
 * number of a part, content disposition of a GET), so a URL cannot be replayed for another key,
 * verb, upload or part, nor kept alive past its expiry.
 */

const VERSION = 'kush-storage-v1';
const EXPIRY = /^\d{1,12}$/;
const SIGNATURE = /^[A-Za-z0-9_-]{43}$/;

export type SignedParams = Record<string, string>;

export const MIN_SECRET_LENGTH = 32;

function payload(method: string, path: string, expiresAt: number, extra: SignedParams): string {
  // JSON keeps the fields unambiguous whatever characters they hold.
  const params = Object.entries(extra).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify([VERSION, method.toUpperCase(), path, expiresAt, params]);
}

function mac(secret: string, data: string): Buffer {
  return createHmac('sha256', secret).update(data).digest();
}

/** Signs a request; `expiresAt` is in Unix seconds. Returns the base64url signature. */
export function signPath(
  method: string,
  path: string,
  expiresAt: number,
  secret: string,
  extra: SignedParams = {},
): string {
  if (secret.length < MIN_SECRET_LENGTH) throw new Error(`signing secret must be at least ${MIN_SECRET_LENGTH} chars`);
  if (!Number.isSafeInteger(expiresAt) || expiresAt < 0) throw new Error('expiresAt must be Unix seconds');
  return mac(secret, payload(method, path, expiresAt, extra)).toString('base64url');
}

export type VerifyResult = { ok: true } | { ok: false; reason: AccessDeniedReason };

export interface VerifyInput {
  method: string;
  path: string;
  /** The `exp` query value as received. */
  expiresAt: string | undefined;
  /** The `sig` query value as received. */
  signature: string | undefined;
  secret: string;
  extra?: SignedParams;
  /** Milliseconds since the epoch. */
  now?: number;
}

/**
 * Checks a signature in constant time, then its expiry. An altered expiry fails as `invalid`, not
 * `expired`, because the signature is checked first.
 */
export function verify(input: VerifyInput): VerifyResult {
  const { expiresAt, signature } = input;
  if (expiresAt === undefined || signature === undefined || expiresAt === '' || signature === '') {
    return { ok: false, reason: 'missing' };
  }
  if (!EXPIRY.test(expiresAt) || !SIGNATURE.test(signature)) return { ok: false, reason: 'malformed' };
  // Compare the encoded text, not decoded bytes: base64url's last character carries two spare bits,
  // so decoding would accept four spellings of one signature.
  const expected = Buffer.from(
    mac(input.secret, payload(input.method, input.path, Number(expiresAt), input.extra ?? {})).toString('base64url'),
  );
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'invalid' };
  if (Number(expiresAt) * 1000 <= (input.now ?? Date.now())) return { ok: false, reason: 'expired' };
  return { ok: true };
}

/** verify, throwing StorageAccessError (403) on any failure. */
export function assertSigned(input: VerifyInput): void {
  const result = verify(input);
  if (!result.ok) throw new StorageAccessError(result.reason);
}
