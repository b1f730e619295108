import { and, eq, sql } from 'drizzle-orm';
import type { BlobStore } from '../blobs/blob-store.js';
import type { CustomersService } from '../customers/customers.service.js';
import { rows, uuidArray, type Database, type Executor } from '../db/database.js';
import type { JobQueue } from '../jobs/job-queue.js';
import { RenderError } from '../rendering/errors.js';
import type { Brand } from '../rendering/index.js';
import type { RenderPool } from '../rendering/render-pool.js';
import type { UnsubscribeLinks } from '../portal/unsubscribe.links.js';
import type { Clock } from '../shared/clock.js';
import type { FragmentsService } from '../templates/fragments.service.js';
import { templates, templateVersions } from '../templates/templates.tables.js';
import type { Timeline } from '../timeline/timeline.service.js';
import { batchRuns, communicationAttempts, communications, type AttemptOutcome } from './communications.tables.js';
import type { Item, TemplateVersion } from './delivery-batch.js';
import { handOver, type DeliveryChannels } from './delivery-hand-over.js';
import { markHandingOver, outcomeRecorder, recordOutcomes, settle } from './delivery-records.js';
import { archive, render, renderFailure, reuse } from './delivery-rendering.js';
import { endOfRoute, fellBack, route } from './delivery-routing.js';
import { canMove, inDelivery, move } from './lifecycle.js';
import type { PermanentFailures } from './permanent-failures.js';
import type { RatesService } from './rates.service.js';
import { RenderBudgetExceeded } from './render-item.js';

export type DeliveryPipeline = ReturnType<typeof createDeliveryPipeline>;

/**
 * Takes communications from queued to handed over, a batch at a time, in steps that each live in
 * a module of their own: route (`delivery-routing.ts`: preference, consent, quiet hours,
 * availability) → render and archive the exact copy (`delivery-rendering.ts`) → mark the hand-over
 * → hand over (`delivery-hand-over.ts`) → record (`delivery-records.ts`). Each step is stored
 * before the next, for the whole batch in a few statements, so a job that runs again continues
 * where the last one stopped: an interrupted hand-over goes again as the identical copy and is
 * marked so. What goes nowhere now (a paused or cancelled run, quiet hours, no channel left, a
 * template that cannot be rendered) is settled with the batch.
 */
export function createDeliveryPipeline(deps: {
  db: Database;
  clock: Clock;
  blobs: Pick<BlobStore, 'putMany' | 'read'>;
  queue: Pick<JobQueue, 'enqueueMany' | 'notifyEnqueued'>;
  timeline: Pick<Timeline, 'appendMany'>;
  customers: Pick<CustomersService, 'loadForDelivery' | 'recordContact'>;
  failures: Pick<PermanentFailures, 'record'>;
  fragments: Pick<FragmentsService, 'pinnedSources'>;
  brand: () => Promise<Brand>;
  rates: Pick<RatesService, 'costOf'>;
  channels: DeliveryChannels;
  renderer: Pick<RenderPool, 'render' | 'threads'>;
  unsubscribeLinks: Pick<UnsubscribeLinks, 'linksFor'>;
}) {
  const { db, clock } = deps;

  // A template version and the fragment versions it pins never change: read them once per process.
  const versions = new Map<string, Promise<{ version: TemplateVersion; fragments: Record<string, string> }>>();
  function versionInputs(versionId: string) {
    let inputs = versions.get(versionId);
    if (!inputs) {
      inputs = (async () => {
        const [version] = await db.select().from(templateVersions).where(eq(templateVersions.id, versionId));
        if (!version) throw new Error(`template version ${versionId} is gone`);
        return { version, fragments: await deps.fragments.pinnedSources(db, version.pinnedFragments ?? {}) };
      })();
      inputs.catch(() => versions.delete(versionId));
      if (versions.size >= 200) versions.delete(versions.keys().next().value!);
      versions.set(versionId, inputs);
    }
    return inputs;
  }

  /**
   * Everything the batch needs, in two statements: the communications still in delivery with their
   * template and run, and their customers with consents. Awaiting print is as far as delivery takes
   * a letter (its print batch does the rest); a final item has nothing left to do.
   */
  async function load(ids: readonly string[]): Promise<Item[]> {
    // Only the columns delivery reads: mapping each row is this thread's work, per item.
    const found = await db
      .select({
        communication: {
          id: communications.id,
          customerId: communications.customerId,
          templateId: communications.templateId,
          templateVersionId: communications.templateVersionId,
          purpose: communications.purpose,
          status: communications.status,
          channel: communications.channel,
          address: communications.address,
          language: communications.language,
          failedChannels: communications.failedChannels,
          data: communications.data,
          archiveSha256: communications.archiveSha256,
          archiveMediaType: communications.archiveMediaType,
          archiveSize: communications.archiveSize,
          snapshotSha256: communications.snapshotSha256,
          providerMessageId: communications.providerMessageId,
        },
        version: sql<string>`${communications}.xmin::text`,
        template: { key: templates.key, name: templates.name },
        runStatus: batchRuns.status,
      })
      .from(communications)
      .innerJoin(templates, eq(templates.id, communications.templateId))
      .leftJoin(batchRuns, eq(batchRuns.id, communications.batchRunId))
      .where(sql`${communications.id} = any(${uuidArray(ids)})`);
    const pending = found.filter(({ communication }) => inDelivery.includes(communication.status));
    const customers = await deps.customers.loadForDelivery(db, [
      ...new Set(pending.map((row) => row.communication.customerId)),
    ]);
    return Promise.all(
      pending.map(async (row) => {
        const customer = customers.get(row.communication.customerId);
        if (!customer) throw new Error(`customer ${row.communication.customerId} is gone`);
        const { version, fragments } = await versionInputs(row.communication.templateVersionId);
        return { ...row, customer, templateVersion: version, fragments };
      }),
    );
  }

  /** Which permanent refusal each item last fell back from: a bounce or another one. */
  async function lastRefusals(items: Item[]) {
    if (items.length === 0) return new Map<string, AttemptOutcome>();
    const found = await rows<{ id: string; outcome: AttemptOutcome }>(
      db,
      sql`select distinct on (communication_id) communication_id as id, outcome from ${communicationAttempts}
          where communication_id = any(${uuidArray(items.map((item) => item.communication.id))})
            and outcome in ('failed_permanently', 'bounced')
          order by communication_id, at desc, id desc`,
    );
    return new Map(found.map((row) => [row.id, row.outcome]));
  }

  /**
   * Delivers a batch of communications (each once, however often it is named). Answers the items
   * whose delivery should be tried again later, each with its reason; every other item is done for
   * now (handed over, settled, or given to a new job). A failure of the whole batch (the database,
   * the archive) is thrown, and every item of it is tried again.
   */
  async function deliverMany(ids: readonly string[], signal?: AbortSignal): Promise<Map<string, Error>> {
    const retry = new Map<string, Error>();
    const items = await load([...new Set(ids)]);
    if (items.length === 0) return retry;
    const now = clock.now();

    const { routed, closings, later, deferrals, exhausted } = route(items, now);
    const fellBackItems = exhausted.filter(({ item }) => fellBack(item)).map(({ item }) => item);
    closings.push(...endOfRoute(exhausted, await lastRefusals(fellBackItems)));

    const brand = routed.length ? await deps.brand() : undefined;
    const { archived, rendered } = brand
      ? await render(deps.renderer, deps.blobs, routed, brand, now, deps.unsubscribeLinks)
      : { archived: [], rendered: [] };
    const good = [];
    for (const { outcome, ...task } of rendered) {
      if (outcome instanceof RenderError || outcome instanceof RenderBudgetExceeded)
        closings.push(renderFailure(task.entry, outcome));
      else if (outcome instanceof Error) retry.set(task.entry.item.communication.id, outcome);
      else good.push({ ...task, item: outcome });
    }
    const ready = [...(await reuse(deps.blobs, archived, retry)), ...(await archive(deps.blobs, good, now))];

    if (closings.length || deferrals.length || later.length) {
      await db.transaction((tx) => settle(deps, tx, now, { closings, deferrals, later }));
      deps.queue.notifyEnqueued();
    }
    // A worker that is stopping hands over nothing more: what is not marked yet is simply tried again.
    // What is marked goes out, and is recorded as the channel answers.
    signal?.throwIfAborted();
    const marked = await markHandingOver(db, ready, now);
    const going = ready.filter((entry) => marked.has(entry.item.communication.id));
    if (going.length === 0) return retry;
    const recorder = outcomeRecorder((outcomes) => recordOutcomes(deps, outcomes, clock.now()), signal);
    const outcomes = await handOver(deps.channels, going, brand!, recorder.add);
    for (const [id, failure] of await recorder.finish()) retry.set(id, failure);
    if (outcomes.some((outcome) => outcome.kind === 'permanent')) deps.queue.notifyEnqueued();
    return retry;
  }

  return {
    deliverMany,

    /** One communication, as a job of its own would; a reason to try again later is thrown. */
    async deliver(communicationId: string) {
      const retry = (await deliverMany([communicationId])).get(communicationId);
      if (retry) throw retry;
    },

    /**
     * A delivery job ran out of attempts: its item fails with the last error, in the transaction
     * that buries the job, so its batch run can complete. An item already settled stays as it is.
     */
    async giveUp(tx: Executor, communicationId: string, lastError: string) {
      const [before] = await tx
        .select({ status: communications.status, customerId: communications.customerId })
        .from(communications)
        .where(eq(communications.id, communicationId))
        .for('update');
      if (!before || !canMove('fail', before.status)) return;
      const reason =
        `Delivery gave up after its last attempt: ${lastError.split('\n')[0]}` +
        (before.status === 'handing_over'
          ? ' The last hand-over was interrupted and may have reached the channel.'
          : '');
      const failed = move('fail');
      await tx
        .update(communications)
        .set({ status: failed.status, statusReason: reason, updatedAt: clock.now() })
        .where(and(eq(communications.id, communicationId), failed.allowed));
      await deps.timeline.appendMany(tx, [
        {
          customerId: before.customerId,
          kind: 'communication',
          title: 'Not sent: delivery gave up',
          body: reason,
          subjectType: 'communication',
          subjectId: communicationId,
        },
      ]);
    },

    /**
     * An admin put a dead delivery job back in the queue (in this transaction): the item it failed
     * (`giveUp`) is queued again, so the job delivers it. An item settled otherwise stays as it is.
     */
    async redeliver(tx: Executor, communicationId: string) {
      const queued = move('redeliver');
      const [item] = await tx
        .update(communications)
        .set({ status: queued.status, statusReason: 'Delivery retried', updatedAt: clock.now() })
        .where(and(eq(communications.id, communicationId), queued.allowed))
        .returning({ customerId: communications.customerId });
      if (!item) return;
      await deps.timeline.appendMany(tx, [
        {
          customerId: item.customerId,
          kind: 'communication',
          title: 'Delivery retried',
          body: 'Its delivery job was put back in the queue after it gave up.',
          subjectType: 'communication',
          subjectId: communicationId,
        },
      ]);
    },
  };
}
