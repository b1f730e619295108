import { Readable } from 'node:stream';
import { eq } from 'drizzle-orm';
import type { AuditTrail } from '../audit/audit.service.js';
import type { BlobStore } from '../blobs/blob-store.js';
import {
  communicationsByReference,
  customersCommunication,
  type ReferencedCommunication,
} from '../communications/reference-lookup.js';
import { customers } from '../customers/customers.tables.js';
import type { Database } from '../db/database.js';
import type { DocumentsService } from '../documents/documents.service.js';
import type { DocumentFoldersService } from '../documents/folders.service.js';
import { actorLabel, systemActor } from '../shared/actor.js';
import type { Clock } from '../shared/clock.js';
import { attachmentMediaTypes } from '../tickets/tickets.schemas.js';
import type { TicketsService } from '../tickets/tickets.service.js';
import type { Timeline } from '../timeline/timeline.service.js';
import type { ScanReading } from './scan-reading.js';
import { moveScan, type ScanRow } from './scan-records.js';
import { scans, type ScanMethod } from './scans.tables.js';

/** The folder scans are filed in, at the top of the repository; made when the first scan is filed. */
export const SCANNED_MAIL_FOLDER = 'Scanned mail';

/** Who files scans in the audit trail and on timelines. */
export const intake = systemActor('scanned mail');

/** The most of the OCR text kept with a scan, to show staff what was read. */
const TEXT_KEPT = 4_000;

const methodWords: Record<ScanMethod, string> = {
  qr: 'its QR code',
  text: 'the reference printed on it (OCR)',
  hand: 'hand',
};

export type ScanFilingDeps = {
  db: Database;
  audit: Pick<AuditTrail, 'record'>;
  clock: Clock;
  blobs: Pick<BlobStore, 'read'>;
  timeline: Pick<Timeline, 'append'>;
  documents: Pick<DocumentsService, 'upload' | 'setLinks'>;
  folders: Pick<DocumentFoldersService, 'list' | 'create'>;
  tickets: Pick<TicketsService, 'create'>;
  /** Reads a scan for reference codes, until `confirm` accepts those found. */
  read: (
    bytes: Buffer,
    mediaType: ScanRow['mediaType'],
    confirm: (codes: string[]) => Promise<boolean>,
  ) => Promise<ScanReading>;
};

/** A scan's way from received to filed: read for its reference (`match`), then filed on its customer (`file`). */
export function createScanFiling(deps: ScanFilingDeps) {
  const { db, audit, clock, blobs } = deps;

  /** The top-level "Scanned mail" folder, made on first use; two scans making it at once find the one that won. */
  async function scannedMailFolder(): Promise<string> {
    const find = async () =>
      (await deps.folders.list(intake)).find(
        (folder) => folder.parentId === null && folder.name === SCANNED_MAIL_FOLDER,
      );
    const found = await find();
    if (found) return found.id;
    try {
      return (await deps.folders.create(intake, { name: SCANNED_MAIL_FOLDER, parentId: null })).id;
    } catch (error) {
      // Refused as a name taken (by the service, or by the unique index when both checked at once).
      const won = await find();
      if (won) return won.id;
      throw error;
    }
  }

  /** The one communication the scan's codes name, in the order they were found; a code naming two is skipped. */
  async function resolve(references: string[]): Promise<{ reference: string; target?: ReferencedCommunication }> {
    for (const reference of references) {
      const named = await communicationsByReference(db, reference);
      if (named.length === 1) return { reference, target: named[0] };
    }
    return { reference: references[0] ?? '' };
  }

  /**
   * Files a scan that knows its customer, step by step, each step's result kept before the next:
   * the document, the ticket, the links between them, then filed with its timeline entry.
   */
  async function file(scan: ScanRow, signal?: AbortSignal) {
    const customerId = scan.customerId!;
    const target = scan.communicationId
      ? await customersCommunication(db, customerId, scan.communicationId)
      : undefined;
    const [customer] = await db.select({ name: customers.name }).from(customers).where(eq(customers.id, customerId));
    const how = `found by ${methodWords[scan.method ?? 'hand']}`;
    const reference = scan.reference ? ` (Ref. ${scan.reference})` : '';
    const about = target ? `Scanned reply to “${target.templateName}”${reference}` : `Scanned mail: ${scan.filename}`;
    let { documentId, ticketId } = scan;
    if (!documentId) {
      const document = await deps.documents.upload(
        intake,
        {
          folderId: await scannedMailFolder(),
          title: about.slice(0, 300),
          description: `${scan.filename}, received ${scan.receivedAt.toISOString()} by ${scan.source === 'email' ? 'email' : 'upload'}, ${how}.`,
          tags: ['scanned-mail'],
          customerId,
        },
        { stream: Readable.from(await blobs.read(scan.sha256)), filename: scan.filename, mediaType: scan.mediaType },
      );
      documentId = document.id;
      await db.update(scans).set({ documentId }).where(eq(scans.id, scan.id));
    }
    signal?.throwIfAborted();
    if (!ticketId) {
      const attachable = (attachmentMediaTypes as readonly string[]).includes(scan.mediaType);
      const ticket = await deps.tickets.create(
        intake,
        {
          kind: 'request',
          subject: about.slice(0, 300),
          customerId,
          source: 'letter_scan',
          priority: 'normal',
          tags: ['scanned-mail'],
          communicationId: target?.id,
        },
        {
          body: `A paper answer came in by ${scan.source === 'email' ? 'email' : 'upload'} (${scan.filename}), ${how}. It is filed as the document “${about}” in ${SCANNED_MAIL_FOLDER}${attachable ? ', and attached here' : ''}.`,
          authorLabel: customer?.name ?? 'the customer',
          attachments: attachable
            ? [{ sha256: scan.sha256, filename: scan.filename, mediaType: scan.mediaType, size: scan.size }]
            : [],
        },
      );
      ticketId = ticket.id;
      await db.update(scans).set({ ticketId }).where(eq(scans.id, scan.id));
    }
    await deps.documents.setLinks(intake, documentId, [
      { targetType: 'customer', targetId: customerId },
      ...(target ? [{ targetType: 'communication' as const, targetId: target.id }] : []),
      { targetType: 'ticket', targetId: ticketId },
    ]);
    await db.transaction(async (tx) => {
      const filed = await moveScan(tx, { ...scan, documentId, ticketId }, 'file', { filedAt: clock.now() });
      if (!filed) return;
      await deps.timeline.append(tx, {
        customerId,
        kind: 'scan',
        title: target ? `Scanned reply filed: ${target.templateName}` : `Scanned mail filed: ${scan.filename}`,
        subjectType: 'document',
        subjectId: documentId,
        data: { scanId: scan.id, reference: scan.reference, communicationId: target?.id ?? null, ticketId },
        actorLabel: scan.filedBy ?? actorLabel(intake),
      });
      await audit.record(tx, intake, {
        action: 'scan.filed',
        entityType: 'scan',
        entityId: scan.id,
        summary: {
          customerId,
          communicationId: target?.id ?? null,
          documentId,
          ticketId,
          reference: scan.reference,
          method: scan.method,
        },
      });
    });
  }

  /** Reads a received scan; found, it moves to filing with its customer and communication, else it waits unmatched. */
  async function match(scan: ScanRow): Promise<ScanRow | undefined> {
    if (scan.customerId) return moveScan(db, scan, 'match');
    const reading = await deps.read(
      await blobs.read(scan.sha256),
      scan.mediaType,
      async (codes) => (await resolve(codes)).target !== undefined,
    );
    const text = reading.text?.slice(0, TEXT_KEPT) ?? null;
    const { reference, target } = await resolve(reading.references);
    if (target)
      return moveScan(db, scan, 'match', {
        reference,
        method: reading.method,
        customerId: target.customerId,
        communicationId: target.id,
        text,
        detail: `Found ${reference} by ${methodWords[reading.method!]}: ${target.templateName} to ${target.customerName}.`,
      });
    const detail = reference
      ? `The code ${reference} was read, but it names no single communication; file it by hand.`
      : `No reference code was found on ${reading.pages} page${reading.pages === 1 ? '' : 's'}${reading.method === null && text ? ' (neither a QR code nor the printed reference)' : ''}; file it by hand.`;
    await db.transaction(async (tx) => {
      const missed = await moveScan(tx, scan, 'miss', { reference: reference || null, text, detail });
      if (missed)
        await audit.record(tx, intake, {
          action: 'scan.unmatched',
          entityType: 'scan',
          entityId: scan.id,
          summary: { reference: reference || null, pages: reading.pages },
        });
    });
    return undefined;
  }

  return { file, match };
}
