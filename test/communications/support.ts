import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import type { Clock } from '../../src/shared/clock.js';
import { startTestApp, type TestApp } from '../support/app.js';
import type { TestClient } from '../support/client.js';
import { publishedFragment } from '../templates/support.js';

export type ReceivedMail = { from: string; to: string[]; raw: Buffer };

/**
 * A real SMTP server on loopback that keeps every message it accepts. `hold()` makes it sit on each
 * message without answering until `resume()`: a message counts as received once it is acknowledged,
 * and one whose sender hung up before that is dropped, as a mail server does.
 */
export async function startSmtpReceiver(options: { rejectRecipients?: string[] } = {}) {
  const received: ReceivedMail[] = [];
  let held: (() => void)[] | undefined;
  const open = new Set<string>();
  const hungUp = new Set<string>();
  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (options.rejectRecipients?.includes(address.address))
        return callback(Object.assign(new Error('550 No such user here'), { responseCode: 550 }));
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const accept = () => {
          if (hungUp.has(session.id)) return;
          received.push({
            from: String(session.envelope.mailFrom && session.envelope.mailFrom.address),
            to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
            raw: Buffer.concat(chunks),
          });
          callback();
        };
        if (held) held.push(accept);
        else accept();
      });
    },
    onConnect(session, callback) {
      open.add(session.id);
      callback();
    },
    onClose(session) {
      open.delete(session.id);
      hungUp.add(session.id);
    },
  });
  // A sender killed mid-conversation (the crash test kills one) resets its pooled connections, or
  // is gone when the server writes its next reply (EPIPE); a mail server carries on.
  server.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'ECONNRESET' && error.code !== 'EPIPE') throw error;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    hold() {
      held ??= [];
    },
    /** Messages it sits on since `hold()`, not yet acknowledged. */
    holding: () => held?.length ?? 0,
    /** Open sender connections: after a sender's exit, 0 once every hang-up has been seen. */
    connections: () => open.size,
    resume() {
      const waiting = held ?? [];
      held = undefined;
      for (const accept of waiting) accept();
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A stand-in SMS/fax gateway: records each request and answers as told. */
export async function startGateway(
  answer: (body: Record<string, unknown>) => { status: number; body: Record<string, unknown> } = () => ({
    status: 202,
    body: { id: `gw-${Date.now()}` },
  }),
) {
  const requests: { headers: http.IncomingHttpHeaders; raw: string; body: Record<string, unknown> }[] = [];
  const server = http.createServer((request, response) => {
    let raw = '';
    request.on('data', (chunk) => (raw += chunk));
    request.on('end', () => {
      const body = JSON.parse(raw) as Record<string, unknown>;
      requests.push({ headers: request.headers, raw, body });
      const reply = answer(body);
      response.writeHead(reply.status, { 'content-type': 'application/json' }).end(JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/messages`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A published service notice usable on every channel, and the staff who made it. */
export async function publishedNotice(t: TestApp) {
  const author = await t.signedIn(['author']);
  const reviewer = await t.signedIn(['reviewer']);
  await publishedFragment(author, reviewer, {
    key: 'signature',
    name: 'Signature',
    kind: 'signature',
    body: 'Kind regards, {{ brand.companyName }}',
  });
  const variants = {
    en: {
      email: {
        subject: 'Meter reading due, {{ customer.givenName }}',
        body: "Dear {{ customer.name }},\n\nplease send your meter reading by {{ data.due }}.\n\n{% fragment 'signature' %}",
        format: 'markdown',
      },
      sms: { text: 'Tidings: please send your meter reading by {{ data.due }}.' },
      letter: {
        body: "# Meter reading\n\nDear {{ customer.name }},\n\nplease send your meter reading by {{ data.due }}.\n\n{% fragment 'signature' %}",
      },
      fax: { body: 'Meter reading due by {{ data.due }} for {{ customer.name }}.' },
      portal: { subject: 'Meter reading due', body: 'Please send your meter reading by {{ data.due }}.' },
    },
  };
  await author.post('/api/templates', {
    key: 'meter-reading',
    name: 'Meter reading reminder',
    purpose: 'service',
    defaultLanguage: 'en',
    variants,
    dataSchema: { type: 'object', required: ['due'], properties: { due: { type: 'string' } } },
    sampleData: { due: '30 November' },
  });
  for (const [client, action] of [
    [author, 'submit'],
    [reviewer, 'approve'],
    [author, 'publish'],
  ] as [TestClient, string][]) {
    const moved = await client.post('/api/templates/meter-reading/versions/1/workflow', { action });
    if (moved.status !== 200) throw new Error(`publish meter-reading: ${moved.text}`);
  }
  return { author, reviewer };
}

/**
 * A test app that delivers for real: email to an SMTP server on loopback, SMS and fax to a gateway
 * signing with `secret`, the meter-reading notice published, an agent and an admin signed in, and
 * the worker running with short polls and retries.
 */
export async function startDeliveryApp(options: {
  clock: Clock;
  secret: string;
  smtp?: Parameters<typeof startSmtpReceiver>[0];
  gatewayAnswer?: Parameters<typeof startGateway>[0];
}) {
  const smtp = await startSmtpReceiver(options.smtp);
  const gateway = await startGateway(options.gatewayAnswer);
  const closeServers = async () => {
    await smtp.close();
    await gateway.close();
  };
  const t = await startTestApp({
    clock: options.clock,
    config: {
      smtpUrl: smtp.url,
      smsGatewayUrl: gateway.url,
      faxGatewayUrl: gateway.url,
      gatewaySecret: options.secret,
      defaultCountry: 'DE',
    },
    workerPollMs: 50,
    retryPolicy: { baseDelayMs: 50, maxDelayMs: 200 },
  }).catch(async (error: unknown) => {
    // Nothing is left listening when the app does not start: the file's own error is what it reports.
    await closeServers();
    throw error;
  });
  const { author, reviewer } = await publishedNotice(t);
  const agent = await t.signedIn(['agent']);
  const admin = await t.signedIn(['admin']);
  t.app.worker.start();
  return {
    t,
    smtp,
    gateway,
    author,
    reviewer,
    agent,
    admin,
    async close() {
      await t.close();
      await closeServers();
    },
  };
}

export type DeliveryApp = Awaited<ReturnType<typeof startDeliveryApp>>;

/** A person in UTC made through the API by `client`, with `fields` over the defaults; answers their id. */
export async function newPerson(client: TestClient, fields: Record<string, unknown>) {
  const response = await client.post('/api/customers', { kind: 'person', timeZone: 'UTC', ...fields });
  if (response.status !== 201) throw new Error(response.text);
  return response.body.id as string;
}
