import { and, asc, eq, ne, sql } from 'drizzle-orm';
import type { AuditTrail } from '../audit/audit.service.js';
import { fieldChanges } from '../audit/audit-changes.js';
import { authorize } from '../auth/policy.js';
import type { Database, Executor } from '../db/database.js';
import { isUuid } from '../db/database.js';
import type { Actor } from '../shared/actor.js';
import type { Clock } from '../shared/clock.js';
import { AppError, notFound } from '../shared/errors.js';
import type { DocumentTypeChange, DocumentTypeInput } from './document-types.schemas.js';
import { documentTypes } from './document-types.tables.js';
import { documents } from './documents.tables.js';

export type DocumentTypesService = ReturnType<typeof createDocumentTypesService>;

const nameTaken = (name: string) =>
  new AppError('conflict', 'document_type.name_taken', `A document type named ${name} already exists.`, [
    { path: 'body.name', message: 'is already taken' },
  ]);

/**
 * The document types admins define, each with the metadata fields its documents carry. A change to
 * a type's fields applies to its documents' next metadata change; a type in use cannot be removed.
 */
export function createDocumentTypesService({
  db,
  audit,
  clock,
}: {
  db: Database;
  audit: Pick<AuditTrail, 'record'>;
  clock: Clock;
}) {
  // Qualified by hand: in a one-table select Drizzle leaves column names bare, which the subquery would take as its own.
  const documentCount = sql<number>`(select count(*)::int from documents d where d.type_id = document_types.id and d.status <> 'deleted')`;

  async function load(executor: Executor, idOrName: string, forUpdate = false) {
    const query = executor
      .select({ type: documentTypes, documentCount })
      .from(documentTypes)
      .where(isUuid(idOrName) ? eq(documentTypes.id, idOrName) : eq(documentTypes.name, idOrName));
    const [row] = forUpdate ? await query.for('update', { of: documentTypes }) : await query;
    if (!row) throw notFound('document type', idOrName);
    return { ...row.type, documentCount: row.documentCount };
  }

  return {
    async list(actor: Actor) {
      authorize(actor, 'documents.read');
      const rows = await db
        .select({ type: documentTypes, documentCount })
        .from(documentTypes)
        .orderBy(asc(documentTypes.name));
      return rows.map((row) => ({ ...row.type, documentCount: row.documentCount }));
    },

    /** A type by id or by its name (the CLI names it). */
    async get(actor: Actor, idOrName: string) {
      authorize(actor, 'documents.read');
      return load(db, idOrName);
    },

    async create(actor: Actor, input: DocumentTypeInput) {
      authorize(actor, 'documents.types');
      return db.transaction(async (tx) => {
        const now = clock.now();
        const [created] = await tx
          .insert(documentTypes)
          .values({ ...input, createdAt: now, updatedAt: now })
          .onConflictDoNothing()
          .returning();
        if (!created) throw nameTaken(input.name);
        await audit.record(tx, actor, {
          action: 'document_type.created',
          entityType: 'document_type',
          entityId: created.id,
          summary: { name: created.name, fields: created.fields.map((field) => field.key) },
        });
        return { ...created, documentCount: 0 };
      });
    },

    async update(actor: Actor, id: string, change: DocumentTypeChange) {
      authorize(actor, 'documents.types');
      return db.transaction(async (tx) => {
        const before = await load(tx, id, true);
        if (change.name !== undefined && change.name !== before.name) {
          const [other] = await tx
            .select({ id: documentTypes.id })
            .from(documentTypes)
            .where(and(eq(documentTypes.name, change.name), ne(documentTypes.id, before.id)));
          if (other) throw nameTaken(change.name);
        }
        const [after] = await tx
          .update(documentTypes)
          .set({ ...change, updatedAt: clock.now() })
          .where(eq(documentTypes.id, before.id))
          .returning();
        const shape = (type: typeof after & {}) => ({
          name: type.name,
          description: type.description,
          fields: type.fields,
        });
        await audit.record(tx, actor, {
          action: 'document_type.updated',
          entityType: 'document_type',
          entityId: before.id,
          summary: { fieldChanges: fieldChanges(shape(before), shape(after!)) },
        });
        return { ...after!, documentCount: before.documentCount };
      });
    },

    /** Removes a type no document uses (deleted documents included, so their metadata keeps its meaning). */
    async remove(actor: Actor, id: string) {
      authorize(actor, 'documents.types');
      await db.transaction(async (tx) => {
        const type = await load(tx, id, true);
        const [{ used }] = (await tx
          .select({ used: sql<number>`count(*)::int` })
          .from(documents)
          .where(eq(documents.typeId, type.id))) as [{ used: number }];
        if (used > 0)
          throw new AppError(
            'conflict',
            'document_type.in_use',
            `${used} document${used === 1 ? ' is' : 's are'} of type ${type.name}; give them another type first.`,
          );
        await tx.delete(documentTypes).where(eq(documentTypes.id, type.id));
        await audit.record(tx, actor, {
          action: 'document_type.removed',
          entityType: 'document_type',
          entityId: type.id,
          summary: { name: type.name },
        });
      });
    },
  };
}
