import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/shared/actor.js';
import { startSmtpReceiver } from '../communications/support.js';
import { startTestApp, type TestApp } from '../support/app.js';

let t: TestApp;
let smtp: Awaited<ReturnType<typeof startSmtpReceiver>>;
let agent: Awaited<ReturnType<TestApp['signedIn']>>;
let counter = 0;

beforeAll(async () => {
  smtp = await startSmtpReceiver();
  t = await startTestApp({ config: { smtpUrl: smtp.url, attachmentMaxBytes: 1_000 } });
  agent = await t.signedIn(['agent']);
});
afterAll(async () => {
  await t.close();
  await smtp.close();
});

async function complaint(subject = 'Wrong amount') {
  const customer = await agent.post('/api/customers', {
    kind: 'person',
    givenName: 'Rhea',
    familyName: `Reply${++counter}`,
    emails: [`rhea${counter}@replies.example`],
  });
  expect(customer.status).toBe(201);
  const created = await agent.post('/api/tickets', {
    kind: 'complaint',
    subject,
    customerId: customer.body.id,
    source: 'email',
  });
  expect(created.status).toBe(201);
  return { ticket: created.body, customerId: customer.body.id as string, email: `rhea${counter}@replies.example` };
}

/** What the customer's mail client sent, as inbound mail puts it on the ticket. */
const customerMail = (ticketId: string, messageId: string) =>
  t.app.services.tickets.addCustomerMessage(systemActor('inbound mail'), ticketId, {
    body: 'The amount on your letter is wrong.',
    authorLabel: 'Rhea',
    emailMessageId: messageId,
  });

/** Delivers what is queued and answers the mail the SMTP server received for this address. */
async function deliveredTo(address: string) {
  await t.app.worker.drain();
  const mails = smtp.received.filter((mail) => mail.to.includes(address));
  return Promise.all(mails.map((mail) => simpleParser(mail.raw)));
}

describe('a public reply', () => {
  it('goes out as a communication by email, threaded with the customer’s mail and carrying the ticket token', async () => {
    const { ticket, customerId, email } = await complaint();
    await customerMail(ticket.id, '<first@customer.example>');

    const replied = await agent.post(`/api/tickets/${ticket.id}/replies`, {
      body: 'We **corrected** the amount; see [your bill](https://portal.example/bills).',
    });
    expect(replied.status).toBe(201);
    expect(replied.body).toMatchObject({ kind: 'reply', authorLabel: 'Test agent' });
    const communicationId = replied.body.communicationId as string;
    expect(communicationId).toBeTruthy();

    const [mail] = await deliveredTo(email);
    expect(mail!.subject).toBe(`Re: Wrong amount [Ticket #${ticket.number}]`);
    expect(mail!.inReplyTo).toBe('<first@customer.example>');
    expect(mail!.references).toBe('<first@customer.example>');
    expect(mail!.html).toContain('<strong>corrected</strong>');
    expect(mail!.html).toContain('href="https://portal.example/bills"');
    expect(mail!.text).toContain('Test agent');

    const communication = (await agent.get(`/api/communications/${communicationId}`)).body;
    expect(communication).toMatchObject({ status: 'sent', channel: 'email', templateKey: 'service-reply' });
    expect(communication.providerMessageId).toBe(mail!.messageId);
    const listed = (await agent.get(`/api/communications?customerId=${customerId}`)).body.communications;
    expect(listed.map((row: { id: string }) => row.id)).toEqual([communicationId]);

    const detail = (await agent.get(`/api/tickets/${ticket.id}`)).body;
    expect(detail.status).toBe('open');
    expect(detail.firstRespondedAt).not.toBeNull();
    expect(detail.messages.map((message: { kind: string }) => message.kind)).toEqual(['customer', 'reply']);
    expect(detail.messages[1].communicationId).toBe(communicationId);

    const timeline = (await agent.get(`/api/customers/${customerId}/timeline`)).body.entries.map(
      (entry: { title: string; actorLabel: string | null }) => entry.title,
    );
    expect(timeline).toContain(`Complaint #${ticket.number}: answered`);
    expect(timeline.some((title: string) => /sent/i.test(title))).toBe(true);

    const proof = await agent.get(`/api/communications/${communicationId}/proof.zip`);
    expect(proof.status).toBe(200);
  });

  it('names every earlier mail of the conversation in References, answering the customer’s latest', async () => {
    const { ticket, email } = await complaint('Re: Meter reading');
    await customerMail(ticket.id, '<one@customer.example>');
    await agent.post(`/api/tickets/${ticket.id}/replies`, { body: 'First answer.' });
    const [first] = await deliveredTo(email);
    await customerMail(ticket.id, '<two@customer.example>');
    await agent.post(`/api/tickets/${ticket.id}/replies`, { body: 'Second answer.' });
    const [, second] = await deliveredTo(email);
    expect(first!.subject).toBe(`Re: Meter reading [Ticket #${ticket.number}]`);
    expect(second!.inReplyTo).toBe('<two@customer.example>');
    expect(second!.references).toEqual(['<one@customer.example>', first!.messageId, '<two@customer.example>']);
  });

  it('carries its attachments as MIME parts, downloadable from the ticket', async () => {
    const { ticket, email } = await complaint('Please send the contract');
    const uploaded = await agent.request('POST', '/api/tickets/attachments?filename=contract.txt', {
      payload: 'The contract text.',
      headers: { 'content-type': 'text/plain; charset=utf-8' },
    });
    expect(uploaded.status).toBe(201);
    expect(uploaded.body).toMatchObject({ filename: 'contract.txt', mediaType: 'text/plain', size: 18 });

    const replied = await agent.post(`/api/tickets/${ticket.id}/replies`, {
      body: 'Here it is.',
      attachments: [uploaded.body],
    });
    expect(replied.status).toBe(201);
    const [mail] = await deliveredTo(email);
    expect(mail!.attachments.map((file) => [file.filename, file.content.toString()])).toEqual([
      ['contract.txt', 'The contract text.'],
    ]);
    const download = await agent.get(`/api/tickets/${ticket.id}/attachments/${uploaded.body.sha256}`);
    expect(download.status).toBe(200);
    expect(download.text).toBe('The contract text.');
    expect(download.headers['content-disposition']).toBe("attachment; filename*=UTF-8''contract.txt");
  });

  it('goes by the channel the agent chose, or not at all', async () => {
    const { ticket } = await complaint('Call me');
    const replied = await agent.post(`/api/tickets/${ticket.id}/replies`, { body: 'By text.', channel: 'sms' });
    expect(replied.status).toBe(201);
    await t.app.worker.drain();
    const communication = (await agent.get(`/api/communications/${replied.body.communicationId}`)).body;
    expect(communication.status).toBe('suppressed');
    expect(communication.statusReason).toContain('sms (no mobile number)');
  });

  it('refuses files of another type or over the limit, and attachments never uploaded, naming the field', async () => {
    const html = await agent.request('POST', '/api/tickets/attachments?filename=page.html', {
      payload: '<script>alert(1)</script>',
      headers: { 'content-type': 'text/html' },
    });
    expect(html.status).toBe(415);
    expect(html.body.details).toEqual([expect.objectContaining({ path: 'headers.content-type' })]);
    const large = await agent.request('POST', '/api/tickets/attachments?filename=big.txt', {
      payload: 'x'.repeat(1_001),
      headers: { 'content-type': 'text/plain' },
    });
    expect(large.status).toBe(413);
    expect(large.body.details).toEqual([expect.objectContaining({ path: 'body' })]);

    const { ticket } = await complaint();
    const forged = await agent.post(`/api/tickets/${ticket.id}/notes`, {
      body: 'See the file.',
      attachments: [{ sha256: 'a'.repeat(64), filename: 'x.pdf', mediaType: 'application/pdf', size: 10 }],
    });
    expect(forged.status).toBe(400);
    expect(forged.body.details).toEqual([expect.objectContaining({ path: 'body.attachments.0' })]);
  });

  it('is work for agents: a viewer may not answer', async () => {
    const { ticket } = await complaint();
    const viewer = await t.signedIn(['viewer']);
    expect((await viewer.post(`/api/tickets/${ticket.id}/replies`, { body: 'Hello' })).status).toBe(403);
  });
});
