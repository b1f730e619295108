import type { CompiledTemplate } from './compile.js';
import { renderEmail } from './email.js';
import { RenderError } from './errors.js';
import { renderFax, renderLetter } from './letter-pdf.js';
import { buildEmailMessage, type EmailEnvelope } from './mime.js';
import { renderPortal } from './portal.js';
import { renderSms } from './sms.js';
import type { ChannelBodies, RenderChannel, RenderContext } from './types.js';

export type RenderFailure = { field: string; message: string; line?: number; column?: number };

export type ChannelPreview =
  | { channel: 'email'; subject: string; html: string; text: string }
  | { channel: 'sms'; text: string; encoding: 'GSM-7' | 'UCS-2'; characters: number; segments: number }
  | { channel: 'letter' | 'fax'; pages: number; pdfBase64: string }
  | { channel: 'portal'; subject: string; html: string };

export type ChannelOutcome = { channel: RenderChannel; preview?: ChannelPreview; error?: RenderFailure };

/** The exact bytes a channel is handed, which are also what is archived. */
/** `text`: the words a reader finds in it, kept with its archived copy for the search index (none for a portal message). */
export type RenderedItem = { bytes: Buffer; mediaType: string; messageId?: string; text?: string };

export const failureOf = (error: RenderError): RenderFailure => ({
  field: error.field,
  message: error.message,
  line: error.line,
  column: error.column,
});

async function renderDocument(
  compiled: CompiledTemplate,
  channel: 'letter' | 'fax',
  context: RenderContext,
  recipientName: string,
  reference?: string,
) {
  const address = context.customer.address as {
    lines: string[];
    postalCode: string;
    city: string;
    country: string;
  } | null;
  const recipient = address ? { ...address, name: recipientName } : undefined;
  return (channel === 'letter' ? renderLetter : renderFax)(compiled, context, { recipient, reference });
}

export async function renderChannel(
  compiled: CompiledTemplate,
  channel: RenderChannel,
  context: RenderContext,
  recipientName: string,
): Promise<ChannelPreview> {
  switch (channel) {
    case 'email':
      return { channel, ...(await renderEmail(compiled, context)) };
    case 'sms':
      return { channel, ...(await renderSms(compiled, context)) };
    case 'portal':
      return { channel, ...(await renderPortal(compiled, context)) };
    case 'letter':
    case 'fax': {
      const rendered = await renderDocument(compiled, channel, context, recipientName);
      return { channel, pages: rendered.pages, pdfBase64: rendered.pdf.toString('base64') };
    }
  }
}

/**
 * Renders every channel the bodies define, side by side; a channel that fails reports where, the
 * others still render. A template that does not compile fails every channel with the same reason.
 */
export async function renderAllChannels(
  compiled: CompiledTemplate | RenderError,
  bodies: ChannelBodies,
  context: RenderContext,
  recipientName: string,
): Promise<ChannelOutcome[]> {
  const channels = (Object.keys(bodies) as RenderChannel[]).filter((channel) => bodies[channel]);
  if (compiled instanceof RenderError) return channels.map((channel) => ({ channel, error: failureOf(compiled) }));
  const outcomes: ChannelOutcome[] = [];
  for (const channel of channels) {
    try {
      outcomes.push({ channel, preview: await renderChannel(compiled, channel, context, recipientName) });
    } catch (error) {
      if (!(error instanceof RenderError)) throw error;
      outcomes.push({ channel, error: failureOf(error) });
    }
  }
  return outcomes;
}

/**
 * The exact bytes a channel is handed, which are also what is archived: the .eml for email, the
 * PDF for letter and fax, the text for SMS, the JSON of subject and HTML for the portal.
 */
export async function renderDelivery(
  compiled: CompiledTemplate,
  channel: RenderChannel,
  context: RenderContext,
  recipientName: string,
  envelope: EmailEnvelope | undefined,
  reference?: string,
): Promise<RenderedItem> {
  switch (channel) {
    case 'email': {
      if (!envelope) throw new Error('an email needs its envelope');
      const email = await renderEmail(compiled, context);
      const bytes = await buildEmailMessage(email, envelope);
      return {
        bytes,
        mediaType: 'message/rfc822',
        messageId: envelope.messageId,
        text: `${email.subject}\n\n${email.text}`,
      };
    }
    case 'sms': {
      const { text } = await renderSms(compiled, context);
      return { bytes: Buffer.from(text, 'utf8'), mediaType: 'text/plain; charset=utf-8', text };
    }
    case 'portal': {
      const { subject, html } = await renderPortal(compiled, context);
      return {
        bytes: Buffer.from(JSON.stringify({ subject, html })),
        mediaType: 'application/vnd.tidings.portal-message+json',
      };
    }
    case 'letter':
    case 'fax': {
      const { pdf, text } = await renderDocument(compiled, channel, context, recipientName, reference);
      return { bytes: pdf, mediaType: 'application/pdf', text };
    }
  }
}
