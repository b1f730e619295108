import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { systemActor } from '../../src/shared/actor.js';
import { runTidings } from '../support/cli.js';
import { copyDemoDataFolder, restoreMigratedDatabase } from '../support/data-folder.js';

// A data folder as `tidings migrate` leaves it, and one with the demo data: first starts are start.test.ts's.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tidings-cli-'));
const demoDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tidings-cli-demo-'));
beforeAll(() => Promise.all([restoreMigratedDatabase(dataDir), copyDemoDataFolder(demoDir)]), 240_000);
afterAll(() => {
  for (const folder of [dataDir, demoDir]) fs.rmSync(folder, { recursive: true, force: true });
});

const env = { ...process.env, TIDINGS_DATA_DIR: dataDir, LOG_LEVEL: 'warn', DATABASE_URL: '' };
const demoEnv = { ...env, TIDINGS_DATA_DIR: demoDir };
const tariffData = { tariff: 'Green Plus', effective: '2027-01-01', monthly: 42.5, previousMonthly: 39.9 };

/** Runs the real `tidings` command against a private data folder. */
const tidings = (...args: string[]) => runTidings(args, env);
/** The same, against a private copy of the demo data. */
const demoTidings = (...args: string[]) => runTidings(args, demoEnv);

describe('the tidings command', () => {
  it('migrates, creates a user and a token, verifies the audit trail and lists jobs', async () => {
    expect((await tidings('migrate')).stdout).toContain('Migrations applied (pglite)');

    const created = await tidings(
      'user',
      'create',
      '--email',
      'ops@example.test',
      '--name',
      'Ops',
      '--role',
      'admin',
      'agent',
    );
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/Created ops@example.test \(admin, agent\)/);
    expect(created.stdout).toMatch(/Password: \S{10,}/);

    const token = await tidings('token', 'create', '--email', 'ops@example.test', '--name', 'deploy script');
    expect(token.stdout.trim()).toMatch(/^tdg_[\w-]{20,}$/);

    const verified = await tidings('audit', 'verify');
    expect(verified.code).toBe(0);
    // The three system templates published at the first start (service reply, portal sign-in, channel
    // change request), the user and the token.
    expect(verified.stdout).toContain('Audit trail intact: 5 events verified.');

    // The only jobs on a fresh installation are the next daily print batch, waiting for midnight, the
    // next look for archived communications to index and the next refresh of the KPIs' daily figures.
    const jobs = await tidings('jobs', 'list');
    expect(jobs.stdout).toContain('queued: 3  running: 0  succeeded: 0  dead: 0');
    expect(jobs.stdout).toMatch(/queued\s+search\.index_communications/);
    expect(jobs.stdout).toMatch(/queued\s+print_batch\.daily/);
    expect(jobs.stdout).toMatch(/queued\s+insights\.kpi_rollup/);
  }, 90_000);

  it('explains what went wrong in words, with a failing exit code', async () => {
    const badRole = await tidings('user', 'create', '--email', 'x@example.test', '--name', 'X', '--role', 'emperor');
    expect(badRole.code).not.toBe(0);
    expect(badRole.stderr).toMatch(/emperor.*invalid|Allowed choices/i);

    const unknownJob = await tidings('jobs', 'retry', '999');
    expect(unknownJob.code).toBe(3);
    expect(unknownJob.stderr).toContain('No job with id 999');

    const badConfig = await runTidings(['migrate'], { ...process.env, PORT: 'eighty' });
    expect(badConfig.code).not.toBe(0);
    expect(badConfig.stderr).toContain('PORT');
  }, 90_000);

  it('sends a template to a segment with a batch run, following it to completion', async () => {
    const data = tariffData;
    const started = await demoTidings(
      'runs',
      'start',
      'tariff-change',
      '--segment',
      'fax-first small businesses',
      '--data',
      JSON.stringify(data),
    );
    expect(started.code, started.stderr).toBe(0);
    expect(started.stdout).toMatch(/Batch run [\w-]+: tariff-change to Fax-first small businesses \(4 customers\)/);
    expect(started.stdout).toContain('Run completed: sent 4 (by channel: fax 4).');

    const badData = await demoTidings(
      'runs',
      'start',
      'tariff-change',
      '--segment',
      'Active customers',
      '--data',
      JSON.stringify({ ...data, effective: 'soon' }),
    );
    expect(badData.code).toBe(2);
    expect(badData.stderr).toContain('data.effective must match format "date"');

    const listed = await demoTidings('runs', 'list');
    expect(listed.stdout).toMatch(
      /completed .* Tariff change notice to Fax-first small businesses {2}\(4\/4 created\)/,
    );
    const runId = /Batch run ([\w-]+):/.exec(started.stdout)![1]!;
    const resumed = await demoTidings('runs', 'resume', runId);
    expect(resumed.code).toBe(2);
    expect(resumed.stderr).toContain(`Batch run ${runId} is completed; it must be paused to be resumed.`);

    const exported = await demoTidings('customers', 'export', '--segment', 'Fax-first small businesses');
    const [header, first] = exported.stdout.replace(/^\uFEFF/, '').split('\n');
    const customerId = first!.split(',')[header!.split(',').indexOf('id')]!;
    const sent = await demoTidings(
      'send',
      'tariff-change',
      '--customer',
      customerId,
      '--data',
      JSON.stringify(data),
      '--idempotency-key',
      'cli-1',
    );
    expect(sent.code, sent.stderr).toBe(0);
    expect(sent.stdout).toMatch(
      /^Communication [\w-]+: Tariff change notice to .+\nSent by fax to \+49\d+: first preference\.\n$/,
    );
    const again = await demoTidings(
      'send',
      'tariff-change',
      '--customer',
      customerId,
      '--data',
      JSON.stringify(data),
      '--idempotency-key',
      'cli-1',
      '--detach',
    );
    expect(again.stdout).toContain('(already requested with this key)');
    expect((await demoTidings('print-batch')).stdout).toBe('No letters are waiting for print.\n');

    const worker = await demoTidings('worker');
    expect(worker.code).toBe(2);
    expect(worker.stderr).toContain('tidings worker needs DATABASE_URL');
  }, 240_000);

  it('reports a send that bounced as not sent, with a failing exit code', async () => {
    // Sent by email (the local outbox) to a customer with no other channel, then hard-bounced.
    const actor = systemActor('test');
    const app = await buildApp({ ...loadConfig(demoEnv), logLevel: 'silent' });
    let customerId: string;
    try {
      const customer = await app.services.customers.create(actor, {
        kind: 'person',
        givenName: 'Bruno',
        familyName: 'Bounce',
        emails: ['gone@example.test'],
        channelPreferences: ['email'],
        // A regulatory notice routes as transactional: without the portal, email is all there is.
        consents: [{ channel: 'portal', purpose: 'transactional', granted: false, source: 'phone' }],
      });
      customerId = customer.id;
      const request = { template: 'tariff-change', customerId, data: tariffData };
      const { communication } = await app.services.communications.send(actor, request, 'cli-bounce');
      await app.worker.drain();
      const sent = await app.services.communications.get(actor, communication.id);
      expect(sent.status).toBe('sent');
      await app.services.receipts.bounce(actor, { messageId: sent.providerMessageId!, kind: 'hard' });
      await app.worker.drain();
      expect((await app.services.communications.get(actor, communication.id)).status).toBe('bounced');
    } finally {
      await app.close();
    }

    // The same send again (same key) finds the bounced communication: that is no success.
    const again = await demoTidings(
      'send',
      'tariff-change',
      '--customer',
      customerId,
      '--data',
      JSON.stringify(tariffData),
      '--idempotency-key',
      'cli-bounce',
    );
    expect(again.code).toBe(1);
    expect(again.stdout).toContain('(already requested with this key)');
    expect(again.stderr).toMatch(/^Not sent \(bounced\): Every channel refused it: /);
  }, 120_000);

  it('has help on every command', async () => {
    const commands = [
      [],
      ['start'],
      ['worker'],
      ['runs', 'start'],
      ['runs', 'list'],
      ['runs', 'pause'],
      ['send'],
      ['print-batch'],
      ['migrate'],
      ['user', 'create'],
      ['token', 'create'],
      ['seed'],
      ['audit', 'verify'],
      ['jobs', 'list'],
      ['jobs', 'retry'],
    ];
    const helps = await Promise.all(commands.map((command) => tidings(...command, '--help')));
    for (const [index, help] of helps.entries())
      expect(help.stdout, commands[index]!.join(' ')).toMatch(/Usage: tidings/);
  }, 90_000);
});
