import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStorage, rows } from '../../src/db/database.js';
import { startTestApp, TEST_PASSWORD, type TestApp } from '../support/app.js';
import type { TestClient } from '../support/client.js';
import { publishedNotice, startSmtpReceiver } from '../communications/support.js';
import { startPostgresServer, type PostgresServer } from './postgres-server.js';
import { eventually, messageIdOf, startTidings, type TidingsProcess } from './support.js';

// Enough that each fault lands with jobs claimed and in flight; the 20,000-email crash run is in the
// communications suite, and `npm run bench` goes further.
const CUSTOMERS = 600;
const DATABASE = 'tidings';

let server: PostgresServer;
let smtp: Awaited<ReturnType<typeof startSmtpReceiver>>;
let t: TestApp;
let manager: TestClient & { user: { email: string } };
let segmentId: string;
const processes = new Set<TidingsProcess>();

async function tidings(environment: Record<string, string> = {}) {
  const started = await startTidings({
    DATABASE_URL: server.urlOf(DATABASE),
    SMTP_URL: smtp.url,
    TIDINGS_DATA_DIR: t.dataDir,
    TIDINGS_WORKERS: '8',
    TIDINGS_JOB_LEASE_SECONDS: '30',
    ...environment,
  });
  processes.add(started);
  void started.exit.then(() => processes.delete(started));
  return started;
}

async function startRun() {
  const run = await manager.post('/api/batch-runs', {
    template: 'meter-reading',
    segmentId,
    data: { due: '30 November' },
  });
  expect(run.status).toBe(201);
  return run.body as { id: string; total: number };
}

const runProgress = (runId: string) => manager.get(`/api/batch-runs/${runId}`).then((response) => response.body);

/** The Message-IDs the SMTP server acknowledged for one run, in arrival order. */
async function receivedFor(runId: string) {
  const own = new Set(
    (
      await rows<{ id: string }>(
        t.app.db,
        sql`select provider_message_id as id from communications where batch_run_id = ${runId}`,
      )
    ).map((row) => row.id),
  );
  return smtp.received.map((mail) => messageIdOf(mail.raw)!).filter((id) => own.has(id));
}

/** Jobs still leased, and jobs a stopping process gave back, right after it exited. */
const jobsLeft = async () =>
  (
    await rows<{ running: number; released: number }>(
      t.app.db,
      sql`select count(*) filter (where status = 'running')::int as running, count(*) filter (where status = 'queued' and last_error like 'Released by a worker%')::int as released from jobs`,
    )
  )[0]!;

const handedOverAgain = async (runId: string) =>
  (
    await rows<{ n: number }>(
      t.app.db,
      sql`select count(*)::int as n from communication_attempts a join communications c on c.id = a.communication_id where c.batch_run_id = ${runId} and a.detail like 'Handing over again%'`,
    )
  )[0]!.n;

beforeAll(async () => {
  server = await startPostgresServer();
  const url = await server.createDatabase(DATABASE);
  smtp = await startSmtpReceiver();
  const storage = await openStorage({ databaseUrl: url, poolSize: 4 });
  t = await startTestApp({
    storage: { ...storage, url },
    config: { smtpUrl: smtp.url },
  });
  await publishedNotice(t);
  await t.app.db.execute(sql`
    insert into customers (kind, name, given_name, family_name, emails, channel_preferences, tags)
    select 'person', 'Customer ' || n, 'Customer', n::text, array['customer' || n || '@example.test'], array['email'], array['faults']
    from generate_series(1, ${CUSTOMERS}) n`);
  manager = await t.signedIn(['manager']);
  const segment = await manager.post('/api/segments', { name: 'Faults', filter: { tagsAll: ['faults'] } });
  segmentId = segment.body.id;
}, 120_000);

afterAll(async () => {
  smtp?.resume();
  for (const running of processes) running.kill('SIGKILL');
  await t?.close();
  await smtp?.close();
  server?.destroy();
});

describe('a batch run while the database goes away', () => {
  it(`sends each of ${CUSTOMERS} emails exactly once through a PostgreSQL restart and the termination of every backend, and the process never exits`, async () => {
    const tidingsProcess = await tidings();
    const api = await fetch(`${tidingsProcess.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: manager.user.email, password: TEST_PASSWORD }),
    });
    expect(api.status).toBe(200);
    const cookie = api.headers
      .getSetCookie()
      .map((value) => value.split(';')[0])
      .join('; ');
    const run = await startRun();

    await eventually(
      () => receivedFor(run.id),
      (received) => received.length >= CUSTOMERS / 4,
    );
    server.stop();
    // While it is down: not ready, with the reason; an API request is told to come back later.
    const readiness = await fetch(`${tidingsProcess.url}/readyz`);
    expect(readiness.status).toBe(503);
    expect(await readiness.json()).toMatchObject({
      status: 'unavailable',
      reason: expect.stringMatching(/database .* unreachable.*ECONNREFUSED/),
    });
    const refused = await fetch(`${tidingsProcess.url}/api/batch-runs/${run.id}`, { headers: { cookie } });
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('5');
    expect(await refused.json()).toMatchObject({ error: 'database_unavailable' });
    server.start();
    expect((await fetch(`${tidingsProcess.url}/readyz`)).status).toBe(200);

    const before = (await receivedFor(run.id)).length;
    await eventually(
      () => receivedFor(run.id),
      (received) => received.length >= before + CUSTOMERS / 4,
    );
    expect(await server.terminateBackends(DATABASE)).toBeGreaterThan(0);

    const finished = await eventually(
      () => runProgress(run.id),
      (progress) => progress.status === 'completed',
    );
    expect(tidingsProcess.child.exitCode, tidingsProcess.output()).toBeNull();
    expect(finished).toMatchObject({ created: CUSTOMERS, done: CUSTOMERS, statuses: { sent: CUSTOMERS } });

    const received = await receivedFor(run.id);
    expect(new Set(received).size).toBe(CUSTOMERS);
    // A second copy only where a fault cut between the hand-over and its record, and the attempt log says so.
    expect(received.length - CUSTOMERS).toBeLessThanOrEqual(await handedOverAgain(run.id));

    tidingsProcess.kill('SIGTERM');
    expect((await tidingsProcess.exit).code).toBe(0);
  }, 300_000);
});

describe('a graceful stop', () => {
  it('on SIGTERM lets the running jobs finish, gives back at once those that cannot, exits 0, and the run completes after a restart with no email twice', async () => {
    const run = await startRun();
    // Each worker slot hands over a batch of up to 100: two slots leave most of the run for the later phases.
    const workers = { TIDINGS_WORKERS: '2' };

    // Hand-overs in flight when SIGTERM comes finish within the grace: they were answered after it. The
    // grace is ample here: beside the other tiers in CI, finishing two batches once took longer than 4 s.
    const first = await tidings({ ...workers, TIDINGS_SHUTDOWN_GRACE_SECONDS: '30' });
    await eventually(
      () => receivedFor(run.id),
      (received) => received.length >= CUSTOMERS / 4,
    );
    smtp.hold();
    // SIGTERM while the mail server sits on hand-overs: they are in flight when the stop begins.
    await eventually(
      async () => smtp.holding(),
      (holding) => holding > 0,
    );
    first.kill('SIGTERM');
    const answeredBefore = (await receivedFor(run.id)).length;
    await new Promise((resolve) => setTimeout(resolve, 500));
    smtp.resume();
    expect((await first.exit).code, first.output()).toBe(0);
    expect((await receivedFor(run.id)).length).toBeGreaterThan(answeredBefore);
    expect(await jobsLeft()).toEqual({ running: 0, released: 0 });

    // Hand-overs that cannot finish within the grace are given back: no lease is left to run out.
    const second = await tidings({ ...workers, TIDINGS_SHUTDOWN_GRACE_SECONDS: '4' });
    const resumedAt = (await receivedFor(run.id)).length;
    await eventually(
      () => receivedFor(run.id),
      (received) => received.length >= resumedAt + CUSTOMERS / 4,
    );
    smtp.hold();
    // As above, SIGTERM once a hand-over waits on the mail server: one caught between two batches would
    // otherwise leave nothing in flight to give back.
    await eventually(
      async () => smtp.holding(),
      (holding) => holding > 0,
    );
    second.kill('SIGTERM');
    expect((await second.exit).code, second.output()).toBe(0);
    await eventually(
      async () => smtp.connections(),
      (open) => open === 0,
    );
    smtp.resume();
    const left = await jobsLeft();
    expect(left.running).toBe(0);
    expect(left.released).toBeGreaterThan(0);

    const third = await tidings();
    const finished = await eventually(
      () => runProgress(run.id),
      (progress) => progress.status === 'completed',
    );
    third.kill('SIGTERM');
    expect((await third.exit).code).toBe(0);
    expect(finished).toMatchObject({ created: CUSTOMERS, done: CUSTOMERS, statuses: { sent: CUSTOMERS } });
    const received = await receivedFor(run.id);
    expect(received.length).toBe(CUSTOMERS);
    expect(new Set(received).size).toBe(CUSTOMERS);
  }, 300_000);
});
