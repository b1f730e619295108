import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DELIVER_ATTEMPTS } from '../../src/communications/delivery-batch.js';
import { rows } from '../../src/db/database.js';
import { startTestApp, type TestApp } from '../support/app.js';
import type { TestClient } from '../support/client.js';
import { testClock } from '../support/clock.js';
import { publishedNotice, startGateway } from './support.js';

const SECRET = 'gives-up-test-secret-0123456789';
// No worker loop: the test runs what is due with `drain` and moves this clock past each backoff.
const clock = testClock(new Date('2026-11-23T09:00:00Z'), { ticking: true });
let t: TestApp;
let gateway: Awaited<ReturnType<typeof startGateway>>;
let manager: TestClient;

beforeAll(async () => {
  // A gateway that is down for as long as the test lasts: every hand-over fails for now, never for good.
  gateway = await startGateway(() => ({ status: 503, body: { error: 'maintenance' } }));
  t = await startTestApp({
    clock,
    config: { smsGatewayUrl: gateway.url, gatewaySecret: SECRET, defaultCountry: 'DE' },
    retryPolicy: { baseDelayMs: 1_000, maxDelayMs: 1_000 },
  });
  await publishedNotice(t);
  manager = await t.signedIn(['manager']);
});
afterAll(async () => {
  await t.close();
  await gateway.close();
});

describe('a delivery that runs out of attempts', () => {
  it('fails its item with the last error, on the timeline, and its batch run completes', async () => {
    await t.app.storage.db.execute(sql`
      insert into customers (kind, name, given_name, family_name, phones, channel_preferences, tags)
      select 'person', 'Texter ' || n, 'Texter', n::text, array['+4915199900' || lpad(n::text, 3, '0')], array['sms'], array['gateway-down']
      from generate_series(1, 3) n`);
    const segment = await manager.post('/api/segments', {
      name: 'Gateway down',
      filter: { tagsAll: ['gateway-down'] },
    });
    const run = (
      await manager.post('/api/batch-runs', {
        template: 'meter-reading',
        segmentId: segment.body.id,
        data: { due: '30 November' },
      })
    ).body;

    for (let attempt = 1; attempt <= DELIVER_ATTEMPTS; attempt++) {
      await t.app.worker.drain();
      clock.advance(2_000);
    }

    const progress = (await manager.get(`/api/batch-runs/${run.id}`)).body;
    expect(progress).toMatchObject({ status: 'completed', done: 3, statuses: { failed: 3 } });
    expect(gateway.requests).toHaveLength(3 * DELIVER_ATTEMPTS);
    const items = (await manager.get(`/api/communications?batchRunId=${run.id}`)).body.communications;
    for (const item of items) {
      expect(item).toMatchObject({
        status: 'failed',
        channel: 'sms',
        statusReason: 'Delivery gave up after its last attempt: The sms gateway answered 503',
      });
      const detail = (await manager.get(`/api/communications/${item.id}`)).body;
      expect(detail.attempts.filter((a: { outcome: string }) => a.outcome === 'failed_temporarily')).toHaveLength(
        DELIVER_ATTEMPTS,
      );
      const timeline = (await manager.get(`/api/customers/${item.customerId}/timeline?kind=communication`)).body;
      expect(timeline.entries[0]).toMatchObject({
        title: 'Not sent: delivery gave up',
        body: 'Delivery gave up after its last attempt: The sms gateway answered 503',
        subjectId: item.id,
      });
    }
    const [dead] = await rows<{ n: number }>(
      t.app.db,
      sql`select count(*)::int as n from jobs where kind = 'communication.deliver' and status = 'dead'`,
    );
    expect(dead!.n).toBe(3);
  });
});
