import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishedNotice } from '../communications/support.js';
import { startTestApp, type TestApp } from '../support/app.js';

let t: TestApp;
let agent: Awaited<ReturnType<TestApp['signedIn']>>;
let manager: Awaited<ReturnType<TestApp['signedIn']>>;
let viewer: Awaited<ReturnType<TestApp['signedIn']>>;
let counter = 0;

beforeAll(async () => {
  t = await startTestApp();
  agent = await t.signedIn(['agent']);
  manager = await t.signedIn(['manager']);
  viewer = await t.signedIn(['viewer']);
  await publishedNotice(t);
});
afterAll(() => t.close());

async function customer() {
  const created = await agent.post('/api/customers', {
    kind: 'person',
    givenName: 'Tilda',
    familyName: `Ticket${++counter}`,
    emails: [`tilda${counter}@tickets.example`],
  });
  expect(created.status).toBe(201);
  return created.body.id as string;
}

async function communicationFor(customerId: string) {
  const sent = await agent.post('/api/communications', { template: 'meter-reading', customerId, data: { due: 'May' } });
  expect(sent.status).toBe(201);
  return sent.body as { id: string; templateVersionId: string };
}

async function ticket(customerId: string, fields: Record<string, unknown> = {}) {
  const created = await agent.post('/api/tickets', {
    kind: 'request',
    subject: 'Please call me back',
    customerId,
    message: 'I have a question about my bill.',
    ...fields,
  });
  expect(created.status).toBe(201);
  return created.body;
}

const timelineTitles = async (customerId: string) =>
  (await agent.get(`/api/customers/${customerId}/timeline?kind=ticket`)).body.entries.map(
    (entry: { title: string }) => entry.title,
  );

describe('a complaint about a communication', () => {
  it('names the communication and through it the template version, shown on the ticket', async () => {
    const customerId = await customer();
    const communication = await communicationFor(customerId);
    const complaint = await ticket(customerId, {
      kind: 'complaint',
      subject: 'Your letter is wrong',
      communicationId: communication.id,
    });
    expect(complaint).toMatchObject({
      kind: 'complaint',
      status: 'new',
      communicationId: communication.id,
      templateVersionId: communication.templateVersionId,
      actions: ['open', 'wait_for_customer', 'resolve'],
    });
    const detail = (await agent.get(`/api/tickets/${complaint.id}`)).body;
    expect(detail.communication).toMatchObject({ id: communication.id, templateName: 'Meter reading reminder' });
    expect(detail.messages).toMatchObject([{ kind: 'customer', body: 'I have a question about my bill.' }]);
    expect(await timelineTitles(customerId)).toEqual([`Complaint #${complaint.number}: opened: Your letter is wrong`]);

    const listed = await agent.get(`/api/tickets?templateVersionId=${communication.templateVersionId}&kind=complaint`);
    expect(listed.body.tickets.map((row: { id: string }) => row.id)).toContain(complaint.id);
  });

  it('refuses a communication sent to another customer, naming the field', async () => {
    const communication = await communicationFor(await customer());
    const response = await agent.post('/api/tickets', {
      kind: 'complaint',
      subject: 'Not mine',
      customerId: await customer(),
      communicationId: communication.id,
    });
    expect(response.status).toBe(400);
    expect(response.body.details).toEqual([
      { path: 'body.communicationId', message: 'names a communication sent to another customer' },
    ]);
  });
});

describe('the lifecycle', () => {
  it('moves by the table of transitions and refuses the rest with the reason', async () => {
    const created = await ticket(await customer());
    const act = (action: string) => agent.post(`/api/tickets/${created.id}/actions`, { action });
    expect((await act('open')).body).toMatchObject({ status: 'open' });
    const refused = await act('close');
    expect(refused.status).toBe(409);
    expect(refused.body.message).toBe(
      `Ticket ${created.number} is open; "close" applies only to a ticket that is resolved.`,
    );
    const resolved = (await act('resolve')).body;
    expect(resolved).toMatchObject({ status: 'resolved', actions: ['close', 'reopen'] });
    expect(resolved.resolvedAt).not.toBeNull();
    expect((await act('close')).body).toMatchObject({ status: 'closed', actions: ['reopen'] });
  });

  it('reopens when the customer writes to a ticket waiting for them', async () => {
    const customerId = await customer();
    const created = await ticket(customerId);
    await agent.post(`/api/tickets/${created.id}/actions`, { action: 'wait_for_customer' });
    const message = await agent.post(`/api/tickets/${created.id}/customer-messages`, { body: 'Here is my number.' });
    expect(message.status).toBe(201);
    expect((await agent.get(`/api/tickets/${created.id}`)).body).toMatchObject({ status: 'open' });
    expect((await timelineTitles(customerId))[0]).toBe(`Request #${created.number}: the customer wrote; reopened`);
  });

  it('lets a viewer read but not work tickets', async () => {
    const created = await ticket(await customer());
    expect((await viewer.get(`/api/tickets/${created.id}`)).status).toBe(200);
    expect((await viewer.post(`/api/tickets/${created.id}/actions`, { action: 'open' })).status).toBe(403);
  });
});

describe('assignment and the inbox', () => {
  it('assigns round-robin among available members of the queue’s team and counts each view', async () => {
    const [first, second, away] = [
      await t.signedIn(['agent']),
      await t.signedIn(['agent']),
      await t.signedIn(['agent']),
    ];
    const admin = await t.signedIn(['admin']);
    const team = await admin.post('/api/teams', {
      name: `Billing ${counter}`,
      memberIds: [first, second, away].map((member) => member.user.id),
    });
    expect((await away.put('/api/me/availability', { available: false })).body).toEqual({ available: false });
    const queue = await manager.post('/api/ticket-queues', {
      name: `Billing ${counter}`,
      teamId: team.body.id,
      assignment: 'round_robin',
    });
    expect(queue.status).toBe(201);

    const customerId = await customer();
    const assignees = [];
    for (let index = 0; index < 4; index++)
      assignees.push((await ticket(customerId, { queueId: queue.body.id })).assigneeId);
    expect(new Set(assignees)).toEqual(new Set([first.user.id, second.user.id]));
    expect(assignees[0]).not.toBe(assignees[1]);
    expect(assignees[2]).toBe(assignees[0]);

    const counts = (await first.get('/api/tickets/counts')).body;
    expect(counts).toMatchObject({ mine: 2, team: 4 });
    const mine = (await first.get('/api/tickets?view=mine')).body.tickets;
    expect(mine).toHaveLength(2);
    expect(mine.every((row: { assigneeId: string }) => row.assigneeId === first.user.id)).toBe(true);
    const notifications = (await first.get('/api/notifications?unread=true')).body;
    expect(notifications.unread).toBe(2);
    expect(notifications.notifications[0].title).toMatch(/^Request #\d+ is yours: Please call me back$/);
  });

  it('notifies the staff a note mentions, and refuses a mention of nobody', async () => {
    const colleague = await t.signedIn(['agent']);
    const created = await ticket(await customer());
    const note = await agent.post(`/api/tickets/${created.id}/notes`, {
      body: 'Can you check the meter history?',
      mentions: [colleague.user.id],
    });
    expect(note.status).toBe(201);
    expect(note.body).toMatchObject({ kind: 'note', mentions: [colleague.user.id] });
    const inbox = (await colleague.get('/api/notifications')).body;
    expect(inbox.notifications[0]).toMatchObject({
      kind: 'ticket.mention',
      title: `${agent.user.name} mentioned you on Request #${created.number}`,
      subjectId: created.id,
    });
    expect((await colleague.post('/api/notifications/read', {})).body).toEqual({ marked: 1 });

    const unknown = await agent.post(`/api/tickets/${created.id}/notes`, {
      body: 'hello',
      mentions: ['00000000-0000-4000-8000-000000000000'],
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.details[0].path).toBe('body.mentions');
  });
});

describe('merge and split', () => {
  it('merges a ticket into another of the same customer: messages move, the source closes', async () => {
    const customerId = await customer();
    const kept = await ticket(customerId, { subject: 'Bill too high', tags: ['billing'] });
    const duplicate = await ticket(customerId, { subject: 'Bill again', message: 'Second mail', tags: ['urgent'] });
    const merged = await agent.post(`/api/tickets/${duplicate.id}/merge`, { intoTicketId: kept.id });
    expect(merged.status).toBe(200);
    expect(merged.body.tags.sort()).toEqual(['billing', 'urgent']);
    const detail = (await agent.get(`/api/tickets/${kept.id}`)).body;
    expect(detail.messages.map((message: { body: string }) => message.body)).toEqual([
      'I have a question about my bill.',
      'Second mail',
      `Request #${duplicate.number} (“Bill again”) was merged into this ticket.`,
    ]);
    expect((await agent.get(`/api/tickets/${duplicate.id}`)).body).toMatchObject({
      status: 'closed',
      mergedIntoId: kept.id,
    });
    // A customer writing to the merged-away ticket lands on the one it went into.
    await agent.post(`/api/tickets/${duplicate.id}/customer-messages`, { body: 'Any news?' });
    expect((await agent.get(`/api/tickets/${kept.id}`)).body.messages.at(-1).body).toBe('Any news?');

    const other = await ticket(await customer());
    const refused = await agent.post(`/api/tickets/${other.id}/merge`, { intoTicketId: kept.id });
    expect(refused.status).toBe(400);
    expect(refused.body.details).toEqual([
      { path: 'body.intoTicketId', message: 'names a ticket of another customer' },
    ]);
  });

  it('splits a customer message into a new ticket of the same customer', async () => {
    const customerId = await customer();
    const created = await ticket(customerId);
    const second = await agent.post(`/api/tickets/${created.id}/customer-messages`, { body: 'Also, I moved house.' });
    const split = await agent.post(`/api/tickets/${created.id}/split`, { messageId: second.body.id });
    expect(split.status).toBe(201);
    expect(split.body).toMatchObject({ subject: 'Also, I moved house.', customerId, status: 'new' });
    const moved = (await agent.get(`/api/tickets/${split.body.id}`)).body.messages;
    expect(moved.map((message: { body: string }) => message.body)).toEqual(['Also, I moved house.']);
    const left = (await agent.get(`/api/tickets/${created.id}`)).body.messages;
    expect(left.map((message: { body: string }) => message.body)).toEqual(['I have a question about my bill.']);
  });

  it('follows a customer merge to the surviving customer', async () => {
    const survivor = await customer();
    const other = await customer();
    const created = await ticket(other);
    const merged = await manager.post(`/api/customers/${survivor}/merge`, { otherId: other });
    expect(merged.status).toBe(200);
    expect(merged.body.moved.tickets).toBe(1);
    expect((await agent.get(`/api/tickets/${created.id}`)).body.customerId).toBe(survivor);
  });
});

describe('complaint rate per template version', () => {
  it('counts complaints over the communications of that version that reached the customer', async () => {
    const customerId = await customer();
    const communication = await communicationFor(customerId);
    await ticket(customerId, { kind: 'complaint', subject: 'Wrong', communicationId: communication.id });
    const rate = (await agent.get(`/api/template-versions/${communication.templateVersionId}/complaints`)).body;
    expect(rate.complaints).toBeGreaterThanOrEqual(1);
    // Nothing was sent yet (no worker): the rate waits for a communication that reached someone.
    expect(rate).toMatchObject({ communications: 0, rate: null });
  });
});
