import { eq, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { AuditTrail } from '../audit/audit.service.js';
import { authorize } from '../auth/policy.js';
import { verifySignature } from '../channels/gateway.channel.js';
import { customers } from '../customers/customers.tables.js';
import { isUuid, type Database } from '../db/database.js';
import type { JobQueue } from '../jobs/job-queue.js';
import type { Actor } from '../shared/actor.js';
import { systemActor } from '../shared/actor.js';
import type { Clock } from '../shared/clock.js';
import { AppError } from '../shared/errors.js';
import type { Timeline } from '../timeline/timeline.service.js';
import { communicationAttempts, communications } from './communications.tables.js';
import { DELIVER_JOB } from './delivery.pipeline.js';

export const gatewayReceiptSchema = z.strictObject({
  id: z.string().min(1).max(200).describe("The gateway's message id, or our communication id"),
  status: z.enum(['delivered', 'failed']),
  permanent: z.boolean().default(true).describe('For failed: whether retrying this address is pointless'),
  detail: z.string().max(2000).optional(),
});

export const bounceSchema = z.strictObject({
  messageId: z.string().min(3).max(300).describe('The Message-ID header of the bounced email'),
  kind: z.enum(['hard', 'soft']),
  diagnostic: z.string().max(2000).optional(),
});

export type ReceiptsService = ReturnType<typeof createReceiptsService>;

/** Delivery receipts and bounces: they move a communication's status and, when final, route it elsewhere. */
export function createReceiptsService(deps: {
  db: Database;
  clock: Clock;
  audit: Pick<AuditTrail, 'record'>;
  queue: Pick<JobQueue, 'enqueue'>;
  timeline: Pick<Timeline, 'append'>;
  gatewaySecret: string;
}) {
  const { db, clock } = deps;

  async function find(id: string) {
    const [communication] = await db
      .select()
      .from(communications)
      .where(
        isUuid(id)
          ? or(eq(communications.id, id), eq(communications.providerMessageId, id))
          : eq(communications.providerMessageId, id),
      );
    if (!communication)
      throw new AppError('not_found', 'communication.not_found', `No communication with provider id ${id}.`);
    return communication;
  }

  /** A channel failed for good after hand-over: never route to that address again, and try the next channel. */
  async function failHard(communication: typeof communications.$inferSelect, detail: string, actor: Actor) {
    await db.transaction(async (tx) => {
      const now = clock.now();
      await tx.insert(communicationAttempts).values({
        communicationId: communication.id,
        channel: communication.channel,
        outcome: 'failed_permanently',
        detail,
        at: now,
      });
      await tx
        .update(customers)
        .set({
          undeliverable: sql`array_append(${customers.undeliverable}, ${`${communication.channel}:${communication.address}`})`,
        })
        .where(eq(customers.id, communication.customerId));
      await tx
        .update(communications)
        .set({
          status: 'queued',
          statusReason: detail,
          failedChannels: sql`array_append(${communications.failedChannels}, ${communication.channel})`,
          updatedAt: now,
        })
        .where(eq(communications.id, communication.id));
      await deps.timeline.append(tx, {
        customerId: communication.customerId,
        kind: 'communication',
        title: `${communication.channel} failed; trying the next channel`,
        body: detail,
        subjectType: 'communication',
        subjectId: communication.id,
      });
      await deps.queue.enqueue(tx, { kind: DELIVER_JOB, payload: { communicationId: communication.id } });
      await deps.audit.record(tx, actor, {
        action: 'communication.failed_permanently',
        entityType: 'communication',
        entityId: communication.id,
        summary: { channel: communication.channel, address: communication.address, detail },
      });
    });
  }

  return {
    /** A signed callback from the SMS/fax gateway; a forged or stale signature is refused. */
    async gatewayReceipt(rawBody: string, signature: string | undefined) {
      if (!verifySignature(deps.gatewaySecret, rawBody, signature)) {
        throw new AppError(
          'unauthenticated',
          'gateway.bad_signature',
          'The receipt signature is missing, forged or older than five minutes.',
        );
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(rawBody);
      } catch {
        throw new AppError('bad_request', 'malformed_json', 'The receipt is not JSON.');
      }
      const result = gatewayReceiptSchema.safeParse(parsed);
      if (!result.success) {
        const details = result.error.issues.map((issue) => ({
          path: `body.${issue.path.join('.')}`,
          message: issue.message,
        }));
        throw new AppError(
          'validation_failed',
          'validation_failed',
          details.map((d) => `${d.path}: ${d.message}`).join('; '),
          details,
        );
      }
      const receipt = result.data;
      const communication = await find(receipt.id);
      const actor = systemActor(`${communication.channel ?? 'gateway'} gateway`);
      if (receipt.status === 'delivered') {
        await db.transaction(async (tx) => {
          await tx
            .update(communications)
            .set({ status: 'delivered', deliveredAt: clock.now(), updatedAt: clock.now() })
            .where(eq(communications.id, communication.id));
          await tx.insert(communicationAttempts).values({
            communicationId: communication.id,
            channel: communication.channel,
            outcome: 'handed_over',
            detail: `Delivered${receipt.detail ? `: ${receipt.detail}` : ''}`,
            providerResponse: receipt,
            at: clock.now(),
          });
        });
      } else if (receipt.permanent) {
        await failHard(
          communication,
          `The gateway reported a permanent failure${receipt.detail ? `: ${receipt.detail}` : ''}`,
          actor,
        );
      } else {
        await db.insert(communicationAttempts).values({
          communicationId: communication.id,
          channel: communication.channel,
          outcome: 'failed_temporarily',
          detail: receipt.detail ?? 'temporary failure',
          providerResponse: receipt,
          at: clock.now(),
        });
      }
      return find(communication.id);
    },

    /** A bounce notification for an email we sent, by its Message-ID. */
    async bounce(actor: Actor, bounce: z.infer<typeof bounceSchema>) {
      authorize(actor, 'delivery.receipts');
      const messageId = bounce.messageId.startsWith('<') ? bounce.messageId : `<${bounce.messageId}>`;
      const communication = await find(messageId);
      if (bounce.kind === 'hard') {
        await failHard(communication, `Hard bounce${bounce.diagnostic ? `: ${bounce.diagnostic}` : ''}`, actor);
      } else {
        await db.insert(communicationAttempts).values({
          communicationId: communication.id,
          channel: 'email',
          outcome: 'failed_temporarily',
          detail: `Soft bounce${bounce.diagnostic ? `: ${bounce.diagnostic}` : ''}`,
          at: clock.now(),
        });
      }
      return find(communication.id);
    },
  };
}
