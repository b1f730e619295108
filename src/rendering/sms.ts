import { channelParts, type CompiledTemplate } from './compile.js';
import { renderLocaleOf, templateScope } from './context.js';
import { renderField } from './liquid.js';
import type { RenderContext, RenderedSms, SmsMeasure } from './types.js';

/** GSM 03.38 default alphabet: one septet each. */
const gsmBasic = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
/** The extension table: an escape septet plus the character, so two septets each. */
const gsmExtension = new Set('\f^{}\\[~]|€');

const single = { 'GSM-7': 160, 'UCS-2': 70 } as const;
const perPart = { 'GSM-7': 153, 'UCS-2': 67 } as const;

/**
 * How an SMS text travels: GSM-7 if every character is in the GSM alphabet (extension characters
 * count two), otherwise UCS-2 counted in UTF-16 code units (an emoji is two). A long message is
 * split into parts of 153 or 67 units, and a two-unit character never straddles two parts.
 */
export function smsSegments(text: string): SmsMeasure {
  const units: number[] = [];
  let gsm = true;
  for (const char of text) {
    if (gsmBasic.has(char)) units.push(1);
    else if (gsmExtension.has(char)) units.push(2);
    else {
      gsm = false;
      break;
    }
  }
  if (!gsm) {
    units.length = 0;
    for (const char of text) units.push(char.length);
  }
  const encoding = gsm ? 'GSM-7' : 'UCS-2';
  const characters = units.reduce((sum, n) => sum + n, 0);
  if (characters <= single[encoding]) return { encoding, characters, segments: characters === 0 ? 0 : 1 };
  let segments = 1;
  let used = 0;
  for (const n of units) {
    if (used + n > perPart[encoding]) {
      segments += 1;
      used = 0;
    }
    used += n;
  }
  return { encoding, characters, segments };
}

/**
 * Typography that would force a whole message into UCS-2 (and so more than double its parts):
 * Intl's no-break spaces in "1.234,50 €" and "10:30 PM", curly quotes and dashes from word processors.
 */
const gsmFriendly: [RegExp, string][] = [
  [/[\u00a0\u2000-\u200a\u202f\u205f]/g, ' '],
  [/[\u2018\u2019\u201a\u2032]/g, "'"],
  [/[\u201c\u201d\u201e\u2033]/g, '"'],
  [/[\u2010-\u2015\u2212]/g, '-'],
  [/\u2026/g, '...'],
  [/\u200b|\u200c|\u200d|\u2060|\ufeff/g, ''],
];

export const toGsmFriendly = (text: string): string =>
  gsmFriendly.reduce((out, [pattern, plain]) => out.replace(pattern, plain), text);

/**
 * Spaces and tabs at the end of each line go. Line by line, not with /[ \t]+\n/g, which rescans a
 * run of spaces from each of its positions when no line break follows: quadratic in customer data.
 */
function withoutTrailingBlanks(text: string): string {
  return text
    .split('\n')
    .map((line) => {
      let end = line.length;
      while (end > 0 && (line[end - 1] === ' ' || line[end - 1] === '\t')) end--;
      return line.slice(0, end);
    })
    .join('\n');
}

export async function renderSms(template: CompiledTemplate, ctx: RenderContext): Promise<RenderedSms> {
  const parts = channelParts(template, 'sms', 'sms.text');
  const text = withoutTrailingBlanks(
    toGsmFriendly(renderField(parts.text, templateScope(ctx), renderLocaleOf(ctx))),
  ).trim();
  return { text, ...smsSegments(text) };
}
