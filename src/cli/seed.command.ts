import cliProgress from 'cli-progress';
import type { App } from '../app.js';
import type { Actor } from '../shared/actor.js';
import { AppError } from '../shared/errors.js';

/** `tidings seed --customers <count>`: generated customers for a database at size, with a progress bar. */
export async function seedCustomers(app: App, actor: Actor, count: string) {
  const wanted = Number(count);
  if (!Number.isSafeInteger(wanted) || wanted < 1)
    throw new AppError('validation_failed', 'cli.bad_count', `--customers ${count}: give a whole number above 0.`);
  const { createCustomerSeeder } = await import('../demo/seed-customers.js');
  const seeder = createCustomerSeeder({ db: app.db, audit: app.audit, timeline: app.timeline, clock: app.clock });
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      noTTYOutput: true,
      notTTYSchedule: 1000,
      hideCursor: true,
      format: 'Seeding |{bar}| {percentage}% {value}/{total} customers, ETA {eta_formatted}',
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(wanted, 0);
  let result;
  try {
    result = await seeder.seed(actor, { count: wanted, onProgress: ({ done }) => bar.update(done) });
  } finally {
    bar.stop();
  }
  console.log(
    `Added ${result.customers.toLocaleString('en-US')} customers with ${result.consents.toLocaleString('en-US')} consents and ${result.timelineEntries.toLocaleString('en-US')} timeline entries.`,
  );
}
