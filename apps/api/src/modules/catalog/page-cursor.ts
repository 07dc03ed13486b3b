import { createHash } from 'node:crypto';
import { AppError } from '@kush/contracts';

/**
 * Opaque catalog cursors: the last row's sort key, bound to the listing it came from (route,
 * filters, sort) and sealed with a checksum, so an edited cursor or one reused on another listing
 * is refused with 400. Cursors are not secrets and grant nothing: every page still applies
 * visibility and maturity. Keys are strings so that they survive the round trip exactly.
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
