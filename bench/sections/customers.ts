import pg from 'pg';
import { openStorage } from '../../src/db/database.js';
import type { ListCustomersQuery } from '../../src/customers/customers.schemas.js';
import type { SegmentFilter } from '../../src/customers/segment-filter.js';
import type { Actor } from '../../src/shared/actor.js';
import { startApp, type BenchApp } from '../support/app.js';
import { CITIES, FAMILY_NAMES as FAMILY, GIVEN_NAMES as GIVEN, LANGUAGES, STAGES } from '../support/names.js';
import { withBenchPostgres, type Raw } from '../support/postgres.js';
import type { Section, SectionContext } from '../support/report.js';
import { captureStatements, summarizePlan } from '../support/sql-capture.js';
import { elapsedMs, now, ratio, summarize, timeRuns, type Summary } from '../support/stats.js';

const CUSTOMERS = 1_000_000;
const FUZZY_QUERIES = 50;
const SEGMENT_RUNS = 20;
const KEYSET_RUNS = 50;
const KEYSET_PAGES = 10;
/** A page halfway down the list by name is slow if the cursor is not an index bound: fewer runs. */
const DEEP_RUNS = 3;
const PAGE = 50;
/** Each measured call runs this many times first, unmeasured (plans, caches, JIT). */
const WARMUP = 3;
/**
 * `rebuild` drops the customers' secondary indexes, inserts, then creates them again (the same
 * definitions, read from pg_indexes): the end state is what the migrations leave, reached the
 * fast way. `keep` inserts with every index in place, as an import into a live table would.
 */
const INDEX_MODE = process.env.BENCH_CUSTOMERS_INDEXES === 'keep' ? 'keep' : 'rebuild';
/** For the bulk load's index builds only (the server's default is 64MB), as an operator would set it. */
const MAINTENANCE_WORK_MEM = '256MB';

const actor: Actor = { kind: 'system', label: 'bench' };

const literalArray = (values: readonly string[]) =>
  `ARRAY[${values.map((value) => `'${value.replaceAll("'", "''")}'`).join(', ')}]`;

/**
 * One statement: 1,000,000 customers, 1 in 10 an organization. Lifecycle, tags, language and
 * archiving use different moduli so that filters combine without lining up.
 */
const GENERATE = `
  INSERT INTO customers (kind, name, given_name, family_name, organization_name, emails, phones, address, language,
                         time_zone, lifecycle_stage, tags, attributes, archived_at, created_at, updated_at)
  SELECT CASE WHEN org THEN 'organization' ELSE 'person' END,
         CASE WHEN org THEN family || ' ' || (ARRAY['GmbH', 'Ltd', '& Partners', 'Group', 'Inc.'])[1 + g % 5] ELSE given || ' ' || family END,
         CASE WHEN org THEN NULL ELSE given END,
         CASE WHEN org THEN NULL ELSE family END,
         CASE WHEN org THEN family || ' ' || (ARRAY['GmbH', 'Ltd', '& Partners', 'Group', 'Inc.'])[1 + g % 5] END,
         ARRAY[translate(lower(replace(CASE WHEN org THEN 'info.' || family ELSE given || '.' || family END, ' ', '')), 'éíüá', 'eiua') || '.' || g || '@example.com'],
         CASE WHEN g % 2 = 0 THEN ARRAY['+4930' || lpad(g::text, 8, '0')] ELSE '{}'::text[] END,
         jsonb_build_object('lines', jsonb_build_array(g % 200 || ' Main Street'), 'postalCode', lpad((g % 99999)::text, 5, '0'),
                            'city', (${literalArray(CITIES)})[1 + g % ${CITIES.length}], 'country', 'DE'),
         (${literalArray(LANGUAGES)})[1 + g % ${LANGUAGES.length}],
         'Europe/Berlin',
         (${literalArray(STAGES)})[1 + g % ${STAGES.length}],
         array_remove(ARRAY[CASE WHEN g % 20 = 0 THEN 'vip' END, CASE WHEN g % 3 = 0 THEN 'newsletter' END, CASE WHEN g % 11 = 0 THEN 'b2b' END], NULL),
         jsonb_build_object('lifetimeValue', (g::bigint * 7919) % 5000, 'source', (ARRAY['web', 'shop', 'referral'])[1 + g % 3]),
         CASE WHEN g % 50 = 0 THEN now() - interval '30 days' END,
         now() - (g % 1000) * interval '1 day',
         now() - (g % 100) * interval '1 day'
  FROM generate_series(1, ${CUSTOMERS}) AS g,
       LATERAL (SELECT (${literalArray(GIVEN)})[1 + g % ${GIVEN.length}] AS given,
                       (${literalArray(FAMILY)})[1 + g % ${FAMILY.length}] AS family,
                       g % 10 = 0 AS org) AS n`;

/** An email marketing consent for 30 % of customers, granted by three in four of them. */
const CONSENTS = `
  INSERT INTO customer_consents (customer_id, channel, purpose, granted, source, at)
  SELECT id, 'email', 'marketing', h % 4 <> 0, 'import', now() - interval '90 days'
  FROM (SELECT id, abs(hashtext(id::text)) AS h FROM customers) AS c
  WHERE h % 10 < 3`;

/** Misspellings of names that exist: a swap of two letters, a dropped or doubled letter, a wrong vowel. */
function misspelledQueries(count: number): { q: string; intended: string }[] {
  const typo = (word: string, seed: number) => {
    if (word.length < 4) return word;
    const at = 1 + (seed % (word.length - 2));
    switch (seed % 4) {
      case 0:
        return word.slice(0, at) + word[at + 1] + word[at] + word.slice(at + 2);
      case 1:
        return word.slice(0, at) + word.slice(at + 1);
      case 2:
        return word.slice(0, at) + word[at] + word.slice(at);
      default:
        return word.slice(0, at) + (/[aeiou]/.test(word[at]!) ? 'y' : 'e') + word.slice(at + 1);
    }
  };
  const queries = [{ q: 'Jonh Smiht', intended: 'John Smith' }];
  for (let i = 1; queries.length < count; i++) {
    const given = GIVEN[(i * 7) % GIVEN.length]!;
    const family = FAMILY[(i * 13) % FAMILY.length]!;
    // Every fifth query is a family name alone, as people often search.
    queries.push(
      i % 5 === 0
        ? { q: typo(family, i), intended: family }
        : { q: `${typo(given, i)} ${typo(family, i + 1)}`, intended: `${given} ${family}` },
    );
  }
  return queries;
}

const timed = (runs: number, work: (run: number) => Promise<unknown>, warmup = WARMUP) => timeRuns(runs, work, warmup);

const ms = (value: number) => `${value.toFixed(value < 10 ? 2 : 1)} ms`;
const latency = (summary: Summary) => ({ p95: ms(summary.p95), max: ms(summary.max), runs: summary.count });

async function explainStatement(raw: Raw, text: string, values: unknown[] = []): Promise<string> {
  const [row] = await raw.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (ANALYZE, FORMAT JSON) ${text}`, values);
  return summarizePlan(row!['QUERY PLAN']);
}

/** Runs `work` once, capturing its SQL, and EXPLAIN ANALYZEs the statements each `pick` selects. */
async function explain(
  raw: Raw,
  work: () => Promise<unknown>,
  picks: Record<string, (text: string) => boolean>,
): Promise<string[]> {
  const { statements } = await captureStatements(work);
  const plans: string[] = [];
  for (const [label, pick] of Object.entries(picks)) {
    const statement = statements.find((candidate) => pick(candidate.text));
    plans.push(
      `${label}: ${statement ? await explainStatement(raw, statement.text, statement.values) : 'statement not captured'}`,
    );
  }
  return plans;
}

async function generate(context: SectionContext, raw: Raw, url: string) {
  // One session for the bulk load, so that its maintenance_work_mem applies to every index build.
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => {});
  await client.connect();
  const run = (text: string) => client.query(text);
  let indexes: { indexname: string; indexdef: string }[] = [];
  const indexTimes: string[] = [];
  let insertMs: number;
  let indexMs: number;
  let consentMs: number;
  let analyzeMs: number;
  try {
    await run(`SET maintenance_work_mem = '${MAINTENANCE_WORK_MEM}'`);
    if (INDEX_MODE === 'rebuild') {
      // Secondary indexes only: the primary key and the external_id unique constraint stay.
      indexes = (
        await client.query<{ indexname: string; indexdef: string }>(
          `SELECT i.indexname, i.indexdef FROM pg_indexes i
           WHERE i.schemaname = 'public' AND i.tablename = 'customers'
             AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`,
        )
      ).rows;
      for (const index of indexes) await run(`DROP INDEX "${index.indexname}"`);
    }
    context.log(
      `customers: generating ${CUSTOMERS.toLocaleString('en-US')} customers in one INSERT … SELECT (indexes: ${INDEX_MODE})`,
    );
    let start = now();
    await run(GENERATE);
    insertMs = elapsedMs(start);

    start = now();
    for (const index of indexes) {
      const one = now();
      await run(index.indexdef);
      indexTimes.push(`${index.indexname.replace(/^customers_|_idx$/g, '')} ${(elapsedMs(one) / 1000).toFixed(1)}`);
    }
    indexMs = elapsedMs(start);

    start = now();
    await run(CONSENTS);
    consentMs = elapsedMs(start);

    start = now();
    await run('ANALYZE customers');
    await run('ANALYZE customer_consents');
    analyzeMs = elapsedMs(start);
  } finally {
    await client.end().catch(() => {});
  }
  const [{ consents } = { consents: 0 }] = await raw.query<{ consents: string }>(
    'SELECT count(*) AS consents FROM customer_consents',
  );

  const [size] = await raw.query<{ heap: string; indexes: string }>(
    `SELECT pg_size_pretty(pg_table_size('customers')) AS heap, pg_size_pretty(pg_indexes_size('customers')) AS indexes`,
  );
  const totalMs = insertMs + indexMs;
  context.record({
    name: `generate ${CUSTOMERS.toLocaleString('en-US')} customers (INSERT … SELECT)`,
    value: CUSTOMERS / (totalMs / 1000),
    unit: 'rows/s',
    details: {
      insert: `${(insertMs / 1000).toFixed(1)} s`,
      ...(INDEX_MODE === 'rebuild'
        ? {
            [`then ${indexes.length} indexes`]: `${(indexMs / 1000).toFixed(1)} s (${indexTimes.join(', ')} s; maintenance_work_mem ${MAINTENANCE_WORK_MEM})`,
          }
        : { indexes: 'kept during insert' }),
      consents: `${Number(consents).toLocaleString('en-US')} rows in ${(consentMs / 1000).toFixed(1)} s`,
      analyze: `${(analyzeMs / 1000).toFixed(1)} s`,
      table: size?.heap ?? '?',
      'index size': size?.indexes ?? '?',
    },
  });
}

async function benchQueries(context: SectionContext, bench: BenchApp, raw: Raw) {
  const { customers, segments } = bench.app.services;
  const listQuery = (extra: Partial<ListCustomersQuery>): ListCustomersQuery => ({
    archived: 'false',
    sort: 'name',
    order: 'asc',
    limit: PAGE,
    ...extra,
  });
  const plans: string[] = [];

  // Segment counts: the bare count(*) of the whole table is the baseline.
  context.log(`customers: bare count(*) and ${SEGMENT_RUNS} segment evaluations per filter`);
  const bareCount = await timed(SEGMENT_RUNS, () => raw.query('SELECT count(*) FROM customers'));
  context.record({
    name: 'bare select count(*) from customers (baseline)',
    value: bareCount.p50,
    unit: 'ms p50',
    details: latency(bareCount),
  });
  plans.push(`bare count(*): ${await explainStatement(raw, 'SELECT count(*) FROM customers')}`);

  const filters: [string, SegmentFilter][] = [
    ['lifecycle=active', { lifecycle: ['active'] }],
    ["tagsAny=['vip']", { tagsAny: ['vip'] }],
    [
      'consent email/marketing + lifecycle=active',
      { consent: { purpose: 'marketing', channel: 'email' }, lifecycle: ['active'] },
    ],
  ];
  for (const [label, filter] of filters) {
    let matched = 0;
    const summary = await timed(SEGMENT_RUNS, async () => {
      const result = await segments.evaluate(actor, filter);
      matched = result.count;
    });
    context.record({
      name: `segments.evaluate ${label} (count + preview)`,
      value: summary.p50,
      unit: 'ms p50',
      baseline: { name: 'bare count(*)', value: bareCount.p50, unit: 'ms p50' },
      ratio: ratio(summary.p50, bareCount.p50),
      details: { ...latency(summary), matched },
    });
    plans.push(
      ...(await explain(raw, () => segments.evaluate(actor, filter), {
        [`segment ${label} count`]: (text) => /count\(/i.test(text),
        [`segment ${label} preview`]: (text) => /order by/i.test(text) && !/count\(/i.test(text),
      })),
    );
  }

  // Fuzzy name search: the baseline is the bare similarity query on the trigram index. Bare and
  // service run in turn for each query (alternating which goes first), so both see the same cache.
  const queries = misspelledQueries(FUZZY_QUERIES);
  const bareFuzzySql = 'SELECT * FROM customers WHERE name % $1 ORDER BY similarity(name, $1) DESC LIMIT 50';
  context.log(`customers: ${FUZZY_QUERIES} misspelled name searches, bare and through customers.list in turn`);
  let bareHits = 0;
  let hits = 0;
  const empty: string[] = [];
  const missed: string[] = [];
  let intendedFirst = 0;
  const bareSamples: number[] = [];
  const serviceSamples: number[] = [];
  const bareSearch = async (q: string) => {
    const start = now();
    bareHits += (await raw.query(bareFuzzySql, [q])).length;
    bareSamples.push(elapsedMs(start));
  };
  const serviceSearch = async ({ q, intended }: { q: string; intended: string }) => {
    const start = now();
    const page = await customers.list(actor, listQuery({ q }));
    serviceSamples.push(elapsedMs(start));
    hits += page.customers.length;
    if (page.customers.length === 0) empty.push(q);
    // A family name alone is found when the results are people of that family.
    const isIntended = (name: string) => name === intended || name.endsWith(` ${intended}`);
    if (page.customers[0] && isIntended(page.customers[0].name)) intendedFirst++;
    else if (!page.customers.some((row) => isIntended(row.name))) missed.push(`${q}→${intended}`);
  };
  for (let warm = 0; warm < WARMUP; warm++) {
    await raw.query(bareFuzzySql, [queries[warm]!.q]);
    await customers.list(actor, listQuery({ q: queries[warm]!.q }));
  }
  for (const [run, query] of queries.entries()) {
    if (run % 2 === 0) {
      await bareSearch(query.q);
      await serviceSearch(query);
    } else {
      await serviceSearch(query);
      await bareSearch(query.q);
    }
  }
  const bareFuzzy = summarize(bareSamples);
  const fuzzy = summarize(serviceSamples);
  context.record({
    name: 'bare name % $1 order by similarity limit 50 (baseline)',
    value: bareFuzzy.p50,
    unit: 'ms p50',
    details: { ...latency(bareFuzzy), 'rows/query': (bareHits / FUZZY_QUERIES).toFixed(1) },
  });
  context.record({
    name: `customers.list q=<misspelled name> (${FUZZY_QUERIES} queries)`,
    value: fuzzy.p50,
    unit: 'ms p50',
    baseline: { name: 'bare % query', value: bareFuzzy.p50, unit: 'ms p50' },
    ratio: ratio(fuzzy.p50, bareFuzzy.p50),
    details: {
      ...latency(fuzzy),
      'rows/query': (hits / FUZZY_QUERIES).toFixed(1),
      'intended name first': `${intendedFirst}/${FUZZY_QUERIES}`,
      'intended name not on page': missed.length,
    },
  });
  const top = await customers.list(actor, listQuery({ q: 'Jonh Smiht', limit: 3 }));
  context.note(
    `customers: fuzzy search quality: list q="Jonh Smiht" returns first ${top.customers.map((row) => row.name).join(', ') || 'nothing'}; ` +
      `intended name missing from the page for ${missed.length} of ${FUZZY_QUERIES} queries${missed.length ? ` (${missed.slice(0, 8).join(', ')}${missed.length > 8 ? ', …' : ''})` : ''}` +
      `${empty.length ? `; no result at all for ${empty.length} (${empty.slice(0, 8).join(', ')})` : ''}.`,
  );
  plans.push(
    ...(await explain(raw, () => customers.list(actor, listQuery({ q: 'Jonh Smiht' })), {
      'fuzzy list q="Jonh Smiht"': (text) => /similarity/i.test(text),
    })),
  );
  plans.push(`bare % "Jonh Smiht": ${await explainStatement(raw, bareFuzzySql, ['Jonh Smiht'])}`);
  const familyOnly = queries.find((query) => !query.q.includes(' '))!.q;
  plans.push(
    ...(await explain(raw, () => customers.list(actor, listQuery({ q: familyOnly })), {
      [`fuzzy list q="${familyOnly}"`]: (text) => /similarity/i.test(text),
    })),
  );

  // Keyset paging by name. The baseline is the textbook keyset query: a row comparison the
  // (name, id) index can start from.
  const bareKeysetSql = `SELECT * FROM customers WHERE archived_at IS NULL AND (name, id) > ($1, $2) ORDER BY name, id LIMIT ${PAGE + 1}`;
  let cursor: string | undefined;
  let last: { name: string; id: string } | undefined;
  for (let page = 0; page < KEYSET_PAGES; page++) {
    const result = await customers.list(actor, listQuery({ cursor }));
    cursor = result.nextCursor ?? undefined;
    const row = result.customers[result.customers.length - 1];
    if (row) last = { name: row.name, id: row.id };
  }
  if (!cursor || !last) throw new Error(`customers.list gave no cursor after ${KEYSET_PAGES} pages`);
  context.log(
    `customers: keyset page ${KEYSET_PAGES + 1} by name, ${KEYSET_RUNS} runs, raw and through customers.list`,
  );
  const after = last;
  const bareKeyset = await timed(KEYSET_RUNS, () => raw.query(bareKeysetSql, [after.name, after.id]));
  context.record({
    name: `bare keyset page by name, page ${KEYSET_PAGES + 1} (baseline)`,
    value: bareKeyset.p50,
    unit: 'ms p50',
    details: latency(bareKeyset),
  });
  const keysetCursor = cursor;
  const keyset = await timed(KEYSET_RUNS, () => customers.list(actor, listQuery({ cursor: keysetCursor })));
  context.record({
    name: `customers.list sort=name, cursor after ${KEYSET_PAGES} pages`,
    value: keyset.p50,
    unit: 'ms p50',
    baseline: { name: 'bare keyset', value: bareKeyset.p50, unit: 'ms p50' },
    ratio: ratio(keyset.p50, bareKeyset.p50),
    details: { ...latency(keyset), 'after name': after.name },
  });
  plans.push(
    ...(await explain(raw, () => customers.list(actor, listQuery({ cursor: keysetCursor })), {
      [`keyset list page ${KEYSET_PAGES + 1}`]: (text) => /order by/i.test(text),
    })),
  );
  plans.push(
    `bare keyset page ${KEYSET_PAGES + 1}: ${await explainStatement(raw, bareKeysetSql, [after.name, after.id])}`,
  );

  // Halfway down the list: a cursor in the list's own format ([name, id], base64url JSON) for the
  // row at the middle, as a user who kept paging (or a script walking the list) would hold.
  const [middle] = await raw.query<{ name: string; id: string }>(
    `SELECT name, id FROM customers WHERE archived_at IS NULL ORDER BY name, id OFFSET ${Math.floor(CUSTOMERS * 0.49)} LIMIT 1`,
  );
  const deepCursor = Buffer.from(JSON.stringify([middle!.name, middle!.id])).toString('base64url');
  context.log(`customers: keyset page in the middle of the list (after "${middle!.name}"), ${DEEP_RUNS} runs`);
  const bareDeep = await timed(DEEP_RUNS, () => raw.query(bareKeysetSql, [middle!.name, middle!.id]), 1);
  context.record({
    name: 'bare keyset page by name, middle of the list (baseline)',
    value: bareDeep.p50,
    unit: 'ms p50',
    details: latency(bareDeep),
  });
  let deepRows = 0;
  const deep = await timed(
    DEEP_RUNS,
    async () => {
      deepRows = (await customers.list(actor, listQuery({ cursor: deepCursor }))).customers.length;
    },
    1,
  );
  context.record({
    name: 'customers.list sort=name, cursor in the middle of the list',
    value: deep.p50,
    unit: 'ms p50',
    baseline: { name: 'bare keyset', value: bareDeep.p50, unit: 'ms p50' },
    ratio: ratio(deep.p50, bareDeep.p50),
    details: { ...latency(deep), rows: deepRows, 'after name': middle!.name },
  });
  plans.push(
    ...(await explain(raw, () => customers.list(actor, listQuery({ cursor: deepCursor })), {
      'keyset list middle': (text) => /order by/i.test(text),
    })),
  );
  plans.push(`bare keyset middle: ${await explainStatement(raw, bareKeysetSql, [middle!.name, middle!.id])}`);

  for (const plan of plans) context.log(`plan: ${plan}`);
  context.note(`customers: EXPLAIN ANALYZE of the SQL the services sent (and of the baselines): ${plans.join(' || ')}`);
}

export const customersSection: Section = {
  name: 'customers',
  title:
    'Customers at 1,000,000 rows (PostgreSQL): fuzzy name search, segment counts and keyset pages against bare SQL',
  async run(context) {
    await withBenchPostgres(context, 'customers', async ({ url, raw }) => {
      let bench: BenchApp | undefined;
      try {
        const storage = await openStorage({ databaseUrl: url });
        bench = await startApp({ storage });
        await generate(context, raw, url);
        await benchQueries(context, bench, raw);
        context.note(
          `customers: ${CUSTOMERS.toLocaleString('en-US')} generated customers (${GIVEN.length} given × ${FAMILY.length} family names, every combination ~${Math.round((CUSTOMERS * 0.9) / (GIVEN.length * FAMILY.length))} times, 1 in 10 an organization, 2 % archived); ` +
            `figures are latencies (p50, lower is better); ratio = service/bare; ${WARMUP} unmeasured runs first; service calls go through app.services with actor system:bench on a pool of 10.`,
        );
      } finally {
        await bench?.close().catch(() => {});
      }
    });
  },
};
