import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { onCleanup } from './cleanup.js';

export type SmtpCounter = {
  url: string;
  /** Messages accepted (after their DATA ended) and their bytes; nothing is kept. */
  readonly messages: number;
  readonly bytes: number;
  /** TCP connections opened to it: a client that pools its connections opens a few, not one per message. */
  readonly connections: number;
  close(): Promise<void>;
};

/**
 * A real SMTP server on loopback that accepts every message and only counts it, so that a run of
 * 100,000 emails costs the bench no memory. Closed at the end of the run even when the bench fails.
 * smtp-server greets each new connection only after 100 ms (its early-talker check): a client that
 * opens a connection per message pays that per message, one that pools its connections does not.
 */
export async function startSmtpCounter(): Promise<SmtpCounter> {
  let messages = 0;
  let bytes = 0;
  let connections = 0;
  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    // Nothing to look up on loopback; a reverse DNS query per connection would only add latency.
    disableReverseLookup: true,
    // More than the email channel opens at once, so that no connection is turned away with a 421.
    maxClients: 32,
    onConnect(_session, callback) {
      connections++;
      callback();
    },
    onData(stream, _session, callback) {
      let size = 0;
      stream.on('data', (chunk: Buffer) => (size += chunk.length));
      stream.on('end', () => {
        messages++;
        bytes += size;
        callback();
      });
    },
  });
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  const close = onCleanup(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return {
    url: `smtp://127.0.0.1:${port}`,
    get messages() {
      return messages;
    },
    get bytes() {
      return bytes;
    },
    get connections() {
      return connections;
    },
    close,
  };
}
