import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';

let t: TestApp;
let agent: Awaited<ReturnType<TestApp['signedIn']>>;
let manager: Awaited<ReturnType<TestApp['signedIn']>>;

beforeAll(async () => {
  t = await startTestApp();
  agent = await t.signedIn(['agent']);
  manager = await t.signedIn(['manager']);
});
afterAll(() => t.close());

async function ticket() {
  const customer = await agent.post('/api/customers', {
    kind: 'person',
    givenName: 'Cora',
    familyName: 'Canned',
    emails: [`cora${Date.now()}@canned.example`],
  });
  const created = await agent.post('/api/tickets', {
    kind: 'inquiry',
    subject: 'When is my meter read?',
    customerId: customer.body.id,
  });
  expect(created.status).toBe(201);
  return created.body;
}

describe('canned responses', () => {
  it('are kept by managers and filled in for a ticket with the customer, the ticket and the agent', async () => {
    const created = await manager.post('/api/canned-responses', {
      name: 'Meter reading',
      body: 'Dear {{ customer.givenName }},\n\nabout ticket #{{ ticket.number }} ({{ ticket.subject }}): we read meters in May.\n\n{{ agent.name }}',
    });
    expect(created.status).toBe(201);
    const listed = await agent.get('/api/canned-responses');
    expect(listed.body.cannedResponses.map((row: { name: string }) => row.name)).toContain('Meter reading');

    const open = await ticket();
    const rendered = await agent.post(`/api/canned-responses/${created.body.id}/render`, { ticketId: open.id });
    expect(rendered.status).toBe(200);
    expect(rendered.body.body).toBe(
      `Dear Cora,\n\nabout ticket #${open.number} (When is my meter read?): we read meters in May.\n\nTest agent`,
    );

    const changed = await manager.patch(`/api/canned-responses/${created.body.id}`, { name: 'Meter reading dates' });
    expect(changed.body).toMatchObject({ name: 'Meter reading dates' });
    expect((await manager.delete(`/api/canned-responses/${created.body.id}`)).status).toBe(204);
    expect((await manager.delete(`/api/canned-responses/${created.body.id}`)).status).toBe(404);
  });

  it('may be read but not changed by agents', async () => {
    const refused = await agent.post('/api/canned-responses', { name: 'Mine', body: 'Hello' });
    expect(refused.status).toBe(403);
  });

  it('refuses a body whose placeholders do not parse, and a name taken, naming the field', async () => {
    const broken = await manager.post('/api/canned-responses', { name: 'Broken', body: 'Hello {{ customer.name ' });
    expect(broken.status).toBe(400);
    expect(broken.body.details).toEqual([expect.objectContaining({ path: 'body.body' })]);
    await manager.post('/api/canned-responses', { name: 'Twice', body: 'Hello' });
    const again = await manager.post('/api/canned-responses', { name: 'Twice', body: 'Hello again' });
    expect(again.status).toBe(409);
    expect(again.body.details).toEqual([expect.objectContaining({ path: 'body.name' })]);
  });

  it('fill in within the sandbox: an unknown placeholder is refused, not leaked', async () => {
    const created = await manager.post('/api/canned-responses', {
      name: 'Unknown',
      body: 'Hi {{ customer.password }}',
    });
    const rendered = await agent.post(`/api/canned-responses/${created.body.id}/render`, {
      ticketId: (await ticket()).id,
    });
    expect(rendered.status).toBe(422);
  });
});
