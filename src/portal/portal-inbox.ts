import { and, eq, inArray, isNotNull, ne, not, sql } from 'drizzle-orm';
import type { BlobStore } from '../blobs/blob-store.js';
import type { CommunicationsService } from '../communications/communications.service.js';
import { communications, type CommunicationStatus } from '../communications/communications.tables.js';
import type { Database } from '../db/database.js';
import { communicationContentDestroyed } from '../records/blob-references.js';
import { sanitizePortalHtml } from '../rendering/portal.js';
import type { Actor } from '../shared/actor.js';
import { keyset } from '../shared/cursor.js';
import { notFound } from '../shared/errors.js';
import { templates } from '../templates/templates.tables.js';
import { readArchivedEmail } from './portal-email.js';
import { PORTAL_SIGN_IN_TEMPLATE } from './portal-sign-in.template.js';

/** What reached the customer and has its archived copy: handed over, delivered, or in the print queue for posting. */
const receivedStatuses: CommunicationStatus[] = ['sent', 'delivered', 'awaiting_print'];

/**
 * Newest first by (created_at, id): the index communications_customer_idx (customer_id, created_at,
 * id) reads each page of one customer in order from the cursor on.
 */
const newestFirst = keyset(
  [
    { expression: communications.createdAt, type: 'timestamptz' },
    { expression: communications.id, type: 'uuid' },
  ],
  'desc',
);

/**
 * Their correspondence, not the portal's own sign-in links (which are keys, not letters), nor what a
 * disposition destroyed at the end of its retention (there is no copy left to show).
 */
const receivedBy = (customerId: string) =>
  and(
    eq(communications.customerId, customerId),
    inArray(communications.status, receivedStatuses),
    isNotNull(communications.archiveSha256),
    isNotNull(communications.channel),
    ne(templates.key, PORTAL_SIGN_IN_TEMPLATE),
    not(communicationContentDestroyed(communications.id)),
  );

const itemColumns = {
  id: communications.id,
  channel: sql<NonNullable<(typeof communications.$inferSelect)['channel']>>`${communications.channel}`,
  templateName: templates.name,
  // A letter waiting for the print run carries the date it was made.
  sentAt: sql<Date>`coalesce(${communications.sentAt}, ${communications.createdAt})`.mapWith(communications.sentAt),
  mediaType: sql<string>`${communications.archiveMediaType}`,
  archiveSha256: sql<string>`${communications.archiveSha256}`,
};

export type PortalInbox = ReturnType<typeof createPortalInbox>;

/**
 * A customer's correspondence as the portal shows it: every communication that reached them on any
 * channel, newest first, each read from its archived copy. One not theirs, or one that never
 * reached them, is not there (404).
 */
export function createPortalInbox(deps: {
  db: Database;
  blobs: Pick<BlobStore, 'read'>;
  communications: Pick<CommunicationsService, 'archivedCopy'>;
}) {
  const { db } = deps;

  async function received(customerId: string, id: string) {
    const [item] = await db
      .select(itemColumns)
      .from(communications)
      .innerJoin(templates, eq(templates.id, communications.templateId))
      .where(and(eq(communications.id, id), receivedBy(customerId)));
    if (!item) throw notFound('communication', id);
    return item;
  }

  /** What the copy says, by its kind: an email's parts, a portal message's HTML, an SMS's text; a PDF is shown as it is. */
  async function contentOf(item: { mediaType: string; archiveSha256: string; templateName: string }) {
    const none = { subject: item.templateName, html: null, text: null };
    switch (item.mediaType) {
      case 'message/rfc822': {
        const email = await readArchivedEmail(await deps.blobs.read(item.archiveSha256));
        return { ...email, subject: email.subject || item.templateName };
      }
      case 'application/vnd.tidings.portal-message+json': {
        const message = JSON.parse((await deps.blobs.read(item.archiveSha256)).toString('utf8')) as {
          subject?: string;
          html?: string;
        };
        return {
          subject: message.subject || item.templateName,
          html: sanitizePortalHtml(message.html ?? ''),
          text: null,
        };
      }
      case 'text/plain; charset=utf-8':
        return { ...none, text: (await deps.blobs.read(item.archiveSha256)).toString('utf8') };
      default:
        return none;
    }
  }

  return {
    received,

    async list(customerId: string, query: { cursor?: string; limit: number }) {
      const rows = await db
        .select({ ...itemColumns, position: newestFirst.position })
        .from(communications)
        .innerJoin(templates, eq(templates.id, communications.templateId))
        .where(and(receivedBy(customerId), newestFirst.after(query.cursor)))
        .orderBy(...newestFirst.orderBy)
        .limit(query.limit + 1);
      const page = newestFirst.page(rows, query.limit);
      return {
        items: page.rows.map(({ archiveSha256: _sha256, ...item }) => ({
          kind: 'communication' as const,
          ...item,
          // The rendered subject lives in the copy; the list names what was sent.
          subject: item.templateName,
        })),
        nextCursor: page.nextCursor,
      };
    },

    async read(customerId: string, id: string) {
      const item = await received(customerId, id);
      const { archiveSha256: _sha256, ...shown } = item;
      return { ...shown, ...(await contentOf(item)) };
    },

    /** The archived bytes, through the communications service so the download is audited as staff downloads are. */
    async copy(actor: Actor, customerId: string, id: string) {
      await received(customerId, id);
      return deps.communications.archivedCopy(actor, id);
    },
  };
}
