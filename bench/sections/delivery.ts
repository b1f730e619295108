import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { PGlite } from '@electric-sql/pglite';
import { and, arrayContains, asc, gt } from 'drizzle-orm';
import pg from 'pg';
import { buildApp, type App } from '../../src/app.js';
import { EXPAND_RUN_JOB } from '../../src/communications/batch-runs.service.js';
import { DELIVER_JOB } from '../../src/communications/delivery.pipeline.js';
import { messageIdFor } from '../../src/communications/render-item.js';
import { loadConfig } from '../../src/config.js';
import { customers } from '../../src/customers/customers.tables.js';
import { openStorage, pgliteExtensions, type Storage } from '../../src/db/database.js';
import {
  buildEmailMessage,
  compileTemplate,
  renderEmail,
  renderLetter,
  type Brand,
  type CompiledTemplate,
} from '../../src/rendering/index.js';
import type { Actor } from '../../src/shared/actor.js';
import { SAMPLE_TAG } from '../../src/templates/compliance.service.js';
import { chooseLanguage } from '../../src/templates/preview-rendering.js';
import { renderContextFor } from '../../src/templates/render-context.js';
import type { TemplateInput } from '../../src/templates/templates.service.js';
import type { LanguageVariants } from '../../src/templates/templates.tables.js';
import type { WorkflowAction } from '../../src/templates/workflow.js';
import { sharedStorage, tempDir } from '../support/app.js';
import { CITIES, FAMILY_NAMES as FAMILY, GIVEN_NAMES as GIVEN, LANGUAGES } from '../support/names.js';
import { createBenchDatabase, PostgresUnavailable } from '../support/postgres.js';
import type { Section, SectionContext } from '../support/report.js';
import { startSmtpCounter, type SmtpCounter } from '../support/smtp.js';
import { countPglite, countPostgres, statementCounter } from '../support/sql-counter.js';
import { elapsedMs, now, ratio } from '../support/stats.js';

/** Customers in the batch: odd numbers get email, even numbers a letter. Try it small with BENCH_DELIVERY_CUSTOMERS=2000. */
const CUSTOMERS = Number(process.env.BENCH_DELIVERY_CUSTOMERS ?? 100_000);
/** `BENCH_DELIVERY_ENGINES=postgres` (or `pglite`) runs one engine only. */
const ENGINES = (process.env.BENCH_DELIVERY_ENGINES ?? 'pglite,postgres').split(',').map((engine) => engine.trim());
/** `smtp` (default): a real SMTP server on loopback that counts. `outbox`: no SMTP_URL, emails stay in the archive. */
const TRANSPORT = process.env.BENCH_DELIVERY_TRANSPORT === 'outbox' ? 'outbox' : 'smtp';
/** The workers' concurrency: config.workers (TIDINGS_WORKERS, default 2 on PGlite, 8 on PostgreSQL) unless BENCH_DELIVERY_WORKERS says otherwise. */
const WORKERS = process.env.BENCH_DELIVERY_WORKERS ?? process.env.TIDINGS_WORKERS;
/** A run still going after this long is cancelled; its rate is then over the communications finished by then. */
const RUN_TIMEOUT_MS = Number(process.env.BENCH_DELIVERY_TIMEOUT_S ?? 1200) * 1000;
const RSS_SAMPLE_MS = 100;
/** Completion is watched on the worker's in-memory metric; the run's own progress (a GROUP BY over its items) is read this often. */
const DONE_POLL_MS = 20;
const PROGRESS_POLL_MS = 5_000;
/** The bare loop reads the customers in pages of this size, outside its timing. */
const BARE_PAGE = 1_000;
const TAG = 'delivery-bench';
const TEMPLATE_KEY = 'meter-reading-bench';
const RUN_DATA = { due: '2026-12-15', monthly: 84.5 };
const actor: Actor = { kind: 'system', label: 'bench' };

const literalArray = (values: readonly string[]) =>
  `ARRAY[${values.map((value) => `'${value.replaceAll("'", "''")}'`).join(', ')}]`;

/**
 * One statement: CUSTOMERS people with a postal address, a meter number and a last reading. Odd
 * numbers have an email address and prefer email; even numbers have no email and prefer letters
 * (without a preference the portal, second in the default order, would take them). The first two
 * are also the template's compliance samples (the made-up sample customer has no meter number).
 */
const GENERATE = `
  INSERT INTO customers (kind, name, given_name, family_name, emails, address, language, time_zone, lifecycle_stage, tags, attributes, channel_preferences)
  SELECT 'person', given || ' ' || family, given, family,
         CASE WHEN g % 2 = 1
              THEN ARRAY[translate(lower(replace(given || '.' || family, ' ', '')), 'éíüáóñ', 'eiuaon') || '.' || g || '@example.com']
              ELSE '{}'::text[] END,
         jsonb_build_object('lines', jsonb_build_array(g % 200 || ' Main Street'), 'postalCode', lpad((g % 99999)::text, 5, '0'),
                            'city', (${literalArray(CITIES)})[1 + g % ${CITIES.length}], 'country', 'DE'),
         (${literalArray(LANGUAGES)})[1 + g % ${LANGUAGES.length}],
         'Europe/Berlin',
         'active',
         CASE WHEN g <= 2 THEN ARRAY['${TAG}', '${SAMPLE_TAG}'] ELSE ARRAY['${TAG}'] END,
         jsonb_build_object('meterNumber', 'M-' || lpad(g::text, 8, '0'), 'lastReading', (g::bigint * 7919) % 20000),
         CASE WHEN g % 2 = 1 THEN ARRAY['email'] ELSE ARRAY['letter'] END
  FROM generate_series(1, ${CUSTOMERS}) AS g,
       LATERAL (SELECT (${literalArray(GIVEN)})[1 + g % ${GIVEN.length}] AS given,
                       (${literalArray(FAMILY)})[1 + g % ${FAMILY.length}] AS family) AS n`;

/** A service notice (no consent needed unless withdrawn) with a one-row table, date, money and number filters and a signature fragment. */
function bodies(words: {
  subject: string;
  greeting: string;
  intro: string;
  table: [string, string, string];
  advance: string;
  heading: string;
}) {
  const body = `${words.greeting} {{ customer.name }},

${words.intro} **{{ data.due | date: "long" }}**.

| ${words.table.join(' | ')} |
|:---|--:|--:|
| {{ customer.attributes.meterNumber }} | {{ customer.attributes.lastReading | number: 0 }} kWh | {{ data.due | date: "short" }} |

${words.advance} {{ data.monthly | money: "EUR" }}.

{% fragment 'bench-signature' %}`;
  return {
    email: { subject: `${words.subject} {{ data.due | date: "long" }}`, body, format: 'markdown' as const },
    letter: { body: `# ${words.heading}\n\n${body}` },
  };
}

const variants: LanguageVariants = {
  en: bodies({
    subject: 'Your meter reading is due by',
    greeting: 'Dear',
    intro:
      'once a year we ask for your meter reading, so that your annual statement shows what you really used rather than an estimate. Please send us the reading of the meter below by',
    table: ['Meter', 'Last reading', 'Due'],
    advance: 'Until your statement arrives, your monthly advance payment stays at',
    heading: 'Your meter reading',
  }),
  de: bodies({
    subject: 'Ihr Zählerstand bis zum',
    greeting: 'Guten Tag',
    intro:
      'einmal im Jahr bitten wir um Ihren Zählerstand, damit Ihre Jahresabrechnung Ihren tatsächlichen Verbrauch zeigt und keine Schätzung. Bitte senden Sie uns den Stand des folgenden Zählers bis zum',
    table: ['Zähler', 'Letzter Stand', 'Fällig'],
    advance: 'Bis zur Abrechnung bleibt Ihr monatlicher Abschlag bei',
    heading: 'Ihr Zählerstand',
  }),
};

const template: TemplateInput = {
  key: TEMPLATE_KEY,
  name: 'Meter reading (bench)',
  purpose: 'service',
  defaultLanguage: 'en',
  variants,
  dataSchema: {
    type: 'object',
    required: ['due', 'monthly'],
    properties: { due: { type: 'string' }, monthly: { type: 'number' } },
  },
  sampleData: RUN_DATA,
};

type Engine = {
  key: 'pglite' | 'postgres';
  label: string;
  storage: Storage;
  /** The server's address; none for the embedded database. */
  url?: string;
  /** Plain SQL on the engine's own driver, outside Drizzle. */
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
};

async function openPglite(): Promise<Engine> {
  const { dir, remove } = await tempDir('tidings-bench-delivery-');
  const client = await PGlite.create({ dataDir: dir, extensions: pgliteExtensions });
  countPglite(client);
  const storage = await openStorage({ pglite: client });
  await storage.migrate();
  return {
    key: 'pglite',
    label: 'PGlite',
    storage,
    query: async <T>(text: string, params?: unknown[]) => (await client.query<T>(text, params)).rows,
    async close() {
      try {
        await storage.close();
      } finally {
        await remove();
      }
    },
  };
}

async function openPostgres(): Promise<Engine> {
  const database = await createBenchDatabase();
  try {
    countPostgres();
    const storage = await openStorage({ databaseUrl: database.url });
    await storage.migrate();
    const pool = new pg.Pool({ connectionString: database.url, max: 1 });
    pool.on('error', () => {});
    return {
      key: 'postgres',
      label: 'PostgreSQL',
      storage,
      url: database.url,
      query: async <T>(text: string, params?: unknown[]) => (await pool.query(text, params)).rows as T[],
      async close() {
        try {
          await pool.end();
          await storage.close();
        } finally {
          await database.drop();
        }
      },
    };
  } catch (error) {
    await database.drop();
    throw error;
  }
}

/** The real composition root on the engine's open database, quiet, with SMTP_URL pointing at the counter (or none: outbox). */
async function startDeliveryApp(
  engine: Engine,
  smtp: SmtpCounter | undefined,
): Promise<{ app: App; close(): Promise<void> }> {
  const { dir, remove } = await tempDir('tidings-bench-delivery-data-');
  const base = loadConfig({
    TIDINGS_DATA_DIR: dir,
    SMTP_URL: smtp?.url,
    TIDINGS_WORKERS: WORKERS,
    DATABASE_URL: engine.url,
  });
  try {
    const app = await buildApp({ ...base, logLevel: 'silent' }, { storage: sharedStorage(engine.storage) });
    return {
      app,
      async close() {
        try {
          await app.close();
        } finally {
          await remove();
        }
      },
    };
  } catch (error) {
    await remove();
    throw error;
  }
}

/** Customers by SQL, then the segment, the signature fragment and the template through the services, published. */
async function seed(engine: Engine, app: App) {
  const start = now();
  await engine.query(GENERATE);
  await engine.query('ANALYZE customers');
  const insertMs = elapsedMs(start);
  const segment = await app.services.segments.create(actor, { name: 'Delivery bench', filter: { tagsAll: [TAG] } });
  const workflow: WorkflowAction[] = ['submit', 'approve', 'publish'];
  await app.services.fragments.create(actor, {
    key: 'bench-signature',
    name: 'Signature (bench)',
    kind: 'signature',
    body: 'Kind regards\n\nYour customer service at {{ brand.companyName }}',
  });
  for (const action of workflow) await app.services.fragments.act(actor, 'bench-signature', 1, action);
  await app.services.templates.create(actor, template);
  for (const action of workflow) await app.services.templates.act(actor, TEMPLATE_KEY, 1, action);
  return { segmentId: segment.id, insertMs };
}

/** The highest RSS of this process, sampled every RSS_SAMPLE_MS; the largest gap between samples shows how long the event loop was blocked. */
function sampleRss() {
  const startRss = process.memoryUsage.rss();
  let peak = startRss;
  let samples = 0;
  let last = now();
  let maxGapMs = 0;
  const timer = setInterval(() => {
    const rss = process.memoryUsage.rss();
    if (rss > peak) peak = rss;
    samples++;
    maxGapMs = Math.max(maxGapMs, elapsedMs(last));
    last = now();
  }, RSS_SAMPLE_MS);
  return {
    stop() {
      clearInterval(timer);
      const mb = (bytes: number) => bytes / 2 ** 20;
      return { peakMb: mb(Math.max(peak, process.memoryUsage.rss())), startMb: mb(startRss), samples, maxGapMs };
    },
  };
}

async function finishedJobs(app: App, kind: string) {
  const metric = await app.metrics.jobsFinished.get();
  const sum = (outcome: string) =>
    metric.values
      .filter((value) => value.labels.kind === kind && value.labels.outcome === outcome)
      .reduce((total, value) => total + value.value, 0);
  return { succeeded: sum('succeeded'), failed: sum('failed') };
}

/**
 * The batch run as an operator starts it: runs.start with the worker running, timed until every
 * communication's delivery job has finished, then checked against the run's own progress.
 */
async function endToEnd(
  context: SectionContext,
  engine: Engine,
  app: App,
  segmentId: string,
  smtp: SmtpCounter | undefined,
) {
  app.worker.start();
  statementCounter.reset();
  statementCounter.enabled = true;
  const rss = sampleRss();
  const start = now();
  const run = await app.services.runs.start(actor, { template: TEMPLATE_KEY, segmentId, data: RUN_DATA });
  if (run.total !== CUSTOMERS)
    throw new Error(`${engine.label}: the run promises ${run.total} items, the segment should hold ${CUSTOMERS}`);
  let expandedMs: number | undefined;
  let lastProgress = now();
  let timedOut = false;
  let delivered: { succeeded: number; failed: number };
  for (;;) {
    delivered = await finishedJobs(app, DELIVER_JOB);
    if (expandedMs === undefined && (await finishedJobs(app, EXPAND_RUN_JOB)).succeeded > 0)
      expandedMs = elapsedMs(start);
    if (delivered.succeeded >= run.total) break;
    if (elapsedMs(start) > RUN_TIMEOUT_MS) {
      timedOut = true;
      break;
    }
    if (elapsedMs(lastProgress) >= PROGRESS_POLL_MS) {
      const progress = await app.services.runs.get(actor, run.id);
      context.log(
        `delivery: ${engine.label}: ${(elapsedMs(start) / 1000).toFixed(0)} s, created ${progress.created}/${progress.total}, done ${progress.done} (${progress.percent} %), ${Math.round(progress.done / (elapsedMs(start) / 1000))}/s, RSS ${Math.round(process.memoryUsage.rss() / 2 ** 20)} MB`,
      );
      lastProgress = now();
    }
    await sleep(DONE_POLL_MS);
  }
  const totalMs = elapsedMs(start);
  const memory = rss.stop();
  statementCounter.enabled = false;
  if (timedOut) await app.services.runs.cancel(actor, run.id);
  await app.worker.stop();

  const progress = await app.services.runs.get(actor, run.id);
  // Letters wait for the print batch, so a run with letters ends awaiting print.
  if (!timedOut && (!['completed', 'awaiting_print'].includes(progress.status) || progress.done !== run.total)) {
    throw new Error(
      `${engine.label}: every delivery job finished but the run is ${progress.status} with ${progress.done}/${run.total} done: ${JSON.stringify(progress.statuses)}`,
    );
  }
  const sizes = await engine.query<{ channel: string; n: number | string; avg: number | string }>(
    'SELECT channel, count(*) AS n, avg(archive_size) AS avg FROM communications WHERE batch_run_id = $1 AND archive_size IS NOT NULL GROUP BY channel',
    [run.id],
  );
  const [firstError] =
    delivered.failed > 0
      ? await engine.query<{ last_error: string }>(
          `SELECT last_error FROM jobs WHERE kind = $1 AND last_error IS NOT NULL LIMIT 1`,
          [DELIVER_JOB],
        )
      : [];
  return {
    totalMs,
    expandedMs,
    done: timedOut ? progress.done : run.total,
    timedOut,
    failedAttempts: delivered.failed,
    firstError: firstError?.last_error,
    statuses: progress.statuses,
    channels: progress.channels,
    archiveKb: Object.fromEntries(sizes.map((row) => [row.channel, Number(row.avg) / 1024])),
    statements: statementCounter.statements,
    smtpMessages: smtp?.messages,
    memory,
  };
}

/**
 * The same items rendered one after the other with the rendering functions alone: the same
 * published version and pinned fragment, brand, customer rows, run data and channel per customer
 * (email when the customer has an address for it, else letter), the same bytes as the pipeline
 * builds (the MIME message for email, the PDF for a letter); no database, archive or hand-over.
 */
async function bareLoop(app: App) {
  const { version, fragments } = await app.services.templates.sendable(app.db, TEMPLATE_KEY);
  const brand: Brand = await app.services.brand.forRendering();
  const compiled = new Map<string, CompiledTemplate>();
  const compiledFor = async (language: string) => {
    let found = compiled.get(language);
    if (!found) compiled.set(language, (found = await compileTemplate(version.variants[language]!, fragments)));
    return found;
  };
  const per = { email: { count: 0, ms: 0, bytes: 0 }, letter: { count: 0, ms: 0, bytes: 0 } };
  let afterId: string | undefined;
  for (;;) {
    const page = await app.db
      .select()
      .from(customers)
      .where(and(arrayContains(customers.tags, [TAG]), afterId ? gt(customers.id, afterId) : undefined))
      .orderBy(asc(customers.id))
      .limit(BARE_PAGE);
    if (page.length === 0) break;
    afterId = page[page.length - 1]!.id;
    for (const customer of page) {
      const start = now();
      const language = chooseLanguage(version.variants, customer.language, version.defaultLanguage);
      const template = await compiledFor(language);
      const renderContext = renderContextFor(customer, brand, RUN_DATA, new Date(), language);
      let bytes: number;
      let channel: keyof typeof per;
      if (customer.emails.length > 0) {
        channel = 'email';
        const email = await renderEmail(template, renderContext);
        const message = await buildEmailMessage(email, {
          from: { name: brand.senders.emailName, address: brand.senders.emailFrom },
          to: customer.emails[0]!,
          replyTo: brand.senders.replyTo,
          messageId: messageIdFor(randomUUID(), brand),
          date: renderContext.now,
        });
        bytes = message.length;
      } else {
        channel = 'letter';
        const letter = await renderLetter(template, renderContext, {
          recipient: { ...customer.address!, name: customer.name },
        });
        bytes = letter.pdf.length;
      }
      per[channel].ms += elapsedMs(start);
      per[channel].count++;
      per[channel].bytes += bytes;
    }
  }
  const count = per.email.count + per.letter.count;
  const ms = per.email.ms + per.letter.ms;
  return { count, ms, perSecond: count / (ms / 1000), per };
}

async function benchEngine(context: SectionContext, engine: Engine) {
  const engineStart = now();
  const smtp = TRANSPORT === 'smtp' ? await startSmtpCounter() : undefined;
  try {
    const bench = await startDeliveryApp(engine, smtp);
    try {
      const { app } = bench;
      context.log(
        `delivery: ${engine.label}: ${CUSTOMERS.toLocaleString('en-US')} customers by INSERT … SELECT, segment, template published`,
      );
      const { segmentId, insertMs } = await seed(engine, app);
      const setupMs = elapsedMs(engineStart);
      context.log(
        `delivery: ${engine.label}: customers inserted in ${(insertMs / 1000).toFixed(1)} s; batch run with workers=${app.config.workers}, email by ${app.channels.email.transport}`,
      );
      const run = await endToEnd(context, engine, app, segmentId, smtp);
      const rate = run.done / (run.totalMs / 1000);

      context.log(
        `delivery: ${engine.label}: bare render loop over the same ${CUSTOMERS.toLocaleString('en-US')} items`,
      );
      const bare = await bareLoop(app);
      const expected = { email: bare.per.email.count, letter: bare.per.letter.count };
      if (!run.timedOut && (run.channels.email !== expected.email || run.channels.letter !== expected.letter)) {
        throw new Error(
          `${engine.label}: the run used channels ${JSON.stringify(run.channels)}, the bare loop rendered ${JSON.stringify(expected)}`,
        );
      }
      if (smtp && !run.timedOut && smtp.messages !== expected.email) {
        throw new Error(
          `${engine.label}: the SMTP server received ${smtp.messages} messages for ${expected.email} emails`,
        );
      }
      const kb = (bytes: number, count: number) => `${(bytes / Math.max(1, count) / 1024).toFixed(1)} KB`;
      const perSecond = (entry: { count: number; ms: number }) =>
        Math.round(entry.count / (entry.ms / 1000)).toLocaleString('en-US');
      context.record({
        name: `${engine.label}: bare render loop, same items (baseline)`,
        value: bare.perSecond,
        unit: 'items/s',
        details: {
          items: bare.count,
          email: `${bare.per.email.count.toLocaleString('en-US')} at ${perSecond(bare.per.email)}/s, ${kb(bare.per.email.bytes, bare.per.email.count)}`,
          letter: `${bare.per.letter.count.toLocaleString('en-US')} at ${perSecond(bare.per.letter)}/s, ${kb(bare.per.letter.bytes, bare.per.letter.count)}`,
          time: `${(bare.ms / 1000).toFixed(1)} s`,
        },
      });
      context.record({
        name: `${engine.label}: batch run end to end, start to all sent${run.timedOut ? ' (timed out)' : ''}`,
        value: rate,
        unit: 'comms/s',
        baseline: { name: 'bare render loop', value: bare.perSecond, unit: 'items/s' },
        ratio: ratio(rate, bare.perSecond),
        details: {
          communications: run.timedOut ? `${run.done}/${CUSTOMERS}` : run.done,
          mix: Object.entries(run.channels)
            .map(([channel, n]) => `${channel} ${n.toLocaleString('en-US')}`)
            .join(', '),
          workers: app.config.workers,
          email: smtp
            ? `SMTP on loopback (${smtp.messages.toLocaleString('en-US')} received over ${smtp.connections.toLocaleString('en-US')} connections)`
            : 'outbox (no SMTP_URL)',
          time: `${(run.totalMs / 1000).toFixed(1)} s`,
          expanded: run.expandedMs === undefined ? '—' : `${(run.expandedMs / 1000).toFixed(1)} s`,
          'stmts/comm': (run.statements / Math.max(1, run.done)).toFixed(1),
          archive: Object.entries(run.archiveKb)
            .map(([channel, size]) => `${channel} ${size.toFixed(1)} KB`)
            .join(', '),
          ...(run.failedAttempts ? { 'failed attempts': run.failedAttempts } : {}),
        },
      });
      context.record({
        name: `${engine.label}: peak RSS of the bench process during the run`,
        value: run.memory.peakMb,
        unit: 'MB',
        details: {
          'at start': `${Math.round(run.memory.startMb)} MB`,
          samples: run.memory.samples,
          'longest gap': `${Math.round(run.memory.maxGapMs)} ms`,
          setup: `${(setupMs / 1000).toFixed(1)} s`,
          'engine wall': `${(elapsedMs(engineStart) / 1000).toFixed(1)} s`,
        },
      });
      if (run.failedAttempts)
        context.note(
          `delivery: ${engine.label}: ${run.failedAttempts} delivery attempts failed and were retried; the first error: ${(run.firstError ?? '?').split('\n')[0]}`,
        );
      if (run.timedOut)
        context.note(
          `delivery: ${engine.label}: cancelled after ${RUN_TIMEOUT_MS / 1000} s with ${run.done.toLocaleString('en-US')} of ${CUSTOMERS.toLocaleString('en-US')} done; its rate is over those.`,
        );
    } finally {
      await bench.close();
    }
  } finally {
    await smtp?.close();
  }
}

export const deliverySection: Section = {
  name: 'delivery',
  title: 'Batch delivery: communications/s of a batch run end to end against rendering the same items in a bare loop',
  async run(context) {
    if (ENGINES.includes('pglite')) {
      context.log('delivery: opening PGlite (initdb takes a few seconds)');
      const pglite = await openPglite();
      try {
        await benchEngine(context, pglite);
      } finally {
        await pglite.close();
      }
    }

    let postgres: Engine | undefined;
    try {
      if (ENGINES.includes('postgres')) postgres = await openPostgres();
    } catch (error) {
      if (!(error instanceof PostgresUnavailable)) throw error;
      context.note(`delivery: PostgreSQL figures skipped: server not reachable (${error.message}).`);
    }
    if (postgres) {
      try {
        await benchEngine(context, postgres);
      } finally {
        await postgres.close();
      }
    }
    context.note(
      `delivery: ${CUSTOMERS.toLocaleString('en-US')} customers (half with an email address preferring email, half with only a postal address preferring letters), one segment, a published service template (email + letter, en/de, a signature fragment, a one-row table, date/money/number filters); ` +
        `end to end = batchRuns.start with the app's job worker running in this process (workers = config.workers, pollMs default), timed from start until every delivery job finished (watched every ${DONE_POLL_MS} ms on the worker's metric), then checked: run completed, channels as expected, every email received by the SMTP server; ` +
        `each item is routed, rendered, archived (.eml or PDF + snapshot), handed over (SMTP, or the print queue for letters) and recorded; ` +
        `baseline = the same items rendered one at a time (renderEmail + buildEmailMessage, renderLetter), customers read in pages of ${BARE_PAGE} outside the timing; ratio = end to end/bare. ` +
        `Peak RSS is of the bench process, which runs the server (and PGlite, when that is the engine) in-process, sampled every ${RSS_SAMPLE_MS} ms from start to the last delivery; the PostgreSQL server's own memory is not included.`,
    );
  },
};
