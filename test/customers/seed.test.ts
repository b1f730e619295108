import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { normalizePhone } from '../../src/customers/customer-fields.js';
import { rows } from '../../src/db/database.js';
import { seedDemo } from '../../src/demo/bootstrap.js';
import { DEMO_PORTAL_EMAIL } from '../../src/demo/demo-customers.js';
import { createCustomerSeeder } from '../../src/demo/seed-customers.js';
import { systemActor } from '../../src/shared/actor.js';
import { startTestApp, type TestApp } from '../support/app.js';

const COUNT = 2500;

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const seeder = () =>
  createCustomerSeeder({ db: t.app.db, audit: t.app.audit, timeline: t.app.timeline, clock: t.app.clock });

it('fills the database with customers in several scripts, with addresses, consents and timelines', async () => {
  const progress: number[] = [];
  const result = await seeder().seed(systemActor('seed test'), {
    count: COUNT,
    onProgress: ({ done }) => progress.push(done),
  });
  expect(result.customers).toBe(COUNT);
  expect(progress.at(-1)).toBe(COUNT);

  const customers = await rows<{ name: string; emails: string[]; phones: string[]; country: string; city: string }>(
    t.app.db,
    sql`select name, emails, phones, address->>'country' as country, address->>'city' as city from customers`,
  );
  expect(customers).toHaveLength(COUNT);
  const scripts = {
    latin: /\p{Script=Latin}/u,
    cyrillic: /\p{Script=Cyrillic}/u,
    greek: /\p{Script=Greek}/u,
    arabic: /\p{Script=Arabic}/u,
    hebrew: /\p{Script=Hebrew}/u,
    devanagari: /\p{Script=Devanagari}/u,
    han: /\p{Script=Han}/u,
    hangul: /\p{Script=Hangul}/u,
  };
  for (const [script, pattern] of Object.entries(scripts))
    expect(
      customers.some((customer) => pattern.test(customer.name)),
      script,
    ).toBe(true);
  expect(new Set(customers.map((customer) => customer.country)).size).toBeGreaterThanOrEqual(10);
  expect(customers.every((customer) => customer.city && customer.emails.length > 0)).toBe(true);
  // Addresses are ASCII whatever the script of the name, and no two customers share one.
  const emails = customers.flatMap((customer) => customer.emails);
  expect(emails.every((email) => /^[a-z0-9.]+@[a-z0-9.-]+\.[a-z]{2,}$/.test(email))).toBe(true);
  expect(new Set(emails).size).toBe(emails.length);
  // Phones are what the app itself stores for the number: a phone search finds them.
  const phones = customers.flatMap((customer) => customer.phones);
  expect(phones.length).toBeGreaterThan(COUNT / 2);
  expect(phones.filter((phone) => normalizePhone(phone) !== phone)).toEqual([]);

  const [consents] = await rows<{ current: number; events: number; customers: number }>(
    t.app.db,
    sql`select (select count(*)::int from customer_consents) as current, (select count(*)::int from consent_events) as events,
          (select count(distinct customer_id)::int from customer_consents) as customers`,
  );
  expect(consents!.current).toBe(result.consents);
  expect(consents!.events).toBe(result.consents);
  expect(consents!.customers).toBeGreaterThan(COUNT / 3);
  const [timeline] = await rows<{ entries: number; customers: number }>(
    t.app.db,
    sql`select count(*)::int as entries, count(distinct customer_id)::int as customers from timeline_entries`,
  );
  expect(timeline).toEqual({ entries: result.timelineEntries, customers: COUNT });
});

it('numbers a second run after the first, so addresses stay unique', async () => {
  await seeder().seed(systemActor('seed test'), { count: 100 });
  const [counts] = await rows<{ customers: number; emails: number }>(
    t.app.db,
    sql`select count(*)::int as customers, count(distinct emails[1])::int as emails from customers`,
  );
  expect(counts).toEqual({ customers: COUNT + 100, emails: COUNT + 100 });
});

it('lets only those who may import customers seed them', async () => {
  const agent = {
    kind: 'user' as const,
    userId: 'x',
    email: 'a@x.test',
    roles: ['agent' as const],
    via: 'session' as const,
  };
  await expect(seeder().seed(agent, { count: 1 })).rejects.toMatchObject({ code: 'auth.forbidden' });
});

it('adds the demo to a database seeded with generated customers first: its own customers and their correspondence', async () => {
  const actor = systemActor('seed test');
  await seedDemo(t.app);
  const demoCustomer = (
    await t.app.services.customers.list(actor, {
      q: DEMO_PORTAL_EMAIL,
      archived: 'all',
      sort: 'name',
      order: 'asc',
      limit: 1,
    })
  ).customers[0];
  expect(demoCustomer).toBeDefined();
  const correspondence = await t.app.services.communications.list(actor, {
    customerId: demoCustomer!.id,
    limit: 50,
  });
  expect(correspondence.communications.length).toBeGreaterThan(0);
}, 60_000);
