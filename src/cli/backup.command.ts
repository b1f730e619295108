import type { Command } from 'commander';
import { loadConfig } from '../config.js';

const totalRows = (counts: Record<string, number>) => Object.values(counts).reduce((sum, n) => sum + n, 0);

/**
 * `tidings backup <file>` and `tidings restore <file>`: one consistent archive of the database, the
 * blobs its rows point at and the audit chain's key and head files; restored into an empty database
 * and data folder. They work on the configuration alone: a restore must not migrate or seed first.
 */
export function registerBackupCommands(program: Command) {
  program
    .command('backup')
    .description(
      'Write one consistent archive of the database, its blobs and the audit key and head files (safe while Tidings runs on PostgreSQL; stop it first on the embedded database)',
    )
    .argument('<file>', 'the archive to write (a ZIP with manifest.json)')
    .action(async (file: string) => {
      const { writeBackup } = await import('../backup/backup.js');
      const manifest = await writeBackup(loadConfig(), file);
      console.log(
        `Backup written to ${file}: ${manifest.engine} database (${totalRows(manifest.counts)} rows in ${Object.keys(manifest.counts).length} tables), ${manifest.blobs.length} blobs, audit trail up to event ${manifest.auditSeq}.`,
      );
    });

  program
    .command('restore')
    .description(
      'Restore a backup into an empty database (DATABASE_URL) or embedded database, and an empty data folder',
    )
    .argument('<file>', 'an archive written by `tidings backup`')
    .action(async (file: string) => {
      const config = loadConfig();
      const { restoreBackup } = await import('../backup/backup.js');
      const { manifest, counts } = await restoreBackup(config, file);
      console.log(
        `Restored ${file} (taken ${manifest.createdAt}): ${totalRows(counts)} rows, ${manifest.blobs.length} blobs, audit trail up to event ${manifest.auditSeq}.`,
      );
      if (!manifest.dataFiles.some((entry) => entry.path.endsWith('audit.key')))
        console.log(
          'The backup holds no audit key file: it was made with TIDINGS_AUDIT_KEY. Set the same key before starting Tidings.',
        );
    });
}
