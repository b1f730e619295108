import MailComposer from 'nodemailer/lib/mail-composer';
import type { InlineImage } from './types.js';

export type EmailEnvelope = {
  from: { name: string; address: string };
  to: string;
  replyTo?: string;
  /** With or without the angle brackets: 'c-123@mail.example.com'. */
  messageId: string;
  /** A URL or mailto: address; written in angle brackets as RFC 2369 asks. */
  listUnsubscribe?: string;
  /** Adds RFC 8058 one-click unsubscribe (List-Unsubscribe-Post), which large mailbox providers expect on marketing mail; the URL must accept a POST. */
  listUnsubscribeOneClick?: boolean;
  date?: Date;
};

const bracketed = (value: string) => `<${value.trim().replace(/^<|>$/g, '')}>`;

/** The RFC 5322 message as sent and archived: multipart/alternative text + HTML, the logo as a related inline part. */
export async function buildEmailMessage(
  email: { subject: string; html: string; text: string; inlineImages?: InlineImage[] },
  envelope: EmailEnvelope,
): Promise<Buffer> {
  const headers: Record<string, string> = {};
  if (envelope.listUnsubscribe) {
    headers['List-Unsubscribe'] = bracketed(envelope.listUnsubscribe);
    if (envelope.listUnsubscribeOneClick) headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click';
  }
  const composer = new MailComposer({
    from: envelope.from,
    to: envelope.to,
    replyTo: envelope.replyTo,
    subject: email.subject,
    text: email.text,
    html: email.html,
    messageId: bracketed(envelope.messageId),
    date: envelope.date,
    headers,
    attachments: (email.inlineImages ?? []).map((image) => ({
      cid: image.cid,
      filename: image.filename,
      contentType: image.contentType,
      content: image.content,
      contentDisposition: 'inline' as const,
    })),
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  const message = await composer.compile().build();
  // RFC 5322 lines end in CRLF; archiving that form means the archive is byte for byte what SMTP carries.
  return Buffer.from(message.toString('binary').replace(/\r?\n/g, '\r\n'), 'binary');
}
