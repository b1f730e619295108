import { and, eq, sql } from 'drizzle-orm';
import type { Database, Executor } from '../db/database.js';
import type { Clock } from '../shared/clock.js';
import { keyset } from '../shared/cursor.js';
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

/** Newest first; entries of one merge or import share an instant, so the id breaks the tie. */
const newestFirst = keyset(
  [
    { expression: timelineEntries.at, type: 'timestamptz' },
    { expression: timelineEntries.id, type: 'uuid' },
  ],
  'desc',
);

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

    /**
     * Many entries in one statement, in the caller's transaction (a batch of deliveries, an import
     * batch).
     */
    async appendMany(tx: Executor, entries: TimelineEntryInput[]): Promise<void> {
      if (entries.length === 0) return;
      const now = clock.now();
      const values = entries.map((entry) => ({
        customerId: entry.customerId,
        at: entry.at ?? now,
        kind: entry.kind,
        title: entry.title,
        body: entry.body ?? null,
        subjectType: entry.subjectType ?? null,
        subjectId: entry.subjectId ?? null,
        data: entry.data ?? {},
        actorLabel: entry.actorLabel ?? null,
      }));
      // One JSON parameter whatever the count: a multi-row VALUES list would take nine parameters a row.
      await tx.execute(sql`
        insert into ${timelineEntries} (customer_id, at, kind, title, body, subject_type, subject_id, data, actor_label)
        select v."customerId", v.at, v.kind, v.title, v.body, v."subjectType", v."subjectId", v.data, v."actorLabel"
        from jsonb_to_recordset(${JSON.stringify(values)}::jsonb) as v("customerId" uuid, at timestamptz, kind text,
          title text, body text, "subjectType" text, "subjectId" text, data jsonb, "actorLabel" text)`);
    },

    /** Newest first, in pages; the cursor is opaque to callers. */
    async page(customerId: string, options: { cursor?: string; limit: number; kind?: string }) {
      const rows = await db
        .select({ entry: timelineEntries, position: newestFirst.position })
        .from(timelineEntries)
        .where(
          and(
            eq(timelineEntries.customerId, customerId),
            options.kind ? eq(timelineEntries.kind, options.kind) : undefined,
            newestFirst.after(options.cursor),
          ),
        )
        .orderBy(...newestFirst.orderBy)
        .limit(options.limit + 1);
      const page = newestFirst.page(rows, options.limit);
      return { entries: page.rows.map((row) => row.entry), nextCursor: page.nextCursor };
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
