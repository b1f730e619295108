import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerToVCard, splitVCards, vCardFields } from '../../src/customers/vcard.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { sendFile } from './fixtures/import-client.js';

describe('vCard conversion', () => {
  const customer = {
    id: '8f1c2b8e-4b7a-4c1e-9a0b-1d2e3f4a5b6c',
    kind: 'person' as const,
    name: 'Jürgen Groß',
    givenName: 'Jürgen',
    familyName: 'Groß',
    organizationName: 'Bäckerei; Krause, GmbH',
    emails: ['j@example.de', 'j.gross@example.de'],
    phones: ['+4915123456789', '+49301234567'],
    fax: '+49301234568',
    address: { lines: ['Hauptstraße 5', 'Hinterhaus'], postalCode: '10115', city: 'Berlin', country: 'DE' },
    language: 'de',
    timeZone: 'Europe/Berlin',
    tags: ['vip', 'a,b'],
    updatedAt: new Date('2026-01-02T03:04:05Z'),
  };

  it('writes a vCard 4.0 that reads back as the same fields, separators and all', () => {
    const card = customerToVCard(customer);
    expect(card).toMatch(/^BEGIN:VCARD\r\nVERSION:4\.0\r\n/);
    expect(card).toContain('ORG:Bäckerei\\; Krause\\, GmbH\r\n');
    expect(card).toContain('TEL;TYPE=cell;PREF=1:tel:+4915123456789\r\n');
    expect(Object.fromEntries(vCardFields(card))).toEqual({
      kind: 'individual',
      name: 'Jürgen Groß',
      givenName: 'Jürgen',
      familyName: 'Groß',
      organizationName: 'Bäckerei; Krause, GmbH',
      emails: ['j@example.de', 'j.gross@example.de'],
      phones: ['+4915123456789', '+49301234567'],
      fax: '+49301234568',
      addressLine1: 'Hauptstraße 5',
      addressLine2: 'Hinterhaus',
      postalCode: '10115',
      city: 'Berlin',
      country: 'DE',
      language: 'de',
      timeZone: 'Europe/Berlin',
      tags: ['vip', 'a,b'],
    });
  });

  it('writes a card as ical.js wrote it: escapes, structured values and lines folded at 75 octets', () => {
    const card = customerToVCard({
      ...customer,
      name: `Ünal, "Öztürk"; \\ ${'ğ'.repeat(40)} 😀😀😀`,
      familyName: 'Öztürk; Sohn',
      organizationName: `Bäckerei, Krause; Söhne ${'x'.repeat(80)}`,
      address: {
        lines: ['Hauptstraße 5, Hof; links', 'Hinterhaus\\2'],
        postalCode: '10115',
        city: 'Berlin',
        country: 'DE',
      },
      tags: ['a,b', 'c;d', 'e\\f'],
    });
    // Written by ical.js 2.2 (Component and Property) before the cards were written directly.
    expect(card.split('\r\n')).toEqual([
      'BEGIN:VCARD',
      'VERSION:4.0',
      'UID:urn:uuid:8f1c2b8e-4b7a-4c1e-9a0b-1d2e3f4a5b6c',
      'KIND:individual',
      `FN:Ünal\\, "Öztürk"; \\\\ ${'ğ'.repeat(24)}`,
      ` ${'ğ'.repeat(16)} 😀😀😀`,
      'N:Öztürk\\; Sohn;Jürgen;;;',
      `ORG:Bäckerei\\, Krause\\; Söhne ${'x'.repeat(43)}`,
      ` ${'x'.repeat(37)}`,
      'EMAIL;PREF=1:j@example.de',
      'EMAIL;PREF=2:j.gross@example.de',
      'TEL;TYPE=cell;PREF=1:tel:+4915123456789',
      'TEL;TYPE=voice;PREF=2:tel:+49301234567',
      'TEL;TYPE=fax:tel:+49301234568',
      'ADR:;;Hauptstraße 5\\, Hof\\; links\\nHinterhaus\\\\2;Berlin;;10115;DE',
      'LANG:de',
      'TZ:Europe/Berlin',
      'CATEGORIES:a\\,b,c;d,e\\\\f',
      'REV:20260102T030405Z',
      'END:VCARD',
      '',
    ]);
  });

  it('cuts a file into cards and notes lines outside any card', () => {
    const card = customerToVCard(customer);
    const { cards, strays } = splitVCards(`${card}stray text\n${card}BEGIN:VCARD\nVERSION:4.0\n`);
    expect(cards.map((found) => found.line)).toEqual([1, 20]);
    expect(strays).toEqual([19, 38]);
  });
});

describe('vCards over HTTP', () => {
  let t: TestApp;
  let manager: Awaited<ReturnType<TestApp['signedIn']>>;
  beforeAll(async () => {
    t = await startTestApp({ config: { defaultCountry: 'DE' } });
    manager = await t.signedIn(['manager']);
  });
  afterAll(() => t.close());

  const importCards = (text: string) => sendFile(manager, '/api/customers/import.vcf', text, 'text/vcard');

  it('round-trips a customer: export, import as a new customer, same name, emails, phones, address and organization', async () => {
    const created = await manager.post('/api/customers', {
      kind: 'person',
      givenName: 'Renate',
      familyName: 'Rundreise',
      organizationName: 'Reisebüro Süd, GmbH',
      emails: ['renate@example.de', 'r.rundreise@example.de'],
      phones: ['0151 2345 6789', '030 1234567'],
      address: {
        lines: ['Lindenallee 7', '3. OG'],
        postalCode: '80331',
        city: 'München',
        region: 'Bayern',
        country: 'DE',
      },
      tags: ['vip'],
    });
    const exported = await manager.get(`/api/customers/${created.body.id}/vcard`);
    expect(exported.status).toBe(200);
    expect(exported.headers['content-type']).toContain('text/vcard');
    expect(exported.headers['content-disposition']).toContain('Renate Rundreise.vcf');

    const copy = exported.text
      .replaceAll('renate@example.de', 'renate@copy.example')
      .replaceAll('r.rundreise@example.de', 'r@copy.example')
      .replace(/UID:.*\r\n/, '');
    const imported = await importCards(copy);
    expect(imported.body).toMatchObject({
      inserted: 1,
      updated: 0,
      rejected: 0,
      cards: [{ card: 1, line: 1, outcome: 'inserted', problems: [] }],
    });
    const twin = (await manager.get(`/api/customers/${imported.body.cards[0].customerId}`)).body;
    const original = created.body;
    for (const field of [
      'kind',
      'name',
      'givenName',
      'familyName',
      'organizationName',
      'phones',
      'address',
      'tags',
      'language',
      'timeZone',
    ] as const)
      expect(twin[field], field).toEqual(original[field]);
    expect(twin.emails).toEqual(['renate@copy.example', 'r@copy.example']);

    const again = await importCards(exported.text);
    expect(again.body).toMatchObject({
      inserted: 0,
      updated: 1,
      cards: [{ outcome: 'updated', customerId: original.id }],
    });
    expect((await manager.get('/api/customers?q=renate@example.de')).body.customers).toHaveLength(1);
  });

  it('imports many cards, vCard 3.0 too, and says for each card what went wrong', async () => {
    const file = [
      'BEGIN:VCARD\r\nVERSION:3.0\r\nN:Dreier;Doris;;;\r\nFN:Doris Dreier\r\nTEL;TYPE=CELL:+49 151 23456780\r\nEMAIL;TYPE=INTERNET;TYPE=PREF:doris@example.de\r\nADR;TYPE=HOME:;;Ringstraße 3;Köln;;50667;Germany\r\nEND:VCARD',
      'BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Kaputt\r\nTHIS LINE IS NOT A PROPERTY\r\nEND:VCARD',
      'BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Falsche Adresse\r\nN:Adresse;Falsche;;;\r\nEMAIL:nicht-gueltig@\r\nEND:VCARD',
      'BEGIN:VCARD\r\nVERSION:4.0\r\nKIND:org\r\nFN:Ohne Mail AG\r\nORG:Ohne Mail AG\r\nEND:VCARD',
      'BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Abgeschnitten',
    ].join('\r\n');
    const response = await importCards(file);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ inserted: 2, updated: 0, rejected: 2, linesOutsideCards: [26] });
    const [doris, broken, badEmail, organization] = response.body.cards;
    expect(doris).toMatchObject({ outcome: 'inserted', line: 1 });
    expect((await manager.get(`/api/customers/${doris.customerId}`)).body).toMatchObject({
      name: 'Doris Dreier',
      phones: ['+4915123456780'],
      address: { lines: ['Ringstraße 3'], city: 'Köln', postalCode: '50667', country: 'DE' },
    });
    expect(broken).toMatchObject({
      outcome: 'rejected',
      line: 9,
      problems: [{ field: 'vCard', reason: expect.stringContaining('cannot be read') }],
    });
    expect(badEmail).toMatchObject({
      outcome: 'rejected',
      problems: [{ field: 'EMAIL', reason: expect.stringContaining('"nicht-gueltig@"') }],
    });
    expect(organization).toMatchObject({ outcome: 'inserted' });
    expect((await manager.get(`/api/customers/${organization.customerId}`)).body).toMatchObject({
      kind: 'organization',
      name: 'Ohne Mail AG',
    });
  });

  it('refuses a file without cards and one that is not UTF-8', async () => {
    expect((await importCards('hello')).body.error).toBe('vcard.none');
    const latin1 = await sendFile(
      manager,
      '/api/customers/import.vcf',
      Buffer.from('BEGIN:VCARD\r\nFN:Jürgen\r\nEND:VCARD\r\n', 'latin1'),
      'text/vcard',
    );
    expect(latin1).toMatchObject({ status: 400, body: { error: 'customer_import.not_utf8' } });
  });

  it('exports the cards of a filtered list', async () => {
    const response = await manager.get('/api/customers/export.vcf?kind=organization');
    expect(response.status).toBe(200);
    expect(response.text.match(/^BEGIN:VCARD\r$/gm)).toHaveLength(1);
    expect(response.text).toContain('FN:Ohne Mail AG\r\n');
  });
});
