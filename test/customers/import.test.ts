import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { THREAD_FROM_BYTES } from '../../src/customers/import/row-checker.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { allRejects, customersByEmail, importCsv, sendFile, upload, waitForImport } from './fixtures/import-client.js';

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

const byEmail = (email: string) => customersByEmail(manager, email);

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
