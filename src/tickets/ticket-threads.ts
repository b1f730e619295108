import { and, eq, inArray, isNotNull } from 'drizzle-orm';
import { communications } from '../communications/communications.tables.js';
import type { Database, Executor } from '../db/database.js';
import { ticketMessages, tickets } from './tickets.tables.js';

/**
 * What an inbound email answers, by the Message-IDs it names (In-Reply-To, References), nearest
 * first: an email Tidings sent, and the ticket when that email was a ticket's public reply; or a
 * customer's own earlier mail that is on a ticket. Null when it names nothing Tidings knows. Its two
 * reads go at once, so it takes the pool: a transaction's one connection would be sent both together.
 */
export async function answeredThread(
  db: Database,
  messageIds: readonly string[],
): Promise<
  | { communicationId: string; customerId: string; ticketId: string | null }
  | { communicationId: null; customerId: null; ticketId: string }
  | null
> {
  if (messageIds.length === 0) return null;
  const [sent, received] = await Promise.all([
    db
      .select({
        messageId: communications.providerMessageId,
        communicationId: communications.id,
        customerId: communications.customerId,
        ticketId: ticketMessages.ticketId,
      })
      .from(communications)
      .leftJoin(ticketMessages, eq(ticketMessages.communicationId, communications.id))
      .where(and(inArray(communications.providerMessageId, [...messageIds]), eq(communications.channel, 'email'))),
    db
      .select({ messageId: ticketMessages.emailMessageId, ticketId: ticketMessages.ticketId })
      .from(ticketMessages)
      .where(and(inArray(ticketMessages.emailMessageId, [...messageIds]), isNotNull(ticketMessages.emailMessageId))),
  ]);
  for (const messageId of messageIds) {
    const communication = sent.find((row) => row.messageId === messageId);
    if (communication)
      return {
        communicationId: communication.communicationId,
        customerId: communication.customerId,
        ticketId: communication.ticketId,
      };
    const earlier = received.find((row) => row.messageId === messageId);
    if (earlier) return { communicationId: null, customerId: null, ticketId: earlier.ticketId };
  }
  return null;
}

/** The ticket an inbound email with this Message-ID is already on: the same mail came twice. */
export async function ticketWithEmail(executor: Executor, messageId: string): Promise<string | null> {
  const [row] = await executor
    .select({ ticketId: ticketMessages.ticketId })
    .from(ticketMessages)
    .where(eq(ticketMessages.emailMessageId, messageId));
  return row?.ticketId ?? null;
}

/** The number people read for a ticket, for reports such as `tidings inbound test`. */
export async function ticketNumberOf(executor: Executor, ticketId: string): Promise<number | null> {
  const [row] = await executor.select({ number: tickets.number }).from(tickets).where(eq(tickets.id, ticketId));
  return row?.number ?? null;
}
