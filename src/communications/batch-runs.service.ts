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
import { assertSendData, dataProblems } from '../templates/send-data.js';
import type { TemplatesService } from '../templates/templates.service.js';
import { segments } from '../customers/customers.tables.js';
import { templates, templateVersions } from '../templates/templates.tables.js';
import { batchRuns, communications, finalStatuses, type BatchRunStatus } from './communications.tables.js';
import { DELIVER_JOB } from './delivery.pipeline.js';
import { correctionAudience, received, uuidArray } from './version-recipients.js';

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
    let awaitingPrint = 0;
    let costMillicents = 0;
    for (const row of byStatus) {
      costMillicents += row.cost;
      statuses[row.status] = (statuses[row.status] ?? 0) + row.n;
      if (row.channel) channels[row.channel] = (channels[row.channel] ?? 0) + row.n;
      if (finalStatuses.includes(row.status)) final += row.n;
      else if (row.status === 'rendered') awaitingPrint += row.printQueued;
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

  /** The published version a corrective mailing sends, and the older versions it corrects, checked. */
  async function correction(input: { correctsVersionIds: string[]; versionId?: string }) {
    const older = await db
      .select({ id: templateVersions.id, templateId: templateVersions.templateId, number: templateVersions.number })
      .from(templateVersions)
      .where(inArray(templateVersions.id, input.correctsVersionIds));
    const missing = input.correctsVersionIds.filter((id) => !older.some((version) => version.id === id));
    if (missing.length)
      throw new AppError('not_found', 'template_version.not_found', `No template version with id ${missing[0]}.`, [
        { path: 'body.correctsVersionIds', message: `has no template version ${missing.join(', ')}` },
      ]);
    const templateIds = new Set(older.map((version) => version.templateId));
    if (templateIds.size > 1)
      throw new AppError(
        'validation_failed',
        'batch_run.several_templates',
        'A corrective mailing corrects versions of one template.',
        [{ path: 'body.correctsVersionIds', message: 'are versions of different templates' }],
      );
    const { template, version } = await deps.templates.sendable(db, older[0]!.templateId);
    if (input.versionId && input.versionId !== version.id)
      throw new AppError(
        'conflict',
        'batch_run.version_changed',
        `Version ${version.number} of ${template.name} is the published version now; check it before sending it.`,
        [{ path: 'body.versionId', message: `is not the published version (${version.number})` }],
      );
    const notOlder = older.filter((candidate) => candidate.number >= version.number);
    if (notOlder.length)
      throw new AppError(
        'conflict',
        'batch_run.version_not_older',
        `Version ${notOlder[0]!.number} is not older than the published version ${version.number}: there is nothing newer to send its recipients.`,
        [
          {
            path: 'body.correctsVersionIds',
            message: `version ${notOlder[0]!.number} is not older than the published one`,
          },
        ],
      );
    return { template, version, older: older.sort((a, b) => a.number - b.number) };
  }

  /**
   * Who would get a corrective mailing, once each, with the data each would be sent: the data of
   * their latest communication of the older versions, with `data` laid over it.
   */
  async function correctionData(olderIds: string[], sendVersionId: string, data: Record<string, unknown>) {
    return rows<{ data: Record<string, unknown>; customers: number }>(
      db,
      sql`select data, count(*)::int as customers from (
            select distinct on (o.customer_id) o.data || ${JSON.stringify(data)}::jsonb as data
            from ${correctionAudience(olderIds, sendVersionId)}
            order by o.customer_id, o.created_at desc, o.id desc) latest
          group by data`,
    );
  }

  /** A run starts (or waits for its time) as a row, a queued expansion and an audit event, in one transaction. */
  function createRun(
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

    /**
     * Who received a template version: its communications by status and channel, the customers it
     * reached, and what a corrective mailing of the published version would reach.
     */
    async recipients(actor: Actor, versionId: string) {
      authorize(actor, 'communications.read');
      const [version] = await db
        .select({
          id: templateVersions.id,
          number: templateVersions.number,
          status: templateVersions.status,
          templateId: templates.id,
          templateKey: templates.key,
          templateName: templates.name,
        })
        .from(templateVersions)
        .innerJoin(templates, eq(templates.id, templateVersions.templateId))
        .where(eq(templateVersions.id, versionId));
      if (!version) throw notFound('template version', versionId);
      const ofVersion = and(
        eq(communications.templateId, version.templateId),
        eq(communications.templateVersionId, versionId),
      );
      const [groups, [reached], [published], correctiveRuns] = await Promise.all([
        db
          .select({ status: communications.status, channel: communications.channel, n: count() })
          .from(communications)
          .where(ofVersion)
          .groupBy(communications.status, communications.channel),
        rows<{ customers: number }>(
          db,
          sql`select count(distinct o.customer_id)::int as customers from communications o
              where o.template_id = ${version.templateId} and o.template_version_id = ${versionId} and ${received('o')}`,
        ),
        db
          .select({ id: templateVersions.id, number: templateVersions.number })
          .from(templateVersions)
          .where(and(eq(templateVersions.templateId, version.templateId), eq(templateVersions.status, 'published'))),
        db
          .select({
            id: batchRuns.id,
            status: batchRuns.status,
            total: batchRuns.total,
            created: batchRuns.created,
            createdAt: batchRuns.createdAt,
            versionNumber: templateVersions.number,
          })
          .from(batchRuns)
          .innerJoin(templateVersions, eq(templateVersions.id, batchRuns.templateVersionId))
          .where(sql`${versionId} = any(${batchRuns.correctsVersionIds})`)
          .orderBy(desc(batchRuns.createdAt))
          .limit(20),
      ]);
      const statuses: Record<string, number> = {};
      const channels: Record<string, number> = {};
      let total = 0;
      for (const row of groups) {
        total += row.n;
        statuses[row.status] = (statuses[row.status] ?? 0) + row.n;
        if (row.channel) channels[row.channel] = (channels[row.channel] ?? 0) + row.n;
      }
      const newer = published && published.number > version.number ? published : undefined;
      const audience = newer ? await correctionData([versionId], newer.id, {}) : [];
      return {
        templateVersionId: version.id,
        templateKey: version.templateKey,
        templateName: version.templateName,
        versionNumber: version.number,
        versionStatus: version.status,
        communications: total,
        statuses,
        channels,
        recipients: reached?.customers ?? 0,
        correction: newer
          ? {
              versionId: newer.id,
              versionNumber: newer.number,
              recipients: audience.reduce((sum, group) => sum + group.customers, 0),
            }
          : null,
        correctiveRuns,
      };
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
      return createRun(actor, {
        values: { templateId: template.id, templateVersionId: version.id, segmentId: segment.id, data, total },
        scheduledAt: input.scheduledAt,
        summary: { template: template.key, version: version.number, segment: segment.name, total },
      });
    },

    /**
     * A corrective mailing: the template's published version to every customer who received one of
     * the older versions, each with the data of their latest communication of those versions
     * (`data` overrides fields). Customers who already have the published version are left out.
     */
    async startCorrective(
      actor: Actor,
      input: {
        correctsVersionIds: string[];
        versionId?: string;
        data?: Record<string, unknown>;
        scheduledAt?: Date;
      },
    ) {
      authorize(actor, 'runs.manage');
      const { template, version, older } = await correction(input);
      const data = input.data ?? {};
      const olderIds = older.map((candidate) => candidate.id);
      const audience = await correctionData(olderIds, version.id, data);
      const unfit = audience
        .map((group) => ({ ...group, problems: dataProblems(version.dataSchema, group.data) }))
        .filter((group) => group.problems.length);
      if (unfit.length) {
        const customers = unfit.reduce((sum, group) => sum + group.customers, 0);
        const problems = [...new Map(unfit.flatMap((g) => g.problems).map((p) => [p.path, p])).values()];
        throw new AppError(
          'validation_failed',
          'template.data_missing',
          `The data ${customers} recipients were sent does not fit version ${version.number}: ${problems.map((p) => `${p.path} ${p.message}`).join('; ')}. Give the missing data in data.`,
          problems,
        );
      }
      const total = audience.reduce((sum, group) => sum + group.customers, 0);
      if (total === 0)
        throw new AppError(
          'conflict',
          'batch_run.no_recipients',
          `Nobody who received version ${older.map((v) => v.number).join(', ')} of ${template.name} is left to send version ${version.number} to.`,
          [{ path: 'body.correctsVersionIds', message: 'reached no customer who lacks the published version' }],
        );
      return createRun(actor, {
        values: { templateId: template.id, templateVersionId: version.id, correctsVersionIds: olderIds, data, total },
        scheduledAt: input.scheduledAt,
        summary: {
          template: template.key,
          version: version.number,
          corrects: older.map((candidate) => candidate.number),
          total,
        },
      });
    },

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
          // A corrective mailing carries each customer's data from what they received; a segment run has no prior.
          const inserted = await rows<{ id: string }>(
            tx,
            sql`with created as (
                  insert into communications (customer_id, template_id, template_version_id, purpose, batch_run_id, data, created_by)
                  select c.id, ${run.templateId}, ${run.templateVersionId}, ${template!.purpose}, ${runId},
                         coalesce(prior.data, '{}'::jsonb) || ${JSON.stringify(run.data)}::jsonb, ${`batch run ${runId}`}
                  from customers c
                  left join lateral (
                    select o.data from communications o
                    where o.customer_id = c.id and o.template_version_id = any(${uuidArray(olderIds)}) and ${received('o')}
                    order by o.created_at desc, o.id desc limit 1) prior on true
                  where c.id = any(${uuidArray(ids)})
                  on conflict (batch_run_id, customer_id) where batch_run_id is not null do nothing
                  returning id)
                insert into jobs (kind, payload, max_attempts, run_at)
                select ${DELIVER_JOB}, jsonb_build_object('communicationId', id), 8, ${clock.now().toISOString()}::timestamptz
                from created
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
