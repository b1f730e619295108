import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBrowserSession } from './support/session.js';

// Six rows: five good ones (names with umlauts, Å and ś) and one with a broken email address.
const CSV = [
  'First name,Last name,E-Mail,Phone,Street,Zip,City,Country,Tags,Customer number',
  'Jürgen,Pfeiffenberger,juergen.pfeiffenberger@example.de,+49 30 9876543,Unter den Linden 5,10117,Berlin,DE,vip;berlin,C-1001',
  'Ingrid,Åkesson,ingrid.akesson@example.se,+46 8 123 456 78,Drottninggatan 1,11122,Stockholm,SE,newsletter,C-1002',
  'Tomasz,Wiśniewski,tomasz.wisniewski@example.pl,,Nowy Świat 10,00-001,Warszawa,PL,,C-1003',
  'Claire,Dubois,claire.dubois@example.fr,+33 1 42 68 53 00,Rue du Faubourg 8,75008,Paris,FR,vip,C-1004',
  'Noah,Smith,not-an-email,,5th Avenue 1,10001,New York,US,,C-1005',
  'Lena,Vogel,lena.vogel@example.at,+43 1 5876 000,Graben 1,1010,Wien,AT,,C-1006',
].join('\n');

const session = useBrowserSession();
let page: Page;
let csvFile: string;

beforeAll(async () => {
  csvFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tidings-import-')), 'new-customers.csv');
  fs.writeFileSync(csvFile, CSV);
  page = await session.signedIn('admin@tidings.local', 'Ada');
});

afterAll(() => {
  if (csvFile) fs.rmSync(path.dirname(csvFile), { recursive: true, force: true });
});

/** The number shown under a label such as "Inserted" in the import's counts. */
const count = (label: string) => page.locator(`dl[aria-label="Import counts"] dt:text-is("${label}") + dd`);

// One person's path through the customers area: each step starts where the previous one left off.
describe('customers', () => {
  it('imports a CSV through the wizard, with live progress to completion and the rejected row explained', async () => {
    await page.goto(`${session.baseUrl}/customers/import`);
    await page.getByLabel('File to import').setInputFiles(csvFile);
    await page.getByRole('button', { name: 'Upload and map columns' }).click();

    // The columns arrive mapped from their header names.
    const emailColumn = page.getByRole('combobox', { name: 'Field for column E-Mail' });
    await emailColumn.waitFor();
    expect(await emailColumn.inputValue()).toBe('email');
    expect(await page.getByRole('combobox', { name: 'Field for column Last name' }).inputValue()).toBe('familyName');

    await page.getByLabel(/Partial import/).check();
    await page.getByRole('button', { name: 'Start import' }).click();

    const progress = page.getByRole('progressbar', { name: 'Import progress' });
    await expect.poll(() => progress.getAttribute('aria-valuetext'), { timeout: 30_000 }).toMatch(/^Completed/);
    expect(await progress.getAttribute('aria-valuenow')).toBe('100');
    expect(await count('Inserted').textContent()).toBe('5');
    expect(await count('Updated').textContent()).toBe('0');
    expect(await count('Rejected').textContent()).toBe('1');

    const rejected = page.getByRole('table', { name: 'Rejected rows' }).getByRole('row', { name: /not-an-email/ });
    await rejected.waitFor();
    expect(await rejected.getByRole('cell').first().textContent()).toBe('6');
  });

  it('adds only new customers when asked: a row without email is added, a known customer’s row refused', async () => {
    const again = path.join(path.dirname(csvFile), 'more-customers.csv');
    fs.writeFileSync(
      again,
      [
        'First name,Last name,E-Mail',
        'Jürgen,Pfeiffer,juergen.pfeiffenberger@example.de',
        'Mia,Neumann,mia.neumann@example.de',
        'Otto,Ohnemail,',
      ].join('\n'),
    );
    await page.goto(`${session.baseUrl}/customers/import`);
    await page.getByLabel('File to import').setInputFiles(again);
    await page.getByRole('button', { name: 'Upload and map columns' }).click();
    await page.getByRole('combobox', { name: 'Field for column E-Mail' }).waitFor();
    await page.getByRole('radio', { name: /Only add new customers/ }).check();
    await page.getByLabel(/Partial import/).check();
    await page.getByRole('button', { name: 'Start import' }).click();

    const progress = page.getByRole('progressbar', { name: 'Import progress' });
    await expect.poll(() => progress.getAttribute('aria-valuetext'), { timeout: 30_000 }).toMatch(/^Completed/);
    expect(await count('Inserted').textContent()).toBe('2');
    expect(await count('Updated').textContent()).toBe('0');
    expect(await count('Rejected').textContent()).toBe('1');
    const refused = page.getByRole('table', { name: 'Rejected rows' }).getByRole('row', { name: /only adds new/ });
    await refused.waitFor();
    expect(await refused.getByRole('cell').first().textContent()).toBe('2');
  });

  it('finds an imported customer by a misspelled name', async () => {
    await page
      .getByRole('navigation', { name: 'Customer sections' })
      .getByRole('link', { name: 'All customers' })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Customers' }).waitFor();
    await page.getByRole('searchbox', { name: 'Search' }).fill('Jurgen Pfeifenberger');

    const match = page.getByRole('link', { name: 'Jürgen Pfeiffenberger' });
    await match.waitFor();
    expect(new URL(page.url()).searchParams.get('q')).toBe('Jurgen Pfeifenberger');
    await match.click();
    await page.getByRole('heading', { level: 1, name: 'Jürgen Pfeiffenberger' }).waitFor();
  });

  it('grants marketing consent by email on the phone, and shows it in the matrix, the reachability and the timeline', async () => {
    const marketingByEmail = page.getByRole('button', { name: 'Marketing consent for Email: not recorded' });
    await marketingByEmail.click();
    const dialog = page.getByRole('dialog', { name: 'Marketing consent for Email' });
    expect(await dialog.getByLabel('Grants consent').isChecked()).toBe(true);
    await dialog.getByLabel('Source').selectOption({ label: 'Phone call' });
    await dialog.getByLabel('Note').fill('Agreed on the phone to the spring newsletter');
    await dialog.getByRole('button', { name: 'Record grant' }).click();

    const granted = page.getByRole('button', { name: 'Marketing consent for Email: granted' });
    await granted.waitFor();
    expect(await granted.textContent()).toContain('Phone call');

    const newest = page.getByRole('list', { name: 'Timeline entries' }).getByRole('listitem').first();
    await expect.poll(() => newest.textContent()).toContain('Granted marketing consent for email');
    expect(await newest.textContent()).toContain('Agreed on the phone to the spring newsletter');

    const marketing = page.getByRole('region', { name: 'Marketing messages' });
    await expect.poll(() => marketing.textContent()).toContain('juergen.pfeiffenberger@example.de');
  });

  it('says how many customers a filter matches when the list has more than one page', async () => {
    const api = await session.apiOf(page);
    for (let n = 1; n <= 60; n++)
      await api('POST', '/api/customers', {
        kind: 'organization',
        organizationName: `Counted Company ${n}`,
        tags: ['counted'],
      });
    await page.goto(`${session.baseUrl}/customers?tag=counted`);
    const status = page.getByRole('status').filter({ hasText: 'customers' });
    await expect.poll(() => status.textContent()).toBe('50 of 60 customers');
    await page.getByRole('button', { name: 'Load more' }).click();
    await expect.poll(() => status.textContent()).toBe('60 customers');
  });

  it('takes a pair off the duplicates list at once when it is dismissed or merged, without waiting for the list', async () => {
    const api = await session.apiOf(page);
    for (const [givenName, email] of [
      ['Anna', 'anna@zwilling.example'],
      ['Anne', 'ANNA@zwilling.example'],
      ['Ben', 'ben@zwilling.example'],
      ['Benno', 'ben@zwilling.example'],
    ])
      await api('POST', '/api/customers', { kind: 'person', givenName, familyName: 'Zwilling', emails: [email] });
    await page.goto(`${session.baseUrl}/customers/duplicates`);
    const pair = (a: string, b: string) =>
      page.getByRole('listitem', { name: new RegExp(`^(${a} Zwilling and ${b}|${b} Zwilling and ${a}) Zwilling$`) });
    await pair('Anna', 'Anne').waitFor();
    await pair('Ben', 'Benno').waitFor();

    // The list's next answer is held back: among a million customers it takes seconds.
    let answer!: () => void;
    const held = new Promise<void>((resolve) => (answer = resolve));
    await page.route('**/api/customers/duplicates', async (route) => {
      await held;
      // A request the page gave up on (a newer one replaced it) has nothing to continue.
      await route.continue().catch(() => undefined);
    });
    await pair('Anna', 'Anne').getByRole('button', { name: 'Not duplicates' }).click();
    await pair('Anna', 'Anne').waitFor({ state: 'detached' });

    await pair('Ben', 'Benno').getByRole('button', { name: 'Merge…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Merge customers' });
    await dialog.getByRole('button', { name: /^Merge into (Ben|Benno) Zwilling$/ }).click();
    await page.getByText(/^Merged (Ben|Benno) Zwilling into (Ben|Benno) Zwilling\./).waitFor();
    await pair('Ben', 'Benno').waitFor({ state: 'detached' });

    answer();
    await page.unroute('**/api/customers/duplicates');
    await page.reload();
    await page.getByRole('heading', { name: 'Duplicates' }).waitFor();
    await page
      .getByRole('list')
      .filter({ has: page.getByRole('listitem') })
      .first()
      .waitFor();
    expect(await pair('Anna', 'Anne').count()).toBe(0);
    expect(await pair('Ben', 'Benno').count()).toBe(0);
  });
});
