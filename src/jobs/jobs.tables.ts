import { sql } from 'drizzle-orm';
import { bigserial, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

export const jobStatuses = ['queued', 'running', 'succeeded', 'dead', 'cancelled'] as const;
export type JobStatus = (typeof jobStatuses)[number];

/** Attempts a job gets unless its enqueue says otherwise. */
export const DEFAULT_MAX_ATTEMPTS = 5;

export const jobs = pgTable(
  'jobs',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    kind: text('kind').notNull(),
    payload: jsonb('payload').$type<unknown>().notNull(),
    status: text('status').$type<JobStatus>().notNull().default('queued'),
    idempotencyKey: text('idempotency_key'),
    runAt: timestamp('run_at', { withTimezone: true }).notNull().defaultNow(),
    attempts: integer('attempts').notNull().default(0),
    maxAttempts: integer('max_attempts').notNull().default(DEFAULT_MAX_ATTEMPTS),
    lastError: text('last_error'),
    progress: jsonb('progress').$type<Record<string, unknown>>(),
    lockedBy: text('locked_by'),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (table) => [
    uniqueIndex('jobs_idempotency_key_idx').on(table.idempotencyKey),
    // Claiming looks only at work that is waiting or whose lease may have run out.
    index('jobs_claim_idx')
      .on(table.runAt, table.id)
      .where(sql`status in ('queued', 'running')`),
    index('jobs_status_idx').on(table.status, table.kind),
    // Pruning takes the oldest finished jobs without reading the ones still kept.
    index('jobs_finished_idx')
      .on(table.finishedAt)
      .where(sql`status in ('succeeded', 'cancelled')`),
  ],
);
