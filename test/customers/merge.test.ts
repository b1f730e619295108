import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishedNotice } from '../communications/support.js';
import { startTestApp, type TestApp } from '../support/app.js';

let t: TestApp;
let agent: Awaited<ReturnType<TestApp['signedIn']>>;

beforeAll(async () => {
  t = await startTestApp({ config: { defaultCountry: 'DE' } });
  agent = await t.signedIn(['agent']);
});
afterAll(() => t.close());

const address = { lines: ['Lindenweg 3'], postalCode: '80331', city: 'München', country: 'DE' };

/** Creates a person through the API; returns the customer as created. */
const person = async (fields: Record<string, unknown>) =>
  (await agent.post('/api/customers', { kind: 'person', ...fields })).body;

describe('duplicates', () => {
  it('are found by shared email, shared phone, and similar name at the same address; dismissed pairs stay away', async () => {
    const a = await person({ givenName: 'Maximilian', familyName: 'Huber', emails: ['max@huber.example'], address });
    const b = await person({
      givenName: 'Max',
      familyName: 'Huber',
      emails: ['MAX@huber.example'],
      phones: ['089 1234567'],
    });
    const c = await person({ givenName: 'Maximillian', familyName: 'Hubert', address });
    const d = await person({ givenName: 'Erika', familyName: 'Fremd', phones: ['+49 89 1234567'] });
    // The same street written another way is the same address; another street in the same postal code is not.
    const e = await person({
      givenName: 'Maximilian',
      familyName: 'Huber',
      address: { ...address, lines: [' LINDENWEG 3'] },
    });
    const f = await person({
      givenName: 'Maximilian',
      familyName: 'Huber',
      address: { ...address, lines: ['Rosenweg 9'] },
    });

    const pairs = (await agent.get('/api/customers/duplicates')).body.pairs as {
      customerIds: string[];
      reasons: string[];
    }[];
    const reasonsFor = (x: string, y: string) =>
      pairs.find((pair) => pair.customerIds.includes(x) && pair.customerIds.includes(y))?.reasons;
    expect(reasonsFor(a.id, b.id)).toEqual(['same email max@huber.example']);
    expect(reasonsFor(b.id, d.id)).toEqual(['same phone +49891234567']);
    expect(reasonsFor(a.id, c.id)).toEqual(['similar name at the same address']);
    expect(reasonsFor(a.id, e.id)).toEqual(['similar name at the same address']);
    expect(reasonsFor(a.id, f.id)).toBeUndefined();
    expect(reasonsFor(e.id, f.id)).toBeUndefined();

    expect((await agent.post('/api/customers/duplicates/dismiss', { customerIds: [d.id, b.id] })).status).toBe(204);
    const after = (await agent.get('/api/customers/duplicates')).body.pairs as { customerIds: string[] }[];
    expect(after.some((pair) => pair.customerIds.includes(b.id) && pair.customerIds.includes(d.id))).toBe(false);
  });
});

describe('duplicates as customers change', () => {
  const pairOf = async (x: string, y: string) =>
    ((await agent.get('/api/customers/duplicates')).body.pairs as { customerIds: string[]; reasons: string[] }[]).find(
      (pair) => pair.customerIds.includes(x) && pair.customerIds.includes(y),
    )?.reasons;

  it('follow edits, archiving, restoring and removal', async () => {
    const first = await person({ givenName: 'Wanda', familyName: 'Wechsel', emails: ['wanda@wechsel.example'] });
    const second = await person({ givenName: 'Ida', familyName: 'Anders', emails: ['ida@anders.example'] });
    expect(await pairOf(first.id, second.id)).toBeUndefined();

    // An address typed again in capitals is the one already there; the other address is gone.
    await agent.patch(`/api/customers/${second.id}`, { emails: ['ida@anders.example', 'WANDA@wechsel.example'] });
    expect(await pairOf(first.id, second.id)).toEqual(['same email wanda@wechsel.example']);
    await agent.patch(`/api/customers/${first.id}`, { phones: ['+49 30 5550100'] });
    await agent.patch(`/api/customers/${second.id}`, { emails: ['ida@anders.example'], phones: ['030 5550100'] });
    expect(await pairOf(first.id, second.id)).toEqual(['same phone +49305550100']);

    expect((await agent.post(`/api/customers/${second.id}/archive`, {})).status).toBe(200);
    expect(await pairOf(first.id, second.id)).toBeUndefined();
    expect((await agent.post(`/api/customers/${second.id}/restore`, {})).status).toBe(200);
    expect(await pairOf(first.id, second.id)).toEqual(['same phone +49305550100']);

    await t.app.storage.db.execute(sql`delete from customers where id = ${second.id}`);
    expect(await pairOf(first.id, second.id)).toBeUndefined();
  });
});

describe('merge', () => {
  it('previews, then moves every linked record to the survivor in one audited step', async () => {
    const lena = { givenName: 'Lena', familyName: 'Vogel' };
    const survivor = await person({ ...lena, emails: ['lena@vogel.example'], tags: ['vip'] });
    const other = await person({
      ...lena,
      emails: ['l.vogel@work.example'],
      phones: ['0170 1112223'],
      address,
      tags: ['newsletter'],
      externalId: 'CRM-77',
      consents: [{ channel: 'sms', purpose: 'marketing', granted: true, source: 'form' }],
    });
    await agent.post(`/api/customers/${other.id}/notes`, { body: 'Prefers calls after 6pm' });
    await agent.post(`/api/customers/${survivor.id}/consents`, {
      channel: 'sms',
      purpose: 'marketing',
      granted: false,
      source: 'phone',
    });

    const preview = await agent.post(`/api/customers/${survivor.id}/merge-preview`, { otherId: other.id });
    expect(preview.status).toBe(200);
    expect(preview.body.result).toMatchObject({
      emails: ['lena@vogel.example', 'l.vogel@work.example'],
      tags: ['vip', 'newsletter'],
      externalId: 'CRM-77',
      address,
    });
    expect(preview.body.moves).toEqual(
      expect.arrayContaining([
        { label: 'timeline entries', count: 3 },
        { label: 'consent records', count: 1 },
      ]),
    );
    expect((await agent.get(`/api/customers/${other.id}`)).body.mergedInto).toBeNull();

    const merged = await agent.post(`/api/customers/${survivor.id}/merge`, { otherId: other.id });
    expect(merged.status).toBe(200);
    expect(merged.body.customer).toMatchObject({
      emails: ['lena@vogel.example', 'l.vogel@work.example'],
      phones: ['+491701112223'],
      externalId: 'CRM-77',
    });
    // The ledger of both: the survivor's later withdrawal stays the current state.
    expect(merged.body.customer.consents).toEqual([
      expect.objectContaining({ channel: 'sms', purpose: 'marketing', granted: false }),
    ]);

    const timeline = (await agent.get(`/api/customers/${survivor.id}/timeline?limit=100`)).body.entries.map(
      (entry: { title: string; body: string | null }) => entry.body ?? entry.title,
    );
    expect(timeline[0]).toBe('Merged with Lena Vogel');
    expect(timeline).toContain('Prefers calls after 6pm');

    const gone = (await agent.get(`/api/customers/${other.id}`)).body;
    expect(gone).toMatchObject({ mergedInto: survivor.id, externalId: null });
    expect(gone.archivedAt).not.toBeNull();
    expect((await agent.get(`/api/customers/${other.id}/timeline`)).body.entries).toEqual([]);
    expect((await agent.post(`/api/customers/${other.id}/restore`)).status).toBe(409);

    const admin = await t.signedIn(['admin']);
    const trail = await admin.get(`/api/audit?action=customer.merged&entityId=${survivor.id}`);
    expect(trail.body.events[0].summary).toMatchObject({
      merged: other.id,
      moved: { 'timeline entries': 3, 'consent records': 1 },
    });
  });

  it("moves the other's communications to the survivor, but a batch run's copy when the run reached both", async () => {
    await publishedNotice(t);
    const manager = await t.signedIn(['manager']);
    const customer = async (email: string) =>
      (
        await person({
          givenName: 'Jonas',
          familyName: 'Amsel',
          emails: [email],
          channelPreferences: ['email'],
          tags: ['amsel'],
        })
      ).id as string;
    const survivor = await customer('jonas@amsel.example');
    const other = await customer('j.amsel@work.example');
    const segment = await manager.post('/api/segments', { name: 'The Amsels', filter: { tagsAll: ['amsel'] } });
    const run = await manager.post('/api/batch-runs', {
      template: 'meter-reading',
      segmentId: segment.body.id,
      data: { due: '30 November' },
    });
    expect(run.status).toBe(201);
    const single = await agent.post('/api/communications', {
      template: 'meter-reading',
      customerId: other,
      data: { due: '2 December' },
    });
    expect(single.status).toBe(201);
    await t.app.worker.drain();
    const ofCustomer = async (customerId: string) =>
      (
        (await manager.get(`/api/communications?customerId=${customerId}`)).body.communications as {
          id: string;
          batchRunId: string | null;
        }[]
      ).map((communication) => communication.batchRunId ?? communication.id);
    expect(await ofCustomer(other)).toHaveLength(2);

    const preview = await agent.post(`/api/customers/${survivor}/merge-preview`, { otherId: other });
    expect(preview.body.moves).toContainEqual({ label: 'communications', count: 1 });
    const merged = await agent.post(`/api/customers/${survivor}/merge`, { otherId: other });
    expect(merged.body.moved.communications).toBe(1);
    expect((await ofCustomer(survivor)).sort()).toEqual([run.body.id, single.body.id].sort());
    expect(await ofCustomer(other)).toEqual([run.body.id]);
  });

  it('refuses to merge a customer with itself or one already merged', async () => {
    const one = await person({ familyName: 'Einzeln' });
    const two = await person({ familyName: 'Zweit' });
    expect((await agent.post(`/api/customers/${one.id}/merge`, { otherId: one.id })).status).toBe(400);
    await agent.post(`/api/customers/${one.id}/merge`, { otherId: two.id });
    expect((await agent.post(`/api/customers/${one.id}/merge`, { otherId: two.id })).body.error).toBe(
      'merge.already_merged',
    );
  });
  it('stays whole and paged when a customer has 100,000 timeline entries', async () => {
    // Twins by name and email: the duplicates list pairs them.
    const viel = { givenName: 'Viel', familyName: 'Kontakt', emails: ['viel@kontakt.example'] };
    const busy = await person(viel);
    const twin = await person(viel);
    // Years of touchpoints, older than anything the merge itself writes.
    await t.app.storage.db.execute(sql`
      insert into timeline_entries (customer_id, at, kind, title)
      select ${busy.id}::uuid, now() - make_interval(mins => g), 'note', 'Note ' || g from generate_series(1, 100000) as g`);

    const pairs = (await agent.get('/api/customers/duplicates')).body.pairs as { customerIds: string[] }[];
    expect(pairs.map((pair) => [...pair.customerIds].sort())).toContainEqual([busy.id, twin.id].sort());

    const preview = await agent.post(`/api/customers/${twin.id}/merge-preview`, { otherId: busy.id });
    expect(preview.body.moves).toContainEqual({ label: 'timeline entries', count: 100_001 });
    const merged = await agent.post(`/api/customers/${twin.id}/merge`, { otherId: busy.id });
    expect(merged.status).toBe(200);
    expect(merged.body.moved['timeline entries']).toBe(100_001);

    const first = (await agent.get(`/api/customers/${twin.id}/timeline?limit=3`)).body;
    expect(first.entries.map((entry: { title: string }) => entry.title)).toEqual([
      'Merged with Viel Kontakt',
      'Customer created',
      'Customer created',
    ]);
    expect(first.nextCursor).toBeTruthy();
    const next = (await agent.get(`/api/customers/${twin.id}/timeline?limit=3&cursor=${first.nextCursor}`)).body;
    expect(next.entries.map((entry: { title: string }) => entry.title)).toEqual(['Note 1', 'Note 2', 'Note 3']);
    expect((await agent.get(`/api/customers/${busy.id}/timeline`)).body.entries).toEqual([]);
  }, 120_000);
});
