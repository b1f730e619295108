import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import { and, count, desc, eq, inArray, sql } from 'drizzle-orm';
import type { AuditTrail } from '../audit/audit.service.js';
import { authorize } from '../auth/policy.js';
import type { SegmentsService } from '../customers/segments.service.js';
import { rows, uuidArray, type Database } from '../db/database.js';
import type { JobQueue } from '../jobs/job-queue.js';
import type { Actor } from '../shared/actor.js';
import { actorLabel } from '../shared/actor.js';
import type { Clock } from '../shared/clock.js';
import { AppError, notFound } from '../shared/errors.js';
import { assertSendData } from '../templates/send-data.js';
import type { TemplatesService } from '../templates/templates.service.js';
import { segments } from '../customers/customers.tables.js';
import { templates, templateVersions } from '../templates/templates.tables.js';
import {
  batchRuns,
  communications,
  finalStatuses,
  waitsForPrint,
  type BatchRunStatus,
} from './communications.tables.js';
import { deliverJob } from './delivery-batch.js';
import { correctionAudience, received } from './version-recipients.js';

export const EXPAND_RUN_JOB = 'batch_run.expand';
const PAGE = 500;

export type BatchRunsService = ReturnType<typeof createBatchRunsService>;

export function createBatchRunsService(deps: {
  db: Database;
  audit: Pick<AuditTrail, 'record'>;
  clock: Clock;
  queue: Pick<JobQueue, 'enqueue' | 'enqueueMany' | 'notifyEnqueued' | 'refreshStatistics'>;
  templates: Pick<TemplatesService, 'sendable'>;
  segments: Pick<SegmentsService, 'get' | 'members' | 'count'>;
}) {
  const { db, audit, clock } = deps;

  async function get(id: string) {
    const [run] = await db.select().from(batchRuns).where(eq(batchRuns.id, id));
    if (!run) throw notFound('batch run', id);
    return run;
  }

  /** A run with the names a person reads it by: template, version sent, and its audience. */
  const namedRuns = () =>
    db
      .select({
        run: batchRuns,
        templateName: templates.name,
        versionNumber: templateVersions.number,
        segmentName: segments.name,
        correctsVersionNumbers: sql<
          number[] | null
        >`(select array_agg(v.number order by v.number) from template_versions v where v.id = any(${batchRuns.correctsVersionIds}))`,
      })
      .from(batchRuns)
      .innerJoin(templates, eq(templates.id, batchRuns.templateId))
      .innerJoin(templateVersions, eq(templateVersions.id, batchRuns.templateVersionId))
      .leftJoin(segments, eq(segments.id, batchRuns.segmentId));

  async function setStatus(actor: Actor, id: string, from: BatchRunStatus[], to: 'paused' | 'cancelled' | 'resumed') {
    authorize(actor, 'runs.manage');
    return db.transaction(async (tx) => {
      const now = clock.now();
      // A run paused before its start time goes back to waiting for it.
      const resumedStatus = sql`case when ${batchRuns.startedAt} is null and ${batchRuns.scheduledAt} > ${now} then 'scheduled' else 'running' end`;
      const [run] = await tx
        .update(batchRuns)
        .set({ status: to === 'resumed' ? resumedStatus : to, finishedAt: to === 'cancelled' ? now : undefined })
        .where(and(eq(batchRuns.id, id), inArray(batchRuns.status, from)))
        .returning();
      if (!run) {
        const [current] = await tx.select({ status: batchRuns.status }).from(batchRuns).where(eq(batchRuns.id, id));
        if (!current) throw notFound('batch run', id);
        throw new AppError(
          'conflict',
          'batch_run.wrong_status',
          `Batch run ${id} is ${current.status}; it must be ${from.join(' or ')} to be ${to}.`,
        );
      }
      if (to === 'resumed')
        await deps.queue.enqueue(tx, {
          kind: EXPAND_RUN_JOB,
          payload: { runId: id },
          runAt: run.status === 'scheduled' ? run.scheduledAt : undefined,
        });
      await audit.record(tx, actor, { action: `batch_run.${to}`, entityType: 'batch_run', entityId: id });
      return run;
    });
  }

  /**
   * Counts by status and channel, with the names of template and audience. A run whose items are
   * all final is completed here; one whose other items are final while letters wait for the print
   * batch is awaiting print (the print batch completes it).
   */
  async function progress(id: string) {
    const [named] = await namedRuns().where(eq(batchRuns.id, id));
    if (!named) throw notFound('batch run', id);
    const { run, ...names } = named;
    const byStatus = await db
      .select({
        status: communications.status,
        channel: communications.channel,
        n: count(),
        // A large run's cost passes 2^31 millicents; bigint, read back as a number (exact below 2^53).
        cost: sql<number>`coalesce(sum(${communications.costMillicents}), 0)::bigint`.mapWith(Number),
      })
      .from(communications)
      .where(eq(communications.batchRunId, id))
      .groupBy(communications.status, communications.channel);
    const statuses: Record<string, number> = {};
    const channels: Record<string, number> = {};
    let final = 0;
    let awaitingPrint = 0;
    let costMillicents = 0;
    for (const row of byStatus) {
      costMillicents += row.cost;
      statuses[row.status] = (statuses[row.status] ?? 0) + row.n;
      if (row.channel) channels[row.channel] = (channels[row.channel] ?? 0) + row.n;
      if (finalStatuses.includes(row.status)) final += row.n;
      else if (waitsForPrint(row)) awaitingPrint += row.n;
    }
    // A letter in the print queue is done for the run's own work, not yet for its customer.
    const done = final + awaitingPrint;
    let { status, finishedAt } = run;
    const expanded = run.cursor === null && run.created === run.total && run.startedAt !== null;
    const settled: BatchRunStatus | undefined =
      !expanded || done !== run.created || (status !== 'running' && status !== 'awaiting_print')
        ? undefined
        : awaitingPrint > 0
          ? 'awaiting_print'
          : 'completed';
    if (settled && settled !== status) {
      const [moved] = await db
        .update(batchRuns)
        .set({ status: settled, finishedAt: settled === 'completed' ? clock.now() : null })
        .where(and(eq(batchRuns.id, id), eq(batchRuns.status, status)))
        .returning();
      if (moved) ({ status, finishedAt } = moved);
    }
    return {
      ...run,
      ...names,
      status,
      finishedAt,
      segmentName: names.segmentName ?? null,
      statuses,
      channels,
      costMillicents,
      awaitingPrint,
      done,
      percent: run.total ? Math.round((done / run.total) * 1000) / 10 : 100,
    };
  }

  /** A run starts (or waits for its time) as a row, a queued expansion and an audit event, in one transaction. */
  function create(
    actor: Actor,
    run: {
      values: Omit<typeof batchRuns.$inferInsert, 'scheduledAt' | 'createdBy' | 'status'>;
      scheduledAt?: Date;
      summary: Record<string, unknown>;
    },
  ) {
    const scheduledAt = run.scheduledAt ?? clock.now();
    return db.transaction(async (tx) => {
      const [created] = await tx
        .insert(batchRuns)
        .values({
          ...run.values,
          scheduledAt,
          createdBy: actorLabel(actor),
          status: scheduledAt > clock.now() ? 'scheduled' : 'running',
        })
        .returning();
      await deps.queue.enqueue(tx, { kind: EXPAND_RUN_JOB, payload: { runId: created!.id }, runAt: scheduledAt });
      await audit.record(tx, actor, {
        action: 'batch_run.started',
        entityType: 'batch_run',
        entityId: created!.id,
        summary: run.summary,
      });
      return created!;
    });
  }

  return {
    get: (actor: Actor, id: string) => {
      authorize(actor, 'runs.read');
      return progress(id);
    },

    /** The latest runs with the names of their template and audience. */
    async list(actor: Actor) {
      authorize(actor, 'runs.read');
      const latest = await namedRuns().orderBy(desc(batchRuns.createdAt)).limit(100);
      // A run completes when its last item is final; nobody may have watched it, so settle it here.
      const unsettled = (run: (typeof latest)[number]['run']) =>
        (run.status === 'running' || run.status === 'awaiting_print') &&
        run.cursor === null &&
        run.created === run.total;
      return Promise.all(
        latest.map(async ({ run, ...names }) =>
          unsettled(run) ? progress(run.id) : { ...run, ...names, segmentName: names.segmentName ?? null },
        ),
      );
    },

    /** Starts (or schedules) a run of a published template over a segment. */
    async start(
      actor: Actor,
      input: { template: string; segmentId: string; data?: Record<string, unknown>; scheduledAt?: Date },
    ) {
      authorize(actor, 'runs.manage');
      const { template, version } = await deps.templates.sendable(db, input.template);
      const data = input.data ?? {};
      assertSendData(version.dataSchema, data);
      const segment = await deps.segments.get(actor, input.segmentId);
      const total = await deps.segments.count(segment.id);
      return create(actor, {
        values: { templateId: template.id, templateVersionId: version.id, segmentId: segment.id, data, total },
        scheduledAt: input.scheduledAt,
        summary: { template: template.key, version: version.number, segment: segment.name, total },
      });
    },

    /**
     * A run over any audience (a segment's, a corrective mailing's), for the services that decide
     * it; they check who may start it and what it sends.
     */
    create,

    /** The run's progress now and then every second, until it ends (or waits for print) or the caller stops listening. */
    async *follow(actor: Actor, id: string, stop: AbortSignal) {
      authorize(actor, 'runs.read');
      while (!stop.aborted) {
        const current = await progress(id);
        yield current;
        if (['completed', 'cancelled', 'awaiting_print'].includes(current.status)) return;
        await sleep(1_000, undefined, { signal: stop }).catch(() => {});
      }
    },

    pause: (actor: Actor, id: string) => setStatus(actor, id, ['running', 'scheduled'], 'paused'),
    resume: (actor: Actor, id: string) => setStatus(actor, id, ['paused'], 'resumed'),
    cancel: (actor: Actor, id: string) => setStatus(actor, id, ['running', 'scheduled', 'paused'], 'cancelled'),
    progress,

    /**
     * Walks the audience (a segment, or the recipients of the corrected versions) in customer id
     * order a page at a time. Each page's communications and their delivery jobs are inserted with
     * the run's cursor in one transaction, so a crash resumes after the last page and a unique
     * (run, customer) index keeps it to one communication per customer.
     */
    async expand(runId: string, reportProgress: (progress: Record<string, unknown>) => Promise<void>) {
      for (;;) {
        // Read again for every page: a run paused or cancelled meanwhile stops here.
        const run = await get(runId);
        if (run.status === 'paused' || run.status === 'cancelled' || run.status === 'completed') return;
        if (run.status === 'scheduled' || !run.startedAt)
          await db
            .update(batchRuns)
            .set({ status: 'running', startedAt: run.startedAt ?? clock.now() })
            .where(eq(batchRuns.id, runId));
        const olderIds = run.correctsVersionIds ?? [];
        const page = run.segmentId
          ? await deps.segments.members(run.segmentId, { afterId: run.cursor ?? undefined, pageSize: PAGE })
          : await rows<{ id: string }>(
              db,
              sql`select distinct o.customer_id as id from ${correctionAudience(olderIds, run.templateVersionId)}
                  ${run.cursor ? sql`and o.customer_id > ${run.cursor}` : sql``}
                  order by 1 limit ${PAGE}`,
            );
        if (page.length === 0) {
          // Customers who joined or left the segment since the start change the total to what was created.
          await db.update(batchRuns).set({ cursor: null, total: run.created }).where(eq(batchRuns.id, runId));
          await deps.queue.refreshStatistics();
          return;
        }
        const ids = page.map((customer) => customer.id);
        await db.transaction(async (tx) => {
          // A corrective mailing carries each customer's data from what they received; a segment run has
          // no prior, and does not look for one among each customer's communications.
          const prior = olderIds.length
            ? sql`(select o.data from communications o
                  where o.customer_id = c.id and o.template_version_id = any(${uuidArray(olderIds)}) and ${received('o')}
                  order by o.created_at desc, o.id desc limit 1)`
            : sql`null::jsonb`;
          const created = await rows<{ id: string }>(
            tx,
            sql`insert into communications (customer_id, template_id, template_version_id, purpose, batch_run_id, data, created_by, created_at)
                select c.id, ${run.templateId}, ${run.templateVersionId},
                       (select t.purpose from ${templates} t where t.id = ${run.templateId}), ${runId},
                       coalesce(${prior}, '{}'::jsonb) || ${JSON.stringify(run.data)}::jsonb, ${`batch run ${runId}`},
                       ${clock.now().toISOString()}::timestamptz
                from customers c
                where c.id = any(${uuidArray(ids)})
                on conflict (batch_run_id, customer_id) where batch_run_id is not null do nothing
                returning id`,
          );
          await deps.queue.enqueueMany(
            tx,
            created.map(({ id }) => deliverJob(id)),
          );
          await tx
            .update(batchRuns)
            .set({ cursor: ids[ids.length - 1], created: sql`${batchRuns.created} + ${created.length}` })
            .where(eq(batchRuns.id, runId));
        });
        deps.queue.notifyEnqueued();
        if (run.created === 0) await deps.queue.refreshStatistics();
        await reportProgress({ created: run.created + page.length, total: run.total });
        // The embedded database works on this thread: let timers, leases and requests in between pages.
        await nextTurn();
      }
    },
  };
}
