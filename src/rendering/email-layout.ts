import type mjml2html from 'mjml';
import { RenderError } from './errors.js';
import { decodeEntities } from './escaping.js';
import { parseTrustedHtml, type CompiledField } from './liquid.js';

/** No includes, no .mjmlconfig components, no web fonts: MJML reads nothing but the source it is given. */
const mjmlOptions = { validationLevel: 'soft', ignoreIncludes: true, keepComments: false, fonts: {} } as const;

let mjml: Promise<typeof mjml2html> | undefined;

/** MJML and what it pulls in take about 15 MB at import, so they load with the first MJML compiled, not at start. */
async function mjmlToHtml(source: string) {
  mjml ??= import('mjml').then((module) => module.default);
  return (await mjml)(source, mjmlOptions);
}

/** MJML drops text between its elements, so a Liquid block tag there would silently disappear. */
const liquidTag = /\{%-?\s*([a-z]+)[^%]*%\}/g;

/**
 * Compiles an author's MJML once. Liquid survives inside element content and attributes; MJML's
 * complaints about Liquid placeholders in typed attributes (colour="{{ … }}") are not errors.
 */
export async function compileMjmlBody(source: string): Promise<string> {
  if (/<mj-include\b/i.test(source))
    throw new RenderError('email.body', "mj-include is not available: use {% fragment 'key' %}");
  const { html, errors } = await mjmlToHtml(source);
  const real = errors.filter((error) => !/\{\{|\{%/.test(error.message));
  if (real.length > 0) throw new RenderError('email.body', `MJML: ${real[0]!.message}`, real[0]!.line);
  for (const [tag, name] of source.matchAll(liquidTag)) {
    if (!html.includes(tag))
      throw new RenderError(
        'email.body',
        `the Liquid tag {% ${name} %} sits between MJML elements, where MJML drops it; wrap it in <mj-raw>`,
      );
  }
  return html;
}

const layoutSource = (header: string) => `<mjml>
  <mj-head>
    <mj-title>{{ subject }}</mj-title>
    <mj-preview>{{ preheader }}</mj-preview>
    <mj-attributes>
      <mj-all font-family="Helvetica, Arial, sans-serif" />
      <mj-text font-size="15px" line-height="1.5" padding="0" />
    </mj-attributes>
  </mj-head>
  <mj-body background-color="#f2f4f7" width="600px">
    <mj-section background-color="#010101" padding="20px 24px" css-class="brand-header">
      <mj-column>${header}</mj-column>
    </mj-section>
    <mj-section background-color="#ffffff" padding="28px 24px">
      <mj-column><mj-text color="#020202">{{ content | raw }}</mj-text></mj-column>
    </mj-section>
    <mj-section padding="16px 24px">
      <mj-column>
        <mj-text font-size="12px" line-height="1.4" color="#667085"><strong>{{ brand.companyName }}</strong><br>{{ returnAddress }}{% if website %}<br><a href="{{ website }}" style="color:#667085">{{ website }}</a>{% endif %}{% if brand.legalFooter %}<br><br>{{ brand.legalFooter }}{% endif %}</mj-text>
      </mj-column>
    </mj-section>
  </mj-body>
</mjml>`;

const logoHeader =
  '<mj-image src="{{ brand.logo }}" alt="{{ brand.companyName }}" align="left" width="180px" padding="0" />';
const nameHeader = '<mj-text color="#030303" font-size="22px" font-weight="bold">{{ brand.companyName }}</mj-text>';

/**
 * MJML checks colour attributes, so the layout is compiled with stand-in colours that are then
 * swapped for Liquid outputs of the (already validated) brand colours; likewise the language.
 */
const standIns: [RegExp, string][] = [
  [/#010101/g, '{{ colors.primary }}'],
  [/#020202/g, '{{ colors.text }}'],
  [/#030303/g, '{{ colors.onPrimary }}'],
  [/lang="und"/g, 'lang="{{ language }}"'],
];

async function compileLayout(header: string): Promise<CompiledField> {
  const { html } = await mjmlToHtml(layoutSource(header));
  // MJML indents deeply; the indentation is a third of every message that is sent and archived.
  const compact = html.replace(/\n[ \t]+/g, '\n').replace(/\n{2,}/g, '\n');
  return parseTrustedHtml(standIns.reduce((out, [pattern, liquid]) => out.replace(pattern, liquid), compact));
}

export type EmailLayout = { withLogo: CompiledField; withName: CompiledField };

let layout: Promise<EmailLayout> | undefined;

/** The branded layout for Markdown emails, compiled by MJML once per process. */
export function emailLayout(): Promise<EmailLayout> {
  layout ??= Promise.all([compileLayout(logoHeader), compileLayout(nameHeader)]).then(([withLogo, withName]) => ({
    withLogo,
    withName,
  }));
  return layout;
}

const blockEnd = /<\/(p|div|h[1-6]|tr|table|ul|ol|blockquote)>|<br\s*\/?>/gi;

/** The text part of an author's MJML email, which has no Markdown source to read. */
export function htmlToText(html: string): string {
  return html
    .replace(/<head[\s\S]*?<\/head>/gi, '')
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<(style|script)[\s\S]*?<\/\1>/gi, '')
    .replace(/<a\s[^>]*href="([^"]*)"[^>]*>([\s\S]*?)<\/a>/gi, (_, href: string, text: string) => {
      const label = text.replace(/<[^>]*>/g, '').trim();
      const target = href.replace(/^mailto:/, '');
      return !target || target === label ? label : `${label} (${target})`;
    })
    .replace(/<li[^>]*>/gi, '\n- ')
    .replace(blockEnd, '\n')
    .replace(/<\/t[dh]>/gi, ' ')
    .replace(/<[^>]*>/g, '')
    .split('\n')
    .map((line) =>
      decodeEntities(line)
        .replace(/[ \t\u00a0]+/g, ' ')
        .trim(),
    )
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
