import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { openStorage, pgliteSettings, rows } from '../../src/db/database.js';
import { publishedNotice, startSmtpReceiver } from '../communications/support.js';
import { startTestApp } from '../support/app.js';
import { restoreMigratedDatabase } from '../support/data-folder.js';
import { waitFor } from '../support/wait-for.js';
import { unzip } from '../support/zip.js';
import { tidingsCommand } from './support.js';

const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'tidings-embedded-backup-'));
afterAll(() => fs.rmSync(folder, { recursive: true, force: true }));

describe('backup and restore of the embedded database', () => {
  it('refuses while the database is open, then restores a data folder whose audit trail verifies and whose counts and copies match', async () => {
    const smtp = await startSmtpReceiver();
    const dataDir = path.join(folder, 'source');
    const embedded = { TIDINGS_DATA_DIR: dataDir, DATABASE_URL: '' };
    const storage = await openStorage({ dataDir: path.join(await restoreMigratedDatabase(dataDir), 'pglite') });
    const t = await startTestApp({ storage, config: { dataDir, smtpUrl: smtp.url }, workerPollMs: 20 });
    const archive = path.join(folder, 'embedded.zip');
    let sent: string[];
    try {
      await publishedNotice(t);
      const agent = await t.signedIn(['agent']);
      t.app.worker.start();
      const ids: string[] = [];
      for (const name of ['Ada', 'Grace', 'Edsger']) {
        const customer = await agent.post('/api/customers', {
          kind: 'person',
          givenName: name,
          familyName: 'Tester',
          emails: [`${name.toLowerCase()}@example.test`],
          channelPreferences: ['email'],
        });
        const communication = await agent.post('/api/communications', {
          template: 'meter-reading',
          customerId: customer.body.id,
          data: { due: '30 November' },
        });
        ids.push(communication.body.id);
      }
      await waitFor(
        async () => smtp.received.length,
        (received) => received === 3,
      );
      sent = ids;
      const refused = await tidingsCommand(['backup', archive], embedded);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain('open in another process');
    } finally {
      await t.close();
      await smtp.close();
    }

    const backup = await tidingsCommand(['backup', archive], embedded);
    expect(backup, backup.stderr).toMatchObject({ code: 0, stdout: expect.stringContaining('6 blobs') });

    const restoredDir = path.join(folder, 'restored');
    const restore = await tidingsCommand(['restore', archive], { TIDINGS_DATA_DIR: restoredDir, DATABASE_URL: '' });
    expect(restore, restore.stderr).toMatchObject({ code: 0, stdout: expect.stringContaining('Restored') });
    const verify = await tidingsCommand(['audit', 'verify'], { TIDINGS_DATA_DIR: restoredDir, DATABASE_URL: '' });
    expect(verify, verify.stderr).toMatchObject({ code: 0, stdout: expect.stringContaining('intact') });

    const manifest = JSON.parse((await unzip(fs.readFileSync(archive))).get('manifest.json')!.toString()) as {
      counts: Record<string, number>;
    };
    const pglite = await PGlite.create({ dataDir: path.join(restoredDir, 'pglite'), ...pgliteSettings });
    const restored = await openStorage({ pglite });
    try {
      for (const [table, count] of Object.entries(manifest.counts)) {
        const [counted] = await rows<{ n: number }>(
          restored.db,
          sql`select count(*)::int as n from ${sql.identifier(table)}`,
        );
        expect(counted!.n, table).toBe(count);
      }
      const copies = await rows<{ id: string; archive: string }>(
        restored.db,
        sql`select id, archive_sha256 as archive from communications where status = 'sent' order by id`,
      );
      expect(copies.map((copy) => copy.id)).toEqual([...sent!].sort());
      for (const copy of copies)
        expect(
          fs.existsSync(
            path.join(restoredDir, 'blobs', copy.archive.slice(0, 2), copy.archive.slice(2, 4), copy.archive),
          ),
        ).toBe(true);
    } finally {
      await restored.close();
    }
  }, 180_000);
});
