import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inboundMessages } from '../../src/inbound/inbound.tables.js';
import { ticketMessages } from '../../src/tickets/tickets.tables.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { waitFor } from '../support/wait-for.js';
import { freePort } from '../support/free-port.js';
import { sendThenKill, smtpClient, startTidings } from './support.js';

let t: TestApp;
const children = new Set<ChildProcess>();

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await t?.close();
});

describe('the inbound listener is killed right after it answered 250 (PostgreSQL)', () => {
  it('keeps every accepted message: after a restart each is on a ticket', async () => {
    const smtpPort = await freePort();
    const environment = {
      DATABASE_URL: t.storage.url!,
      TIDINGS_DATA_DIR: t.dataDir,
      TIDINGS_INBOUND_SMTP_PORT: String(smtpPort),
    };
    // No workers in the first process: whatever it accepted can only become a ticket after the restart.
    const first = await startTidings({ ...environment, TIDINGS_WORKERS: '0' }, children);
    const messageIds = await sendThenKill(first.child, smtpPort, 5);
    const stored = await t.app.db.select().from(inboundMessages).where(inArray(inboundMessages.messageId, messageIds));
    expect(stored.map((row) => row.status)).toEqual(messageIds.map(() => 'received'));

    const second = await startTidings({ ...environment, TIDINGS_WORKERS: '2' }, children);
    const onTickets = await waitFor(
      () =>
        t.app.db
          .select({ ticketId: ticketMessages.ticketId })
          .from(ticketMessages)
          .where(inArray(ticketMessages.emailMessageId, messageIds)),
      (rows) => rows.length === messageIds.length,
    );
    expect(new Set(onTickets.map((row) => row.ticketId)).size).toBe(messageIds.length);
    // The outcome is recorded just after the ticket is made.
    const processed = await waitFor(
      () => t.app.db.select().from(inboundMessages).where(inArray(inboundMessages.messageId, messageIds)),
      (rows) => rows.every((row) => row.status === 'processed'),
    );
    expect(processed.map((row) => row.outcome)).toEqual(messageIds.map(() => 'ticket_created'));

    // A graceful stop closes the listener with the rest and exits 0.
    const stopped = once(second.child, 'exit');
    second.child.kill('SIGTERM');
    expect((await stopped)[0]).toBe(0);
    await expect(smtpClient(smtpPort).verify()).rejects.toThrow();
  }, 120_000);
});
