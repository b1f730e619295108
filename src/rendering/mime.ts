import { createHash } from 'node:crypto';
import * as base64 from 'nodemailer/lib/base64';
import MailComposer from 'nodemailer/lib/mail-composer';
import { buildHeaderValue, foldLines, hasLongerLines, isPlainText } from 'nodemailer/lib/mime-funcs';
import MimeNode from 'nodemailer/lib/mime-node';
import * as qp from 'nodemailer/lib/qp';
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
  /** Threading a reply: the Message-ID it answers, and the chain of Message-IDs before it (oldest first). */
  inReplyTo?: string;
  references?: string[];
  /** Files sent along (a ticket reply's attachments): the message becomes multipart/mixed. */
  attachments?: { filename: string; contentType: string; content: Uint8Array }[];
};

type RenderedEmail = { subject: string; html: string; text: string; inlineImages?: InlineImage[] };

const bracketed = (value: string) => `<${value.trim().replace(/^<|>$/g, '')}>`;

/** RFC 5322 lines end in CRLF; archiving that form means the archive is byte for byte what SMTP carries. */
const crlf = (message: string) => message.replace(/\r?\n/g, '\r\n');

function composerOptions(email: RenderedEmail, envelope: EmailEnvelope) {
  const headers: Record<string, string> = {};
  if (envelope.listUnsubscribe) {
    headers['List-Unsubscribe'] = bracketed(envelope.listUnsubscribe);
    if (envelope.listUnsubscribeOneClick) headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click';
  }
  return {
    from: envelope.from,
    to: envelope.to,
    replyTo: envelope.replyTo,
    inReplyTo: envelope.inReplyTo && bracketed(envelope.inReplyTo),
    references: envelope.references?.map(bracketed),
    subject: email.subject,
    text: email.text,
    html: email.html,
    messageId: bracketed(envelope.messageId),
    date: envelope.date,
    headers,
    attachments: [
      ...(email.inlineImages ?? []).map((image) => ({
        cid: image.cid,
        filename: image.filename,
        contentType: image.contentType,
        content: image.content,
        contentDisposition: 'inline' as const,
      })),
      ...(envelope.attachments ?? []).map((file) => ({
        filename: file.filename,
        contentType: file.contentType,
        // A thread hands the bytes over as a plain Uint8Array; nodemailer wants a Buffer.
        content: Buffer.from(file.content),
        contentDisposition: 'attachment' as const,
      })),
    ],
    disableFileAccess: true,
    disableUrlAccess: true,
  };
}

/** The message as nodemailer's MailComposer builds it: the reference the skeleton below is held to. */
export async function composeEmailMessage(email: RenderedEmail, envelope: EmailEnvelope): Promise<Buffer> {
  const message = await new MailComposer(composerOptions(email, envelope)).compile().build();
  // Byte for byte: a header may carry UTF-8 (an international address) that must not be decoded here.
  return Buffer.from(crlf(message.toString('latin1')), 'latin1');
}

/**
 * What every message of one sender with one set of inline images shares, taken once from a
 * message MailComposer built: the multipart boundaries, the From and Reply-To lines and the
 * encoded images. A message then costs its own headers and two encoded text parts, where
 * MailComposer builds a tree of streams per message (most of the cost of an email).
 */
type Skeleton = { alternative: string; related: string; from: string; replyTo?: string; images: string };

const skeletons = new Map<string, Promise<Skeleton>>();
const SKELETONS_KEPT = 100;
const imageDigests = new WeakMap<Buffer, string>();

function imageDigest(image: InlineImage) {
  let digest = imageDigests.get(image.content);
  if (!digest) {
    digest = createHash('sha256').update(image.content).digest('hex');
    imageDigests.set(image.content, digest);
  }
  return `${image.cid}\n${image.filename}\n${image.contentType}\n${digest}`;
}

/** A header field of a built message, folded as it was written ("From: …\r\n …"). */
function headerField(head: string, key: string) {
  const match = new RegExp(`^${key}: .*(?:\\r\\n[ \\t].*)*`, 'm').exec(head);
  return match?.[0];
}

async function buildSkeleton(email: RenderedEmail, envelope: EmailEnvelope): Promise<Skeleton> {
  const sample = (
    await new MailComposer(
      composerOptions(
        { subject: 'skeleton', text: 'skeleton', html: 'skeleton', inlineImages: email.inlineImages },
        {
          from: envelope.from,
          replyTo: envelope.replyTo,
          to: 'skeleton@example.com',
          messageId: 'skeleton@example.com',
        },
      ),
    )
      .compile()
      .build()
  ).toString('utf8');
  const head = sample.slice(0, sample.indexOf('\r\n\r\n'));
  const alternative = /boundary="([^"]+-Part_1)"/.exec(head)![1]!;
  const base = alternative.slice(0, -'-Part_1'.length);
  const related = `${base}-Part_3`;
  // The images: everything of the related part after the HTML, up to its closing delimiter.
  const images = email.inlineImages?.length
    ? sample.slice(
        sample.indexOf(`\r\n--${related}\r\n`, sample.indexOf(`--${related}\r\nContent-Type: text/html`)),
        sample.lastIndexOf(`\r\n--${related}--\r\n`),
      )
    : '';
  return {
    alternative,
    related,
    from: headerField(head, 'From')!,
    replyTo: envelope.replyTo ? headerField(head, 'Reply-To') : undefined,
    images,
  };
}

function skeletonFor(email: RenderedEmail, envelope: EmailEnvelope) {
  const key = [
    envelope.from.name,
    envelope.from.address,
    envelope.replyTo ?? '',
    ...(email.inlineImages ?? []).map(imageDigest),
  ].join('\n\n');
  let skeleton = skeletons.get(key);
  if (!skeleton) {
    skeleton = buildSkeleton(email, envelope);
    skeleton.catch(() => skeletons.delete(key));
    if (skeletons.size >= SKELETONS_KEPT) skeletons.delete(skeletons.keys().next().value!);
    skeletons.set(key, skeleton);
  }
  return skeleton;
}

// Encodes single header values exactly as MailComposer's nodes do; it keeps no state between calls.
const headerEncoder = new MimeNode();
const header = (key: string, value: string | Date) =>
  foldLines(`${key}: ${headerEncoder.encodeHeaderValue(key, value)}`, 76);

/** Runs one of nodemailer's encoding streams over the whole content at once, without a stream around it. */
function encoded(encoder: qp.Encoder | base64.Encoder, content: Buffer) {
  const output: string[] = [];
  const stream = encoder as unknown as {
    push(chunk: Buffer | string | null): boolean;
    _transform(chunk: Buffer, encoding: string, done: () => void): void;
    _flush(done: () => void): void;
  };
  stream.push = (chunk) => {
    if (chunk !== null) output.push(chunk.toString());
    return true;
  };
  stream._transform(content, 'buffer', () => {});
  stream._flush(() => {});
  return output.join('');
}

/** A text part as MailComposer writes it: as is when it can be, else QP for mostly Latin text, base64 for the rest. */
function textPart(contentType: string, content: string) {
  let encoding: string;
  let body: string;
  if (isPlainText(content) && !hasLongerLines(content, 76)) {
    encoding = '7bit';
    body = content;
  } else if (mostlyLatin(content)) {
    encoding = 'quoted-printable';
    body = encoded(new qp.Encoder(), Buffer.from(content));
  } else {
    encoding = 'base64';
    body = encoded(new base64.Encoder(), Buffer.from(content));
  }
  return `Content-Type: ${contentType}; charset=utf-8\r\nContent-Transfer-Encoding: ${encoding}\r\n\r\n${body}`;
}

function mostlyLatin(value: string) {
  let nonLatin = 0;
  let latin = 0;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code <= 0x08 || code === 0x0b || code === 0x0c || (code >= 0x0e && code <= 0x1f) || code >= 0x80) nonLatin++;
    else if ((code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a)) latin++;
  }
  return nonLatin < latin;
}

/**
 * The RFC 5322 message as sent and archived: multipart/alternative text + HTML, the logo as a
 * related inline part. Built from the sender's skeleton; the same bytes MailComposer would write
 * with the skeleton's boundaries (test/rendering/mime.test.ts holds it to that).
 */
export async function buildEmailMessage(email: RenderedEmail, envelope: EmailEnvelope): Promise<Buffer> {
  // Without both parts MailComposer writes a single part, with files a mixed one; the skeleton is for the usual two.
  if (!email.text || !email.html || envelope.attachments?.length) return composeEmailMessage(email, envelope);
  const skeleton = await skeletonFor(email, envelope);
  // Content that happens to contain a boundary (7bit text quoting one) would end its part early.
  if ([email.text, email.html].some((part) => part.includes(skeleton.alternative.slice(0, -'-Part_1'.length))))
    return composeEmailMessage(email, envelope);
  const lines: string[] = [];
  if (envelope.listUnsubscribe) {
    lines.push(header('List-Unsubscribe', bracketed(envelope.listUnsubscribe)));
    if (envelope.listUnsubscribeOneClick) lines.push(header('List-Unsubscribe-Post', 'List-Unsubscribe=One-Click'));
  }
  lines.push(skeleton.from, header('To', envelope.to));
  if (skeleton.replyTo) lines.push(skeleton.replyTo);
  if (envelope.inReplyTo) lines.push(header('In-Reply-To', bracketed(envelope.inReplyTo)));
  if (envelope.references?.length) lines.push(header('References', envelope.references.map(bracketed).join(' ')));
  if (email.subject) lines.push(header('Subject', email.subject));
  lines.push(
    header('Message-ID', bracketed(envelope.messageId)),
    header('Date', envelope.date ?? new Date()),
    'MIME-Version: 1.0',
    header(
      'Content-Type',
      buildHeaderValue({ value: 'multipart/alternative', params: { boundary: skeleton.alternative } }),
    ),
  );
  const html = skeleton.images
    ? header(
        'Content-Type',
        buildHeaderValue({ value: 'multipart/related', params: { type: 'text/html', boundary: skeleton.related } }),
      ) +
      `\r\n\r\n--${skeleton.related}\r\n${textPart('text/html', email.html)}${skeleton.images}\r\n--${skeleton.related}--\r\n`
    : textPart('text/html', email.html);
  const message =
    `${lines.join('\r\n')}\r\n\r\n--${skeleton.alternative}\r\n${textPart('text/plain', email.text)}` +
    `\r\n--${skeleton.alternative}\r\n${html}\r\n--${skeleton.alternative}--\r\n`;
  // Headers may carry UTF-8 (an international address), as MailComposer writes them; the parts are ASCII.
  return Buffer.from(crlf(message), 'utf8');
}
