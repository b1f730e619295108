import { count, eq, inArray, and } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signPayload } from '../../src/channels/gateway.channel.js';
import { gatewayReceiptSignatures } from '../../src/communications/receipts.tables.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import { jobs } from '../../src/jobs/jobs.tables.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { testClock } from '../support/clock.js';
import type { TestClient } from '../support/client.js';
import { waitFor } from '../support/wait-for.js';
import { newPerson, startDeliveryApp, type DeliveryApp } from './support.js';

const SECRET = 'receipts-test-secret-0123456789';
const clock = testClock(new Date());
let delivery: DeliveryApp;
let t: TestApp;
let smtp: DeliveryApp['smtp'];
let agent: TestClient;
let admin: TestClient;
let handedOver = 0;

beforeAll(async () => {
  delivery = await startDeliveryApp({
    clock,
    secret: SECRET,
    gatewayAnswer: () => ({ status: 202, body: { id: `gw-${++handedOver}` } }),
  });
  ({ t, smtp, agent, admin } = delivery);
});
afterAll(() => delivery?.close());

const address = { lines: ['Lindenstraße 4'], postalCode: '10969', city: 'Berlin', country: 'DE' };
const seconds = () => Math.floor(clock.now().getTime() / 1000);

const customer = (fields: Record<string, unknown>) =>
  newPerson(agent, { givenName: 'Grace', familyName: 'Hopper', ...fields });

type Item = { id: string; status: string; channel: string; transport: string | null; providerMessageId: string | null };
const communication = (id: string): Promise<Item & Record<string, any>> =>
  agent.get(`/api/communications/${id}`).then((response) => response.body);

/** Sends the meter-reading notice and waits until the item is handed over (or waits for print). */
async function sent(customerId: string, done = (body: Item) => body.status === 'sent') {
  const response = await agent.post('/api/communications', {
    template: 'meter-reading',
    customerId,
    data: { due: '30 November' },
  });
  return waitFor(() => communication(response.body.id), done);
}

/** Posts a receipt exactly as the gateway would: these bytes, this signature. */
const postReceipt = (payload: string, signature = signPayload(SECRET, payload, seconds())) =>
  t.client().request('POST', '/api/delivery/gateway-receipts', {
    payload,
    headers: { 'content-type': 'application/json', 'x-tidings-signature': signature },
  });

/** Waits until no delivery job is left to run, so what was sent is all that will be sent. */
const deliveriesSettled = () =>
  waitFor(
    async () =>
      (
        await t.app.db
          .select({ n: count() })
          .from(jobs)
          .where(and(eq(jobs.kind, 'communication.deliver'), inArray(jobs.status, ['queued', 'running'])))
      )[0]!.n,
    (n) => n === 0,
  );

describe('the gateway secret at start-up', () => {
  it('refuses the published placeholder, and no secret when a gateway is configured, unless demo data is on', () => {
    const placeholder = { TIDINGS_GATEWAY_SECRET: 'change-me-gateway-secret' };
    expect(() => loadConfig(placeholder)).toThrow(ConfigError);
    expect(() => loadConfig(placeholder)).toThrow(/TIDINGS_GATEWAY_SECRET: is the published placeholder/);
    expect(() => loadConfig({ TIDINGS_SMS_GATEWAY_URL: 'https://sms.example.test/messages' })).toThrow(
      /TIDINGS_GATEWAY_SECRET: is required when TIDINGS_SMS_GATEWAY_URL or TIDINGS_FAX_GATEWAY_URL is set/,
    );
    expect(() => loadConfig({ TIDINGS_FAX_GATEWAY_URL: 'https://fax.example.test/messages' })).toThrow(
      /TIDINGS_GATEWAY_SECRET/,
    );

    expect(loadConfig({ ...placeholder, TIDINGS_DEMO: '1' }).gatewaySecret).toBe('change-me-gateway-secret');
    expect(loadConfig({ TIDINGS_DEMO: '1' }).gatewaySecret).toBe('change-me-gateway-secret');
    expect(loadConfig({}).gatewaySecret).toBeUndefined();
    expect(
      loadConfig({ TIDINGS_SMS_GATEWAY_URL: 'https://sms.example.test/messages', TIDINGS_GATEWAY_SECRET: SECRET })
        .gatewaySecret,
    ).toBe(SECRET);
  });

  it('without a secret, refuses every receipt, the placeholder-signed one included', async () => {
    const bare = await startTestApp();
    try {
      expect(bare.app.config.gatewaySecret).toBeUndefined();
      const payload = JSON.stringify({ id: 'gw-1', status: 'failed' });
      const response = await bare.client().request('POST', '/api/delivery/gateway-receipts', {
        payload,
        headers: {
          'content-type': 'application/json',
          'x-tidings-signature': signPayload('change-me-gateway-secret', payload),
        },
      });
      expect(response.status).toBe(401);
      expect(response.body).toMatchObject({ error: 'gateway.receipts_disabled' });
    } finally {
      await bare.close();
    }
  });
});

describe('receipts from the SMS and fax gateway', () => {
  it('applies a permanent failure once: a replay is a 409, a re-signed copy changes nothing, one fallback goes out', async () => {
    const customerId = await customer({
      phones: ['+49 151 70000001'],
      emails: ['grace@example.test'],
      channelPreferences: ['sms', 'email'],
    });
    const sms = await sent(customerId);
    expect(sms).toMatchObject({ channel: 'sms', transport: 'sms-gateway' });

    const payload = JSON.stringify({ id: sms.providerMessageId, status: 'failed', permanent: true, detail: 'absent' });
    const signature = signPayload(SECRET, payload, seconds());
    const first = await postReceipt(payload, signature);
    for (const replay of [await postReceipt(payload, signature), await postReceipt(payload, signature)]) {
      expect(replay.status).toBe(409);
      expect(replay.body).toMatchObject({ error: 'gateway.receipt_replayed' });
    }
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ id: sms.id, status: 'queued', applied: true });

    await waitFor(
      () => communication(sms.id),
      (body) => body.channel === 'email' && body.status === 'sent',
    );
    // The gateway sends the same receipt again, freshly signed: the item has moved on, so nothing changes.
    const resigned = await postReceipt(payload, signPayload(SECRET, payload, seconds() - 1));
    expect(resigned.status).toBe(404);
    await deliveriesSettled();

    const after = await communication(sms.id);
    expect(after).toMatchObject({ status: 'sent', channel: 'email', failedChannels: ['sms'] });
    expect(
      after.attempts.filter((attempt: { outcome: string }) => attempt.outcome === 'failed_permanently'),
    ).toHaveLength(1);
    expect(smtp.received.filter((mail) => mail.to.includes('grace@example.test'))).toHaveLength(1);
    expect((await agent.get(`/api/customers/${customerId}`)).body.undeliverable).toEqual(['sms:+4915170000001']);
  });

  it('applies a delivered receipt once, audited; a second one freshly signed answers applied: false', async () => {
    const customerId = await customer({
      fax: '030 7654321',
      channelPreferences: ['fax'],
      address,
    });
    const fax = await sent(customerId);
    expect(fax).toMatchObject({ channel: 'fax', transport: 'fax-gateway' });

    const payload = JSON.stringify({ id: fax.providerMessageId, status: 'delivered', detail: 'transmitted' });
    const first = await postReceipt(payload);
    const again = await postReceipt(payload, signPayload(SECRET, payload, seconds() - 2));
    const after = await communication(fax.id);
    expect(after.attempts.filter((attempt: { detail: string }) => attempt.detail.startsWith('Delivered'))).toHaveLength(
      1,
    );
    expect(first.body).toEqual({ id: fax.id, status: 'delivered', applied: true });
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ id: fax.id, status: 'delivered', applied: false });
    const trail = await admin.get(`/api/audit?entityType=communication&entityId=${fax.id}`);
    expect(
      trail.body.events.filter((event: { action: string }) => event.action === 'communication.receipt_applied'),
    ).toEqual([
      expect.objectContaining({
        actorLabel: 'fax gateway',
        summary: {
          channel: 'fax',
          providerMessageId: fax.providerMessageId,
          status: 'delivered',
          detail: 'transmitted',
        },
      }),
    ]);
  });

  it('does not apply to a letter or a portal message, not even by its communication id', async () => {
    const letter = await sent(
      await customer({ address, channelPreferences: ['letter'] }),
      (body) => body.transport === 'print',
    );
    const portal = await sent(await customer({ emails: ['portal@example.test'], channelPreferences: ['portal'] }));
    for (const item of [letter, portal]) {
      for (const id of [item.id, item.providerMessageId].filter(Boolean)) {
        const response = await postReceipt(JSON.stringify({ id, status: 'failed', permanent: true }));
        expect(response.status).toBe(404);
      }
    }
    await deliveriesSettled();
    expect(await communication(letter.id)).toMatchObject({
      status: 'awaiting_print',
      channel: 'letter',
      failedChannels: [],
    });
    expect(await communication(portal.id)).toMatchObject({ status: 'sent', channel: 'portal', failedChannels: [] });
  });

  it('remembers a signature for as long as it would be accepted, then forgets it', async () => {
    const sms = await sent(await customer({ phones: ['+49 151 70000002'], channelPreferences: ['sms'] }));
    const payload = JSON.stringify({ id: sms.providerMessageId, status: 'delivered' });
    // The gateway's clock runs 290 s ahead of ours: its signature stays acceptable for 590 s.
    const signedAt = seconds() + 290;
    const signature = signPayload(SECRET, payload, signedAt);
    const first = await postReceipt(payload, signature);

    clock.advance(580_000);
    expect((await postReceipt(payload, signature)).status).toBe(409);
    expect(first.body).toMatchObject({ status: 'delivered', applied: true });

    clock.advance(20_000);
    expect((await postReceipt(payload, signature)).status).toBe(401);
    // Any receipt prunes what can no longer be replayed.
    await postReceipt(JSON.stringify({ id: 'gw-unknown', status: 'delivered' }));
    const remembered = await t.app.db
      .select()
      .from(gatewayReceiptSignatures)
      .where(eq(gatewayReceiptSignatures.signedAt, new Date(signedAt * 1000)));
    expect(remembered).toEqual([]);
  });
});
