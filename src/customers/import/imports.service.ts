import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { and, asc, desc, eq, gt } from 'drizzle-orm';
import type { AuditTrail } from '../../audit/audit.service.js';
import { authorize } from '../../auth/policy.js';
import type { BlobStore } from '../../blobs/blob-store.js';
import type { Database, Executor } from '../../db/database.js';
import type { JobQueue } from '../../jobs/job-queue.js';
import { actorLabel, type Actor } from '../../shared/actor.js';
import type { Clock } from '../../shared/clock.js';
import { decodeCursor, encodeCursor } from '../../shared/cursor.js';
import { AppError, inBody, notFound } from '../../shared/errors.js';
import type { Timeline } from '../../timeline/timeline.service.js';
import type { AttributesService } from '../attributes.service.js';
import { customerImportRejects, customerImports } from '../customers.tables.js';
import { csvStream } from '../export.js';
import { splitVCards, vCardFields, vCardPropertyOf } from '../vcard.js';
import { CustomersChangedMeanwhile, prepareBatch, writeBatch, type IncomingRow } from './customer-batch.js';
import { csvRows, detectDelimiter, UnreadableCsvError, utf8Text, type Delimiter } from './csv-reader.js';
import { mappableFields, resolveMapping, suggestMapping } from './import-fields.js';
import { storedImportOptions, type StartImportInput } from './imports.schemas.js';

/** The largest CSV accepted: `customer_imports.file_size` is a 32-bit integer. */
export const MAX_IMPORT_BYTES = 2 ** 31 - 1;
export const CUSTOMER_IMPORT_JOB = 'customers.import';
const MAX_COLUMNS = 500;
const SAMPLE_ROWS = 5;

type ImportRow = typeof customerImports.$inferSelect;

/** The import as the API shows it, with the options column unfolded. */
export function presentImport(row: ImportRow) {
  const options = storedImportOptions.parse(row.options);
  return {
    ...row,
    columns: options.columns,
    delimiter: options.delimiter,
    mapping: options.mapping ?? null,
    upsertBy: options.upsertBy ?? null,
    mode: options.mode ?? 'upsert',
    dryRun: options.dryRun ?? false,
    partial: options.partial ?? false,
  };
}

export type CustomerImportsService = ReturnType<typeof createCustomerImportsService>;

export function createCustomerImportsService(deps: {
  db: Database;
  blobs: Pick<BlobStore, 'put' | 'open'>;
  audit: Pick<AuditTrail, 'record'>;
  queue: Pick<JobQueue, 'enqueue'>;
  attributes: Pick<AttributesService, 'definitions'>;
  timeline: Pick<Timeline, 'appendMany'>;
  clock: Clock;
  defaultCountry: string;
}) {
  const { db, blobs, audit } = deps;

  async function load(executor: Executor, id: string, lock = false) {
    const query = executor.select().from(customerImports).where(eq(customerImports.id, id));
    const [row] = await (lock ? query.for('update') : query);
    if (!row) throw notFound('customer import', id);
    return row;
  }

  /** The header and the first rows: enough for a person to map the columns. */
  async function head(sha256: string, delimiter?: Delimiter) {
    let firstLine = '';
    for await (const chunk of utf8Text(blobs.open(sha256))) {
      firstLine += chunk.toString();
      if (firstLine.includes('\n') || firstLine.length > 65_536) break;
    }
    const chosen = delimiter ?? detectDelimiter(firstLine.replace(/^\uFEFF/, '').split(/\r?\n/)[0]!);
    const rows: string[][] = [];
    try {
      for await (const row of csvRows(utf8Text(blobs.open(sha256)), chosen)) {
        if ('unreadable' in row) {
          if (row.rowNumber === 1)
            throw new AppError('validation_failed', 'customer_import.bad_header', `The header row ${row.unreadable}.`);
          continue;
        }
        rows.push(row.cells);
        if (rows.length > SAMPLE_ROWS) break;
      }
    } catch (error) {
      // A row the import will reject later need not stop the mapping step; a broken header must.
      if (!(error instanceof UnreadableCsvError) || error.rowNumber === 1) throw error;
    }
    const [columns = [], ...sample] = rows;
    return {
      delimiter: chosen,
      columns: columns.map((column) => column.trim()),
      sample: sample.map((cells) => cells.map((cell) => cell.slice(0, 200))),
    };
  }

  /** Rejects in row order, a page of whole rows at a time: a row's problems never straddle two pages. */
  async function rejectsPage(id: string, page: { cursor?: string; limit: number }) {
    const after = page.cursor === undefined ? 0 : Number(decodeCursor(page.cursor, ['bigint'])[0]);
    const where = and(eq(customerImportRejects.importId, id), gt(customerImportRejects.rowNumber, after));
    const order = [
      asc(customerImportRejects.rowNumber),
      asc(customerImportRejects.field),
      asc(customerImportRejects.reason),
    ];
    const rows = await db
      .select()
      .from(customerImportRejects)
      .where(where)
      .orderBy(...order)
      .limit(page.limit);
    if (rows.length < page.limit) return { rejects: rows, nextCursor: null };
    const last = rows[rows.length - 1]!.rowNumber;
    const lastRow = await db
      .select()
      .from(customerImportRejects)
      .where(and(eq(customerImportRejects.importId, id), eq(customerImportRejects.rowNumber, last)))
      .orderBy(...order);
    return {
      rejects: [...rows.filter((row) => row.rowNumber !== last), ...lastRow],
      nextCursor: encodeCursor([String(last)]),
    };
  }

  function checkColumns(columns: string[]) {
    if (columns.length === 0)
      throw new AppError(
        'validation_failed',
        'customer_import.empty',
        'The file is empty: it needs a header row naming its columns.',
      );
    if (columns.length > MAX_COLUMNS)
      throw new AppError(
        'validation_failed',
        'customer_import.too_many_columns',
        `The file has ${columns.length} columns; at most ${MAX_COLUMNS} can be imported.`,
      );
    const twice = columns.filter((column, index) => column && columns.indexOf(column) !== index);
    if (twice.length) {
      throw new AppError(
        'validation_failed',
        'customer_import.duplicate_columns',
        `The header names ${[...new Set(twice)].map((column) => `"${column}"`).join(', ')} more than once; column names must be unique.`,
      );
    }
  }

  return {
    fields: async (actor: Actor) => {
      authorize(actor, 'customers.import');
      return mappableFields(await deps.attributes.definitions());
    },

    /** Stores the file (streamed, checked to be UTF-8) and returns its header and first rows for mapping. */
    async upload(
      actor: Actor,
      content: AsyncIterable<Buffer | string>,
      options: { fileName: string; delimiter?: Delimiter },
    ) {
      authorize(actor, 'customers.import');
      const stored = await blobs.put(Readable.from(utf8Text(content, MAX_IMPORT_BYTES)));
      const { delimiter, columns, sample } = stored.size
        ? await head(stored.sha256, options.delimiter)
        : { delimiter: ',' as const, columns: [], sample: [] };
      checkColumns(columns);
      const row = await db.transaction(async (tx) => {
        const [created] = await tx
          .insert(customerImports)
          .values({
            fileName: options.fileName,
            fileSha256: stored.sha256,
            fileSize: stored.size,
            options: { delimiter, columns },
            status: 'uploaded',
            createdBy: actorLabel(actor),
          })
          .returning();
        await audit.record(tx, actor, {
          action: 'customer_import.uploaded',
          entityType: 'customer_import',
          entityId: created!.id,
          summary: { fileName: options.fileName, size: stored.size, columns: columns.length },
        });
        return created!;
      });
      return {
        import: presentImport(row),
        sample,
        suggestedMapping: suggestMapping(columns, await deps.attributes.definitions()),
      };
    },

    async preview(actor: Actor, id: string) {
      authorize(actor, 'customers.import');
      const row = await load(db, id);
      const { sample } = await head(row.fileSha256, presentImport(row).delimiter);
      return {
        import: presentImport(row),
        sample,
        suggestedMapping: suggestMapping(presentImport(row).columns, await deps.attributes.definitions()),
      };
    },

    /**
     * Starts (or, after a dry run, a rejection or a failure, starts again) an uploaded import with a
     * mapping; the work runs as a durable job and reports its progress on the import.
     */
    async start(actor: Actor, id: string, input: StartImportInput) {
      authorize(actor, 'customers.import');
      const definitions = await deps.attributes.definitions();
      return db.transaction(async (tx) => {
        const row = await load(tx, id, true);
        const options = storedImportOptions.parse(row.options);
        const again =
          row.status === 'rejected' || row.status === 'failed' || (row.status === 'completed' && options.dryRun);
        if (row.status !== 'uploaded' && !again) {
          throw new AppError(
            'conflict',
            'customer_import.already_started',
            `This import is ${row.status}; upload the file again to import it once more.`,
          );
        }
        const mapped = resolveMapping(input.mapping, options.columns, definitions, input.upsertBy, input.mode);
        if (mapped.problems.length) {
          const problems = inBody(mapped.problems);
          throw new AppError(
            'validation_failed',
            'customer_import.bad_mapping',
            problems.map((problem) => `${problem.path}: ${problem.message}`).join('; '),
            problems,
          );
        }
        const runId = randomUUID();
        const [started] = await tx
          .update(customerImports)
          .set({
            status: 'queued',
            options: { ...options, ...input, runId },
            rowsTotal: 0,
            rowsDone: 0,
            inserted: 0,
            updated: 0,
            rejected: 0,
            error: null,
            finishedAt: null,
          })
          .where(eq(customerImports.id, id))
          .returning();
        await tx.delete(customerImportRejects).where(eq(customerImportRejects.importId, id));
        await deps.queue.enqueue(tx, { kind: CUSTOMER_IMPORT_JOB, payload: { importId: id, runId, actor } });
        await audit.record(tx, actor, {
          action: 'customer_import.started',
          entityType: 'customer_import',
          entityId: id,
          summary: { fileName: row.fileName, ...input },
        });
        return presentImport(started!);
      });
    },

    async get(actor: Actor, id: string) {
      authorize(actor, 'customers.import');
      return presentImport(await load(db, id));
    },

    async list(actor: Actor, limit: number) {
      authorize(actor, 'customers.import');
      return (
        await db
          .select()
          .from(customerImports)
          .orderBy(desc(customerImports.createdAt), desc(customerImports.id))
          .limit(limit)
      ).map(presentImport);
    },

    async rejects(actor: Actor, id: string, page: { cursor?: string; limit: number }) {
      authorize(actor, 'customers.import');
      await load(db, id);
      return rejectsPage(id, page);
    },

    /** Every reject as CSV (row, column, reason), streamed page by page. */
    async rejectsCsv(actor: Actor, id: string) {
      authorize(actor, 'customers.import');
      const row = await load(db, id);
      async function* records() {
        let cursor: string | undefined;
        do {
          const page: Awaited<ReturnType<typeof rejectsPage>> = await rejectsPage(id, { cursor, limit: 5000 });
          for (const reject of page.rejects) yield [reject.rowNumber, reject.field, reject.reason];
          cursor = page.nextCursor ?? undefined;
        } while (cursor);
      }
      return {
        fileName: `${row.fileName.replace(/\.csv$/i, '')}-rejects.csv`,
        stream: csvStream(records(), ['row', 'column', 'reason']),
      };
    },

    /**
     * Imports vCards (one or many in a file) in one transaction, matching customers by email;
     * each card succeeds or fails on its own and says why.
     */
    async importVCards(actor: Actor, text: string) {
      authorize(actor, 'customers.import');
      const { cards, strays } = splitVCards(text);
      if (cards.length === 0)
        throw new AppError(
          'validation_failed',
          'vcard.none',
          'The file holds no vCard (nothing between BEGIN:VCARD and END:VCARD).',
        );
      const problemsOf = new Map<number, { field: string; reason: string }[]>();
      const rows: IncomingRow[] = [];
      cards.forEach((card, index) => {
        try {
          rows.push({ rowNumber: index + 1, values: vCardFields(card.text) });
        } catch (error) {
          problemsOf.set(index + 1, [{ field: 'vCard', reason: `cannot be read: ${(error as Error).message}` }]);
        }
      });
      const definitions = await deps.attributes.definitions();
      const rules = {
        upsertBy: 'email' as const,
        mode: 'upsert' as const,
        definitions,
        defaultCountry: deps.defaultCountry,
        labelOf: vCardPropertyOf,
      };
      const imported = db.transaction(async (tx) => {
        const batch = await prepareBatch(tx, rows, rules);
        await writeBatch(tx, batch, {
          at: deps.clock.now(),
          recordedBy: actorLabel(actor),
          source: 'a vCard file',
          timeline: deps.timeline,
        });
        for (const reject of batch.rejects)
          problemsOf.set(reject.rowNumber, [
            ...(problemsOf.get(reject.rowNumber) ?? []),
            { field: reject.field, reason: reject.reason },
          ]);
        const outcomes = new Map(batch.outcomes.map((outcome) => [outcome.rowNumber, outcome]));
        const results = cards.map((card, index) => {
          const outcome = outcomes.get(index + 1);
          return {
            card: index + 1,
            line: card.line,
            outcome: outcome?.outcome ?? ('rejected' as const),
            customerId: outcome?.customerId ?? null,
            problems: problemsOf.get(index + 1) ?? [],
          };
        });
        const counts = {
          inserted: batch.inserted,
          updated: batch.updated,
          rejected: results.filter((result) => result.outcome === 'rejected').length,
        };
        await audit.record(tx, actor, {
          action: 'customer.vcards_imported',
          entityType: 'customer',
          entityId: 'vcard-import',
          summary: { cards: cards.length, ...counts, linesOutsideCards: strays },
        });
        return { ...counts, cards: results, linesOutsideCards: strays };
      });
      return imported.catch((error) => {
        if (!(error instanceof CustomersChangedMeanwhile)) throw error;
        throw new AppError(
          'conflict',
          'vcard.changed_meanwhile',
          'Customers these cards match were changed while they were imported; send the file again.',
        );
      });
    },
  };
}
