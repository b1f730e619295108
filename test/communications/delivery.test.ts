import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { PDFDocument } from 'pdf-lib';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signPayload } from '../../src/channels/gateway.channel.js';
import { pdfTextLines } from '../rendering/poppler.js';
import type { TestApp } from '../support/app.js';
import { unzip } from '../support/zip.js';
import type { TestClient } from '../support/client.js';
import { testClock } from '../support/clock.js';
import { qpdfCheck } from '../support/qpdf.js';
import { waitFor } from '../support/wait-for.js';
import { newPerson, startDeliveryApp, type DeliveryApp } from './support.js';

const SECRET = 'test-gateway-secret-0123456789';
let delivery: DeliveryApp;
let t: TestApp;
let smtp: DeliveryApp['smtp'];
let gateway: DeliveryApp['gateway'];
let agent: TestClient;
let admin: TestClient;
let author: TestClient;
let reviewer: TestClient;
// 22:30 in Berlin (CET): inside quiet hours that start at 22:00, and hours before the daily print batch at midnight UTC.
const clock = testClock(new Date('2026-11-23T21:30:00Z'), { ticking: true });
/** Now, as the receipts endpoint reads signature times: in seconds on the app's clock. */
const seconds = () => Math.floor(clock.now().getTime() / 1000);

beforeAll(async () => {
  delivery = await startDeliveryApp({ clock, secret: SECRET, smtp: { rejectRecipients: ['gone@example.test'] } });
  ({ t, smtp, gateway, agent, admin, author, reviewer } = delivery);
});
afterAll(() => delivery?.close());

const address = { lines: ['Lindenstraße 4'], postalCode: '10969', city: 'Berlin', country: 'DE' };

const customer = (fields: Record<string, unknown>) =>
  newPerson(agent, { givenName: 'Ada', familyName: 'Lovelace', ...fields });

const send = (customerId: string, key?: string, due = '30 November') =>
  agent.post(
    '/api/communications',
    { template: 'meter-reading', customerId, data: { due } },
    key ? { 'idempotency-key': key } : undefined,
  );

const settled = (id: string, statuses = ['sent', 'delivered', 'suppressed', 'failed', 'bounced']) =>
  waitFor(
    () => agent.get(`/api/communications/${id}`).then((r) => r.body),
    (body) => statuses.includes(body.status),
  );

describe('email over a real SMTP conversation', () => {
  it('sends once per Idempotency-Key; the received message is the archived .eml, byte for byte', async () => {
    const customerId = await customer({ emails: ['ada@example.test'], channelPreferences: ['email'] });
    const first = await send(customerId, 'reading-42');
    expect(first.status).toBe(201);
    const again = await send(customerId, 'reading-42');
    expect(again.status).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body.id).toBe(first.body.id);
    const conflicting = await send(customerId, 'reading-42', '1 December');
    expect(conflicting.status).toBe(409);
    expect(conflicting.body).toMatchObject({
      error: 'idempotency.key_reused',
      details: [
        { path: 'headers.idempotency-key', message: `was used for communication ${first.body.id} with another body` },
      ],
    });

    const sent = await settled(first.body.id);
    expect(sent).toMatchObject({
      status: 'sent',
      channel: 'email',
      transport: 'smtp',
      address: 'ada@example.test',
      channelReason: 'first preference',
    });
    const delivered = smtp.received.filter((mail) => mail.to.includes('ada@example.test'));
    expect(delivered).toHaveLength(1);

    const archived = await agent.get(`/api/communications/${first.body.id}/copy`);
    expect(archived.headers['content-type']).toContain('message/rfc822');
    expect(delivered[0]!.raw.toString().replace(/\r\n$/, '')).toBe(archived.text.replace(/\r\n$/, ''));

    const parsed = await simpleParser(delivered[0]!.raw);
    expect(parsed.subject).toBe('Meter reading due, Ada');
    expect(parsed.messageId).toBe(sent.providerMessageId);
    expect(parsed.text).toContain('please send your meter reading by 30 November');
    expect(parsed.html).toContain('Ada Lovelace');

    const timeline = await agent.get(`/api/customers/${customerId}/timeline?kind=communication`);
    expect(timeline.body.entries[0]).toMatchObject({
      title: 'Meter reading reminder sent by email',
      subjectId: first.body.id,
    });
  });

  it('sends with a brand change at once, and with one another process made within a second', async () => {
    const manager = await t.signedIn(['manager']);
    const { logoSha256: _logo, updatedAt: _updated, ...kit } = (await manager.get('/api/brand')).body;
    const fromName = async (email: string) => {
      const customerId = await customer({ emails: [email], channelPreferences: ['email'] });
      await settled((await send(customerId)).body.id);
      const mail = smtp.received.find((candidate) => candidate.to.includes(email))!;
      return (await simpleParser(mail.raw)).from?.value[0]?.name;
    };
    expect(await fromName('brand-before@example.test')).toBe(kit.senders.emailName);
    const renamed = { ...kit, senders: { ...kit.senders, emailName: 'Stadtwerke Neu' } };
    expect((await manager.put('/api/brand', renamed)).status).toBe(200);
    expect(await fromName('brand-changed@example.test')).toBe('Stadtwerke Neu');
    // Another process changes the kit in the database: this one looks again once its copy is a second old.
    await t.app.storage.db.execute(
      sql`update brand_kit set senders = jsonb_set(senders, '{emailName}', '"Stadtwerke Anders"'), updated_at = now()`,
    );
    clock.advance(1_000);
    expect(await fromName('brand-elsewhere@example.test')).toBe('Stadtwerke Anders');
  });

  it('refuses a send without the data the template declares, naming it', async () => {
    const customerId = await customer({ emails: ['no-data@example.test'] });
    const response = await agent.post('/api/communications', { template: 'meter-reading', customerId, data: {} });
    expect(response.status).toBe(400);
    expect(response.body.details).toEqual([{ path: 'body.data.due', message: 'is required by the template' }]);
  });

  it('refuses data that only Tidings may set: the address that asked, which skips quiet hours', async () => {
    const customerId = await customer({ emails: ['reserved@example.test'] });
    const response = await agent.post('/api/communications', {
      template: 'meter-reading',
      customerId,
      data: { due: '2026-12-15', requestedBy: 'reserved@example.test' },
    });
    expect(response.status).toBe(400);
    expect(response.body.details).toEqual([
      { path: 'body.data.requestedBy', message: 'is reserved for messages the recipient asked for themselves' },
    ]);
  });

  it('refuses a send to an archived customer until the record is restored', async () => {
    const customerId = await customer({ emails: ['archived@example.test'] });
    expect((await agent.post(`/api/customers/${customerId}/archive`, {})).status).toBe(200);
    const refused = await send(customerId);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({
      error: 'customer.archived',
      details: [{ path: 'body.customerId', message: 'is archived' }],
    });
    expect((await agent.post(`/api/customers/${customerId}/restore`, {})).status).toBe(200);
    expect((await send(customerId)).status).toBe(201);
  });

  it('falls back to the next channel when the mail server refuses the address for good', async () => {
    const customerId = await customer({
      emails: ['gone@example.test'],
      channelPreferences: ['email', 'letter'],
      address,
    });
    const response = await send(customerId);
    const done = await waitFor(
      () => agent.get(`/api/communications/${response.body.id}`).then((r) => r.body),
      (body) => body.channel === 'letter' && body.transport === 'print',
    );
    expect(done.failedChannels).toEqual(['email']);
    expect(
      done.attempts.map((attempt: { outcome: string; channel: string }) => `${attempt.channel}:${attempt.outcome}`),
    ).toEqual(['email:handing_over', 'email:failed_permanently', 'letter:handing_over', 'letter:handed_over']);
    // The mailbox does not exist: the address is never used again, and both changes are on the record.
    expect((await agent.get(`/api/customers/${customerId}`)).body.undeliverable).toEqual(['email:gone@example.test']);
    const trail = await admin.get(`/api/audit?entityId=${response.body.id}`);
    expect(trail.body.events).toContainEqual(
      expect.objectContaining({
        action: 'communication.failed_permanently',
        actorLabel: 'delivery',
        summary: expect.objectContaining({
          channel: 'email',
          address: 'gone@example.test',
          outcome: 'failed_permanently',
        }),
      }),
    );
    const customerTrail = await admin.get(`/api/audit?entityType=customer&entityId=${customerId}`);
    expect(customerTrail.body.events).toContainEqual(
      expect.objectContaining({
        action: 'customer.address_undeliverable',
        summary: expect.objectContaining({ addresses: ['email:gone@example.test'] }),
      }),
    );
  });
});

describe('routing', () => {
  it('suppresses with the reason when no channel is allowed', async () => {
    const customerId = await customer({ emails: ['withdrawn@example.test'], channelPreferences: ['email'] });
    for (const channel of ['email', 'portal', 'letter', 'sms', 'fax']) {
      await agent.post(`/api/customers/${customerId}/consents`, {
        channel,
        purpose: 'service',
        granted: false,
        source: 'phone',
      });
    }
    const sent = await settled((await send(customerId)).body.id);
    expect(sent.status).toBe('suppressed');
    expect(sent.statusReason).toMatch(/email \(service consent withdrawn\)/);
  });

  it('passes over a channel whose consent was withdrawn and one without an address, says so, and shows it on the timeline', async () => {
    const customerId = await customer({
      emails: ['no-service-mail@example.test'],
      channelPreferences: ['email', 'letter', 'portal'],
    });
    await agent.post(`/api/customers/${customerId}/consents`, {
      channel: 'email',
      purpose: 'service',
      granted: false,
      source: 'phone',
    });
    const sent = await settled((await send(customerId)).body.id);
    expect(sent).toMatchObject({
      status: 'sent',
      channel: 'portal',
      channelReason: 'preference 3; passed over email (service consent withdrawn), letter (no complete postal address)',
    });
    const timeline = (await agent.get(`/api/customers/${customerId}/timeline`)).body.entries;
    expect(timeline[0]).toMatchObject({ kind: 'communication', title: 'Meter reading reminder sent by portal' });
  });

  it('passes over channels the template has no version for', async () => {
    await author.post('/api/templates', {
      key: 'annual-statement',
      name: 'Annual statement',
      purpose: 'service',
      defaultLanguage: 'en',
      variants: { en: { letter: { body: 'Dear {{ customer.name }}, your statement.' } } },
    });
    for (const [client, action] of [
      [author, 'submit'],
      [reviewer, 'approve'],
      [author, 'publish'],
    ] as [TestClient, string][]) {
      expect((await client.post('/api/templates/annual-statement/versions/1/workflow', { action })).status).toBe(200);
    }
    const customerId = await customer({ address });
    const response = await agent.post('/api/communications', { template: 'annual-statement', customerId, data: {} });
    const routed = await waitFor(
      () => agent.get(`/api/communications/${response.body.id}`).then((r) => r.body),
      (body) => body.status === 'awaiting_print',
    );
    expect(routed).toMatchObject({
      transport: 'print',
      channel: 'letter',
      channelReason:
        'preference 3; passed over email (the template has no email version), portal (the template has no portal version)',
    });
  });

  it('defers to the end of quiet hours instead of dropping', async () => {
    const customerId = await customer({
      phones: ['+49 151 11122233'],
      channelPreferences: ['sms'],
      timeZone: 'Europe/Berlin',
      quietHours: { start: '22:00', end: '07:00' },
    });
    const response = await send(customerId);
    const deferred = await waitFor(
      () => agent.get(`/api/communications/${response.body.id}`).then((r) => r.body),
      (body) => body.deferUntil !== null,
    );
    // 07:00 the next morning in Berlin.
    expect(deferred).toMatchObject({ status: 'queued', channel: 'sms', deferUntil: '2026-11-24T06:00:00.000Z' });
    expect(deferred.attempts.map((attempt: { outcome: string; detail: string }) => attempt)).toEqual([
      expect.objectContaining({ outcome: 'deferred', detail: 'Quiet hours: deferred until 2026-11-24T06:00:00.000Z' }),
    ]);
    const waiting = await admin.get('/api/jobs?kind=communication.deliver&status=queued&limit=100');
    expect(
      waiting.body.jobs.filter(
        (job: { payload: { communicationId: string } }) => job.payload.communicationId === response.body.id,
      ),
    ).toEqual([expect.objectContaining({ runAt: '2026-11-24T06:00:00.000Z' })]);
  });
});

describe('SMS and fax through the HTTP gateway', () => {
  it('signs each request, and accepts only signed receipts', async () => {
    const customerId = await customer({ phones: ['+49 151 44455566'], channelPreferences: ['sms'] });
    const sent = await settled((await send(customerId)).body.id);
    expect(sent).toMatchObject({ status: 'sent', channel: 'sms', transport: 'sms-gateway' });
    const request = gateway.requests.find((candidate) => candidate.body.communicationId === sent.id)!;
    expect(request.body).toMatchObject({
      kind: 'sms',
      to: '+4915144455566',
      text: 'Tidings: please send your meter reading by 30 November.',
    });
    const [, at] = /t=(\d+)/.exec(String(request.headers['x-tidings-signature']))!;
    expect(request.headers['x-tidings-signature']).toBe(signPayload(SECRET, request.raw, Number(at)));

    const receipt = JSON.stringify({ id: sent.providerMessageId, status: 'delivered' });
    const forged = await t.client().request('POST', '/api/delivery/gateway-receipts', {
      payload: receipt,
      headers: {
        'content-type': 'application/json',
        'x-tidings-signature': signPayload('not-the-secret-at-all', receipt, seconds()),
      },
    });
    expect(forged.status).toBe(401);
    expect((await agent.get(`/api/communications/${sent.id}`)).body.status).toBe('sent');

    const signed = await t.client().request('POST', '/api/delivery/gateway-receipts', {
      payload: receipt,
      headers: { 'content-type': 'application/json', 'x-tidings-signature': signPayload(SECRET, receipt, seconds()) },
    });
    expect(signed.status).toBe(200);
    expect((await agent.get(`/api/communications/${sent.id}`)).body).toMatchObject({ status: 'delivered' });
  });

  it('sends a fax as a PDF to the fax-first small business', async () => {
    const response = await agent.post('/api/customers', {
      kind: 'organization',
      organizationName: 'Bäckerei Krause',
      fax: '030 1234567',
      channelPreferences: ['fax'],
      address,
    });
    const sent = await settled((await send(response.body.id)).body.id);
    expect(sent).toMatchObject({ channel: 'fax', address: '+49301234567', archiveMediaType: 'application/pdf' });
    const request = gateway.requests.find((candidate) => candidate.body.communicationId === sent.id)!;
    expect(Buffer.from(String(request.body.pdfBase64), 'base64').subarray(0, 5).toString()).toBe('%PDF-');
  });
});

describe('bounces, print batches and proof', () => {
  it('a hard bounce marks the address undeliverable and routes the item to the next channel', async () => {
    const customerId = await customer({ emails: ['bouncy@example.test'], channelPreferences: ['email', 'portal'] });
    const sent = await settled((await send(customerId)).body.id);
    const bounce = await admin.post('/api/delivery/bounces', {
      messageId: sent.providerMessageId,
      kind: 'hard',
      diagnostic: '550 mailbox unavailable',
    });
    expect(bounce.status).toBe(200);
    const rerouted = await waitFor(
      () => agent.get(`/api/communications/${sent.id}`).then((r) => r.body),
      (body) => body.channel === 'portal' && body.status === 'sent',
    );
    expect(rerouted.failedChannels).toEqual(['email']);
    expect(rerouted.attempts.map((attempt: { outcome: string }) => attempt.outcome)).toEqual([
      'handing_over',
      'handed_over',
      'bounced',
      'handing_over',
      'handed_over',
    ]);
    expect((await agent.get(`/api/customers/${customerId}`)).body.undeliverable).toEqual(['email:bouncy@example.test']);
    const customerTrail = await admin.get(`/api/audit?entityType=customer&entityId=${customerId}`);
    expect(customerTrail.body.events).toContainEqual(
      expect.objectContaining({
        action: 'customer.address_undeliverable',
        summary: { addresses: ['email:bouncy@example.test'], reason: 'Hard bounce: 550 mailbox unavailable' },
      }),
    );
    const next = await agent.get(`/api/customers/${customerId}/reachability?purpose=service`);
    expect(next.body.considered[0]).toMatchObject({
      channel: 'email',
      usable: false,
      reason: 'every email address bounced',
    });
  });

  it('a hard bounce of the only channel the customer has ends the item bounced, saying why', async () => {
    const customerId = await customer({ emails: ['only-mail@example.test'], channelPreferences: ['email'] });
    // The portal would take anything; without consent for it, email is all there is.
    await agent.post(`/api/customers/${customerId}/consents`, {
      channel: 'portal',
      purpose: 'service',
      granted: false,
      source: 'phone',
    });
    const sent = await settled((await send(customerId)).body.id);
    expect(sent.status).toBe('sent');
    await admin.post('/api/delivery/bounces', { messageId: sent.providerMessageId, kind: 'hard' });
    const bounced = await settled(sent.id, ['bounced', 'failed', 'suppressed']);
    expect(bounced).toMatchObject({
      status: 'bounced',
      failedChannels: ['email'],
      statusReason: expect.stringMatching(
        /^Every channel refused it: no channel may be used for service: email \(already failed for this message\)/,
      ),
    });
    const timeline = (await agent.get(`/api/customers/${customerId}/timeline?kind=communication`)).body.entries;
    expect(timeline.map((entry: { title: string }) => entry.title).slice(0, 2)).toEqual([
      'Not sent: the email bounced and no other channel is left',
      'email failed; trying the next channel',
    ]);
  });

  it('queues a letter for print when the process died between marking its hand-over and recording it', async () => {
    const customerId = await customer({ givenName: 'Otto', address, channelPreferences: ['letter'] });
    const id = (await send(customerId)).body.id;
    const queued = await waitFor(
      () => agent.get(`/api/communications/${id}`).then((r) => r.body),
      (body) => body.status === 'awaiting_print',
    );
    // As if the process died after storing the copy and marking the hand-over, before recording it.
    await t.app.storage.db.execute(
      sql`update communications set status = 'handing_over', transport = null, cost_millicents = null where id = ${id}`,
    );
    await t.app.storage.db.execute(
      sql`delete from communication_attempts where communication_id = ${id} and outcome = 'handed_over'`,
    );
    await t.app.pipeline.deliver(id);
    const recovered = (await agent.get(`/api/communications/${id}`)).body;
    expect(recovered).toMatchObject({
      status: 'awaiting_print',
      transport: 'print',
      archiveSha256: queued.archiveSha256,
      costMillicents: 85_000,
    });
    expect(
      recovered.attempts.map((attempt: { outcome: string; detail: string }) => `${attempt.outcome}: ${attempt.detail}`),
    ).toEqual([
      'handing_over: Handing over to letter',
      expect.stringMatching(/^handing_over: Handing over again: the previous hand-over was interrupted/),
      'handed_over: Handed to print',
    ]);
  });

  it('gathers waiting letters into one merged PDF with a manifest', async () => {
    // Letters other tests left in the print queue go to a batch of their own first.
    expect([200, 201]).toContain((await admin.post('/api/print-batches')).status);
    const ids = [];
    for (const name of ['Lena', 'Max']) {
      const customerId = await customer({ givenName: name, address, channelPreferences: ['letter'] });
      ids.push((await send(customerId)).body.id);
    }
    for (const id of ids)
      await waitFor(
        () => agent.get(`/api/communications/${id}`).then((r) => r.body),
        (body) => body.status === 'awaiting_print',
      );
    const made = await admin.post('/api/print-batches');
    expect(made.status).toBe(201);
    const { printBatch } = made.body;
    expect(printBatch.items).toBe(2);
    const manifest = await admin.get(`/api/print-batches/${printBatch.id}/manifest.csv`);
    const lines = manifest.text.trim().split('\n');
    expect(lines[0]).toBe('sequence,communication_id,customer_id,recipient,address,first_page,pages,sha256');
    expect(lines.length).toBe(printBatch.items + 1);
    const pdf = await t.server.inject({
      method: 'GET',
      url: `/api/print-batches/${printBatch.id}/letters.pdf`,
      headers: { cookie: admin.cookie! },
    });
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(await qpdfCheck(pdf.rawPayload)).toEqual({
      exitCode: 0,
      output: expect.stringContaining('No syntax or stream encoding errors found'),
    });
    const text = (await pdfTextLines(pdf.rawPayload)).join('\n');
    expect(text.indexOf('Dear Lena Lovelace')).toBeGreaterThan(-1);
    expect(text.indexOf('Dear Max Lovelace')).toBeGreaterThan(text.indexOf('Dear Lena Lovelace'));
    const merged = await PDFDocument.load(pdf.rawPayload);
    const rows = lines.slice(1).map((line) => line.split(','));
    expect(merged.getPageCount()).toBe(printBatch.pages);
    expect(rows.reduce((pages, row) => pages + Number(row.at(-2)), 0)).toBe(printBatch.pages);
    // Each row's hash is the archived copy of that letter, and the vendor's folder holds the same files.
    for (const id of ids) {
      const row = rows.find((candidate) => candidate[1] === id)!;
      const copy = await t.server.inject({
        method: 'GET',
        url: `/api/communications/${id}/copy`,
        headers: { cookie: agent.cookie! },
      });
      expect(createHash('sha256').update(copy.rawPayload).digest('hex')).toBe(row.at(-1));
    }
    const folder = path.join(t.app.config.printDir, printBatch.folderName);
    expect(fs.readFileSync(path.join(folder, 'letters.pdf')).equals(pdf.rawPayload)).toBe(true);
    expect(fs.readFileSync(path.join(folder, 'manifest.csv'), 'utf8')).toBe(manifest.text);
    for (const id of ids)
      expect((await agent.get(`/api/communications/${id}`)).body).toMatchObject({
        status: 'sent',
        printBatchId: printBatch.id,
      });
  });

  it('exports the proof of what was sent as one ZIP: the exact copy received, its data, versions, attempts and hashes', async () => {
    const customerId = await customer({ emails: ['proof@example.test'] });
    const sent = await settled((await send(customerId, undefined, '1 December')).body.id);
    const response = await t.server.inject({
      method: 'GET',
      url: `/api/communications/${sent.id}/proof.zip`,
      headers: { cookie: agent.cookie! },
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/zip');
    const files = await unzip(response.rawPayload);
    expect([...files.keys()].sort()).toEqual([
      'SHA256SUMS',
      'attempts.json',
      'communication.json',
      'sent-copy.eml',
      'snapshot.json',
      'template-version.json',
    ]);

    const received = smtp.received.find((mail) => mail.to.includes('proof@example.test'))!;
    expect(files.get('sent-copy.eml')!.equals(received.raw)).toBe(true);
    const snapshot = JSON.parse(files.get('snapshot.json')!.toString());
    expect(snapshot).toMatchObject({
      channel: 'email',
      address: 'proof@example.test',
      data: { due: '1 December' },
      template: { key: 'meter-reading', version: 1 },
    });
    const versions = JSON.parse(files.get('template-version.json')!.toString());
    expect(versions.template).toMatchObject({ key: 'meter-reading', number: 1, status: 'published' });
    expect(versions.fragments).toEqual([
      expect.objectContaining({ key: 'signature', body: 'Kind regards, {{ brand.companyName }}' }),
    ]);
    expect(
      JSON.parse(files.get('attempts.json')!.toString()).map((attempt: { outcome: string }) => attempt.outcome),
    ).toEqual(['handing_over', 'handed_over']);
    for (const line of files.get('SHA256SUMS')!.toString().trim().split('\n')) {
      const [hash, name] = line.split(/\s+/);
      expect(createHash('sha256').update(files.get(name!)!).digest('hex'), name).toBe(hash);
    }
  });
});
