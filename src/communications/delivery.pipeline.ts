import { createHash } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { sha256Of, type BlobStore } from '../blobs/blob-store.js';
import { PermanentChannelFailure, TemporaryChannelFailure, type HandOver } from '../channels/channel-errors.js';
import type { EmailChannel } from '../channels/email.channel.js';
import type { GatewayChannel } from '../channels/gateway.channel.js';
import type { CustomersService, DeliverableCustomer } from '../customers/customers.service.js';
import type { Channel, Purpose } from '../customers/customers.tables.js';
import { decideChannel, type ChannelVerdict } from '../customers/reachability.js';
import { rows, type Database, type Executor } from '../db/database.js';
import type { EnqueueRequest, JobQueue } from '../jobs/job-queue.js';
import { RenderError } from '../rendering/errors.js';
import type { Brand } from '../rendering/index.js';
import type { RenderPool } from '../rendering/render-pool.js';
import { systemActor } from '../shared/actor.js';
import type { Clock } from '../shared/clock.js';
import type { TimelineEntryInput, Timeline } from '../timeline/timeline.service.js';
import type { FragmentsService } from '../templates/fragments.service.js';
import { chooseLanguage } from '../templates/preview-rendering.js';
import { renderContextFor } from '../templates/render-context.js';
import { templates, templateVersions } from '../templates/templates.tables.js';
import {
  batchRuns,
  communicationAttempts,
  communications,
  type AttemptOutcome,
  type BatchRunStatus,
} from './communications.tables.js';
import { canMove, inDelivery, move, movableArray, statusAfter, type CommunicationEvent } from './lifecycle.js';
import type { PermanentFailures } from './permanent-failures.js';
import type { RatesService } from './rates.service.js';
import { RenderBudgetExceeded, renderItems, type RenderedItem } from './render-item.js';
import { uuidArray } from './version-recipients.js';

export const DELIVER_JOB = 'communication.deliver';
/** How many times a delivery job runs before it gives up and its item is failed. */
export const DELIVER_ATTEMPTS = 8;
/** Delivery jobs handled together: read, written and handed over as one batch. */
export const DELIVER_BATCH = 100;
/** A paused run's items look again this long after. */
const PAUSED_RETRY_MS = 2_000;
/** Gateway requests in flight at once; SMTP has its own pool of connections. */
const GATEWAY_CONCURRENCY = 8;

/** Regulatory notices must reach the customer: for consent they count as transactional. */
export const consentPurpose = (purpose: string): Purpose =>
  purpose === 'regulatory' ? 'transactional' : (purpose as Purpose);

export type DeliveryPipeline = ReturnType<typeof createDeliveryPipeline>;

type Communication = typeof communications.$inferSelect;
type TemplateVersion = typeof templateVersions.$inferSelect;

/** One communication as the batch read it, `version` being its row version (xmin) for the writes that follow. */
type Item = {
  communication: Communication;
  version: string;
  template: { key: string; name: string };
  runStatus: BatchRunStatus | null;
  customer: DeliverableCustomer;
  templateVersion: TemplateVersion;
  fragments: Record<string, string>;
};

/** A status change that ends an item's delivery for now (suppressed, failed, bounced), with why. */
type Closing = {
  item: Item;
  event: Extract<CommunicationEvent, 'suppress' | 'fail' | 'bounce'>;
  reason: string;
  title: string;
  attempt?: { channel: Channel | null; outcome: AttemptOutcome; response?: Record<string, unknown> };
};

/** Routed to a channel that may take it now. */
type Routed = { item: Item; channel: Channel; address: string; reason: string };

/** Rendered and archived (or found archived), about to be handed over. */
type Ready = Routed & {
  bytes: Buffer;
  language: string;
  archive: { sha256: string; mediaType: string; size: number };
  snapshotSha256: string;
  messageId: string | null;
  /** The hand-over's attempt: to which channel, and whether this very copy may have reached it before. */
  detail: string;
};

type Outcome =
  | { ready: Ready; kind: 'handed_over'; result: HandOver }
  | { ready: Ready; kind: 'permanent'; failure: PermanentChannelFailure }
  | { ready: Ready; kind: 'temporary'; failure: TemporaryChannelFailure };

const deliveryActor = systemActor('delivery');

/** Runs `work` over the items with at most `limit` in flight, answering in their order. */
async function inParallel<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}

/**
 * Takes communications from queued to handed over, a batch at a time: route (preference, consent,
 * quiet hours, availability), render, archive the exact copy, mark the hand-over, hand over, record.
 * Each step is stored before the next, for the whole batch in a few statements, so a job that runs
 * again continues where the last one stopped: an interrupted hand-over goes again as the identical
 * copy and is marked so. Anything out of the ordinary (a paused or cancelled run, quiet hours, no
 * channel left, a template that cannot be rendered, a channel that refuses) is settled per item
 * with the same rules.
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
  channels: { email: EmailChannel; sms: GatewayChannel; fax: GatewayChannel };
  renderer: Pick<RenderPool, 'render' | 'threads'>;
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

  /** Everything the batch needs, in two statements: the communications with their template and run, and their customers. */
  async function load(ids: readonly string[]): Promise<Item[]> {
    const found = await db
      .select({
        communication: communications,
        version: sql<string>`${communications}.xmin::text`,
        template: { key: templates.key, name: templates.name },
        runStatus: batchRuns.status,
      })
      .from(communications)
      .innerJoin(templates, eq(templates.id, communications.templateId))
      .leftJoin(batchRuns, eq(batchRuns.id, communications.batchRunId))
      .where(sql`${communications.id} = any(${uuidArray(ids)})`);
    // Awaiting print is as far as delivery takes a letter: its print batch does the rest.
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

  const languageOf = (item: Item) =>
    chooseLanguage(item.templateVersion.variants, item.customer.language, item.templateVersion.defaultLanguage);

  /**
   * Route: where each item may go now. Items of a cancelled run are suppressed; those of a paused
   * run look again a little later; quiet hours defer; no allowed channel ends the item (suppressed,
   * or failed or bounced when every channel it had refused it).
   */
  async function route(items: Item[], now: Date) {
    const routed: Routed[] = [];
    const closings: Closing[] = [];
    const later: EnqueueRequest[] = [];
    const deferrals: { item: Item; channel: Channel; reason: string; until: Date }[] = [];
    const exhausted: { item: Item; reason: string; considered: ChannelVerdict[] }[] = [];
    for (const item of items) {
      const { communication } = item;
      if (item.runStatus === 'cancelled') {
        closings.push({
          item,
          event: 'suppress',
          reason:
            communication.status === 'handing_over'
              ? 'The batch run was cancelled; an interrupted hand-over may have reached the channel.'
              : 'The batch run was cancelled.',
          title: 'Not sent: batch run cancelled',
        });
        continue;
      }
      if (item.runStatus === 'paused') {
        later.push(deliverJob(communication.id, new Date(now.getTime() + PAUSED_RETRY_MS)));
        continue;
      }
      const bodies = item.templateVersion.variants[languageOf(item)] ?? {};
      const offered = Object.entries(bodies).flatMap(([channel, body]) => (body ? [channel as Channel] : []));
      const reach = decideChannel(item.customer, item.customer.consents, consentPurpose(communication.purpose), now, {
        exclude: communication.failedChannels,
        offered,
      });
      if (!reach.reachable) exhausted.push({ item, reason: reach.reason, considered: reach.considered });
      else if (reach.deferUntil && reach.deferUntil > now)
        deferrals.push({ item, channel: reach.channel, reason: reach.reason, until: reach.deferUntil });
      else routed.push({ item, channel: reach.channel, address: reach.address, reason: reach.reason });
    }
    closings.push(...(await endOfRoute(exhausted)));
    return { routed, closings, later, deferrals };
  }

  /**
   * No channel is left: an item that just fell back from a channel that refused it for good failed,
   * or bounced if that refusal was a bounce; any other is suppressed (consent, no address).
   */
  async function endOfRoute(exhausted: { item: Item; reason: string; considered: ChannelVerdict[] }[]) {
    const fellBack = ({ communication }: Item) =>
      communication.status === 'queued' && communication.failedChannels.length > 0;
    const tried = exhausted.filter(({ item }) => fellBack(item));
    const lastRefusal = new Map(
      tried.length
        ? (
            await rows<{ id: string; outcome: AttemptOutcome }>(
              db,
              sql`select distinct on (communication_id) communication_id as id, outcome from ${communicationAttempts}
                  where communication_id = any(${uuidArray(tried.map(({ item }) => item.communication.id))})
                    and outcome in ('failed_permanently', 'bounced')
                  order by communication_id, at desc, id desc`,
            )
          ).map((row) => [row.id, row.outcome])
        : [],
    );
    return exhausted.map(({ item, reason, considered }): Closing => {
      const attempt = { channel: null, outcome: 'suppressed' as const, response: { considered } };
      if (!fellBack(item)) return { item, event: 'suppress', reason, title: 'Not sent: no allowed channel', attempt };
      const bounced = lastRefusal.get(item.communication.id) === 'bounced';
      return {
        item,
        event: bounced ? 'bounce' : 'fail',
        reason: `Every channel refused it: ${reason}`,
        title: bounced
          ? 'Not sent: the email bounced and no other channel is left'
          : 'Not sent: every channel refused it',
        attempt,
      };
    });
  }

  /**
   * Render: the exact bytes of each item that has no archived copy for its channel and address, in
   * the render pool, the batch split across its threads. A copy archived by an earlier attempt to
   * the same address is used again as it is: a copy handed over once is never rendered anew.
   */
  async function render(routed: Routed[], brand: Brand, now: Date) {
    const archived = ({ item: { communication }, channel, address }: Routed) =>
      communication.archiveSha256 !== null &&
      communication.channel === channel &&
      communication.address === address &&
      (communication.status === 'handing_over' || communication.status === 'rendered');
    const fresh = routed.filter((entry) => !archived(entry));
    const tasks = fresh.map((entry) => {
      const { item } = entry;
      const language = languageOf(item);
      const context = renderContextFor(item.customer, brand, item.communication.data, now, language);
      return {
        entry,
        language,
        context,
        render: {
          template: {
            cacheKey: `${item.templateVersion.id}:${language}`,
            bodies: item.templateVersion.variants[language]!,
            fragments: item.fragments,
          },
          channel: entry.channel,
          context,
          communicationId: item.communication.id,
          address: entry.address,
          recipientName: item.customer.name,
          unsubscribeUrl: item.communication.data.unsubscribeUrl as string | undefined,
        },
      };
    });
    // One message per thread, so every thread of the pool works on the batch.
    const share = Math.max(1, Math.ceil(tasks.length / Math.max(1, deps.renderer.threads)));
    const parts: (typeof tasks)[] = [];
    for (let start = 0; start < tasks.length; start += share) parts.push(tasks.slice(start, start + share));
    const outcomes = (
      await Promise.all(
        parts.map((part) =>
          renderItems(
            deps.renderer,
            part.map((task) => task.render),
          ),
        ),
      )
    ).flat();
    return {
      archived: routed.filter(archived),
      rendered: tasks.map((task, index) => ({ ...task, outcome: outcomes[index]! })),
    };
  }

  /**
   * Archive: the exact copies and the snapshot of what each was rendered from, durably on disk
   * before any row points at them.
   */
  async function archive(
    rendered: { entry: Routed; language: string; context: ReturnType<typeof renderContextFor>; item: RenderedItem }[],
    now: Date,
  ): Promise<Ready[]> {
    const copies = rendered.map(({ item }) => ({ sha256: sha256Of(item.bytes), size: item.bytes.length }));
    const snapshots = rendered.map(({ entry, language, context, item }, index) => {
      const { communication, templateVersion, template } = entry.item;
      const snapshot = {
        communicationId: communication.id,
        template: {
          id: communication.templateId,
          key: template.key,
          versionId: templateVersion.id,
          version: templateVersion.number,
        },
        fragments: templateVersion.pinnedFragments ?? {},
        language,
        channel: entry.channel,
        address: entry.address,
        channelReason: entry.reason,
        customer: context.customer,
        data: communication.data,
        renderedAt: now.toISOString(),
        archive: { sha256: copies[index]!.sha256, mediaType: item.mediaType, size: copies[index]!.size },
      };
      return Buffer.from(JSON.stringify(snapshot, null, 2));
    });
    // Copies and snapshots in one go: one round of syncs for the batch.
    const stored = await deps.blobs.putMany([...rendered.map(({ item }) => item.bytes), ...snapshots]);
    return rendered.map(({ entry, language, item }, index) => ({
      ...entry,
      bytes: item.bytes,
      language,
      archive: { sha256: copies[index]!.sha256, mediaType: item.mediaType, size: copies[index]!.size },
      snapshotSha256: stored[rendered.length + index]!.sha256,
      messageId: item.messageId ?? null,
      detail: handOverNote(entry, false),
    }));
  }

  /**
   * A copy archived by an earlier attempt, read back (and checked against its hash) to go again as
   * it is. One that cannot be read is tried again later, alone.
   */
  async function reuse(archived: Routed[], retry: Map<string, Error>): Promise<Ready[]> {
    const found = await Promise.all(
      archived.map(async (entry): Promise<Ready | undefined> => {
        const { communication } = entry.item;
        const bytes = await deps.blobs.read(communication.archiveSha256!).catch((error: Error) => {
          retry.set(communication.id, error);
        });
        if (!bytes) return undefined;
        return {
          ...entry,
          bytes,
          language: communication.language ?? languageOf(entry.item),
          archive: {
            sha256: communication.archiveSha256!,
            mediaType: communication.archiveMediaType!,
            size: communication.archiveSize!,
          },
          snapshotSha256: communication.snapshotSha256!,
          messageId: communication.providerMessageId,
          detail: handOverNote(entry, communication.status === 'handing_over'),
        };
      }),
    );
    return found.filter((entry) => entry !== undefined);
  }

  /** What the handing_over attempt says; `again`: this very copy's last hand-over was interrupted. */
  function handOverNote(entry: Routed, again: boolean) {
    const { communication } = entry.item;
    if (again)
      return 'Handing over again: the previous hand-over was interrupted and may have reached the channel; the identical copy is re-sent';
    // Routed elsewhere than an interrupted hand-over went: that one may have arrived too.
    const interrupted =
      communication.status === 'handing_over'
        ? `; the interrupted ${communication.channel} hand-over before it may have reached the customer`
        : '';
    return `Handing over to ${entry.channel}${interrupted}`;
  }

  /**
   * Stored before the hand-over, in one statement for the batch: each item's copy, its channel and
   * status handing_over, and a handing_over attempt. If this process dies after the channel took an
   * item and before its outcome is stored, the next attempt knows the item may have arrived and
   * says so. Only items nobody else moved since they were read are written; only those go out.
   */
  async function markHandingOver(ready: Ready[], now: Date): Promise<Set<string>> {
    if (ready.length === 0) return new Set();
    const values = ready.map((entry) => ({
      id: entry.item.communication.id,
      version: entry.item.version,
      channel: entry.channel,
      channelReason: entry.reason,
      address: entry.address,
      language: entry.language,
      archiveSha256: entry.archive.sha256,
      archiveMediaType: entry.archive.mediaType,
      archiveSize: entry.archive.size,
      snapshotSha256: entry.snapshotSha256,
      messageId: entry.messageId,
      detail: entry.detail,
    }));
    const moved = await rows<{ id: string }>(
      db,
      sql`with v as (
            select * from jsonb_to_recordset(${JSON.stringify(values)}::jsonb) as v(id uuid, version text, channel text,
              "channelReason" text, address text, language text, "archiveSha256" text, "archiveMediaType" text,
              "archiveSize" int, "snapshotSha256" text, "messageId" text, detail text)),
          moved as (
            update ${communications} c
            set status = ${statusAfter('hand_over')}, channel = v.channel, channel_reason = v."channelReason",
                address = v.address, language = v.language, archive_sha256 = v."archiveSha256",
                archive_media_type = v."archiveMediaType", archive_size = v."archiveSize",
                snapshot_sha256 = v."snapshotSha256", provider_message_id = v."messageId", defer_until = null,
                updated_at = ${now.toISOString()}
            from v
            where c.id = v.id and c.xmin = v.version::xid and c.status = any(${movableArray('hand_over')}::text[])
            returning c.id),
          logged as (
            insert into ${communicationAttempts} (communication_id, channel, outcome, detail, at)
            select v.id, v.channel, 'handing_over', v.detail, ${now.toISOString()} from v join moved on moved.id = v.id)
          select id from moved`,
    );
    return new Set(moved.map((row) => row.id));
  }

  /** Hand over: every item of the batch at once (SMTP over its pool of open connections, gateways a few at a time). */
  async function handOver(ready: Ready[], brand: Brand): Promise<Outcome[]> {
    const attempt = async (entry: Ready): Promise<Outcome> => {
      try {
        return { ready: entry, kind: 'handed_over', result: await handOverOne(entry, brand) };
      } catch (error) {
        if (error instanceof PermanentChannelFailure) return { ready: entry, kind: 'permanent', failure: error };
        const failure =
          error instanceof TemporaryChannelFailure ? error : new TemporaryChannelFailure((error as Error).message);
        return { ready: entry, kind: 'temporary', failure };
      }
    };
    const emails = ready.filter((entry) => entry.channel === 'email');
    const others = ready.filter((entry) => entry.channel !== 'email');
    const [sent, rest] = await Promise.all([
      Promise.all(emails.map(attempt)),
      inParallel(others, GATEWAY_CONCURRENCY, attempt),
    ]);
    return [...sent, ...rest];
  }

  function handOverOne(entry: Ready, brand: Brand): Promise<HandOver> {
    const { communication } = entry.item;
    switch (entry.channel) {
      case 'email':
        return deps.channels.email.send({
          raw: entry.bytes,
          from: brand.senders.emailFrom,
          to: entry.address,
          messageId: entry.messageId!,
        });
      case 'sms':
        return deps.channels.sms.send({
          communicationId: communication.id,
          to: entry.address,
          from: brand.senders.smsSender,
          text: entry.bytes.toString('utf8'),
        });
      case 'fax':
        return deps.channels.fax.send({
          communicationId: communication.id,
          to: entry.address,
          from: brand.senders.faxNumber ?? brand.companyName,
          pdfBase64: entry.bytes.toString('base64'),
        });
      case 'portal':
        return Promise.resolve({ transport: 'portal', response: { inbox: 'stored' } });
      case 'letter':
        return Promise.resolve({ transport: 'print', response: { queued: 'for the next print batch' } });
    }
  }

  /**
   * Record, in one transaction for the batch: each item handed over as sent (a letter as waiting
   * for its print batch) with its transport, cost and attempt, its customer's last contact and a
   * timeline entry; a temporary refusal back to rendered, its copy kept for the retry; a permanent
   * one to the one place that falls back to the next channel.
   */
  async function record(outcomes: Outcome[], now: Date) {
    const handed = outcomes.filter((outcome) => outcome.kind === 'handed_over');
    const temporary = outcomes.filter((outcome) => outcome.kind === 'temporary');
    const permanent = outcomes.filter((outcome) => outcome.kind === 'permanent');
    const costs = new Map(
      await Promise.all(
        [...new Set(handed.map(({ ready }) => ready.channel))].map(
          async (channel) => [channel, await deps.rates.costOf(channel)] as const,
        ),
      ),
    );
    await db.transaction(async (tx) => {
      if (handed.length) {
        const values = handed.map(({ ready, result }) => ({
          id: ready.item.communication.id,
          ...moveValues(ready.channel === 'letter' ? 'queue_for_print' : 'sent'),
          transport: result.transport,
          messageId: result.providerMessageId ?? ready.messageId,
          sentAt: ready.channel === 'letter' ? null : now.toISOString(),
          cost: costs.get(ready.channel)!,
          channel: ready.channel,
          detail: `Handed to ${result.transport}`,
          response: result.response,
        }));
        await tx.execute(sql`
          with v as (
            select * from jsonb_to_recordset(${JSON.stringify(values)}::jsonb) as v(id uuid, status text, allowed text,
              transport text, "messageId" text, "sentAt" timestamptz, cost int, channel text, detail text, response jsonb)),
          moved as (
            update ${communications} c
            set status = v.status, transport = v.transport, provider_message_id = v."messageId", sent_at = v."sentAt",
                cost_millicents = v.cost, updated_at = ${now.toISOString()}
            from v
            where c.id = v.id and c.status = any(v.allowed::text[])
            returning c.id)
          insert into ${communicationAttempts} (communication_id, channel, outcome, detail, provider_response, at)
          select v.id, v.channel, 'handed_over', v.detail, v.response, ${now.toISOString()} from v join moved on moved.id = v.id`);
        await deps.customers.recordContact(
          tx,
          handed.map(({ ready }) => ({ customerId: ready.item.communication.customerId, at: now })),
        );
        await deps.timeline.appendMany(
          tx,
          handed.map(({ ready }): TimelineEntryInput => {
            const { communication, template } = ready.item;
            return {
              customerId: communication.customerId,
              kind: 'communication',
              title:
                ready.channel === 'letter'
                  ? `${template.name}: letter queued for printing`
                  : `${template.name} sent by ${ready.channel}`,
              body: ready.reason,
              subjectType: 'communication',
              subjectId: communication.id,
              data: { channel: ready.channel, templateVersionId: communication.templateVersionId },
              at: now,
            };
          }),
        );
      }
      if (temporary.length) {
        const values = temporary.map(({ ready, failure }) => ({
          id: ready.item.communication.id,
          channel: ready.channel,
          detail: failure.message,
          response: failure.response,
        }));
        await tx.execute(sql`
          with v as (
            select * from jsonb_to_recordset(${JSON.stringify(values)}::jsonb) as v(id uuid, channel text, detail text, response jsonb)),
          moved as (
            update ${communications} c set status = ${statusAfter('retry_later')}, updated_at = ${now.toISOString()}
            from v where c.id = v.id and c.status = any(${movableArray('retry_later')}::text[])
            returning c.id)
          insert into ${communicationAttempts} (communication_id, channel, outcome, detail, provider_response, at)
          select v.id, v.channel, 'failed_temporarily', v.detail, v.response, ${now.toISOString()} from v join moved on moved.id = v.id`);
      }
      await deps.failures.record(
        tx,
        deliveryActor,
        permanent.map(({ ready, failure }) => ({
          communication: { ...ready.item.communication, address: ready.address },
          channel: ready.channel,
          outcome: 'failed_permanently',
          detail: failure.message,
          response: failure.response,
          addressRefused: failure.addressRefused,
        })),
      );
    });
    return new Map(temporary.map(({ ready, failure }) => [ready.item.communication.id, failure]));
  }

  /**
   * Ends the delivery of items that go nowhere now: suppressed, failed or bounced with the reason,
   * an attempt saying why where there is one, and a timeline entry; quiet hours defer an item to
   * their end, and items of a paused run look again later, each by a delivery job due then.
   */
  async function settle(
    tx: Executor,
    now: Date,
    settled: {
      closings: Closing[];
      deferrals: { item: Item; channel: Channel; reason: string; until: Date }[];
      later: EnqueueRequest[];
    },
  ) {
    const { closings, deferrals } = settled;
    const closed = closings.length
      ? await rows<{ id: string }>(
          tx,
          sql`update ${communications} c set status = v.status, status_reason = v.reason, updated_at = ${now.toISOString()}
              from jsonb_to_recordset(${JSON.stringify(
                closings.map(({ item, event, reason }) => ({
                  id: item.communication.id,
                  version: item.version,
                  ...moveValues(event),
                  reason,
                })),
              )}::jsonb) as v(id uuid, version text, status text, allowed text, reason text)
              where c.id = v.id and c.xmin = v.version::xid and c.status = any(v.allowed::text[])
              returning c.id`,
        )
      : [];
    const closedIds = new Set(closed.map((row) => row.id));
    const ended = closings.filter(({ item }) => closedIds.has(item.communication.id));
    const attempts = [
      ...ended.flatMap(({ item, reason, attempt }) =>
        attempt
          ? [
              {
                id: item.communication.id,
                channel: attempt.channel,
                outcome: attempt.outcome,
                detail: reason,
                response: attempt.response ?? null,
              },
            ]
          : [],
      ),
      ...deferrals.map(({ item, channel, until }) => ({
        id: item.communication.id,
        channel,
        outcome: 'deferred',
        detail: `Quiet hours: deferred until ${until.toISOString()}`,
        response: null,
      })),
    ];
    if (deferrals.length)
      await tx.execute(sql`
        update ${communications} c set channel = v.channel, channel_reason = v.reason, defer_until = v.until,
          updated_at = ${now.toISOString()}
        from jsonb_to_recordset(${JSON.stringify(
          deferrals.map(({ item, channel, reason, until }) => ({ id: item.communication.id, channel, reason, until })),
        )}::jsonb) as v(id uuid, channel text, reason text, until timestamptz)
        where c.id = v.id`);
    if (attempts.length)
      await tx.execute(sql`
        insert into ${communicationAttempts} (communication_id, channel, outcome, detail, provider_response, at)
        select v.id, v.channel, v.outcome, v.detail, v.response, ${now.toISOString()}
        from jsonb_to_recordset(${JSON.stringify(attempts)}::jsonb) as v(id uuid, channel text, outcome text, detail text, response jsonb)`);
    await deps.timeline.appendMany(
      tx,
      ended.map(({ item, reason, title }) => ({
        customerId: item.communication.customerId,
        kind: 'communication',
        title,
        body: reason,
        subjectType: 'communication',
        subjectId: item.communication.id,
        at: now,
      })),
    );
    await deps.queue.enqueueMany(tx, [
      ...settled.later,
      ...deferrals.map(({ item, until }) => deliverJob(item.communication.id, until)),
    ]);
  }

  /** The template cannot be rendered for this item (or ran out of time): the same would happen again, so it fails for good. */
  const renderFailure = (entry: Routed, error: RenderError | RenderBudgetExceeded): Closing => ({
    item: entry.item,
    event: 'fail',
    reason: error.message,
    title:
      error instanceof RenderError
        ? `Not sent: the ${entry.channel} cannot be rendered`
        : 'Not sent: rendering ran out of time',
    attempt: { channel: entry.channel, outcome: 'failed_permanently' },
  });

  /**
   * Delivers a batch of communications (each once, however often it is named). Answers the items
   * whose delivery should be tried again later, each with its reason; every other item is done for
   * now (handed over, settled, or handed to a new job). A failure of the whole batch (the database,
   * the archive) is thrown, and every item of it is tried again.
   */
  async function deliverMany(ids: readonly string[], signal?: AbortSignal): Promise<Map<string, Error>> {
    const retry = new Map<string, Error>();
    const items = await load([...new Set(ids)]);
    if (items.length === 0) return retry;
    const now = clock.now();
    const { routed, closings, later, deferrals } = await route(items, now);
    const brand = routed.length ? await deps.brand() : undefined;
    const { archived, rendered } = brand ? await render(routed, brand, now) : { archived: [], rendered: [] };
    const good = rendered.flatMap(({ outcome, ...task }) =>
      outcome instanceof Error ? [] : [{ ...task, item: outcome }],
    );
    for (const { entry, outcome } of rendered) {
      if (outcome instanceof RenderError || outcome instanceof RenderBudgetExceeded)
        closings.push(renderFailure(entry, outcome));
      else if (outcome instanceof Error) retry.set(entry.item.communication.id, outcome);
    }
    const ready = [...(await reuse(archived, retry)), ...(await archive(good, now))];

    const settled = { closings, deferrals, later };
    if (closings.length || deferrals.length || later.length) {
      await db.transaction((tx) => settle(tx, now, settled));
      deps.queue.notifyEnqueued();
    }
    // A worker that is stopping hands over nothing more: what is not marked yet is simply tried again.
    signal?.throwIfAborted();
    const marked = await markHandingOver(ready, now);
    const going = ready.filter((entry) => marked.has(entry.item.communication.id));
    if (going.length === 0) return retry;
    const outcomes = await handOver(going, brand!);
    for (const [id, failure] of await record(outcomes, clock.now())) retry.set(id, failure);
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
  };
}

/** A status change as values of a statement over many rows: each row's new status and the statuses it may leave. */
const moveValues = (event: CommunicationEvent) => ({ status: statusAfter(event), allowed: movableArray(event) });

function deliverJob(communicationId: string, runAt: Date): EnqueueRequest {
  return { kind: DELIVER_JOB, payload: { communicationId }, runAt, maxAttempts: DELIVER_ATTEMPTS };
}

export const requestHash = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex');
