import { and, desc, eq, lt, or, sql } from 'drizzle-orm';
import type { Database, Executor } from '../db/database.js';
import type { Clock } from '../shared/clock.js';
import { timelineEntries } from './timeline.tables.js';

export type TimelineEntryInput = {
  customerId: string;
  kind: string;
  title: string;
  body?: string;
  subjectType?: string;
  subjectId?: string;
  data?: Record<string, unknown>;
  actorLabel?: string;
  at?: Date;
};

export type TimelineCursor = { at: Date; id: string };

export const encodeCursor = (cursor: TimelineCursor) =>
  Buffer.from(`${cursor.at.toISOString()}|${cursor.id}`).toString('base64url');

export function decodeCursor(value: string): TimelineCursor | undefined {
  const [at, id] = Buffer.from(value, 'base64url').toString().split('|');
  const date = at ? new Date(at) : undefined;
  return date && !Number.isNaN(date.getTime()) && id ? { at: date, id } : undefined;
}

export type Timeline = ReturnType<typeof createTimeline>;

/** Every domain appends its touchpoints here, in the transaction that made them. */
export function createTimeline({ db, clock }: { db: Database; clock: Clock }) {
  return {
    async append(tx: Executor, entry: TimelineEntryInput) {
      const [row] = await tx
        .insert(timelineEntries)
        .values({ ...entry, at: entry.at ?? clock.now(), data: entry.data ?? {} })
        .returning();
      return row!;
    },

    /** Newest first, in pages; the cursor is opaque to callers. */
    async page(customerId: string, options: { cursor?: TimelineCursor; limit: number; kind?: string }) {
      const { cursor, limit } = options;
      const rows = await db
        .select()
        .from(timelineEntries)
        .where(
          and(
            eq(timelineEntries.customerId, customerId),
            options.kind ? eq(timelineEntries.kind, options.kind) : undefined,
            cursor
              ? or(
                  lt(timelineEntries.at, cursor.at),
                  and(eq(timelineEntries.at, cursor.at), lt(timelineEntries.id, cursor.id)),
                )
              : undefined,
          ),
        )
        .orderBy(desc(timelineEntries.at), desc(timelineEntries.id))
        .limit(limit + 1);
      const entries = rows.slice(0, limit);
      const last = entries[entries.length - 1];
      return { entries, nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
    },

    /** Moves one customer's whole timeline to another (a merge). */
    async move(tx: Executor, fromCustomerId: string, toCustomerId: string) {
      const moved = await tx
        .update(timelineEntries)
        .set({ customerId: toCustomerId })
        .where(eq(timelineEntries.customerId, fromCustomerId))
        .returning({ id: timelineEntries.id });
      return moved.length;
    },

    async count(executor: Executor, customerId: string) {
      const [row] = await executor
        .select({ n: sql<number>`count(*)::int` })
        .from(timelineEntries)
        .where(eq(timelineEntries.customerId, customerId));
      return row!.n;
    },
  };
}
