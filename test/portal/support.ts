import { expect } from 'vitest';
import { publishedNotice } from '../communications/support.js';
import type { TestApp } from '../support/app.js';
import type { TestClient } from '../support/client.js';

let counter = 0;

type CustomerOptions = {
  kind?: 'person' | 'organization';
  channelPreferences?: string[];
  contacts?: { name: string; email: string; primary?: boolean }[];
};

/**
 * The staff side of a portal test: an agent who keeps customers and works tickets, and the published
 * "Meter reading reminder" template (every channel) to send them.
 */
export async function portalDesk(t: TestApp) {
  await publishedNotice(t);
  const agent = await t.signedIn(['agent']);

  /** A customer with an address on every channel but SMS and fax; their first email signs in to the portal. */
  async function customer(options: CustomerOptions = {}) {
    const n = ++counter;
    const email = `portal${n}-${Date.now()}@customers.example`;
    const created = await agent.post('/api/customers', {
      kind: options.kind ?? 'person',
      ...(options.kind === 'organization'
        ? { organizationName: `Portal Org ${n}` }
        : { givenName: 'Ann', familyName: `Portal${n}` }),
      emails: [email],
      address: { lines: [`Hauptstraße ${n}`], postalCode: '10115', city: 'Berlin', country: 'DE' },
      channelPreferences: options.channelPreferences ?? ['email'],
      ...(options.contacts && { contacts: options.contacts }),
    });
    expect(created.status, created.text).toBe(201);
    return { id: created.body.id as string, email, name: created.body.name as string };
  }

  /** Sends the reminder to a customer by the channel they prefer and delivers it; the communication's id. */
  async function send(customerId: string, due = '30 November', deliver = true) {
    const sent = await agent.post('/api/communications', { template: 'meter-reading', customerId, data: { due } });
    expect(sent.status, sent.text).toBe(201);
    if (deliver) await t.app.worker.drain();
    return sent.body.id as string;
  }

  /** Moves a customer's preference, so the next send goes by that channel. */
  async function prefer(customerId: string, channel: string) {
    const changed = await agent.patch(`/api/customers/${customerId}`, { channelPreferences: [channel] });
    expect(changed.status, changed.text).toBe(200);
  }

  return { agent: agent as TestClient, customer, send, prefer };
}
