import { setImmediate as nextTurn } from 'node:timers/promises';
import { and, between, eq, sql } from 'drizzle-orm';
import type { AuditTrail } from '../../audit/audit.service.js';
import type { BlobStore } from '../../blobs/blob-store.js';
import type { Database, Engine, Executor } from '../../db/database.js';
import type { Actor } from '../../shared/actor.js';
import type { Clock } from '../../shared/clock.js';
import type { Timeline } from '../../timeline/timeline.service.js';
import type { AttributesService } from '../attributes.service.js';
import { customerImportRejects, customerImports, customers, type ImportStatus } from '../customers.tables.js';
import { prepareBatch, rejectedRows, storeRejects, type BatchRules } from './customer-batch.js';
import { rememberAdded, type AddedEarlier } from './added-earlier.js';
import { checkedBatches, checkedRowsWriter, type CheckedBatch } from './checked-rows.js';
import { UnreadableCsvError } from './csv-reader.js';
import { fileBatches, readAhead } from './file-batches.js';
import { resolveMapping } from './import-fields.js';
import { mergePendingEmails } from './index-upkeep.js';
import { createWritePass } from './write-pass.js';
import { storedImportOptions, type StoredImportOptions } from './imports.schemas.js';

/** After writing this many new customers the table's statistics are renewed, so that searches plan for its new size. */
const ANALYZE_AFTER_ROWS = 10_000;
/** The import's progress is stored at most this often: a write per batch cost a round trip each. */
const PROGRESS_EVERY_MS = 250;

export type ImportRun = { importId: string; runId: string; actor: Actor };
export type RunContext = { signal: AbortSignal; reportProgress(progress: Record<string, unknown>): Promise<void> };
type ImportRecord = typeof customerImports.$inferSelect;
/** Everything one run of an import works from. */
type Plan = {
  run: ImportRun;
  record: ImportRecord;
  options: StoredImportOptions;
  mapping: { index: number; field: string }[];
  rules: BatchRules;
  context: RunContext;
};
type Counts = { inserted: number; updated: number; rejected: number };

const countsOf = (row: ImportRecord) => ({
  rowsTotal: row.rowsTotal,
  inserted: row.inserted,
  updated: row.updated,
  rejected: row.rejected,
});

/** Whether progress is due again; real time, not the app's clock: it paces database writes. */
function progressPacer() {
  let last = -Infinity;
  return () => {
    const now = performance.now();
    if (now - last < PROGRESS_EVERY_MS) return false;
    last = now;
    return true;
  };
}

/**
 * Runs an import in two passes, each streamed in batches of rows: first every row of the stored file
 * is validated (nothing written, every reject stored, the rows that passed kept in a blob), then,
 * unless that was a dry run or rows were rejected without `partial`, the kept rows are written, each
 * batch in its own transaction together with the import's progress, so that a restarted job resumes
 * after the last batch written.
 */
export function createImportRunner(deps: {
  db: Database;
  blobs: Pick<BlobStore, 'open' | 'put' | 'has' | 'remove'>;
  audit: Pick<AuditTrail, 'record'>;
  attributes: Pick<AttributesService, 'definitions'>;
  timeline: Pick<Timeline, 'appendMany'>;
  clock: Clock;
  defaultCountry: string;
  engine: Engine;
}) {
  const { db, clock } = deps;
  const writePass = createWritePass(deps);

  const update = (executor: Executor, id: string, values: Partial<typeof customerImports.$inferInsert>) =>
    executor.update(customerImports).set(values).where(eq(customerImports.id, id));

  async function finish(
    run: ImportRun,
    status: ImportStatus,
    summary: Record<string, unknown>,
    error: string | null = null,
  ) {
    await db.transaction(async (tx) => {
      await update(tx, run.importId, { status, error, finishedAt: clock.now() });
      await deps.audit.record(tx, run.actor, {
        action: `customer_import.${status}`,
        entityType: 'customer_import',
        entityId: run.importId,
        summary: { ...summary, ...(error ? { error } : {}) },
      });
    });
  }

  /** Pass 1: reads and checks every row, stores every reject; returns the counts, or undefined when the file cannot be read. */
  async function validate(plan: Plan) {
    const { run, rules, context } = plan;
    await update(db, run.importId, {
      status: 'validating',
      rowsTotal: 0,
      rowsDone: 0,
      inserted: 0,
      updated: 0,
      rejected: 0,
      error: null,
    });
    await db.delete(customerImportRejects).where(eq(customerImportRejects.importId, run.importId));
    const counts = { rows: 0, inserted: 0, updated: 0, rejected: 0 };
    const progressOf = ({ rows, inserted, updated, rejected }: typeof counts) => ({
      rowsDone: rows,
      inserted,
      updated,
      rejected,
    });
    const progressDue = progressPacer();
    const addedEarlier: AddedEarlier = new Map();
    // A dry run writes nothing, so it keeps nothing for a write pass.
    const checked = plan.options.dryRun ? undefined : checkedRowsWriter(deps.blobs, run);
    let checkedRows: string | undefined;
    await mergePendingEmails(db);
    try {
      for await (const batch of readAhead(fileBatches(plan, deps.blobs))) {
        context.signal.throwIfAborted();
        await nextTurn();
        const prepared = await prepareBatch(db, batch.rows, rules, addedEarlier);
        rememberAdded(addedEarlier, prepared, rules.upsertBy);
        const rejects = [...batch.unreadable, ...prepared.rejects];
        await storeRejects(db, run.importId, rejects);
        const rejected = rejectedRows(rejects);
        await checked?.add({
          first: batch.first,
          last: batch.last,
          count: batch.count,
          rows: batch.rows.filter((row) => !rejected.has(row.rowNumber)),
        });
        Object.assign(counts, {
          rows: counts.rows + batch.count,
          inserted: counts.inserted + prepared.inserted,
          updated: counts.updated + prepared.updated,
          rejected: counts.rejected + rejected.size,
        });
        if (progressDue()) {
          await update(db, run.importId, progressOf(counts));
          await context.reportProgress({ phase: 'validating', rowsDone: counts.rows });
        }
      }
      checkedRows = await checked?.finish();
    } catch (error) {
      if (!(error instanceof UnreadableCsvError)) throw error;
      await storeRejects(db, run.importId, [{ rowNumber: error.rowNumber, field: '', reason: error.reason }]);
      await update(db, run.importId, { rowsDone: counts.rows, inserted: 0, updated: 0, rejected: counts.rejected + 1 });
      return undefined;
    } finally {
      if (!checkedRows) checked?.abandon();
    }
    await update(db, run.importId, { ...progressOf(counts), rowsTotal: counts.rows });
    return { ...counts, checkedRows };
  }

  /** An import validated before its checked rows were kept writes the file, read and checked again. */
  async function* recheckedBatches(plan: Plan, after: number): AsyncGenerator<CheckedBatch> {
    for await (const batch of fileBatches(plan, deps.blobs, after)) {
      const known = await db
        .selectDistinct({ rowNumber: customerImportRejects.rowNumber })
        .from(customerImportRejects)
        .where(
          and(
            eq(customerImportRejects.importId, plan.run.importId),
            between(customerImportRejects.rowNumber, batch.first, batch.last),
          ),
        );
      const rejected = new Set(known.map((row) => row.rowNumber));
      const rows = batch.rows.filter((row) => !rejected.has(row.rowNumber));
      yield { first: batch.first, last: batch.last, count: batch.count, rows };
    }
  }

  /** Pass 2: writes the valid rows, resuming after the rows an earlier attempt already wrote. */
  async function write(plan: Plan) {
    const { run, record, options, rules, context } = plan;
    const progressDue = progressPacer();
    const batches =
      options.checkedRows && (await deps.blobs.has(options.checkedRows))
        ? checkedBatches(deps.blobs, options.checkedRows, record.rowsDone + 1)
        : recheckedBatches(plan, record.rowsDone + 1);
    return writePass(
      {
        importId: run.importId,
        actor: run.actor,
        fileName: record.fileName,
        rules,
        signal: context.signal,
        done: record.rowsDone,
        async reportProgress(rowsDone) {
          if (progressDue())
            await context.reportProgress({ phase: 'importing', rowsDone, rowsTotal: record.rowsTotal });
        },
      },
      batches,
    );
  }

  return {
    async run(run: ImportRun, context: RunContext) {
      const [record] = await db.select().from(customerImports).where(eq(customerImports.id, run.importId));
      const options = record && storedImportOptions.parse(record.options);
      if (
        !record ||
        !options ||
        options.runId !== run.runId ||
        !['queued', 'validating', 'importing'].includes(record.status)
      )
        return;
      const definitions = await deps.attributes.definitions();
      const { resolved, problems } = resolveMapping(
        options.mapping ?? {},
        options.columns,
        definitions,
        options.upsertBy ?? 'email',
        options.mode ?? 'upsert',
      );
      const summary = (counts: Counts & { rowsTotal: number }) => ({
        fileName: record.fileName,
        upsertBy: options.upsertBy,
        mode: options.mode,
        dryRun: options.dryRun,
        partial: options.partial,
        ...counts,
      });
      if (problems.length) {
        await finish(
          run,
          'failed',
          summary({ rowsTotal: 0, inserted: 0, updated: 0, rejected: 0 }),
          `The mapping no longer fits: ${problems.map((problem) => `${problem.path}: ${problem.message}`).join('; ')}`,
        );
        return;
      }
      const labels = new Map(resolved.map((entry) => [entry.field, entry.column]));
      const rules: BatchRules = {
        upsertBy: options.upsertBy ?? 'email',
        mode: options.mode ?? 'upsert',
        definitions,
        defaultCountry: deps.defaultCountry,
        labelOf: (field) => labels.get(field) ?? field,
      };
      const plan: Plan = { run, record, options, mapping: resolved, rules, context };
      if (record.status !== 'importing') {
        const counts = await validate(plan);
        if (!counts) {
          const [after] = await db.select().from(customerImports).where(eq(customerImports.id, run.importId));
          await finish(
            run,
            'rejected',
            summary({ ...countsOf(after!), rowsTotal: after!.rowsDone }),
            'The file cannot be read to its end; see the rejects.',
          );
          return;
        }
        if (options.dryRun) {
          await finish(run, 'completed', summary({ ...counts, rowsTotal: counts.rows }));
          return;
        }
        if (counts.rejected > 0 && !options.partial) {
          if (counts.checkedRows) await deps.blobs.remove(counts.checkedRows);
          // What validation counted would have been written; nothing was.
          await update(db, run.importId, { inserted: 0, updated: 0 });
          await finish(
            run,
            'rejected',
            summary({ rowsTotal: counts.rows, inserted: 0, updated: 0, rejected: counts.rejected }),
          );
          return;
        }
        plan.options = { ...options, checkedRows: counts.checkedRows };
        const [importing] = await update(db, run.importId, {
          status: 'importing',
          rowsDone: 0,
          inserted: 0,
          updated: 0,
          options: plan.options,
        }).returning();
        plan.record = importing!;
      }
      const inserted = await write(plan);
      const [after] = await db.select().from(customerImports).where(eq(customerImports.id, run.importId));
      await finish(run, 'completed', summary(countsOf(after!)));
      if (plan.options.checkedRows) await deps.blobs.remove(plan.options.checkedRows);
      // The customers are there to use once the import says so; the planner's statistics follow.
      if (inserted >= ANALYZE_AFTER_ROWS) await db.execute(sql`analyze ${customers}`);
    },

    /** The job gave up: the import says so, with the reason. */
    async fail(run: ImportRun, error: unknown) {
      const [record] = await db.select().from(customerImports).where(eq(customerImports.id, run.importId));
      const options = record && storedImportOptions.parse(record.options);
      if (!record || options?.runId !== run.runId) return;
      const message = (error instanceof Error ? error.message : String(error)).split('\n')[0]!.slice(0, 500);
      await finish(
        run,
        'failed',
        { fileName: record.fileName, rowsDone: record.rowsDone, ...countsOf(record) },
        message,
      );
      if (options.checkedRows) await deps.blobs.remove(options.checkedRows);
    },
  };
}
