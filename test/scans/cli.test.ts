import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import type { Role } from '../../src/auth/roles.js';
import { referenceCodeOf } from '../../src/communications/reference-code.js';
import { loadConfig } from '../../src/config.js';
import { createHttpServer } from '../../src/http/server.js';
import { systemActor } from '../../src/shared/actor.js';
import { publishedNotice } from '../communications/support.js';
import { sendRaw } from '../documents/upload.js';
import { TEST_PASSWORD } from '../support/app.js';
import { runTidings } from '../support/cli.js';
import { TestClient } from '../support/client.js';
import { restoreMigratedDatabase } from '../support/data-folder.js';
import { waitFor } from '../support/wait-for.js';
import { letterPage, scannedReply } from './paper.js';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tidings-cli-scans-'));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));
const env = { ...process.env, TIDINGS_DATA_DIR: dataDir, LOG_LEVEL: 'warn', DATABASE_URL: '' };
const tidings = (...args: string[]) => runTidings(args, env);

let letter: { communicationId: string; pdf: Buffer };

/** A letter sent from the data folder the command will open: published template, customer, delivery. */
beforeAll(async () => {
  await restoreMigratedDatabase(dataDir);
  const app = await buildApp(
    { ...loadConfig({ TIDINGS_DATA_DIR: dataDir, DATABASE_URL: '' }), logLevel: 'silent', defaultCountry: 'DE' },
    { logger: pino({ level: 'silent' }), workerPollMs: 50 },
  );
  const server = await createHttpServer(app);
  await server.ready();
  let users = 0;
  const signedIn = async (roles: Role[]) => {
    const user = await app.services.users.create(systemActor('test'), {
      email: `scans-cli-${++users}@example.test`,
      name: `Test ${roles.join(' ')}`,
      password: TEST_PASSWORD,
      roles,
    });
    return Object.assign(await new TestClient(server).signIn(user.email, TEST_PASSWORD), { user });
  };
  try {
    await publishedNotice({ signedIn } as never);
    const agent = await signedIn(['agent']);
    const customer = await agent.post('/api/customers', {
      kind: 'person',
      givenName: 'Ola',
      familyName: 'Nordmann',
      timeZone: 'UTC',
      channelPreferences: ['letter'],
      address: { lines: ['Storgata 1'], postalCode: '20095', city: 'Hamburg', country: 'DE' },
    });
    const sent = await agent.post('/api/communications', {
      template: 'meter-reading',
      customerId: customer.body.id,
      data: { due: '30 November' },
    });
    app.worker.start();
    await waitFor(
      () => agent.get(`/api/communications/${sent.body.id}`).then((r) => r.body),
      (body) => body.status === 'awaiting_print',
    );
    const copy = await sendRaw(agent, 'GET', `/api/communications/${sent.body.id}/copy`);
    letter = { communicationId: sent.body.id, pdf: copy.bytes };
  } finally {
    await server.close();
    await app.close();
  }
}, 120_000);

describe('tidings scans file', () => {
  it('reads a scanned reply and files it on its customer with a ticket; a scan without a code waits', async () => {
    const reply = path.join(dataDir, 'reply.jpg');
    const page = await letterPage(letter.pdf);
    fs.writeFileSync(reply, await scannedReply(page, { skewDegrees: 2, handwriting: 'Meter: 012345', format: 'jpeg' }));
    const filed = await tidings('scans', 'file', reply);
    expect(filed.stderr).toBe('');
    expect(filed.code).toBe(0);
    expect(filed.stdout).toContain(
      'Filed on Ola Nordmann: ticket #1, document "Scanned reply to “Meter reading reminder”',
    );
    expect(filed.stdout).toContain(`Found ${referenceCodeOf(letter.communicationId)} by its QR code`);

    const blank = path.join(dataDir, 'blank.png');
    fs.writeFileSync(blank, await scannedReply(page, { withoutReference: true, handwriting: 'Call me' }));
    const unmatched = await tidings('scans', 'file', blank);
    expect(unmatched.code).toBe(2);
    expect(unmatched.stdout).toMatch(/Not filed \(unmatched\): No reference code was found/);
    expect(unmatched.stdout).toMatch(/Scan [0-9a-f-]{36} waits among the unmatched scans/);

    const missing = await tidings('scans', 'file', path.join(dataDir, 'nothing.pdf'));
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('is not a file');
  }, 240_000);
});
