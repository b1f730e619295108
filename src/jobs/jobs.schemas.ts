import { createSelectSchema } from 'drizzle-zod';
import { z } from 'zod';
import { cursorParam, nextCursor, pageSize } from '../http/schemas.js';
import { jobs, jobStatuses, type JobStatus } from './jobs.tables.js';

// Picked from the table, so the lease (lockedUntil) stays inside; the JSON columns are typed here.
export const jobResponse = createSelectSchema(jobs)
  .pick({
    id: true,
    kind: true,
    idempotencyKey: true,
    runAt: true,
    attempts: true,
    maxAttempts: true,
    lastError: true,
    lockedBy: true,
    createdAt: true,
    startedAt: true,
    finishedAt: true,
  })
  .extend({
    status: z.enum(jobStatuses),
    payload: z.unknown(),
    progress: z.record(z.string(), z.unknown()).nullable(),
  })
  .describe('Job');

export const jobIdParam = z.strictObject({ id: z.coerce.number().int().positive() });

export const listJobsQuery = z.strictObject({
  status: z.enum(jobStatuses).optional(),
  kind: z.string().max(100).optional(),
  cursor: cursorParam,
  limit: pageSize,
});

/** Every status by name (a record keyed by an enum documents only as a map of strings). */
const countsByStatus = z.object(
  Object.fromEntries(jobStatuses.map((status) => [status, z.number().int()])) as Record<JobStatus, z.ZodNumber>,
);

export const jobListResponse = z.object({ jobs: z.array(jobResponse), nextCursor, counts: countsByStatus });
