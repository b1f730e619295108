import { alias } from 'drizzle-orm/pg-core';
import { and, desc, eq, getTableColumns, inArray, sql } from 'drizzle-orm';
import { communications } from '../communications/communications.tables.js';
import { customers } from '../customers/customers.tables.js';
import type { Executor } from '../db/database.js';
import { keyset } from '../shared/cursor.js';
import { notFound } from '../shared/errors.js';
import { templates } from '../templates/templates.tables.js';
import { tickets } from '../tickets/tickets.tables.js';
import { users } from '../users/users.tables.js';
import { lockActive } from './document-locks.js';
import { documentLinks, documents, documentVersions, type DocumentLinkTarget } from './documents.tables.js';
import { versionLabel, type VersionNumber } from './version-label.js';

export type DocumentRow = typeof documents.$inferSelect;
export type VersionRow = typeof documentVersions.$inferSelect;

const owners = alias(users, 'owners');
const holders = alias(users, 'holders');

/** Lists show the most recently changed first; rows changed in one instant are ordered by id. */
export const recentlyChanged = keyset(
  [
    { expression: documents.updatedAt, type: 'timestamptz' },
    { expression: documents.id, type: 'uuid' },
  ],
  'desc',
);

/** A document's row with the names of its owner and of whoever holds its lock. */
export const summaryColumns = {
  document: getTableColumns(documents),
  ownerName: owners.name,
  holderName: holders.name,
  size: documentVersions.size,
  mediaType: documentVersions.mediaType,
  filename: documentVersions.filename,
  position: recentlyChanged.position,
};

/** Documents with their owner, lock holder and current version, for the caller to filter and order. */
export const selectSummaries = (executor: Executor) =>
  executor
    .select(summaryColumns)
    .from(documents)
    .leftJoin(owners, eq(owners.id, documents.ownerId))
    .leftJoin(holders, eq(holders.id, documents.lockedBy))
    .innerJoin(
      documentVersions,
      and(
        eq(documentVersions.documentId, documents.id),
        sql`${documentVersions.major} || '.' || ${documentVersions.minor} = ${documents.currentVersion}`,
      ),
    );

type SummaryRow = {
  document: DocumentRow;
  ownerName: string | null;
  holderName: string | null;
  size: number;
  mediaType: string;
  filename: string;
};

/** A document as lists show it; an expired lock shows as none. */
export function presentSummary(row: SummaryRow, now: Date) {
  const { document } = row;
  return {
    id: document.id,
    folderId: document.folderId,
    title: document.title,
    description: document.description,
    tags: document.tags,
    owner: document.ownerId && row.ownerName ? { id: document.ownerId, name: row.ownerName } : null,
    status: document.status,
    typeId: document.typeId,
    metadata: document.metadata,
    currentVersion: {
      label: document.currentVersion,
      sha256: document.contentSha256,
      size: row.size,
      mediaType: row.mediaType,
      filename: row.filename,
    },
    lock:
      lockActive(document, now) && document.lockedBy && document.lockedAt
        ? {
            by: { id: document.lockedBy, name: row.holderName ?? 'a former user' },
            since: document.lockedAt,
            expiresAt: document.lockExpiresAt,
          }
        : null,
    createdAt: document.createdAt,
    updatedAt: document.updatedAt,
  };
}

/** The document's row, locked for the transaction when asked. */
export async function loadDocument(executor: Executor, id: string, forUpdate = false): Promise<DocumentRow> {
  const query = executor.select().from(documents).where(eq(documents.id, id));
  const [document] = forUpdate ? await query.for('update') : await query;
  if (!document) throw notFound('document', id);
  return document;
}

/** One version of a document by its number, or a 404 naming it. */
export async function loadVersion(executor: Executor, documentId: string, number: VersionNumber): Promise<VersionRow> {
  const [version] = await executor
    .select()
    .from(documentVersions)
    .where(
      and(
        eq(documentVersions.documentId, documentId),
        eq(documentVersions.major, number.major),
        eq(documentVersions.minor, number.minor),
      ),
    );
  if (!version) throw notFound('version', `${versionLabel(number)} of document ${documentId}`);
  return version;
}

/** The name of a user, for lock messages. */
export async function userName(executor: Executor, userId: string | null) {
  if (!userId) return null;
  const [user] = await executor.select({ name: users.name }).from(users).where(eq(users.id, userId));
  return user?.name ?? null;
}

/** What each linked record is called: the customer's name, "Ticket #42: subject", the template sent. */
async function linkLabels(executor: Executor, links: { targetType: DocumentLinkTarget; targetId: string }[]) {
  const ids = (type: DocumentLinkTarget) => links.flatMap((link) => (link.targetType === type ? [link.targetId] : []));
  const labels = new Map<string, string>();
  const customerIds = ids('customer');
  const ticketIds = ids('ticket');
  const communicationIds = ids('communication');
  if (customerIds.length)
    for (const row of await executor
      .select({ id: customers.id, name: customers.name })
      .from(customers)
      .where(inArray(customers.id, customerIds)))
      labels.set(`customer:${row.id}`, row.name);
  if (ticketIds.length)
    for (const row of await executor
      .select({ id: tickets.id, number: tickets.number, subject: tickets.subject })
      .from(tickets)
      .where(inArray(tickets.id, ticketIds)))
      labels.set(`ticket:${row.id}`, `Ticket #${row.number}: ${row.subject}`);
  if (communicationIds.length)
    for (const row of await executor
      .select({ id: communications.id, template: templates.name, customer: customers.name })
      .from(communications)
      .innerJoin(templates, eq(templates.id, communications.templateId))
      .innerJoin(customers, eq(customers.id, communications.customerId))
      .where(inArray(communications.id, communicationIds)))
      labels.set(`communication:${row.id}`, `${row.template} to ${row.customer}`);
  return links.map((link) => ({
    ...link,
    label: labels.get(`${link.targetType}:${link.targetId}`) ?? link.targetId,
  }));
}

export function presentVersion(version: VersionRow, creatorName: string | null) {
  return {
    label: versionLabel(version),
    major: version.major,
    minor: version.minor,
    sha256: version.contentSha256,
    size: version.size,
    mediaType: version.mediaType,
    filename: version.filename,
    comment: version.comment,
    createdBy: version.createdBy && creatorName ? { id: version.createdBy, name: creatorName } : null,
    createdAt: version.createdAt,
  };
}

/** A document as its page shows it: metadata, current content, lock, links and every version. */
export async function presentDocument(executor: Executor, id: string, now: Date) {
  const [row] = await selectSummaries(executor).where(eq(documents.id, id));
  if (!row) throw notFound('document', id);
  const versions = await executor
    .select({ version: documentVersions, creatorName: users.name })
    .from(documentVersions)
    .leftJoin(users, eq(users.id, documentVersions.createdBy))
    .where(eq(documentVersions.documentId, id))
    .orderBy(desc(documentVersions.major), desc(documentVersions.minor));
  const links = await executor
    .select({ targetType: documentLinks.targetType, targetId: documentLinks.targetId })
    .from(documentLinks)
    .where(eq(documentLinks.documentId, id))
    .orderBy(documentLinks.createdAt, documentLinks.targetType, documentLinks.targetId);
  return {
    ...presentSummary(row, now),
    links: await linkLabels(executor, links),
    versions: versions.map(({ version, creatorName }) => presentVersion(version, creatorName)),
  };
}
