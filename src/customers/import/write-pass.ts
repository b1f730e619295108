import { setImmediate as nextTurn } from 'node:timers/promises';
import { and, eq, sql } from 'drizzle-orm';
import { isDeadlock, type Database, type Engine } from '../../db/database.js';
import { actorLabel, type Actor } from '../../shared/actor.js';
import type { Clock } from '../../shared/clock.js';
import type { Timeline } from '../../timeline/timeline.service.js';
import { normalizeEmail } from '../customer-fields.js';
import { customerImports } from '../customers.tables.js';
import type { CheckedBatch } from './checked-rows.js';
import {
  CustomersChangedMeanwhile,
  prepareBatch,
  rejectedRows,
  storeRejects,
  writeBatch,
  type BatchRules,
  type IncomingRow,
} from './customer-batch.js';
import { readAhead } from './file-batches.js';
import { emailsIn } from './customer-row.js';
import { mergePendingEmails } from './index-upkeep.js';

/** What the write pass of one import works from. */
export type WriteJob = {
  importId: string;
  actor: Actor;
  /** The file's name, as the timeline says "Imported from customers.csv". */
  fileName: string;
  rules: BatchRules;
  signal: AbortSignal;
  /** The rows written so far: the batches that follow start after them. */
  done: number;
  reportProgress(rowsDone: number): Promise<void>;
};

/**
 * On the embedded database a statement holds the thread that serves HTTP for as long as it runs (a
 * 500-row insert about 100 ms): the write pass writes a batch there in pieces of this many rows.
 */
const EMBEDDED_WRITE_ROWS = 250;

/** A batch being written: the keys its rows name, its first row, and `settled` once it has committed and reported. */
type Writing = { identities: Set<string>; first: number; settled: Promise<void> };

/** The batch committed before the batch before it did, which then rolled back: it is written again after that one. */
class WrittenOutOfTurn extends Error {}

/**
 * Every email address and external ID a batch's rows name, as its lookups and checks compare them:
 * two batches that share none can be checked and written without seeing each other's customers.
 */
function identitiesOf(incoming: IncomingRow[]) {
  const identities = new Set<string>();
  for (const { values } of incoming) {
    for (const field of ['email', 'email2', 'emails'])
      for (const address of emailsIn(values.get(field))) identities.add(`email:${normalizeEmail(address)}`);
    const externalId = values.get('externalId');
    if (typeof externalId === 'string') identities.add(`external:${externalId.trim()}`);
  }
  return identities;
}

const sharesAny = (some: Set<string>, others: Set<string>) => [...others].some((value) => some.has(value));

/**
 * The batches' rows after row `after` in pieces of at most `size` rows, each covering the file's rows
 * from its first to its last (the rejected ones too), so that the progress still counts a prefix of
 * the file and a resumed import, which may start inside a batch, writes no row twice.
 */
async function* inPieces(
  batches: AsyncIterable<CheckedBatch>,
  size: number,
  after: number,
): AsyncGenerator<CheckedBatch> {
  for await (const batch of batches) {
    let first = Math.max(batch.first, after + 1);
    const rows = batch.rows.filter((row) => row.rowNumber >= first);
    for (let start = 0; start < rows.length || first <= batch.last; start += size) {
      const last = start + size < rows.length ? rows[start + size]!.rowNumber - 1 : batch.last;
      yield { first, last, count: last - first + 1, rows: rows.slice(start, start + size) };
      first = last + 1;
    }
  }
}

/**
 * An import's second pass: writes the checked rows batch by batch, each batch in its own transaction
 * together with the import's progress, so that a restarted job resumes after the last batch written
 * and the progress always counts a prefix of the file.
 *
 * On PostgreSQL two batches are written at a time on two connections (the server's second core
 * otherwise idles while one connection inserts and indexes), unless the later one names an email
 * address or external ID the earlier one does: it would not see the customer that one creates. The
 * later batch waits for the earlier one inside PostgreSQL, on an advisory lock the earlier one holds
 * until it ends, so that any cycle between the two (the earlier one waiting for a name word the later
 * one has just added) is a deadlock PostgreSQL sees and breaks; the batch it stops is written again.
 */
export function createWritePass(deps: {
  db: Database;
  engine: Engine;
  clock: Clock;
  timeline: Pick<Timeline, 'appendMany'>;
}) {
  const { db } = deps;
  const besideEachOther = deps.engine === 'postgres';
  const batchLock = (job: WriteJob, first: number) =>
    sql`select pg_advisory_xact_lock(hashtext(${job.importId}), ${first}::int)`;

  /** One batch in one transaction with the import's progress: all of it is written, or none. */
  async function writeRows(job: WriteJob, batch: CheckedBatch, done: number, before: Writing | undefined) {
    return db.transaction(async (tx) => {
      // Held until this transaction ends; the batch after this one waits for it (see above).
      if (besideEachOther) await tx.execute(batchLock(job, batch.first));
      const prepared = await prepareBatch(tx, batch.rows, job.rules);
      // A batch that only creates customers goes ahead at once: its new rows cannot meet the locks of the batch before.
      if (before && prepared.targets.some((target) => !target.isNew)) await before.settled;
      await writeBatch(tx, prepared, {
        at: deps.clock.now(),
        recordedBy: actorLabel(job.actor),
        source: job.fileName,
        timeline: deps.timeline,
      });
      // Rows that passed validation but no longer fit (the stored customers changed since).
      await storeRejects(tx, job.importId, prepared.rejects);
      if (before) await tx.execute(batchLock(job, before.first));
      // A worker stopping meanwhile leaves with the batch before committed and this one rolled back.
      job.signal.throwIfAborted();
      const moved = await tx
        .update(customerImports)
        .set({
          rowsDone: done + batch.count,
          inserted: sql`${customerImports.inserted} + ${prepared.inserted}`,
          updated: sql`${customerImports.updated} + ${prepared.updated}`,
          rejected: sql`${customerImports.rejected} + ${rejectedRows(prepared.rejects).size}`,
        })
        .where(
          and(
            eq(customerImports.id, job.importId),
            eq(customerImports.rowsDone, done),
            eq(customerImports.status, 'importing'),
          ),
        )
        .returning({ id: customerImports.id });
      if (moved.length === 0) {
        if (before) throw new WrittenOutOfTurn('The batch before this one did not commit.');
        throw new Error('Another attempt moved this import on; this one stops without writing.');
      }
      return prepared.inserted;
    });
  }

  async function writeWithRetries(job: WriteJob, batch: CheckedBatch, done: number, before: Writing | undefined) {
    for (let attempt = 1; ; attempt++) {
      try {
        return await writeRows(job, batch, done, before);
      } catch (error) {
        const again =
          error instanceof CustomersChangedMeanwhile || error instanceof WrittenOutOfTurn || isDeadlock(error);
        if (!again || attempt === 3) throw error;
        // Once the batch before has ended, neither can wait for the other.
        await before?.settled;
        before = undefined;
      }
    }
  }

  /** Writes the batches; returns how many customers they created. */
  return async function write(job: WriteJob, batches: AsyncIterable<CheckedBatch>) {
    let done = job.done;
    let inserted = 0;
    let writing: Writing | undefined;
    const pieces = besideEachOther ? batches : inPieces(batches, EMBEDDED_WRITE_ROWS, job.done + 1);
    try {
      for await (const batch of readAhead(pieces)) {
        job.signal.throwIfAborted();
        const identities = identitiesOf(batch.rows);
        if (writing && (!besideEachOther || sharesAny(writing.identities, identities))) {
          await writing.settled;
          writing = undefined;
        }
        // Between batches the rest of Tidings (HTTP, other jobs) gets its turn.
        await nextTurn();
        await mergePendingEmails(db);
        const before = writing;
        const rowsDone = done + batch.count;
        const settled = writeWithRetries(job, batch, done, before).then(async (written) => {
          inserted += written;
          // Progress is reported in the file's order.
          await before?.settled;
          await job.reportProgress(rowsDone);
        });
        // Awaited by the batch after or at the end; until then a failure must not count as unhandled.
        settled.catch(() => {});
        writing = { identities, first: batch.first, settled };
        await before?.settled;
        done = rowsDone;
      }
      await writing?.settled;
    } finally {
      // A failed batch leaves the one after it waiting on its failure; it rolls back before the job ends.
      await writing?.settled.catch(() => {});
    }
    return inserted;
  };
}
