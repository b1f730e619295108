import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CustomersChangedMeanwhile, prepareBatch, writeBatch } from '../../src/customers/import/customer-batch.js';
import { createImportRunner, type ImportRun } from '../../src/customers/import/import-runner.js';
import { rows } from '../../src/db/database.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { allRejects, customersByEmail, importCsv, upload } from './fixtures/import-client.js';

// How an import's batches (500 rows each) meet: one another, the customers stored meanwhile, and a worker that stops.
let t: TestApp;
let manager: Awaited<ReturnType<TestApp['signedIn']>>;

beforeAll(async () => {
  t = await startTestApp({ config: { defaultCountry: 'DE' } });
  t.app.worker.start();
  manager = await t.signedIn(['manager']);
});
afterAll(() => t.close());

const byEmail = (email: string) => customersByEmail(manager, email);

describe('rows of one customer in different batches', () => {
  // Batches of 500 rows.
  it('matches rows of one customer in neighbouring batches, and updates a stored customer from both', async () => {
    const domain = 'neighbours.example';
    await importCsv(manager, `E-Mails,Vorname,Nachname\n"stored@${domain};second@${domain}",Stefan,Stored\n`, {
      mapping: { 'E-Mails': 'emails', Vorname: 'givenName', Nachname: 'familyName' },
    });
    const lines = Array.from({ length: 1501 }, (_, i) => `row${i}@${domain},,Nina,Row ${i},,`);
    lines[10] = `twice@${domain},,Tina,Twice,Hafenstraße 1,Hamburg`;
    lines[510] = `TWICE@${domain},,Tina,Twice,Domshof 2,Bremen`;
    // A second address given in the second batch is the key of a row in the third.
    lines[520] = `anna@${domain},alias@${domain},Anna,Alias,,`;
    lines[1020] = `alias@${domain},,Anna,Alias,Markt 5,Bremen`;
    // The last row of the third batch and the only row of the fourth change the same stored customer.
    lines[1499] = `stored@${domain},,Stefan,Stored,Holstenstraße 3,Kiel`;
    lines[1500] = `second@${domain},,Stefan,Stored,Breite Straße 4,Lübeck`;
    const done = await importCsv(manager, `E-Mail,E-Mail 2,Vorname,Nachname,Straße,Ort\n${lines.join('\n')}\n`, {
      mapping: {
        'E-Mail': 'email',
        'E-Mail 2': 'email2',
        Vorname: 'givenName',
        Nachname: 'familyName',
        Straße: 'addressLine1',
        Ort: 'city',
      },
    });
    expect(done).toMatchObject({ status: 'completed', rowsTotal: 1501, inserted: 1497, updated: 4, rejected: 0 });
    expect(await byEmail(`alias@${domain}`)).toMatchObject([{ name: 'Anna Alias', address: { city: 'Bremen' } }]);
    const twice = await byEmail(`twice@${domain}`);
    expect(twice).toHaveLength(1);
    expect(twice[0]).toMatchObject({ name: 'Tina Twice', address: { lines: ['Domshof 2'], city: 'Bremen' } });
    expect(await byEmail(`second@${domain}`)).toMatchObject([
      { emails: [`second@${domain}`, `stored@${domain}`], address: { lines: ['Breite Straße 4'], city: 'Lübeck' } },
    ]);
  });
});

describe('batches written beside each other (PostgreSQL)', () => {
  // The second batch's one row is written long before the first's 500: it stores the new name
  // word first, and the first batch's insert then waits for it while it waits its turn to commit.
  it('adds two batches of new customers whose names share a word not stored before', async () => {
    const domain = 'shared-word.example';
    const lines = Array.from({ length: 501 }, (_, i) => `row${i}@${domain},Uwe,Row ${i}`);
    lines[499] = `first@${domain},Ilse,Quorndorfer`;
    lines[500] = `second@${domain},Otto,Quorndorfer`;
    const done = await importCsv(manager, `E-Mail,Vorname,Nachname\n${lines.join('\n')}\n`, {
      mapping: { 'E-Mail': 'email', Vorname: 'givenName', Nachname: 'familyName' },
    });
    expect(done).toMatchObject({ status: 'completed', rowsTotal: 501, inserted: 501, rejected: 0 });
    const { body } = await manager.get('/api/customers?q=Quorndorfr');
    expect(body.customers.map((customer: { name: string }) => customer.name).sort()).toEqual([
      'Ilse Quorndorfer',
      'Otto Quorndorfer',
    ]);
  });
});

describe('a customer named again further down the file', () => {
  const domain = 'further-down.example';
  // Row 6 adds Lena; row 591, in a later batch of 500 rows, adds only her phone number.
  const file = (mode: string) => {
    const lines = Array.from({ length: 600 }, (_, i) => `${mode}-row${i}@${domain},Nils,Row ${i},`);
    lines[4] = `${mode}-lena@${domain},Lena,Later,`;
    lines[589] = `${mode.toUpperCase()}-LENA@${domain},,,0151 2345 6789`;
    return `E-Mail,Vorname,Nachname,Telefon\n${lines.join('\n')}\n`;
  };
  const mapping = { 'E-Mail': 'email', Vorname: 'givenName', Nachname: 'familyName', Telefon: 'phone' };

  it('is checked as a change of the customer the earlier row adds, and written as one', async () => {
    const done = await importCsv(manager, file('upsert'), { mapping });
    expect(done).toMatchObject({ status: 'completed', rowsTotal: 600, inserted: 599, updated: 1, rejected: 0 });
    expect(await byEmail(`upsert-lena@${domain}`)).toMatchObject([{ name: 'Lena Later', phones: ['+4915123456789'] }]);
  });

  it('is refused by an import that only adds customers, naming the row that added it', async () => {
    const refused = await importCsv(manager, file('insert'), { mapping, mode: 'insert' });
    expect(refused).toMatchObject({ status: 'rejected', inserted: 0, rejected: 1 });
    expect(await allRejects(manager, refused.id)).toEqual([
      {
        rowNumber: 591,
        field: 'E-Mail',
        reason: `"insert-lena@${domain}" already belongs to the customer of row 6, and this import only adds new customers`,
      },
    ]);
  });
});

describe('a customer abroad named again further down the file', () => {
  it("reads a later row's local phone number for the country of the earlier row's address, and changes a part of that address", async () => {
    const domain = 'abroad.example';
    const lines = Array.from({ length: 600 }, (_, i) => `row${i}@${domain},Nils,Row ${i},,,,,`);
    lines[4] = `liam@${domain},Liam,London,,10 Downing Street,SW1A 2AA,London,GB`;
    // A London number: not one in Germany, the import's default country.
    lines[589] = `liam@${domain},,,020 7946 0958,,,,`;
    // Only the city: the street stays the one the earlier row gave.
    lines[594] = `liam@${domain},,,,,,Westminster,`;
    const done = await importCsv(
      manager,
      `E-Mail,Vorname,Nachname,Telefon,Straße,PLZ,Ort,Land\n${lines.join('\n')}\n`,
      {
        mapping: {
          'E-Mail': 'email',
          Vorname: 'givenName',
          Nachname: 'familyName',
          Telefon: 'phone',
          Straße: 'addressLine1',
          PLZ: 'postalCode',
          Ort: 'city',
          Land: 'country',
        },
      },
    );
    expect(done).toMatchObject({ status: 'completed', inserted: 598, updated: 2, rejected: 0 });
    expect(await byEmail(`liam@${domain}`)).toMatchObject([
      {
        phones: ['+442079460958'],
        address: { lines: ['10 Downing Street'], postalCode: 'SW1A 2AA', city: 'Westminster', country: 'GB' },
      },
    ]);
  });
});

describe('a stopped job', () => {
  it.each([
    { source: 'the rows validation kept', keptRows: true, domain: 'resume.example' },
    { source: 'the file, read again (validated before rows were kept)', keptRows: false, domain: 'reread.example' },
  ])(
    'resumes after the last batch written, without writing a row twice, from $source',
    async ({ keptRows, domain }) => {
      await t.app.worker.stop();
      try {
        const lines = Array.from({ length: 2500 }, (_, i) => `Rita,Resume ${i},rita${i}@${domain}`);
        const uploaded = await upload(manager, `Vorname,Nachname,E-Mail\n${lines.join('\n')}\n`);
        await manager.post(`/api/customer-imports/${uploaded.body.import.id}/start`, {
          mapping: { Vorname: 'givenName', Nachname: 'familyName', 'E-Mail': 'email' },
        });
        const { jobs } = await t.app.queue.list({ kind: 'customers.import', status: 'queued', limit: 1 });
        const payload = jobs[0]!.payload as ImportRun;
        const runner = createImportRunner({
          db: t.app.db,
          blobs: t.app.blobs,
          audit: t.app.audit,
          attributes: t.app.services.attributes,
          timeline: t.app.timeline,
          clock: t.app.clock,
          defaultCountry: 'DE',
          engine: t.app.storage.engine,
        });

        const stopping = new AbortController();
        const stopAfterFirstBatch = async (progress: Record<string, unknown>) => {
          if (progress.phase === 'importing') stopping.abort(new Error('worker stopping'));
        };
        await expect(
          runner.run(payload, { signal: stopping.signal, reportProgress: stopAfterFirstBatch }),
        ).rejects.toThrow('worker stopping');
        const { body: halfway } = await manager.get(`/api/customer-imports/${payload.importId}`);
        expect(halfway).toMatchObject({ status: 'importing', rowsTotal: 2500 });
        // The embedded database writes a batch in pieces of 250 rows (the resume then starts inside a
        // batch); on PostgreSQL the second batch, written beside the first, may commit before the stop.
        expect(t.app.storage.engine === 'pglite' ? [250] : [500, 1000]).toContain(halfway.rowsDone);
        expect(halfway.inserted).toBe(halfway.rowsDone);
        const [stopped] = await rows<{ checkedRows: string }>(
          t.app.db,
          sql`select options->>'checkedRows' as "checkedRows" from customer_imports where id = ${payload.importId}`,
        );
        expect(await t.app.blobs.has(stopped!.checkedRows)).toBe(true);
        if (!keptRows) {
          await t.app.db.execute(
            sql`update customer_imports set options = options - 'checkedRows' where id = ${payload.importId}`,
          );
        }

        await runner.run(payload, { signal: new AbortController().signal, reportProgress: async () => {} });
        expect((await manager.get(`/api/customer-imports/${payload.importId}`)).body).toMatchObject({
          status: 'completed',
          rowsDone: 2500,
          inserted: 2500,
          updated: 0,
        });
        const [stored] = await rows<{ n: number }>(
          t.app.db,
          sql`select count(*)::int as n from customers where emails[1] like ${`%@${domain}`}`,
        );
        expect(stored!.n).toBe(2500);
        // The kept rows go once the import is done.
        if (keptRows) expect(await t.app.blobs.has(stopped!.checkedRows)).toBe(false);
      } finally {
        t.app.worker.start();
      }
    },
  );
});

describe('writing while others write', () => {
  it('does not overwrite a customer someone changed after the batch read it', async () => {
    const created = await manager.post('/api/customers', {
      kind: 'person',
      givenName: 'Olga',
      familyName: 'Optimist',
      emails: ['olga@example.de'],
    });
    const rules = {
      upsertBy: 'email' as const,
      mode: 'upsert' as const,
      definitions: [],
      defaultCountry: 'DE',
      labelOf: (field: string) => field,
    };
    const values = new Map(Object.entries({ email: 'olga@example.de', familyName: 'Importiert' }));
    const batch = await prepareBatch(t.app.db, [{ rowNumber: 2, values }], rules);
    expect(batch).toMatchObject({ updated: 1, rejects: [] });
    await manager.patch(`/api/customers/${created.body.id}`, { givenName: 'Olga-Maria' });
    const write = t.app.db.transaction((tx) =>
      writeBatch(tx, batch, { at: new Date(), recordedBy: 'test', source: 'a test', timeline: t.app.timeline }),
    );
    await expect(write).rejects.toBeInstanceOf(CustomersChangedMeanwhile);
    expect((await manager.get(`/api/customers/${created.body.id}`)).body).toMatchObject({
      givenName: 'Olga-Maria',
      familyName: 'Optimist',
    });
  });
});
