import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import type { App } from '../app.js';
import { AppError } from '../shared/errors.js';
import type { Actor } from '../shared/actor.js';

/**
 * `tidings runs start <template> --segment <name>`: starts a batch run and follows it with a
 * progress bar until every item is final, running the delivery jobs in this process too.
 */
export function registerRunsCommand(program: Command, withApp: <T>(run: (app: App) => Promise<T>) => Promise<T>, actor: () => Actor) {
  const runs = program.command('runs').description('Batch runs: a published template sent to a segment');
  runs
    .command('start')
    .description('Start a batch run and show its progress until it completes')
    .argument('<template>', 'template key')
    .requiredOption('--segment <name>', 'segment name or id')
    .option('--data <json>', 'the data the template declares, as JSON', '{}')
    .option('--detach', 'start it and return at once; the server workers do the sending')
    .action((template: string, options: { segment: string; data: string; detach?: boolean }) =>
      withApp(async (app) => {
        let data: Record<string, unknown>;
        try {
          data = JSON.parse(options.data) as Record<string, unknown>;
        } catch {
          throw new AppError('validation_failed', 'cli.bad_data', `--data is not JSON: ${options.data}`);
        }
        const segments = await app.services.segments.list(actor());
        const segment = segments.find((candidate) => candidate.id === options.segment || candidate.name.toLowerCase() === options.segment.toLowerCase());
        if (!segment) throw new AppError('not_found', 'segment.not_found', `No segment named ${options.segment}. Known: ${segments.map((s) => s.name).join(', ')}.`);
        const run = await app.services.runs.start(actor(), { template, segmentId: segment.id, data });
        console.log(`Batch run ${run.id}: ${template} to ${segment.name} (${run.total} customers)`);
        if (options.detach) return;
        app.worker.start();
        const bar = new cliProgress.SingleBar({ format: ' {bar} {percentage}% | {value}/{total} final | {statusLine}', hideCursor: true }, cliProgress.Presets.shades_classic);
        bar.start(Math.max(run.total, 1), 0, { statusLine: '' });
        for (;;) {
          const progress = await app.services.runs.progress(run.id);
          const statusLine = Object.entries(progress.statuses).map(([status, n]) => `${status} ${n}`).join(', ');
          bar.setTotal(Math.max(progress.total, 1));
          bar.update(progress.done, { statusLine });
          if (progress.status === 'completed' || progress.status === 'cancelled') break;
          await new Promise((resolve) => setTimeout(resolve, 500));
        }
        bar.stop();
        const final = await app.services.runs.progress(run.id);
        const counts = (record: Record<string, number>) => Object.entries(record).map(([name, n]) => `${name} ${n}`).join(', ');
        console.log(`Run ${final.status}: ${counts(final.statuses) || 'nothing sent'}${Object.keys(final.channels).length ? ` (by channel: ${counts(final.channels)})` : ''}.`);
      }),
    );
}
