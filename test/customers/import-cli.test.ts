import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTidings } from '../support/cli.js';
import { restoreMigratedDatabase } from '../support/data-folder.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tidings-cli-import-'));
beforeAll(() => restoreMigratedDatabase(path.join(dir, 'data')));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Runs the real `tidings` command against a private data folder. */
const tidings = (...args: string[]) =>
  runTidings(
    args,
    {
      ...process.env,
      TIDINGS_DATA_DIR: path.join(dir, 'data'),
      TIDINGS_DEFAULT_COUNTRY: 'DE',
      LOG_LEVEL: 'warn',
      DATABASE_URL: '',
    },
    { maxBuffer: 64 * 1_048_576 },
  );

const file = (name: string, content: string) => {
  const target = path.join(dir, name);
  fs.writeFileSync(target, content);
  return target;
};

describe('tidings customers import and export', () => {
  it('imports with a progress bar and a summary, and names the rejected rows', async () => {
    const rows = Array.from(
      { length: 1200 },
      (_, i) => `Kunde,Nummer ${i},kunde${i}@cli.example,${i % 2 ? 'active' : 'prospect'}`,
    );
    const csv = file('kunden.csv', `Vorname,Nachname,E-Mail,Stufe\n${rows.join('\n')}\nFalsche,Mail,kein-at,active\n`);
    const map = [
      '--map',
      'Vorname=givenName',
      '--map',
      'Nachname=familyName',
      '--map',
      'E-Mail=email',
      '--map',
      'Stufe=lifecycleStage',
    ];

    const refused = await tidings('customers', 'import', csv, ...map);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain(
      'Nothing imported from kunden.csv: 1 of 1201 rows rejected. Fix the rows below, or import the rest with --partial.',
    );
    expect(refused.stdout).toMatch(/row 1202, E-Mail: .*"kein-at"/);

    const imported = await tidings('customers', 'import', csv, ...map, '--partial');
    expect(imported.stderr).toContain('E-Mail → email');
    expect(imported.stderr).toMatch(/Importing \|.*\| 100% 1201\/1201 rows, 1 rejected/);
    expect(imported.stdout).toContain('Imported kunden.csv: 1201 rows: 1200 new, 0 updated, 1 rejected.');

    const dry = await tidings('customers', 'import', csv, ...map, '--dry-run', '--partial');
    expect(dry.stdout).toContain(
      'Dry run of kunden.csv, nothing written. It would import 1201 rows: 0 new, 1200 updated, 1 rejected.',
    );
  }, 240_000);

  it('exports a filtered list as CSV to standard output and as vCards to a file', async () => {
    const csv = await tidings('customers', 'export', '--lifecycle', 'active');
    expect(csv.code).toBe(0);
    expect(csv.stdout.startsWith('\uFEFFid,externalId,kind,name,')).toBe(true);
    const lines = csv.stdout.trim().split('\n');
    expect(lines).toHaveLength(601);
    expect(lines.slice(1).every((line) => line.includes(',active,'))).toBe(true);
    // Progress and the count go to standard error, never into the file.
    expect(csv.stderr).toContain('Exporting 600 customers');
    expect(csv.stderr).toContain('Exported 600 customers.');

    const output = path.join(dir, 'active.vcf');
    const vcards = await tidings('customers', 'export', '--lifecycle', 'active', '--format', 'vcard', '-o', output);
    expect(vcards.code).toBe(0);
    expect(vcards.stderr).toContain(`Exported 600 customers to ${output}.`);
    expect(fs.readFileSync(output, 'utf8').match(/^BEGIN:VCARD\r$/gm)).toHaveLength(600);

    const unknown = await tidings('customers', 'export', '--segment', 'Nobody');
    expect(unknown).toMatchObject({ code: 3, stderr: expect.stringContaining('No segment named or with id Nobody') });
  }, 240_000);
});
