import { sql } from 'drizzle-orm';
import type { CustomersService } from '../customers/customers.service.js';
import type { Channel } from '../customers/customers.tables.js';
import { rows, type Database, type Executor } from '../db/database.js';
import type { EnqueueRequest, JobQueue } from '../jobs/job-queue.js';
import { systemActor } from '../shared/actor.js';
import type { Timeline } from '../timeline/timeline.service.js';
import { communicationAttempts, communications } from './communications.tables.js';
import { deliverJob, type Closing, type Deferral, type Outcome, type Ready } from './delivery-batch.js';
import { movableArray, statusAfter, type CommunicationEvent } from './lifecycle.js';
import type { PermanentFailures } from './permanent-failures.js';
import type { RatesService } from './rates.service.js';

// Each write here covers a whole batch in one statement, its rows as one JSON parameter
// (jsonb_to_recordset): a multi-row VALUES list would take a parameter per column per row.

const deliveryActor = systemActor('delivery');

/** A status change as values of a statement over many rows: each row's new status and the statuses it may leave. */
const moveValues = (event: CommunicationEvent) => ({ status: statusAfter(event), allowed: movableArray(event) });

const json = (values: unknown[]) => sql`${JSON.stringify(values)}::jsonb`;

/**
 * Stored before the hand-over, in one statement for the batch: each item's copy, its channel and
 * status handing_over, and a handing_over attempt. If this process dies after the channel took an
 * item and before its outcome is stored, the next attempt knows the item may have arrived and says
 * so. Only items nobody moved since the batch read them are written (their row version is the one
 * read); only those go out.
 */
export async function markHandingOver(db: Database, ready: Ready[], now: Date): Promise<Set<string>> {
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
          select * from jsonb_to_recordset(${json(values)}) as v(id uuid, version text, channel text,
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

/**
 * Record, in one transaction for the batch: each item handed over as sent (a letter as waiting for
 * its print batch) with its transport, cost and attempt, its customer's last contact and a
 * timeline entry; a temporary refusal back to rendered, its copy kept for the retry; a permanent
 * one to the one place that falls back to the next channel. Answers the temporary refusals by
 * communication: those jobs try again later.
 */
export async function recordOutcomes(
  deps: {
    db: Database;
    rates: Pick<RatesService, 'costOf'>;
    customers: Pick<CustomersService, 'recordContact'>;
    timeline: Pick<Timeline, 'appendMany'>;
    failures: Pick<PermanentFailures, 'record'>;
  },
  outcomes: Outcome[],
  now: Date,
): Promise<Map<string, Error>> {
  const handed = outcomes.filter((outcome) => outcome.kind === 'handed_over');
  const temporary = outcomes.filter((outcome) => outcome.kind === 'temporary');
  const permanent = outcomes.filter((outcome) => outcome.kind === 'permanent');
  const costs = new Map<Channel, number>();
  for (const channel of new Set(handed.map(({ ready }) => ready.channel)))
    costs.set(channel, await deps.rates.costOf(channel));
  const at = now.toISOString();
  await deps.db.transaction(async (tx) => {
    if (handed.length) {
      const values = handed.map(({ ready, result }) => ({
        id: ready.item.communication.id,
        ...moveValues(ready.channel === 'letter' ? 'queue_for_print' : 'sent'),
        transport: result.transport,
        messageId: result.providerMessageId ?? ready.messageId,
        sentAt: ready.channel === 'letter' ? null : at,
        cost: costs.get(ready.channel)!,
        channel: ready.channel,
        detail: `Handed to ${result.transport}`,
        response: result.response,
      }));
      await tx.execute(sql`
        with v as (
          select * from jsonb_to_recordset(${json(values)}) as v(id uuid, status text, allowed text,
            transport text, "messageId" text, "sentAt" timestamptz, cost int, channel text, detail text, response jsonb)),
        moved as (
          update ${communications} c
          set status = v.status, transport = v.transport, provider_message_id = v."messageId", sent_at = v."sentAt",
              cost_millicents = v.cost, updated_at = ${at}
          from v
          where c.id = v.id and c.status = any(v.allowed::text[])
          returning c.id)
        insert into ${communicationAttempts} (communication_id, channel, outcome, detail, provider_response, at)
        select v.id, v.channel, 'handed_over', v.detail, v.response, ${at} from v join moved on moved.id = v.id`);
      await deps.customers.recordContact(
        tx,
        handed.map(({ ready }) => ({ customerId: ready.item.communication.customerId, at: now })),
      );
      await deps.timeline.appendMany(
        tx,
        handed.map(({ ready }) => {
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
        ...moveValues('retry_later'),
        channel: ready.channel,
        detail: failure.message,
        response: failure.response,
      }));
      await tx.execute(sql`
        with v as (
          select * from jsonb_to_recordset(${json(values)}) as v(id uuid, status text, allowed text, channel text,
            detail text, response jsonb)),
        moved as (
          update ${communications} c set status = v.status, updated_at = ${at}
          from v where c.id = v.id and c.status = any(v.allowed::text[])
          returning c.id)
        insert into ${communicationAttempts} (communication_id, channel, outcome, detail, provider_response, at)
        select v.id, v.channel, 'failed_temporarily', v.detail, v.response, ${at} from v join moved on moved.id = v.id`);
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

/** Hand-over outcomes recorded this long after the first of a group came in, at the latest. */
const RECORD_WITHIN_MS = 200;

/**
 * Records hand-over outcomes as they come in: a batch whose hand-overs all finish quickly in one
 * transaction, a slow one (a mail server that keeps it waiting) in a few, so that what a channel took
 * is on record soon even while the rest of its batch waits, and a stopping worker leaves as little
 * as possible to be handed over again. `finish` records the rest and answers the temporary refusals;
 * it throws the first failure to record (those items are handed over again, marked so).
 */
export function outcomeRecorder(record: (outcomes: Outcome[]) => Promise<Map<string, Error>>, signal?: AbortSignal) {
  const pending: Outcome[] = [];
  const retry = new Map<string, Error>();
  let timer: NodeJS.Timeout | undefined;
  let recording: Promise<void> = Promise.resolve();
  let failure: unknown;
  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    const group = pending.splice(0);
    if (group.length === 0 || failure !== undefined) return recording;
    recording = recording.then(async () => {
      if (failure !== undefined) return;
      try {
        for (const [id, error] of await record(group)) retry.set(id, error);
      } catch (error) {
        failure = error;
      }
    });
    return recording;
  };
  // A worker stopping after its grace gives its jobs back: what was taken is recorded at once.
  signal?.addEventListener('abort', () => void flush(), { once: true });
  return {
    add(outcome: Outcome) {
      pending.push(outcome);
      timer ??= setTimeout(flush, RECORD_WITHIN_MS);
    },
    async finish() {
      await flush();
      if (failure !== undefined) throw failure;
      return retry;
    },
  };
}

/**
 * Ends the delivery of items that go nowhere now, in the caller's transaction: suppressed, failed
 * or bounced with the reason (only if nobody moved them since the batch read them), an attempt
 * saying why where there is one, and a timeline entry. Quiet hours defer an item to their end, and
 * items of a paused run look again later, each by a delivery job due then.
 */
export async function settle(
  deps: { queue: Pick<JobQueue, 'enqueueMany'>; timeline: Pick<Timeline, 'appendMany'> },
  tx: Executor,
  now: Date,
  settled: { closings: Closing[]; deferrals: Deferral[]; later: EnqueueRequest[] },
) {
  const { closings, deferrals } = settled;
  const at = now.toISOString();
  const closed = closings.length
    ? await rows<{ id: string }>(
        tx,
        sql`update ${communications} c set status = v.status, status_reason = v.reason, updated_at = ${at}
            from jsonb_to_recordset(${json(
              closings.map(({ item, event, reason }) => ({
                id: item.communication.id,
                version: item.version,
                ...moveValues(event),
                reason,
              })),
            )}) as v(id uuid, version text, status text, allowed text, reason text)
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
  // Waiting out quiet hours changes no status: the item stays where it was, with the channel and when.
  if (deferrals.length)
    await tx.execute(sql`
      update ${communications} c set channel = v.channel, channel_reason = v.reason, defer_until = v.until,
        updated_at = ${at}
      from jsonb_to_recordset(${json(
        deferrals.map(({ item, channel, reason, until }) => ({ id: item.communication.id, channel, reason, until })),
      )}) as v(id uuid, channel text, reason text, until timestamptz)
      where c.id = v.id`);
  if (attempts.length)
    await tx.execute(sql`
      insert into ${communicationAttempts} (communication_id, channel, outcome, detail, provider_response, at)
      select v.id, v.channel, v.outcome, v.detail, v.response, ${at}
      from jsonb_to_recordset(${json(attempts)}) as v(id uuid, channel text, outcome text, detail text, response jsonb)`);
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
