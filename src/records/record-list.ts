import { and, eq, inArray, isNotNull, type SQLWrapper } from 'drizzle-orm';
import { communications } from '../communications/communications.tables.js';
import type { Database } from '../db/database.js';
import { readableDocuments } from '../documents/access/document-access.js';
import type { GrantPresence } from '../documents/access/grant-presence.js';
import { documents } from '../documents/documents.tables.js';
import type { Actor } from '../shared/actor.js';
import { keyset } from '../shared/cursor.js';
import { templates } from '../templates/templates.tables.js';
import type { ListRecordsQuery } from './records.schemas.js';
import { documentRecords, recordCategories } from './records.tables.js';
import { retainUntil } from './retention.js';

const newestFirst = (createdAt: SQLWrapper, id: SQLWrapper) =>
  keyset(
    [
      { expression: createdAt, type: 'timestamptz' },
      { expression: id, type: 'uuid' },
    ],
    'desc',
  );
const documentsNewestFirst = newestFirst(documents.createdAt, documents.id);
const communicationsNewestFirst = newestFirst(communications.createdAt, communications.id);

/**
 * One page of a category's records, newest first: declared documents the actor may read, or for the
 * built-in category, archived communications, whose retention end is computed from the rule as read.
 */
export async function listCategoryRecords(
  db: Database,
  grants: GrantPresence,
  actor: Actor,
  category: typeof recordCategories.$inferSelect,
  query: Pick<ListRecordsQuery, 'cursor' | 'limit'>,
) {
  if (category.builtIn) {
    const found = await db
      .select({
        id: communications.id,
        createdAt: communications.createdAt,
        template: templates.name,
        channel: communications.channel,
        status: communications.status,
        position: communicationsNewestFirst.position,
      })
      .from(communications)
      .innerJoin(templates, eq(templates.id, communications.templateId))
      .where(and(isNotNull(communications.archiveSha256), communicationsNewestFirst.after(query.cursor)))
      .orderBy(...communicationsNewestFirst.orderBy)
      .limit(query.limit + 1);
    const page = communicationsNewestFirst.page(found, query.limit);
    return {
      records: page.rows.map((row) => ({
        type: 'communication' as const,
        id: row.id,
        title: `${row.template} (${row.channel ?? 'no channel'})`,
        createdAt: row.createdAt,
        retainUntil: retainUntil(category, { createdAt: row.createdAt, eventDate: null }),
        status: row.status,
      })),
      nextCursor: page.nextCursor,
    };
  }
  const found = await db
    .select({
      id: documents.id,
      title: documents.title,
      createdAt: documents.createdAt,
      status: documents.status,
      retainUntil: documentRecords.retainUntil,
      position: documentsNewestFirst.position,
    })
    .from(documentRecords)
    .innerJoin(documents, eq(documents.id, documentRecords.documentId))
    .where(
      and(
        eq(documentRecords.categoryId, category.id),
        inArray(documents.status, ['record', 'disposed']),
        readableDocuments(actor, documents.id, grants),
        documentsNewestFirst.after(query.cursor),
      ),
    )
    .orderBy(...documentsNewestFirst.orderBy)
    .limit(query.limit + 1);
  const page = documentsNewestFirst.page(found, query.limit);
  return {
    records: page.rows.map((row) => ({ type: 'document' as const, ...row })),
    nextCursor: page.nextCursor,
  };
}
