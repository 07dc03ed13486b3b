import { decodeTimeCursor, encodeTimeCursor } from '../../lib/cursor';

/** Keyset position for newest-first lists: a timestamp and a uuid tie-breaker. */
export interface TimeKey {
  createdAt: Date;
  id: string;
}

export const decodeAfter = (cursor: string | undefined): TimeKey | undefined =>
  cursor ? decodeTimeCursor(cursor) : undefined;

/**
 * Rows were fetched with limit + 1: the extra row only says whether another page exists.
 * Timestamps in these tables are written from JS (millisecond precision) so cursors round-trip exactly.
 */
export function toPage<R, T>(rows: R[], limit: number, map: (row: R) => T, key: (row: R) => TimeKey) {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map(map),
    nextCursor: rows.length > limit && last ? encodeTimeCursor(key(last)) : null,
  };
}
