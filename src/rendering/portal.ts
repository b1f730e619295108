import sanitizeHtml from 'sanitize-html';
import { channelParts, type CompiledTemplate } from './compile.js';
import { renderLocaleOf, templateScope } from './context.js';
import { oneLine } from './email.js';
import { renderField } from './liquid.js';
import { markdownToHtml } from './markdown-blocks.js';
import type { RenderContext, RenderedPortalMessage } from './types.js';

/**
 * What a portal message may contain: text structure and links; nothing that runs, loads or styles.
 * No images either: a remote image in the inbox would tell a third party when the customer read it.
 */
const portalPolicy: sanitizeHtml.IOptions = {
  allowedTags: [
    'p',
    'br',
    'strong',
    'b',
    'em',
    'i',
    'u',
    's',
    'del',
    'a',
    'ul',
    'ol',
    'li',
    'h1',
    'h2',
    'h3',
    'h4',
    'h5',
    'h6',
    'blockquote',
    'code',
    'pre',
    'hr',
    'table',
    'thead',
    'tbody',
    'tr',
    'th',
    'td',
  ],
  allowedAttributes: { a: ['href', 'title', 'rel', 'target'], ol: ['start'], th: ['align'], td: ['align'] },
  allowedSchemes: ['https', 'http', 'mailto', 'tel'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  transformTags: { a: sanitizeHtml.simpleTransform('a', { rel: 'noopener noreferrer nofollow', target: '_blank' }) },
};

export const sanitizePortalHtml = (html: string): string => sanitizeHtml(html, portalPolicy);

/** A message for the customer's portal inbox: the subject as plain text, the body as sanitized HTML. */
export async function renderPortal(template: CompiledTemplate, ctx: RenderContext): Promise<RenderedPortalMessage> {
  const parts = channelParts(template, 'portal', 'portal.body');
  const scope = templateScope(ctx);
  const locale = renderLocaleOf(ctx);
  const subject = oneLine(renderField(parts.subject, scope, locale));
  return { subject, html: sanitizePortalHtml(markdownToHtml(renderField(parts.body, scope, locale))) };
}
