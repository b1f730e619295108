import { z } from 'zod';

/** The body of every error response. */
export const errorResponse = z
  .object({
    error: z.string().describe('A stable code such as auth.invalid_credentials'),
    message: z.string(),
    details: z.array(z.object({ path: z.string(), message: z.string() })),
  })
  .describe('Error');

export const idParam = z.strictObject({ id: z.uuid() });

export const pageSize = z.coerce.number().int().min(1).max(500).default(50);

/** The paging parameter of every keyset-paged list: the `nextCursor` of the page before. */
export const cursorParam = z.string().max(1000).optional().describe('The nextCursor of the previous page');

/** What every keyset-paged list answers beside its rows: where the next page starts, or null. */
export const nextCursor = z.string().nullable().describe('Pass as `cursor` for the next page; null on the last page');

/** An instant in a query or body: ISO 8601 text, documented as a date-time (a coerced Date documents as nothing). */
export const instant = z.coerce.date().meta({ type: 'string', format: 'date-time' });
