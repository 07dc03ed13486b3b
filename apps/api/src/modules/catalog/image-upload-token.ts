import { createHmac, timingSafeEqual } from 'node:crypto';
import { AppError } from '@kush/contracts';
import type { ImageSlot } from './images.repository';

/**
 * The upload id staff send to …/complete: which staging object belongs to which image slot, and
 * how many bytes were announced, signed by the server so no table has to remember pending uploads
 * and a client cannot point a completion at another object, owner or size.
 */
export interface ImageUploadGrant {
  /** Names the staging object (images/staging/<uploadId>). */
  uploadId: string;
  owner: ImageSlot['owner'];
  ownerId: string;
  kind: ImageSlot['kind'];
  size: number;
  /** Unix seconds. */
  exp: number;
}

const VERSION = 'i1';
const FIELDS = 6;

function sign(payload: string, secret: string): string {
  // A purpose-bound key: these tokens can never pass for playback tokens or storage signatures.
  const key = createHmac('sha256', secret).update('kush image upload').digest();
  return createHmac('sha256', key).update(`${VERSION}.${payload}`).digest('base64url');
}

export function issueImageUploadToken(grant: ImageUploadGrant, secret: string): string {
  const payload = Buffer.from(
    JSON.stringify([grant.uploadId, grant.owner, grant.ownerId, grant.kind, grant.size, grant.exp]),
  ).toString('base64url');
  return `${payload}.${sign(payload, secret)}`;
}

const invalid = () =>
  new AppError('BAD_REQUEST', 'This upload id is not valid or has expired; start the upload again.', {
    reason: 'invalid_upload_id',
  });

/** Checks the signature (constant time) and the expiry; anything else is a 400. */
export function verifyImageUploadToken(token: string, secret: string, now = Date.now()): ImageUploadGrant {
  const dot = token.indexOf('.');
  if (dot <= 0 || token.length > 1000) throw invalid();
  const payload = token.slice(0, dot);
  const given = Buffer.from(token.slice(dot + 1));
  const expected = Buffer.from(sign(payload, secret));
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid();
  let fields: unknown;
  try {
    fields = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(fields) || fields.length !== FIELDS) throw invalid();
  const [uploadId, owner, ownerId, kind, size, exp] = fields as [
    string,
    ImageSlot['owner'],
    string,
    ImageSlot['kind'],
    number,
    number,
  ];
  if (typeof exp !== 'number' || exp * 1000 <= now) throw invalid();
  return { uploadId, owner, ownerId, kind, size, exp };
}
