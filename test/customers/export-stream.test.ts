import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { customerConsents } from '../../src/customers/customers.tables.js';
import { exportCustomersQuery } from '../../src/customers/export.js';
import { createCustomerSeeder } from '../../src/demo/seed-customers.js';
import { systemActor } from '../../src/shared/actor.js';
import { startTestApp, type TestApp } from '../support/app.js';

const SEEDED = 4500;
const actor = systemActor('export test');

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
  await createCustomerSeeder({ db: t.app.db, audit: t.app.audit, timeline: t.app.timeline, clock: t.app.clock }).seed(
    actor,
    { count: SEEDED },
  );
  const manager = await t.signedIn(['manager']);
  const risky = await manager.post('/api/customers', {
    kind: 'organization',
    organizationName: '@SUM(A1:A9)',
    emails: ['formula@export.example'],
  });
  expect(risky.status).toBe(201);
});
afterAll(() => t.close());

/** Reads a stream chunk by chunk, as a client downloading it would. */
async function drain(stream: AsyncIterable<Buffer | string>) {
  const chunks: string[] = [];
  for await (const chunk of stream) chunks.push(chunk.toString());
  return chunks;
}

it('streams a CSV of thousands of customers page by page, with formula protection', async () => {
  const query = exportCustomersQuery.parse({ archived: 'all' });
  const chunks = await drain(await t.app.services.customerExport.csv(actor, query));
  // Written as the pages come, not as one string at the end.
  expect(chunks.length).toBeGreaterThan(1);
  const rows = parse(chunks.join(''), { bom: true, columns: true }) as Record<string, string>[];
  expect(rows).toHaveLength(SEEDED + 1);
  expect(new Set(rows.map((row) => row.id)).size).toBe(SEEDED + 1);
  expect(rows.find((row) => row.emails === 'formula@export.example')!.name).toBe("'@SUM(A1:A9)");
  expect(rows.some((row) => /\p{Script=Cyrillic}/u.test(row.name ?? ''))).toBe(true);
  expect(rows.filter((row) => row['consent.email.marketing'] !== '').length).toBeGreaterThan(SEEDED / 5);
  // Each row carries its own customer's answers, in the later batches as in the first.
  const answers = await t.app.db
    .select({
      customerId: customerConsents.customerId,
      channel: customerConsents.channel,
      purpose: customerConsents.purpose,
      granted: customerConsents.granted,
    })
    .from(customerConsents);
  const expected = new Map(
    answers.map((consent) => [
      `${consent.customerId} consent.${consent.channel}.${consent.purpose}`,
      consent.granted ? 'yes' : 'no',
    ]),
  );
  const slots = Object.keys(rows[0]!).filter((column) => column.startsWith('consent.'));
  expect(slots.length).toBeGreaterThan(1);
  for (const row of rows)
    for (const slot of slots) expect(row[slot], `${row.id} ${slot}`).toBe(expected.get(`${row.id} ${slot}`) ?? '');
});

it('streams vCards of thousands of customers, one card each', async () => {
  const query = exportCustomersQuery.parse({ archived: 'all' });
  const chunks = await drain(await t.app.services.customerExport.vcards(actor, query));
  expect(chunks.length).toBeGreaterThan(1);
  expect(chunks.join('').match(/^BEGIN:VCARD\r$/gm)).toHaveLength(SEEDED + 1);
});
