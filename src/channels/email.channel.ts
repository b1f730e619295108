import nodemailer from 'nodemailer';
import { PermanentChannelFailure, TemporaryChannelFailure, type HandOver } from './channel-errors.js';

export type EmailChannel = {
  transport: 'smtp' | 'outbox';
  send(message: { raw: Buffer; from: string; to: string; messageId: string }): Promise<HandOver>;
  close(): void;
};

/**
 * Hands the archived .eml to an SMTP server byte for byte. Without SMTP_URL the message stays in
 * the local outbox (the archive is the message), like a mail catcher.
 */
export function createEmailChannel(smtpUrl: string | undefined): EmailChannel {
  if (!smtpUrl) {
    return {
      transport: 'outbox',
      send: async (message) => ({
        transport: 'outbox',
        providerMessageId: message.messageId,
        response: { stored: 'outbox' },
      }),
      close: () => {},
    };
  }
  // A pool keeps connections open: a greeting per message would cap a batch run at a few per second,
  // and so would nodemailer's default of a new connection every 100 messages.
  const transporter = nodemailer.createTransport({
    url: smtpUrl,
    pool: true,
    maxConnections: 4,
    maxMessages: Infinity,
  });
  return {
    transport: 'smtp',
    async send(message) {
      try {
        const info = await transporter.sendMail({
          envelope: { from: message.from, to: [message.to] },
          raw: message.raw,
          // The raw message carries its own; given here, nodemailer does not make up one it would not send.
          messageId: message.messageId,
        });
        return {
          transport: 'smtp',
          providerMessageId: message.messageId,
          response: { accepted: info.accepted, response: info.response },
        };
      } catch (error) {
        const failure = error as {
          responseCode?: number;
          response?: string;
          code?: string;
          command?: string;
          message: string;
        };
        const response = {
          code: failure.code ?? null,
          responseCode: failure.responseCode ?? null,
          response: failure.response ?? failure.message,
        };
        // Refused at RCPT TO: the mailbox does not take mail; at any other step, the message was refused.
        if (failure.responseCode && failure.responseCode >= 500)
          throw new PermanentChannelFailure(
            `The mail server refused the message: ${failure.response ?? failure.message}`,
            response,
            failure.command === 'RCPT TO',
          );
        throw new TemporaryChannelFailure(
          `The mail server could not take the message now: ${failure.response ?? failure.message}`,
          response,
        );
      }
    },
    close: () => transporter.close(),
  };
}
