import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { and, asc, eq, sql } from 'drizzle-orm';
import yazl from 'yazl';
import { auditEvents } from '../audit/audit.tables.js';
import type { BlobStore } from '../blobs/blob-store.js';
import { rows, type Executor } from '../db/database.js';
import { legalHolds, legalHoldScopes } from './legal-holds.tables.js';

export type MatterItemType = 'document' | 'communication' | 'ticket';
export type MatterItem = { type: MatterItemType; id: string };

/** One file of the ZIP, as the manifest lists it. */
export type ManifestEntry = {
  itemType: MatterItemType | 'hold';
  itemId: string;
  title: string;
  role: 'content' | 'archived_copy' | 'conversation' | 'attachment' | 'audit' | 'hold';
  path: string;
  sha256: string;
  size: number;
  mediaType: string;
  custodian: string;
  createdAt: string;
  modifiedAt: string;
  metadata: Record<string, unknown>;
};

const copyExtension: Record<string, string> = {
  'message/rfc822': 'eml',
  'application/pdf': 'pdf',
  'text/plain; charset=utf-8': 'txt',
  'application/vnd.tidings.portal-message+json': 'json',
};

/** A name safe inside a ZIP on every system: no folders, no reserved characters, not too long. */
const safeName = (name: string) =>
  name
    .replace(/[\\/:*?"<>|\p{Cc}]/gu, '_')
    .replace(/^\.+/, '_')
    .slice(0, 120) || 'file';

const iso = (value: Date | string | null | undefined) => (value ? new Date(value).toISOString() : '');

const csvCell = (value: unknown) => {
  const text = typeof value === 'string' ? value : JSON.stringify(value ?? '');
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

const manifestColumns: (keyof ManifestEntry)[] = [
  'itemType',
  'itemId',
  'title',
  'role',
  'path',
  'sha256',
  'size',
  'mediaType',
  'custodian',
  'createdAt',
  'modifiedAt',
  'metadata',
];

export function manifestCsv(entries: ManifestEntry[]) {
  return (
    [
      manifestColumns.join(','),
      ...entries.map((entry) => manifestColumns.map((column) => csvCell(entry[column])).join(',')),
    ].join('\r\n') + '\r\n'
  );
}

const json = (value: unknown) => Buffer.from(`${JSON.stringify(value, null, 2)}\n`);
const sha256Of = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

async function auditOf(executor: Executor, entityType: string, entityId: string) {
  return executor
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.entityType, entityType), eq(auditEvents.entityId, entityId)))
    .orderBy(asc(auditEvents.seq));
}

/**
 * Writes a matter's ZIP as a stream: for each item its files (a document's current version, a
 * communication's archived copy, a ticket's conversation as JSON and text with its attachments) and
 * its audit events, then manifest.json and manifest.csv. Nothing is read before the ZIP needs it:
 * the archive library asks for each file in turn as the output is consumed, so memory stays flat
 * however large the matter; `onItem` hears how many items are written so far.
 */
export function writeMatterZip(
  deps: { db: Executor; blobs: Pick<BlobStore, 'open' | 'has'> },
  holdId: string,
  items: MatterItem[],
  onItem: (done: number) => void,
) {
  const { db, blobs } = deps;
  const zip = new yazl.ZipFile();
  const manifest: ManifestEntry[] = [];
  const output = zip.outputStream as Readable;
  zip.on('error', (error: Error) => output.destroy(error));

  /** Adds one file whose bytes are produced (or opened) only when the ZIP reaches it. */
  function add(
    path: string,
    produce: () => Promise<{ stream: Readable } | { bytes: Buffer }>,
    describe: Omit<ManifestEntry, 'path' | 'sha256' | 'size'>,
    known?: { sha256: string; size: number },
    before?: () => void,
  ) {
    zip.addReadStreamLazy(
      path,
      { compress: describe.role !== 'content' && describe.role !== 'archived_copy' && describe.role !== 'attachment' },
      (callback) => {
        before?.();
        produce().then(
          (produced) => {
            if ('bytes' in produced) {
              manifest.push({ ...describe, path, sha256: sha256Of(produced.bytes), size: produced.bytes.length });
              callback(null, Readable.from([produced.bytes]));
              return;
            }
            manifest.push({ ...describe, path, sha256: known!.sha256, size: known!.size });
            produced.stream.on('error', (error) => zip.emit('error', error));
            callback(null, produced.stream);
          },
          (error: Error) => callback(error, undefined as never),
        );
      },
    );
  }

  const done = (async () => {
    const [hold] = await db.select().from(legalHolds).where(eq(legalHolds.id, holdId));
    const scope = await db.select().from(legalHoldScopes).where(eq(legalHoldScopes.holdId, holdId));
    add('hold.json', async () => ({ bytes: json({ hold, scope, audit: await auditOf(db, 'legal_hold', holdId) }) }), {
      itemType: 'hold',
      itemId: holdId,
      title: hold!.matter,
      role: 'hold',
      mediaType: 'application/json',
      custodian: hold!.placedByLabel,
      createdAt: iso(hold!.placedAt),
      modifiedAt: iso(hold!.releasedAt ?? hold!.placedAt),
      metadata: { description: hold!.description },
    });
    for (const [index, item] of items.entries()) {
      const before = () => onItem(index);
      if (item.type === 'document') await addDocument(item.id, before);
      else if (item.type === 'communication') await addCommunication(item.id, before);
      else await addTicket(item.id, before);
    }
    const finished = () => onItem(items.length);
    zip.addReadStreamLazy('manifest.json', (callback) => {
      finished();
      callback(null, Readable.from([json({ holdId, matter: hold!.matter, items: items.length, entries: manifest })]));
    });
    zip.addReadStreamLazy('manifest.csv', (callback) =>
      callback(null, Readable.from([Buffer.from(manifestCsv(manifest))])),
    );
    zip.end();
  })();
  done.catch((error: Error) => output.destroy(error));

  async function addAudit(
    type: MatterItemType,
    id: string,
    folder: string,
    describe: Omit<ManifestEntry, 'path' | 'sha256' | 'size' | 'role' | 'mediaType'>,
  ) {
    add(`${folder}/audit-events.json`, async () => ({ bytes: json(await auditOf(db, type, id)) }), {
      ...describe,
      role: 'audit',
      mediaType: 'application/json',
    });
  }

  async function addDocument(id: string, before: () => void) {
    const [document] = await rows<{
      title: string;
      status: string;
      tags: string[];
      metadata: Record<string, unknown>;
      description: string;
      owner: string | null;
      customers: string | null;
      created_at: string;
      updated_at: string;
      current_version: string;
      sha256: string | null;
      size: number | null;
      media_type: string | null;
      filename: string | null;
    }>(
      db,
      sql`select d.title, d.status, d.tags, d.metadata, d.description, u.name as owner, d.created_at, d.updated_at, d.current_version,
          v.content_sha256 as sha256, v.size, v.media_type, v.filename,
          (select string_agg(c.name, '; ' order by c.name) from document_links l join customers c on c.id = l.target_id
            where l.document_id = d.id and l.target_type = 'customer') as customers
        from documents d
        left join users u on u.id = d.owner_id
        left join document_versions v on v.document_id = d.id and (v.major || '.' || v.minor) = d.current_version
        where d.id = ${id}`,
    );
    if (!document) return;
    const folder = `documents/${id}`;
    const describe = {
      itemType: 'document' as const,
      itemId: id,
      title: document.title,
      custodian: [document.owner, document.customers].filter(Boolean).join('; '),
      createdAt: iso(document.created_at),
      modifiedAt: iso(document.updated_at),
      metadata: {
        status: document.status,
        version: document.current_version,
        tags: document.tags,
        description: document.description,
        fields: document.metadata,
      },
    };
    const present = document.sha256 && document.status !== 'disposed' && (await blobs.has(document.sha256));
    if (present)
      add(
        `${folder}/${safeName(document.filename ?? 'content')}`,
        async () => ({ stream: blobs.open(document.sha256!) }),
        { ...describe, role: 'content', mediaType: document.media_type ?? 'application/octet-stream' },
        { sha256: document.sha256!, size: Number(document.size) },
        before,
      );
    else before();
    await addAudit('document', id, folder, describe);
  }

  async function addCommunication(id: string, before: () => void) {
    const [communication] = await rows<{
      customer: string;
      template: string;
      channel: string | null;
      status: string;
      purpose: string;
      address: string | null;
      created_at: string;
      updated_at: string;
      sent_at: string | null;
      archive_sha256: string | null;
      archive_media_type: string | null;
      archive_size: number | null;
    }>(
      db,
      sql`select c.name as customer, t.name as template, m.channel, m.status, m.purpose, m.address, m.created_at, m.updated_at,
          m.sent_at, m.archive_sha256, m.archive_media_type, m.archive_size
        from communications m join customers c on c.id = m.customer_id join templates t on t.id = m.template_id
        where m.id = ${id}`,
    );
    if (!communication) return;
    const folder = `communications/${id}`;
    const describe = {
      itemType: 'communication' as const,
      itemId: id,
      title: `${communication.template} to ${communication.customer}`,
      custodian: communication.customer,
      createdAt: iso(communication.created_at),
      modifiedAt: iso(communication.updated_at),
      metadata: {
        channel: communication.channel,
        status: communication.status,
        purpose: communication.purpose,
        address: communication.address,
        sentAt: iso(communication.sent_at) || null,
      },
    };
    const sha256 = communication.archive_sha256;
    if (sha256 && (await blobs.has(sha256)))
      add(
        `${folder}/sent-copy.${copyExtension[communication.archive_media_type ?? ''] ?? 'bin'}`,
        async () => ({ stream: blobs.open(sha256) }),
        {
          ...describe,
          role: 'archived_copy',
          mediaType: communication.archive_media_type ?? 'application/octet-stream',
        },
        { sha256, size: Number(communication.archive_size) },
        before,
      );
    else before();
    await addAudit('communication', id, folder, describe);
  }

  async function addTicket(id: string, before: () => void) {
    const [ticket] = await rows<{
      number: number;
      subject: string;
      kind: string;
      status: string;
      priority: string;
      customer: string;
      communication_id: string | null;
      created_at: string;
      updated_at: string;
    }>(
      db,
      sql`select t.number, t.subject, t.kind, t.status, t.priority, c.name as customer, t.communication_id, t.created_at, t.updated_at
        from tickets t join customers c on c.id = t.customer_id where t.id = ${id}`,
    );
    if (!ticket) return;
    const folder = `tickets/${ticket.number}-${id}`;
    const describe = {
      itemType: 'ticket' as const,
      itemId: id,
      title: `Ticket ${ticket.number}: ${ticket.subject}`,
      custodian: ticket.customer,
      createdAt: iso(ticket.created_at),
      modifiedAt: iso(ticket.updated_at),
      metadata: {
        kind: ticket.kind,
        status: ticket.status,
        priority: ticket.priority,
        communicationId: ticket.communication_id,
      },
    };
    const messages = () =>
      rows<{
        id: string;
        kind: string;
        body: string;
        author_label: string;
        created_at: string;
        attachments: { sha256: string; filename: string; mediaType: string; size: number }[];
      }>(
        db,
        sql`select id, kind, body, author_label, created_at, attachments from ticket_messages where ticket_id = ${id} order by created_at, id`,
      );
    add(
      `${folder}/conversation.json`,
      async () => ({ bytes: json({ ticket: { id, ...ticket }, messages: await messages() }) }),
      { ...describe, role: 'conversation', mediaType: 'application/json' },
      undefined,
      before,
    );
    add(
      `${folder}/conversation.txt`,
      async () => ({
        bytes: Buffer.from(
          [`Ticket ${ticket.number}: ${ticket.subject} (${ticket.kind}, ${ticket.status}) for ${ticket.customer}`, '']
            .concat(
              (await messages()).flatMap((message) => [
                `--- ${iso(message.created_at)} ${message.kind} by ${message.author_label}`,
                message.body,
                ...message.attachments.map(
                  (attachment) => `[attachment: ${attachment.filename}, sha256 ${attachment.sha256}]`,
                ),
                '',
              ]),
            )
            .join('\n'),
        ),
      }),
      { ...describe, role: 'conversation', mediaType: 'text/plain; charset=utf-8' },
    );
    for (const message of await messages())
      for (const attachment of message.attachments)
        if (await blobs.has(attachment.sha256))
          add(
            `${folder}/attachments/${message.id}-${safeName(attachment.filename)}`,
            async () => ({ stream: blobs.open(attachment.sha256) }),
            { ...describe, role: 'attachment', mediaType: attachment.mediaType },
            { sha256: attachment.sha256, size: attachment.size },
          );
    await addAudit('ticket', id, folder, describe);
  }

  return { stream: output, done, manifest };
}
