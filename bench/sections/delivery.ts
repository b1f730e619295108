import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { performance as nodePerformance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import nodemailer from 'nodemailer';
import pg from 'pg';
import { buildApp, type App } from '../../src/app.js';
import { EXPAND_RUN_JOB } from '../../src/communications/batch-runs.service.js';
import { DELIVER_JOB } from '../../src/communications/delivery-batch.js';
import { messageIdFor } from '../../src/communications/render-item.js';
import { loadConfig } from '../../src/config.js';
import {
  buildEmailMessage,
  compileTemplate,
  renderEmail,
  type Brand,
  type CompiledTemplate,
  type PostalAddress,
} from '../../src/rendering/index.js';
import type { Actor } from '../../src/shared/actor.js';
import { SAMPLE_TAG } from '../../src/templates/compliance.service.js';
import { chooseLanguage } from '../../src/templates/preview-rendering.js';
import { renderContextFor } from '../../src/templates/render-context.js';
import type { TemplateInput } from '../../src/templates/template-input.js';
import type { LanguageVariants } from '../../src/templates/templates.tables.js';
import type { WorkflowAction } from '../../src/templates/workflow.js';
import { sharedStorage, tempDir } from '../support/app.js';
import { onEachEngine, type Engine } from '../support/engines.js';
import { CITIES, FAMILY_NAMES as FAMILY, GIVEN_NAMES as GIVEN, LANGUAGES } from '../support/names.js';
import type { Section, SectionContext } from '../support/report.js';
import { startSmtpCounter, type SmtpCounter } from '../support/smtp.js';
import { statementCounter } from '../support/sql-counter.js';
import { elapsedMs, now, ratio } from '../support/stats.js';

/** Emails in the batch run, and in the bare pipeline it is compared to. BENCH_DELIVERY_EMAILS=100000 for the long run the tenth-to-tenth rate is meant for. */
const EMAILS = Number(process.env.BENCH_DELIVERY_EMAILS ?? 10_000);
/** Letters in a second batch run, rendered as PDFs into the print queue. */
const LETTERS = Number(process.env.BENCH_DELIVERY_LETTERS ?? 2_000);
/** `BENCH_DELIVERY_ENGINES=postgres` (default) or `pglite` or both, comma-separated. */
const ENGINES = (process.env.BENCH_DELIVERY_ENGINES ?? 'postgres').split(',').map((engine) => engine.trim());
/** The workers' concurrency (batches at once): config.workers (TIDINGS_WORKERS, default 2 on PGlite, 8 on PostgreSQL) unless BENCH_DELIVERY_WORKERS says otherwise. */
const WORKERS = process.env.BENCH_DELIVERY_WORKERS ?? process.env.TIDINGS_WORKERS;
/** A run still going after this long is cancelled; its rate is then over the communications finished by then. */
const RUN_TIMEOUT_MS = Number(process.env.BENCH_DELIVERY_TIMEOUT_S ?? 1200) * 1000;
/** Completion is watched on the worker's in-memory metric; the run's own progress (a GROUP BY over its items) is read this often. */
const DONE_POLL_MS = 20;
const PROGRESS_POLL_MS = 5_000;
/** The bare pipeline claims this many at a time, in this many loops at once (rendering one batch while another is on the wire). */
const BARE_CLAIM = 200;
const BARE_LANES = Number(process.env.BENCH_DELIVERY_BARE_LANES ?? 2);
/** `BENCH_DELIVERY_STATEMENTS=1`: also print which statements each run sent, by their first words, per item. */
const STATEMENTS = process.env.BENCH_DELIVERY_STATEMENTS === '1';
const EMAIL_TAG = 'delivery-bench-email';
const LETTER_TAG = 'delivery-bench-letter';
const TEMPLATE_KEY = 'meter-reading-bench';
const RUN_DATA = { due: '2026-12-15', monthly: 84.5 };
const actor: Actor = { kind: 'system', label: 'bench' };

const literalArray = (values: readonly string[]) =>
  `ARRAY[${values.map((value) => `'${value.replaceAll("'", "''")}'`).join(', ')}]`;

/**
 * One statement: `count` people (numbered from `first`) with a postal address, a meter number and a
 * last reading, preferring email (with an address for it) or letters (without one: the portal,
 * second in the default order, would take them otherwise). The first two email customers are also
 * the template's compliance samples (the made-up sample customer has no meter number).
 */
const generate = (channel: 'email' | 'letter', first: number, count: number) => `
  INSERT INTO customers (kind, name, given_name, family_name, emails, address, language, time_zone, lifecycle_stage, tags, attributes, channel_preferences)
  SELECT 'person', given || ' ' || family, given, family,
         ${
           channel === 'email'
             ? `ARRAY[translate(lower(replace(given || '.' || family, ' ', '')), 'éíüáóñ', 'eiuaon') || '.' || g || '@example.com']`
             : `'{}'::text[]`
         },
         jsonb_build_object('lines', jsonb_build_array(g % 200 || ' Main Street'), 'postalCode', lpad((g % 99999)::text, 5, '0'),
                            'city', (${literalArray(CITIES)})[1 + g % ${CITIES.length}], 'country', 'DE'),
         (${literalArray(LANGUAGES)})[1 + g % ${LANGUAGES.length}],
         'Europe/Berlin',
         'active',
         ${
           channel === 'email'
             ? `CASE WHEN g < ${first + 2} THEN ARRAY['${EMAIL_TAG}', '${SAMPLE_TAG}'] ELSE ARRAY['${EMAIL_TAG}'] END`
             : `ARRAY['${LETTER_TAG}']`
         },
         jsonb_build_object('meterNumber', 'M-' || lpad(g::text, 8, '0'), 'lastReading', (g::bigint * 7919) % 20000),
         ARRAY['${channel}']
  FROM generate_series(${first}, ${first + count - 1}) AS g,
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

/** The real composition root on the engine's open database, quiet, with SMTP_URL pointing at the counter. */
async function startDeliveryApp(engine: Engine, smtp: SmtpCounter): Promise<{ app: App; close(): Promise<void> }> {
  const { dir, remove } = await tempDir('tidings-bench-delivery-data-');
  const base = loadConfig({
    TIDINGS_DATA_DIR: dir,
    SMTP_URL: smtp.url,
    TIDINGS_WORKERS: WORKERS,
    TIDINGS_RENDER_THREADS: process.env.TIDINGS_RENDER_THREADS,
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

/** Customers by SQL, then the two segments, the signature fragment and the template through the services, published. */
async function seed(engine: Engine, app: App) {
  const start = now();
  await engine.query(generate('email', 1, EMAILS));
  await engine.query(generate('letter', EMAILS + 1, LETTERS));
  await engine.query('ANALYZE customers');
  const insertMs = elapsedMs(start);
  const emails = await app.services.segments.create(actor, {
    name: 'Delivery bench: email',
    filter: { tagsAll: [EMAIL_TAG] },
  });
  const letters = await app.services.segments.create(actor, {
    name: 'Delivery bench: letters',
    filter: { tagsAll: [LETTER_TAG] },
  });
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
  return { emailSegment: emails.id, letterSegment: letters.id, insertMs };
}

/** Statements sent while `statementCounter` counts, by their first words (for BENCH_DELIVERY_STATEMENTS). */
const statementKinds = new Map<string, number>();
let kindsWrapped = false;
function countStatementKinds() {
  if (kindsWrapped) return;
  kindsWrapped = true;
  const prototype = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = prototype.query;
  prototype.query = function (this: unknown, ...args: unknown[]) {
    if (statementCounter.enabled) {
      const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string } | null)?.text;
      const kind = (text ?? '?').replace(/\s+/g, ' ').trim().slice(0, 60);
      statementKinds.set(kind, (statementKinds.get(kind) ?? 0) + 1);
    }
    return original.apply(this, args);
  };
}

function reportStatementKinds(context: SectionContext, what: string, items: number) {
  const top = [...statementKinds].sort((a, b) => b[1] - a[1]).slice(0, 15);
  context.log(`delivery: statements of the ${what}, per item:`);
  for (const [kind, n] of top) context.log(`   ${(n / items).toFixed(4)}  ${kind}`);
  statementKinds.clear();
}

/** Delivery jobs finished so far by this process's worker, by outcome. */
async function finishedJobs(app: App, kind: string) {
  const metric = await app.metrics.jobsFinished.get();
  const sum = (outcome: string) =>
    metric.values
      .filter((value) => value.labels.kind === kind && value.labels.outcome === outcome)
      .reduce((total, value) => total + value.value, 0);
  return { succeeded: sum('succeeded'), failed: sum('failed') };
}

/**
 * CPU time (ms) used so far by this process (all its threads), the time its main thread was busy
 * (event loop utilization: the rest of the process's CPU is render threads, file system threads and
 * GC helpers), and the CPU of the PostgreSQL backends serving this database.
 */
async function cpuNow(engine: Engine) {
  const usage = process.cpuUsage();
  const mainMs = nodePerformance.eventLoopUtilization().active;
  const backends = new Map<number, number>();
  if (engine.key === 'postgres') {
    const pids = await engine.query<{ pid: number }>(
      'SELECT pid FROM pg_stat_activity WHERE datname = current_database()',
    );
    for (const { pid } of pids) {
      try {
        // Fields 14 and 15 of /proc/<pid>/stat: user and system time in clock ticks (100 a second).
        const fields = (await fs.readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]!.split(' ');
        backends.set(pid, ((Number(fields[11]) + Number(fields[12])) * 1000) / 100);
      } catch {
        // A backend that ended meanwhile, or no /proc: its time is not counted.
      }
    }
  }
  return { nodeMs: (usage.user + usage.system) / 1000, mainMs, backends };
}

function cpuSince(start: Awaited<ReturnType<typeof cpuNow>>, end: Awaited<ReturnType<typeof cpuNow>>) {
  let postgresMs = 0;
  for (const [pid, ms] of end.backends) postgresMs += ms - (start.backends.get(pid) ?? 0);
  return {
    nodeMs: end.nodeMs - start.nodeMs,
    mainMs: end.mainMs - start.mainMs,
    postgresMs: end.backends.size ? postgresMs : undefined,
  };
}

/**
 * A batch run as an operator starts it: runs.start with the worker running in this process, timed
 * until every communication's delivery job has finished, then checked against the run's progress.
 * The moments a tenth and nine tenths were done give the rate of the first and of the last tenth.
 */
async function batchRun(context: SectionContext, engine: Engine, app: App, segmentId: string, expected: number) {
  const before = await finishedJobs(app, DELIVER_JOB);
  const expansionsBefore = (await finishedJobs(app, EXPAND_RUN_JOB)).succeeded;
  app.worker.start();
  statementCounter.reset();
  statementCounter.enabled = true;
  const cpuStart = await cpuNow(engine);
  const start = now();
  const run = await app.services.runs.start(actor, { template: TEMPLATE_KEY, segmentId, data: RUN_DATA });
  if (run.total !== expected)
    throw new Error(`${engine.label}: the run promises ${run.total} items, the segment should hold ${expected}`);
  let lastProgress = now();
  let timedOut = false;
  let firstTenthMs: number | undefined;
  let ninthTenthMs: number | undefined;
  let expandedMs: number | undefined;
  let done: number;
  for (;;) {
    const finished = await finishedJobs(app, DELIVER_JOB);
    if (expandedMs === undefined && (await finishedJobs(app, EXPAND_RUN_JOB)).succeeded > expansionsBefore)
      expandedMs = elapsedMs(start);
    done = finished.succeeded - before.succeeded;
    if (firstTenthMs === undefined && done >= expected / 10) firstTenthMs = elapsedMs(start);
    if (ninthTenthMs === undefined && done >= (9 * expected) / 10) ninthTenthMs = elapsedMs(start);
    // A run of no items has all its delivery jobs done before its expansion has even looked: wait for that too.
    if (done >= expected && expandedMs !== undefined) break;
    if (elapsedMs(start) > RUN_TIMEOUT_MS) {
      timedOut = true;
      break;
    }
    if (elapsedMs(lastProgress) >= PROGRESS_POLL_MS) {
      context.log(
        `delivery: ${engine.label}: ${(elapsedMs(start) / 1000).toFixed(0)} s, ${done}/${expected} done, ${Math.round(done / (elapsedMs(start) / 1000))}/s`,
      );
      lastProgress = now();
    }
    await sleep(DONE_POLL_MS);
  }
  const totalMs = elapsedMs(start);
  statementCounter.enabled = false;
  const cpu = cpuSince(cpuStart, await cpuNow(engine));
  if (timedOut) await app.services.runs.cancel(actor, run.id);
  await app.worker.stop();
  const failedAttempts = (await finishedJobs(app, DELIVER_JOB)).failed - before.failed;

  const progress = await app.services.runs.get(actor, run.id);
  // Letters wait for the print batch, so a run of letters ends awaiting print.
  if (!timedOut && (!['completed', 'awaiting_print'].includes(progress.status) || progress.done !== expected)) {
    throw new Error(
      `${engine.label}: every delivery job finished but the run is ${progress.status} with ${progress.done}/${expected} done: ${JSON.stringify(progress.statuses)}`,
    );
  }
  const [size] = await engine.query<{ avg: number | string }>(
    'SELECT avg(archive_size) AS avg FROM communications WHERE batch_run_id = $1',
    [run.id],
  );
  const [firstError] = failedAttempts
    ? await engine.query<{ last_error: string }>(
        'SELECT last_error FROM jobs WHERE kind = $1 AND last_error IS NOT NULL LIMIT 1',
        [DELIVER_JOB],
      )
    : [];
  const tenth = expected / 10;
  return {
    totalMs,
    expandedMs,
    done,
    timedOut,
    perSecond: done / (totalMs / 1000),
    firstTenth: firstTenthMs ? tenth / (firstTenthMs / 1000) : undefined,
    lastTenth: ninthTenthMs && !timedOut ? tenth / ((totalMs - ninthTenthMs) / 1000) : undefined,
    statements: statementCounter.statements,
    cpu,
    archiveKb: Number(size?.avg ?? 0) / 1024,
    statuses: progress.statuses,
    failedAttempts,
    firstError: firstError?.last_error,
  };
}

/**
 * The fastest honest loop for the same emails in this process, as a yardstick: claim 200 rows of an
 * outbox joined to their customers (FOR UPDATE SKIP LOCKED), render each with the same compiled
 * template (Liquid, Markdown, MJML layout) and build its MIME message, hash it, write it durably
 * (private file, fsync, rename to its hash, fsync the folder), hand the batch to the same SMTP
 * server over a pool of open connections, and mark the batch sent in one UPDATE … FROM unnest.
 * BARE_LANES such loops run at once, so one batch renders while another is on the wire.
 */
async function barePipeline(engine: Engine, app: App, smtp: SmtpCounter) {
  await engine.query(
    `CREATE TABLE bench_bare_outbox (id bigserial PRIMARY KEY, customer_id uuid NOT NULL, status text NOT NULL DEFAULT 'queued',
       archive_sha256 text, message_id text, sent_at timestamptz)`,
  );
  await engine.query(
    `INSERT INTO bench_bare_outbox (customer_id) SELECT id FROM customers WHERE tags @> ARRAY['${EMAIL_TAG}'] ORDER BY id`,
  );
  await engine.query('ANALYZE bench_bare_outbox');
  const { version, fragments } = await app.services.templates.sendable(app.db, TEMPLATE_KEY);
  const brand: Brand = await app.services.brand.forRendering();
  const compiled = new Map<string, CompiledTemplate>();
  for (const language of Object.keys(version.variants))
    compiled.set(language, await compileTemplate(version.variants[language]!, fragments));
  const { dir: root, remove } = await tempDir('tidings-bench-bare-blobs-');
  const folders = new Set<string>();
  async function writeBlob(sha256: string, bytes: Buffer) {
    const folder = path.join(root, sha256.slice(0, 2), sha256.slice(2, 4));
    if (!folders.has(folder)) {
      await fs.mkdir(folder, { recursive: true });
      folders.add(folder);
    }
    const tmp = path.join(root, `${sha256}.${randomUUID()}.tmp`);
    const file = await fs.open(tmp, 'wx');
    try {
      await file.writeFile(bytes);
      await file.sync();
    } finally {
      await file.close();
    }
    await fs.rename(tmp, path.join(folder, sha256));
    const handle = await fs.open(folder, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  }
  const transporter = nodemailer.createTransport({
    url: smtp.url,
    pool: true,
    maxConnections: 4,
    maxMessages: Infinity,
  });
  const from = { name: brand.senders.emailName, address: brand.senders.emailFrom };
  const messagesBefore = smtp.messages;

  async function lane() {
    let count = 0;
    for (;;) {
      const claimed = await engine.query<{
        outboxId: string;
        customerId: string;
        name: string;
        givenName: string | null;
        familyName: string | null;
        organizationName: string | null;
        emails: string[];
        phones: string[];
        fax: string | null;
        address: PostalAddress | null;
        language: string;
        timeZone: string;
        attributes: Record<string, string | number>;
        externalId: string | null;
      }>(
        `WITH claimed AS (
           UPDATE bench_bare_outbox o SET status = 'running'
           WHERE o.id IN (SELECT id FROM bench_bare_outbox WHERE status = 'queued' ORDER BY id LIMIT ${BARE_CLAIM} FOR UPDATE SKIP LOCKED)
           RETURNING o.id, o.customer_id)
         SELECT claimed.id AS "outboxId", c.id AS "customerId", c.name, c.given_name AS "givenName", c.family_name AS "familyName",
                c.organization_name AS "organizationName", c.emails, c.phones, c.fax, c.address, c.language,
                c.time_zone AS "timeZone", c.attributes, c.external_id AS "externalId"
         FROM claimed JOIN customers c ON c.id = claimed.customer_id`,
      );
      if (claimed.length === 0) return count;
      const at = new Date();
      const messages: { id: string; to: string; raw: Buffer; sha256: string; messageId: string }[] = [];
      for (const customer of claimed) {
        const language = chooseLanguage(version.variants, customer.language, version.defaultLanguage);
        const renderContext = renderContextFor({ ...customer, id: customer.customerId }, brand, RUN_DATA, at, language);
        const messageId = messageIdFor(randomUUID(), brand);
        const raw = await buildEmailMessage(await renderEmail(compiled.get(language)!, renderContext), {
          from,
          to: customer.emails[0]!,
          replyTo: brand.senders.replyTo,
          messageId,
          date: at,
        });
        messages.push({
          id: customer.outboxId,
          to: customer.emails[0]!,
          raw,
          sha256: createHash('sha256').update(raw).digest('hex'),
          messageId,
        });
      }
      await Promise.all(messages.map((message) => writeBlob(message.sha256, message.raw)));
      await Promise.all(
        messages.map((message) =>
          transporter.sendMail({
            envelope: { from: from.address, to: [message.to] },
            raw: message.raw,
            messageId: message.messageId,
          }),
        ),
      );
      await engine.query(
        `UPDATE bench_bare_outbox o SET status = 'sent', archive_sha256 = v.sha, message_id = v.mid, sent_at = now()
         FROM unnest($1::bigint[], $2::text[], $3::text[]) AS v(id, sha, mid) WHERE o.id = v.id`,
        [messages.map((m) => m.id), messages.map((m) => m.sha256), messages.map((m) => m.messageId)],
      );
      count += messages.length;
    }
  }

  statementCounter.reset();
  statementCounter.enabled = engine.key === 'postgres';
  const cpuStart = await cpuNow(engine);
  const start = now();
  let count: number;
  try {
    count = (await Promise.all(Array.from({ length: BARE_LANES }, lane))).reduce((sum, n) => sum + n, 0);
  } finally {
    transporter.close();
  }
  const ms = elapsedMs(start);
  statementCounter.enabled = false;
  const cpu = cpuSince(cpuStart, await cpuNow(engine));
  await remove();
  if (smtp.messages - messagesBefore !== count)
    throw new Error(`bare pipeline: the SMTP server received ${smtp.messages - messagesBefore} of ${count} messages`);
  return { count, ms, perSecond: count / (ms / 1000), statements: statementCounter.statements, cpu };
}

/** Starts every render thread before the clock runs, as a server's are after its first minutes. */
async function warmRenderThreads(app: App) {
  const brand = await app.services.brand.forRendering();
  const context = { customer: { name: 'Warm' }, brand, data: {}, language: 'en', timeZone: 'UTC', now: new Date() };
  const task = {
    kind: 'preview' as const,
    template: { bodies: { sms: { text: 'warm' } }, fragments: {} },
    context,
    recipientName: 'Warm',
  };
  await Promise.all(Array.from({ length: app.renderer.threads }, () => app.renderer.render([task], 'all')));
}

const perItem = (total: number | undefined, count: number) =>
  total === undefined ? '—' : `${(total / Math.max(1, count)).toFixed(2)} ms`;

async function benchEngine(context: SectionContext, engine: Engine) {
  const engineStart = now();
  const smtp = await startSmtpCounter();
  try {
    const bench = await startDeliveryApp(engine, smtp);
    try {
      const { app } = bench;
      context.log(
        `delivery: ${engine.label}: ${EMAILS.toLocaleString('en-US')} email and ${LETTERS.toLocaleString('en-US')} letter customers by INSERT … SELECT, segments, template published`,
      );
      const { emailSegment, letterSegment, insertMs } = await seed(engine, app);
      context.log(
        `delivery: ${engine.label}: customers inserted in ${(insertMs / 1000).toFixed(1)} s; bare pipeline over the same ${EMAILS.toLocaleString('en-US')} emails`,
      );
      if (STATEMENTS) countStatementKinds();
      const bare = await barePipeline(engine, app, smtp);
      if (STATEMENTS) reportStatementKinds(context, 'bare pipeline', bare.count);
      context.log(
        `delivery: ${engine.label}: bare pipeline ${Math.round(bare.perSecond)}/s; batch run of the emails with workers=${app.config.workers}`,
      );
      await warmRenderThreads(app);
      const received = smtp.messages;
      const emails = await batchRun(context, engine, app, emailSegment, EMAILS);
      if (STATEMENTS) reportStatementKinds(context, 'email run', emails.done);
      if (!emails.timedOut && smtp.messages - received !== EMAILS)
        throw new Error(
          `${engine.label}: the SMTP server received ${smtp.messages - received} messages for ${EMAILS} emails`,
        );
      context.log(`delivery: ${engine.label}: ${Math.round(emails.perSecond)} emails/s; batch run of the letters`);
      const letters = await batchRun(context, engine, app, letterSegment, LETTERS);
      if (STATEMENTS) reportStatementKinds(context, 'letter run', letters.done);

      context.record({
        name: `${engine.label}: bare pipeline, same emails (baseline)`,
        value: bare.perSecond,
        unit: 'emails/s',
        details: {
          emails: bare.count,
          lanes: BARE_LANES,
          claim: BARE_CLAIM,
          time: `${(bare.ms / 1000).toFixed(1)} s`,
          'stmts/email': engine.key === 'postgres' ? (bare.statements / bare.count).toFixed(3) : '—',
          'node CPU/email': perItem(bare.cpu.nodeMs, bare.count),
          'main thread/email': perItem(bare.cpu.mainMs, bare.count),
          'PostgreSQL CPU/email': perItem(bare.cpu.postgresMs, bare.count),
        },
      });
      context.record({
        name: `${engine.label}: batch run of emails end to end${emails.timedOut ? ' (timed out)' : ''}`,
        value: emails.perSecond,
        unit: 'emails/s',
        baseline: { name: 'bare pipeline', value: bare.perSecond, unit: 'emails/s' },
        ratio: ratio(emails.perSecond, bare.perSecond),
        details: {
          emails: emails.timedOut ? `${emails.done}/${EMAILS}` : emails.done,
          workers: app.config.workers,
          'render threads': app.renderer.threads,
          time: `${(emails.totalMs / 1000).toFixed(1)} s`,
          expanded: emails.expandedMs === undefined ? '—' : `${(emails.expandedMs / 1000).toFixed(1)} s`,
          'stmts/email': (emails.statements / Math.max(1, emails.done)).toFixed(3),
          'first tenth': emails.firstTenth === undefined ? '—' : `${Math.round(emails.firstTenth)}/s`,
          'last tenth': emails.lastTenth === undefined ? '—' : `${Math.round(emails.lastTenth)}/s`,
          'last/first tenth':
            emails.lastTenth && emails.firstTenth ? (emails.lastTenth / emails.firstTenth).toFixed(2) : '—',
          'node CPU/email': perItem(emails.cpu.nodeMs, emails.done),
          'main thread/email': perItem(emails.cpu.mainMs, emails.done),
          'PostgreSQL CPU/email': perItem(emails.cpu.postgresMs, emails.done),
          archive: `${emails.archiveKb.toFixed(1)} KB`,
          ...(emails.failedAttempts ? { 'failed attempts': emails.failedAttempts } : {}),
        },
      });
      context.record({
        name: `${engine.label}: batch run of letters into the print queue${letters.timedOut ? ' (timed out)' : ''}`,
        value: letters.perSecond,
        unit: 'letters/s',
        details: {
          letters: letters.timedOut ? `${letters.done}/${LETTERS}` : letters.done,
          time: `${(letters.totalMs / 1000).toFixed(1)} s`,
          'stmts/letter': (letters.statements / Math.max(1, letters.done)).toFixed(3),
          'node CPU/letter': perItem(letters.cpu.nodeMs, letters.done),
          'main thread/letter': perItem(letters.cpu.mainMs, letters.done),
          'PostgreSQL CPU/letter': perItem(letters.cpu.postgresMs, letters.done),
          archive: `${letters.archiveKb.toFixed(1)} KB`,
          'engine wall': `${(elapsedMs(engineStart) / 1000).toFixed(1)} s`,
        },
      });
      for (const [what, run] of [
        ['emails', emails],
        ['letters', letters],
      ] as const) {
        if (run.failedAttempts)
          context.note(
            `delivery: ${engine.label}: ${run.failedAttempts} ${what} delivery attempts failed and were retried; the first error: ${(run.firstError ?? '?').split('\n')[0]}`,
          );
        if (run.timedOut)
          context.note(
            `delivery: ${engine.label}: the ${what} run was cancelled after ${RUN_TIMEOUT_MS / 1000} s with ${run.done.toLocaleString('en-US')} done; its rate is over those.`,
          );
      }
    } finally {
      await bench.close();
    }
  } finally {
    await smtp.close();
  }
}

export const deliverySection: Section = {
  name: 'delivery',
  title:
    'Batch delivery: emails/s of a batch run end to end against a bare pipeline of the same emails; letters/s into the print queue',
  async run(context) {
    await onEachEngine(context, 'delivery', { engines: ENGINES }, (engine) => benchEngine(context, engine));
    context.note(
      `delivery: ${EMAILS.toLocaleString('en-US')} customers preferring email and ${LETTERS.toLocaleString('en-US')} preferring letters, a published service template (email + letter, en/de, a signature fragment, a one-row table, date/money/number filters); ` +
        `end to end = batchRuns.start with the app's job worker running in this process, timed from the start until every delivery job finished (watched every ${DONE_POLL_MS} ms on the worker's metric), then checked: run done, every email received by the SMTP server on loopback (in this process). Each item is routed, rendered (render threads), archived (copy + snapshot, fsync), marked handing over, handed over (SMTP, or the print queue), and recorded (status, attempt, cost, last contact, timeline). ` +
        `Bare pipeline = the same emails in ${BARE_LANES} loops of claim ${BARE_CLAIM} (SKIP LOCKED, joined to the customer) → renderEmail + MIME on this thread → sha256 → durable blob write → SMTP pool → one batched UPDATE; ratio = end to end/bare. ` +
        `First/last tenth: the rate over the first and the last 10 % of the run's items (the first includes starting the run). Statements are counted in this process; CPU is this process's (all threads), the busy time of its main thread (event loop utilization) and the PostgreSQL backends' of this database (read from /proc), per item.`,
    );
  },
};
