import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import type { TestClient } from '../support/client.js';
import { waitFor } from '../support/wait-for.js';
import { publishedNotice } from '../communications/support.js';
import { pdfFonts, pdfTextLines } from './poppler.js';

let t: TestApp;
let agent: TestClient;
let admin: TestClient;
let author: TestClient;

beforeAll(async () => {
  t = await startTestApp({ config: { defaultCountry: 'DE' }, workerPollMs: 50 });
  ({ author } = await publishedNotice(t));
  agent = await t.signedIn(['agent']);
  admin = await t.signedIn(['admin']);
  t.app.worker.start();
});
afterAll(() => t.close());

/** Letter customers as their own countries write them. */
const people = [
  {
    givenName: 'Иван',
    familyName: 'Петров',
    address: { lines: ['ул. Тверская, д. 7'], postalCode: '125009', city: 'Москва', country: 'RU' },
  },
  {
    givenName: 'Mehmet',
    familyName: 'Yılmaz',
    address: { lines: ['İstiklal Caddesi 12'], postalCode: '34433', city: 'İstanbul', country: 'TR' },
  },
  {
    givenName: 'Γιώργος',
    familyName: 'Παπαδόπουλος',
    address: { lines: ['Οδός Ερμού 12'], postalCode: '105 63', city: 'Αθήνα', country: 'GR' },
  },
];

async function letterCustomer(person: Record<string, unknown>) {
  const response = await agent.post('/api/customers', {
    kind: 'person',
    timeZone: 'UTC',
    channelPreferences: ['letter'],
    ...person,
  });
  if (response.status !== 201) throw new Error(response.text);
  return response.body.id as string;
}

const send = (customerId: string) =>
  agent.post('/api/communications', { template: 'meter-reading', customerId, data: { due: '30 November' } });

const download = async (client: TestClient, url: string) =>
  (await t.server.inject({ method: 'GET', url, headers: { cookie: client.cookie! } })).rawPayload;

describe('sent letters and print batches keep the customer’s characters', () => {
  it('archives each letter and merges the print batch with embedded fonts and the exact names and addresses', async () => {
    const ids: string[] = [];
    for (const person of people) ids.push((await send(await letterCustomer(person))).body.id as string);
    for (const id of ids)
      await waitFor(
        () => agent.get(`/api/communications/${id}`).then((r) => r.body),
        (body) => body.status === 'awaiting_print',
      );
    const expected = people.map(({ givenName, familyName, address }) => [
      `${givenName} ${familyName}`,
      ...address.lines,
      `${address.postalCode} ${address.city}`,
      `Dear ${givenName} ${familyName},`,
    ]);
    for (const [i, id] of ids.entries()) {
      const copy = await download(agent, `/api/communications/${id}/copy`);
      expect(await pdfTextLines(copy)).toEqual(expect.arrayContaining(expected[i]!));
    }

    const made = await admin.post('/api/print-batches');
    expect(made.status).toBe(201);
    const merged = await download(admin, `/api/print-batches/${made.body.printBatch.id}/letters.pdf`);
    const fonts = await pdfFonts(merged);
    expect(fonts.length).toBeGreaterThanOrEqual(people.length);
    for (const font of fonts) expect(font).toMatchObject({ embedded: true, subset: true, unicode: true });
    expect(await pdfTextLines(merged)).toEqual(expect.arrayContaining(expected.flat()));
  });

  it('fails a letter to a name in Arabic script with the reason, and the preview says the same', async () => {
    const customerId = await letterCustomer({
      givenName: 'محمد',
      familyName: 'العلي',
      address: { lines: ['Lindenstraße 4'], postalCode: '10969', city: 'Berlin', country: 'DE' },
    });
    const reason = `the letter font cannot print Arabic script ("م", U+0645) in the recipient's name and address: "محمد العلي"`;

    const preview = await author.post('/api/template-previews', {
      customerId,
      defaultLanguage: 'en',
      variants: { en: { letter: { body: 'Dear {{ customer.name }},' } } },
    });
    expect(preview.status).toBe(200);
    expect(preview.body.previews[0].channels).toEqual([
      { channel: 'letter', error: { field: 'letter.recipient', message: reason } },
    ]);

    const sent = await send(customerId);
    const failed = await waitFor(
      () => agent.get(`/api/communications/${sent.body.id}`).then((r) => r.body),
      (body) => ['failed', 'awaiting_print', 'sent'].includes(body.status),
    );
    expect(failed).toMatchObject({ status: 'failed', statusReason: reason, archiveSha256: null });
  });
});
