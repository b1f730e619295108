import { and, eq, sql } from 'drizzle-orm';
import { authorize } from '../auth/policy.js';
import type { Database } from '../db/database.js';
import type { Actor } from '../shared/actor.js';
import type { Clock } from '../shared/clock.js';
import { assertNotHeld } from '../records/legal-holds.guard.js';
import { AppError, notFound } from '../shared/errors.js';
import type { SlaService } from './sla/sla.service.js';
import { ticketLabel } from './ticket-lifecycle.js';
import { invalidTicket, type Ticket, type TicketRecords } from './ticket-records.js';
import { ticketLinks, ticketMessages, tickets } from './tickets.tables.js';

/** Merging two tickets of a customer into one, and splitting a customer message out into a ticket of its own. */
export function createTicketMerge(deps: {
  db: Database;
  records: TicketRecords;
  sla: Pick<SlaService, 'dueTimesFor'>;
  clock: Clock;
}) {
  const { db, records, sla, clock } = deps;

  return {
    /** Moves the conversation and links of one ticket onto another of the same customer and closes it. */
    async merge(actor: Actor, id: string, intoId: string) {
      authorize(actor, 'tickets.work');
      if (id === intoId) throw invalidTicket('intoTicketId', 'is the ticket itself');
      return db.transaction(async (tx) => {
        // Locked in id order, so two merges of the same pair cannot wait for each other.
        const [first, second] = [id, intoId].sort();
        const locked = new Map<string, Ticket>();
        for (const ticketId of [first!, second!]) {
          const ticket = await tx.select().from(tickets).where(eq(tickets.id, ticketId)).for('update');
          if (ticket[0]) locked.set(ticketId, ticket[0]);
        }
        const source = locked.get(id);
        if (!source) throw notFound('ticket', id);
        const target = locked.get(intoId);
        if (!target) throw invalidTicket('intoTicketId', `names no ticket (${intoId})`);
        if (source.mergedIntoId || target.mergedIntoId)
          throw new AppError(
            'conflict',
            'ticket.merged',
            'A ticket that was merged away cannot take part in another merge.',
          );
        if (source.customerId !== target.customerId)
          throw invalidTicket('intoTicketId', 'names a ticket of another customer');
        await assertNotHeld(
          tx,
          [
            { type: 'ticket', id },
            { type: 'ticket', id: intoId },
          ],
          'merged',
        );
        const now = clock.now();
        await tx.update(ticketMessages).set({ ticketId: intoId }).where(eq(ticketMessages.ticketId, id));
        await tx.execute(sql`insert into ticket_links (ticket_id, target_type, target_id, created_at, created_by)
          select ${intoId}, target_type, target_id, created_at, created_by from ticket_links where ticket_id = ${id}
          on conflict do nothing`);
        await tx.delete(ticketLinks).where(eq(ticketLinks.ticketId, id));
        await tx
          .update(tickets)
          .set({ status: 'closed', mergedIntoId: intoId, closedAt: now, updatedAt: now })
          .where(eq(tickets.id, id));
        await tx
          .update(tickets)
          .set({ tags: [...new Set([...target.tags, ...source.tags])], updatedAt: now })
          .where(eq(tickets.id, intoId));
        await records.insertMessage(tx, {
          ticketId: intoId,
          kind: 'note',
          body: `${ticketLabel(source)} (“${source.subject}”) was merged into this ticket.`,
          authorUserId: actor.kind === 'user' ? actor.userId : null,
          authorLabel: await records.staffLabel(tx, actor),
        });
        await records.record(tx, actor, source, {
          action: 'merge',
          title: `merged into ${ticketLabel(target)}`,
          summary: { intoId },
        });
        await records.record(tx, actor, target, {
          action: 'merged_in',
          title: `took in ${ticketLabel(source)}`,
          summary: { fromId: id },
        });
        return records.presentOne(tx, intoId);
      });
    },

    /** Makes one customer message of a ticket into a ticket of its own. */
    async split(actor: Actor, id: string, input: { messageId: string; subject?: string }) {
      authorize(actor, 'tickets.work');
      return db.transaction(async (tx) => {
        const ticket = await records.load(tx, id, true);
        await assertNotHeld(tx, [{ type: 'ticket', id }], 'split');
        const [message] = await tx
          .select()
          .from(ticketMessages)
          .where(and(eq(ticketMessages.id, input.messageId), eq(ticketMessages.ticketId, id)));
        if (!message) throw invalidTicket('messageId', 'names no message of this ticket');
        if (message.kind !== 'customer') throw invalidTicket('messageId', "names a staff message, not the customer's");
        const now = clock.now();
        const due = await sla.dueTimesFor(tx, { kind: ticket.kind, priority: ticket.priority, createdAt: now });
        const [created] = await tx
          .insert(tickets)
          .values({
            ...due,
            kind: ticket.kind,
            subject: input.subject ?? `${message.body.replace(/\s+/g, ' ').slice(0, 80)}`,
            customerId: ticket.customerId,
            contactId: ticket.contactId,
            source: ticket.source,
            queueId: ticket.queueId,
            assigneeId: ticket.assigneeId,
            priority: ticket.priority,
            tags: ticket.tags,
            createdBy: await records.staffLabel(tx, actor),
            createdAt: now,
            updatedAt: now,
          })
          .returning();
        await tx.update(ticketMessages).set({ ticketId: created!.id }).where(eq(ticketMessages.id, message.id));
        await tx.update(tickets).set({ updatedAt: now }).where(eq(tickets.id, id));
        await records.record(tx, actor, created!, {
          action: 'split',
          title: `split from ${ticketLabel(ticket)}: ${created!.subject}`,
          summary: { fromId: id, messageId: message.id },
        });
        return records.presentOne(tx, created!.id);
      });
    },
  };
}
