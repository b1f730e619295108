import { sendRaw } from '../documents/upload.js';
import type { TestClient } from '../support/client.js';
import { waitFor } from '../support/wait-for.js';

let people = 0;

/**
 * A customer who takes letters, sent the meter-reading letter (publishedNotice) through the real
 * pipeline; answers the communication and its archived PDF, as printed.
 */
export async function letterSent(agent: TestClient) {
  people++;
  const customer = await agent.post('/api/customers', {
    kind: 'person',
    givenName: 'Greta',
    familyName: `Lindqvist ${people}`,
    timeZone: 'UTC',
    channelPreferences: ['letter'],
    address: { lines: [`Birkenweg ${people}`], postalCode: '20095', city: 'Hamburg', country: 'DE' },
  });
  if (customer.status !== 201) throw new Error(customer.text);
  const sent = await agent.post('/api/communications', {
    template: 'meter-reading',
    customerId: customer.body.id,
    data: { due: '30 November' },
  });
  if (sent.status !== 201) throw new Error(sent.text);
  await waitFor(
    () => agent.get(`/api/communications/${sent.body.id}`).then((r) => r.body),
    (body) => body.status === 'awaiting_print',
  );
  const copy = await sendRaw(agent, 'GET', `/api/communications/${sent.body.id}/copy`);
  return {
    customerId: customer.body.id as string,
    customerName: customer.body.name as string,
    communicationId: sent.body.id as string,
    pdf: copy.bytes,
  };
}
