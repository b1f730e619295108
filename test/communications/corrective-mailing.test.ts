import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../src/db/database.js';
import { startTestApp, type TestApp } from '../support/app.js';
import type { TestClient } from '../support/client.js';
import { waitFor } from '../support/wait-for.js';
import { publishedNotice, startSmtpReceiver } from './support.js';

let t: TestApp;
let smtp: Awaited<ReturnType<typeof startSmtpReceiver>>;
let manager: TestClient;
let author: TestClient;
let reviewer: TestClient;
let version1: string;

beforeAll(async () => {
  smtp = await startSmtpReceiver();
  t = await startTestApp({
    config: { smtpUrl: smtp.url },
    workerPollMs: 50,
    retryPolicy: { baseDelayMs: 50, maxDelayMs: 200 },
  });
  ({ author, reviewer } = await publishedNotice(t));
  manager = await t.signedIn(['manager']);
  version1 = (await author.get('/api/templates/meter-reading/versions/1')).body.id;
  t.app.worker.start();
});
afterAll(async () => {
  await t.close();
  await smtp.close();
});

/**
 * Customers tagged `tag`, made in one statement: every third has only a postal address (a letter),
 * every fifth no address at all (the portal inbox reaches them), the rest an email address.
 */
async function customersTagged(tag: string, count: number) {
  await t.app.storage.db.execute(sql`
    insert into customers (kind, name, given_name, family_name, emails, address, channel_preferences, tags)
    select 'person', 'Customer ' || n, 'Customer', n::text,
           case when n % 3 = 0 or n % 5 = 0 then '{}'::text[] else array['c' || n || '.' || ${tag} || '@example.test'] end,
           case when n % 3 = 0 and n % 5 <> 0 then jsonb_build_object('lines', jsonb_build_array(n || ' High Street'), 'postalCode', 'AB1 2CD', 'city', 'Leeds', 'country', 'GB') end,
           case when n % 3 = 0 then array['letter'] else array['email'] end,
           array[${tag}]
    from generate_series(1, ${count}) n`);
  const segment = await manager.post('/api/segments', { name: `Tagged ${tag}`, filter: { tagsAll: [tag] } });
  expect(segment.status).toBe(201);
  return segment.body.id as string;
}

const progressOf = (runId: string) => manager.get(`/api/batch-runs/${runId}`).then((response) => response.body);
/** A run has done its own work when it completed, or waits only for the print batch. */
const settled = (runId: string) =>
  waitFor(
    () => progressOf(runId),
    (run) => ['completed', 'awaiting_print', 'cancelled'].includes(run.status),
    { timeoutMs: 60_000 },
  );

async function publishVersion2() {
  const v1 = (await author.get('/api/templates/meter-reading/versions/1')).body;
  const en = v1.variants.en;
  const saved = await author.post('/api/templates/meter-reading/versions', {
    variants: {
      en: {
        ...en,
        email: { ...en.email, subject: 'Corrected: meter reading due by {{ data.due }}, {{ customer.givenName }}' },
      },
    },
    defaultLanguage: 'en',
    dataSchema: v1.dataSchema,
    sampleData: v1.sampleData,
    changeNote: 'The subject now says when the reading is due',
  });
  expect(saved.status).toBe(201);
  for (const [client, action] of [
    [author, 'submit'],
    [reviewer, 'approve'],
    [author, 'publish'],
  ] as [TestClient, string][])
    expect((await client.post('/api/templates/meter-reading/versions/2/workflow', { action })).status).toBe(200);
  return saved.body.id as string;
}

describe('who received a template version, and a corrective mailing to exactly them', () => {
  let firstRun: string;
  let onDemand: string;
  let version2: string;

  it('lists the communications of a version and refuses an id of the wrong kind instead of answering nothing', async () => {
    firstRun = (
      await manager.post('/api/batch-runs', {
        template: 'meter-reading',
        segmentId: await customersTagged('v1', 15),
        data: { due: '30 November' },
      })
    ).body.id;
    const agent = await t.signedIn(['agent']);
    const [single] = await rows<{ id: string }>(
      t.app.storage.db,
      sql`select id from customers where name = 'Customer 1' and 'v1' = any(tags)`,
    );
    onDemand = single!.id;
    const sent = await agent.post('/api/communications', {
      template: 'meter-reading',
      customerId: onDemand,
      data: { due: '2 December' },
    });
    expect(sent.status).toBe(201);
    await settled(firstRun);
    await waitFor(
      () => manager.get(`/api/communications/${sent.body.id}`).then((r) => r.body.status),
      (status) => status === 'sent',
    );

    const ofVersion = await manager.get(`/api/communications?templateVersionId=${version1}&limit=200`);
    expect(ofVersion.status).toBe(200);
    expect(ofVersion.body.communications).toHaveLength(16);
    expect(
      ofVersion.body.communications.every((c: { templateVersionId: string }) => c.templateVersionId === version1),
    ).toBe(true);

    const versionAsTemplate = await manager.get(`/api/communications?template=${version1}`);
    expect(versionAsTemplate.status).toBe(400);
    expect(versionAsTemplate.body.details).toEqual([
      { path: 'querystring.template', message: 'is a template version id' },
    ]);
    expect(versionAsTemplate.body.message).toContain('templateVersionId');

    const templateId = (await manager.get('/api/templates/meter-reading')).body.id;
    const templateAsVersion = await manager.get(`/api/communications?templateVersionId=${templateId}`);
    expect(templateAsVersion.status).toBe(400);
    expect(templateAsVersion.body.details[0].path).toBe('querystring.templateVersionId');
    expect((await manager.get('/api/communications?template=no-such-template')).status).toBe(400);
    expect(
      (await manager.get(`/api/communications?template=${templateId}&limit=200`)).body.communications,
    ).toHaveLength(16);
  });

  it('counts what a version produced by status and channel, and the customers it reached', async () => {
    const summary = await manager.get(`/api/template-versions/${version1}/recipients`);
    expect(summary.status).toBe(200);
    // Of 15 in the segment: 4 letters (3, 6, 9, 12), 8 emails, and 3 without an address (5, 10, 15) in the portal;
    // plus a second email to customer 1.
    expect(summary.body).toMatchObject({
      templateVersionId: version1,
      templateKey: 'meter-reading',
      versionNumber: 1,
      versionStatus: 'published',
      communications: 16,
      channels: { email: 9, letter: 4, portal: 3 },
      recipients: 15,
      correction: null,
      correctiveRuns: [],
    });
    expect(summary.body.statuses).toEqual({ sent: 12, awaiting_print: 4 });
    const unknown = await manager.get(`/api/template-versions/${firstRun}/recipients`);
    expect(unknown.status).toBe(404);
  });

  it('sends the newer version to everyone who received the older one, each with the data they were sent', async () => {
    version2 = await publishVersion2();
    const summary = (await manager.get(`/api/template-versions/${version1}/recipients`)).body;
    expect(summary.versionStatus).toBe('retired');
    expect(summary.correction).toEqual({ versionId: version2, versionNumber: 2, recipients: 15 });

    const viewer = await t.signedIn(['viewer']);
    expect((await viewer.post('/api/batch-runs/corrective', { correctsVersionIds: [version1] })).status).toBe(403);
    const started = await manager.post('/api/batch-runs/corrective', {
      correctsVersionIds: [version1],
      versionId: version2,
    });
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({
      templateVersionId: version2,
      segmentId: null,
      correctsVersionIds: [version1],
      total: 15,
    });
    const run = await settled(started.body.id);
    expect(run).toMatchObject({
      created: 15,
      versionNumber: 2,
      correctsVersionNumbers: [1],
      segmentName: null,
      channels: { email: 8, letter: 4, portal: 3 },
    });

    const corrected = (await manager.get(`/api/communications?batchRunId=${run.id}&limit=200`)).body.communications;
    const reached = (await manager.get(`/api/communications?templateVersionId=${version1}&limit=200`)).body
      .communications;
    const reachedCustomers = new Set(
      reached
        .filter((c: { status: string }) => ['sent', 'delivered', 'awaiting_print'].includes(c.status))
        .map((c: { customerId: string }) => c.customerId),
    );
    expect(new Set(corrected.map((c: { customerId: string }) => c.customerId))).toEqual(reachedCustomers);
    const own = corrected.find((c: { customerId: string }) => c.customerId === onDemand);
    const detail = (await manager.get(`/api/communications/${own.id}`)).body;
    expect(detail).toMatchObject({ templateVersionId: version2, versionNumber: 2 });
    const copy = await manager.get(`/api/communications/${own.id}/copy`);
    expect(copy.text).toContain('Corrected: meter reading due by 2 December');

    const audit = await (await t.signedIn(['admin'])).get(`/api/audit?action=batch_run.started`);
    expect(audit.body.events.find((e: { entityId: string }) => e.entityId === run.id).summary).toMatchObject({
      template: 'meter-reading',
      version: 2,
      corrects: [1],
      total: 15,
    });
    const after = (await manager.get(`/api/template-versions/${version1}/recipients`)).body;
    expect(after.correction).toEqual({ versionId: version2, versionNumber: 2, recipients: 0 });
    expect(after.correctiveRuns).toEqual([expect.objectContaining({ id: run.id, versionNumber: 2, total: 15 })]);
  });

  it('refuses a corrective mailing that has nothing newer to send, nobody to send to, or a moved version', async () => {
    const again = await manager.post('/api/batch-runs/corrective', { correctsVersionIds: [version1] });
    expect(again.status).toBe(409);
    expect(again.body.error).toBe('batch_run.no_recipients');

    const notOlder = await manager.post('/api/batch-runs/corrective', { correctsVersionIds: [version2] });
    expect(notOlder.status).toBe(409);
    expect(notOlder.body.error).toBe('batch_run.version_not_older');

    const moved = await manager.post('/api/batch-runs/corrective', {
      correctsVersionIds: [version1],
      versionId: version1,
    });
    expect(moved.status).toBe(409);
    expect(moved.body.details[0].path).toBe('body.versionId');

    const unknown = await manager.post('/api/batch-runs/corrective', { correctsVersionIds: [firstRun] });
    expect(unknown.status).toBe(404);
    expect(unknown.body.details[0].path).toBe('body.correctsVersionIds');
    expect((await manager.post('/api/batch-runs/corrective', { correctsVersionIds: [] })).status).toBe(400);
  });
});

describe('letters that wait for the print batch', () => {
  it('keep their run awaiting print until the print batch prints them, then the run completes', async () => {
    const started = await manager.post('/api/batch-runs', {
      template: 'meter-reading',
      segmentId: await customersTagged('letters', 7),
      data: { due: '1 December' },
    });
    const run = await settled(started.body.id);
    expect(run).toMatchObject({ status: 'awaiting_print', awaitingPrint: 2, finishedAt: null });
    expect((await manager.get('/api/batch-runs')).body.runs.find((r: { id: string }) => r.id === run.id).status).toBe(
      'awaiting_print',
    );
    expect((await manager.post(`/api/batch-runs/${run.id}/pause`)).status).toBe(409);

    const printed = await manager.post('/api/print-batches');
    expect(printed.status).toBe(201);
    expect(printed.body.printBatch.items).toBeGreaterThanOrEqual(2);
    expect(await progressOf(run.id)).toMatchObject({
      status: 'completed',
      awaitingPrint: 0,
      finishedAt: expect.any(String),
    });

    const nothing = await manager.post('/api/print-batches');
    expect(nothing.status).toBe(200);
    expect(nothing.body).toEqual({ printBatch: null, message: 'No letters are waiting for print.' });
  });

  it("protects the manifest against spreadsheet formulas and keeps the server's folder to itself", async () => {
    const letter = await manager.post('/api/customers', {
      kind: 'organization',
      organizationName: '=HYPERLINK("https://evil.example","Pay here")',
      address: { lines: ['@SUM(1+1)'], postalCode: 'AB1 2CD', city: 'Leeds', country: 'GB' },
      channelPreferences: ['letter'],
    });
    expect(letter.status).toBe(201);
    const sent = await manager.post('/api/communications', {
      template: 'meter-reading',
      customerId: letter.body.id,
      data: { due: '3 December' },
    });
    await waitFor(
      () => manager.get(`/api/communications/${sent.body.id}`).then((r) => r.body),
      (body) => body.status === 'awaiting_print',
    );
    const made = await manager.post('/api/print-batches');
    expect(made.status).toBe(201);
    expect(made.text).not.toContain(t.dataDir);
    expect(made.body.printBatch).not.toHaveProperty('folder');
    expect(made.body.printBatch.folderName).toMatch(/^\d{4}-\d{2}-\d{2}-[0-9a-f]{8}$/);
    const listed = await manager.get('/api/print-batches');
    expect(listed.text).not.toContain(t.dataDir);

    const manifest = await manager.get(`/api/print-batches/${made.body.printBatch.id}/manifest.csv`);
    const row = manifest.text.split('\n').find((line) => line.includes(sent.body.id))!;
    expect(row).toContain(`"'=HYPERLINK(""https://evil.example"",""Pay here"")"`);
    expect(row).toContain(`,"'@SUM(1+1), AB1 2CD Leeds, GB",`);
  });
});
