import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { systemActor } from '../../src/shared/actor.js';
import { runTidings } from '../support/cli.js';
import { copyDemoDataFolder } from '../support/data-folder.js';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tidings-cli-corrective-'));
beforeAll(() => copyDemoDataFolder(dataDir), 240_000);
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));
const env = { ...process.env, TIDINGS_DATA_DIR: dataDir, LOG_LEVEL: 'warn', DATABASE_URL: '' };

const tidings = (...args: string[]) => runTidings(args, env);

/** A reviewer publishes version 2 of the demo tariff notice, with a corrected subject. */
async function publishCorrectedTariffNotice() {
  const app = await buildApp({ ...loadConfig(env), logLevel: 'silent' });
  try {
    const actor = systemActor('test');
    const { templates } = app.services;
    const first = await templates.getVersion(actor, 'tariff-change', 1);
    const en = first.variants.en!;
    await templates.saveVersion(actor, 'tariff-change', {
      variants: { en: { ...en, fax: { body: `Corrected notice. ${en.fax!.body}` } } },
      defaultLanguage: 'en',
      dataSchema: first.dataSchema,
      sampleData: first.sampleData,
      changeNote: 'States that it corrects the first notice',
    });
    for (const action of ['submit', 'approve', 'publish'] as const)
      await templates.act(actor, 'tariff-change', 2, action);
  } finally {
    await app.close();
  }
}

describe('tidings runs start --corrective', () => {
  it('sends the newer version to the customers who received the older one, with the data they were sent', async () => {
    const data = { tariff: 'Green Plus', effective: '2027-01-01', monthly: 42.5, previousMonthly: 39.9 };
    const first = await tidings(
      'runs',
      'start',
      'tariff-change',
      '--segment',
      'fax-first small businesses',
      '--data',
      JSON.stringify(data),
    );
    expect(first.stdout).toContain('Run completed: sent 4 (by channel: fax 4).');

    const neither = await tidings('runs', 'start', 'tariff-change');
    expect(neither.code).toBe(2);
    expect(neither.stderr).toContain('Give either --segment <name> or --corrective <older version>');
    await publishCorrectedTariffNotice();
    const corrected = await tidings('runs', 'start', 'tariff-change', '--corrective', '1');
    expect(corrected.code).toBe(0);
    expect(corrected.stdout).toMatch(
      /Corrective mailing [\w-]+: tariff-change version 2 to the 4 customers who received version 1/,
    );
    // No --data: each customer's data comes from the notice they received, or version 2 would refuse the run.
    expect(corrected.stdout).toContain('Run completed: sent 4 (by channel: fax 4).');

    const listed = await tidings('runs', 'list');
    expect(listed.stdout).toMatch(
      /completed .* Tariff change notice version 2 to the recipients of version 1 {2}\(4\/4 created\)/,
    );
    expect(listed.stdout).toMatch(
      /completed .* Tariff change notice to Fax-first small businesses {2}\(4\/4 created\)/,
    );
  }, 240_000);
});
