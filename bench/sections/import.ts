import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Actor } from '../../src/shared/actor.js';
import { exportCustomersQuery } from '../../src/customers/export.js';
import { sharedStorage, startApp, startHttp, tempDir } from '../support/app.js';
import { onEachEngine, type Engine } from '../support/engines.js';
import { generatedPerson } from '../support/names.js';
import type { Section, SectionContext } from '../support/report.js';
import { summarizePlan } from '../support/sql-capture.js';
import { statementCounter } from '../support/sql-counter.js';
import { elapsedMs, now, ratio, summarize } from '../support/stats.js';

const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 100_000);
/** The baseline's statement size, the same as the import's own inserts. */
const INSERT_CHUNK = 1_000;
/** An import still running after this long is stopped and its total projected from its write rate (PGlite needs minutes). */
const RUN_TIMEOUT_MS = Number(process.env.BENCH_IMPORT_TIMEOUT_S ?? 150) * 1000;
/** Rounds of baseline and import per engine; the figures are the median round's. */
const ROUNDS_PER_ENGINE = Number(process.env.BENCH_IMPORT_ROUNDS ?? 3);
/** `BENCH_IMPORT_ENGINES=postgres` (or `pglite`) runs one engine only. */
const ENGINES = (process.env.BENCH_IMPORT_ENGINES ?? 'pglite,postgres').split(',').map((engine) => engine.trim());
const actor: Actor = { kind: 'system', label: 'bench' };
/** How often /healthz is asked while the import runs. */
const HEALTH_EVERY_MS = 20;
const goals = { importRatio: 0.5, healthP99: 100, exportRatio: 0.5 } as const;

/** Asks /healthz every HEALTH_EVERY_MS until stopped, one request at a time; the latencies it saw. */
function healthSampler(baseUrl: string) {
  const samples: number[] = [];
  let running = true;
  const done = (async () => {
    while (running) {
      const start = now();
      const response = await fetch(`${baseUrl}/healthz`);
      await response.arrayBuffer();
      samples.push(elapsedMs(start));
      await sleep(HEALTH_EVERY_MS);
    }
  })();
  return {
    async stop() {
      running = false;
      await done;
      return summarize(samples);
    },
  };
}

const COLUMNS = [
  'First name',
  'Last name',
  'Email',
  'Phone',
  'Street',
  'Postal code',
  'City',
  'Country',
  'Language',
  'Lifecycle stage',
  'Tags',
  'Lifetime value',
];
const MAPPING: Record<string, string> = {
  'First name': 'givenName',
  'Last name': 'familyName',
  Email: 'email',
  Phone: 'phone',
  Street: 'addressLine1',
  'Postal code': 'postalCode',
  City: 'city',
  Country: 'country',
  Language: 'language',
  'Lifecycle stage': 'lifecycleStage',
  Tags: 'tags',
  'Lifetime value': 'attributes.lifetimeValue',
};

const csvCell = (value: string) => (/[",\n\r]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);

async function* csvLines(rows: number) {
  yield `${COLUMNS.map(csvCell).join(',')}\n`;
  let chunk = '';
  for (let g = 1; g <= rows; g++) {
    const p = generatedPerson(g);
    chunk += `${[p.given, p.family, p.email, p.phone, p.street, p.postalCode, p.city, p.country, p.language, p.lifecycleStage, p.tags.join(';'), String(p.lifetimeValue)].map(csvCell).join(',')}\n`;
    if (g % 1000 === 0) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}

/** The same rows, inserted with plain parameterized multi-row INSERTs of INSERT_CHUNK rows, one connection. */
async function rawInsert(engine: Engine): Promise<number> {
  const columns = [
    'kind',
    'name',
    'given_name',
    'family_name',
    'emails',
    'phones',
    'address',
    'language',
    'lifecycle_stage',
    'tags',
    'attributes',
  ];
  const start = now();
  for (let offset = 0; offset < ROWS; offset += INSERT_CHUNK) {
    const size = Math.min(INSERT_CHUNK, ROWS - offset);
    const params: unknown[] = [];
    const tuples: string[] = [];
    for (let i = 0; i < size; i++) {
      const p = generatedPerson(offset + i + 1);
      const base = params.length;
      params.push(
        'person',
        p.name,
        p.given,
        p.family,
        [p.email],
        [p.phone],
        JSON.stringify({ lines: [p.street], postalCode: p.postalCode, city: p.city, country: p.country }),
        p.language,
        p.lifecycleStage,
        p.tags,
        JSON.stringify({ lifetimeValue: p.lifetimeValue }),
      );
      tuples.push(`(${columns.map((_, column) => `$${base + column + 1}`).join(', ')})`);
    }
    await engine.query(`INSERT INTO customers (${columns.join(', ')}) VALUES ${tuples.join(', ')}`, params);
  }
  return ROWS / (elapsedMs(start) / 1000);
}

async function importRun(engine: Engine, csvFile: string) {
  const bench = await startApp({ storage: sharedStorage(engine.storage), workers: 1, workerPollMs: 50 });
  const http = await startHttp(bench.app);
  const health = healthSampler(http.baseUrl);
  try {
    const imports = bench.app.services.customerImports;
    statementCounter.reset();
    statementCounter.enabled = true;
    const start = now();
    const uploaded = await imports.upload(actor, fs.createReadStream(csvFile), { fileName: path.basename(csvFile) });
    const uploadMs = elapsedMs(start);
    await imports.start(actor, uploaded.import.id, {
      mapping: MAPPING,
      upsertBy: 'email',
      mode: 'upsert',
      dryRun: false,
      partial: false,
    });
    bench.app.worker.start();
    // When each status was first seen, polling every 100 ms.
    const phaseAt: Record<string, number> = {};
    let status = uploaded.import;
    let timedOut = false;
    for (;;) {
      status = await imports.get(actor, uploaded.import.id);
      phaseAt[status.status] ??= elapsedMs(start);
      if (['completed', 'rejected', 'failed'].includes(status.status)) break;
      if (elapsedMs(start) > RUN_TIMEOUT_MS) {
        timedOut = true;
        break;
      }
      await sleep(100);
    }
    const totalMs = elapsedMs(start);
    statementCounter.enabled = false;
    const healthz = await health.stop();
    const importingAt = phaseAt.importing;
    if (timedOut && importingAt === undefined) {
      throw new Error(
        `${engine.label} import still ${status.status} after ${RUN_TIMEOUT_MS / 1000} s (${status.rowsDone} rows checked): too slow to measure here`,
      );
    }
    if (!timedOut && (status.status !== 'completed' || status.inserted !== ROWS)) {
      const rejects = await imports.rejects(actor, uploaded.import.id, { limit: 5 });
      throw new Error(
        `${engine.label} import ended ${status.status}: inserted ${status.inserted}, rejected ${status.rejected}, error ${status.error ?? '—'}; first rejects ${JSON.stringify(rejects.rejects)}`,
      );
    }
    if (!timedOut) {
      const [{ n } = { n: 0 }] = await engine.query<{ n: number | string }>('SELECT count(*) AS n FROM customers');
      if (Number(n) !== ROWS)
        throw new Error(`${engine.label}: the import says ${ROWS} inserted, the table holds ${n}`);
    }
    // Upload, then queue + validation pass (every row), then the write pass.
    const validateMs = importingAt! - uploadMs;
    const writeMs = totalMs - importingAt!;
    const written = timedOut ? status.rowsDone : ROWS;
    const writeRate = written / (writeMs / 1000);
    // Cut short, the whole import's time is the time spent plus the unwritten rows at the write rate so far.
    const projectedMs = timedOut ? totalMs + ((ROWS - written) / writeRate) * 1000 : totalMs;
    return {
      totalMs: projectedMs,
      uploadMs,
      validateMs,
      writeMs,
      writeRate,
      written,
      timedOut,
      statements: statementCounter.statements,
      processedRows: ROWS + written,
      healthz,
    };
  } finally {
    statementCounter.enabled = false;
    await health.stop();
    await http.server.close();
    await bench.close();
  }
}

/** Bytes a second through `write` into a new file. */
async function throughput(file: string, write: (into: fs.WriteStream) => Promise<void>) {
  const start = now();
  await write(fs.createWriteStream(file));
  const seconds = elapsedMs(start) / 1000;
  const bytes = fs.statSync(file).size;
  return { bytes, seconds, rate: bytes / seconds };
}

/**
 * The CSV and vCard exports of every imported customer, streamed to a file, against writing the
 * same number of bytes to disk in 64 KiB chunks.
 */
async function exportRun(context: SectionContext, engine: Engine) {
  const bench = await startApp({ storage: sharedStorage(engine.storage) });
  const { dir, remove } = await tempDir('tidings-bench-export-');
  try {
    const exports = bench.app.services.customerExport;
    const query = exportCustomersQuery.parse({});
    for (const [format, open] of [
      ['CSV', () => exports.csv(actor, query)],
      ['vCard', () => exports.vcards(actor, query)],
    ] as const) {
      context.log(`import: ${engine.label}: ${format} export of the imported customers`);
      const exported = await throughput(path.join(dir, `export.${format}`), async (into) =>
        pipeline(await open(), into),
      );
      const chunk = Buffer.alloc(65_536, 'x');
      const disk = await throughput(path.join(dir, `disk.${format}`), (into) =>
        pipeline(
          Readable.from(
            (function* chunks() {
              for (let left = exported.bytes; left > 0; left -= chunk.length)
                yield left >= chunk.length ? chunk : chunk.subarray(0, left);
            })(),
          ),
          into,
        ),
      );
      const mb = (rate: number) => rate / 2 ** 20;
      context.record({
        name: `${engine.label}: ${format} export of ${ROWS.toLocaleString('en-US')} customers, streamed to a file`,
        value: mb(exported.rate),
        unit: 'MB/s',
        baseline: { name: 'the same bytes to disk', value: mb(disk.rate), unit: 'MB/s' },
        ratio: exported.rate / disk.rate,
        details: {
          goal: `≥${goals.exportRatio}× ${exported.rate / disk.rate >= goals.exportRatio ? 'met' : 'MISSED'}`,
          size: `${mb(exported.bytes).toFixed(1)} MB`,
          time: `${exported.seconds.toFixed(2)} s`,
          'rows/s': Math.round(ROWS / exported.seconds),
        },
      });
    }
  } finally {
    await bench.close();
    await remove();
  }
}

async function benchEngine(context: SectionContext, engine: Engine, csvFile: string) {
  // The attribute the CSV's "Lifetime value" column maps to.
  const setup = await startApp({ storage: sharedStorage(engine.storage) });
  try {
    await setup.app.services.attributes.define(actor, {
      key: 'lifetimeValue',
      label: 'Lifetime value',
      type: 'number',
    });
  } finally {
    await setup.close();
  }

  // Rounds of baseline then import, each into the same empty, indexed table: the machine's pace
  // drifts by a tenth between runs, so the ratio is the median of the rounds' ratios.
  const rounds: { baseline: number; run: Awaited<ReturnType<typeof importRun>>; rate: number }[] = [];
  for (let round = 1; round <= ROUNDS_PER_ENGINE; round++) {
    context.log(
      `import: ${engine.label}: round ${round} of ${ROUNDS_PER_ENGINE}: baseline, ${ROWS.toLocaleString('en-US')} rows in multi-row INSERTs of ${INSERT_CHUNK}`,
    );
    const baseline = await rawInsert(engine);
    await engine.query('TRUNCATE customers CASCADE');
    context.log(
      `import: ${engine.label}: round ${round}: CSV import of ${ROWS.toLocaleString('en-US')} rows (upload, start, worker job), at most ${RUN_TIMEOUT_MS / 1000} s`,
    );
    const run = await importRun(engine, csvFile);
    rounds.push({ baseline, run, rate: ROWS / (run.totalMs / 1000) });
    // The last round's customers stay for the export and the lookup's plan below.
    if (round < ROUNDS_PER_ENGINE) await engine.query('TRUNCATE customers CASCADE');
  }
  const byRatio = [...rounds].sort((a, b) => a.rate / a.baseline - b.rate / b.baseline);
  const { baseline, run, rate } = byRatio[Math.floor((byRatio.length - 1) / 2)]!;
  const ratios = rounds.map((round) => (round.rate / round.baseline).toFixed(2)).join(' ');
  context.record({
    name: `${engine.label}: plain multi-row INSERT into customers (baseline)`,
    value: baseline,
    unit: 'rows/s',
    details: {
      rows: ROWS,
      'rows/statement': INSERT_CHUNK,
      'per round': rounds.map((round) => Math.round(round.baseline).toLocaleString('en-US')).join(' '),
    },
  });
  const importGoal = `≥${goals.importRatio}× ${rate / baseline >= goals.importRatio ? 'met' : 'MISSED'}`;
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  context.record({
    name: `${engine.label}: CSV import, upload to completed${run.timedOut ? ' (projected)' : ''}`,
    value: rate,
    unit: 'rows/s',
    baseline: { name: 'multi-row INSERT', value: baseline, unit: 'rows/s' },
    ratio: ratio(rate, baseline),
    details: {
      goal: importGoal,
      'ratio per round': ratios,
      total: run.timedOut ? `${seconds(run.totalMs)} projected` : seconds(run.totalMs),
      upload: seconds(run.uploadMs),
      'validate pass': `${seconds(run.validateMs)} (${Math.round(ROWS / (run.validateMs / 1000)).toLocaleString('en-US')} rows/s)`,
      'write pass': `${run.timedOut ? `${run.written.toLocaleString('en-US')} rows in ` : ''}${seconds(run.writeMs)} (${Math.round(run.writeRate).toLocaleString('en-US')} rows/s)`,
      'write pass/baseline': (run.writeRate / baseline).toFixed(3),
      'stmts/1000 rows': ((run.statements / run.processedRows) * 1000).toFixed(1),
    },
  });
  const healthP99 = Math.max(...rounds.map((round) => round.run.healthz.p99));
  context.record({
    name: `${engine.label}: GET /healthz while the import runs (worst round)`,
    value: healthP99,
    unit: 'ms p99',
    details: {
      goal: `≤${goals.healthP99} ms ${healthP99 <= goals.healthP99 ? 'met' : 'MISSED'}`,
      'p99 per round': rounds.map((round) => round.run.healthz.p99.toFixed(1)).join(' '),
      max: Math.max(...rounds.map((round) => round.run.healthz.max)).toFixed(1),
      requests: rounds.reduce((sum, round) => sum + round.run.healthz.count, 0),
    },
  });
  const last = rounds[rounds.length - 1]!.run;
  if (!last.timedOut) await exportRun(context, engine);
  // The write pass's lookup of a batch's keys, as the import sends it (customer-batch.ts findExisting),
  // for 1,000 emails not yet stored, on the table as the import left it.
  const keys = Array.from({ length: 1000 }, (_, i) => generatedPerson(ROWS + 1 + i).email);
  const [plan] = await engine.query<{ 'QUERY PLAN': unknown }>(
    `EXPLAIN (ANALYZE, FORMAT JSON) SELECT * FROM customers WHERE id = any(array(select c.id from unnest($1::text[]) as k(email)
       join customers c on c.emails @> array[k.email])) AND merged_into IS NULL`,
    [keys],
  );
  context.note(
    `import: ${engine.label}: a batch's email lookup (one index probe per key, 1,000 keys) on the table the import left: ${summarizePlan(plan!['QUERY PLAN'])}.`,
  );
  if (last.timedOut) {
    context.note(
      `import: ${engine.label}: stopped after ${RUN_TIMEOUT_MS / 1000} s with ${last.written.toLocaleString('en-US')} of ${ROWS.toLocaleString('en-US')} rows written (validation had checked them all); ` +
        `the total is projected from the write rate so far, not measured to the end.`,
    );
  }
}

export const importSection: Section = {
  name: 'import',
  title: 'CSV customer import: rows/s through the import service and job against a plain multi-row INSERT',
  async run(context) {
    const { dir } = await tempDir('tidings-bench-csv-');
    const csvFile = path.join(dir, `customers-${ROWS}.csv`);
    const start = now();
    await pipeline(Readable.from(csvLines(ROWS)), fs.createWriteStream(csvFile));
    context.log(
      `import: wrote ${csvFile} (${(fs.statSync(csvFile).size / 2 ** 20).toFixed(1)} MB) in ${(elapsedMs(start) / 1000).toFixed(1)} s`,
    );

    await onEachEngine(context, 'import', { engines: ENGINES }, (engine) => benchEngine(context, engine, csvFile));
    context.note(
      `import: ${ROWS.toLocaleString('en-US')} new customers (${COLUMNS.length} columns: names, email, phone, address, language, stage, tags, a number attribute; ${(fs.statSync(csvFile).size / 2 ** 20).toFixed(1)} MB) into an empty table with every index; ` +
        `import = customerImports.upload (streamed from a temp file) + start (upsert by email) + the worker running the job, polled every 100 ms, both passes (validate the file, its rows checked on a thread of their own, keeping the rows that pass; then write those, with a timeline entry per customer, on PostgreSQL two batches at a time); ` +
        `baseline = the same rows as parameterized INSERTs of ${INSERT_CHUNK} rows on one connection, then TRUNCATE; ratio = import/baseline; ${ROUNDS_PER_ENGINE} rounds of baseline then import per engine, the median round's figures shown (the healthz figure the worst round's).`,
    );
  },
};
