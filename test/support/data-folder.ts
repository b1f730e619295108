import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { inject } from 'vitest';
import { pgliteSettings } from '../../src/db/database.js';
import { runTidings } from './cli.js';
import { migratedDump } from './storage.js';
import { waitFor } from './wait-for.js';

/**
 * Puts into the data folder `dataDir` (made if missing) the embedded database that `tidings migrate`
 * leaves in an empty one, restored from this run's migrated template: ~1 s of CPU, where initdb and
 * the migrations cost a `tidings` process ~7 s. For tests whose point is not the first start; the
 * first command on it still does what every start does (system templates, the daily print job).
 */
export async function restoreMigratedDatabase(dataDir: string): Promise<string> {
  const template = inject('pgliteTemplate');
  if (!template) throw new Error('A data folder with an embedded database is for the PGlite engine only.');
  const pgliteDir = path.join(dataDir, 'pglite');
  fs.mkdirSync(pgliteDir, { recursive: true });
  const pglite = await PGlite.create({ dataDir: pgliteDir, loadDataDir: migratedDump(), ...pgliteSettings });
  await pglite.close();
  return dataDir;
}

let demoDataFolder: Promise<string> | undefined;

/** Makes the folder `making`; false when another worker made it first (and is making the demo data). */
function claim(making: string): boolean {
  try {
    fs.mkdirSync(making);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/**
 * The data folder `tidings seed --demo` left on a migrated database, made once per run by whichever
 * test asks first (the seed sends the demo correspondence and prints a batch: ~15 s of CPU); a
 * test in the other worker waits for it.
 */
function demoDataFolderOfRun(): Promise<string> {
  demoDataFolder ??= (async () => {
    const folder = path.join(inject('runFolder'), 'demo');
    const making = `${folder}.making`;
    const failed = `${folder}.failed`;
    // Test files may not share this module: the folder may have been made by an earlier one already.
    if (fs.existsSync(folder)) return folder;
    if (!claim(making)) {
      await waitFor(
        async () => fs.existsSync(folder) || fs.existsSync(failed),
        (settled) => settled,
        { timeoutMs: 240_000, intervalMs: 200 },
      );
      if (!fs.existsSync(folder)) throw new Error(fs.readFileSync(failed, 'utf8'));
      return folder;
    }
    // `making` is free again once it was renamed into place: then the folder is there.
    if (fs.existsSync(folder)) {
      fs.rmdirSync(making);
      return folder;
    }
    try {
      await restoreMigratedDatabase(making);
      const environment = { ...process.env, TIDINGS_DATA_DIR: making, DATABASE_URL: '', LOG_LEVEL: 'warn' };
      const seeded = await runTidings(['seed', '--demo'], environment);
      if (seeded.code !== 0) throw new Error(`tidings seed --demo exited with ${seeded.code}:\n${seeded.stderr}`);
      fs.renameSync(making, folder);
      return folder;
    } catch (error) {
      fs.writeFileSync(failed, `The demo data folder could not be made: ${String(error)}`);
      throw error;
    }
  })();
  return demoDataFolder;
}

/** Fills the empty data folder `dataDir` with a copy of this run's demo data (see demoDataFolderOfRun). */
export async function copyDemoDataFolder(dataDir: string): Promise<string> {
  fs.cpSync(await demoDataFolderOfRun(), dataDir, { recursive: true });
  return dataDir;
}
