import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { ConfigError } from '../config.js';

/**
 * What keeps the audit chain honest against someone who can write to the database: the key its
 * hashes are made with, and the head file, both outside the database.
 */
export const AUDIT_KEY_FILE = 'audit.key';
export const AUDIT_HEAD_FILE = 'audit-head.log';

/** One event as it was appended: its hash, and the transaction that wrote it (to tell a rollback from a deletion). */
export type HeadEntry = { seq: number; hash: string; xid: string };

export type AuditHead = {
  file: string;
  /** Events up to this one were hashed before the chain had a key (plain SHA-256). */
  legacy: { seq: number; hash: string };
  append(entry: HeadEntry): void;
  entries(): AsyncIterable<HeadEntry>;
};

const keyAdvice =
  'Set TIDINGS_AUDIT_KEY to a secret of at least 32 characters (e.g. `openssl rand -hex 32`), the same in every ' +
  'process that shares the database, or give Tidings a writable TIDINGS_DATA_DIR.';

/** The chain's key: TIDINGS_AUDIT_KEY, else a key file created once in the data folder, readable by its owner only. */
export function auditKey(configured: string | undefined, dataDir: string): Buffer {
  if (configured) return Buffer.from(configured, 'utf8');
  const file = path.join(dataDir, AUDIT_KEY_FILE);
  try {
    if (!fs.existsSync(file)) createOnce(file, `${randomBytes(32).toString('hex')}\n`);
    const key = fs.readFileSync(file, 'utf8').trim();
    if (key.length < 32) throw new Error('it holds fewer than 32 characters');
    return Buffer.from(key, 'utf8');
  } catch (error) {
    throw new ConfigError(`The audit key file ${file} cannot be used (${(error as Error).message}). ${keyAdvice}`);
  }
}

/**
 * Opens the head file in the data folder, creating it on first start. A chain that already has
 * events written before the key existed is anchored as it stands: `legacyHead` says how far it
 * verifies unkeyed.
 */
export async function openAuditHead(
  dataDir: string,
  legacyHead: () => Promise<{ seq: number; hash: string }>,
): Promise<AuditHead> {
  const file = path.join(dataDir, AUDIT_HEAD_FILE);
  let legacy: { seq: number; hash: string };
  try {
    if (!fs.existsSync(file)) {
      const head = await legacyHead();
      createOnce(file, `legacy ${head.seq} ${head.hash}\n`);
    }
    const [kind, seq, hash] = firstLine(file).split(' ');
    if (kind !== 'legacy' || !hash) throw new Error('its first line is not "legacy <seq> <hash>"');
    legacy = { seq: Number(seq), hash };
  } catch (error) {
    throw new ConfigError(
      `The audit head file ${file} cannot be used (${(error as Error).message}). TIDINGS_DATA_DIR must be a writable folder, shared by every process on one PostgreSQL database as the blobs are.`,
    );
  }
  return {
    file,
    legacy,
    append(entry) {
      // One short write with O_APPEND: lines from several processes never interleave.
      fs.appendFileSync(file, `${entry.seq} ${entry.hash} ${entry.xid}\n`);
    },
    async *entries() {
      const lines = readline.createInterface({ input: fs.createReadStream(file), crlfDelay: Infinity });
      for await (const line of lines) {
        const [seq, hash, xid] = line.split(' ');
        // The legacy line, and a line cut short by a crash of the machine, anchor nothing.
        if (!/^\d+$/.test(seq ?? '') || !/^[0-9a-f]{64}$/.test(hash ?? '') || !/^\d+$/.test(xid ?? '')) continue;
        yield { seq: Number(seq), hash: hash!, xid: xid! };
      }
    },
  };
}

function firstLine(file: string) {
  const descriptor = fs.openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(200);
    const length = fs.readSync(descriptor, buffer, 0, buffer.length, 0);
    return buffer.subarray(0, length).toString('utf8').split('\n')[0]!;
  } finally {
    fs.closeSync(descriptor);
  }
}

/** Writes a file only if none exists, whole or not at all, even when several processes race to create it. */
function createOnce(file: string, content: string) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  fs.writeFileSync(temporary, content, { mode: 0o600, flag: 'wx' });
  try {
    fs.linkSync(temporary, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    fs.rmSync(temporary, { force: true });
  }
}
