import { and, asc, count, desc, eq, isNotNull } from 'drizzle-orm';
import type { AuditTrail } from '../audit/audit.service.js';
import { authorize, can } from '../auth/policy.js';
import type { GrantPresence } from '../documents/access/grant-presence.js';
import { communications } from '../communications/communications.tables.js';
import type { Database, Executor } from '../db/database.js';
import { nextDocumentStatus } from '../documents/document-lifecycle.js';
import { checkLock } from '../documents/document-locks.js';
import { loadDocument, userName } from '../documents/document-records.js';
import { documents } from '../documents/documents.tables.js';
import { actorLabel, type Actor } from '../shared/actor.js';
import type { Clock } from '../shared/clock.js';
import { AppError } from '../shared/errors.js';
import { holdsCovering } from './legal-holds.guard.js';
import { listCategoryRecords } from './record-list.js';
import type { CreateCategoryInput, DeclareInput, ListRecordsQuery, UpdateCategoryInput } from './records.schemas.js';
import { dispositionBatches, dispositionItems, documentRecords, recordCategories } from './records.tables.js';
import { checkRule, retainUntil } from './retention.js';

export type RecordsService = ReturnType<typeof createRecordsService>;
type Category = typeof recordCategories.$inferSelect;

/** The category every archived communication is a record of. */
export const COMMUNICATIONS_CATEGORY = 'Customer communications';

/**
 * Record categories with their retention rules, and documents declared records under them. A
 * record's content and metadata no longer change (document-lifecycle.ts); its retention end is kept
 * beside it, recomputed when its category's rule or its event date changes. Every archived
 * communication is a record of the built-in category, read straight from the communications.
 */
export function createRecordsService({
  db,
  audit,
  clock,
  scheduleListing,
  grants,
}: {
  db: Database;
  audit: Pick<AuditTrail, 'record'>;
  clock: Clock;
  /** Makes sure the daily disposition listing is scheduled, once some retention can end. */
  scheduleListing: () => Promise<unknown>;
  grants: GrantPresence;
}) {
  async function loadCategory(executor: Executor, id: string, path?: string) {
    const [category] = await executor.select().from(recordCategories).where(eq(recordCategories.id, id));
    if (!category)
      throw new AppError(
        'not_found',
        'record_category.not_found',
        `No record category with id ${id}.`,
        path ? [{ path, message: 'names no record category' }] : [],
      );
    return category;
  }

  async function recordCount(executor: Executor, category: Category) {
    if (category.builtIn) {
      const [row] = await executor
        .select({ n: count() })
        .from(communications)
        .where(isNotNull(communications.archiveSha256));
      return row!.n;
    }
    const [row] = await executor
      .select({ n: count() })
      .from(documentRecords)
      .innerJoin(documents, eq(documents.id, documentRecords.documentId))
      .where(and(eq(documentRecords.categoryId, category.id), eq(documents.status, 'record')));
    return row!.n;
  }

  const present = async (executor: Executor, category: Category) => ({
    ...category,
    records: await recordCount(executor, category),
  });

  /** Sets a record's retention end from its category's rule, now. */
  async function applyRetention(tx: Executor, documentId: string, category: Category, eventDate: string | null) {
    const [document] = await tx.select().from(documents).where(eq(documents.id, documentId));
    const until = retainUntil(category, {
      createdAt: document!.createdAt,
      eventDate,
      metadata: document!.metadata,
    });
    await tx
      .update(documentRecords)
      .set({ eventDate, retainUntil: until, retentionSetAt: clock.now() })
      .where(eq(documentRecords.documentId, documentId));
    return until;
  }

  return {
    /** The built-in category of archived communications, kept for good until a records manager sets years. */
    async ensureBuiltIn() {
      const now = clock.now();
      await db
        .insert(recordCategories)
        .values({
          name: COMMUNICATIONS_CATEGORY,
          description: 'Every communication archived exactly as sent.',
          trigger: 'permanent',
          years: null,
          builtIn: true,
          createdAt: now,
          updatedAt: now,
        })
        .onConflictDoNothing();
    },

    async listCategories(actor: Actor) {
      authorize(actor, 'documents.read');
      const categories = await db
        .select()
        .from(recordCategories)
        .orderBy(desc(recordCategories.builtIn), asc(recordCategories.name));
      return { categories: await Promise.all(categories.map((category) => present(db, category))) };
    },

    async createCategory(actor: Actor, input: CreateCategoryInput) {
      authorize(actor, 'records.manage');
      checkRule(input, false);
      const created = await db.transaction(async (tx) => {
        const now = clock.now();
        const [category] = await tx
          .insert(recordCategories)
          .values({ ...input, createdAt: now, updatedAt: now })
          .onConflictDoNothing()
          .returning();
        if (!category)
          throw new AppError(
            'conflict',
            'record_category.name_taken',
            `A record category named "${input.name}" exists.`,
            [{ path: 'body.name', message: 'is taken' }],
          );
        await audit.record(tx, actor, {
          action: 'record_category.created',
          entityType: 'record_category',
          entityId: category.id,
          summary: input,
        });
        return present(tx, category);
      });
      if (created.years !== null) await scheduleListing();
      return created;
    },

    /** A changed rule applies to the category's records at once: each one's retention end is recomputed. */
    async updateCategory(actor: Actor, id: string, change: UpdateCategoryInput) {
      authorize(actor, 'records.manage');
      const updated = await db.transaction(async (tx) => {
        const before = await loadCategory(tx, id);
        if (before.builtIn && change.name !== undefined && change.name !== before.name)
          throw new AppError('validation_failed', 'record_category.built_in', 'The built-in category keeps its name.', [
            { path: 'body.name', message: 'cannot change for the built-in category' },
          ]);
        const rule = {
          trigger: change.trigger ?? before.trigger,
          years: change.years === undefined ? before.years : change.years,
          eventField: change.eventField === undefined ? before.eventField : change.eventField,
        };
        if (rule.trigger !== 'event' && change.eventField === undefined) rule.eventField = null;
        checkRule(rule, before.builtIn);
        const [after] = await tx
          .update(recordCategories)
          .set({ ...change, ...rule, updatedAt: clock.now() })
          .where(eq(recordCategories.id, id))
          .returning();
        const members = await tx
          .select({ documentId: documentRecords.documentId, eventDate: documentRecords.eventDate })
          .from(documentRecords)
          .where(eq(documentRecords.categoryId, id));
        for (const member of members) await applyRetention(tx, member.documentId, after!, member.eventDate);
        await audit.record(tx, actor, {
          action: 'record_category.updated',
          entityType: 'record_category',
          entityId: id,
          summary: {
            before: { trigger: before.trigger, years: before.years, eventField: before.eventField },
            after: rule,
            recomputed: members.length,
          },
        });
        return present(tx, after!);
      });
      if (updated.years !== null) await scheduleListing();
      return updated;
    },

    /** Whether any category keeps its records for a limited time, so that the daily listing has work. */
    async retentionCanEnd() {
      const [limited] = await db
        .select({ id: recordCategories.id })
        .from(recordCategories)
        .where(isNotNull(recordCategories.years))
        .limit(1);
      return Boolean(limited);
    },

    /** Declares an active document a record: from now on its content and metadata are fixed. */
    async declare(actor: Actor, documentId: string, input: DeclareInput) {
      authorize(actor, 'records.manage');
      return db.transaction(async (tx) => {
        const document = await loadDocument(tx, documentId, true);
        const status = nextDocumentStatus('declare_record', document);
        checkLock(
          'change',
          { ...document, holderName: await userName(tx, document.lockedBy) },
          actor.kind === 'user' ? actor.userId : null,
          clock.now(),
        );
        const category = await loadCategory(tx, input.categoryId, 'body.categoryId');
        if (category.builtIn)
          throw new AppError(
            'validation_failed',
            'record_category.built_in',
            'That category holds archived communications only.',
            [{ path: 'body.categoryId', message: 'is the built-in communications category' }],
          );
        const now = clock.now();
        // The declarer's own check-out ends here: a record takes no new content.
        await tx
          .update(documents)
          .set({ status, updatedAt: now, lockedBy: null, lockedAt: null, lockExpiresAt: null })
          .where(eq(documents.id, documentId));
        await tx.insert(documentRecords).values({
          documentId,
          categoryId: category.id,
          eventDate: input.eventDate,
          retentionSetAt: now,
          declaredBy: actor.kind === 'user' ? actor.userId : null,
          declaredByLabel: actorLabel(actor),
          declaredAt: now,
        });
        const until = await applyRetention(tx, documentId, category, input.eventDate);
        await audit.record(tx, actor, {
          action: 'document.declared_record',
          entityType: 'document',
          entityId: documentId,
          summary: { category: category.name, eventDate: input.eventDate, retainUntil: until },
        });
        return this.statusOf(actor, documentId, tx);
      });
    },

    /** Sets (or clears) the event a record's retention counts from, e.g. the contract's end once known. */
    async setEventDate(actor: Actor, documentId: string, eventDate: string | null) {
      authorize(actor, 'records.manage');
      return db.transaction(async (tx) => {
        const [record] = await tx
          .select()
          .from(documentRecords)
          .where(eq(documentRecords.documentId, documentId))
          .for('update');
        const document = await loadDocument(tx, documentId);
        if (!record || document.status !== 'record')
          throw new AppError('conflict', 'document.not_record', `The document "${document.title}" is not a record.`);
        const category = await loadCategory(tx, record.categoryId);
        if (category.trigger !== 'event')
          throw new AppError(
            'validation_failed',
            'record.no_event',
            `Records of "${category.name}" do not count from an event.`,
            [{ path: 'body.eventDate', message: `does not apply to a ${category.trigger} rule` }],
          );
        const until = await applyRetention(tx, documentId, category, eventDate);
        await audit.record(tx, actor, {
          action: 'record.event_date_set',
          entityType: 'document',
          entityId: documentId,
          summary: { before: record.eventDate, after: eventDate, retainUntil: until },
        });
        return this.statusOf(actor, documentId, tx);
      });
    },

    /** A document's record status and holds, for its page; matters are named only to who may read holds. */
    async statusOf(actor: Actor, documentId: string, executor: Executor = db) {
      authorize(actor, 'documents.read');
      const document = await loadDocument(executor, documentId);
      const [record] = await executor
        .select({ record: documentRecords, category: recordCategories })
        .from(documentRecords)
        .innerJoin(recordCategories, eq(recordCategories.id, documentRecords.categoryId))
        .where(eq(documentRecords.documentId, documentId));
      const holds = await holdsCovering(executor, 'document', [documentId]);
      const [disposal] = await executor
        .select({
          batchId: dispositionBatches.id,
          batchNumber: dispositionBatches.number,
          approvedAt: dispositionBatches.approvedAt,
        })
        .from(dispositionItems)
        .innerJoin(dispositionBatches, eq(dispositionBatches.id, dispositionItems.batchId))
        .where(
          and(
            eq(dispositionItems.objectType, 'document'),
            eq(dispositionItems.objectId, documentId),
            eq(dispositionItems.status, 'destroyed'),
          ),
        );
      return {
        status: document.status,
        record: record
          ? {
              eventDate: record.record.eventDate,
              retainUntil: record.record.retainUntil,
              declaredByLabel: record.record.declaredByLabel,
              declaredAt: record.record.declaredAt,
              category: {
                id: record.category.id,
                name: record.category.name,
                trigger: record.category.trigger,
                years: record.category.years,
              },
            }
          : null,
        held: holds.length > 0,
        holds: can(actor, 'records.read') ? holds.map((hold) => ({ id: hold.holdId, matter: hold.matter })) : [],
        disposal: disposal ?? null,
      };
    },

    /** A category's records, newest first: declared documents, or for the built-in one, archived communications. */
    async listRecords(actor: Actor, query: ListRecordsQuery) {
      authorize(actor, 'records.read');
      const category = await loadCategory(db, query.categoryId, 'querystring.categoryId');
      return listCategoryRecords(db, grants, actor, category, query);
    },

    loadCategory,
  };
}
