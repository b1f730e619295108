import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { count, eq } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INBOUND_LEAD_TAG } from '../../src/inbound/inbound.service.js';
import { inboundMessages } from '../../src/inbound/inbound.tables.js';
import { tickets } from '../../src/tickets/tickets.tables.js';
import { startTestApp, type TestApp } from '../support/app.js';
import type { TestClient } from '../support/client.js';
import { waitFor } from '../support/wait-for.js';
import { publishedNotice, startSmtpReceiver } from '../communications/support.js';
import { deliveryStatusNotification, smtpClient } from './support.js';
import { tidingsArgs } from '../support/cli.js';
import { restoreMigratedDatabase } from '../support/data-folder.js';

const run = promisify(execFile);
const SUPPORT = 'help@support.example.test';
const MAX_BYTES = 64_000;

let t: TestApp;
let outgoing: Awaited<ReturnType<typeof startSmtpReceiver>>;
let agent: TestClient;
let port: number;
let sent = 0;
/** What the app logged at warn and above: every refusal must be here. */
const warnings: { msg: string; recipient?: string; reason?: string; size?: number }[] = [];

beforeAll(async () => {
  outgoing = await startSmtpReceiver();
  t = await startTestApp({
    config: { smtpUrl: outgoing.url, inbound: { accepted: ['support.example.test'], maxBytes: MAX_BYTES } },
    workerPollMs: 50,
    retryPolicy: { baseDelayMs: 50, maxDelayMs: 200 },
    logger: pino({ level: 'warn' }, { write: (line: string) => void warnings.push(JSON.parse(line)) }),
  });
  await publishedNotice(t);
  agent = await t.signedIn(['agent']);
  port = await t.app.inboundListener.listen(0, '127.0.0.1');
  t.app.worker.start();
});
afterAll(async () => {
  await t?.close();
  await outgoing?.close();
});

type Mail = {
  from: string;
  subject: string;
  text?: string;
  inReplyTo?: string;
  references?: string[];
  attachments?: { filename: string; content: Buffer; contentType: string }[];
};

/** Sends a mail to the support address over SMTP; returns its Message-ID and the listener's answer. */
async function mail(message: Mail & { headers?: Record<string, string> }) {
  const messageId = `<inbound-${++sent}-${Date.now()}@example.test>`;
  const info = await smtpClient(port).sendMail({ to: SUPPORT, text: 'Hello', ...message, messageId });
  return { messageId, response: info.response };
}

/** The stored inbound message, once its job has processed it. */
const processed = (messageId: string) =>
  waitFor(
    () => t.app.db.select().from(inboundMessages).where(eq(inboundMessages.messageId, messageId)),
    (rows) => rows.length > 0 && rows.every((row) => row.status === 'processed'),
  ).then((rows) => rows.at(-1)!);

const ticket = async (id: string) => (await agent.get(`/api/tickets/${id}`)).body;
const ticketCount = async () => (await t.app.db.select({ n: count() }).from(tickets))[0]!.n;

async function customer(email: string) {
  const response = await agent.post('/api/customers', {
    kind: 'person',
    givenName: 'Grace',
    familyName: 'Hopper',
    emails: [email],
    channelPreferences: ['email'],
  });
  if (response.status !== 201) throw new Error(response.text);
  return response.body.id as string;
}

/** The meter-reading notice sent by email to the customer, once handed over. */
async function sentNotice(customerId: string) {
  const response = await agent.post('/api/communications', {
    template: 'meter-reading',
    customerId,
    data: { due: '30 November' },
  });
  return waitFor(
    async () => (await agent.get(`/api/communications/${response.body.id}`)).body,
    (body) => body.status === 'sent',
  );
}

describe('mail to the support address', () => {
  it('from an unknown sender makes a request ticket and a flagged lead, stored before the 250', async () => {
    const { messageId, response } = await mail({
      from: '"Ada Lovelace" <Ada@Example.test>',
      subject: 'My meter is broken',
      text: 'The display stays dark.',
    });
    expect(response).toMatch(/^250 2\.0\.0 Stored as [0-9a-f-]{36}/);
    const row = await processed(messageId);
    expect(row).toMatchObject({ outcome: 'ticket_created', fromAddress: 'ada@example.test', recipients: [SUPPORT] });
    const opened = await ticket(row.ticketId!);
    expect(opened).toMatchObject({ kind: 'request', source: 'email', subject: 'My meter is broken', status: 'new' });
    expect(opened.messages).toMatchObject([
      {
        kind: 'customer',
        body: 'The display stays dark.',
        authorLabel: 'Ada Lovelace <ada@example.test>',
        emailMessageId: messageId,
        rawSha256: row.rawSha256,
      },
    ]);
    const lead = (await agent.get(`/api/customers/${opened.customerId}`)).body;
    expect(lead).toMatchObject({
      name: 'Ada Lovelace',
      emails: ['ada@example.test'],
      lifecycleStage: 'prospect',
      tags: [INBOUND_LEAD_TAG],
    });
    const raw = await t.app.blobs.read(row.rawSha256);
    expect(raw.toString()).toContain(`Message-ID: ${messageId}`);

    // Her next mail, with the ticket's token in the subject, lands on it and creates no second customer.
    const { messageId: second } = await mail({
      from: 'ada@example.test',
      subject: `Re: [Ticket #${opened.number}] My meter is broken`,
      text: 'It works again after a restart.',
    });
    expect(await processed(second)).toMatchObject({ outcome: 'ticket_message', ticketId: opened.id });
    const matches = await agent.get('/api/customers?q=ada@example.test');
    expect(matches.body.customers).toHaveLength(1);
  });

  it('a reply to a communication Tidings sent makes a ticket linked to it and its template version, then adds to it', async () => {
    const customerId = await customer('grace@example.test');
    const notice = await sentNotice(customerId);
    expect(notice.providerMessageId).toMatch(/^<.+>$/);
    const { messageId } = await mail({
      from: 'grace@example.test',
      subject: 'Re: Meter reading due, Grace',
      text: 'I sent the reading last week already!',
      inReplyTo: notice.providerMessageId,
      references: [notice.providerMessageId],
    });
    const row = await processed(messageId);
    expect(row).toMatchObject({ outcome: 'ticket_created', communicationId: notice.id });
    const opened = await ticket(row.ticketId!);
    expect(opened).toMatchObject({
      customerId,
      kind: 'inquiry',
      source: 'email',
      communicationId: notice.id,
      templateVersionId: notice.templateVersionId,
    });
    expect(opened.communication).toMatchObject({ id: notice.id, templateName: 'Meter reading reminder' });

    // Made a complaint by an agent, it counts for that template version.
    await agent.patch(`/api/tickets/${opened.id}`, { kind: 'complaint' });
    const rate = await agent.get(`/api/template-versions/${notice.templateVersionId}/complaints`);
    expect(rate.body).toMatchObject({ complaints: 1 });

    const { messageId: again } = await mail({
      from: 'grace@example.test',
      subject: 'Re: Meter reading due, Grace',
      text: 'Hello? Anyone?',
      references: [notice.providerMessageId],
    });
    expect(await processed(again)).toMatchObject({ outcome: 'ticket_message', ticketId: opened.id });
  });

  it("a reply to the ticket's own mail lands on it and reopens it", async () => {
    const { messageId } = await mail({ from: 'linus@example.test', subject: 'Question about my bill' });
    const { ticketId } = await processed(messageId);
    const answered = await agent.post(`/api/tickets/${ticketId}/replies`, { body: 'It is due on the 1st.' });
    expect(answered.status).toBe(201);
    const reply = await waitFor(
      async () => (await agent.get(`/api/communications/${answered.body.communicationId}`)).body,
      (body) => body.status === 'sent',
    );
    await agent.post(`/api/tickets/${ticketId}/actions`, { action: 'resolve' });
    expect((await ticket(ticketId!)).status).toBe('resolved');

    const { messageId: followUp } = await mail({
      from: 'linus@example.test',
      subject: 'Re: something else entirely',
      text: 'Which month?',
      inReplyTo: reply.providerMessageId,
      references: [messageId, reply.providerMessageId],
    });
    expect(await processed(followUp)).toMatchObject({ outcome: 'ticket_message', ticketId });
    const reopened = await ticket(ticketId!);
    expect(reopened.status).toBe('open');
    expect(reopened.messages.map((message: { kind: string }) => message.kind)).toEqual([
      'customer',
      'reply',
      'customer',
    ]);
  });

  it("a ticket token of another customer's ticket opens a new ticket instead", async () => {
    const { messageId } = await mail({ from: 'owner@example.test', subject: 'Mine' });
    const owned = await ticket((await processed(messageId)).ticketId!);
    const { messageId: guess } = await mail({ from: 'mallory@example.test', subject: `[Ticket #${owned.number}] hi` });
    const row = await processed(guess);
    expect(row.outcome).toBe('ticket_created');
    expect(row.ticketId).not.toBe(owned.id);
  });

  it('a delivery status notification marks the address undeliverable and makes no ticket', async () => {
    const customerId = await customer('gone@example.test');
    const notice = await sentNotice(customerId);
    const before = await ticketCount();
    const dsn = deliveryStatusNotification(notice.providerMessageId, 'gone@example.test');
    await smtpClient(port).sendMail({ envelope: { from: '', to: [SUPPORT] }, raw: dsn });
    const row = await processed(`<dsn-${notice.providerMessageId.slice(1, -1)}@mx.example.test>`);
    // Sent with a null reverse path (MAIL FROM:<>), as bounces are.
    expect(row).toMatchObject({ outcome: 'bounce', communicationId: notice.id, ticketId: null, mailFrom: '' });
    // As the JSON bounce endpoint does: email failed for good, the item goes by the next channel it may use.
    const rerouted = await waitFor(
      async () => (await agent.get(`/api/communications/${notice.id}`)).body,
      (body) => ['sent', 'bounced', 'failed'].includes(body.status) && body.channel !== 'email',
    );
    expect(rerouted.failedChannels).toEqual(['email']);
    expect((await agent.get(`/api/customers/${customerId}`)).body.undeliverable).toEqual(['email:gone@example.test']);
    expect(await ticketCount()).toBe(before);
  });

  it('an automatic reply is kept but makes no ticket and gets no answer', async () => {
    const before = { tickets: await ticketCount(), sent: outgoing.received.length };
    const { messageId } = await mail({
      from: 'grace@example.test',
      subject: 'Out of office',
      text: 'I am away until Monday.',
      headers: { 'Auto-Submitted': 'auto-replied' },
    });
    expect(await processed(messageId)).toMatchObject({ outcome: 'auto_reply', ticketId: null });
    const { messageId: bulk } = await mail({
      from: 'news@example.test',
      subject: 'Our newsletter',
      headers: { Precedence: 'bulk' },
    });
    expect(await processed(bulk)).toMatchObject({ outcome: 'auto_reply' });
    expect(await ticketCount()).toBe(before.tickets);
    expect(outgoing.received.length).toBe(before.sent);
  });

  it('keeps attachments of the types tickets take and names the others', async () => {
    const { messageId } = await mail({
      from: 'files@example.test',
      subject: 'My documents',
      text: 'See attached.',
      attachments: [
        { filename: 'reading.pdf', content: Buffer.from('%PDF-1.4 reading'), contentType: 'application/pdf' },
        { filename: 'tool.exe', content: Buffer.from('MZ'), contentType: 'application/x-msdownload' },
      ],
    });
    const row = await processed(messageId);
    const [message] = (await ticket(row.ticketId!)).messages;
    expect(message.attachments).toEqual([
      expect.objectContaining({ filename: 'reading.pdf', mediaType: 'application/pdf', size: 16 }),
    ]);
    expect((await t.app.blobs.read(message.attachments[0].sha256)).toString()).toBe('%PDF-1.4 reading');
    expect(message.body).toBe(
      'See attached.\n\n[Not attached, of a type tickets do not take: tool.exe (application/x-msdownload)]',
    );
  });

  it('the same message delivered twice is one ticket message', async () => {
    const raw = Buffer.from(
      'From: twice@example.test\r\nTo: help@support.example.test\r\nSubject: Twice\r\nMessage-ID: <twice-1@example.test>\r\n\r\nOnce, really.\r\n',
    );
    await smtpClient(port).sendMail({ envelope: { from: 'twice@example.test', to: [SUPPORT] }, raw });
    await smtpClient(port).sendMail({ envelope: { from: 'twice@example.test', to: [SUPPORT] }, raw });
    const rows = await waitFor(
      () => t.app.db.select().from(inboundMessages).where(eq(inboundMessages.messageId, '<twice-1@example.test>')),
      (found) => found.length === 2 && found.every((row) => row.status === 'processed'),
    );
    expect(rows.map((row) => row.outcome).sort()).toEqual(['duplicate', 'ticket_created']);
    expect(new Set(rows.map((row) => row.ticketId)).size).toBe(1);
    // Processing again changes nothing.
    expect(await t.app.inbound.process(rows[0]!.id)).toMatchObject({ outcome: rows[0]!.outcome });
    expect((await ticket(rows[0]!.ticketId!)).messages).toHaveLength(1);
  });
});

describe('GET /api/inbound-messages', () => {
  it('lists what arrived and what became of it, newest first, to those who work tickets', async () => {
    const autoReplies = await agent.get('/api/inbound-messages?outcome=auto_reply&limit=1');
    expect(autoReplies.status).toBe(200);
    expect(autoReplies.body.messages).toEqual([
      expect.objectContaining({
        outcome: 'auto_reply',
        status: 'processed',
        subject: 'Our newsletter',
        ticketId: null,
      }),
    ]);
    const next = await agent.get(
      `/api/inbound-messages?outcome=auto_reply&limit=1&cursor=${encodeURIComponent(autoReplies.body.nextCursor)}`,
    );
    expect(next.body.messages).toEqual([expect.objectContaining({ subject: 'Out of office' })]);
    expect(next.body.nextCursor).toBeNull();

    const viewer = await t.signedIn(['viewer']);
    expect((await viewer.get('/api/inbound-messages')).status).toBe(403);
    const wrong = await agent.get('/api/inbound-messages?status=lost');
    expect(wrong.status).toBe(400);
    expect(wrong.body.details).toEqual([expect.objectContaining({ path: 'querystring.status' })]);
  });
});

describe('what the listener refuses', () => {
  const storedCount = async () => (await t.app.db.select({ n: count() }).from(inboundMessages))[0]!.n;

  it('a recipient outside the accepted domains, at RCPT', async () => {
    const error = await smtpClient(port)
      .sendMail({ from: 'ann@example.test', to: 'sales@elsewhere.test', subject: 'hi', text: 'hi' })
      .catch((failure: { responseCode?: number; command?: string; message: string }) => failure);
    expect(error).toMatchObject({ responseCode: 550, command: 'RCPT TO' });
    expect(warnings).toContainEqual(
      expect.objectContaining({
        msg: 'inbound mail refused: recipient not accepted',
        recipient: 'sales@elsewhere.test',
      }),
    );
  });

  it('a message over the size limit with 552, and one that does not parse with 550, storing neither', async () => {
    const before = await storedCount();
    const oversized = await smtpClient(port)
      .sendMail({ from: 'ann@example.test', to: SUPPORT, subject: 'big', text: 'x'.repeat(MAX_BYTES * 2) })
      .catch((failure: { responseCode?: number; response?: string }) => failure);
    expect(oversized).toMatchObject({ responseCode: 552 });
    const malformed = await smtpClient(port)
      .sendMail({
        envelope: { from: 'ann@example.test', to: [SUPPORT] },
        raw: 'this is not a message at all\r\n',
      })
      .catch((failure: { responseCode?: number; response?: string }) => failure);
    expect(malformed).toMatchObject({ responseCode: 550 });
    expect((malformed as { response: string }).response).toMatch(/5\.6\.0 .*no From address/);
    expect(await storedCount()).toBe(before);
    expect(warnings).toContainEqual(
      expect.objectContaining({ msg: 'inbound mail refused: over the size limit', size: expect.any(Number) }),
    );
    expect(warnings).toContainEqual(
      expect.objectContaining({ msg: 'inbound mail refused', reason: expect.stringMatching(/no From address/) }),
    );
  });
});

describe('from outside Node', () => {
  it('swaks sends a mail that becomes a ticket', async () => {
    const messageId = `<swaks-${Date.now()}@example.test>`;
    const { stdout } = await run('swaks', [
      '--server',
      `127.0.0.1:${port}`,
      '--from',
      'swaks@example.test',
      '--to',
      SUPPORT,
      '--header',
      'Subject: Sent with swaks',
      '--header',
      `Message-Id: ${messageId}`,
      '--body',
      'Hello from the shell.',
    ]);
    expect(stdout).toMatch(/<-\s+250 2\.0\.0 Stored as/);
    const row = await processed(messageId);
    expect(row.outcome).toBe('ticket_created');
    expect((await ticket(row.ticketId!)).messages[0].body).toBe('Hello from the shell.');
  });

  it('`tidings inbound test` feeds a file through the same path and prints the ticket', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tidings-inbound-cli-'));
    try {
      const file = path.join(dataDir, 'request.eml');
      fs.writeFileSync(file, 'From: cli@example.test\r\nSubject: From a file\r\n\r\nPlease call me.\r\n');
      await restoreMigratedDatabase(dataDir);
      const env = { ...process.env, DATABASE_URL: '', TIDINGS_DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
      const { stdout } = await run(process.execPath, tidingsArgs('inbound', 'test', file), {
        env,
      });
      expect(stdout).toMatch(/^Opened ticket #1\. A new request\. The sender was unknown: a new lead was created\./);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
