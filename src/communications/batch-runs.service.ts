import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import { and, count, desc, eq, inArray, sql } from 'drizzle-orm';
import type { AuditTrail } from '../audit/audit.service.js';
import { authorize } from '../auth/policy.js';
import type { SegmentsService } from '../customers/segments.service.js';
import { rows, type Database } from '../db/database.js';
import type { JobQueue } from '../jobs/job-queue.js';
import type { Actor } from '../shared/actor.js';
import { actorLabel } from '../shared/actor.js';
import type { Clock } from '../shared/clock.js';
import { AppError, notFound } from '../shared/errors.js';
import { assertSendData } from '../templates/send-data.js';
import type { TemplatesService } from '../templates/templates.service.js';
import { segments } from '../customers/customers.tables.js';
import { templates } from '../templates/templates.tables.js';
import { batchRuns, communications, finalStatuses, type BatchRunStatus } from './communications.tables.js';
import { DELIVER_JOB } from './delivery.pipeline.js';

export const EXPAND_RUN_JOB = 'batch_run.expand';
const PAGE = 500;

export type BatchRunsService = ReturnType<typeof createBatchRunsService>;

export function createBatchRunsService(deps: {
  db: Database;
  audit: Pick<AuditTrail, 'record'>;
  clock: Clock;
  queue: Pick<JobQueue, 'enqueue' | 'notifyEnqueued' | 'refreshStatistics'>;
  templates: Pick<TemplatesService, 'sendable'>;
  segments: Pick<SegmentsService, 'get' | 'members' | 'count'>;
}) {
  const { db, audit, clock } = deps;

  async function get(id: string) {
    const [run] = await db.select().from(batchRuns).where(eq(batchRuns.id, id));
    if (!run) throw notFound('batch run', id);
    return run;
  }

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

  /** Counts by status and channel, with the template's and segment's names; a run whose items are all final is completed here. */
  async function progress(id: string) {
    const [named] = await db
      .select({ run: batchRuns, templateName: templates.name, segmentName: segments.name })
      .from(batchRuns)
      .innerJoin(templates, eq(templates.id, batchRuns.templateId))
      .leftJoin(segments, eq(segments.id, batchRuns.segmentId))
      .where(eq(batchRuns.id, id));
    if (!named) throw notFound('batch run', id);
    const { run, templateName, segmentName } = named;
    const byStatus = await db
      .select({
        status: communications.status,
        channel: communications.channel,
        n: count(),
        printQueued: sql<number>`(count(*) filter (where ${communications.transport} = 'print'))::int`,
        // A large run's cost passes 2^31 millicents; bigint, read back as a number (exact below 2^53).
        cost: sql<number>`coalesce(sum(${communications.costMillicents}), 0)::bigint`.mapWith(Number),
      })
      .from(communications)
      .where(eq(communications.batchRunId, id))
      .groupBy(communications.status, communications.channel);
    const statuses: Record<string, number> = {};
    const channels: Record<string, number> = {};
    let final = 0;
    let costMillicents = 0;
    for (const row of byStatus) {
      costMillicents += row.cost;
      statuses[row.status] = (statuses[row.status] ?? 0) + row.n;
      if (row.channel) channels[row.channel] = (channels[row.channel] ?? 0) + row.n;
      // A rendered letter is done for the run once it waits in the print queue, not before.
      final += finalStatuses.includes(row.status) ? row.n : row.status === 'rendered' ? row.printQueued : 0;
    }
    let { status, finishedAt } = run;
    if (
      status === 'running' &&
      run.cursor === null &&
      run.created === run.total &&
      final === run.created &&
      run.startedAt
    ) {
      [{ status, finishedAt }] = (await db
        .update(batchRuns)
        .set({ status: 'completed', finishedAt: clock.now() })
        .where(and(eq(batchRuns.id, id), eq(batchRuns.status, 'running')))
        .returning()) as [typeof run];
    }
    return {
      ...run,
      status,
      finishedAt,
      templateName,
      segmentName: segmentName ?? null,
      statuses,
      channels,
      costMillicents,
      done: final,
      percent: run.total ? Math.round((final / run.total) * 1000) / 10 : 100,
    };
  }

  return {
    get: (actor: Actor, id: string) => {
      authorize(actor, 'customers.read');
      return progress(id);
    },

    /** The latest runs with their template's and segment's names. */
    async list(actor: Actor) {
      authorize(actor, 'customers.read');
      const latest = await db
        .select({ run: batchRuns, templateName: templates.name, segmentName: segments.name })
        .from(batchRuns)
        .innerJoin(templates, eq(templates.id, batchRuns.templateId))
        .leftJoin(segments, eq(segments.id, batchRuns.segmentId))
        .orderBy(desc(batchRuns.createdAt))
        .limit(100);
      // A run completes when its last item is final; nobody may have watched it, so settle it here.
      const settled = (row: (typeof latest)[number]) =>
        row.run.status === 'running' && row.run.cursor === null && row.run.created === row.run.total;
      return Promise.all(
        latest.map(async (row) => ({
          ...(settled(row) ? await progress(row.run.id) : row.run),
          templateName: row.templateName,
          segmentName: row.segmentName,
        })),
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
      const scheduledAt = input.scheduledAt ?? clock.now();
      return db.transaction(async (tx) => {
        const [run] = await tx
          .insert(batchRuns)
          .values({
            templateId: template.id,
            templateVersionId: version.id,
            segmentId: segment.id,
            data,
            scheduledAt,
            total,
            createdBy: actorLabel(actor),
            status: scheduledAt > clock.now() ? 'scheduled' : 'running',
          })
          .returning();
        await deps.queue.enqueue(tx, { kind: EXPAND_RUN_JOB, payload: { runId: run!.id }, runAt: scheduledAt });
        await audit.record(tx, actor, {
          action: 'batch_run.started',
          entityType: 'batch_run',
          entityId: run!.id,
          summary: { template: template.key, version: version.number, segment: segment.name, total },
        });
        return run!;
      });
    },

    /** The run's progress now and then every second, until it ends or the caller stops listening. */
    async *follow(actor: Actor, id: string, stop: AbortSignal) {
      authorize(actor, 'customers.read');
      while (!stop.aborted) {
        const current = await progress(id);
        yield current;
        if (current.status === 'completed' || current.status === 'cancelled') return;
        await sleep(1_000, undefined, { signal: stop }).catch(() => {});
      }
    },

    pause: (actor: Actor, id: string) => setStatus(actor, id, ['running', 'scheduled'], 'paused'),
    resume: (actor: Actor, id: string) => setStatus(actor, id, ['paused'], 'resumed'),
    cancel: (actor: Actor, id: string) => setStatus(actor, id, ['running', 'scheduled', 'paused'], 'cancelled'),
    progress,

    /**
     * Walks the segment in id order a page at a time. Each page's communications and their delivery
     * jobs are inserted with the run's cursor in one transaction, so a crash resumes after the last
     * page and a unique (run, customer) index keeps it to one communication per customer.
     */
    async expand(runId: string, reportProgress: (progress: Record<string, unknown>) => Promise<void>) {
      for (;;) {
        const run = await get(runId);
        if (run.status === 'paused' || run.status === 'cancelled' || run.status === 'completed') return;
        if (run.status === 'scheduled' || !run.startedAt)
          await db
            .update(batchRuns)
            .set({ status: 'running', startedAt: run.startedAt ?? clock.now() })
            .where(eq(batchRuns.id, runId));
        const [template] = await db
          .select({ purpose: templates.purpose })
          .from(templates)
          .where(eq(templates.id, run.templateId));
        const page = await deps.segments.members(run.segmentId, { afterId: run.cursor ?? undefined, pageSize: PAGE });
        if (page.length === 0) {
          // Customers who joined or left the segment since the start change the total to what was created.
          await db.update(batchRuns).set({ cursor: null, total: run.created }).where(eq(batchRuns.id, runId));
          await deps.queue.refreshStatistics();
          return;
        }
        // One array parameter (drizzle would spread a JS array into a row of parameters).
        const ids = page.map((customer) => customer.id);
        await db.transaction(async (tx) => {
          const inserted = await rows<{ id: string }>(
            tx,
            sql`with created as (
                  insert into communications (customer_id, template_id, template_version_id, purpose, batch_run_id, data, created_by)
                  select c.id, ${run.templateId}, ${run.templateVersionId}, ${template!.purpose}, ${runId}, ${JSON.stringify(run.data)}::jsonb, ${`batch run ${runId}`}
                  from customers c where c.id = any(${`{${ids.join(',')}}`}::uuid[])
                  on conflict (batch_run_id, customer_id) where batch_run_id is not null do nothing
                  returning id)
                insert into jobs (kind, payload, max_attempts)
                select ${DELIVER_JOB}, jsonb_build_object('communicationId', id), 8 from created
                returning id`,
          );
          await tx
            .update(batchRuns)
            .set({ cursor: ids[ids.length - 1], created: sql`${batchRuns.created} + ${inserted.length}` })
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
