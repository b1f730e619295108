import fs from 'node:fs/promises';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { and, asc, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { AuditTrail } from '../audit/audit.service.js';
import { authorize } from '../auth/policy.js';
import type { BlobStore } from '../blobs/blob-store.js';
import { customers } from '../customers/customers.tables.js';
import { spreadsheetSafe } from '../customers/export.js';
import type { Database } from '../db/database.js';
import type { Actor } from '../shared/actor.js';
import { actorLabel } from '../shared/actor.js';
import type { Clock } from '../shared/clock.js';
import { AppError, notFound } from '../shared/errors.js';
import { batchRuns, communications, printBatches } from './communications.tables.js';
import { inDelivery, move } from './lifecycle.js';

export const DAILY_PRINT_JOB = 'print_batch.daily';
const MAX_LETTERS = 5000;

export type PrintBatchesService = ReturnType<typeof createPrintBatchesService>;

/** Letters in the print queue that no print batch has taken yet. */
const waitingLetters = and(
  eq(communications.channel, 'letter'),
  eq(communications.status, 'awaiting_print'),
  isNull(communications.printBatchId),
);

/** A batch as staff see it: the folder by its name within the print folder, never the server's path. */
const presented = ({ folder, ...batch }: typeof printBatches.$inferSelect) => ({
  ...batch,
  folderName: folder && path.basename(folder),
});

/** Letters for a print-and-post vendor: one merged PDF plus a CSV manifest, archived and written to a folder. */
export function createPrintBatchesService(deps: {
  db: Database;
  audit: Pick<AuditTrail, 'record'>;
  clock: Clock;
  blobs: Pick<BlobStore, 'put' | 'read'>;
  printDir: string;
}) {
  const { db, clock } = deps;

  return {
    async list(actor: Actor) {
      authorize(actor, 'print_batches.read');
      const batches = await db.select().from(printBatches).orderBy(desc(printBatches.createdAt)).limit(100);
      return batches.map(presented);
    },

    async waiting() {
      return db.select({ id: communications.id }).from(communications).where(waitingLetters);
    },

    /**
     * Gathers every letter handed over for printing and not yet in a batch, and completes the batch
     * runs whose last letters these were. Returns undefined when there are none.
     */
    async create(actor: Actor) {
      authorize(actor, 'runs.manage');
      const letters = await db
        .select({ communication: communications, customerName: customers.name })
        .from(communications)
        .innerJoin(customers, eq(customers.id, communications.customerId))
        .where(waitingLetters)
        .orderBy(asc(communications.createdAt), asc(communications.id))
        .limit(MAX_LETTERS);
      if (letters.length === 0) return undefined;
      // pdf-lib is loaded when a batch is made, not with the server: most starts never make one.
      const { PDFDocument } = await import('pdf-lib');
      const merged = await PDFDocument.create();
      const manifest: (string | number)[][] = [
        ['sequence', 'communication_id', 'customer_id', 'recipient', 'address', 'first_page', 'pages', 'sha256'],
      ];
      for (const [index, { communication, customerName }] of letters.entries()) {
        const source = await PDFDocument.load(await deps.blobs.read(communication.archiveSha256!));
        const pages = await merged.copyPages(source, source.getPageIndices());
        const firstPage = merged.getPageCount() + 1;
        for (const page of pages) merged.addPage(page);
        // Names and addresses are customer data: a vendor opening the manifest in a spreadsheet must not run them.
        manifest.push([
          index + 1,
          communication.id,
          communication.customerId,
          spreadsheetSafe(customerName),
          spreadsheetSafe(communication.address ?? ''),
          firstPage,
          pages.length,
          communication.archiveSha256!,
        ]);
      }
      merged.setCreationDate(clock.now());
      const pdfBytes = Buffer.from(await merged.save());
      const manifestBytes = Buffer.from(stringify(manifest));
      const [pdf, csv] = await Promise.all([deps.blobs.put(pdfBytes), deps.blobs.put(manifestBytes)]);
      const now = clock.now();
      const folder = path.join(deps.printDir, `${now.toISOString().slice(0, 10)}-${pdf.sha256.slice(0, 8)}`);
      await fs.mkdir(folder, { recursive: true });
      await Promise.all([
        fs.writeFile(path.join(folder, 'letters.pdf'), pdfBytes),
        fs.writeFile(path.join(folder, 'manifest.csv'), manifestBytes),
      ]);
      return db.transaction(async (tx) => {
        const [batch] = await tx
          .insert(printBatches)
          .values({
            pdfSha256: pdf.sha256,
            manifestSha256: csv.sha256,
            items: letters.length,
            pages: merged.getPageCount(),
            folder,
            createdBy: actorLabel(actor),
          })
          .returning();
        const printed = move('printed');
        await tx
          .update(communications)
          .set({ status: printed.status, sentAt: now, printBatchId: batch!.id, updatedAt: now })
          .where(
            and(
              inArray(
                communications.id,
                letters.map((letter) => letter.communication.id),
              ),
              printed.allowed,
            ),
          );
        const letterRuns = [...new Set(letters.map((letter) => letter.communication.batchRunId).filter(Boolean))];
        if (letterRuns.length)
          await tx
            .update(batchRuns)
            .set({ status: 'completed', finishedAt: now })
            .where(
              and(
                inArray(batchRuns.id, letterRuns as string[]),
                eq(batchRuns.status, 'awaiting_print'),
                sql`not exists (select 1 from communications c where c.batch_run_id = ${batchRuns.id} and c.status = any(${`{${[...inDelivery, 'awaiting_print'].join(',')}}`}::text[]))`,
              ),
            );
        await deps.audit.record(tx, actor, {
          action: 'print_batch.created',
          entityType: 'print_batch',
          entityId: batch!.id,
          summary: { items: letters.length, pages: batch!.pages, folder },
        });
        return { ...presented(batch!), folder };
      });
    },

    async file(actor: Actor, id: string, kind: 'pdf' | 'manifest') {
      authorize(actor, 'print_batches.download');
      const [batch] = await db.select().from(printBatches).where(eq(printBatches.id, id));
      if (!batch) throw notFound('print batch', id);
      const sha = kind === 'pdf' ? batch.pdfSha256 : batch.manifestSha256;
      if (!sha) throw new AppError('not_found', 'print_batch.no_file', 'This print batch has no such file.');
      const bytes = await deps.blobs.read(sha);
      // The merged PDF holds the archived copy of every letter in the batch: a download is on the record.
      await db.transaction((tx) =>
        deps.audit.record(tx, actor, {
          action: 'print_batch.downloaded',
          entityType: 'print_batch',
          entityId: id,
          summary: { file: kind, sha256: sha },
        }),
      );
      return {
        bytes,
        mediaType: kind === 'pdf' ? 'application/pdf' : 'text/csv; charset=utf-8',
        fileName: `print-batch-${id}.${kind === 'pdf' ? 'pdf' : 'csv'}`,
      };
    },
  };
}
