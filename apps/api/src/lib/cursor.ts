import { createHash } from 'node:crypto';
import { AppError } from '@kush/contracts';

/**
 * Opaque cursors, one format for every list: the last row's sort key, bound to the listing it came
 * from (`scope`: route, filters, sort) and sealed with a checksum, so an edited cursor or one
 * reused on another listing is a 400. Cursors are not secrets and grant nothing: every page still
 * applies its own access rules. Keys are strings so that they survive the round trip exactly.
 */
export function encodePageCursor(scope: string, key: readonly string[]): string {
  const payload = Buffer.from(JSON.stringify({ s: digest(scope, 12), k: key })).toString('base64url');
  return `${payload}.${digest(payload, 16)}`;
}

export function decodePageCursor(cursor: string, scope: string, length: number): string[] {
  const [payload, check, extra] = cursor.split('.');
  if (payload && check && extra === undefined && digest(payload, 16) === check) {
    try {
      const parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { s?: unknown; k?: unknown };
      const key = parsed.k;
      if (
        parsed.s === digest(scope, 12) &&
        Array.isArray(key) &&
        key.length === length &&
        key.every((part) => typeof part === 'string' && part.length <= 300)
      ) {
        return key as string[];
      }
    } catch {
      // refused below
    }
  }
  throw invalidCursor();
}

export function invalidCursor(): AppError {
  return new AppError('VALIDATION_FAILED', 'The cursor is not valid; start again from the first page.', [
    { in: 'querystring', path: 'cursor', message: 'is not a valid cursor' },
  ]);
}

function digest(text: string, length: number): string {
  return createHash('sha256').update(text).digest('base64url').slice(0, length);
}

/** Keyset position for newest-first lists: a timestamp and a uuid tie-breaker. */
export interface TimeKey {
  createdAt: Date;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TIME_SCOPE = 'newest-first';

export function encodeTimeCursor(row: TimeKey): string {
  return encodePageCursor(TIME_SCOPE, [row.createdAt.toISOString(), row.id]);
}

export function decodeTimeCursor(cursor: string): TimeKey {
  const [t, id] = decodePageCursor(cursor, TIME_SCOPE, 2) as [string, string];
  const createdAt = new Date(t);
  if (Number.isNaN(createdAt.getTime()) || !UUID.test(id)) throw invalidCursor();
  return { createdAt, id };
}

export const decodeAfter = (cursor: string | undefined): TimeKey | undefined =>
  cursor ? decodeTimeCursor(cursor) : undefined;

/**
 * Rows were fetched with limit + 1: the extra row only says whether another page exists.
 * Timestamps are written from JS (millisecond precision), so cursors round-trip exactly.
 */
export function toPage<R, T>(rows: R[], limit: number, map: (row: R) => T, key: (row: R) => TimeKey) {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map(map),
    nextCursor: rows.length > limit && last ? encodeTimeCursor(key(last)) : null,
  };
}
