import { channelParts, type CompiledTemplate } from './compile.js';
import { addressLine, brandColors, brandView, logoCid, renderLocaleOf, templateScope } from './context.js';
import { emailLayout, htmlToText } from './email-layout.js';
import { renderField } from './liquid.js';
import { blocksToText, lexMarkdown, markdownBlocks, markdownTokensToHtml, styleEmailHtml } from './markdown-blocks.js';
import type { Brand, InlineImage, RenderContext, RenderedEmail } from './types.js';

/**
 * Subjects are one header line: a line break from data or fragments, with the white space around
 * it, becomes one space. Split rather than replace with a pattern that starts with \s*: that one
 * rescans a run of spaces from each of its positions, quadratic (2.8 s for 40,000 spaces).
 */
export const oneLine = (text: string): string =>
  text
    .split(/[\r\n]+/)
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .join(' ');

/** White or near-black on the brand's primary colour, whichever reads better (WCAG relative luminance). */
function onColor(hex: string): string {
  const full = hex.length === 4 ? `#${[...hex.slice(1)].map((c) => c + c).join('')}` : hex;
  const channel = (i: number) => {
    const c = parseInt(full.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
  return luminance > 0.4 ? '#111111' : '#ffffff';
}

const websiteUrl = (website: string | undefined) =>
  !website ? '' : /^https?:\/\//i.test(website) ? website : `https://${website}`;

function footerText(brand: Brand): string {
  return [brand.companyName, addressLine(brand.returnAddress, ', '), brand.website, brand.legalFooter]
    .filter(Boolean)
    .join('\n');
}

const logoImages = new WeakMap<Brand, InlineImage[]>();

function inlineLogo(brand: Brand, html: string): InlineImage[] | undefined {
  if (!brand.logo || !html.includes(`cid:${logoCid}`)) return undefined;
  let images = logoImages.get(brand);
  if (!images) {
    const extension = brand.logo.mimeType === 'image/png' ? 'png' : 'jpg';
    images = [
      { cid: logoCid, contentType: brand.logo.mimeType, filename: `logo.${extension}`, content: brand.logo.data },
    ];
    logoImages.set(brand, images);
  }
  return images;
}

/** A link target from data could be javascript: or data:; in an email only web, mail and phone links stay. */
const withSafeLinks = (html: string) =>
  html.replace(/\bhref\s*=\s*"(?!\s*(?:https?:|mailto:|tel:))[^"]*"/gi, 'href="#"');

const preheaderOf = (text: string) => {
  const first = text.split('\n').find((line) => line.trim() !== '') ?? '';
  return first.length > 110 ? `${first.slice(0, 109)}…` : first;
};

/**
 * Renders the email for one recipient. A Markdown body is rendered by Liquid once and lexed once;
 * the HTML (inside the branded layout MJML compiled at start-up) and the text part both come from
 * those tokens. An MJML body was compiled with the template; its text part is read from the HTML.
 */
export async function renderEmail(template: CompiledTemplate, ctx: RenderContext): Promise<RenderedEmail> {
  const parts = channelParts(template, 'email', 'email.body');
  const scope = templateScope(ctx);
  const locale = renderLocaleOf(ctx);
  const subject = oneLine(renderField(parts.subject, scope, locale));
  if (parts.format === 'mjml') {
    const html = renderField(parts.body, scope, locale);
    return withImages({ subject, html, text: htmlToText(html) }, ctx.brand);
  }
  const tokens = lexMarkdown(renderField(parts.body, scope, locale));
  const colors = brandColors(ctx.brand);
  const bodyText = blocksToText(markdownBlocks(tokens));
  const layout = await emailLayout();
  const html = renderField(
    ctx.brand.logo ? layout.withLogo : layout.withName,
    {
      subject,
      language: ctx.language,
      preheader: preheaderOf(bodyText),
      content: styleEmailHtml(markdownTokensToHtml(tokens), colors),
      brand: brandView(ctx.brand),
      colors: { ...colors, onPrimary: onColor(colors.primary) },
      returnAddress: addressLine(ctx.brand.returnAddress),
      website: websiteUrl(ctx.brand.website),
    },
    locale,
  );
  return withImages({ subject, html, text: `${bodyText}\n\n-- \n${footerText(ctx.brand)}\n` }, ctx.brand);
}

function withImages(email: RenderedEmail, brand: Brand): RenderedEmail {
  const html = withSafeLinks(email.html);
  const inlineImages = inlineLogo(brand, html);
  return inlineImages ? { ...email, html, inlineImages } : { ...email, html };
}
