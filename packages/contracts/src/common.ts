import { z } from 'zod';

export const ErrorBody = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      details: z.unknown().optional(),
      requestId: z.string(),
    }),
  })
  .meta({ id: 'Error' });
export type ErrorBody = z.infer<typeof ErrorBody>;

/** The body schema of a 204 answer. */
export const NoContent = z.null().describe('No content');

export const Uuid = z.uuid();
export const IdParams = z.strictObject({ id: z.uuid() });

export const Timestamp = z.iso.datetime({ offset: true });

/** Cursor pagination: opaque cursors, bounded page sizes. */
export const PageQuery = z.object({
  cursor: z.string().max(512).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

export const Ok = z.object({ ok: z.literal(true) });
