import os from 'node:os';
import pg from 'pg';
import { openStorage } from '../../src/db/database.js';
import { kpiDefinitions } from '../../src/insights/kpis/kpi-registry.js';
import type { Actor } from '../../src/shared/actor.js';
import { createAdminToken, startApp, startHttp, type BenchApp } from '../support/app.js';
import { withBenchPostgres, type Raw } from '../support/postgres.js';
import type { Section, SectionContext } from '../support/report.js';
import { captureStatements, summarizePlan } from '../support/sql-capture.js';
import { elapsedMs, now, timeRuns } from '../support/stats.js';

const COMMUNICATIONS = Number(process.env.BENCH_INSIGHTS_COMMUNICATIONS ?? 1_000_000);
const TICKETS = Number(process.env.BENCH_INSIGHTS_TICKETS ?? 100_000);
const CUSTOMERS = 100_000;
const TEMPLATES = 6;
const RUNS_PER_TEMPLATE = 4;
const RUNS = Number(process.env.BENCH_INSIGHTS_RUNS ?? 20);
const WARMUP = 2;
/** What a browser opens to one host at once over HTTP/1.1: the board's requests queue behind six. */
const BROWSER_CONNECTIONS = 6;
/** The goal of the insights issue: the whole board within this. */
const GOAL_BOARD_MS = 1000;
/** The board's default: 12 weeks, by week. */
const BOARD_DAYS = 84;

const system: Actor = { kind: 'system', label: 'bench' };
const ms = (value: number) => `${value.toFixed(value < 10 ? 2 : 1)} ms`;

/**
 * A year of communications, oldest first, over six templates, 60 % of them in
 * a batch run of a segment; statuses and channels as a utility sends them (most emails, a fifth
 * letters, some fax, portal and SMS), each sent one at its channel's default rate. Attributes come
 * from a hash of the row number so they do not line up.
 */
type Version = { templateId: string; versionId: string; purpose: string };
const uuids = (values: string[]) => `ARRAY[${values.map((id) => `'${id}'`).join(', ')}]::uuid[]`;
const texts = (values: string[]) => `ARRAY[${values.map((value) => `'${value}'`).join(', ')}]`;

const COMMUNICATIONS_SQL = (versions: Version[], runs: ({ id: string } & Version)[]) => `
  INSERT INTO communications (customer_id, template_id, template_version_id, purpose, batch_run_id, status, channel,
                              created_by, created_at, updated_at, sent_at, cost_millicents)
  SELECT CASE WHEN x.in_run THEN c.ids[1 + (g / ${runs.length}) % ${CUSTOMERS}] ELSE c.ids[1 + (h / 7) % ${CUSTOMERS}] END,
         CASE WHEN x.in_run THEN (${uuids(runs.map((run) => run.templateId))})[x.r] ELSE (${uuids(versions.map((v) => v.templateId))})[x.v] END,
         CASE WHEN x.in_run THEN (${uuids(runs.map((run) => run.versionId))})[x.r] ELSE (${uuids(versions.map((v) => v.versionId))})[x.v] END,
         CASE WHEN x.in_run THEN (${texts(runs.map((run) => run.purpose))})[x.r] ELSE (${texts(versions.map((v) => v.purpose))})[x.v] END,
         CASE WHEN x.in_run THEN (${uuids(runs.map((run) => run.id))})[x.r] END,
         s.status, s.channel, 'bench', a.created, a.created,
         CASE WHEN s.status IN ('sent', 'delivered', 'bounced') THEN a.created + interval '1 minute' END,
         CASE WHEN s.status IN ('sent', 'delivered', 'bounced')
              THEN (ARRAY[100, 85000, 5000, 0, 7000])[array_position(ARRAY['email', 'letter', 'fax', 'portal', 'sms'], s.channel)] END
  FROM (SELECT array_agg(id) AS ids FROM customers) AS c,
       generate_series(1, ${COMMUNICATIONS}) AS g
  CROSS JOIN LATERAL (SELECT abs(hashint4(g)) AS h,
                             now() - (${COMMUNICATIONS} - g) * interval '365 days' / ${COMMUNICATIONS} AS created) AS a
  CROSS JOIN LATERAL (SELECT (h / 3) % 10 < 6 AS in_run, 1 + g % ${runs.length} AS r, 1 + (h / 11) % ${versions.length} AS v) AS x
  CROSS JOIN LATERAL (SELECT (ARRAY['sent', 'sent', 'sent', 'sent', 'sent', 'sent', 'sent', 'delivered', 'delivered',
                                    'failed', 'bounced', 'suppressed'])[1 + (h / 13) % 12] AS status,
                             (ARRAY['email', 'email', 'email', 'email', 'email', 'email', 'letter', 'letter', 'fax',
                                    'portal', 'sms'])[1 + (h / 17) % 11] AS channel) AS s
  ORDER BY g`;

/** The hand-over of every sent one, and a bounce after it for the bounced. */
const ATTEMPTS_SQL = `
  INSERT INTO communication_attempts (communication_id, channel, outcome, detail, at)
  SELECT c.id, c.channel, o.outcome, 'bench', c.sent_at + o.later
  FROM communications c
  CROSS JOIN LATERAL (VALUES ('handed_over', interval '0'), ('bounced', interval '1 hour')) AS o(outcome, later)
  WHERE c.status IN ('sent', 'delivered', 'bounced') AND (o.outcome = 'handed_over' OR c.status = 'bounced')
  ORDER BY c.sent_at`;

/**
 * Tickets over the same year: two in five about a communication (its customer, a tenth of those a
 * complaint), the rest not; resolved a day after, the last two weeks still open.
 */
const TICKETS_SQL = (queues: string[]) => `
  INSERT INTO tickets (kind, subject, customer_id, source, queue_id, priority, status, created_by, created_at, updated_at,
                       first_response_due_at, resolution_due_at, first_responded_at, resolved_at, communication_id)
  SELECT t.kind, 'Question ' || t.n, t.customer_id, 'email',
         (ARRAY[${queues.map((id) => `'${id}'::uuid`).join(', ')}])[1 + (t.h / 11) % ${queues.length}], 'normal',
         CASE WHEN t.created > now() - interval '14 days' THEN 'open' ELSE 'resolved' END, 'bench', t.created, t.created,
         t.created + interval '8 hours', t.created + interval '3 days', t.created + interval '2 hours',
         CASE WHEN t.created <= now() - interval '14 days' THEN t.created + interval '1 day' END, t.communication_id
  FROM (
    (SELECT row_number() OVER () AS n, abs(hashtext(c.id::text)) AS h, c.customer_id, c.id AS communication_id,
           CASE WHEN abs(hashtext(c.id::text)) % 10 = 0 THEN 'complaint' ELSE 'inquiry' END AS kind,
           c.created_at + interval '2 days' AS created
    FROM communications c
    WHERE abs(hashtext(c.id::text)) % ${Math.max(1, Math.floor(COMMUNICATIONS / (TICKETS * 0.4)))} = 0
    LIMIT ${Math.floor(TICKETS * 0.4)})
    UNION ALL
    SELECT ${Math.floor(TICKETS * 0.4)} + g, abs(hashint4(g)), ids[1 + abs(hashint4(g)) % ${CUSTOMERS}], NULL, 'request',
           now() - (${TICKETS} - g) * interval '365 days' / ${TICKETS}
    FROM (SELECT array_agg(id) AS ids FROM customers) AS c, generate_series(1, ${TICKETS - Math.floor(TICKETS * 0.4)}) AS g
  ) AS t
  WHERE t.created < now()`;

async function generate(context: SectionContext, bench: BenchApp, url: string) {
  const { templates, segments, teams, queues, knowledgeCategories, knowledgeArticles, goals } = bench.app.services;
  const segment = await segments.create(system, { name: 'Insights bench', filter: { tagsAll: ['insights-bench'] } });
  const versions: Version[] = [];
  for (let n = 0; n < TEMPLATES; n++) {
    const purpose = n % 3 === 2 ? 'marketing' : 'service';
    const key = `insights-bench-${n}`;
    const variants = {
      en: { email: { subject: `Notice ${n}`, body: 'Dear {{ customer.name }}.', format: 'markdown' as const } },
    };
    const created = await templates.create(system, {
      key,
      name: `Notice ${n}`,
      purpose,
      defaultLanguage: 'en',
      variants,
    });
    versions.push({ templateId: created.template.id, versionId: created.version.id, purpose });
  }
  const queueIds: string[] = [];
  const teamIds: string[] = [];
  for (let n = 0; n < 4; n++) {
    const team = await teams.create(system, { name: `Insights desk ${n}`, description: '', memberIds: [] });
    teamIds.push(team.id);
    const queue = await queues.create(system, {
      name: `Insights queue ${n}`,
      description: '',
      teamId: team.id,
      leadUserId: null,
      assignment: 'manual',
    });
    queueIds.push(queue.id);
  }
  const category = await knowledgeCategories.create(system, { name: 'Insights bench' });
  const article = await knowledgeArticles.create(system, {
    title: 'Reading your meter',
    visibility: 'public',
    categoryId: category.id,
    body: 'Look at the dial.',
    tags: [],
    changeNote: '',
  });

  const client = new pg.Client({ connectionString: url });
  client.on('error', () => {});
  await client.connect();
  try {
    await client.query(`
      INSERT INTO customers (kind, name, emails, language, time_zone, lifecycle_stage, created_at, updated_at)
      SELECT 'person', 'Customer ' || g, ARRAY['customer' || g || '@example.com'], 'en', 'Europe/Berlin', 'active', now(), now()
      FROM generate_series(1, ${CUSTOMERS}) AS g`);
    const runs: ({ id: string } & Version)[] = [];
    for (const version of versions)
      for (let r = 1; r <= RUNS_PER_TEMPLATE; r++) {
        const inserted = await client.query<{ id: string }>(
          `INSERT INTO batch_runs (template_id, template_version_id, segment_id, status, scheduled_at, created_by, created_at)
           VALUES ($1, $2, $3, 'completed', now() - $4 * interval '80 days', 'bench', now() - $4 * interval '80 days')
           RETURNING id`,
          [version.templateId, version.versionId, segment.id, r],
        );
        runs.push({ id: inserted.rows[0]!.id, ...version });
      }
    context.log(
      `insights: generating ${COMMUNICATIONS.toLocaleString('en-US')} communications and ${TICKETS.toLocaleString('en-US')} tickets`,
    );
    const start = now();
    await client.query(COMMUNICATIONS_SQL(versions, runs));
    await client.query(ATTEMPTS_SQL);
    await client.query(TICKETS_SQL(queueIds));
    // Withdrawals of marketing consent by one customer in fifty, and a year of help-centre answers.
    await client.query(`
      INSERT INTO consent_events (customer_id, channel, purpose, granted, source, recorded_by, at)
      SELECT id, 'email', 'marketing', false, 'form', 'bench', now() - (abs(hashtext(id::text)) % 365) * interval '1 day'
      FROM customers WHERE abs(hashtext(id::text)) % 50 = 0`);
    await client.query(`
      INSERT INTO knowledge_feedback (article_id, day, helpful, not_helpful)
      SELECT '${article.id}'::uuid, (now() - d * interval '1 day')::date, 1 + d % 7, d % 3 FROM generate_series(0, 364) AS d`);
    const insertMs = elapsedMs(start);
    for (const table of ['customers', 'communications', 'communication_attempts', 'tickets', 'consent_events'])
      await client.query(`ANALYZE ${table}`);
    context.record({
      name: `generate ${COMMUNICATIONS.toLocaleString('en-US')} communications, their attempts and ${TICKETS.toLocaleString('en-US')} tickets`,
      value: insertMs / 1000,
      unit: 's',
    });
  } finally {
    await client.end().catch(() => {});
  }
  // The board shows goals with their progress: a company goal and a team goal under it.
  const today = new Date().toISOString().slice(0, 10);
  const quarterAgo = new Date(Date.now() - 90 * 86_400_000).toISOString().slice(0, 10);
  const company = await goals.create(system, {
    name: 'Complaint rate under 2 %',
    kpiKey: 'complaint_rate',
    filters: {},
    target: 2,
    periodStart: quarterAgo,
    periodEnd: today,
    ownerTeamId: teamIds[0],
    driver: 'bench',
  });
  await goals.create(system, {
    name: 'Backlog under 500',
    kpiKey: 'backlog',
    filters: { teamId: teamIds[1]! },
    target: 500,
    periodStart: quarterAgo,
    periodEnd: today,
    ownerTeamId: teamIds[1],
    driver: 'bench',
    parentId: company.id,
  });
  return { templateId: versions[0]!.templateId };
}

/** The board's period: 12 weeks up to the start of tomorrow (UTC), by week, as the web app asks it. */
function boardPeriod() {
  const today = new Date();
  const to = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() + 1));
  return { from: new Date(to.getTime() - BOARD_DAYS * 86_400_000), to, bucket: 'week' as const };
}

async function explainSlowest(raw: Raw, work: () => Promise<unknown>): Promise<string> {
  const { statements } = await captureStatements(work);
  const slowest = statements.find((candidate) => /with facts as|from \(/i.test(candidate.text)) ?? statements[0];
  if (!slowest) return 'statement not captured';
  const [row] = await raw.query<{ 'QUERY PLAN': unknown }>(
    `EXPLAIN (ANALYZE, FORMAT JSON) ${slowest.text}`,
    slowest.values,
  );
  return summarizePlan(row!['QUERY PLAN']);
}

/**
 * The rollup job's refresh: the first of a day sums every day again, the next ones only the
 * settling days (and what changed since); both before the KPIs are read, as a running server has.
 */
async function benchRollup(context: SectionContext, bench: BenchApp) {
  const { kpiRollup } = bench.app.services;
  for (const label of [
    'KPI rollup: first refresh of the day (every day of every KPI)',
    'KPI rollup: a later refresh (settling days)',
  ]) {
    const start = now();
    await kpiRollup.refresh();
    context.record({ name: label, value: elapsedMs(start) / 1000, unit: 's' });
  }
}

/** Each KPI as the board asks it (series and totals of the default period), p50 and p95. */
async function benchKpis(context: SectionContext, bench: BenchApp, raw: Raw) {
  const { insights } = bench.app.services;
  const period = boardPeriod();
  const plans: string[] = [];
  for (const definition of kpiDefinitions) {
    const work = () => insights.series(system, definition.key, { ...period, filters: {} });
    const summary = await timeRuns(RUNS, work, WARMUP);
    context.record({
      name: `KPI ${definition.key} (12 weeks by week)`,
      value: summary.p95,
      unit: 'ms p95',
      details: { p50: ms(summary.p50), max: ms(summary.max) },
    });
    if (summary.p95 > GOAL_BOARD_MS / 4) plans.push(`${definition.key}: ${await explainSlowest(raw, work)}`);
  }
  for (const plan of plans) context.log(`plan: ${plan}`);
  if (plans.length > 0) context.note(`insights: EXPLAIN ANALYZE of the KPIs over 250 ms: ${plans.join(' || ')}`);
}

/**
 * The board as a browser loads it over HTTP: the KPI list and the goals, then every KPI's series,
 * six requests at a time; the time until the last answer.
 */
async function benchBoard(context: SectionContext, bench: BenchApp, token: string, variant = '') {
  const { server, baseUrl } = await startHttp(bench.app);
  try {
    const headers = { authorization: `Bearer ${token}` };
    const get = async (path: string) => {
      const response = await fetch(`${baseUrl}${path}`, { headers });
      if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
      return response.json() as Promise<unknown>;
    };
    const period = boardPeriod();
    const query = `from=${period.from.toISOString()}&to=${period.to.toISOString()}&bucket=${period.bucket}`;
    const load = async () => {
      const first = [get('/api/insights/kpis'), get('/api/goals')];
      const [{ kpis }] = (await Promise.all(first)) as [{ kpis: { key: string }[] }];
      const waiting = kpis.map((kpi) => `/api/insights/kpis/${kpi.key}?${query}`);
      const lanes = Array.from({ length: BROWSER_CONNECTIONS }, async () => {
        for (let path = waiting.shift(); path; path = waiting.shift()) await get(path);
      });
      await Promise.all(lanes);
    };
    const summary = await timeRuns(Math.min(10, RUNS), load, WARMUP);
    context.record({
      name: `the whole board over HTTP (${kpiDefinitions.length} KPIs, goals, ${BROWSER_CONNECTIONS} at a time)${variant}`,
      value: summary.p95,
      unit: 'ms p95',
      details: {
        p50: ms(summary.p50),
        max: ms(summary.max),
        goal: `< ${GOAL_BOARD_MS} ms: ${summary.p95 < GOAL_BOARD_MS ? 'met' : 'missed'}`,
      },
    });
  } finally {
    await server.close();
  }
}

/** A run's and a template's return, as their pages ask it. */
async function benchRoi(context: SectionContext, bench: BenchApp, raw: Raw, templateId: string) {
  const { roi } = bench.app.services;
  const [run] = await raw.query<{ id: string }>(`SELECT id FROM batch_runs ORDER BY created_at DESC LIMIT 1`);
  for (const [label, work] of [
    ['ROI of a batch run against letters', () => roi.run(system, run!.id, { kind: 'channel', channel: 'letter' })],
    [
      'ROI of a template and its versions',
      () => roi.template(system, templateId, { kind: 'channel', channel: 'letter' }),
    ],
  ] as const) {
    const summary = await timeRuns(Math.min(10, RUNS), work, 1);
    context.record({ name: label, value: summary.p95, unit: 'ms p95', details: { p50: ms(summary.p50) } });
  }
}

export const insightsSection: Section = {
  name: 'insights',
  title: `The insights board and each KPI at ${COMMUNICATIONS.toLocaleString('en-US')} communications and ${TICKETS.toLocaleString('en-US')} tickets (PostgreSQL), board goal ${GOAL_BOARD_MS} ms`,
  async run(context) {
    await withBenchPostgres(context, 'insights', async ({ url, raw }) => {
      let bench: BenchApp | undefined;
      try {
        const storage = await openStorage({ databaseUrl: url });
        bench = await startApp({ storage, workers: 0 });
        const { templateId } = await generate(context, bench, url);
        await benchRollup(context, bench);
        const load = os
          .loadavg()
          .map((value) => value.toFixed(2))
          .join(' ');
        context.log(`insights: load average before the KPIs: ${load}`);
        await benchKpis(context, bench, raw);
        const token = await createAdminToken(bench.app);
        await benchBoard(context, bench, token);
        await benchRoi(context, bench, raw, templateId);
        context.note(
          `insights: load average ${load} before the KPIs, ${os
            .loadavg()
            .map((value) => value.toFixed(2))
            .join(' ')} after; ` +
            `${COMMUNICATIONS.toLocaleString('en-US')} communications over a year (six templates, 60 % in batch runs), ${TICKETS.toLocaleString('en-US')} tickets (40 % about a communication); ` +
            `KPIs through app.services as the board asks them (12 weeks by week, series and totals), ${RUNS} runs after ${WARMUP} unmeasured; the board over HTTP as a browser loads it.`,
        );
      } finally {
        await bench?.close().catch(() => {});
      }
    });
  },
};
