import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../src/auth/roles.js';
import { startTestApp, type TestApp } from '../support/app.js';
import type { TestClient } from '../support/client.js';
import { waitFor } from '../support/wait-for.js';
import { publishedNotice } from '../communications/support.js';

let t: TestApp;
let agent: TestClient;
let viewer: TestClient;
/** An email kept in the outbox (no SMTP server here), rendered and archived. */
let sentId: string;

beforeAll(async () => {
  t = await startTestApp({ workerPollMs: 50 });
  await publishedNotice(t);
  agent = await t.signedIn(['agent']);
  viewer = await t.signedIn(['viewer']);
  t.app.worker.start();
  const customer = await agent.post('/api/customers', {
    kind: 'person',
    givenName: 'Vera',
    familyName: 'Proof',
    timeZone: 'UTC',
    emails: ['vera@example.test'],
  });
  const sent = await agent.post('/api/communications', {
    template: 'meter-reading',
    customerId: customer.body.id,
    data: { due: '30 November' },
  });
  sentId = sent.body.id;
  await waitFor(
    () => agent.get(`/api/communications/${sentId}`).then((response) => response.body),
    (body) => body.snapshotSha256 !== null && body.archiveSha256 !== null,
  );
});
afterAll(() => t.close());

describe('communications have permissions of their own', () => {
  it('lets a viewer list and open communications, runs and print batches', async () => {
    expect((await viewer.get('/api/communications')).body.communications.map((c: { id: string }) => c.id)).toContain(
      sentId,
    );
    expect((await viewer.get(`/api/communications/${sentId}`)).status).toBe(200);
    expect((await viewer.get('/api/batch-runs')).status).toBe(200);
    expect((await viewer.get('/api/print-batches')).status).toBe(200);
    expect((await viewer.get('/api/channel-rates')).status).toBe(200);
  });

  it("refuses a viewer the archived copy and the proof ZIP (the customer's full data snapshot)", async () => {
    for (const url of [`/api/communications/${sentId}/copy`, `/api/communications/${sentId}/proof.zip`]) {
      const refused = await viewer.get(url);
      expect(refused.status, url).toBe(403);
      expect(refused.body.message, url).toContain('communications copies');
    }
  });

  it('gives the copy and the proof to those who answer for what was sent', async () => {
    for (const roles of [['agent'], ['records_manager'], ['reviewer']] as Role[][]) {
      const staff = await t.signedIn(roles);
      expect((await staff.get(`/api/communications/${sentId}/copy`)).status, roles[0]).toBe(200);
      expect((await staff.get(`/api/communications/${sentId}/proof.zip`)).status, roles[0]).toBe(200);
    }
  });

  it('keeps the print files (every letter and postal address) to those who handle print', async () => {
    const someBatch = '00000000-0000-4000-8000-000000000000';
    for (const client of [viewer, agent]) {
      for (const file of ['letters.pdf', 'manifest.csv'])
        expect((await client.get(`/api/print-batches/${someBatch}/${file}`)).status).toBe(403);
    }
    const manager = await t.signedIn(['manager']);
    expect((await manager.get(`/api/print-batches/${someBatch}/manifest.csv`)).status).toBe(404);
  });
});
