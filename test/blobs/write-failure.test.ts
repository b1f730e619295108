import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishedNotice, startSmtpReceiver } from '../communications/support.js';
import { startTestApp, type TestApp } from '../support/app.js';
import type { TestClient } from '../support/client.js';
import { waitFor } from '../support/wait-for.js';

let t: TestApp;
let smtp: Awaited<ReturnType<typeof startSmtpReceiver>>;
let manager: TestClient;
let agent: TestClient;
let blobsDir: string;

const upload = (csv: string) =>
  manager.request('POST', '/api/customer-imports?fileName=customers.csv', {
    payload: csv,
    headers: { 'content-type': 'text/csv' },
  });

/** The blob folder made unwritable the way a lost mount does it: a file now stands where it was. */
function breakBlobFolder() {
  fs.renameSync(blobsDir, `${blobsDir}.away`);
  fs.writeFileSync(blobsDir, 'not a folder');
}
function repairBlobFolder() {
  fs.rmSync(blobsDir);
  fs.renameSync(`${blobsDir}.away`, blobsDir);
}

beforeAll(async () => {
  smtp = await startSmtpReceiver();
  t = await startTestApp({
    config: { smtpUrl: smtp.url },
    workerPollMs: 20,
    retryPolicy: { baseDelayMs: 20, maxDelayMs: 100 },
  });
  blobsDir = path.join(t.dataDir, 'blobs');
  await publishedNotice(t);
  manager = await t.signedIn(['manager']);
  agent = await t.signedIn(['agent']);
});
afterAll(async () => {
  await t.close();
  await smtp.close();
});

describe('a blob store that cannot write', () => {
  it('answers an upload with 503, Retry-After and the reason, keeps no import, and takes the same upload once repaired', async () => {
    fs.mkdirSync(blobsDir, { recursive: true });
    breakBlobFolder();
    const refused = await upload('Name,E-Mail\nAda Lovelace,ada@example.test\n');
    repairBlobFolder();
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBe('30');
    expect(refused.body).toMatchObject({
      error: 'blob.write_failed',
      message: expect.stringContaining('a file stands where a folder should be (ENOTDIR'),
    });
    expect((await manager.get('/api/customer-imports')).body.imports).toEqual([]);

    const accepted = await upload('Name,E-Mail\nAda Lovelace,ada@example.test\n');
    expect(accepted.status).toBe(201);
  });

  it('retries a delivery whose copy could not be archived, with the reason, and points at no copy until one is on disk', async () => {
    const customer = await agent.post('/api/customers', {
      kind: 'person',
      givenName: 'Grace',
      familyName: 'Hopper',
      emails: ['grace@example.test'],
      channelPreferences: ['email'],
    });
    breakBlobFolder();
    const sent = await agent.post('/api/communications', {
      template: 'meter-reading',
      customerId: customer.body.id,
      data: { due: '30 November' },
    });
    expect(sent.status).toBe(201);
    t.app.worker.start();
    const waiting = await waitFor(
      () => t.app.queue.list({ kind: 'communication.deliver', limit: 1 }),
      (page) => (page.jobs[0]?.attempts ?? 0) >= 2 && page.jobs[0]?.status === 'queued',
    );
    expect(waiting.jobs[0]!.lastError).toContain('a file stands where a folder should be');
    const meanwhile = await agent.get(`/api/communications/${sent.body.id}`);
    expect(meanwhile.body).toMatchObject({ status: 'queued', archiveSha256: null });
    expect(smtp.received).toHaveLength(0);

    repairBlobFolder();
    const delivered = await waitFor(
      () => agent.get(`/api/communications/${sent.body.id}`).then((response) => response.body),
      (body) => body.status === 'sent',
    );
    expect(smtp.received).toHaveLength(1);
    const copy = await agent.get(`/api/communications/${sent.body.id}/copy`);
    expect(copy.status).toBe(200);
    expect(delivered.archiveSha256).toMatch(/^[0-9a-f]{64}$/);
  });
});
