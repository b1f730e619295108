import PostalMime from 'postal-mime';
import sanitizeHtml from 'sanitize-html';
import { portalPolicy } from '../rendering/portal-policy.js';

/** The parts of an archived email a customer reads: its subject, the HTML as sent (made safe) and the text part. */
export type ArchivedEmail = { subject: string | null; html: string | null; text: string | null };

/** Inline images the HTML may show, as data: URLs; anything else would load from elsewhere. */
const inlineImageTypes = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

// A style value may set colours, sizes and fonts; none may load anything (url(), image-set(), @import) or run (expression()).
const safeStyleValue = /^(?!.*(?:url|image-set|expression|image)\s*\()(?!.*@import)[^<>"\\;]*$/i;
const styleProperties = [
  'color',
  'background-color',
  'font',
  'font-family',
  'font-size',
  'font-style',
  'font-weight',
  'line-height',
  'letter-spacing',
  'text-align',
  'text-decoration',
  'text-transform',
  'vertical-align',
  'white-space',
  'word-break',
  'direction',
  'display',
  'width',
  'min-width',
  'max-width',
  'height',
  'min-height',
  'max-height',
  'margin',
  'margin-top',
  'margin-right',
  'margin-bottom',
  'margin-left',
  'padding',
  'padding-top',
  'padding-right',
  'padding-bottom',
  'padding-left',
  'border',
  'border-top',
  'border-right',
  'border-bottom',
  'border-left',
  'border-color',
  'border-style',
  'border-width',
  'border-radius',
  'border-collapse',
  'border-spacing',
  'table-layout',
  'overflow',
];

const layoutAttributes = ['style', 'align', 'valign', 'width', 'height', 'bgcolor', 'border', 'dir', 'role'];

/**
 * An email keeps its layout (tables, inline styles) but loses what the portal policy keeps out of
 * any message: scripts, forms, frames and anything that loads from elsewhere. Images stay only as
 * the message's own inline parts, so opening a letter tells no third party when it was read.
 */
const emailSanitizeOptions: sanitizeHtml.IOptions = {
  allowedTags: [
    ...portalPolicy.tags,
    'div',
    'span',
    'center',
    'img',
    'caption',
    'tfoot',
    'col',
    'colgroup',
    'sup',
    'sub',
  ],
  allowedAttributes: {
    ...portalPolicy.attributes,
    '*': layoutAttributes,
    img: [...layoutAttributes, 'src', 'alt', 'title'],
    td: [...layoutAttributes, 'colspan', 'rowspan'],
    th: [...layoutAttributes, 'colspan', 'rowspan', 'scope'],
    table: [...layoutAttributes, 'cellpadding', 'cellspacing'],
  },
  allowedStyles: { '*': Object.fromEntries(styleProperties.map((property) => [property, [safeStyleValue]])) },
  allowedSchemes: portalPolicy.schemes,
  allowedSchemesByTag: { img: ['data'] },
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  // The head's title and styles are not text of the message.
  nonTextTags: ['head', 'title', 'style', 'script', 'textarea', 'option', 'noscript'],
  transformTags: { a: sanitizeHtml.simpleTransform('a', portalPolicy.link) },
};

const bareContentId = (contentId: string) => contentId.trim().replace(/^<|>$/g, '');

const decoded = (text: string) => {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
};

/** Reads an archived .eml: the subject, the HTML with its inline images in place and made safe, and the text part. */
export async function readArchivedEmail(bytes: Buffer): Promise<ArchivedEmail> {
  const email = await PostalMime.parse(bytes, { attachmentEncoding: 'base64' });
  const images = new Map<string, string>();
  for (const part of email.attachments) {
    if (part.contentId && inlineImageTypes.has(part.mimeType) && typeof part.content === 'string')
      images.set(bareContentId(part.contentId), `data:${part.mimeType};base64,${part.content}`);
  }
  const html = email.html
    ? email.html.replace(
        /cid:([^"'\s)>]+)/gi,
        (reference, id: string) => images.get(id) ?? images.get(decoded(id)) ?? reference,
      )
    : null;
  return {
    subject: email.subject ?? null,
    html: html === null ? null : sanitizeHtml(html, emailSanitizeOptions),
    text: email.text ?? null,
  };
}
