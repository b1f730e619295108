import fs from 'node:fs';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { placeHoldBody, releaseHoldBody, scopeLine } from '../records/legal-holds.schemas.js';
import { createCategoryBody, declareBody } from '../records/records.schemas.js';
import type { Actor } from '../shared/actor.js';
import { AppError } from '../shared/errors.js';
import { idArgument, type WithApp } from './options.js';

const when = (at: Date | null) => (at ? at.toISOString().slice(0, 16).replace('T', ' ') : '');

/** `--scope kind:id`, repeated: customer:…, document:…, ticket:…, communication:…. */
const collect = (value: string, values: string[]) => [...values, value];
function scopeOption(values: string[]) {
  return values.map((value) => {
    const [kind, targetId] = value.split(':', 2);
    const parsed = scopeLine.safeParse({ kind, targetId });
    if (!parsed.success)
      throw new AppError(
        'validation_failed',
        'cli.bad_scope',
        `--scope ${value}: write it as customer|document|ticket|communication:<id>`,
      );
    return parsed.data;
  });
}

const covered = (hold: {
  covered: { customers: number; documents: number; tickets: number; communications: number };
}) =>
  `${hold.covered.customers} customers, ${hold.covered.documents} documents, ${hold.covered.tickets} tickets, ${hold.covered.communications} communications`;

/**
 * `tidings holds place|release|list|show|export` and `tidings records categories|declare|dispose`: the
 * same services as the API. An export streams the matter's ZIP straight into a file with a progress bar.
 */
export function registerRecordsCommands(program: Command, withApp: WithApp, actor: () => Actor) {
  const holds = program.command('holds').description('Legal holds and e-discovery exports');
  holds
    .command('list')
    .description('Legal holds, newest first')
    .option('--status <status>', 'active, released or all', 'all')
    .action((options: { status: 'active' | 'released' | 'all' }) =>
      withApp(async (app) => {
        const page = await app.services.legalHolds.list(actor(), { status: options.status, limit: 500 });
        if (!page.holds.length) console.log('No legal holds.');
        for (const hold of page.holds)
          console.log(
            `${hold.id}  ${hold.status.padEnd(8)}  ${when(hold.placedAt)}  ${hold.matter}  (${covered(hold)})`,
          );
      }),
    );
  holds
    .command('place <matter>')
    .description('Place a legal hold on a matter')
    .option('--description <text>', 'what the matter is about', '')
    .option('--scope <kind:id>', 'a customer, document, ticket or communication it holds (repeat)', collect, [])
    .action((matter: string, options: { description: string; scope: string[] }) =>
      withApp(async (app) => {
        const input = placeHoldBody.parse({
          matter,
          description: options.description,
          scope: scopeOption(options.scope),
        });
        const hold = await app.services.legalHolds.place(actor(), input);
        console.log(`Placed hold ${hold.id} for "${hold.matter}": ${covered(hold)}`);
      }),
    );
  holds
    .command('show <id>')
    .description('A hold and its scope')
    .action((id: string) =>
      withApp(async (app) => {
        const hold = await app.services.legalHolds.get(actor(), idArgument(id, `${id} is not a hold id`));
        console.log(`${hold.matter} (${hold.status}), placed ${when(hold.placedAt)} by ${hold.placedByLabel}`);
        if (hold.releasedAt)
          console.log(`Released ${when(hold.releasedAt)} by ${hold.releasedByLabel}: ${hold.releaseReason}`);
        console.log(`Covers ${covered(hold)}`);
        for (const line of hold.scope) console.log(`  ${line.kind.padEnd(13)} ${line.targetId}  ${line.label}`);
      }),
    );
  holds
    .command('release <id>')
    .description('Release a hold (audited with the reason)')
    .requiredOption('--reason <text>', 'why the hold ends')
    .action((id: string, options: { reason: string }) =>
      withApp(async (app) => {
        const { reason } = releaseHoldBody.parse({ reason: options.reason });
        const hold = await app.services.legalHolds.release(actor(), idArgument(id, `${id} is not a hold id`), reason);
        console.log(`Released hold ${hold.id} for "${hold.matter}".`);
      }),
    );
  holds
    .command('export <id>')
    .description("Export everything a matter's hold covers as a ZIP file, with a progress bar")
    .requiredOption('--out <file>', 'the ZIP file to write')
    .action((id: string, options: { out: string }) =>
      withApp(async (app) => {
        const holdId = idArgument(id, `${id} is not a hold id`);
        const bar = new cliProgress.SingleBar(
          {
            stream: process.stderr,
            noTTYOutput: true,
            notTTYSchedule: 1000,
            hideCursor: true,
            format: 'Exporting |{bar}| {value}/{total} items',
          },
          cliProgress.Presets.shades_classic,
        );
        let started = false;
        const out = fs.createWriteStream(options.out, { flags: 'wx' });
        try {
          const result = await app.services.ediscovery.exportTo(actor(), holdId, out, (done, total) => {
            if (!started) bar.start(total, 0);
            started = true;
            bar.update(done);
          });
          bar.stop();
          console.log(
            `Wrote ${options.out}: ${result.items} items, ${result.files} files, manifest.json and manifest.csv.`,
          );
        } catch (error) {
          bar.stop();
          fs.rmSync(options.out, { force: true });
          throw error;
        }
      }),
    );

  const records = program.command('records').description('Record categories, declarations and disposition');
  records
    .command('categories')
    .description('Record categories and their retention')
    .action(() =>
      withApp(async (app) => {
        const { categories } = await app.services.records.listCategories(actor());
        for (const category of categories)
          console.log(
            `${category.id}  ${category.name}: ${category.trigger === 'permanent' ? 'permanent' : `${category.years} years from ${category.trigger === 'creation' ? 'creation' : (category.eventField ?? 'the event')}`} (${category.records} records)`,
          );
      }),
    );
  records
    .command('add-category <name>')
    .description('Add a record category')
    .requiredOption('--trigger <trigger>', 'creation, event or permanent')
    .option('--years <n>', 'years kept after the trigger')
    .option('--event-field <key>', 'the metadata date field an event is read from')
    .action((name: string, options: { trigger: string; years?: string; eventField?: string }) =>
      withApp(async (app) => {
        const input = createCategoryBody.parse({
          name,
          trigger: options.trigger,
          years: options.years === undefined ? null : Number(options.years),
          eventField: options.eventField ?? null,
        });
        const category = await app.services.records.createCategory(actor(), input);
        console.log(`Added category ${category.id} "${category.name}".`);
      }),
    );
  records
    .command('declare <document-id>')
    .description('Declare a document a record under a category')
    .requiredOption('--category <id>', 'the record category')
    .option('--event-date <YYYY-MM-DD>', 'the event its retention counts from')
    .action((documentId: string, options: { category: string; eventDate?: string }) =>
      withApp(async (app) => {
        const input = declareBody.parse({ categoryId: options.category, eventDate: options.eventDate ?? null });
        const status = await app.services.records.declare(
          actor(),
          idArgument(documentId, `${documentId} is not a document id`),
          input,
        );
        console.log(
          `Declared a record of "${status.record!.category.name}", retained until ${status.record!.retainUntil ?? 'further notice'}.`,
        );
      }),
    );
  records
    .command('list-due')
    .description('List the records due for disposition now into a batch awaiting approval')
    .action(() =>
      withApp(async (app) => {
        const batch = await app.services.disposition.listDue(actor());
        console.log(
          batch ? `Batch ${batch.number} (${batch.id}) lists ${batch.counts.listed} records.` : 'No record is due.',
        );
      }),
    );
  records
    .command('approve <batch-id>')
    .description('Approve a disposition batch: destroy the content of every record still listed')
    .action((batchId: string) =>
      withApp(async (app) => {
        const batch = await app.services.disposition.approve(
          actor(),
          idArgument(batchId, `${batchId} is not a batch id`),
        );
        console.log(
          `Batch ${batch.number}: ${batch.counts.destroyed} destroyed, ${batch.counts.held} kept under hold, ${batch.counts.excluded} excluded.`,
        );
      }),
    );
}
