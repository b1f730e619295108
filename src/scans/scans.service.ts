import { and, eq, inArray } from 'drizzle-orm';
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
import type { Executor } from '../db/database.js';
import { receive, type IncomingFile } from '../documents/document-content.js';
import type { JobQueue } from '../jobs/job-queue.js';
import { actorLabel, type Actor } from '../shared/actor.js';
import { AppError, notFound } from '../shared/errors.js';
import { nextScanStatus, scanStatusesFor } from './scan-lifecycle.js';
import { scanMediaTypeOf } from './scan-media-type.js';
import { createScanFiling, intake, type ScanFilingDeps } from './scan-filing.js';
import {
  loadScan,
  moveScan,
  newestFirst,
  presentedScans,
  presentOneScan,
  presentScan,
  type ScanRow,
} from './scan-records.js';
import type { FileScanInput, ListScansQuery } from './scans.schemas.js';
import { scans, type ScanSource } from './scans.tables.js';

export const SCAN_PROCESS_JOB = 'scan.process';

/** How long the job of a scan its uploader reads at once waits before it finishes what that left undone. */
const READING_NOW_GRACE_MS = 15 * 60_000;

export type ScansService = ReturnType<typeof createScansService>;

/**
 * Paper answers finding their letter. A scan comes in (upload or email), its job reads it for the
 * reference code the letter printed (QR code, else OCR), and files it on the communication's
 * customer: a document in "Scanned mail" linked to the customer, the communication and the ticket it
 * opens there. A scan whose code is missing or names nothing waits as unmatched until staff file it
 * by hand; that filing runs as a job too.
 */
export function createScansService(
  deps: ScanFilingDeps & {
    blobs: Pick<BlobStore, 'put' | 'putMany' | 'read' | 'open'>;
    queue: Pick<JobQueue, 'enqueue'>;
    maxBytes: number;
  },
) {
  const { db, audit, clock, blobs } = deps;
  const { file, match } = createScanFiling(deps);

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
      return presentOneScan(db, row!.id);
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
      let scan = await loadScan(db, id);
      if (scan.status === 'received') scan = (await match(scan)) ?? (await loadScan(db, id));
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
        const scan = await loadScan(tx, id);
        const moved = await moveScan(tx, scan, 'assign', {
          customerId,
          communicationId: target?.id ?? null,
          reference,
          method: 'hand',
          filedBy: actorLabel(actor),
          detail: `Filed by hand by ${actorLabel(actor)}.`,
        });
        if (!moved) nextScanStatus('assign', await loadScan(tx, id));
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
      return presentOneScan(db, id);
    },

    /** Scans newest first, of one status if asked. */
    async list(actor: Actor, query: ListScansQuery) {
      authorize(actor, 'scans.read');
      const rows = await presentedScans(db)
        .where(and(query.status ? eq(scans.status, query.status) : undefined, newestFirst.after(query.cursor)))
        .orderBy(...newestFirst.orderBy)
        .limit(query.limit + 1);
      const page = newestFirst.page(rows, query.limit);
      return { scans: page.rows.map(presentScan), nextCursor: page.nextCursor };
    },

    async get(actor: Actor, id: string) {
      authorize(actor, 'scans.read');
      return presentOneScan(db, id);
    },

    /** The scan's bytes as received. */
    async content(actor: Actor, id: string) {
      authorize(actor, 'scans.read');
      const scan = await loadScan(db, id);
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
