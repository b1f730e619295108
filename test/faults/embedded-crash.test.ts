import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStorage, pgliteSettings, rows } from '../../src/db/database.js';
import { publishedNotice, startSmtpReceiver } from '../communications/support.js';
import { startTestApp, TEST_PASSWORD } from '../support/app.js';
import { restoreMigratedDatabase } from '../support/data-folder.js';
import { eventually, messageIdOf, signedInClient, startTidings, type TidingsProcess } from './support.js';

const CUSTOMERS = 300;
const IMPORT_ROWS = 4_000;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tidings-embedded-crash-'));
let smtp: Awaited<ReturnType<typeof startSmtpReceiver>>;
let managerEmail: string;
const processes = new Set<TidingsProcess>();

/** `tidings start` on the embedded database in the test's data folder. */
async function tidings() {
  const started = await startTidings({
    DATABASE_URL: '',
    TIDINGS_DATA_DIR: dataDir,
    TIDINGS_DEMO: '0',
    SMTP_URL: smtp.url,
    TIDINGS_WORKERS: '2',
    TIDINGS_JOB_LEASE_SECONDS: '2',
  });
  processes.add(started);
  void started.exit.then(() => processes.delete(started));
  return started;
}

async function killed(running: TidingsProcess) {
  running.kill('SIGKILL');
  expect((await running.exit).signal).toBe('SIGKILL');
}

beforeAll(async () => {
  smtp = await startSmtpReceiver();
  // The data folder is prepared through the services, then handed to the real command.
  const storage = await openStorage({ dataDir: path.join(await restoreMigratedDatabase(dataDir), 'pglite') });
  const t = await startTestApp({ storage, config: { dataDir } });
  await publishedNotice(t);
  await t.app.db.execute(sql`
    insert into customers (kind, name, given_name, family_name, emails, channel_preferences, tags)
    select 'person', 'Customer ' || n, 'Customer', n::text, array['customer' || n || '@example.test'], array['email'], array['crash']
    from generate_series(1, ${CUSTOMERS}) n`);
  managerEmail = (await t.createUser(['manager'])).email;
  await t.close();
}, 120_000);
afterAll(async () => {
  for (const running of processes) running.kill('SIGKILL');
  await smtp?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('the embedded database under a crash', () => {
  it('survives SIGKILL mid-run and mid-import: the data folder opens, both finish, nothing is lost or sent twice unmarked', async () => {
    const first = await tidings();
    const manager = await signedInClient(first.url, managerEmail, TEST_PASSWORD);
    const segment = await manager.post('/api/segments', { name: 'Crash', filter: { tagsAll: ['crash'] } });
    const run = await manager.post('/api/batch-runs', {
      template: 'meter-reading',
      segmentId: segment.body.id,
      data: { due: '30 November' },
    });
    expect(run.status).toBe(201);
    await eventually(
      async () => smtp.received.length,
      (received) => received >= CUSTOMERS / 3,
    );
    await killed(first);

    const second = await tidings();
    const importer = await signedInClient(second.url, managerEmail, TEST_PASSWORD);
    let csv = 'Kundennummer,Vorname,Nachname,E-Mail\n';
    for (let i = 0; i < IMPORT_ROWS; i++) csv += `CR-${i},Vorname${i},Nachname ${i},crash${i}@import.example\n`;
    const uploaded = await importer.postFile('/api/customer-imports?fileName=crash.csv', csv, 'text/csv');
    expect(uploaded.status).toBe(201);
    const started = await importer.post(`/api/customer-imports/${uploaded.body.import.id}/start`, {
      mapping: { Kundennummer: 'externalId', Vorname: 'givenName', Nachname: 'familyName', 'E-Mail': 'email' },
      upsertBy: 'external_id',
    });
    expect(started.status).toBe(202);
    await eventually(
      () => importer.get(`/api/customer-imports/${uploaded.body.import.id}`).then((response) => response.body),
      (progress) => progress.status === 'importing' && progress.rowsDone > 0,
    );
    await killed(second);

    const third = await tidings();
    const watcher = await signedInClient(third.url, managerEmail, TEST_PASSWORD);
    const finishedRun = await eventually(
      () => watcher.get(`/api/batch-runs/${run.body.id}`).then((response) => response.body),
      (progress) => progress.status === 'completed',
    );
    const finishedImport = await eventually(
      () => watcher.get(`/api/customer-imports/${uploaded.body.import.id}`).then((response) => response.body),
      (progress) => ['completed', 'failed', 'rejected'].includes(progress.status),
    );
    third.kill('SIGTERM');
    expect((await third.exit).code).toBe(0);

    expect(finishedRun).toMatchObject({ created: CUSTOMERS, done: CUSTOMERS, statuses: { sent: CUSTOMERS } });
    expect(finishedImport).toMatchObject({ status: 'completed', rejected: 0 });
    const received = smtp.received.map((mail) => messageIdOf(mail.raw));
    expect(new Set(received).size).toBe(CUSTOMERS);

    const pglite = await PGlite.create({ dataDir: path.join(dataDir, 'pglite'), ...pgliteSettings });
    const storage = await openStorage({ pglite });
    try {
      const [again] = await rows<{ n: number }>(
        storage.db,
        sql`select count(*)::int as n from communication_attempts where detail like 'Handing over again%'`,
      );
      expect(received.length - CUSTOMERS).toBeLessThanOrEqual(again!.n);
      const [imported] = await rows<{ n: number; distinct: number }>(
        storage.db,
        sql`select count(*)::int as n, count(distinct external_id)::int as distinct from customers where external_id like 'CR-%'`,
      );
      expect(imported).toEqual({ n: IMPORT_ROWS, distinct: IMPORT_ROWS });
    } finally {
      await storage.close();
    }
  }, 300_000);
});
