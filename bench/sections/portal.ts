import { simpleParser } from 'mailparser';
import pg from 'pg';
import type { App } from '../../src/app.js';
import { openStorage } from '../../src/db/database.js';
import { PORTAL_SIGN_IN_TEMPLATE } from '../../src/portal/portal-sign-in.template.js';
import type { Actor } from '../../src/shared/actor.js';
import { decodeCursor } from '../../src/shared/cursor.js';
import type { WorkflowAction } from '../../src/templates/workflow.js';
import { startApp, startHttp, type BenchApp } from '../support/app.js';
import { withBenchPostgres, type Raw } from '../support/postgres.js';
import type { Section, SectionContext } from '../support/report.js';
import { captureStatements, summarizePlan } from '../support/sql-capture.js';
import { elapsedMs, now, ratio, timeRuns, type Summary } from '../support/stats.js';

const COMMUNICATIONS = Number(process.env.BENCH_PORTAL_COMMUNICATIONS ?? 1_000_000);
/** The measured customer's share: 10,000 (the issue's figure), fewer only in a run sized below 100,000. */
const OWN = Math.min(10_000, Math.floor(COMMUNICATIONS / 10));
const CUSTOMERS = 100_000;
const RUNS = 200;
const WARMUP = 10;
/** The page size the portal's inbox asks for when it names none. */
const PAGE = 20;
/** How far into the customer's correspondence the deep page starts, as a share of it. */
const DEEP = 0.9;
const EMAIL = 'portal.bench@example.com';
const TEMPLATE_KEY = 'portal-bench-notice';

const system: Actor = { kind: 'system', label: 'bench' };
const receivedStatuses = `('sent', 'delivered', 'awaiting_print')`;
/** What the inbox lists: what reached the customer with its copy, the portal's own sign-in links aside. */
const inInbox = `c.customer_id = $1 AND c.status IN ${receivedStatuses} AND c.archive_sha256 IS NOT NULL
   AND c.channel IS NOT NULL AND t.key <> '${PORTAL_SIGN_IN_TEMPLATE}'`;
const channels = ['email', 'letter', 'portal', 'sms'] as const;
type Channel = (typeof channels)[number];
type Copy = { channel: Channel; sha256: string; mediaType: string; size: number; address: string; transport: string };

const ms = (value: number) => `${value.toFixed(value < 10 ? 2 : 1)} ms`;

/** One template with a body on every channel the portal shows; each send names its channel in its data. */
async function publishTemplate(app: App) {
  const { templates } = app.services;
  await templates.create(system, {
    key: TEMPLATE_KEY,
    name: 'Account notice',
    purpose: 'service',
    defaultLanguage: 'en',
    variants: {
      en: {
        email: {
          subject: 'Your account, {{ customer.name }}',
          format: 'markdown',
          body: 'Dear {{ customer.name }},\n\nyour **account** changed. See the table:\n\n| a | b |\n|---|---|\n| 1 | 2 |',
        },
        letter: { body: '# Your account\n\nDear {{ customer.name }},\n\nyour account changed.' },
        portal: { subject: 'Your account', body: 'Dear {{ customer.name }},\n\nyour **account** changed.' },
        sms: { text: 'Your account changed, {{ customer.name }}.' },
      },
    },
  });
  const workflow: WorkflowAction[] = ['submit', 'approve', 'publish'];
  for (const action of workflow) await templates.act(system, TEMPLATE_KEY, 1, action);
}

/**
 * The measured customer, and one communication on each channel through the real pipeline: their
 * archived copies are what the generated rows point at, so reading any item reads a real copy.
 */
async function deliverRealCopies(app: App, raw: Raw) {
  const customer = await app.services.customers.create(system, {
    kind: 'person',
    givenName: 'Paula',
    familyName: 'Portal',
    emails: [EMAIL],
    phones: ['+49 151 23456789'],
    address: { lines: ['Hauptstraße 1'], postalCode: '10115', city: 'Berlin', country: 'DE' },
    language: 'en',
    timeZone: 'Europe/Berlin',
    channelPreferences: ['email', 'portal', 'letter', 'sms'],
    quietHours: null,
  });
  for (const channel of channels)
    await app.services.communications.send(system, {
      template: TEMPLATE_KEY,
      customerId: customer.id,
      data: { channel },
    });
  await app.worker.drain();
  const copies = await raw.query<Copy>(
    `SELECT channel, archive_sha256 AS sha256, archive_media_type AS "mediaType", archive_size AS size, address, transport
       FROM communications WHERE customer_id = $1 AND archive_sha256 IS NOT NULL AND status IN ${receivedStatuses}`,
    [customer.id],
  );
  const missing = channels.filter((channel) => !copies.some((copy) => copy.channel === channel));
  if (missing.length > 0) throw new Error(`portal: no archived copy on ${missing.join(', ')}`);
  return { customerId: customer.id, copies };
}

/**
 * One statement: two years of correspondence, oldest first, every `step`-th row the measured
 * customer's and the rest spread over the others. Half email, a quarter letters, the rest portal
 * messages and SMS; 1 in 20 never reached anyone (failed, suppressed, still queued), which the
 * inbox leaves out. Every row points at one of the real archived copies of its channel.
 */
const GENERATE = (customerId: string, copies: Copy[], templateId: string, versionId: string) => {
  const copy = (channel: Channel) => copies.find((each) => each.channel === channel)!;
  const pick = (field: keyof Copy, cast = 'text') =>
    `(ARRAY[${channels.map((channel) => `'${copy(channel)[field]}'`).join(', ')}]::${cast}[])[k.n]`;
  const step = Math.floor(COMMUNICATIONS / OWN);
  return `
  INSERT INTO communications (customer_id, template_id, template_version_id, purpose, status, channel, channel_reason,
                              address, language, archive_sha256, archive_media_type, archive_size, transport,
                              created_by, created_at, updated_at, sent_at, delivered_at)
  SELECT CASE WHEN g % ${step} = 0 THEN '${customerId}'::uuid ELSE c.ids[1 + (h / 7) % ${CUSTOMERS}] END,
         '${templateId}', '${versionId}', 'service',
         s.status,
         CASE WHEN s.status IN ('suppressed', 'queued') THEN NULL ELSE ${pick('channel')} END,
         'first preference',
         ${pick('address')}, 'en',
         CASE WHEN s.status IN ('suppressed', 'queued') THEN NULL ELSE ${pick('sha256')} END,
         CASE WHEN s.status IN ('suppressed', 'queued') THEN NULL ELSE ${pick('mediaType')} END,
         CASE WHEN s.status IN ('suppressed', 'queued') THEN NULL ELSE ${pick('size', 'int')} END,
         ${pick('transport')},
         'bench', a.created, a.created,
         CASE WHEN s.status IN ('sent', 'delivered') THEN a.created + interval '1 minute' END,
         CASE WHEN s.status = 'delivered' THEN a.created + interval '5 minutes' END
  FROM (SELECT array_agg(id) AS ids FROM customers WHERE id <> '${customerId}') AS c,
       generate_series(1, ${COMMUNICATIONS}) AS g
  CROSS JOIN LATERAL (SELECT abs(hashint4(g)) AS h,
                             now() - interval '1 hour' - (${COMMUNICATIONS} - g) * interval '730 days' / ${COMMUNICATIONS} AS created) AS a
  CROSS JOIN LATERAL (SELECT CASE WHEN (h / 11) % 20 < 10 THEN 1 WHEN (h / 11) % 20 < 15 THEN 2
                                  WHEN (h / 11) % 20 < 18 THEN 3 ELSE 4 END AS n) AS k
  CROSS JOIN LATERAL (SELECT CASE WHEN h % 100 < 2 THEN 'failed'
                                  WHEN h % 100 < 4 THEN 'suppressed'
                                  WHEN h % 100 < 5 THEN 'queued'
                                  WHEN k.n = 2 AND a.created > now() - interval '7 days' THEN 'awaiting_print'
                                  WHEN k.n IN (1, 4) AND (h / 13) % 10 < 3 THEN 'delivered'
                                  ELSE 'sent' END AS status) AS s
  ORDER BY g`;
};

async function generate(context: SectionContext, bench: BenchApp, url: string, raw: Raw) {
  await publishTemplate(bench.app);
  const { customerId, copies } = await deliverRealCopies(bench.app, raw);
  const [template] = await raw.query<{ templateId: string; versionId: string }>(
    `SELECT t.id AS "templateId", v.id AS "versionId" FROM templates t JOIN template_versions v ON v.template_id = t.id
      WHERE t.key = $1 AND v.status = 'published'`,
    [TEMPLATE_KEY],
  );
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => {});
  await client.connect();
  try {
    context.log(
      `portal: generating ${CUSTOMERS.toLocaleString('en-US')} customers and ${COMMUNICATIONS.toLocaleString('en-US')} communications, ${OWN.toLocaleString('en-US')} of them to ${EMAIL}`,
    );
    await client.query(`
      INSERT INTO customers (kind, name, emails, language, time_zone, lifecycle_stage, created_at, updated_at)
      SELECT 'person', 'Customer ' || g, ARRAY['customer' || g || '@example.com'], 'en', 'Europe/Berlin', 'active', now(), now()
      FROM generate_series(1, ${CUSTOMERS}) AS g`);
    const start = now();
    await client.query(GENERATE(customerId, copies, template!.templateId, template!.versionId));
    const insertMs = elapsedMs(start);
    await client.query('ANALYZE communications');
    await client.query('ANALYZE customers');
    const [size] = (
      await client.query<{ heap: string; indexes: string }>(
        `SELECT pg_size_pretty(pg_table_size('communications')) AS heap, pg_size_pretty(pg_indexes_size('communications')) AS indexes`,
      )
    ).rows;
    context.record({
      name: `generate ${COMMUNICATIONS.toLocaleString('en-US')} communications (INSERT … SELECT, indexes kept)`,
      value: COMMUNICATIONS / (insertMs / 1000),
      unit: 'rows/s',
      details: { table: size?.heap ?? '?', 'index size': size?.indexes ?? '?' },
    });
  } finally {
    await client.end().catch(() => {});
  }
  return customerId;
}

type Answer = { status: number; body: unknown };
type Portal = { get(path: string): Promise<Answer> };

/**
 * Signs in as the customer through the real flow: asks for the link, runs the jobs that send it,
 * reads the token from the archived email, and opens a session with it.
 */
async function signIn(app: App, raw: Raw, baseUrl: string): Promise<Portal> {
  const asked = await fetch(`${baseUrl}/api/portal/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: EMAIL }),
  });
  if (asked.status !== 202) throw new Error(`portal: sign-in answered ${asked.status}: ${await asked.text()}`);
  await app.worker.drain();
  const [mail] = await raw.query<{ sha256: string }>(
    `SELECT c.archive_sha256 AS sha256 FROM communications c JOIN templates t ON t.id = c.template_id
      WHERE t.key = $1 AND c.address = $2 AND c.archive_sha256 IS NOT NULL`,
    [PORTAL_SIGN_IN_TEMPLATE, EMAIL],
  );
  if (!mail) throw new Error('portal: no sign-in email was archived');
  const text = (await simpleParser(await app.blobs.read(mail.sha256))).text ?? '';
  const token = /\/portal\/sign-in#([\w-]+)/.exec(text)?.[1];
  if (!token) throw new Error(`portal: no sign-in link in the email: ${text}`);
  const session = await fetch(`${baseUrl}/api/portal/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token }),
  });
  if (session.status !== 200) throw new Error(`portal: session answered ${session.status}: ${await session.text()}`);
  const cookie = session.headers
    .getSetCookie()
    .map((each) => each.split(';')[0])
    .join('; ');
  return {
    async get(path) {
      const response = await fetch(`${baseUrl}${path}`, { headers: { cookie } });
      const body: unknown = await response.json();
      if (response.status !== 200)
        throw new Error(`portal: GET ${path} answered ${response.status}: ${JSON.stringify(body)}`);
      return { status: response.status, body };
    },
  };
}

type Page = { items: { id: string }[]; nextCursor: string | null };

/** Walks the whole inbox once (untimed): its length checks the generated data, and it gives the deep page's cursor. */
async function walkInbox(portal: Portal, deepAt: number) {
  let cursor: string | null = null;
  let seen = 0;
  let deepCursor: string | null = null;
  do {
    const page = (await portal.get(`/api/portal/inbox${cursor ? `?cursor=${cursor}` : ''}`)).body as Page;
    seen += page.items.length;
    cursor = page.nextCursor;
    if (deepCursor === null && seen >= deepAt) deepCursor = cursor;
  } while (cursor);
  return { seen, deepCursor };
}

/** How many statements one request sends, and the plan of its query of the communications. */
async function inspect(raw: Raw, work: () => Promise<unknown>) {
  const { statements } = await captureStatements(work);
  const statement = statements.find((candidate) => /from "communications"/i.test(candidate.text));
  if (!statement) return { statements: statements.length, plan: 'statement not captured' };
  const [row] = await raw.query<{ 'QUERY PLAN': unknown }>(
    `EXPLAIN (ANALYZE, FORMAT JSON) ${statement.text}`,
    statement.values,
  );
  return { statements: statements.length, plan: summarizePlan(row!['QUERY PLAN']) };
}

/** The inbox page as bare SQL: the same rows, filter and order, without HTTP, session or shaping. */
const barePage = (after: boolean) => `
  SELECT c.id, c.channel, t.name, coalesce(c.sent_at, c.created_at) AS sent_at, c.archive_media_type
    FROM communications c JOIN templates t ON t.id = c.template_id
   WHERE ${inInbox}
     ${after ? 'AND (c.created_at, c.id) < ($2::timestamptz, $3::uuid)' : ''}
   ORDER BY c.created_at DESC, c.id DESC LIMIT ${PAGE + 1}`;

function recordCase(context: SectionContext, label: string, subject: Summary, bare: Summary, bareName: string) {
  context.record({
    name: label,
    value: subject.p95,
    unit: 'ms p95',
    baseline: { name: bareName, value: bare.p95, unit: 'ms p95' },
    ratio: ratio(subject.p95, bare.p95),
    details: {
      p50: ms(subject.p50),
      'bare p50': ms(bare.p50),
      'ratio p50': ratio(subject.p50, bare.p50)?.toFixed(1) ?? '—',
      max: ms(subject.max),
    },
  });
}

async function benchInbox(context: SectionContext, app: App, raw: Raw, baseUrl: string, customerId: string) {
  const portal = await signIn(app, raw, baseUrl);
  const [{ visible }] = (await raw.query<{ visible: number }>(
    `SELECT count(*)::int AS visible FROM communications c JOIN templates t ON t.id = c.template_id WHERE ${inInbox}`,
    [customerId],
  )) as [{ visible: number }];
  const { seen, deepCursor } = await walkInbox(portal, Math.floor(visible * DEEP));
  if (seen !== visible) throw new Error(`portal: the inbox listed ${seen} items; ${visible} reached the customer`);
  if (!deepCursor) throw new Error('portal: the inbox has no deep page');
  const deepBound = decodeCursor(deepCursor, ['timestamptz', 'uuid']);
  context.log(
    `portal: ${visible.toLocaleString('en-US')} items in the inbox; the deep page starts after ${deepBound[0]}`,
  );

  // What any request costs here before it does anything: the floor under every ratio below.
  const floor = await timeRuns(
    RUNS,
    () => fetch(`${baseUrl}/healthz`).then((response) => response.arrayBuffer()),
    WARMUP,
  );
  context.record({
    name: 'GET /healthz over the same HTTP (reference)',
    value: floor.p95,
    unit: 'ms p95',
    details: { p50: ms(floor.p50), max: ms(floor.max) },
  });

  const first = await timeRuns(RUNS, () => portal.get('/api/portal/inbox'), WARMUP);
  const bareFirst = await timeRuns(RUNS, () => raw.query(barePage(false), [customerId]), WARMUP);
  recordCase(context, `inbox, first page (${PAGE} items)`, first, bareFirst, 'bare SQL of the page');

  const deepPath = `/api/portal/inbox?cursor=${deepCursor}`;
  const deep = await timeRuns(RUNS, () => portal.get(deepPath), WARMUP);
  const bareDeep = await timeRuns(RUNS, () => raw.query(barePage(true), [customerId, ...deepBound]), WARMUP);
  const depth = Math.floor(visible * DEEP).toLocaleString('en-US');
  recordCase(context, `inbox, deep page (after item ~${depth}, by cursor)`, deep, bareDeep, 'bare SQL of the page');

  // Items of every channel from all over the customer's two years, read in turn.
  const bareItem = `SELECT c.id, c.channel, t.name, c.sent_at, c.archive_media_type, c.archive_sha256
      FROM communications c JOIN templates t ON t.id = c.template_id
     WHERE ${inInbox} AND c.id = $2`;
  for (const channel of channels) {
    const ids = (
      await raw.query<{ id: string }>(
        `SELECT c.id FROM communications c JOIN templates t ON t.id = c.template_id
          WHERE ${inInbox} AND c.channel = $2 ORDER BY hashtext(c.id::text) LIMIT 50`,
        [customerId, channel],
      )
    ).map((row) => row.id);
    const read = await timeRuns(
      RUNS,
      (run) => portal.get(`/api/portal/communications/${ids[run % ids.length]}`),
      WARMUP,
    );
    const bare = await timeRuns(RUNS, (run) => raw.query(bareItem, [customerId, ids[run % ids.length]]), WARMUP);
    recordCase(context, `one communication (${channel}, read from its copy)`, read, bare, 'bare SQL of the row');
  }

  const { statements, plan } = await inspect(raw, () => portal.get(deepPath));
  context.log(`the deep page: ${statements} statements; ${plan}`);
  context.note(`portal: a deep inbox page sends ${statements} statements; EXPLAIN ANALYZE of its page query: ${plan}`);
}

export const portalSection: Section = {
  name: 'portal',
  title: `The customer portal's inbox for a customer with ${OWN.toLocaleString('en-US')} communications among ${COMMUNICATIONS.toLocaleString('en-US')} (PostgreSQL)`,
  async run(context) {
    await withBenchPostgres(context, 'portal', async ({ url, raw }) => {
      let bench: BenchApp | undefined;
      let server: Awaited<ReturnType<typeof startHttp>>['server'] | undefined;
      try {
        const storage = await openStorage({ databaseUrl: url });
        // The worker is never started: `drain` runs the deliveries and the sign-in email when asked.
        bench = await startApp({ storage, workers: 1 });
        const customerId = await generate(context, bench, url, raw);
        const http = await startHttp(bench.app);
        server = http.server;
        await benchInbox(context, bench.app, raw, http.baseUrl, customerId);
        context.note(
          `portal: ${COMMUNICATIONS.toLocaleString('en-US')} generated communications over ${CUSTOMERS.toLocaleString('en-US')} customers and two years, ${OWN.toLocaleString('en-US')} to the measured customer (1 in 20 never reached them), pointing at real archived copies made by the delivery pipeline; ` +
            `each request over HTTP with the customer's portal session (signed in through the emailed link), ${RUNS} runs after ${WARMUP} unmeasured; bare = the same rows by SQL from the bench's own pool; ratio = p95/p95.`,
        );
      } finally {
        await server?.close().catch(() => {});
        await bench?.close().catch(() => {});
      }
    });
  },
};
