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
