import { asc, eq } from 'drizzle-orm';
import type { AuditTrail } from '../audit/audit.service.js';
import { authorize } from '../auth/policy.js';
import type { CustomersService } from '../customers/customers.service.js';
import type { Database } from '../db/database.js';
import { RenderError } from '../rendering/errors.js';
import { newCompileSession, parseField, renderField } from '../rendering/liquid.js';
import { templateScope, renderLocaleOf } from '../rendering/context.js';
import type { Brand } from '../rendering/types.js';
import type { Actor } from '../shared/actor.js';
import type { Clock } from '../shared/clock.js';
import { AppError, notFound } from '../shared/errors.js';
import { renderContextFor } from '../templates/render-context.js';
import type { CannedResponseInput } from './canned-responses.schemas.js';
import { ticketLabel } from './ticket-lifecycle.js';
import type { TicketRecords } from './ticket-records.js';
import { cannedResponses } from './tickets.tables.js';

const nameTaken = (name: string) =>
  new AppError('conflict', 'canned_response.name_taken', `A canned response named “${name}” already exists.`, [
    { path: 'body.name', message: 'is already taken' },
  ]);

/** A placeholder that does not parse or render is the author's to fix, named as the body. */
const invalidBody = (error: RenderError) =>
  new AppError(
    'validation_failed',
    'canned_response.invalid',
    `The canned response cannot be rendered: ${error.message}`,
    [{ path: 'body.body', message: error.message }],
  );

const parse = (body: string) => parseField(newCompileSession({}), 'portal.body', 'text', body);

export type CannedResponsesService = ReturnType<typeof createCannedResponsesService>;

/**
 * Answers agents use again and again. Managers keep them; agents insert them into a reply, their
 * Liquid placeholders (customer, ticket, agent) filled in the same sandbox templates render in.
 */
export function createCannedResponsesService(deps: {
  db: Database;
  audit: Pick<AuditTrail, 'record'>;
  records: Pick<TicketRecords, 'load' | 'staffLabel'>;
  customers: Pick<CustomersService, 'load'>;
  brand: () => Promise<Brand>;
  clock: Clock;
}) {
  const { db, audit, records, clock } = deps;

  /** Only a body that parses is kept: an agent never meets a broken placeholder. */
  function check(body: string) {
    try {
      parse(body);
    } catch (error) {
      if (error instanceof RenderError) throw invalidBody(error);
      throw error;
    }
  }

  return {
    async list(actor: Actor) {
      authorize(actor, 'canned_responses.read');
      return db.select().from(cannedResponses).orderBy(asc(cannedResponses.name));
    },

    async create(actor: Actor, input: CannedResponseInput) {
      authorize(actor, 'canned_responses.manage');
      check(input.body);
      return db.transaction(async (tx) => {
        const now = clock.now();
        const [created] = await tx
          .insert(cannedResponses)
          .values({ ...input, createdBy: await records.staffLabel(tx, actor), createdAt: now, updatedAt: now })
          .onConflictDoNothing()
          .returning();
        if (!created) throw nameTaken(input.name);
        await audit.record(tx, actor, {
          action: 'canned_response.created',
          entityType: 'canned_response',
          entityId: created.id,
          summary: { name: created.name },
        });
        return created;
      });
    },

    async update(actor: Actor, id: string, change: Partial<CannedResponseInput>) {
      authorize(actor, 'canned_responses.manage');
      if (change.body !== undefined) check(change.body);
      return db.transaction(async (tx) => {
        const [existing] = await tx.select().from(cannedResponses).where(eq(cannedResponses.id, id)).for('update');
        if (!existing) throw notFound('canned response', id);
        if (change.name && change.name !== existing.name) {
          const [other] = await tx
            .select({ id: cannedResponses.id })
            .from(cannedResponses)
            .where(eq(cannedResponses.name, change.name));
          if (other) throw nameTaken(change.name);
        }
        const [updated] = await tx
          .update(cannedResponses)
          .set({ ...change, updatedAt: clock.now() })
          .where(eq(cannedResponses.id, id))
          .returning();
        await audit.record(tx, actor, {
          action: 'canned_response.updated',
          entityType: 'canned_response',
          entityId: id,
          summary: { name: updated!.name, changed: Object.keys(change) },
        });
        return updated!;
      });
    },

    async remove(actor: Actor, id: string) {
      authorize(actor, 'canned_responses.manage');
      await db.transaction(async (tx) => {
        const [removed] = await tx.delete(cannedResponses).where(eq(cannedResponses.id, id)).returning();
        if (!removed) throw notFound('canned response', id);
        await audit.record(tx, actor, {
          action: 'canned_response.deleted',
          entityType: 'canned_response',
          entityId: id,
          summary: { name: removed.name },
        });
      });
    },

    /** The canned response as it reads for this ticket's customer, signed by the agent asking. */
    async renderFor(actor: Actor, id: string, ticketId: string) {
      authorize(actor, 'canned_responses.read');
      authorize(actor, 'tickets.read');
      const [canned] = await db.select().from(cannedResponses).where(eq(cannedResponses.id, id));
      if (!canned) throw notFound('canned response', id);
      const ticket = await records.load(db, ticketId);
      const [customer, brand, agentName] = await Promise.all([
        deps.customers.load(db, ticket.customerId),
        deps.brand(),
        records.staffLabel(db, actor),
      ]);
      const context = renderContextFor(customer, brand, {}, clock.now());
      const scope = {
        ...templateScope(context),
        ticket: {
          number: ticket.number,
          label: ticketLabel(ticket),
          subject: ticket.subject,
          kind: ticket.kind,
          status: ticket.status,
        },
        agent: { name: agentName, email: actor.kind === 'user' ? actor.email : '' },
      };
      try {
        return { body: renderField(parse(canned.body), scope, renderLocaleOf(context)) };
      } catch (error) {
        if (!(error instanceof RenderError)) throw error;
        throw new AppError('unprocessable', 'canned_response.render_failed', error.message, [
          { path: 'params.id', message: error.message },
        ]);
      }
    },
  };
}
