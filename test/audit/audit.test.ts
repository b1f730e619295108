import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { asc, count, desc, eq, gte, lte, sql } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_HEAD_FILE, AUDIT_KEY_FILE, auditKey } from '../../src/audit/audit-anchor.js';
import { GENESIS_HASH, hashEvent } from '../../src/audit/audit-chain.js';
import { auditEvents } from '../../src/audit/audit.tables.js';
import { buildApp } from '../../src/app.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import { systemActor } from '../../src/shared/actor.js';
import { publishedNotice } from '../communications/support.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { testEngine } from '../support/engine.js';
import { createTestDatabase } from '../support/postgres.js';
import { openTestStorage } from '../support/storage.js';
import { tidingsArgs } from '../support/cli.js';
import { restoreMigratedDatabase } from '../support/data-folder.js';

const run = promisify(execFile);

let t: TestApp;
let admin: Awaited<ReturnType<TestApp['signedIn']>>;

beforeAll(async () => {
  t = await startTestApp();
  admin = await t.signedIn(['admin']);
});
afterAll(() => t.close());

describe('audit trail', () => {
  it('records who changed what, newest first, filterable by entity', async () => {
    const team = await admin.post('/api/teams', { name: 'Audited team' });
    await admin.patch(`/api/teams/${team.body.id}`, { description: 'Now with a description' });
    const trail = await admin.get(`/api/audit?entityType=team&entityId=${team.body.id}`);
    expect(trail.status).toBe(200);
    expect(trail.body.events.map((event: { action: string }) => event.action)).toEqual([
      'team.updated',
      'team.created',
    ]);
    expect(trail.body.events[0]).toMatchObject({
      actorId: admin.user.id,
      actorLabel: admin.user.email,
      summary: { description: 'Now with a description' },
    });
  });

  it('pages with a cursor', async () => {
    const first = await admin.get('/api/audit?limit=2');
    expect(first.body.events).toHaveLength(2);
    const second = await admin.get(`/api/audit?limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body.events[0].seq).toBeLessThan(first.body.events[1].seq);
  });

  it('is readable by admins and records managers only', async () => {
    expect((await (await t.signedIn(['records_manager'])).get('/api/audit')).status).toBe(200);
    expect((await (await t.signedIn(['agent'])).get('/api/audit')).status).toBe(403);
  });
});

describe('what the trail records', () => {
  it('records each brand setting changed, with its value before and after (the reply-to address)', async () => {
    const { companyName, colors, font, senders, returnAddress, website, legalFooter } = (await admin.get('/api/brand'))
      .body;
    const kit = { companyName, colors, font, returnAddress, website, legalFooter };
    for (const replyTo of ['replies@example.test', 'answers@example.test']) {
      const saved = await admin.request('PUT', '/api/brand', { body: { ...kit, senders: { ...senders, replyTo } } });
      expect(saved.status).toBe(200);
    }
    const trail = await admin.get('/api/audit?entityType=brand_kit&action=brand.updated');
    expect(trail.body.events.map((event: { summary: { changes: unknown } }) => event.summary.changes)).toEqual([
      { 'senders.replyTo': { before: 'replies@example.test', after: 'answers@example.test' } },
      { 'senders.replyTo': { before: senders.replyTo ?? null, after: 'replies@example.test' } },
    ]);
  });

  it('records every download of an archived copy and of a proof ZIP, by whom', async () => {
    await publishedNotice(t);
    const agent = await t.signedIn(['agent']);
    const customer = await agent.post('/api/customers', {
      kind: 'person',
      givenName: 'Ada',
      familyName: 'Lovelace',
      emails: ['ada@example.test'],
    });
    const sent = await agent.post('/api/communications', {
      template: 'meter-reading',
      customerId: customer.body.id,
      data: { due: '30 November' },
    });
    await t.app.pipeline.deliver(sent.body.id);
    const copy = await agent.get(`/api/communications/${sent.body.id}/copy`);
    expect(copy.status).toBe(200);
    const proof = await agent.get(`/api/communications/${sent.body.id}/proof.zip`);
    expect(proof.status).toBe(200);

    const { archiveSha256 } = (await agent.get(`/api/communications/${sent.body.id}`)).body;
    const trail = await admin.get(`/api/audit?entityType=communication&entityId=${sent.body.id}`);
    expect(trail.body.events.slice(0, 2)).toEqual([
      expect.objectContaining({
        action: 'communication.proof_exported',
        actorLabel: agent.user.email,
        summary: { customerId: customer.body.id, sha256: archiveSha256 },
      }),
      expect.objectContaining({
        action: 'communication.copy_downloaded',
        actorLabel: agent.user.email,
        summary: { customerId: customer.body.id, sha256: archiveSha256 },
      }),
    ]);
  });
});

describe('tamper evidence', () => {
  let fresh: TestApp;
  let freshAdmin: Awaited<ReturnType<TestApp['signedIn']>>;

  // A chain of its own: the sign-in and three teams, at least five events.
  beforeAll(async () => {
    fresh = await startTestApp();
    freshAdmin = await fresh.signedIn(['admin']);
    for (const name of ['One', 'Two', 'Three']) await freshAdmin.post('/api/teams', { name });
  });
  afterAll(() => fresh.close());

  const newest = async () =>
    (await fresh.app.db.select({ seq: auditEvents.seq }).from(auditEvents).orderBy(desc(auditEvents.seq)).limit(1))[0]!
      .seq;

  /**
   * Tampers with the chain as the database's owner can (switching the append-only trigger off),
   * verifies it through the API, and puts the chain back for the next case.
   */
  async function verifyAfter(tampering: ReturnType<typeof sql> | (() => Promise<unknown>)) {
    const { db } = fresh.app;
    await db.execute(sql`create table audit_events_before as select * from audit_events`);
    await db.execute(sql`alter table audit_events disable trigger user`);
    try {
      await (typeof tampering === 'function' ? tampering() : db.execute(tampering));
      return (await freshAdmin.get('/api/audit/verify')).body;
    } finally {
      await db.execute(sql`delete from audit_events`);
      await db.execute(sql`insert into audit_events select * from audit_events_before`);
      await db.execute(sql`drop table audit_events_before`);
      await db.execute(sql`alter table audit_events enable trigger user`);
    }
  }

  /** Forges one event's content and re-hashes it and every event after it, as someone holding `key` could. */
  async function rewriteFrom(seq: number, key: Buffer | null) {
    const { db } = fresh.app;
    const chain = await db.select().from(auditEvents).where(gte(auditEvents.seq, seq)).orderBy(asc(auditEvents.seq));
    let prevHash = chain[0]!.prevHash;
    for (const event of chain) {
      const forged = { ...event, prevHash, summary: event.seq === seq ? { name: 'Forged' } : event.summary };
      const hash = hashEvent(forged, key);
      await db
        .update(auditEvents)
        .set({ summary: forged.summary, prevHash, hash })
        .where(eq(auditEvents.seq, event.seq));
      prevHash = hash;
    }
  }

  it('verifies intact, then names the first event whose content was altered', async () => {
    expect((await freshAdmin.get('/api/audit/verify')).body).toEqual({ ok: true, checked: await newest() });
    const altered = await verifyAfter(sql`update audit_events set summary = '{"name":"Forged"}' where seq = 4`);
    expect(altered).toEqual({
      ok: false,
      checked: 3,
      firstBreak: { seq: 4, reason: expect.stringContaining('altered') },
    });
  });

  it('names the missing event when one is deleted', async () => {
    const result = await verifyAfter(sql`delete from audit_events where seq = 3`);
    expect(result).toEqual({ ok: false, checked: 2, firstBreak: { seq: 3, reason: 'event 3 is missing' } });
  });

  it('names the event whose link was rewritten', async () => {
    const result = await verifyAfter(sql`update audit_events set prev_hash = repeat('a', 64) where seq = 5`);
    expect(result.firstBreak).toEqual({ seq: 5, reason: 'does not link to the event before it' });
  });

  it('names the newest event when it is deleted: the head file in the data folder recorded it', async () => {
    const last = await newest();
    const result = await verifyAfter(sql`delete from audit_events where seq = ${last}`);
    expect(result).toEqual({
      ok: false,
      checked: last - 1,
      firstBreak: { seq: last, reason: `event ${last} is missing: the head file recorded it as written` },
    });
  });

  it('finds an event edited and the rest re-hashed without the key', async () => {
    const result = await verifyAfter(() => rewriteFrom(2, null));
    expect(result).toEqual({
      ok: false,
      checked: 1,
      firstBreak: { seq: 2, reason: expect.stringContaining('altered') },
    });
  });

  it('finds an event edited and the rest re-hashed even with the key, against the head file', async () => {
    const key = Buffer.from(fs.readFileSync(path.join(fresh.dataDir, AUDIT_KEY_FILE), 'utf8').trim());
    const result = await verifyAfter(() => rewriteFrom(2, key));
    expect(result).toEqual({
      ok: false,
      checked: 1,
      firstBreak: {
        seq: 2,
        reason: 'rewritten: its hash differs from the one the head file recorded when it was written',
      },
    });
  });

  it('keeps the key outside the database, in a file only its owner may read, or says what to set', () => {
    expect(fs.statSync(path.join(fresh.dataDir, AUDIT_KEY_FILE)).mode & 0o777).toBe(0o600);
    expect(() => auditKey(undefined, '/dev/null/no-data-folder')).toThrow(ConfigError);
    expect(() => auditKey(undefined, '/dev/null/no-data-folder')).toThrow(/Set TIDINGS_AUDIT_KEY/);
    expect(auditKey('k'.repeat(32), '/dev/null/no-data-folder')).toEqual(Buffer.from('k'.repeat(32)));
  });

  it('takes an event whose transaction rolled back for what it is, not for tampering', async () => {
    const { db, audit } = fresh.app;
    await expect(
      db.transaction(async (tx) => {
        await audit.record(tx, systemActor('test'), { action: 'test.abandoned', entityType: 'test', entityId: '1' });
        throw new Error('abandoned');
      }),
    ).rejects.toThrow('abandoned');
    expect((await freshAdmin.get('/api/audit/verify')).body).toEqual({ ok: true, checked: await newest() });
    await freshAdmin.post('/api/teams', { name: 'Four' });
    expect((await freshAdmin.get('/api/audit/verify')).body).toEqual({ ok: true, checked: await newest() });
  });

  it('refuses to update, delete or truncate audit events in the database', async () => {
    const { db } = fresh.app;
    for (const statement of [
      sql`update audit_events set summary = '{"name":"Forged"}' where seq = 2`,
      sql`delete from audit_events where seq = ${await newest()}`,
      sql`truncate audit_events`,
    ]) {
      const refused = await db.execute(statement).then(
        () => undefined,
        (error: Error & { cause?: Error }) => error.cause ?? error,
      );
      expect(refused?.message).toMatch(/^audit_events is append-only: (UPDATE|DELETE|TRUNCATE) is refused$/);
    }
    expect((await freshAdmin.get('/api/audit/verify')).body).toEqual({ ok: true, checked: await newest() });
  });
});

describe('a chain written before it had a key', () => {
  it('is anchored as it stands on first start, and a rewrite of it re-hashed without the key is found', async () => {
    const storage = await openTestStorage();
    await storage.migrate();
    let prevHash = GENESIS_HASH;
    for (const seq of [1, 2, 3]) {
      const event = {
        seq,
        at: new Date('2026-01-01T00:00:00Z'),
        actorId: null,
        actorLabel: 'before the key',
        action: 'test.legacy',
        entityType: 'test',
        entityId: String(seq),
        summary: {},
        prevHash,
      };
      prevHash = hashEvent(event, null);
      await storage.db.insert(auditEvents).values({ ...event, hash: prevHash });
    }
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tidings-audit-legacy-'));
    const app = await buildApp(
      { ...loadConfig({ TIDINGS_DATA_DIR: dataDir }), logLevel: 'silent' },
      { logger: pino({ level: 'silent' }), storage },
    );
    try {
      expect(fs.readFileSync(path.join(dataDir, AUDIT_HEAD_FILE), 'utf8')).toMatch(
        new RegExp(`^legacy 3 ${prevHash}\n`),
      );
      await app.db.transaction((tx) =>
        app.audit.record(tx, systemActor('test'), { action: 'test.keyed', entityType: 'test', entityId: '4' }),
      );
      const cli = systemActor('test');
      // The three written before the key, what the first start itself recorded, and the keyed one.
      const [{ events } = { events: 0 }] = await app.db.select({ events: count() }).from(auditEvents);
      expect(events).toBeGreaterThan(3);
      expect(await app.audit.verify(cli)).toEqual({ ok: true, checked: events });

      // Rewriting the unkeyed part and re-hashing it is possible without the key, but not unnoticed.
      await app.db.execute(sql`alter table audit_events disable trigger user`);
      let rewritten = GENESIS_HASH;
      for (const event of await app.db
        .select()
        .from(auditEvents)
        .where(lte(auditEvents.seq, 3))
        .orderBy(asc(auditEvents.seq))) {
        const forged = { ...event, actorLabel: 'someone else', prevHash: rewritten };
        rewritten = hashEvent(forged, null);
        await app.db
          .update(auditEvents)
          .set({ actorLabel: forged.actorLabel, prevHash: forged.prevHash, hash: rewritten })
          .where(eq(auditEvents.seq, event.seq));
      }
      expect(await app.audit.verify(cli)).toMatchObject({
        ok: false,
        firstBreak: { seq: 3, reason: expect.stringContaining('rewritten') },
      });
    } finally {
      await app.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('tidings audit verify', () => {
  it('exits 1 naming the newest event when it was deleted', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tidings-audit-cli-'));
    const database = testEngine() === 'postgres' ? await createTestDatabase() : undefined;
    try {
      const environment = { TIDINGS_DATA_DIR: dataDir, DATABASE_URL: database?.url ?? '' };
      if (!database) await restoreMigratedDatabase(dataDir);
      const app = await buildApp(
        { ...loadConfig(environment), logLevel: 'silent' },
        { logger: pino({ level: 'silent' }) },
      );
      let last: number;
      try {
        for (const entityId of ['1', '2'])
          await app.db.transaction((tx) =>
            app.audit.record(tx, systemActor('test'), { action: 'test.done', entityType: 'test', entityId }),
          );
        last = (await app.db.select({ seq: auditEvents.seq }).from(auditEvents).orderBy(desc(auditEvents.seq)))[0]!.seq;
        await app.db.execute(sql`alter table audit_events disable trigger user`);
        await app.db.execute(sql`delete from audit_events where seq = ${last}`);
      } finally {
        await app.close();
      }
      const verified = await run(process.execPath, tidingsArgs('audit', 'verify'), {
        env: { ...process.env, ...environment, LOG_LEVEL: 'warn' },
      }).then(
        () => ({ code: 0, stderr: '' }),
        (error: { code: number; stderr: string }) => error,
      );
      expect(verified.code).toBe(1);
      expect(verified.stderr).toContain(`Audit trail BROKEN at event ${last}: event ${last} is missing`);
    } finally {
      await database?.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
