import { buildEmailMessage, type Brand, type CompiledTemplate, type RenderContext } from '../rendering/index.js';
import type { Channel } from '../customers/customers.tables.js';
import { renderChannel } from '../templates/preview.service.js';

export type RenderedItem = { bytes: Buffer; mediaType: string; messageId?: string; text?: string };

export const messageIdFor = (communicationId: string, brand: Brand) =>
  `<${communicationId}@${brand.senders.emailFrom.split('@')[1] ?? 'tidings.local'}>`;

/**
 * The exact bytes a channel is handed, which are also what is archived: the .eml for email, the
 * PDF for letter and fax, the text for SMS, the HTML for the portal.
 */
export async function renderItem(input: {
  compiled: CompiledTemplate;
  channel: Channel;
  context: RenderContext;
  communicationId: string;
  address: string;
  recipientName: string;
  unsubscribeUrl?: string;
}): Promise<RenderedItem> {
  const { brand } = input.context;
  const preview = await renderChannel(input.compiled, input.channel, input.context, input.recipientName);
  switch (preview.channel) {
    case 'email': {
      const messageId = messageIdFor(input.communicationId, brand);
      const bytes = await buildEmailMessage(preview, {
        from: { name: brand.senders.emailName, address: brand.senders.emailFrom },
        to: input.address,
        replyTo: brand.senders.replyTo,
        messageId,
        listUnsubscribe: input.unsubscribeUrl,
        date: input.context.now,
      });
      return { bytes, mediaType: 'message/rfc822', messageId };
    }
    case 'sms':
      return { bytes: Buffer.from(preview.text, 'utf8'), mediaType: 'text/plain; charset=utf-8', text: preview.text };
    case 'portal':
      return {
        bytes: Buffer.from(JSON.stringify({ subject: preview.subject, html: preview.html })),
        mediaType: 'application/vnd.tidings.portal-message+json',
      };
    case 'letter':
    case 'fax':
      return { bytes: Buffer.from(preview.pdfBase64, 'base64'), mediaType: 'application/pdf' };
  }
}
