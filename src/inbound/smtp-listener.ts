import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';
import { InboundRefusal, type InboundService } from './inbound.service.js';

/** An error smtp-server answers with its code and text. */
const reply = (responseCode: number, message: string) => Object.assign(new Error(message), { responseCode });

/** Whether mail for this address is ours: its domain, or the address itself, is accepted. */
export function acceptsRecipient(accepted: readonly string[], address: string): boolean {
  const lower = address.toLowerCase();
  const at = lower.lastIndexOf('@');
  return at > 0 && (accepted.includes(lower) || accepted.includes(lower.slice(at + 1)));
}

export type SmtpListener = ReturnType<typeof createSmtpListener>;

/**
 * The SMTP server for support mail. Recipients outside the accepted domains and addresses are
 * refused at RCPT; a message over the size limit gets 552, one that does not parse 550; every
 * refusal is logged. An accepted message is stored (bytes, row, job) before the 250 goes out; if
 * storing fails the sender hears 451 and tries again later.
 */
export function createSmtpListener(deps: {
  inbound: Pick<InboundService, 'receive'>;
  accepted: readonly string[];
  maxBytes: number;
  /** On close, how long open conversations may go on before they are cut. */
  closeTimeoutMs: number;
  logger: Logger;
}) {
  const { logger } = deps;
  const peer = (session: SMTPServerSession) => ({
    session: session.id,
    client: session.remoteAddress,
    mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
  });

  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    banner: 'Tidings support mail',
    logger: false,
    size: deps.maxBytes,
    // Unannounced, a sender learns of the limit only from our own 552 after DATA, so that this refusal,
    // like every other, passes through a handler here and is logged.
    hideSize: true,
    closeTimeout: deps.closeTimeoutMs,
    onRcptTo(address, session, callback) {
      if (acceptsRecipient(deps.accepted, address.address)) return callback();
      logger.warn({ ...peer(session), recipient: address.address }, 'inbound mail refused: recipient not accepted');
      callback(reply(550, `5.1.1 <${address.address}>: this server takes no mail for that address`));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on('data', (chunk: Buffer) => {
        // Past the limit the rest is read and dropped: the answer is 552 either way.
        size += chunk.length;
        if (size <= deps.maxBytes) chunks.push(chunk);
      });
      stream.on('end', () => {
        if (stream.sizeExceeded || size > deps.maxBytes) {
          logger.warn({ ...peer(session), size, limit: deps.maxBytes }, 'inbound mail refused: over the size limit');
          return callback(reply(552, `5.3.4 The message is larger than the ${deps.maxBytes}-byte limit`));
        }
        const recipients = session.envelope.rcptTo.map((recipient) => recipient.address.toLowerCase());
        deps.inbound
          .receive(Buffer.concat(chunks), { mailFrom: peer(session).mailFrom, recipients })
          .then((stored) => {
            logger.info({ ...peer(session), inboundMessageId: stored.id, size }, 'inbound mail stored');
            callback(null, `2.0.0 Stored as ${stored.id}`);
          })
          .catch((error: unknown) => {
            if (error instanceof InboundRefusal) {
              logger.warn({ ...peer(session), reason: error.message }, 'inbound mail refused');
              return callback(reply(error.responseCode, error.message));
            }
            logger.error({ ...peer(session), err: error }, 'inbound mail could not be stored; the sender will retry');
            callback(reply(451, '4.3.0 The message could not be stored now; try again later'));
          });
      });
    },
  });
  server.on('error', (error) => logger.warn({ err: error }, 'inbound SMTP connection error'));

  return {
    /** Starts listening; resolves with the port it listens on (0 asks for a free one). */
    listen(port: number, host: string): Promise<number> {
      return new Promise((resolve, reject) => {
        server.server.once('error', reject);
        server.listen(port, host, () => {
          server.server.off('error', reject);
          const bound = (server.server.address() as AddressInfo).port;
          logger.info({ port: bound, host, accepted: deps.accepted }, 'inbound SMTP listener is up');
          resolve(bound);
        });
      });
    },
    /** Takes no new connections; open ones may finish within the close timeout. */
    close(): Promise<void> {
      if (!server.server.listening) return Promise.resolve();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
