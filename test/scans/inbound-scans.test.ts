import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { referenceCodeOf } from '../../src/communications/reference-code.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import { inboundMessages } from '../../src/inbound/inbound.tables.js';
import { publishedNotice } from '../communications/support.js';
import { smtpClient } from '../inbound/support.js';
import { startTestApp, type TestApp } from '../support/app.js';
import type { TestClient } from '../support/client.js';
import { waitFor } from '../support/wait-for.js';
import { letterPage, scannedReply } from './paper.js';
import { letterSent } from './support.js';

const SCANS = 'scans@support.example.test';

let t: TestApp;
let agent: TestClient;
let port: number;

beforeAll(async () => {
  t = await startTestApp({
    config: {
      defaultCountry: 'DE',
      // As TIDINGS_SCAN_ADDRESSES leaves it: the listener takes mail for the scan address too.
      inbound: { accepted: ['help@support.example.test', SCANS], maxBytes: 5_000_000, scanAddresses: [SCANS] },
    },
    workerPollMs: 50,
  });
  await publishedNotice(t);
  agent = await t.signedIn(['agent']);
  port = await t.app.inboundListener.listen(0, '127.0.0.1');
  t.app.worker.start();
});
afterAll(() => t.close());

/** The stored inbound message, once its job has processed it. */
const processed = (messageId: string) =>
  waitFor(
    () => t.app.db.select().from(inboundMessages).where(eq(inboundMessages.messageId, messageId)),
    (rows) => rows.length === 1 && rows[0]!.status === 'processed',
  ).then((rows) => rows[0]!);

describe('scans mailed to the scan address', () => {
  it('files each scanned attachment on its letter’s customer, and opens no ticket for the email itself', async () => {
    const letter = await letterSent(agent);
    const jpeg = await scannedReply(await letterPage(letter.pdf), {
      skewDegrees: -2,
      handwriting: 'Please send the new meter',
      format: 'jpeg',
    });
    const messageId = `<scanner-${Date.now()}@mailroom.example.test>`;
    await smtpClient(port).sendMail({
      from: 'scanner@mailroom.example.test',
      to: SCANS,
      subject: 'Scan from MFP-2',
      text: 'Scanned pages attached.',
      messageId,
      attachments: [
        { filename: 'scan-0001.jpg', content: jpeg, contentType: 'image/jpeg' },
        { filename: 'settings.txt', content: Buffer.from('duplex=on'), contentType: 'text/plain' },
      ],
    });
    const message = await processed(messageId);
    expect(message).toMatchObject({ outcome: 'scans', ticketId: null });
    expect(message.detail).toContain('1 scan taken');

    const scan = await waitFor(
      async () =>
        (await agent.get('/api/scans')).body.scans.find(
          (row: { filename: string }) => row.filename === 'scan-0001.jpg',
        ),
      (row) => row?.status === 'filed',
      { timeoutMs: 120_000, intervalMs: 200 },
    );
    expect(scan).toMatchObject({
      source: 'email',
      method: 'qr',
      customerId: letter.customerId,
      communicationId: letter.communicationId,
      reference: referenceCodeOf(letter.communicationId),
    });
    const ticket = (await agent.get(`/api/tickets/${scan.ticketId}`)).body;
    expect(ticket).toMatchObject({ source: 'letter_scan', communicationId: letter.communicationId });
    // The scanner's email made no ticket of its own: the only ticket of the customer is the scan's.
    const tickets = (await agent.get(`/api/tickets?customerId=${letter.customerId}`)).body.tickets;
    expect(tickets.map((row: { id: string }) => row.id)).toEqual([scan.ticketId]);
  }, 150_000);
});

describe('TIDINGS_SCAN_ADDRESSES', () => {
  it('adds the scan addresses to those the listener takes mail for, and a wrong one names the variable', () => {
    const config = loadConfig({
      TIDINGS_INBOUND_SMTP_PORT: '2525',
      TIDINGS_INBOUND_ADDRESSES: 'support.example.com',
      TIDINGS_SCAN_ADDRESSES: 'Scans@Mailroom.example.com',
    });
    expect(config.inbound.scanAddresses).toEqual(['scans@mailroom.example.com']);
    expect(config.inbound.accepted).toEqual(['support.example.com', 'scans@mailroom.example.com']);
    expect(() => loadConfig({ TIDINGS_SCAN_ADDRESSES: 'mailroom.example.com' })).toThrow(ConfigError);
    expect(() => loadConfig({ TIDINGS_SCAN_ADDRESSES: 'mailroom.example.com' })).toThrow(/TIDINGS_SCAN_ADDRESSES/);
  });
});
