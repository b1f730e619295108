import sanitizeHtml from 'sanitize-html';
import { channelParts, type CompiledTemplate } from './compile.js';
import { renderLocaleOf, templateScope } from './context.js';
import { oneLine } from './email.js';
import { renderField } from './liquid.js';
import { markdownToHtml } from './markdown-blocks.js';
import { portalPolicy } from './portal-policy.js';
import type { RenderContext, RenderedPortalMessage } from './types.js';

const sanitizeOptions: sanitizeHtml.IOptions = {
  allowedTags: portalPolicy.tags,
  allowedAttributes: portalPolicy.attributes,
  allowedSchemes: portalPolicy.schemes,
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  transformTags: { a: sanitizeHtml.simpleTransform('a', portalPolicy.link) },
};

export const sanitizePortalHtml = (html: string): string => sanitizeHtml(html, sanitizeOptions);

/** A message for the customer's portal inbox: the subject as plain text, the body as sanitized HTML. */
export async function renderPortal(template: CompiledTemplate, ctx: RenderContext): Promise<RenderedPortalMessage> {
  const parts = channelParts(template, 'portal', 'portal.body');
  const scope = templateScope(ctx);
  const locale = renderLocaleOf(ctx);
  const subject = oneLine(renderField(parts.subject, scope, locale));
  return { subject, html: sanitizePortalHtml(markdownToHtml(renderField(parts.body, scope, locale))) };
}
