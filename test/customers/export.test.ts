import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { importCsv, upload, waitForImport } from './fixtures/import-client.js';

let t: TestApp;
let manager: Awaited<ReturnType<TestApp['signedIn']>>;
let organization: { id: string; createdAt: string; updatedAt: string };

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
  const people = [
    {
      givenName: 'Aktiv',
      familyName: 'Eins',
      emails: ['eins@export.de', 'eins.privat@export.de'],
      phones: ['0151 2345 6789'],
      lifecycleStage: 'active',
      attributes: { tariff: 'plus' },
    },
    {
      givenName: '=HYPERLINK("http://evil")',
      familyName: 'Zwei',
      emails: ['zwei@export.de'],
      lifecycleStage: 'active',
      tags: ['vip', 'b2b'],
    },
    { givenName: 'Pro', familyName: 'Spekt', emails: ['prospekt@export.de'], lifecycleStage: 'prospect' },
  ];
  for (const person of people)
    expect((await manager.post('/api/customers', { kind: 'person', ...person })).status).toBe(201);
  const org = await manager.post('/api/customers', {
    kind: 'organization',
    organizationName: 'Müller, Söhne & Co',
    emails: ['info@mueller.example'],
    address: { lines: ['Marktplatz 1', 'Hof', 'Eingang B'], postalCode: '14467', city: 'Potsdam', country: 'DE' },
    lifecycleStage: 'active',
    consents: [
      { channel: 'email', purpose: 'marketing', granted: true, source: 'form' },
      { channel: 'sms', purpose: 'marketing', granted: false, source: 'form' },
    ],
  });
  expect(org.status).toBe(201);
  organization = org.body;
});
afterAll(() => t.close());

const exportCsv = async (query: string) => {
  const response = await manager.get(`/api/customers/export.csv?${query}`);
  expect(response.status, response.text).toBe(200);
  return { response, rows: parse(response.text, { bom: true, columns: true }) as Record<string, string>[] };
};

const listIds = async (query: string) =>
  (await manager.get(`/api/customers?limit=200&${query}`)).body.customers
    .map((customer: { id: string }) => customer.id)
    .sort();

describe('CSV export', () => {
  it('contains exactly the customers of the filtered list, with a BOM for Excel', async () => {
    const { response, rows } = await exportCsv('lifecycle=active');
    expect(response.headers['content-type']).toContain('text/csv');
    expect(response.headers['content-disposition']).toContain('attachment; filename="customers.csv"');
    expect(response.text.startsWith('\uFEFF')).toBe(true);
    expect(rows.map((row) => row.id).sort()).toEqual(await listIds('lifecycle=active'));
    expect(rows).toHaveLength(3);
    const org = rows.find((row) => row.kind === 'organization')!;
    expect(org).toMatchObject({
      name: 'Müller, Söhne & Co',
      addressLine1: 'Marktplatz 1',
      addressLine2: 'Hof, Eingang B',
      city: 'Potsdam',
      'consent.email.marketing': 'yes',
      'consent.sms.marketing': 'no',
      // Instants as the API writes them, ISO in UTC.
      createdAt: organization.createdAt,
      updatedAt: organization.updatedAt,
      archivedAt: '',
    });
    const eins = rows.find((row) => row.familyName === 'Eins')!;
    expect(eins).toMatchObject({
      emails: 'eins@export.de; eins.privat@export.de',
      phones: '+4915123456789',
      'attributes.tariff': 'plus',
      'consent.email.marketing': '',
      'consent.sms.marketing': '',
    });
  });

  it('keeps spreadsheet formulas from running', async () => {
    const { rows } = await exportCsv('lifecycle=active&kind=person');
    expect(rows.map((row) => row.givenName)).toContain(`'=HYPERLINK("http://evil")`);
    expect(rows.find((row) => row.familyName === 'Eins')!.phones).toBe('+4915123456789');
  });

  it('exports a saved segment, and pages through long lists', async () => {
    const csv = [
      'Vorname,Nachname,E-Mail,Stufe',
      ...Array.from({ length: 1203 }, (_, i) => `Viele,Kunde ${i},viele${i}@export.de,onboarding`),
    ].join('\n');
    expect(
      await importCsv(manager, csv, {
        mapping: { Vorname: 'givenName', Nachname: 'familyName', 'E-Mail': 'email', Stufe: 'lifecycleStage' },
      }),
    ).toMatchObject({ inserted: 1203 });
    const segment = await manager.post('/api/segments', { name: 'Onboarding', filter: { lifecycle: ['onboarding'] } });
    const { rows } = await exportCsv(`segment=${segment.body.id}`);
    expect(rows).toHaveLength(1203);
    expect(new Set(rows.map((row) => row.id)).size).toBe(1203);
    expect(rows.every((row) => row.lifecycleStage === 'onboarding')).toBe(true);
  });

  it('imports back what it exported without a mapping, as updates', async () => {
    const { response } = await exportCsv('lifecycle=active');
    const uploaded = await upload(manager, response.text, 'customers.csv');
    const { suggestedMapping } = uploaded.body;
    expect(suggestedMapping).toMatchObject({
      emails: 'emails',
      givenName: 'givenName',
      addressLine2: 'addressLine2',
      'attributes.tariff': 'attributes.tariff',
      'consent.email.marketing': 'consent.email.marketing',
    });
    await manager.post(`/api/customer-imports/${uploaded.body.import.id}/start`, { mapping: suggestedMapping });
    const result = await waitForImport(manager, uploaded.body.import.id);
    expect(result).toMatchObject({ status: 'completed', inserted: 0, updated: 3, rejected: 0 });
    const zwei = (await manager.get('/api/customers?q=zwei@export.de')).body.customers[0];
    expect((await manager.get(`/api/customers/${zwei.id}`)).body).toMatchObject({
      givenName: '=HYPERLINK("http://evil")',
      tags: ['vip', 'b2b'],
    });
  });

  it('is for those allowed to export, and audited once', async () => {
    const agent = await t.signedIn(['agent']);
    expect((await agent.get('/api/customers/export.csv')).status).toBe(403);
    await exportCsv('kind=organization');
    const admin = await t.signedIn(['admin']);
    const trail = await admin.get('/api/audit?action=customer.exported');
    expect(trail.body.events[0]).toMatchObject({
      actorLabel: manager.user.email,
      summary: { format: 'csv', filters: { kind: 'organization' } },
    });
  });
});
