import type { Command } from 'commander';
import { z } from 'zod';
import { kpiSeriesQuery } from '../insights/insights.schemas.js';
import type { Actor } from '../shared/actor.js';
import { AppError } from '../shared/errors.js';
import type { WithApp } from './options.js';

type KpiOptions = { from?: string; to?: string; bucket: string; filter: string[]; csv?: boolean };

/** The options as the API's query, so the CLI refuses what the API refuses, in the same words. */
async function kpiQuery(options: KpiOptions) {
  const filters = Object.fromEntries(
    options.filter.map((pair) => {
      const at = pair.indexOf('=');
      if (at < 1) throw new AppError('validation_failed', 'cli.bad_option', `--filter: "${pair}" is not name=value`);
      return [pair.slice(0, at), pair.slice(at + 1)];
    }),
  );
  const parsed = kpiSeriesQuery.safeParse({ from: options.from, to: options.to, bucket: options.bucket, ...filters });
  // The service (and the database driver behind it) loads only for a command that runs.
  if (parsed.success) return (await import('../insights/insights.service.js')).seriesRequest(parsed.data);
  const issue = parsed.error.issues[0]!;
  throw new AppError(
    'validation_failed',
    'cli.bad_option',
    `${issue.path.length ? `--${String(issue.path[0])}` : '--filter'}: ${z.prettifyError(parsed.error).split('\n')[0]}`,
  );
}

const shown = (value: number | null) => (value === null ? '–' : String(value));

/** `tidings insights kpi <key>`: a KPI's series as a table or CSV, from the same definition as the board. */
export function registerInsightsCommand(program: Command, withApp: WithApp, actor: () => Actor) {
  const insights = program.command('insights').description('KPIs from live data and goals');
  insights
    .command('kpis')
    .description('Every KPI: key, unit and how it is computed')
    .action(() =>
      withApp(async (app) => {
        for (const kpi of app.services.insights.definitions(actor()))
          console.log(`${kpi.key.padEnd(24)} ${kpi.unit.padEnd(8)} ${kpi.name}: ${kpi.description}`);
      }),
    );
  insights
    .command('kpi <key>')
    .description('A KPI per bucket over a period, then its total')
    .option('--from <instant>', 'start of the period (default: 12 weeks before --to)')
    .option('--to <instant>', 'end of the period, exclusive (default: now)')
    .option('--bucket <size>', 'day, week or month', 'week')
    .option(
      '--filter <name=value>',
      'narrow it, e.g. channel=email (repeatable)',
      (value, all: string[]) => [...all, value],
      [],
    )
    .option('--csv', 'print CSV, as the board exports it')
    .action(async (key: string, options: KpiOptions) => {
      const request = await kpiQuery(options);
      return withApp(async (app) => {
        if (options.csv) {
          process.stdout.write((await app.services.insights.csv(actor(), key, request)).body);
          return;
        }
        const series = await app.services.insights.series(actor(), key, request);
        console.log(
          `${series.kpi.name} (${series.kpi.unit}, ${series.kpi.higherIsBetter ? 'higher' : 'lower'} is better)`,
        );
        console.log(
          `${'bucket'.padEnd(12)} ${'value'.padStart(12)} ${'numerator'.padStart(12)} ${'denominator'.padStart(12)}`,
        );
        for (const point of [...series.points, { bucket: 'total', ...series.total }])
          console.log(
            `${point.bucket.padEnd(12)} ${shown(point.value).padStart(12)} ${String(point.numerator).padStart(12)} ${String(point.denominator).padStart(12)}`,
          );
      });
    });
}
