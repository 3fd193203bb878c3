import type * as z from 'zod';
import { ValidationError } from '../../domain/errors';

/**
 * A page cursor: the base64url JSON of the page's last key, as the next page's request sends it
 * back. Only the data layer reads it; each store checks that it names a page of the caller's query.
 */
export function encodeCursor(key: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/** The key a cursor holds, when it is base64url of at most 2,000 characters whose JSON the schema accepts. */
export function parseCursor<S extends z.ZodType>(cursor: string, schema: S): z.output<S> | undefined {
  if (!/^[A-Za-z0-9_-]{1,2000}$/.test(cursor)) return undefined;
  try {
    const parsed = schema.safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** The 400 of a cursor that is not the `nextCursor` of the previous page. */
export const invalidCursor = (): ValidationError =>
  new ValidationError([
    {
      path: 'query.cursor',
      message: { vi: 'Con trỏ trang không hợp lệ: hãy dùng đúng nextCursor của trang trước.', en: 'Invalid cursor: send the nextCursor of the previous page.' },
    },
  ]);
