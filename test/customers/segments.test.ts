import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../src/db/database.js';
import { startTestApp, type TestApp } from '../support/app.js';

let t: TestApp;
let author: Awaited<ReturnType<TestApp['signedIn']>>;
let agent: Awaited<ReturnType<TestApp['signedIn']>>;
const ids: Record<string, string> = {};

beforeAll(async () => {
  t = await startTestApp();
  const admin = await t.signedIn(['admin']);
  author = await t.signedIn(['author']);
  agent = await t.signedIn(['agent']);
  await admin.post('/api/customer-attributes', { key: 'contract_value', label: 'Contract value', type: 'number' });
  const customers = [
    {
      familyName: 'Active Marketing',
      lifecycleStage: 'active',
      tags: ['newsletter', 'vip'],
      language: 'de',
      attributes: { contract_value: 5000 },
      consent: true,
    },
    {
      familyName: 'Active Plain',
      lifecycleStage: 'active',
      tags: ['newsletter'],
      language: 'en',
      attributes: { contract_value: 100 },
      consent: false,
    },
    {
      familyName: 'Prospect Marketing',
      lifecycleStage: 'prospect',
      tags: ['vip'],
      language: 'de',
      attributes: {},
      consent: true,
    },
    {
      familyName: 'At Risk',
      lifecycleStage: 'at_risk',
      tags: [],
      language: 'fr',
      attributes: { contract_value: 900 },
      consent: false,
    },
  ];
  for (const { consent, ...fields } of customers) {
    const created = await agent.post('/api/customers', {
      kind: 'person',
      ...fields,
      emails: [`${fields.familyName.replace(' ', '.').toLowerCase()}@seg.example`],
      consents: consent ? [{ channel: 'email', purpose: 'marketing', granted: true, source: 'form' }] : [],
    });
    ids[fields.familyName] = created.body.id;
  }
});
afterAll(() => t.close());

const names = (customers: { name: string }[]) => customers.map((customer) => customer.name).sort();

describe('segments', () => {
  it('count and preview a filter live, evaluated by the database', async () => {
    const cases: [Record<string, unknown>, string[]][] = [
      [{ lifecycle: ['active'] }, ['Active Marketing', 'Active Plain']],
      [{ tagsAll: ['newsletter', 'vip'] }, ['Active Marketing']],
      [{ tagsAny: ['vip'] }, ['Active Marketing', 'Prospect Marketing']],
      [{ consent: { purpose: 'marketing', channel: 'email' } }, ['Active Marketing', 'Prospect Marketing']],
      [{ attributes: [{ key: 'contract_value', op: 'gte', value: 900 }] }, ['Active Marketing', 'At Risk']],
      [{ languages: ['de'], lifecycle: ['active', 'prospect'] }, ['Active Marketing', 'Prospect Marketing']],
    ];
    for (const [filter, expected] of cases) {
      const result = await author.post('/api/segments/evaluate', { filter });
      expect(result.status, JSON.stringify(filter)).toBe(200);
      expect(result.body.count, JSON.stringify(filter)).toBe(expected.length);
      expect(names(result.body.preview), JSON.stringify(filter)).toEqual(expected);
    }
  });

  it('are saved, listed, used as a customer list filter, and follow the data as it changes', async () => {
    const saved = await author.post('/api/segments', {
      name: 'Marketing-ready actives',
      filter: { lifecycle: ['active'], consent: { purpose: 'marketing', channel: 'email' } },
    });
    expect(saved.status).toBe(201);
    const segment = await author.get(`/api/segments/${saved.body.id}`);
    expect(segment.body.count).toBe(1);

    await agent.post(`/api/customers/${ids['Active Plain']}/consents`, {
      channel: 'email',
      purpose: 'marketing',
      granted: true,
      source: 'phone',
    });
    expect((await author.get(`/api/segments/${saved.body.id}`)).body.count).toBe(2);
    const byTag = await agent.get('/api/customers?tag=newsletter&tag=vip');
    expect(byTag.status).toBe(200);
    expect(names(byTag.body.customers)).toEqual(['Active Marketing']);
    const listed = await agent.get(`/api/customers?segment=${saved.body.id}`);
    expect(names(listed.body.customers)).toEqual(['Active Marketing', 'Active Plain']);

    await agent.post(`/api/customers/${ids['Active Marketing']}/archive`);
    expect((await author.get(`/api/segments/${saved.body.id}`)).body.count).toBe(1);
  });

  it('refuses a filter with an unknown field or operator, naming it', async () => {
    const unknown = await author.post('/api/segments/evaluate', { filter: { shoeSize: 44 } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.details[0].path).toBe('body.filter.shoeSize');
    const badOp = await author.post('/api/segments/evaluate', {
      filter: { attributes: [{ key: 'contract_value', op: 'like', value: 1 }] },
    });
    expect(badOp.body.details[0].path).toBe('body.filter.attributes.0.op');
  });

  it('may be managed by authors but not agents, and names are unique', async () => {
    expect((await agent.post('/api/segments', { name: 'Agents cannot', filter: {} })).status).toBe(403);
    expect((await author.post('/api/segments', { name: 'Everyone', filter: {} })).status).toBe(201);
    expect((await author.post('/api/segments', { name: 'Everyone', filter: {} })).status).toBe(409);
  });

  it('walk their members page by page in id order', async () => {
    const segment = await author.post('/api/segments', { name: 'All of them', filter: { includeArchived: true } });
    const seen: string[] = [];
    let afterId: string | undefined;
    for (;;) {
      const page = await t.app.services.segments.members(segment.body.id, { afterId, pageSize: 3 });
      if (page.length === 0) break;
      seen.push(...page.map((customer) => customer.id));
      afterId = page[page.length - 1]!.id;
    }
    expect(seen).toEqual([...seen].sort());
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toHaveLength(await t.app.services.segments.count(segment.body.id));
  });
});

describe('counts among many customers', () => {
  // 24,000 customers inserted at once, each name's words indexed: tens of seconds on a busy machine.
  beforeAll(async () => {
    await t.app.storage.db.execute(sql`
      with generated as (
        insert into customers (kind, name, lifecycle_stage)
        select 'person', 'Sampled ' || g, 'active' from generate_series(1, 24000) as g
        returning id, name)
      insert into customer_consents (customer_id, channel, purpose, granted, source, at)
      select id, 'email', 'marketing', substr(name, 9)::int % 2 = 0, 'import', now() from generated`);
    await t.app.storage.db.execute(sql`analyze customers`);
  }, 120_000);

  it('estimates a consent segment from a sample and says so', async () => {
    const filter = { consent: { purpose: 'marketing', channel: 'email' }, lifecycle: ['active'] };
    const evaluated = await author.post('/api/segments/evaluate', { filter });
    expect(evaluated.status).toBe(200);
    expect(evaluated.body.estimated).toBe(true);
    expect(evaluated.body.count).toBeGreaterThan(10_000);
    expect(evaluated.body.count).toBeLessThan(14_000);
  });

  it("counts the customer list's filters: exactly where the table is smaller than a sample, else estimated", async () => {
    // 24,000-odd customers are fewer than an ordinary sample reads: counted, though above 10,000.
    const [current] = await rows<{ n: number }>(
      t.app.db,
      sql`select count(*)::int as n from customers where lifecycle_stage = 'active' and archived_at is null`,
    );
    const active = await agent.get('/api/customers/count?lifecycle=active');
    expect(active.status, active.text).toBe(200);
    expect(active.body).toEqual({ count: current!.n, estimated: false });
    expect(current!.n).toBeGreaterThan(24_000);
    const vip = await agent.get('/api/customers/count?tag=vip');
    const vipList = await agent.get('/api/customers?tag=vip');
    expect(vip.body).toEqual({ count: vipList.body.customers.length, estimated: false });
    expect(vip.body.count).toBeGreaterThan(0);
    const segment = await author.post('/api/segments', {
      name: 'Marketing consent',
      filter: { consent: { purpose: 'marketing', channel: 'email' } },
    });
    const inSegment = await agent.get(`/api/customers/count?segment=${segment.body.id}`);
    expect(inSegment.body.estimated).toBe(true);
    expect(inSegment.body.count).toBeGreaterThan(10_000);
    expect(inSegment.body.count).toBeLessThan(14_000);
  });
});
