import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DELIVER_ATTEMPTS } from '../../src/communications/delivery-batch.js';
import { startTestApp, type TestApp } from '../support/app.js';
import type { TestClient } from '../support/client.js';
import { testClock } from '../support/clock.js';
import { publishedNotice, startGateway } from '../communications/support.js';

const SECRET = 'retry-delivery-test-secret-0123456789';
// No worker loop: the test runs what is due with `drain` and moves this clock past each backoff.
const clock = testClock(new Date('2026-11-23T09:00:00Z'), { ticking: true });
let gatewayUp = false;
let t: TestApp;
let gateway: Awaited<ReturnType<typeof startGateway>>;
let admin: TestClient;
let manager: TestClient;

beforeAll(async () => {
  gateway = await startGateway(() =>
    gatewayUp ? { status: 202, body: { id: 'gw-after-retry' } } : { status: 503, body: { error: 'maintenance' } },
  );
  t = await startTestApp({
    clock,
    config: { smsGatewayUrl: gateway.url, gatewaySecret: SECRET, defaultCountry: 'DE' },
    retryPolicy: { baseDelayMs: 1_000, maxDelayMs: 1_000 },
  });
  await publishedNotice(t);
  admin = await t.signedIn(['admin']);
  manager = await t.signedIn(['manager']);
});
afterAll(async () => {
  await t.close();
  await gateway.close();
});

describe("an admin's retry of a delivery job that gave up", () => {
  it('queues its failed communication again and delivers it', async () => {
    const customer = await manager.post('/api/customers', {
      kind: 'person',
      givenName: 'Rita',
      familyName: 'Retry',
      phones: ['+4915199911001'],
      channelPreferences: ['sms'],
    });
    const id = (
      await manager.post('/api/communications', {
        template: 'meter-reading',
        customerId: customer.body.id,
        data: { due: '30 November' },
      })
    ).body.id;
    for (let attempt = 1; attempt <= DELIVER_ATTEMPTS; attempt++) {
      await t.app.worker.drain();
      clock.advance(2_000);
    }
    expect((await manager.get(`/api/communications/${id}`)).body).toMatchObject({
      status: 'failed',
      statusReason: 'Delivery gave up after its last attempt: The sms gateway answered 503',
    });
    const dead = (await admin.get('/api/jobs?status=dead')).body.jobs.filter(
      (job: { kind: string; payload: { communicationId: string } }) =>
        job.kind === 'communication.deliver' && job.payload.communicationId === id,
    );
    expect(dead).toHaveLength(1);

    gatewayUp = true;
    const retried = await admin.post(`/api/jobs/${dead[0].id}/retry`);
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ status: 'queued', attempts: 0 });
    expect((await manager.get(`/api/communications/${id}`)).body).toMatchObject({
      status: 'queued',
      statusReason: 'Delivery retried',
    });

    await t.app.worker.drain();
    const delivered = (await manager.get(`/api/communications/${id}`)).body;
    expect(delivered).toMatchObject({ status: 'sent', channel: 'sms', providerMessageId: 'gw-after-retry' });
    expect(gateway.requests).toHaveLength(DELIVER_ATTEMPTS + 1);
    expect((await admin.get(`/api/jobs/${dead[0].id}`)).body.status).toBe('succeeded');
    const timeline = (await manager.get(`/api/customers/${customer.body.id}/timeline?kind=communication`)).body;
    expect(timeline.entries.map((entry: { title: string }) => entry.title).slice(0, 3)).toEqual([
      'Meter reading reminder sent by sms',
      'Delivery retried',
      'Not sent: delivery gave up',
    ]);
  });
});
