import { count, eq } from 'drizzle-orm';
import nodemailer from 'nodemailer';
import { pino } from 'pino';
import { inboundMessages } from '../../src/inbound/inbound.tables.js';
import { createSmtpListener } from '../../src/inbound/smtp-listener.js';
import { startApp } from '../support/app.js';
import type { Section } from '../support/report.js';
import { startSmtpCounter } from '../support/smtp.js';
import { elapsedMs, now, ratio } from '../support/stats.js';

const MESSAGES = Number(process.env.BENCH_INBOUND_MESSAGES ?? 1_000);
/** Senders the messages cycle through: the first mail of each makes a new lead, the rest find the customer. */
const SENDERS = 100;
/** Connections the sending side keeps open, as a relaying mail server would. */
const CONNECTIONS = 4;
const DOMAIN = 'support.bench.test';
const RUN_TIMEOUT_MS = 600_000;

const message = (index: number) => ({
  from: `sender${index % SENDERS}@example.test`,
  to: `help@${DOMAIN}`,
  subject: `Question ${index}`,
  text: `Hello,\n\nthis is question ${index} about my last letter.\n\nRegards`,
  messageId: `<bench-${index}-${Date.now()}@example.test>`,
});

/** Sends every message over a pool of connections; resolves when each has its 250. */
async function sendAll(port: number): Promise<number> {
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port,
    secure: false,
    ignoreTLS: true,
    pool: true,
    maxConnections: CONNECTIONS,
    maxMessages: Infinity,
  });
  const started = now();
  try {
    await Promise.all(Array.from({ length: MESSAGES }, (_, index) => transport.sendMail(message(index))));
    return elapsedMs(started);
  } finally {
    transport.close();
  }
}

/**
 * Inbound mail: messages/s through the SMTP listener until each is on a ticket, against smtp-server
 * accepting and discarding the same messages in the same run (the cost of SMTP itself).
 */
export const inboundSection: Section = {
  name: 'inbound',
  title: 'inbound email to tickets',
  async run({ record, note, log }) {
    const discard = await startSmtpCounter();
    let baselineMs: number;
    try {
      log(`inbound: ${MESSAGES} messages to smtp-server that discards them`);
      baselineMs = await sendAll(Number(new URL(discard.url).port));
    } finally {
      await discard.close();
    }
    const baseline = (MESSAGES / baselineMs) * 1000;

    const { app, close } = await startApp();
    const listener = createSmtpListener({
      inbound: app.inbound,
      accepted: [DOMAIN],
      maxBytes: app.config.inbound.maxBytes,
      closeTimeoutMs: 1_000,
      logger: pino({ level: 'silent' }),
    });
    try {
      const port = await listener.listen(0, '127.0.0.1');
      app.worker.start();
      log(`inbound: ${MESSAGES} messages to the Tidings listener, ${app.config.workers} workers making tickets`);
      const started = now();
      const acceptedMs = await sendAll(port);
      const processed = async () =>
        (await app.db.select({ n: count() }).from(inboundMessages).where(eq(inboundMessages.status, 'processed')))[0]!
          .n;
      while ((await processed()) < MESSAGES) {
        if (elapsedMs(started) > RUN_TIMEOUT_MS) throw new Error('inbound: messages were not all processed in time');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const ticketsMs = elapsedMs(started);
      const accepted = (MESSAGES / acceptedMs) * 1000;
      const toTickets = (MESSAGES / ticketsMs) * 1000;
      const baselineRow = { name: 'smtp-server, discarding', value: baseline, unit: 'msg/s' };
      record({
        name: 'SMTP accepted (stored, 250)',
        value: accepted,
        unit: 'msg/s',
        baseline: baselineRow,
        ratio: ratio(accepted, baseline),
        details: { messages: MESSAGES, connections: CONNECTIONS },
      });
      record({
        name: 'SMTP to tickets',
        value: toTickets,
        unit: 'msg/s',
        baseline: baselineRow,
        ratio: ratio(toTickets, baseline),
        details: { messages: MESSAGES, senders: SENDERS, workers: app.config.workers, engine: app.storage.engine },
      });
      note(
        `inbound: each accepted message is parsed, its bytes synced to the blob store and its row and job committed before the 250; ${SENDERS} senders, each first mail a new lead.`,
      );
    } finally {
      await listener.close();
      await close();
    }
  },
};
