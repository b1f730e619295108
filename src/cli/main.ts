#!/usr/bin/env node
// Bundled, this is the package's `tidings` command (dist/tidings.js, what `npm start` runs); in
// development bin/tidings.js runs it from the sources.
import os from 'node:os';
import { Command, Option } from 'commander';
import type { App } from '../app.js';
import { apiTokenScopes, type ApiTokenScope } from '../auth/auth.tables.js';
import { roles, type Role } from '../auth/roles.js';
import { ConfigError, loadConfig } from '../config.js';
import type { Login } from '../demo/bootstrap.js';
import { jobStatuses, type JobStatus } from '../jobs/jobs.tables.js';
import { systemActor } from '../shared/actor.js';
import { AppError } from '../shared/errors.js';
import { customersCommand } from './customers.command.js';
import { registerRunsCommand } from './runs.command.js';
import { registerSendCommands } from './send.command.js';
import { registerBackupCommands } from './backup.command.js';
import { registerTicketsCommand } from './tickets.command.js';
import { registerDocumentsCommand } from './documents.command.js';
import { registerInboundCommand } from './inbound.command.js';
import { registerScansCommand } from './scans.command.js';
import { registerSearchCommand } from './search.command.js';
import { registerRecordsCommands } from './records.command.js';
import { registerInsightsCommand } from './insights.command.js';
import { registerAnnouncementsCommand } from './announcements.command.js';
import { stopOnSignal } from './shutdown.js';

const cliActor = () => systemActor(`cli (${os.userInfo().username})`);

// The app, its HTTP server and the demo data are imported when a command needs them: `tidings --help`
// and a mistyped option answer without loading the whole product.
const buildApp: typeof import('../app.js').buildApp = async (...args) => (await import('../app.js')).buildApp(...args);

/** Builds the app quietly for a one-off command and always closes it. */
async function withApp<T>(run: (app: App) => Promise<T>): Promise<T> {
  const app = await buildApp({ ...loadConfig(), logLevel: process.env.LOG_LEVEL ?? 'warn' });
  try {
    return await run(app);
  } finally {
    await app.close();
  }
}

function printLogins(logins: Login[], heading: string) {
  if (logins.length === 0) return;
  console.log(`\n${heading}`);
  for (const login of logins)
    console.log(
      `  ${login.email.padEnd(26)} ${(login.password ?? '(the one in TIDINGS_ADMIN_PASSWORD)').padEnd(18)} ${login.roles.join(', ')}`,
    );
  console.log('');
}

const program = new Command('tidings')
  .description('Tidings: customer communications and content hub')
  .showHelpAfterError();

program
  .command('start')
  .description('Start the server and job workers (runs migrations first)')
  .option(
    '--demo',
    'on an empty database, load demo staff and data and print their logins (npm start does this); ' +
      'TIDINGS_DEMO=0 or TIDINGS_ADMIN_PASSWORD turns it off',
  )
  .action(async (options: { demo?: boolean }) => {
    const app = await buildApp(loadConfig(process.env, { demo: options.demo }));
    const { bootstrap } = await import('../demo/bootstrap.js');
    const { createHttpServer } = await import('../http/server.js');
    printLogins(
      await bootstrap(app),
      app.config.demo
        ? 'Demo logins (email, password, roles):'
        : app.config.adminPassword
          ? 'Created the first admin:'
          : 'Created the first admin; keep this password:',
    );
    const server = await createHttpServer(app);
    await server.listen({ port: app.config.port, host: app.config.host });
    const inbound = app.config.inbound.listen;
    if (inbound) await app.inboundListener.listen(inbound.port, inbound.host);
    app.worker.start();
    app.logger.info(
      { engine: app.storage.engine, dataDir: app.config.dataDir },
      `Tidings is up on http://localhost:${app.config.port}`,
    );
    stopOnSignal(app, server);
  });

program
  .command('worker')
  .description('Run job workers only, beside a server sharing its PostgreSQL database (DATABASE_URL) and data folder')
  .action(async () => {
    const config = loadConfig();
    // The embedded database belongs to one process; more workers need the shared server.
    if (!config.databaseUrl)
      throw new ConfigError(
        'tidings worker needs DATABASE_URL: the embedded database cannot be shared between processes.',
      );
    const app = await buildApp(config);
    app.worker.start();
    app.logger.info({ engine: app.storage.engine, workers: config.workers }, 'Tidings workers are running');
    stopOnSignal(app);
  });

program
  .command('migrate')
  .description('Apply database migrations and exit')
  .action(async () => {
    const config = loadConfig();
    const { openStorage } = await import('../db/database.js');
    const storage = await openStorage(
      config.databaseUrl ? { databaseUrl: config.databaseUrl } : { dataDir: `${config.dataDir}/pglite` },
    );
    await storage.migrate();
    await storage.close();
    console.log(`Migrations applied (${storage.engine}).`);
  });

program
  .command('seed')
  .description('Load data into the database')
  .option('--demo', 'load the demo staff and teams')
  .option('--customers <count>', 'add this many generated customers (names in several scripts, consents, timelines)')
  .action((options: { demo?: boolean; customers?: string }, command: Command) => {
    if (!options.demo && !options.customers) command.error('Say what to load: --demo, --customers <count>, or both.');
    return withApp(async (app) => {
      if (options.customers)
        await (await import('./seed.command.js')).seedCustomers(app, cliActor(), options.customers);
      if (options.customers && !options.demo) return;
      const { seedDemo } = await import('../demo/bootstrap.js');
      printLogins(await seedDemo(app), 'Demo logins (email, password, roles):');
    });
  });

const user = program.command('user').description('Manage staff users');
user
  .command('create')
  .description('Create a staff user')
  .requiredOption('--email <email>', 'sign-in email')
  .requiredOption('--name <name>', 'display name')
  .addOption(new Option('--role <role...>', 'one or more roles').choices(roles).makeOptionMandatory())
  .option('--password <password>', 'initial password (at least 10 characters); generated and printed when omitted')
  .action((options: { email: string; name: string; role: Role[]; password?: string }) =>
    withApp(async (app) => {
      const password = options.password ?? (await import('node:crypto')).randomBytes(12).toString('base64url');
      const created = await app.services.users.create(cliActor(), {
        email: options.email,
        name: options.name,
        roles: options.role,
        password,
      });
      console.log(`Created ${created.email} (${created.roles.join(', ')}), id ${created.id}`);
      if (!options.password) console.log(`Password: ${password}`);
    }),
  );

const token = program.command('token').description('Manage API tokens');
token
  .command('create')
  .description('Create an API token acting as a user; the secret is printed once')
  .requiredOption('--email <email>', 'the user the token acts as')
  .requiredOption('--name <name>', 'what the token is for')
  .option('--expires <date>', 'expiry date (ISO 8601); at most TIDINGS_TOKEN_MAX_DAYS days away, which is the default')
  .addOption(
    new Option('--scope <scope>', 'read: GET and HEAD only; full: everything the user may do')
      .choices(apiTokenScopes)
      .default('full'),
  )
  .action((options: { email: string; name: string; expires?: string; scope: ApiTokenScope }) =>
    withApp(async (app) => {
      const owner = (await app.services.users.list(cliActor())).find(
        (candidate) => candidate.email === options.email.toLowerCase(),
      );
      if (!owner) throw new AppError('not_found', 'user.not_found', `No user with email ${options.email}.`);
      const expiresAt = options.expires ? new Date(options.expires) : undefined;
      if (expiresAt && Number.isNaN(expiresAt.getTime()))
        throw new AppError('validation_failed', 'token.bad_expiry', `--expires: ${options.expires} is not a date.`);
      const created = await app.services.tokens.create(
        { kind: 'user', userId: owner.id, email: owner.email, roles: owner.roles, via: 'cli' },
        { name: options.name, scope: options.scope, expiresAt },
      );
      console.log(created.secret);
    }),
  );

const audit = program.command('audit').description('The tamper-evident audit trail');
audit
  .command('verify')
  .description(
    'Check the keyed hash chain and hold it against the head file in the data folder; exits 1 and names the first event that was altered, deleted or rewritten',
  )
  .action(() =>
    withApp(async (app) => {
      const result = await app.audit.verify(cliActor());
      if (result.ok) {
        console.log(`Audit trail intact: ${result.checked} events verified. Head file: ${app.audit.headFile}`);
      } else {
        console.error(
          `Audit trail BROKEN at event ${result.firstBreak.seq}: ${result.firstBreak.reason} (${result.checked} events before it verified).`,
        );
        process.exitCode = 1;
      }
    }),
  );

registerRunsCommand(program, withApp, cliActor);
registerSendCommands(program, withApp, cliActor);
registerBackupCommands(program);
registerTicketsCommand(program, withApp, cliActor);
registerDocumentsCommand(program, withApp, cliActor);
registerInboundCommand(program, withApp);
registerScansCommand(program, withApp, cliActor);
registerSearchCommand(program, withApp, cliActor);
registerRecordsCommands(program, withApp, cliActor);
registerInsightsCommand(program, withApp, cliActor);
registerAnnouncementsCommand(program, withApp, cliActor);

const jobs = program.command('jobs').description('Background jobs');
jobs
  .command('list')
  .description('List recent jobs')
  .addOption(new Option('--status <status>', 'only jobs in this status').choices(jobStatuses))
  .option('--kind <kind>', 'only jobs of this kind')
  .option('--limit <n>', 'how many', '50')
  .action((options: { status?: JobStatus; kind?: string; limit: string }) =>
    withApp(async (app) => {
      const { jobs: list, counts } = await app.services.jobs.list(cliActor(), {
        status: options.status,
        kind: options.kind,
        limit: Number(options.limit),
      });
      console.log(
        Object.entries(counts)
          .map(([status, count]) => `${status}: ${count}`)
          .join('  '),
      );
      for (const job of list) {
        const error = job.lastError ? `  ${job.lastError.split('\n')[0]}` : '';
        console.log(
          `${String(job.id).padStart(8)}  ${job.status.padEnd(9)}  ${job.kind.padEnd(28)}  attempts ${job.attempts}/${job.maxAttempts}${error}`,
        );
      }
    }),
  );
jobs
  .command('retry')
  .description('Put a dead or cancelled job back in the queue')
  .argument('<id>', 'job id')
  .action((id: string) =>
    withApp(async (app) => {
      const job = await app.services.jobs.retry(cliActor(), Number(id));
      console.log(`Job ${job.id} (${job.kind}) is queued again.`);
    }),
  );

program.addCommand(customersCommand({ withApp, actor: cliActor }));

try {
  await program.parseAsync();
} catch (error) {
  if (error instanceof ConfigError || error instanceof AppError) {
    console.error(error.message);
    process.exit(error instanceof AppError && error.kind === 'not_found' ? 3 : 2);
  }
  throw error;
}
