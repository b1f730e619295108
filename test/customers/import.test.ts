import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CustomersChangedMeanwhile, prepareBatch, writeBatch } from '../../src/customers/import/customer-batch.js';
import { createImportRunner, type ImportRun } from '../../src/customers/import/import-runner.js';
import { THREAD_FROM_BYTES } from '../../src/customers/import/row-checker.js';
import { rows } from '../../src/db/database.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { allRejects, importCsv, sendFile, upload, waitForImport } from './fixtures/import-client.js';

let t: TestApp;
let manager: Awaited<ReturnType<TestApp['signedIn']>>;

beforeAll(async () => {
  t = await startTestApp({ config: { defaultCountry: 'DE' } });
  t.app.worker.start();
  manager = await t.signedIn(['manager']);
  const admin = await t.signedIn(['admin']);
  await admin.post('/api/customer-attributes', {
    key: 'tariff',
    label: 'Tariff',
    type: 'choice',
    choices: ['basic', 'plus'],
  });
  await admin.post('/api/customer-attributes', { key: 'contract_value', label: 'Contract value', type: 'number' });
});
afterAll(() => t.close());

const byEmail = async (email: string) => {
  const { body } = await manager.get(`/api/customers?archived=all&q=${encodeURIComponent(email)}`);
  return Promise.all(
    body.customers.map((customer: { id: string }) =>
      manager.get(`/api/customers/${customer.id}`).then((response) => response.body),
    ),
  );
};

const germanMapping = {
  Vorname: 'givenName',
  Nachname: 'familyName',
  'E-Mail': 'email',
  Telefon: 'phone',
  Tarif: 'attributes.tariff',
};

describe('importing a CSV file', () => {
  it('shows the header and first rows, maps the columns and imports (BOM, quoted commas, non-ASCII)', async () => {
    const csv =
      '\uFEFFVorname,Nachname,E-Mail,Telefon,Straße,PLZ,Ort,Tarif,Tags,Firma\r\n' +
      'Jürgen,Groß,Juergen@Example.de,030 1234567,"Hauptstraße 5, Hinterhaus",10115,Berlin,plus,"vip;b2b",\r\n' +
      'Zoë,Ørsted,zoe@example.dk,+45 32 12 34 56,,,,basic,,"Ørsted, Smith & Co"\r\n';
    const uploaded = await upload(manager, csv, 'kunden.csv');
    expect(uploaded.status).toBe(201);
    expect(uploaded.body.import).toMatchObject({
      status: 'uploaded',
      delimiter: ',',
      fileName: 'kunden.csv',
      rowsTotal: 0,
    });
    expect(uploaded.body.import.columns[0]).toBe('Vorname');
    expect(uploaded.body.sample[1]).toEqual([
      'Zoë',
      'Ørsted',
      'zoe@example.dk',
      '+45 32 12 34 56',
      '',
      '',
      '',
      'basic',
      '',
      'Ørsted, Smith & Co',
    ]);
    expect(uploaded.body.suggestedMapping).toEqual({ 'E-Mail': 'email', Tags: 'tags' });

    const mapping = {
      ...germanMapping,
      Straße: 'addressLine1',
      PLZ: 'postalCode',
      Ort: 'city',
      Tags: 'tags',
      Firma: 'organizationName',
    };
    const started = await manager.post(`/api/customer-imports/${uploaded.body.import.id}/start`, {
      mapping,
      upsertBy: 'email',
    });
    expect(started.status).toBe(202);
    const done = await waitForImport(manager, uploaded.body.import.id);
    expect(done).toMatchObject({
      status: 'completed',
      rowsTotal: 2,
      rowsDone: 2,
      inserted: 2,
      updated: 0,
      rejected: 0,
      error: null,
      mapping,
    });

    const [juergen] = await byEmail('juergen@example.de');
    expect(juergen).toMatchObject({
      name: 'Jürgen Groß',
      emails: ['juergen@example.de'],
      phones: ['+49301234567'],
      address: { lines: ['Hauptstraße 5, Hinterhaus'], postalCode: '10115', city: 'Berlin', country: 'DE' },
      attributes: { tariff: 'plus' },
      tags: ['vip', 'b2b'],
    });
    const [zoe] = await byEmail('zoe@example.dk');
    expect(zoe).toMatchObject({ name: 'Zoë Ørsted', organizationName: 'Ørsted, Smith & Co', phones: ['+4532123456'] });

    const timeline = await manager.get(`/api/customers/${juergen.id}/timeline`);
    expect(timeline.body.entries.map((entry: { title: string }) => entry.title)).toContain('Imported from kunden.csv');
    const admin = await t.signedIn(['admin']);
    const trail = await admin.get(`/api/audit?entityType=customer_import&entityId=${uploaded.body.import.id}`);
    expect(trail.body.events.map((event: { action: string }) => event.action)).toEqual([
      'customer_import.completed',
      'customer_import.started',
      'customer_import.uploaded',
    ]);
    expect(trail.body.events[0].summary).toMatchObject({ inserted: 2, updated: 0, rejected: 0, rowsTotal: 2 });
  });

  it('reads a semicolon-separated file as Excel writes it in Germany', async () => {
    const uploaded = await sendFile(
      manager,
      '/api/customer-imports?fileName=semikolon.csv',
      'Vorname;Nachname;E-Mail\nSemi;Kolon;semi@example.de\n',
      'text/csv; charset=utf-8',
    );
    expect(uploaded.body.import.columns).toEqual(['Vorname', 'Nachname', 'E-Mail']);
    await manager.post(`/api/customer-imports/${uploaded.body.import.id}/start`, {
      mapping: { Vorname: 'givenName', Nachname: 'familyName', 'E-Mail': 'email' },
    });
    const done = await waitForImport(manager, uploaded.body.import.id);
    expect(done).toMatchObject({ status: 'completed', delimiter: ';', inserted: 1 });
    expect((await byEmail('semi@example.de'))[0].name).toBe('Semi Kolon');
  });

  it('checks the mapping before it starts, and starts an import once', async () => {
    const uploaded = await upload(manager, 'Name,E-Mail\nX Y,x@example.de\n');
    const url = `/api/customer-imports/${uploaded.body.import.id}/start`;
    const bad = await manager.post(url, { mapping: { Name: 'name', Mail: 'email', 'E-Mail': 'shoeSize' } });
    expect(bad.status).toBe(400);
    expect(bad.body.details.map((detail: { path: string }) => detail.path)).toEqual([
      'body.mapping.Mail',
      'body.mapping.E-Mail',
      'body.upsertBy',
    ]);
    expect(
      (await manager.post(url, { mapping: { Name: 'name' }, upsertBy: 'external_id' })).body.details[0].message,
    ).toContain('externalId');
    expect((await manager.post(url, { mapping: { Name: 'name', 'E-Mail': 'email' } })).status).toBe(202);
    expect((await manager.post(url, { mapping: { Name: 'name', 'E-Mail': 'email' } })).status).toBe(409);
    await waitForImport(manager, uploaded.body.import.id);
  });

  it('describes itself in the OpenAPI document', async () => {
    const { body } = await manager.get('/api/openapi.json');
    expect(Object.keys(body.paths)).toEqual(
      expect.arrayContaining([
        '/api/customer-imports',
        '/api/customer-imports/{id}/start',
        '/api/customer-imports/{id}/rejects.csv',
        '/api/customers/export.csv',
        '/api/customers/import.vcf',
      ]),
    );
    expect(
      body.paths['/api/customer-imports/{id}/start'].post.requestBody.content['application/json'].schema.required,
    ).toEqual(['mapping']);
  });

  it('lets only those with the import permission upload', async () => {
    const agent = await t.signedIn(['agent']);
    expect((await upload(agent, 'Name\nA\n')).status).toBe(403);
    expect((await manager.post('/api/customer-imports', { name: 'json' })).status).toBe(415);
  });
});

describe('validation, dry run and partial import', () => {
  const header = 'Vorname,Nachname,E-Mail,Telefon,Tarif\n';
  const sampleRows = [
    'Valentin,Valide,valentin@example.de,0151 2345 6789,basic',
    'Emil,Fehler,emil@@example,,basic',
    'Paula,Phone,paula@example.de,12345,plus',
    'Anton,Attribut,anton@example.de,,gold',
    ',,nameless@example.de,,',
    'Vera,Valide,vera@example.de,,plus',
  ];

  it('imports nothing when a row is rejected, and names row, column and reason for each', async () => {
    const done = await importCsv(manager, header + sampleRows.join('\n'), { mapping: germanMapping });
    expect(done).toMatchObject({ status: 'rejected', rowsTotal: 6, inserted: 0, updated: 0, rejected: 4 });
    expect(await byEmail('valentin@example.de')).toEqual([]);
    const rejects = await allRejects(manager, done.id);
    expect(rejects.map((reject) => [reject.rowNumber, reject.field])).toEqual([
      [3, 'E-Mail'],
      [4, 'Telefon'],
      [5, 'Tarif'],
      [6, 'Nachname'],
    ]);
    expect(rejects[0]!.reason).toMatch(/email.*"emil@@example"/i);
    expect(rejects[1]!.reason).toContain('"12345" is not a valid phone number for DE');
    expect(rejects[2]!.reason).toBe('must be one of basic, plus');
    expect(rejects[3]!.reason).toBe('a person needs a given or family name');

    const csv = await manager.get(`/api/customer-imports/${done.id}/rejects.csv`);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.text.replace(/^\uFEFF/, '').split('\n')[0]).toBe('row,column,reason');
    expect(csv.text).toContain('4,Telefon,"""12345"" is not a valid phone number for DE"');

    const partial = await manager.post(`/api/customer-imports/${done.id}/start`, {
      mapping: germanMapping,
      partial: true,
    });
    expect(partial.status).toBe(202);
    expect(await waitForImport(manager, done.id)).toMatchObject({
      status: 'completed',
      partial: true,
      inserted: 2,
      updated: 0,
      rejected: 4,
    });
    expect((await byEmail('valentin@example.de'))[0]).toMatchObject({
      name: 'Valentin Valide',
      phones: ['+4915123456789'],
      attributes: { tariff: 'basic' },
    });
    expect(await byEmail('emil@@example')).toEqual([]);
  });

  it('checks a file over 1 MB on a thread of its own by the same rules, and imports what it checked', async () => {
    const filler = Array.from(
      { length: 20_000 },
      (_, i) => `Fritz,Füller ${i},fritz${i}@filler.example,030 ${String(1_000_000 + i)},basic`,
    );
    const lines = [...filler.slice(0, 10_000), ...sampleRows.slice(1, 5), ...filler.slice(10_000)];
    const csv = header + lines.join('\n');
    expect(Buffer.byteLength(csv)).toBeGreaterThan(THREAD_FROM_BYTES);
    const done = await importCsv(manager, csv, { mapping: germanMapping, partial: true }, 'large.csv', 60_000);
    expect(done).toMatchObject({ status: 'completed', rowsTotal: 20_004, inserted: 20_000, rejected: 4 });
    const rejects = await allRejects(manager, done.id);
    expect(rejects.map((reject) => [reject.rowNumber, reject.field, reject.reason])).toEqual([
      [10_002, 'E-Mail', expect.stringMatching(/email.*"emil@@example"/i)],
      [10_003, 'Telefon', '"12345" is not a valid phone number for DE'],
      [10_004, 'Tarif', 'must be one of basic, plus'],
      [10_005, 'Nachname', 'a person needs a given or family name'],
    ]);
    expect((await byEmail('fritz19999@filler.example'))[0]).toMatchObject({
      name: 'Fritz Füller 19999',
      phones: ['+49301019999'],
      attributes: { tariff: 'basic' },
    });
  });

  it('runs dry: reports what would be inserted, updated and rejected, and writes nothing', async () => {
    const csv = `${header}Vera,Neu,vera@example.de,,basic\nDora,Dry,dora@example.de,,plus\n${sampleRows[1]}\n`;
    const done = await importCsv(manager, csv, { mapping: germanMapping, dryRun: true });
    expect(done).toMatchObject({
      status: 'completed',
      dryRun: true,
      rowsTotal: 3,
      inserted: 1,
      updated: 1,
      rejected: 1,
    });
    expect(await byEmail('dora@example.de')).toEqual([]);
    expect((await byEmail('vera@example.de'))[0]).toMatchObject({
      name: 'Vera Valide',
      attributes: { tariff: 'plus' },
    });
    expect((await allRejects(manager, done.id)).map((reject) => reject.rowNumber)).toEqual([4]);

    const real = await manager.post(`/api/customer-imports/${done.id}/start`, {
      mapping: germanMapping,
      partial: true,
    });
    expect(real.status).toBe(202);
    expect(await waitForImport(manager, done.id)).toMatchObject({
      status: 'completed',
      dryRun: false,
      inserted: 1,
      updated: 1,
      rejected: 1,
    });
    expect((await byEmail('dora@example.de'))[0]).toMatchObject({ name: 'Dora Dry' });
  });

  it('pages rejects by row, never splitting one row’s problems', async () => {
    const csv = `${header}A,Eins,bad-1,123,gold\nB,Zwei,bad-2,,\nC,Drei,bad-3,,\n`;
    const done = await importCsv(manager, csv, { mapping: germanMapping, dryRun: true });
    const first = await manager.get(`/api/customer-imports/${done.id}/rejects?limit=2`);
    expect(
      first.body.rejects.map((reject: { rowNumber: number; field: string }) => [reject.rowNumber, reject.field]),
    ).toEqual([
      [2, 'E-Mail'],
      [2, 'Tarif'],
      [2, 'Telefon'],
    ]);
    const second = await manager.get(
      `/api/customer-imports/${done.id}/rejects?limit=2&cursor=${first.body.nextCursor}`,
    );
    expect(second.body).toMatchObject({ rejects: [{ rowNumber: 3 }, { rowNumber: 4 }] });
    const third = `/api/customer-imports/${done.id}/rejects?limit=2&cursor=${second.body.nextCursor}`;
    expect((await manager.get(third)).body).toEqual({
      rejects: [],
      nextCursor: null,
    });
  });
});

describe('upserts', () => {
  it('matches by external id: a second run updates instead of duplicating, also within one file', async () => {
    const mapping = { Kundennummer: 'externalId', Name: 'name', 'E-Mail': 'email', Stufe: 'lifecycleStage' };
    const first = await importCsv(
      manager,
      'Kundennummer,Name,E-Mail,Stufe\nK-1,Anna Alt,anna.alt@example.de,prospect\nK-2,Bernd Bau,bernd@example.de,\nK-1,,,Active\n',
      {
        mapping,
        upsertBy: 'external_id',
      },
    );
    expect(first).toMatchObject({ status: 'completed', inserted: 2, updated: 1 });
    const second = await importCsv(
      manager,
      'Kundennummer,Name,E-Mail,Stufe\nK-1,Anna Neu,anna.neu@example.de,\nK-2,Bernd Bau,bernd@example.de,\n',
      { mapping, upsertBy: 'external_id' },
    );
    expect(second).toMatchObject({ status: 'completed', inserted: 0, updated: 2 });
    const [anna] = await byEmail('anna.alt@example.de');
    expect(anna).toMatchObject({
      externalId: 'K-1',
      givenName: 'Anna',
      familyName: 'Neu',
      emails: ['anna.neu@example.de', 'anna.alt@example.de'],
      lifecycleStage: 'active',
    });
    expect(await byEmail('bernd@example.de')).toHaveLength(1);
  });

  it('matches by email, case-insensitively, and refuses to steal another customer’s external id', async () => {
    const mapping = { 'E-Mail': 'email', Vorname: 'givenName', Nachname: 'familyName', Nr: 'externalId' };
    const csv = 'E-Mail,Vorname,Nachname,Nr\nBERND@example.de,Bernd,Baumann,\ncarl@example.de,Carl,Clash,K-1\n';
    const done = await importCsv(manager, csv, { mapping, upsertBy: 'email', partial: true });
    expect(done).toMatchObject({ status: 'completed', inserted: 0, updated: 1, rejected: 1 });
    expect((await byEmail('bernd@example.de'))[0]).toMatchObject({ name: 'Bernd Baumann', externalId: 'K-2' });
    expect(await allRejects(manager, done.id)).toEqual([
      { rowNumber: 3, field: 'Nr', reason: '"K-1" already belongs to another customer' },
    ]);
    const again = await importCsv(manager, csv, { mapping, upsertBy: 'email', partial: true });
    expect(again).toMatchObject({ inserted: 0, updated: 1 });
  });

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

describe('files that are not clean UTF-8 CSV', () => {
  it('refuses a UTF-16 file with a message that says what to do', async () => {
    const response = await upload(
      manager,
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Name,E-Mail\nAnna,a@example.de\n', 'utf16le')]),
    );
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({
      error: 'customer_import.not_utf8',
      message: expect.stringContaining('UTF-16'),
    });
    expect(response.body.message).toContain('Save the file as UTF-8');
  });

  it('refuses invalid UTF-8 and says on which line and byte', async () => {
    const latin1 = Buffer.concat([
      Buffer.from('Name,E-Mail\nAnna,a@example.de\n'),
      Buffer.from('Jürgen,j@example.de\n', 'latin1'),
    ]);
    const response = await upload(manager, latin1);
    expect(response.status).toBe(400);
    expect(response.body.message).toContain('byte 0xFC at line 3, byte 32');
  });

  it('reports a broken quote as a rejected row with its line, and reads on', async () => {
    const csv = 'Name,E-Mail\nAnna Quote,anna@quote.de\nBr"oken Quote,broken@quote.de\nCarla Quote,carla@quote.de\n';
    const done = await importCsv(manager, csv, { mapping: { Name: 'name', 'E-Mail': 'email' }, dryRun: true });
    expect(done).toMatchObject({ status: 'completed', rowsTotal: 3, inserted: 2, rejected: 1 });
    const [reject] = await allRejects(manager, done.id);
    expect(reject).toMatchObject({ rowNumber: 3, field: '' });
    expect(reject!.reason).toContain('at line 3');
  });

  it('reports a record over 1 MB, stops reading there, and imports nothing', async () => {
    const csv = `Name,E-Mail\nAnna Big,anna@big.de\n"${'x'.repeat(2 * 1_048_576)}",huge@big.de\nCarl Big,carl@big.de\n`;
    const done = await importCsv(manager, csv, { mapping: { Name: 'name', 'E-Mail': 'email' }, partial: true });
    expect(done).toMatchObject({ status: 'rejected', error: expect.stringContaining('cannot be read to its end') });
    expect(await allRejects(manager, done.id)).toEqual([
      { rowNumber: 3, field: '', reason: 'row 3 (line 3) is larger than 1 MB; the file was not read past it' },
    ]);
    expect(await byEmail('anna@big.de')).toEqual([]);
  });

  it('rejects rows with more or fewer values than the header has columns', async () => {
    const done = await importCsv(manager, 'Name,E-Mail\nShort Row\nLong Row,long@example.de,extra\n', {
      mapping: { Name: 'name', 'E-Mail': 'email' },
      dryRun: true,
    });
    expect((await allRejects(manager, done.id)).map((reject) => reject.reason)).toEqual([
      'has 1 values but the header names 2 columns',
      'has 3 values but the header names 2 columns',
    ]);
  });
});

describe('consent columns', () => {
  const mapping = {
    'E-Mail': 'email',
    Name: 'name',
    Newsletter: 'consent.email.marketing',
    Briefpost: 'consent.letter.marketing',
  };

  it('records consents in the ledger with source import and keeps the current state equal to it', async () => {
    const first = await importCsv(
      manager,
      'E-Mail,Name,Newsletter,Briefpost\nkonrad@example.de,Konrad Konsens,yes,0\n',
      { mapping },
    );
    expect(first.status).toBe('completed');
    const [konrad] = await byEmail('konrad@example.de');
    expect(konrad.consents).toEqual([
      expect.objectContaining({ channel: 'email', purpose: 'marketing', granted: true, source: 'import' }),
      expect.objectContaining({ channel: 'letter', purpose: 'marketing', granted: false, source: 'import' }),
    ]);

    await importCsv(manager, 'E-Mail,Name,Newsletter,Briefpost\nkonrad@example.de,Konrad Konsens,true,no\n', {
      mapping,
    });
    const unchanged = await manager.get(`/api/customers/${konrad.id}/consents/history`);
    expect(unchanged.body.events).toHaveLength(2);
    expect(unchanged.body.events[0]).toMatchObject({
      source: 'import',
      note: 'Imported from customers.csv',
      recordedBy: manager.user.email,
    });

    await importCsv(manager, 'E-Mail,Name,Newsletter,Briefpost\nkonrad@example.de,,No,\n', { mapping });
    const history = await manager.get(`/api/customers/${konrad.id}/consents/history`);
    expect(
      history.body.events.map((event: { channel: string; granted: boolean; source: string }) => [
        event.channel,
        event.granted,
        event.source,
      ]),
    ).toEqual([
      ['email', false, 'import'],
      ['email', true, 'import'],
      ['letter', false, 'import'],
    ]);
    const current = (await manager.get(`/api/customers/${konrad.id}`)).body.consents;
    expect(current.find((consent: { channel: string }) => consent.channel === 'email').granted).toBe(false);
  });

  it('rejects a consent value that is not yes or no', async () => {
    const done = await importCsv(manager, 'E-Mail,Name,Newsletter,Briefpost\nmaybe@example.de,Mia Maybe,maybe,\n', {
      mapping,
      dryRun: true,
    });
    expect(await allRejects(manager, done.id)).toEqual([
      { rowNumber: 2, field: 'Newsletter', reason: 'must be yes or no (or true/false, 1/0), not "maybe"' },
    ]);
  });
});

describe('rows without the matching key, and adding new customers only', () => {
  const mapping = { Name: 'name', 'E-Mail': 'email', Tags: 'tags' };
  const byName = async (name: string) =>
    (await manager.get(`/api/customers?archived=all&q=${encodeURIComponent(name)}`)).body.customers.filter(
      (customer: { name: string }) => customer.name === name,
    );

  it('adds a row without the key (here: no email) as a new customer instead of refusing the file', async () => {
    const done = await importCsv(
      manager,
      'Name,E-Mail,Tags\nKeyla Mitmail,keyla@example.de,bonn\nOtto Ohnemail,,köln\n',
      { mapping, upsertBy: 'email' },
    );
    expect(done).toMatchObject({ status: 'completed', mode: 'upsert', inserted: 2, updated: 0, rejected: 0 });
    expect(await byName('Otto Ohnemail')).toEqual([expect.objectContaining({ emails: [] })]);
    expect(await byEmail('keyla@example.de')).toHaveLength(1);
  });

  it('in insert-only mode adds every new row and refuses, row by row, those a customer already has', async () => {
    const existing = await manager.post('/api/customers', {
      kind: 'person',
      givenName: 'Ines',
      familyName: 'Insert',
      emails: ['ines@example.de'],
    });
    const csv =
      'Name,E-Mail,Tags\n' +
      'Ines Anders,INES@example.de,trier\n' +
      'Nora Neu,nora@example.de,mainz\n' +
      'Nora Doppelt,nora@example.de,mainz\n' +
      'Olaf Ohne,,kiel\n';
    const refused = await importCsv(manager, csv, { mapping, mode: 'insert' });
    expect(refused).toMatchObject({ status: 'rejected', mode: 'insert', inserted: 0, rejected: 2 });
    expect(await allRejects(manager, refused.id)).toEqual([
      {
        rowNumber: 2,
        field: 'E-Mail',
        reason: '"ines@example.de" already belongs to a customer, and this import only adds new customers',
      },
      {
        rowNumber: 4,
        field: 'E-Mail',
        reason: '"nora@example.de" already belongs to the customer of row 3, and this import only adds new customers',
      },
    ]);

    const partial = await manager.post(`/api/customer-imports/${refused.id}/start`, {
      mapping,
      mode: 'insert',
      partial: true,
    });
    expect(partial.status).toBe(202);
    expect(await waitForImport(manager, refused.id)).toMatchObject({
      status: 'completed',
      inserted: 2,
      updated: 0,
      rejected: 2,
    });
    expect((await manager.get(`/api/customers/${existing.body.id}`)).body).toMatchObject({
      name: 'Ines Insert',
      tags: [],
    });
    expect(await byEmail('nora@example.de')).toEqual([expect.objectContaining({ name: 'Nora Neu' })]);
    expect(await byName('Olaf Ohne')).toHaveLength(1);
  });

  it('needs a key column to match by only when it updates', async () => {
    const uploaded = await upload(manager, 'Name,Tags\nPaul Plain,ulm\n');
    const url = `/api/customer-imports/${uploaded.body.import.id}/start`;
    const upsert = await manager.post(url, { mapping: { Name: 'name', Tags: 'tags' } });
    expect(upsert.status).toBe(400);
    expect(upsert.body.details[0]).toMatchObject({
      path: 'body.upsertBy',
      message: expect.stringContaining('or import every row as a new customer'),
    });
    expect((await manager.post(url, { mapping: { Name: 'name', Tags: 'tags' }, mode: 'insert' })).status).toBe(202);
    expect(await waitForImport(manager, uploaded.body.import.id)).toMatchObject({ status: 'completed', inserted: 1 });
  });
});
