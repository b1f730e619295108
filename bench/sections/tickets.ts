import pg from 'pg';
import { openStorage } from '../../src/db/database.js';
import type { Actor } from '../../src/shared/actor.js';
import type { ListTicketsQuery } from '../../src/tickets/tickets.schemas.js';
import { startApp, type BenchApp } from '../support/app.js';
import { withBenchPostgres, type Raw } from '../support/postgres.js';
import type { Section, SectionContext } from '../support/report.js';
import { captureStatements, summarizePlan } from '../support/sql-capture.js';
import { elapsedMs, now, ratio, timeRuns } from '../support/stats.js';

const TICKETS = Number(process.env.BENCH_TICKETS ?? 1_000_000);
const CUSTOMERS = 100_000;
const AGENTS = 20;
const QUEUES = 5;
const RUNS = 40;
const WARMUP = 3;
const PAGE = 50;
/** The goal of the service-desk issue: an agent's inbox and ticket search answer within this at p95. */
const GOAL_P95_MS = 50;

const system: Actor = { kind: 'system', label: 'bench' };

const WORDS = [
  'invoice',
  'tariff',
  'letter',
  'refund',
  'meter',
  'reading',
  'address',
  'payment',
  'direct debit',
  'contract',
  'cancellation',
  'fax',
  'portal',
  'password',
  'amount',
];

/**
 * One statement: the tickets of a service desk that has run for two years, inserted oldest first as
 * they would have been. Those of the last two weeks are still being worked (new, open, pending the
 * customer) and 1 in 200 older ones waits on its customer; the rest are resolved or closed. The
 * other attributes come from a hash of the row number, so that no two of them line up.
 */
const GENERATE = (agents: string[], queues: string[]) => `
  INSERT INTO tickets (kind, subject, customer_id, source, queue_id, assignee_id, priority, status, created_by,
                       created_at, updated_at, first_response_due_at, resolution_due_at, first_responded_at, resolved_at, closed_at)
  SELECT (ARRAY['request', 'inquiry', 'complaint'])[1 + h % 3],
         initcap((ARRAY[${WORDS.map((word) => `'${word}'`).join(', ')}])[1 + (h / 3) % ${WORDS.length}]) || ' question ' || g,
         c.ids[1 + (h / 7) % ${CUSTOMERS}],
         (ARRAY['email', 'phone', 'portal', 'letter_scan', 'api'])[1 + (h / 45) % 5],
         (ARRAY[${queues.map((id) => `'${id}'::uuid`).join(', ')}])[1 + (h / 11) % ${queues.length}],
         CASE WHEN (h / 13) % 4 = 0 THEN NULL ELSE (ARRAY[${agents.map((id) => `'${id}'::uuid`).join(', ')}])[1 + (h / 17) % ${agents.length}] END,
         (ARRAY['low', 'normal', 'normal', 'high', 'urgent'])[1 + (h / 19) % 5],
         s.status,
         'bench',
         s.created, s.created,
         s.created + interval '8 hours',
         s.created + interval '3 days',
         CASE WHEN s.status = 'new' THEN NULL ELSE s.created + interval '2 hours' END,
         CASE WHEN s.status IN ('resolved', 'closed') THEN s.created + interval '1 day' END,
         CASE WHEN s.status = 'closed' THEN s.created + interval '8 days' END
  FROM (SELECT array_agg(id) AS ids FROM customers) AS c,
       generate_series(1, ${TICKETS}) AS g
  CROSS JOIN LATERAL (SELECT abs(hashint4(g)) AS h,
                             now() - (${TICKETS} - g) * interval '730 days' / ${TICKETS} AS created) AS a
  CROSS JOIN LATERAL (SELECT a.created,
                             CASE WHEN a.created > now() - interval '14 days'
                                    THEN (ARRAY['new', 'open', 'open', 'pending_customer'])[1 + (h / 23) % 4]
                                  WHEN h % 200 = 0 THEN 'pending_customer'
                                  WHEN (h / 29) % 10 < 4 THEN 'resolved'
                                  ELSE 'closed' END AS status) AS s
  ORDER BY g`;

const ms = (value: number) => `${value.toFixed(value < 10 ? 2 : 1)} ms`;

const timed = (runs: number, work: (run: number) => Promise<unknown>, warmup = WARMUP) => timeRuns(runs, work, warmup);

async function explainSlowest(raw: Raw, work: () => Promise<unknown>): Promise<string> {
  const { statements } = await captureStatements(work);
  const statement = statements.find((candidate) => /from "tickets"/i.test(candidate.text));
  if (!statement) return 'statement not captured';
  const [row] = await raw.query<{ 'QUERY PLAN': unknown }>(
    `EXPLAIN (ANALYZE, FORMAT JSON) ${statement.text}`,
    statement.values,
  );
  return summarizePlan(row!['QUERY PLAN']);
}

async function generate(context: SectionContext, bench: BenchApp, url: string) {
  const { users, teams, queues } = bench.app.services;
  const agents: string[] = [];
  for (let n = 0; n < AGENTS; n++) {
    const user = await users.create(system, {
      email: `agent${n}@bench.local`,
      name: `Agent ${n}`,
      roles: ['agent'],
      password: 'bench-password-1',
    });
    agents.push(user.id);
  }
  const queueIds: string[] = [];
  for (let n = 0; n < QUEUES; n++) {
    const team = await teams.create(system, {
      name: `Desk ${n}`,
      description: '',
      memberIds: agents.filter((_, index) => index % QUEUES === n),
    });
    queueIds.push(
      (
        await queues.create(system, {
          name: `Queue ${n}`,
          description: '',
          teamId: team.id,
          leadUserId: null,
          assignment: 'manual',
        })
      ).id,
    );
  }
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => {});
  await client.connect();
  try {
    context.log(
      `tickets: generating ${CUSTOMERS.toLocaleString('en-US')} customers and ${TICKETS.toLocaleString('en-US')} tickets`,
    );
    await client.query(`
      INSERT INTO customers (kind, name, emails, language, time_zone, lifecycle_stage, created_at, updated_at)
      SELECT 'person', 'Customer ' || g, ARRAY['customer' || g || '@example.com'], 'en', 'Europe/Berlin', 'active', now(), now()
      FROM generate_series(1, ${CUSTOMERS}) AS g`);
    const start = now();
    await client.query(GENERATE(agents, queueIds));
    const insertMs = elapsedMs(start);
    await client.query('ANALYZE tickets');
    await client.query('ANALYZE customers');
    const [size] = (
      await client.query<{ heap: string; indexes: string }>(
        `SELECT pg_size_pretty(pg_table_size('tickets')) AS heap, pg_size_pretty(pg_indexes_size('tickets')) AS indexes`,
      )
    ).rows;
    context.record({
      name: `generate ${TICKETS.toLocaleString('en-US')} tickets (INSERT … SELECT, indexes kept)`,
      value: TICKETS / (insertMs / 1000),
      unit: 'rows/s',
      details: { table: size?.heap ?? '?', 'index size': size?.indexes ?? '?' },
    });
  } finally {
    await client.end().catch(() => {});
  }
  return agents;
}

async function benchInbox(context: SectionContext, bench: BenchApp, raw: Raw, agentId: string) {
  const { tickets } = bench.app.services;
  const user = await bench.app.services.users.get(system, agentId);
  const agent: Actor = { kind: 'user', userId: agentId, email: user.email, roles: user.roles, via: 'token' };
  const list = (extra: Partial<ListTicketsQuery>) =>
    tickets.list(agent, { view: 'all', status: undefined, limit: PAGE, ...extra });

  const bareSql = `SELECT * FROM tickets WHERE status IN ('new', 'open', 'pending_customer') ORDER BY created_at DESC, id DESC LIMIT ${PAGE + 1}`;
  const bare = await timed(RUNS, () => raw.query(bareSql));
  context.record({
    name: 'bare first page of open tickets, newest first (baseline)',
    value: bare.p50,
    unit: 'ms p50',
    details: { p95: ms(bare.p95), max: ms(bare.max) },
  });

  const cases: [string, () => Promise<unknown>][] = [
    ['inbox counts (every view of the agent)', () => tickets.counts(agent)],
    ['list view=all status=open', () => list({ status: ['new', 'open', 'pending_customer'] })],
    ['list view=mine', () => list({ view: 'mine' })],
    ['list view=team', () => list({ view: 'team' })],
    ['list view=unassigned', () => list({ view: 'unassigned' })],
    ['list view=breaching', () => list({ view: 'breaching' })],
    ['list view=breached', () => list({ view: 'breached' })],
    ['search q=#<number>', () => list({ q: `#${Math.floor(TICKETS / 2)}` })],
    ['search q=<subject word>', () => list({ q: 'refund' })],
    ['search q=<rare subject text>', () => list({ q: `question ${Math.floor(TICKETS / 3)}` })],
  ];
  const plans: string[] = [];
  for (const [label, work] of cases) {
    const summary = await timed(RUNS, work);
    context.record({
      name: `tickets: ${label}`,
      value: summary.p50,
      unit: 'ms p50',
      baseline: { name: 'bare open page', value: bare.p50, unit: 'ms p50' },
      ratio: ratio(summary.p50, bare.p50),
      details: {
        p95: ms(summary.p95),
        max: ms(summary.max),
        goal: `p95 < ${GOAL_P95_MS} ms: ${summary.p95 < GOAL_P95_MS ? 'met' : 'missed'}`,
      },
    });
    if (summary.p95 >= GOAL_P95_MS) plans.push(`${label}: ${await explainSlowest(raw, work)}`);
  }
  for (const plan of plans) context.log(`plan: ${plan}`);
  if (plans.length > 0) context.note(`tickets: EXPLAIN ANALYZE of the views over the goal: ${plans.join(' || ')}`);
}

export const ticketsSection: Section = {
  name: 'tickets',
  title: `The agent inbox and ticket search at ${TICKETS.toLocaleString('en-US')} tickets (PostgreSQL), p95 goal ${GOAL_P95_MS} ms`,
  async run(context) {
    await withBenchPostgres(context, 'tickets', async ({ url, raw }) => {
      let bench: BenchApp | undefined;
      try {
        const storage = await openStorage({ databaseUrl: url });
        bench = await startApp({ storage, workers: 0 });
        const agents = await generate(context, bench, url);
        await benchInbox(context, bench, raw, agents[1]!);
        context.note(
          `tickets: ${TICKETS.toLocaleString('en-US')} generated tickets over ${CUSTOMERS.toLocaleString('en-US')} customers, ${AGENTS} agents in ${QUEUES} queues, the last two weeks and 1 in 200 older tickets open; ` +
            `latencies through app.services as an agent, ${RUNS} runs after ${WARMUP} unmeasured; ratio = service/bare.`,
        );
      } finally {
        await bench?.close().catch(() => {});
      }
    });
  },
};
