import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import cliProgress from 'cli-progress';
import { Command, Option } from 'commander';
import type { App } from '../app.js';
import type { Actor } from '../shared/actor.js';
import { AppError } from '../shared/errors.js';
import { customerKinds, lifecycleStages } from '../customers/customers.tables.js';
import { exportCustomersQuery } from '../customers/export.js';
import { delimiters, type Delimiter } from '../customers/import/csv-reader.js';
import { upsertKeys, type UpsertKey } from '../customers/import/import-fields.js';

/** Progress goes to standard error, a line a second where it is not a terminal (a log, CI). */
const bars = { stream: process.stderr, noTTYOutput: true, notTTYSchedule: 1000, hideCursor: true };

type Deps = { withApp: <T>(run: (app: App) => Promise<T>) => Promise<T>; actor: () => Actor };
type ImportOptions = {
  map?: string[];
  dryRun?: boolean;
  partial?: boolean;
  insertOnly?: boolean;
  upsertBy: UpsertKey;
  delimiter?: Delimiter;
};
type ExportOptions = {
  segment?: string;
  format: 'csv' | 'vcard';
  lifecycle?: string[];
  tag?: string[];
  kind?: string;
  archived: string;
  output?: string;
};

const SHOWN_REJECTS = 20;

/** `--map "E-Mail=email"`: the last = splits, since column names may hold one and field names never do. */
function parseMapping(pairs: string[]) {
  return Object.fromEntries(
    pairs.map((pair) => {
      const at = pair.lastIndexOf('=');
      if (at <= 0)
        throw new AppError(
          'validation_failed',
          'cli.bad_map',
          `--map ${pair}: write it as column=field, e.g. --map "E-Mail=email".`,
        );
      return [pair.slice(0, at), pair.slice(at + 1)];
    }),
  );
}

async function importFile(app: App, actor: Actor, file: string, options: ImportOptions) {
  if (!fs.existsSync(file)) throw new AppError('not_found', 'cli.no_file', `No file ${file}.`);
  const imports = app.services.customerImports;
  const uploaded = await imports.upload(actor, fs.createReadStream(file), {
    fileName: path.basename(file),
    delimiter: options.delimiter,
  });
  const mapping = options.map?.length ? parseMapping(options.map) : uploaded.suggestedMapping;
  process.stderr.write(`Mapping (${Object.keys(mapping).length} of ${uploaded.import.columns.length} columns):\n`);
  for (const [column, field] of Object.entries(mapping)) process.stderr.write(`  ${column} → ${field}\n`);
  const { id } = await imports.start(actor, uploaded.import.id, {
    mapping,
    upsertBy: options.upsertBy,
    mode: options.insertOnly ? 'insert' : 'upsert',
    dryRun: Boolean(options.dryRun),
    partial: Boolean(options.partial),
  });

  // This process runs the import itself; with PostgreSQL a server's worker may take it instead.
  const { createWorker } = await import('../jobs/worker.js');
  const { CUSTOMER_IMPORT_JOB } = await import('../customers/import/imports.service.js');
  const worker = createWorker({
    queue: app.queue,
    definitions: app.jobDefinitions.filter((definition) => definition.kind === CUSTOMER_IMPORT_JOB),
    concurrency: 1,
    leaseMs: app.config.jobLeaseMs,
    pollMs: 200,
    logger: app.logger,
  });
  worker.start();
  const checking = new cliProgress.SingleBar({ ...bars, format: 'Checking  {value} rows read, {rejected} rejected' });
  const writing = new cliProgress.SingleBar(
    { ...bars, format: 'Importing |{bar}| {percentage}% {value}/{total} rows, {rejected} rejected' },
    cliProgress.Presets.shades_classic,
  );
  let shown: cliProgress.SingleBar | undefined;
  let record = await imports.get(actor, id);
  try {
    while (!['completed', 'rejected', 'failed'].includes(record.status)) {
      const bar = record.status === 'importing' ? writing : record.status === 'validating' ? checking : undefined;
      if (bar && bar !== shown) {
        shown?.stop();
        bar.start(record.rowsTotal, record.rowsDone, { rejected: record.rejected });
        shown = bar;
      }
      shown?.update(record.rowsDone, { rejected: record.rejected });
      await new Promise((resolve) => setTimeout(resolve, 200));
      record = await imports.get(actor, id);
    }
    // A small file can finish between two polls: its last state is shown all the same.
    const last = record.status === 'completed' && !record.dryRun ? writing : checking;
    if (shown !== last) {
      shown?.stop();
      last.start(record.rowsTotal, record.rowsDone, { rejected: record.rejected });
      shown = last;
    }
    shown.update(record.rowsDone, { rejected: record.rejected });
  } finally {
    shown?.stop();
    await worker.stop();
  }

  const counts = `${record.rowsTotal} rows: ${record.inserted} new, ${record.updated} updated, ${record.rejected} rejected`;
  const summary = {
    completed: record.dryRun
      ? `Dry run of ${record.fileName}, nothing written. It would import ${counts}.`
      : `Imported ${record.fileName}: ${counts}.`,
    rejected: `Nothing imported from ${record.fileName}: ${record.rejected} of ${record.rowsTotal || record.rowsDone} rows rejected. ${record.error ?? 'Fix the rows below, or import the rest with --partial.'}`,
    failed: `The import of ${record.fileName} failed: ${record.error}`,
  }[record.status as 'completed' | 'rejected' | 'failed'];
  console.log(summary);
  const { rejects } = await imports.rejects(actor, id, { limit: SHOWN_REJECTS });
  for (const reject of rejects.slice(0, SHOWN_REJECTS))
    console.log(`  row ${reject.rowNumber}${reject.field ? `, ${reject.field}` : ''}: ${reject.reason}`);
  if (record.rejected > rejects.length) console.log(`  … every reject: GET /api/customer-imports/${id}/rejects.csv`);
  if (record.status !== 'completed' || record.rejected > 0) process.exitCode = 1;
}

async function exportCustomers(app: App, actor: Actor, options: ExportOptions) {
  let segment: string | undefined;
  if (options.segment) {
    const found = (await app.services.segments.list(actor)).find(
      (candidate) => candidate.id === options.segment || candidate.name === options.segment,
    );
    if (!found) throw new AppError('not_found', 'segment.not_found', `No segment named or with id ${options.segment}.`);
    segment = found.id;
  }
  const parsed = exportCustomersQuery.safeParse({
    segment,
    lifecycle: options.lifecycle,
    tag: options.tag,
    kind: options.kind,
    archived: options.archived,
  });
  if (!parsed.success)
    throw new AppError(
      'validation_failed',
      'cli.bad_filter',
      parsed.error.issues.map((issue) => `--${issue.path.join('.')}: ${issue.message}`).join('; '),
    );
  const exports = app.services.customerExport;
  // What has been written so far: no total is read first, so it is a running count, not a bar.
  const progress = new cliProgress.SingleBar({ ...bars, format: 'Exporting {value} customers' });
  let exported = 0;
  const onProgress = (count: number) => progress.update((exported = count));
  const stream =
    options.format === 'vcard'
      ? await exports.vcards(actor, parsed.data, onProgress)
      : await exports.csv(actor, parsed.data, onProgress);
  progress.start(0, 0);
  try {
    await pipeline(stream, options.output ? fs.createWriteStream(options.output) : process.stdout).catch(
      (error: NodeJS.ErrnoException) => {
        // `tidings customers export | head` closes the pipe early; that is not a failure.
        if (error.code !== 'EPIPE') throw error;
      },
    );
  } finally {
    progress.stop();
  }
  process.stderr.write(`Exported ${exported} customers${options.output ? ` to ${options.output}` : ''}.\n`);
}

/** `tidings customers import|export`: the same services as the API, with a progress bar. */
export function customersCommand({ withApp, actor }: Deps) {
  const customers = new Command('customers').description('Import and export customers');
  customers
    .command('import')
    .description('Import customers from a UTF-8 CSV file; nothing is imported if a row is rejected, unless --partial')
    .argument('<file>', 'the CSV file')
    .option(
      '--map <column=field...>',
      'map a column to a customer field (givenName, email, attributes.<key>, consent.<channel>.<purpose>, …); without it, columns named like fields are mapped',
    )
    .option('--dry-run', 'check every row and report, write nothing')
    .option('--partial', 'import the valid rows even when others are rejected')
    .option('--insert-only', 'only add new customers: a row whose --upsert-by key a customer has is rejected')
    .addOption(
      new Option(
        '--upsert-by <key>',
        'how a row finds the customer it updates (a row without the key becomes a new customer)',
      )
        .choices(upsertKeys)
        .default('email'),
    )
    .addOption(
      new Option('--delimiter <char>', 'the separator between values (detected when left out)').choices(delimiters),
    )
    .action((file: string, options: ImportOptions) => withApp((app) => importFile(app, actor(), file, options)));
  customers
    .command('export')
    .description('Write customers as CSV (or vCards) to standard output or a file')
    .option('--segment <name or id>', 'only the customers of this saved segment')
    .addOption(new Option('--format <format>', 'file format').choices(['csv', 'vcard']).default('csv'))
    .addOption(
      new Option('--lifecycle <stage...>', 'only customers in these lifecycle stages').choices(lifecycleStages),
    )
    .option('--tag <tag...>', 'only customers with these tags')
    .addOption(new Option('--kind <kind>', 'only persons or organizations').choices(customerKinds))
    .addOption(
      new Option('--archived <which>', 'archived customers too, or only them')
        .choices(['false', 'true', 'all'])
        .default('false'),
    )
    .option('-o, --output <file>', 'write here instead of standard output')
    .action((options: ExportOptions) => withApp((app) => exportCustomers(app, actor(), options)));
  return customers;
}
