import { and, eq, sql } from 'drizzle-orm';
import type { BlobStore } from '../../blobs/blob-store.js';
import { rows, uuidArray, type Database, type Executor } from '../../db/database.js';
import type { JobQueue } from '../../jobs/job-queue.js';
import type { Clock } from '../../shared/clock.js';
import { AppError } from '../../shared/errors.js';
import { documentVersions } from '../documents.tables.js';
import { documentTexts } from './document-texts.tables.js';
import { extractText } from './extract.js';

export const EXTRACT_TEXT_JOB = 'documents.extract_text';
export const TEXT_BACKFILL_JOB = 'documents.extract_text_backfill';

/** Files larger than this are not read for text: extraction holds the whole file in memory. */
export const MAX_EXTRACTION_BYTES = 100 * 1024 * 1024;
/** Versions one backfill run queues; a full batch queues the next run. */
const BACKFILL_BATCH = 1_000;

export type TextExtraction = ReturnType<typeof createTextExtraction>;

/**
 * The text of every document version, found by a job per version: queued in the transaction that
 * stores the version (a pending row says "text being extracted"), done with the text and how it was
 * found, or failed with the reason. A version whose bytes were read before reuses that text.
 */
export function createTextExtraction({
  db,
  queue,
  blobs,
  clock,
}: {
  db: Database;
  queue: Pick<JobQueue, 'enqueueMany' | 'enqueue'>;
  blobs: Pick<BlobStore, 'read' | 'size'>;
  clock: Clock;
}) {
  async function finish(
    executor: Executor,
    versionId: string,
    outcome: { status: 'done'; text: string; method: 'text' | 'ocr' | 'none' } | { status: 'failed'; reason: string },
  ) {
    await executor
      .update(documentTexts)
      .set(
        outcome.status === 'done'
          ? { status: 'done', text: outcome.text, method: outcome.method, reason: null, extractedAt: clock.now() }
          : { status: 'failed', reason: outcome.reason.slice(0, 1000), extractedAt: clock.now() },
      )
      .where(and(eq(documentTexts.versionId, versionId), eq(documentTexts.status, 'pending')));
  }

  return {
    /**
     * In the caller's transaction: these versions' texts pending, and a job for each. A version
     * already queued is left as it is.
     */
    async enqueue(executor: Executor, versionIds: string[]) {
      if (versionIds.length === 0) return 0;
      const queued = await rows<{ version_id: string }>(
        executor,
        sql`
          insert into document_texts (version_id, document_id, version, content_sha256, created_at)
          select v.id, v.document_id, v.major || '.' || v.minor, v.content_sha256, ${clock.now()}
          from document_versions v where v.id = any(${uuidArray(versionIds)})
          on conflict do nothing
          returning version_id`,
      );
      return queue.enqueueMany(
        executor,
        queued.map(({ version_id }) => ({
          kind: EXTRACT_TEXT_JOB,
          payload: { versionId: version_id },
          idempotencyKey: `${EXTRACT_TEXT_JOB}:${version_id}`,
        })),
      );
    },

    /** The job: reads the version's bytes and stores their text; a file that cannot be read fails for good. */
    async extract(versionId: string) {
      const [pending] = await db
        .select({ contentSha256: documentTexts.contentSha256, status: documentTexts.status })
        .from(documentTexts)
        .where(eq(documentTexts.versionId, versionId));
      if (!pending || pending.status !== 'pending') return;
      const [earlier] = await db
        .select({ text: documentTexts.text, method: documentTexts.method })
        .from(documentTexts)
        .where(and(eq(documentTexts.contentSha256, pending.contentSha256), eq(documentTexts.status, 'done')))
        .limit(1);
      if (earlier) return finish(db, versionId, { status: 'done', text: earlier.text, method: earlier.method! });

      const [version] = await db
        .select({ mediaType: documentVersions.mediaType, filename: documentVersions.filename })
        .from(documentVersions)
        .where(eq(documentVersions.id, versionId));
      if (!version) return;
      const size = await blobs.size(pending.contentSha256);
      if (size > MAX_EXTRACTION_BYTES)
        return finish(db, versionId, {
          status: 'failed',
          reason: `The file is ${Math.round(size / 1048576)} MB; text is read from files of at most ${MAX_EXTRACTION_BYTES / 1048576} MB.`,
        });
      try {
        const found = await extractText(await blobs.read(pending.contentSha256), version.mediaType, version.filename);
        await finish(db, versionId, { status: 'done', ...found });
      } catch (error) {
        // A file that is not what it claims stays unreadable however often it is tried.
        if (error instanceof AppError && error.kind === 'bad_request')
          return finish(db, versionId, { status: 'failed', reason: error.message });
        throw error;
      }
    },

    /** A job that gave up: the version's text is failed with the last error. */
    async markFailed(executor: Executor, versionId: string, lastError: string) {
      await finish(executor, versionId, { status: 'failed', reason: `Extraction failed: ${lastError}` });
    },

    /** Queues versions that have no text yet (stored before extraction existed, or by a path that did not queue). */
    async backfill() {
      const queued = await db.transaction(async (tx) => {
        const missing = await rows<{ id: string }>(
          tx,
          sql`
            select v.id from document_versions v
            where not exists (select 1 from document_texts t where t.version_id = v.id)
            limit ${BACKFILL_BATCH}`,
        );
        return this.enqueue(
          tx,
          missing.map(({ id }) => id),
        );
      });
      if (queued === BACKFILL_BATCH) await this.scheduleBackfill(`next:${clock.now().toISOString()}`);
      return queued;
    },

    /** At start: a backfill run when some version has no text yet (stored before extraction existed). */
    async backfillIfMissing() {
      const [missing] = await rows<{ exists: boolean }>(
        db,
        sql`select exists (select 1 from document_versions v
                           where not exists (select 1 from document_texts t where t.version_id = v.id)) as exists`,
      );
      if (missing?.exists) await this.scheduleBackfill(`start:${clock.now().toISOString()}`);
    },

    /** One backfill run per key (the process start's, or the run before's). */
    async scheduleBackfill(key: string) {
      await queue.enqueue(db, { kind: TEXT_BACKFILL_JOB, payload: {}, idempotencyKey: `${TEXT_BACKFILL_JOB}:${key}` });
    },
  };
}

/**
 * Removes the extracted text of a document's versions, in the caller's transaction: disposition
 * destroys a record's content, and its text is a copy of that content.
 */
export async function forgetDocumentTexts(executor: Executor, documentId: string) {
  await executor.delete(documentTexts).where(eq(documentTexts.documentId, documentId));
}
