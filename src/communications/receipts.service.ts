import { and, eq, inArray, lt } from 'drizzle-orm';
import type { AuditTrail } from '../audit/audit.service.js';
import { authorize } from '../auth/policy.js';
import { SIGNATURE_TOLERANCE_SECONDS, verifySignature } from '../channels/gateway.channel.js';
import type { Database, Transaction } from '../db/database.js';
import type { Actor } from '../shared/actor.js';
import { systemActor } from '../shared/actor.js';
import type { Clock } from '../shared/clock.js';
import { AppError } from '../shared/errors.js';
import { gatewayReceiptSchema, type Bounce, type GatewayReceipt } from './communications.schemas.js';
import { communicationAttempts, communications } from './communications.tables.js';
import { move } from './lifecycle.js';
import type { PermanentFailures } from './permanent-failures.js';
import { gatewayReceiptSignatures } from './receipts.tables.js';

export type ReceiptsService = ReturnType<typeof createReceiptsService>;

type Communication = typeof communications.$inferSelect;

/** The transports that call back with receipts: only items handed to them can be moved by one. */
const gatewayTransports = ['sms-gateway', 'fax-gateway'];

/**
 * Delivery receipts and bounces: they move a communication's status and, when final, route it
 * elsewhere. Each change is guarded by the state it expects, so a receipt or bounce that arrives
 * twice changes nothing the second time. A permanent failure goes to the one place that records
 * them (`permanent-failures.ts`), as the pipeline's own do.
 */
export function createReceiptsService(deps: {
  db: Database;
  clock: Clock;
  audit: Pick<AuditTrail, 'record'>;
  failures: Pick<PermanentFailures, 'record'>;
  gatewaySecret: string | undefined;
}) {
  const { db, clock } = deps;

  /** A channel failed for good after hand-over; false when the item no longer waits on that channel. */
  async function failHard(
    tx: Transaction,
    actor: Actor,
    communication: Communication,
    outcome: 'failed_permanently' | 'bounced',
    detail: string,
  ) {
    const moved = await deps.failures.record(tx, actor, [
      { communication, channel: communication.channel!, outcome, detail, addressRefused: true },
    ]);
    return moved.has(communication.id);
  }

  /** Applies one receipt to the item it names; whether it changed anything. */
  async function apply(tx: Transaction, actor: Actor, communication: Communication, receipt: GatewayReceipt) {
    const channel = communication.channel!;
    const now = clock.now();
    if (receipt.status === 'failed' && receipt.permanent)
      return failHard(
        tx,
        actor,
        communication,
        'failed_permanently',
        `The gateway reported a permanent failure${receipt.detail ? `: ${receipt.detail}` : ''}`,
      );
    if (receipt.status === 'delivered') {
      const delivered = move('delivered');
      const [moved] = await tx
        .update(communications)
        .set({ status: delivered.status, deliveredAt: now, updatedAt: now })
        .where(and(eq(communications.id, communication.id), delivered.allowed))
        .returning({ id: communications.id });
      if (!moved) return false;
    } else if (communication.status !== 'sent') return false;
    await tx.insert(communicationAttempts).values({
      communicationId: communication.id,
      channel,
      outcome: receipt.status === 'delivered' ? 'handed_over' : 'failed_temporarily',
      detail:
        receipt.status === 'delivered'
          ? `Delivered${receipt.detail ? `: ${receipt.detail}` : ''}`
          : (receipt.detail ?? 'temporary failure'),
      providerResponse: receipt,
      at: now,
    });
    return true;
  }

  return {
    /**
     * A signed callback from the SMS/fax gateway. A forged or stale signature is refused, and so is a
     * signature already seen (for as long as it would be accepted). It applies only to an SMS or fax
     * handed to a gateway, found by the gateway's id.
     */
    async gatewayReceipt(rawBody: string, signatureHeader: string | undefined) {
      if (!deps.gatewaySecret)
        throw new AppError(
          'unauthenticated',
          'gateway.receipts_disabled',
          'Receipts are not accepted: no TIDINGS_GATEWAY_SECRET is configured.',
        );
      const now = clock.now();
      const signature = verifySignature(deps.gatewaySecret, rawBody, signatureHeader, Math.floor(now.getTime() / 1000));
      if (!signature) {
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
      // Signatures that would be refused as stale anyway need no remembering.
      await db
        .delete(gatewayReceiptSignatures)
        .where(lt(gatewayReceiptSignatures.signedAt, new Date(now.getTime() - SIGNATURE_TOLERANCE_SECONDS * 1000)));
      // The signature is remembered in the transaction that applies the receipt: a receipt refused
      // (its item not found yet) may come again with the same signature.
      return db.transaction(async (tx) => {
        const [fresh] = await tx
          .insert(gatewayReceiptSignatures)
          .values({ digest: signature.digest, signedAt: new Date(signature.at * 1000) })
          .onConflictDoNothing()
          .returning({ digest: gatewayReceiptSignatures.digest });
        if (!fresh)
          throw new AppError(
            'conflict',
            'gateway.receipt_replayed',
            'This receipt was already received with this signature; a replay is not applied again.',
          );
        const [communication] = await tx
          .select()
          .from(communications)
          .where(
            and(
              eq(communications.providerMessageId, receipt.id),
              inArray(communications.channel, ['sms', 'fax']),
              inArray(communications.transport, gatewayTransports),
            ),
          )
          .for('update');
        if (!communication)
          throw new AppError(
            'not_found',
            'communication.not_found',
            `No SMS or fax handed to a gateway has provider id ${receipt.id}.`,
          );
        const gateway = systemActor(`${communication.channel} gateway`);
        const applied = await apply(tx, gateway, communication, receipt);
        if (applied)
          await deps.audit.record(tx, gateway, {
            action: 'communication.receipt_applied',
            entityType: 'communication',
            entityId: communication.id,
            summary: {
              channel: communication.channel,
              providerMessageId: receipt.id,
              status: receipt.status,
              permanent: receipt.status === 'failed' ? receipt.permanent : undefined,
              detail: receipt.detail,
            },
          });
        const [current] = await tx
          .select({ id: communications.id, status: communications.status })
          .from(communications)
          .where(eq(communications.id, communication.id));
        return { ...current!, applied };
      });
    },

    /** A bounce notification for an email we sent, by its Message-ID. */
    async bounce(actor: Actor, bounce: Bounce) {
      authorize(actor, 'delivery.receipts');
      const messageId = bounce.messageId.startsWith('<') ? bounce.messageId : `<${bounce.messageId}>`;
      return db.transaction(async (tx) => {
        const [communication] = await tx
          .select()
          .from(communications)
          .where(and(eq(communications.providerMessageId, messageId), eq(communications.channel, 'email')))
          .for('update');
        if (!communication)
          throw new AppError('not_found', 'communication.not_found', `No email was sent with Message-ID ${messageId}.`);
        if (bounce.kind === 'hard') {
          await failHard(
            tx,
            actor,
            communication,
            'bounced',
            `Hard bounce${bounce.diagnostic ? `: ${bounce.diagnostic}` : ''}`,
          );
        } else {
          await tx.insert(communicationAttempts).values({
            communicationId: communication.id,
            channel: 'email',
            outcome: 'failed_temporarily',
            detail: `Soft bounce${bounce.diagnostic ? `: ${bounce.diagnostic}` : ''}`,
            at: clock.now(),
          });
        }
        const [current] = await tx
          .select({
            id: communications.id,
            status: communications.status,
            failedChannels: communications.failedChannels,
          })
          .from(communications)
          .where(eq(communications.id, communication.id));
        return current!;
      });
    },
  };
}
