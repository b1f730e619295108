import { sql } from 'drizzle-orm';
import type { AuditTrail } from '../audit/audit.service.js';
import type { CustomersService } from '../customers/customers.service.js';
import type { Channel } from '../customers/customers.tables.js';
import { rows, type Executor } from '../db/database.js';
import type { JobQueue } from '../jobs/job-queue.js';
import type { Actor } from '../shared/actor.js';
import type { Clock } from '../shared/clock.js';
import type { Timeline } from '../timeline/timeline.service.js';
import { communicationAttempts, communications } from './communications.tables.js';
import { deliverJob } from './delivery-batch.js';
import { movableArray, statusAfter } from './lifecycle.js';

export type PermanentFailure = {
  communication: { id: string; customerId: string; address: string | null };
  channel: Channel;
  /** `bounced`: the mailbox refused an email the server had taken; otherwise the channel refused it. */
  outcome: 'failed_permanently' | 'bounced';
  detail: string;
  response?: Record<string, unknown>;
  /** The refusal was about the address (no such mailbox or number), not the message or our setup. */
  addressRefused: boolean;
};

export type PermanentFailures = ReturnType<typeof createPermanentFailures>;

/**
 * The one place where a channel refuses items for good, whoever hears of it: the pipeline at the
 * hand-over, a bounce, a gateway receipt. In the caller's transaction each item falls back (queued
 * again, the channel added to its failed channels, the refusal in its attempts, a timeline entry,
 * an audit event), a refused address is marked undeliverable on its customer, and a delivery job
 * routes the item to its next channel. Guarded by the lifecycle: an item no longer on that channel
 * (a duplicate report, or one that moved on) changes nothing. Returns the ids that fell back.
 */
export function createPermanentFailures(deps: {
  clock: Clock;
  audit: Pick<AuditTrail, 'record'>;
  timeline: Pick<Timeline, 'appendMany'>;
  customers: Pick<CustomersService, 'markUndeliverable'>;
  queue: Pick<JobQueue, 'enqueueMany'>;
}) {
  return {
    async record(tx: Executor, actor: Actor, failures: readonly PermanentFailure[]): Promise<Set<string>> {
      if (failures.length === 0) return new Set();
      const now = deps.clock.now().toISOString();
      const values = failures.map((failure) => ({
        id: failure.communication.id,
        channel: failure.channel,
        outcome: failure.outcome,
        detail: failure.detail,
        response: failure.response ?? null,
      }));
      const moved = await rows<{ id: string }>(
        tx,
        sql`with v as (
              select * from jsonb_to_recordset(${JSON.stringify(values)}::jsonb)
                as v(id uuid, channel text, outcome text, detail text, response jsonb)),
            moved as (
              update ${communications} c
              set status = ${statusAfter('fall_back')}, status_reason = v.detail,
                  failed_channels = array_append(c.failed_channels, v.channel), updated_at = ${now}
              from v
              where c.id = v.id and c.status = any(${movableArray('fall_back')}::text[]) and c.channel = v.channel
                and not (v.channel = any(c.failed_channels))
              returning c.id),
            logged as (
              insert into ${communicationAttempts} (communication_id, channel, outcome, detail, provider_response, at)
              select v.id, v.channel, v.outcome, v.detail, v.response, ${now} from v join moved on moved.id = v.id)
            select id from moved`,
      );
      const fellBack = new Set(moved.map((row) => row.id));
      const applied = failures.filter((failure) => fellBack.has(failure.communication.id));
      if (applied.length === 0) return fellBack;
      await deps.customers.markUndeliverable(
        tx,
        actor,
        applied
          .filter((failure) => failure.addressRefused && failure.communication.address)
          .map((failure) => ({
            customerId: failure.communication.customerId,
            channel: failure.channel,
            address: failure.communication.address!,
            reason: failure.detail,
          })),
      );
      await deps.timeline.appendMany(
        tx,
        applied.map((failure) => ({
          customerId: failure.communication.customerId,
          kind: 'communication',
          title: `${failure.channel} failed; trying the next channel`,
          body: failure.detail,
          subjectType: 'communication',
          subjectId: failure.communication.id,
        })),
      );
      for (const failure of applied)
        await deps.audit.record(tx, actor, {
          action: 'communication.failed_permanently',
          entityType: 'communication',
          entityId: failure.communication.id,
          summary: {
            channel: failure.channel,
            address: failure.communication.address,
            outcome: failure.outcome,
            detail: failure.detail,
          },
        });
      await deps.queue.enqueueMany(
        tx,
        applied.map((failure) => deliverJob(failure.communication.id)),
      );
      return fellBack;
    },
  };
}
