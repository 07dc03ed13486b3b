import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { AppError } from '@kush/contracts';

/**
 * What a playback token grants: one revision of one video, for one title and viewer, up to one
 * picture height, until `exp`.
 */
export interface PlaybackGrant {
  videoId: string;
  revision: number;
  titleId: string;
  episodeId: string | null;
  userId: string | null;
  profileId: string | null;
  /** Unix seconds. */
  exp: number;
  /**
   * The tallest rendition (nominal height) the token may fetch: the plan's maximum quality lowered
   * by the profile's data saver. Signed with the rest, so the stream can enforce it per request
   * without asking the database.
   */
  maxHeight: number;
}

/** A grant to sign; without an explicit maxHeight a token never grants more than the free plan's quality. */
export type PlaybackGrantInput = Omit<PlaybackGrant, 'maxHeight'> & { maxHeight?: number };

/** The free plan's quality (FREE_DEFAULTS.maxQuality): the cap of a grant that does not name one. */
const DEFAULT_MAX_HEIGHT = 720;

// p2 added maxHeight; p1 tokens (no cap) fail the signature check and the player starts a new session.
const VERSION = 'p2';

function sign(payload: string, secret: string): string {
  return createHmac('sha256', secret).update(`${VERSION}.${payload}`).digest('base64url');
}

export function issuePlaybackToken(grant: PlaybackGrantInput, secret: string): string {
  const maxHeight = grant.maxHeight ?? DEFAULT_MAX_HEIGHT;
  if (!Number.isSafeInteger(maxHeight) || maxHeight <= 0) throw new Error('maxHeight must be a positive integer');
  const payload = Buffer.from(
    JSON.stringify([
      grant.videoId,
      grant.revision,
      grant.titleId,
      grant.episodeId,
      grant.userId,
      grant.profileId,
      grant.exp,
      maxHeight,
      // Each start is its own stream: two starts of one title by one account in the same second
      // must not share a token (the concurrent-stream limit counts tokens).
      randomBytes(6).toString('base64url'),
    ]),
  ).toString('base64url');
  return `${payload}.${sign(payload, secret)}`;
}

const forbidden = () => new AppError('FORBIDDEN', 'This playback link is not valid or has expired.');

/** Checks the signature (constant time) and the expiry; any tampering or expiry is a 403. */
export function verifyPlaybackToken(token: string, secret: string, now = Date.now()): PlaybackGrant {
  const dot = token.indexOf('.');
  if (dot <= 0 || token.length > 1000) throw forbidden();
  const payload = token.slice(0, dot);
  const given = Buffer.from(token.slice(dot + 1));
  const expected = Buffer.from(sign(payload, secret));
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw forbidden();
  let fields: unknown;
  try {
    fields = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw forbidden();
  }
  if (!Array.isArray(fields) || fields.length !== 9) throw forbidden();
  const [videoId, revision, titleId, episodeId, userId, profileId, exp, maxHeight] = fields as [
    string,
    number,
    string,
    string | null,
    string | null,
    string | null,
    number,
    number,
  ];
  if (typeof exp !== 'number' || exp * 1000 <= now) throw forbidden();
  if (!Number.isSafeInteger(maxHeight) || maxHeight <= 0) throw forbidden();
  return { videoId, revision, titleId, episodeId, userId, profileId, exp, maxHeight };
}
