import { Readable } from 'node:stream';
import { and, eq, inArray } from 'drizzle-orm';
import type { AuditTrail } from '../audit/audit.service.js';
import { authorize } from '../auth/policy.js';
import type { BlobStore } from '../blobs/blob-store.js';
import { normalReferenceCode } from '../communications/reference-code.js';
import {
  communicationsByReference,
  customersCommunication,
  type ReferencedCommunication,
} from '../communications/reference-lookup.js';
import type { LinkedRecords } from '../customers/merge.service.js';
import { customers } from '../customers/customers.tables.js';
import type { Database, Executor } from '../db/database.js';
import { receive, type IncomingFile } from '../documents/document-content.js';
import type { DocumentsService } from '../documents/documents.service.js';
import { documents } from '../documents/documents.tables.js';
import type { DocumentFoldersService } from '../documents/folders.service.js';
import type { JobQueue } from '../jobs/job-queue.js';
import { actorLabel, systemActor, type Actor } from '../shared/actor.js';
import type { Clock } from '../shared/clock.js';
import { keyset } from '../shared/cursor.js';
import { AppError, notFound } from '../shared/errors.js';
import { attachmentMediaTypes } from '../tickets/tickets.schemas.js';
import type { TicketsService } from '../tickets/tickets.service.js';
import { tickets } from '../tickets/tickets.tables.js';
import type { Timeline } from '../timeline/timeline.service.js';
import { nextScanStatus, scanStatusesFor, type ScanEvent } from './scan-lifecycle.js';
import { scanMediaTypeOf, type ScanReading } from './scan-reading.js';
import type { FileScanInput, ListScansQuery } from './scans.schemas.js';
import { scans, type ScanMethod, type ScanSource } from './scans.tables.js';

export const SCAN_PROCESS_JOB = 'scan.process';

/** The folder scans are filed in, at the top of the repository; made when the first scan is filed. */
export const SCANNED_MAIL_FOLDER = 'Scanned mail';

/** Who files scans in the audit trail and on timelines. */
const intake = systemActor('scanned mail');

/** How long the job of a scan its uploader reads at once waits before it finishes what that left undone. */
const READING_NOW_GRACE_MS = 15 * 60_000;

/** The most of the OCR text kept with a scan, to show staff what was read. */
const TEXT_KEPT = 4_000;

const methodWords: Record<ScanMethod, string> = {
  qr: 'its QR code',
  text: 'the reference printed on it (OCR)',
  hand: 'hand',
};

type ScanRow = typeof scans.$inferSelect;

const newestFirst = keyset(
  [
    { expression: scans.receivedAt, type: 'timestamptz' },
    { expression: scans.id, type: 'uuid' },
  ],
  'desc',
);

export type ScansService = ReturnType<typeof createScansService>;

/**
 * Paper answers finding their letter. A scan comes in (upload or email), its job reads it for the
 * reference code the letter printed (QR code, else OCR), and files it on the communication's
 * customer: a document in "Scanned mail" linked to the customer, the communication and the ticket it
 * opens there. A scan whose code is missing or names nothing waits as unmatched until staff file it
 * by hand; that filing runs as a job too.
 */
export function createScansService(deps: {
  db: Database;
  audit: Pick<AuditTrail, 'record'>;
  clock: Clock;
  blobs: Pick<BlobStore, 'put' | 'putMany' | 'read' | 'open'>;
  queue: Pick<JobQueue, 'enqueue'>;
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
  maxBytes: number;
}) {
  const { db, audit, clock, blobs } = deps;

  async function load(executor: Executor, id: string): Promise<ScanRow> {
    const [row] = await executor.select().from(scans).where(eq(scans.id, id));
    if (!row) throw notFound('scan', id);
    return row;
  }

  const presented = (executor: Executor) =>
    executor
      .select({
        scan: scans,
        customerName: customers.name,
        ticketNumber: tickets.number,
        documentTitle: documents.title,
        position: newestFirst.position,
      })
      .from(scans)
      .leftJoin(customers, eq(customers.id, scans.customerId))
      .leftJoin(tickets, eq(tickets.id, scans.ticketId))
      .leftJoin(documents, eq(documents.id, scans.documentId));

  function present(row: Omit<Awaited<ReturnType<ReturnType<typeof presented>['where']>>[number], 'position'>) {
    const { sha256: _sha256, inboundMessageId: _message, attachmentIndex: _index, ...scan } = row.scan;
    return {
      ...scan,
      customerName: row.customerName,
      ticketNumber: row.ticketNumber,
      documentTitle: row.documentTitle,
    };
  }

  async function presentOne(executor: Executor, id: string) {
    const [row] = await presented(executor).where(eq(scans.id, id));
    if (!row) throw notFound('scan', id);
    return present(row);
  }

  /** Moves a scan by the lifecycle's table, guarded by the statuses the event may leave; false when another got there first. */
  async function move(executor: Executor, scan: ScanRow, event: ScanEvent, change: Partial<ScanRow> = {}) {
    const status = nextScanStatus(event, scan);
    const [moved] = await executor
      .update(scans)
      .set({ ...change, status })
      .where(and(eq(scans.id, scan.id), inArray(scans.status, scanStatusesFor(event))))
      .returning();
    return moved;
  }

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
      const filed = await move(tx, { ...scan, documentId, ticketId }, 'file', { filedAt: clock.now() });
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
    if (scan.customerId) return move(db, scan, 'match');
    const reading = await deps.read(
      await blobs.read(scan.sha256),
      scan.mediaType,
      async (codes) => (await resolve(codes)).target !== undefined,
    );
    const text = reading.text?.slice(0, TEXT_KEPT) ?? null;
    const { reference, target } = await resolve(reading.references);
    if (target)
      return move(db, scan, 'match', {
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
      const missed = await move(tx, scan, 'miss', { reference: reference || null, text, detail });
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

  /** Stores a scan's row and its job, audited, in the caller's transaction. */
  async function admit(
    tx: Executor,
    actor: Actor,
    values: Pick<ScanRow, 'source' | 'filename' | 'mediaType' | 'sha256' | 'size'> &
      Partial<Pick<ScanRow, 'inboundMessageId' | 'attachmentIndex'>>,
    jobRunAt?: Date,
  ) {
    const [row] = await tx
      .insert(scans)
      .values({ ...values, receivedBy: actorLabel(actor), receivedAt: clock.now() })
      .onConflictDoNothing()
      .returning();
    if (!row) return undefined;
    await deps.queue.enqueue(tx, {
      kind: SCAN_PROCESS_JOB,
      payload: { scanId: row.id },
      idempotencyKey: `scan:${row.id}`,
      runAt: jobRunAt,
    });
    await audit.record(tx, actor, {
      action: 'scan.received',
      entityType: 'scan',
      entityId: row.id,
      summary: {
        source: row.source,
        filename: row.filename,
        mediaType: row.mediaType,
        sha256: row.sha256,
        size: row.size,
      },
    });
    return row;
  }

  return {
    /**
     * A scan uploaded by staff (or the CLI): streamed into the blob store, then read and filed by its
     * job. A caller that processes it at once itself (the CLI) sets `readingNow`: the job then waits
     * a while, there only to finish what that caller could not.
     */
    async upload(actor: Actor, file: IncomingFile, options: { readingNow?: boolean } = {}) {
      authorize(actor, 'scans.file');
      const content = await receive(blobs, file, deps.maxBytes);
      const head = await blobs.read(content.sha256);
      const mediaType = scanMediaTypeOf(head);
      const row = await db.transaction(async (tx) =>
        admit(
          tx,
          actor,
          {
            source: 'upload',
            filename: content.filename,
            mediaType,
            sha256: content.sha256,
            size: content.size,
          },
          options.readingNow ? new Date(clock.now().getTime() + READING_NOW_GRACE_MS) : undefined,
        ),
      );
      return presentOne(db, row!.id);
    },

    /**
     * The scans an email to the scan address carries: each attachment that is a PDF or picture
     * becomes a scan, once per message however often it is processed. Answers how many it took.
     */
    async receiveMail(inboundMessageId: string, attachments: { filename: string; content: Buffer }[]) {
      const kept = attachments.flatMap((attachment, index) => {
        try {
          return [{ ...attachment, index, mediaType: scanMediaTypeOf(attachment.content) }];
        } catch {
          return [];
        }
      });
      if (kept.length === 0) return 0;
      const stored = await blobs.putMany(kept.map((attachment) => attachment.content));
      await db.transaction(async (tx) => {
        for (const [position, attachment] of kept.entries())
          await admit(tx, intake, {
            source: 'email' satisfies ScanSource,
            inboundMessageId,
            attachmentIndex: attachment.index,
            filename: attachment.filename.slice(0, 255) || `scan-${attachment.index + 1}`,
            mediaType: attachment.mediaType,
            sha256: stored[position]!.sha256,
            size: stored[position]!.size,
          });
      });
      return kept.length;
    },

    /**
     * The job's work: read a received scan, and file one that found (or was given) its customer.
     * A job that lost its lease stops before filing, leaving the steps to the run that took it over.
     */
    async process(id: string, signal?: AbortSignal) {
      let scan = await load(db, id);
      if (scan.status === 'received') scan = (await match(scan)) ?? (await load(db, id));
      signal?.throwIfAborted();
      if (scan.status === 'filing') await file(scan, signal);
    },

    /** Files an unmatched scan by hand: by the reference read off the paper, or by customer (and communication). */
    async assign(actor: Actor, id: string, input: FileScanInput) {
      authorize(actor, 'scans.file');
      let target: ReferencedCommunication | undefined;
      let customerId = input.customerId;
      let reference: string | null = null;
      if (input.reference) {
        reference = normalReferenceCode(input.reference);
        if (!reference)
          throw new AppError(
            'validation_failed',
            'scan.bad_reference',
            'The reference code is not valid: a character is wrong.',
            [{ path: 'body.reference', message: 'is not a valid reference code (its check character does not match)' }],
          );
        const named = await communicationsByReference(db, reference);
        if (named.length !== 1)
          throw new AppError(
            'validation_failed',
            'scan.unknown_reference',
            `The code ${reference} names ${named.length ? 'more than one' : 'no'} communication.`,
            [
              {
                path: 'body.reference',
                message: named.length ? 'names more than one communication' : 'names no communication',
              },
            ],
          );
        target = named[0]!;
        customerId = target.customerId;
      } else {
        const [customer] = await db.select({ id: customers.id }).from(customers).where(eq(customers.id, customerId!));
        if (!customer)
          throw new AppError('validation_failed', 'scan.unknown_customer', 'No such customer.', [
            { path: 'body.customerId', message: 'names no customer' },
          ]);
        if (input.communicationId) {
          target = await customersCommunication(db, customerId!, input.communicationId);
          if (!target)
            throw new AppError(
              'validation_failed',
              'scan.unknown_communication',
              "The communication is not one of this customer's.",
              [{ path: 'body.communicationId', message: 'names no communication of this customer' }],
            );
          reference = target.reference;
        }
      }
      await db.transaction(async (tx) => {
        const scan = await load(tx, id);
        const moved = await move(tx, scan, 'assign', {
          customerId,
          communicationId: target?.id ?? null,
          reference,
          method: 'hand',
          filedBy: actorLabel(actor),
          detail: `Filed by hand by ${actorLabel(actor)}.`,
        });
        if (!moved) nextScanStatus('assign', await load(tx, id));
        await deps.queue.enqueue(tx, {
          kind: SCAN_PROCESS_JOB,
          payload: { scanId: id },
          idempotencyKey: `scan:${id}:hand`,
        });
        await audit.record(tx, actor, {
          action: 'scan.assigned',
          entityType: 'scan',
          entityId: id,
          summary: { customerId, communicationId: target?.id ?? null, reference },
        });
      });
      return presentOne(db, id);
    },

    /** Scans newest first, of one status if asked. */
    async list(actor: Actor, query: ListScansQuery) {
      authorize(actor, 'scans.read');
      const rows = await presented(db)
        .where(and(query.status ? eq(scans.status, query.status) : undefined, newestFirst.after(query.cursor)))
        .orderBy(...newestFirst.orderBy)
        .limit(query.limit + 1);
      const page = newestFirst.page(rows, query.limit);
      return { scans: page.rows.map(present), nextCursor: page.nextCursor };
    },

    async get(actor: Actor, id: string) {
      authorize(actor, 'scans.read');
      return presentOne(db, id);
    },

    /** The scan's bytes as received. */
    async content(actor: Actor, id: string) {
      authorize(actor, 'scans.read');
      const scan = await load(db, id);
      return {
        sha256: scan.sha256,
        size: scan.size,
        mediaType: scan.mediaType,
        filename: scan.filename,
        open: () => blobs.open(scan.sha256),
      };
    },

    /** The communication a reference code names, for staff who read one off the paper. */
    async referenced(actor: Actor, code: string) {
      authorize(actor, 'scans.read');
      const named = await communicationsByReference(db, code);
      if (named.length !== 1) throw notFound('communication with reference', code);
      return named[0]!;
    },

    /** A customer merge moves the scans filed (or being filed) on the merged-away customer to the survivor. */
    linkedRecords: {
      label: 'scans',
      count: async (executor, customerId) =>
        (await executor.select({ id: scans.id }).from(scans).where(eq(scans.customerId, customerId))).length,
      move: async (tx, from, to) =>
        (await tx.update(scans).set({ customerId: to }).where(eq(scans.customerId, from)).returning({ id: scans.id }))
          .length,
    } satisfies LinkedRecords,

    /** A job that gave up: the scan is failed with the reason, for an admin to retry its job. */
    async markFailed(executor: Executor, id: string, lastError: string) {
      await executor
        .update(scans)
        .set({ status: 'failed', detail: lastError.slice(0, 2000) })
        .where(and(eq(scans.id, id), inArray(scans.status, scanStatusesFor('fail'))));
    },

    /** An admin's retry of the failed job: the scan is received again (its chosen customer, if any, kept). */
    async retried(executor: Executor, id: string) {
      await executor
        .update(scans)
        .set({ status: 'received', detail: null })
        .where(and(eq(scans.id, id), inArray(scans.status, scanStatusesFor('retry'))));
    },
  };
}
