import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import { AppError } from '../shared/errors.js';
import type { Actor } from '../shared/actor.js';
import { idArgument, parseDataOption, type WithApp } from './options.js';

const counts = (record: Record<string, number>) =>
  Object.entries(record)
    .map(([name, n]) => `${name} ${n}`)
    .join(', ');

/** What a run sends to whom, in words: to its segment, or a newer version to the recipients of older ones. */
const audienceOf = (run: {
  templateName: string;
  versionNumber: number;
  segmentName: string | null;
  correctsVersionNumbers: number[] | null;
}) =>
  run.correctsVersionNumbers
    ? `${run.templateName} version ${run.versionNumber} to the recipients of version ${run.correctsVersionNumbers.join(', ')}`
    : `${run.templateName} to ${run.segmentName ?? 'a deleted segment'}`;

/**
 * `tidings runs start <template> --segment <name>`: starts a batch run and follows it with a
 * progress bar until every item is final (or waits for print), running the delivery jobs in this
 * process too. `--corrective <version>` sends the published version to everyone who received the
 * older one instead. `list`, `pause`, `resume` and `cancel` manage runs a server is working on.
 */
export function registerRunsCommand(program: Command, withApp: WithApp, actor: () => Actor) {
  const runs = program.command('runs').description('Batch runs: a published template sent to a segment');
  runs
    .command('start')
    .description('Start a batch run and show its progress until it completes')
    .argument('<template>', 'template key')
    .option('--segment <name>', 'segment name or id')
    .option(
      '--corrective <versions...>',
      'a corrective mailing: send the published version to everyone who received these older versions (numbers or ids), each with the data they were sent',
    )
    .option('--data <json>', 'the data the template declares, as JSON (with --corrective: fields to change)', '{}')
    .option('--at <time>', 'schedule it for this ISO 8601 time instead of now (implies --detach)')
    .option('--detach', 'start it and return at once; the server workers do the sending')
    .action(
      (
        template: string,
        options: { segment?: string; corrective?: string[]; data: string; at?: string; detach?: boolean },
      ) => {
        // Checked before the database opens: a usage mistake should not wait for it.
        if (Boolean(options.segment) === Boolean(options.corrective))
          throw new AppError(
            'validation_failed',
            'cli.audience',
            'Give either --segment <name> or --corrective <older version>: who the run goes to.',
          );
        return withApp(async (app) => {
          const data = parseDataOption(options.data);
          const scheduledAt = options.at === undefined ? undefined : new Date(options.at);
          if (scheduledAt && Number.isNaN(scheduledAt.getTime()))
            throw new AppError(
              'validation_failed',
              'cli.bad_time',
              `--at is not a time: ${options.at}; use ISO 8601, e.g. 2027-01-04T08:00:00+01:00`,
            );
          let run;
          if (options.corrective) {
            const { versions } = await app.services.templates.get(actor(), template);
            const correctsVersionIds = options.corrective.map((given) => {
              const version = versions.find(
                (candidate) => candidate.id === given || String(candidate.number) === given,
              );
              if (!version)
                throw new AppError(
                  'not_found',
                  'template_version.not_found',
                  `${template} has no version ${given}; it has ${versions.map((candidate) => candidate.number).join(', ')}.`,
                );
              return version.id;
            });
            run = await app.services.correctiveMailings.start(actor(), { correctsVersionIds, data, scheduledAt });
            const named = await app.services.runs.progress(run.id);
            console.log(
              `Corrective mailing ${run.id}: ${template} version ${named.versionNumber} to the ${run.total} customers who received version ${named.correctsVersionNumbers!.join(', ')}${run.status === 'scheduled' ? `, scheduled for ${run.scheduledAt.toISOString()}` : ''}`,
            );
          } else {
            const segments = await app.services.segments.list(actor());
            const segment = segments.find(
              (candidate) =>
                candidate.id === options.segment || candidate.name.toLowerCase() === options.segment!.toLowerCase(),
            );
            if (!segment)
              throw new AppError(
                'not_found',
                'segment.not_found',
                `No segment named ${options.segment}. Known: ${segments.map((s) => s.name).join(', ')}.`,
              );
            run = await app.services.runs.start(actor(), { template, segmentId: segment.id, data, scheduledAt });
            console.log(
              `Batch run ${run.id}: ${template} to ${segment.name} (${run.total} customers)${run.status === 'scheduled' ? `, scheduled for ${run.scheduledAt.toISOString()}` : ''}`,
            );
          }
          if (options.detach || run.status === 'scheduled') return;
          app.worker.start();
          const bar = new cliProgress.SingleBar(
            { format: ' {bar} {percentage}% | {value}/{total} final | {statusLine}', hideCursor: true },
            cliProgress.Presets.shades_classic,
          );
          bar.start(Math.max(run.total, 1), 0, { statusLine: '' });
          for (;;) {
            const progress = await app.services.runs.progress(run.id);
            const statusLine = Object.entries(progress.statuses)
              .map(([status, n]) => `${status} ${n}`)
              .join(', ');
            bar.setTotal(Math.max(progress.total, 1));
            bar.update(progress.done, { statusLine });
            if (['completed', 'cancelled', 'awaiting_print'].includes(progress.status)) break;
            await new Promise((resolve) => setTimeout(resolve, 500));
          }
          bar.stop();
          const final = await app.services.runs.progress(run.id);
          console.log(
            `Run ${final.status.replace('_', ' ')}: ${counts(final.statuses) || 'nothing sent'}${Object.keys(final.channels).length ? ` (by channel: ${counts(final.channels)})` : ''}.`,
          );
          if (final.awaitingPrint)
            console.log(
              `${final.awaitingPrint} letters wait for the print batch (tidings print-batch); the run completes when they are printed.`,
            );
        });
      },
    );

  runs
    .command('list')
    .description('The latest batch runs with their progress')
    .action(() =>
      withApp(async (app) => {
        const latest = await app.services.runs.list(actor());
        if (latest.length === 0) console.log('No batch runs yet.');
        for (const run of latest) {
          console.log(
            `${run.id}  ${run.status.padEnd(9)}  ${run.createdAt.toISOString().slice(0, 16).replace('T', ' ')}  ${audienceOf(run)}  (${run.created}/${run.total} created)`,
          );
        }
      }),
    );
  for (const [name, description] of [
    ['pause', 'Pause a run: nothing more is sent until it is resumed'],
    ['resume', 'Resume a paused run where it stopped'],
    ['cancel', 'Cancel a run: items not yet sent are suppressed'],
  ] as const) {
    runs
      .command(name)
      .description(description)
      .argument('<id>', 'batch run id (see tidings runs list)')
      .action((id: string) =>
        withApp(async (app) => {
          const run = await app.services.runs[name](
            actor(),
            idArgument(id, `Not a batch run id: ${id}; tidings runs list shows them.`),
          );
          console.log(`Batch run ${run.id} is ${run.status}.`);
        }),
      );
  }
}
