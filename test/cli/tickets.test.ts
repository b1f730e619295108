import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createCustomerBody } from '../../src/customers/customers.schemas.js';
import { systemActor } from '../../src/shared/actor.js';
import { tidingsCli } from '../support/cli.js';
import { restoreMigratedDatabase } from '../support/data-folder.js';

const run = promisify(execFile);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tidings-cli-tickets-'));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

async function tidings(...args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [tidingsCli(), ...args], {
      env: { ...process.env, TIDINGS_DATA_DIR: dataDir, LOG_LEVEL: 'warn', DATABASE_URL: '' },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

let number: number;

beforeAll(async () => {
  await restoreMigratedDatabase(dataDir);
  const app = await buildApp(
    { ...loadConfig({ TIDINGS_DATA_DIR: dataDir, DATABASE_URL: '' }), logLevel: 'silent' },
    { logger: pino({ level: 'silent' }) },
  );
  const actor = systemActor('test');
  const customer = await app.services.customers.create(
    actor,
    createCustomerBody.parse({
      kind: 'person',
      givenName: 'Carla',
      familyName: 'Caller',
      emails: ['carla@cli.example'],
    }),
  );
  const ticket = await app.services.tickets.create(actor, {
    kind: 'complaint',
    subject: 'The invoice doubled',
    customerId: customer.id,
    source: 'phone',
    priority: 'high',
    tags: [],
  });
  number = ticket.number;
  await app.close();
}, 90_000);

describe('tidings tickets list', () => {
  it('lists tickets with the open counts, filtered as the API filters', async () => {
    const listed = await tidings('tickets', 'list', '--status', 'new', '--kind', 'complaint');
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain('Open: all 1, unassigned 1');
    expect(listed.stdout).toMatch(
      new RegExp(`#${number}\\s+complaint\\s+new\\s+high .* Carla Caller: The invoice doubled`),
    );

    const none = await tidings('tickets', 'list', '--status', 'closed');
    expect(none.stdout).toContain('No tickets match.');
  }, 90_000);

  it('refuses an unknown status in words, before opening the database', async () => {
    const refused = await tidings('tickets', 'list', '--status', 'new,lost');
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('--status');
    expect(refused.stderr).toContain('unknown status lost');
  }, 60_000);
});
