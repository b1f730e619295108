import { execFile } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import yazl from 'yazl';
import { AUDIT_HEAD_FILE, AUDIT_KEY_FILE } from '../audit/audit-anchor.js';
import { createFileBlobStore } from '../blobs/blob-store.js';
import type { Config } from '../config.js';
import { PgliteDump, pgliteSettings } from '../db/database.js';
import { AppError } from '../shared/errors.js';
import { blobEntry, dataFileEntry, MANIFEST, openBackup, type Manifest } from './backup-archive.js';

const run = promisify(execFile);

type BackupConfig = Pick<Config, 'dataDir' | 'databaseUrl'>;

/** Reads inside the one snapshot the whole backup is taken from. */
type Snapshot = { query<T>(text: string): Promise<T[]> };

const pgliteDir = (config: BackupConfig) => path.join(config.dataDir, 'pglite');
const sha256Of = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const quoted = (identifier: string) => `"${identifier.replaceAll('"', '""')}"`;

/**
 * What the snapshot holds: rows per table, the newest audit event, and every blob a row points at
 * (by convention a text column named `<x>_sha256` names a blob).
 */
async function inventory(snapshot: Snapshot) {
  const tables = await snapshot.query<{ name: string }>(
    `select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`,
  );
  const counts: Record<string, number> = {};
  for (const { name } of tables)
    counts[name] = Number((await snapshot.query<{ n: string }>(`select count(*) as n from ${quoted(name)}`))[0]!.n);
  const columns = await snapshot.query<{ table: string; column: string }>(
    `select table_name as table, column_name as column from information_schema.columns where table_schema = 'public' and data_type = 'text' and column_name like '%\\_sha256' order by 1, 2`,
  );
  const hashes = new Set<string>();
  for (const { table, column } of columns) {
    const found = await snapshot.query<{ hash: string }>(
      `select distinct ${quoted(column)} as hash from ${quoted(table)} where ${quoted(column)} is not null`,
    );
    for (const { hash } of found) hashes.add(hash);
  }
  const [audit] = await snapshot.query<{ seq: string }>(`select coalesce(max(seq), 0) as seq from audit_events`);
  return { counts, hashes: [...hashes].sort(), auditSeq: Number(audit!.seq) };
}

/** The PostgreSQL client programs, newest first: on PATH, else where Debian and Ubuntu install them. */
async function postgresProgram(name: 'pg_dump' | 'pg_restore'): Promise<string> {
  const candidates: string[] = [name];
  const root = '/usr/lib/postgresql';
  if (fs.existsSync(root))
    for (const version of fs.readdirSync(root).sort((a, b) => Number(b) - Number(a)))
      candidates.push(path.join(root, version, 'bin', name));
  for (const candidate of candidates) {
    try {
      await run(candidate, ['--version']);
      return candidate;
    } catch {
      continue;
    }
  }
  throw new AppError(
    'unavailable',
    'backup.tool_missing',
    `${name} was not found: install the PostgreSQL client programs (postgresql-client) of the server's version or newer.`,
  );
}

/** pg_dump and pg_restore get the password through their environment, not where `ps` shows it. */
function clientProgramConnection(databaseUrl: string) {
  const url = new URL(databaseUrl);
  const password = decodeURIComponent(url.password);
  url.password = '';
  return {
    dbname: `--dbname=${url.toString()}`,
    env: { ...process.env, ...(password ? { PGPASSWORD: password } : {}) },
  };
}

/**
 * Runs `work` in one REPEATABLE READ snapshot of the server and dumps that same snapshot with
 * pg_dump (custom format, exported snapshot), so rows, blobs and dump agree to the transaction.
 */
async function postgresSnapshot<T>(
  databaseUrl: string,
  dumpFile: string,
  work: (snapshot: Snapshot) => Promise<T>,
): Promise<T> {
  const pgDump = await postgresProgram('pg_dump');
  const client = new pg.Client({ connectionString: databaseUrl });
  client.on('error', () => {});
  await client.connect();
  try {
    await client.query('begin isolation level repeatable read read only');
    const { rows } = await client.query<{ id: string }>('select pg_export_snapshot() as id');
    const result = await work({ query: async <R>(text: string) => (await client.query(text)).rows as R[] });
    const connection = clientProgramConnection(databaseUrl);
    await run(
      pgDump,
      [
        '--format=custom',
        `--snapshot=${rows[0]!.id}`,
        '--no-owner',
        '--no-privileges',
        `--file=${dumpFile}`,
        connection.dbname,
      ],
      { env: connection.env },
    );
    await client.query('commit');
    return result;
  } finally {
    await client.end();
  }
}

/** PGlite writes postmaster.pid while it is open: a second process on the same folder would corrupt it. */
function refuseOpenEmbedded(config: BackupConfig) {
  if (fs.existsSync(path.join(pgliteDir(config), 'postmaster.pid')))
    throw new AppError(
      'conflict',
      'backup.database_in_use',
      `The embedded database in ${pgliteDir(config)} is open in another process (or one was killed while it had it open). Stop \`tidings start\` first; after a crash, start and stop it once.`,
    );
}

/** The embedded database belongs to one process: it is backed up whole, as its data folder. */
async function embeddedSnapshot<T>(config: BackupConfig, dumpFile: string, work: (snapshot: Snapshot) => Promise<T>) {
  refuseOpenEmbedded(config);
  if (!fs.existsSync(path.join(pgliteDir(config), 'PG_VERSION')))
    throw new AppError('not_found', 'backup.no_database', `There is no embedded database in ${pgliteDir(config)}.`);
  const pglite = await PGlite.create({ dataDir: pgliteDir(config), ...pgliteSettings });
  try {
    const result = await work({ query: async <R>(text: string) => (await pglite.query<R>(text)).rows });
    const dump = await pglite.dumpDataDir('gzip');
    await fsp.writeFile(dumpFile, Buffer.from(await dump.arrayBuffer()));
    return result;
  } finally {
    await pglite.close();
  }
}

/** The head file as of the snapshot: its legacy line and the entries of events the snapshot holds. */
function headAsOf(content: string, auditSeq: number): string {
  const [legacy, ...entries] = content.split('\n');
  const kept = entries.filter((line) => /^\d+ /.test(line) && Number(line.split(' ')[0]) <= auditSeq);
  return [legacy, ...kept].join('\n') + '\n';
}

async function fileEntry(file: string, entryPath: string) {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of fs.createReadStream(file)) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { path: entryPath, sha256: hash.digest('hex'), size };
}

/**
 * Writes one consistent archive (ZIP) of the database, every blob its rows point at, and the audit
 * chain's key and head files, with a manifest of hashes. The archive appears under its name only
 * when complete and synced.
 */
export async function writeBackup(config: BackupConfig, file: string) {
  const target = path.resolve(file);
  const work = `${target}.${randomUUID().slice(0, 8)}.partial`;
  const dumpFile = `${work}.database`;
  const engine = config.databaseUrl ? 'postgres' : 'pglite';
  try {
    const found = config.databaseUrl
      ? await postgresSnapshot(config.databaseUrl, dumpFile, inventory)
      : await embeddedSnapshot(config, dumpFile, inventory);

    const blobs = createFileBlobStore(path.join(config.dataDir, 'blobs'));
    const zip = new yazl.ZipFile();
    const output = fs.createWriteStream(work, { flags: 'wx' });
    const written = new Promise<void>((resolve, reject) => {
      output.on('close', resolve);
      output.on('error', reject);
      zip.on('error', reject);
    });
    zip.outputStream.pipe(output);

    const databaseEntry = engine === 'postgres' ? 'database.dump' : 'database.tar.gz';
    const database = await fileEntry(dumpFile, databaseEntry);
    zip.addFile(dumpFile, databaseEntry);

    const blobEntries: Manifest['blobs'] = [];
    for (const hash of found.hashes) {
      blobEntries.push({ path: blobEntry(hash), sha256: hash, size: await blobs.size(hash) });
      // Read through the store when its turn comes: a blob whose bytes no longer match its name stops the backup.
      zip.addReadStreamLazy(blobEntry(hash), (done) => done(null, blobs.open(hash)));
    }

    const dataFiles: Manifest['dataFiles'] = [];
    const keyFile = path.join(config.dataDir, AUDIT_KEY_FILE);
    const headFile = path.join(config.dataDir, AUDIT_HEAD_FILE);
    const extras: [string, Buffer][] = [];
    if (fs.existsSync(keyFile)) extras.push([AUDIT_KEY_FILE, fs.readFileSync(keyFile)]);
    if (fs.existsSync(headFile))
      extras.push([AUDIT_HEAD_FILE, Buffer.from(headAsOf(fs.readFileSync(headFile, 'utf8'), found.auditSeq))]);
    for (const [name, bytes] of extras) {
      dataFiles.push({ path: dataFileEntry(name), sha256: sha256Of(bytes), size: bytes.length });
      zip.addBuffer(bytes, dataFileEntry(name), { mode: 0o100600 });
    }

    const manifest: Manifest = {
      format: 'tidings-backup',
      version: 1,
      createdAt: new Date().toISOString(),
      engine,
      database: { ...database, format: engine === 'postgres' ? 'pg_dump-custom' : 'pglite-datadir' },
      counts: found.counts,
      auditSeq: found.auditSeq,
      blobs: blobEntries,
      dataFiles,
    };
    zip.addBuffer(Buffer.from(JSON.stringify(manifest, null, 2)), MANIFEST);
    zip.end();
    await written;
    const handle = await fsp.open(work, 'r');
    await handle.sync();
    await handle.close();
    await fsp.rename(work, target);
    return manifest;
  } finally {
    await fsp.rm(dumpFile, { force: true });
    await fsp.rm(work, { force: true });
  }
}

/** Rows per table of the restored database, to hold against the manifest. */
async function countRows(snapshot: Snapshot, tables: string[]) {
  const counts: Record<string, number> = {};
  for (const name of tables)
    counts[name] = Number((await snapshot.query<{ n: string }>(`select count(*) as n from ${quoted(name)}`))[0]!.n);
  return counts;
}

function refuseNonEmptyDataFolder(config: BackupConfig) {
  const blobsDir = path.join(config.dataDir, 'blobs');
  const occupied = [
    ...[AUDIT_KEY_FILE, AUDIT_HEAD_FILE].filter((name) => fs.existsSync(path.join(config.dataDir, name))),
    ...(fs.existsSync(blobsDir) && fs.readdirSync(blobsDir).some((name) => name !== 'tmp') ? ['blobs/'] : []),
    ...(!config.databaseUrl && fs.existsSync(pgliteDir(config)) && fs.readdirSync(pgliteDir(config)).length > 0
      ? ['pglite/']
      : []),
  ];
  if (occupied.length > 0)
    throw new AppError(
      'conflict',
      'backup.data_folder_not_empty',
      `A backup is restored into an empty data folder; ${config.dataDir} already holds ${occupied.join(', ')}.`,
    );
}

async function restorePostgres(databaseUrl: string, dumpFile: string, tables: string[]) {
  const client = new pg.Client({ connectionString: databaseUrl });
  client.on('error', () => {});
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>(
      `select count(*) as n from information_schema.tables where table_schema not in ('pg_catalog', 'information_schema')`,
    );
    if (Number(rows[0]!.n) > 0)
      throw new AppError(
        'conflict',
        'backup.database_not_empty',
        'A backup is restored into an empty database; the one DATABASE_URL names already has tables.',
      );
    const pgRestore = await postgresProgram('pg_restore');
    const connection = clientProgramConnection(databaseUrl);
    await run(
      pgRestore,
      ['--no-owner', '--no-privileges', '--exit-on-error', '--single-transaction', connection.dbname, dumpFile],
      { env: connection.env },
    );
    return await countRows({ query: async <R>(text: string) => (await client.query(text)).rows as R[] }, tables);
  } finally {
    await client.end();
  }
}

async function restoreEmbedded(config: BackupConfig, dump: Buffer, tables: string[]) {
  await fsp.mkdir(pgliteDir(config), { recursive: true });
  const pglite = await PGlite.create({
    dataDir: pgliteDir(config),
    loadDataDir: new PgliteDump(dump),
    ...pgliteSettings,
  });
  try {
    return await countRows({ query: async <R>(text: string) => (await pglite.query<R>(text)).rows }, tables);
  } finally {
    await pglite.close();
  }
}

/**
 * Brings a backup back into an empty database (DATABASE_URL) or embedded data folder and an empty
 * data folder: every entry is checked against the manifest's hash before it is used, and the row
 * counts of the restored database must equal the manifest's.
 */
export async function restoreBackup(config: BackupConfig, file: string) {
  const backup = await openBackup(file);
  try {
    const { manifest } = backup;
    const engine = config.databaseUrl ? 'postgres' : 'pglite';
    if (manifest.engine !== engine)
      throw new AppError(
        'conflict',
        'backup.other_engine',
        `This backup is of ${manifest.engine === 'postgres' ? 'a PostgreSQL server' : 'the embedded database'}; restore it with ${manifest.engine === 'postgres' ? 'DATABASE_URL set to an empty database' : 'DATABASE_URL unset'}.`,
      );
    refuseNonEmptyDataFolder(config);
    const dump = await backup.read(manifest.database.path, manifest.database);
    const tables = Object.keys(manifest.counts);
    let counts: Record<string, number>;
    if (config.databaseUrl) {
      const dumpFile = path.join(config.dataDir, `restore-${randomUUID().slice(0, 8)}.dump`);
      await fsp.mkdir(config.dataDir, { recursive: true });
      await fsp.writeFile(dumpFile, dump, { mode: 0o600 });
      try {
        counts = await restorePostgres(config.databaseUrl, dumpFile, tables);
      } finally {
        await fsp.rm(dumpFile, { force: true });
      }
    } else {
      counts = await restoreEmbedded(config, dump, tables);
    }

    const blobs = createFileBlobStore(path.join(config.dataDir, 'blobs'));
    for (const blob of manifest.blobs) {
      const stored = await blobs.put(await backup.stream(blob.path));
      if (stored.sha256 !== blob.sha256)
        throw new AppError('unprocessable', 'backup.invalid', `${blob.path} in ${file} does not match its name.`);
    }
    for (const entry of manifest.dataFiles) {
      const bytes = await backup.read(entry.path, entry);
      const name = path.basename(entry.path);
      await fsp.writeFile(path.join(config.dataDir, name), bytes, { mode: 0o600, flag: 'wx' });
    }

    const differing = tables.filter((table) => counts[table] !== manifest.counts[table]);
    if (differing.length > 0)
      throw new AppError(
        'unprocessable',
        'backup.counts_differ',
        `The restored database does not hold what the backup says: ${differing.map((table) => `${table} ${counts[table]} of ${manifest.counts[table]}`).join(', ')}.`,
      );
    return { manifest, counts };
  } finally {
    backup.close();
  }
}
