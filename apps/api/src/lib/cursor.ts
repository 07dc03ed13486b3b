import { AppError } from '@kush/contracts';

/** Opaque keyset cursors: base64url JSON of the last row's sort key. Clients never parse them. */
export function encodeCursor(key: Record<string, string | number>): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor<K extends string>(cursor: string, fields: readonly K[]): Record<K, string> {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (parsed && typeof parsed === 'object') {
      const out = {} as Record<K, string>;
      for (const f of fields) {
        const v = (parsed as Record<string, unknown>)[f];
        if (typeof v !== 'string' && typeof v !== 'number') throw new Error('missing');
        out[f] = String(v);
      }
      return out;
    }
  } catch {
    // fall through
  }
  throw new AppError('VALIDATION_FAILED', 'The cursor is not valid; start again from the first page.', [
    { in: 'querystring', path: 'cursor', message: 'is not a valid cursor' },
  ]);
}

export function decodeTimeCursor(cursor: string): { createdAt: Date; id: string } {
  const { t, id } = decodeCursor(cursor, ['t', 'id'] as const);
  const createdAt = new Date(t);
  if (Number.isNaN(createdAt.getTime()) || !/^[0-9a-f-]{36}$/i.test(id)) {
    throw new AppError('VALIDATION_FAILED', 'The cursor is not valid; start again from the first page.');
  }
  return { createdAt, id };
}

export function encodeTimeCursor(row: { createdAt: Date; id: string }): string {
  return encodeCursor({ t: row.createdAt.toISOString(), id: row.id });
}
