import { channelParts, type CompiledTemplate } from './compile.js';
import { addressLine, brandColors, renderLocaleOf, returnAddressLine, templateScope } from './context.js';
import { RenderError } from './errors.js';
import { formatDate } from './filters.js';
import { renderField, type CompiledField } from './liquid.js';
import { blocksToText, lexMarkdown, markdownBlocks } from './markdown-blocks.js';
import { printable, UnprintableText, useLetterFonts, type FontSet } from './letter-fonts.js';
import { flowBlocks, type PdfStyle } from './pdf-flow.js';
import { pdfDocument } from './pdf-libraries.js';
import { deflateStreamsFast, logoImage } from './pdf-resources.js';
import { postalAddressLines } from './postal-address.js';
import { drawReferenceMark } from './reference-mark.js';
import type {
  Brand,
  FaxOptions,
  LetterOptions,
  PostalAddress,
  Recipient,
  RenderContext,
  RenderedDocument,
} from './types.js';

const mm = (value: number) => (value * 72) / 25.4;

/**
 * A4 laid out for a DIN 5008 type B window envelope (DL/C6 with the window 20 mm from the left and
 * 45 mm from the top, 85 × 45 mm). The window's upper 17.7 mm is the endorsement zone, whose last
 * line carries the small return address; the recipient takes the lower 27.3 mm. Text inside the
 * window keeps 5 mm off its edges so that nothing is cut by the envelope's tolerance.
 */
const page = { width: mm(210), height: mm(297) };
const layout = {
  left: mm(25),
  right: mm(20),
  continuationTop: mm(20),
  window: { x: mm(20), y: mm(45), width: mm(85), height: mm(45) },
  returnLineTop: mm(57.6),
  recipientTop: mm(62.7),
  recipientHeight: mm(27.3) - mm(2),
  dateTop: mm(97),
  bodyTop: mm(107),
  footerBottom: mm(10),
  foldMarks: [mm(105), mm(210)],
  punchMark: mm(148.5),
};
const contentWidth = page.width - layout.left - layout.right;

type Kind = 'letter' | 'fax';

function styleFor(kind: Kind, brand: Brand, fonts: FontSet): PdfStyle {
  if (kind === 'fax')
    return {
      fonts,
      size: 12,
      colors: { text: '#000000', heading: '#000000', rule: '#000000', muted: '#000000' },
      tableHeaderFill: null,
      ruleWidth: 1,
    };
  const colors = brandColors(brand);
  return {
    fonts,
    size: 10.5,
    colors: { text: colors.text, heading: colors.primary, rule: '#9aa1ab', muted: '#5f6670' },
    tableHeaderFill: '#eef0f3',
    ruleWidth: 0.5,
  };
}

const pageLabels: Record<string, [string, string]> = {
  en: ['Page', 'of'],
  de: ['Seite', 'von'],
  fr: ['Page', 'sur'],
  es: ['Página', 'de'],
  it: ['Pagina', 'di'],
  nl: ['Pagina', 'van'],
  pt: ['Página', 'de'],
  pl: ['Strona', 'z'],
  sv: ['Sida', 'av'],
  da: ['Side', 'af'],
  nb: ['Side', 'av'],
  fi: ['Sivu', '/'],
};

export function pageLabel(language: string, n: number, total: number): string {
  const [word, of] = pageLabels[language.split('-')[0]!.toLowerCase()] ?? pageLabels.en!;
  return `${word} ${n} ${of} ${total}`;
}

function recipientOf(ctx: RenderContext, given: Recipient | undefined, field: string): Recipient {
  if (given) return given;
  const address = ctx.customer.address as PostalAddress | null | undefined;
  const name = ctx.customer.name;
  if (!address || !Array.isArray(address.lines) || typeof name !== 'string')
    throw new RenderError(field, 'the customer has no postal address to print in the window');
  return { ...address, name };
}

function drawLetterhead(doc: PDFKit.PDFDocument, kind: Kind, brand: Brand, style: PdfStyle): void {
  const colors = brandColors(brand);
  // A fax prints in 1-bit black: a logo turns into noise, so a fax carries the company name in bold type instead.
  if (kind === 'letter' && brand.logo) {
    doc.image(logoImage(brand.logo) as Buffer, layout.left, mm(12), { fit: [mm(60), mm(22)] });
  } else {
    doc
      .font(style.fonts.bold)
      .fontSize(18)
      .fillColor(kind === 'fax' ? '#000000' : colors.primary);
    doc.text(printable(brand.companyName, style.fonts.bold), layout.left, mm(15), {
      width: mm(95),
      height: mm(22),
      ellipsis: true,
    });
  }
  const sender = [
    ...brand.returnAddress.lines,
    addressLine({ ...brand.returnAddress, lines: [] }),
    brand.website,
    brand.senders.emailFrom,
  ];
  if (brand.senders.faxNumber) sender.push(`Fax ${brand.senders.faxNumber}`);
  const senderX = page.width - layout.right - mm(70);
  doc
    .font(style.fonts.bold)
    .fontSize(8)
    .fillColor(style.colors.text)
    .text(printable(brand.companyName, style.fonts.bold), senderX, mm(12), { width: mm(70), align: 'right' });
  doc
    .font(style.fonts.regular)
    .fillColor(style.colors.muted)
    .text(printable(sender.filter(Boolean).join('\n'), style.fonts.regular), { width: mm(70), align: 'right' });
  doc.lineWidth(kind === 'fax' ? 1.5 : 0.75).strokeColor(kind === 'fax' ? '#000000' : colors.accent);
  doc
    .moveTo(layout.left, mm(40))
    .lineTo(page.width - layout.right, mm(40))
    .stroke();
}

/** The lines in the envelope's window: name, postal address, and on a fax the number it went to. */
function windowLines(brand: Brand, recipient: Recipient, faxNumber?: string): string[] {
  const lines = [recipient.name, ...postalAddressLines(recipient, brand.returnAddress.country)];
  return faxNumber ? [...lines, `Fax ${faxNumber}`] : lines;
}

function drawWindow(
  doc: PDFKit.PDFDocument,
  kind: Kind,
  brand: Brand,
  style: PdfStyle,
  recipient: Recipient,
  faxNumber?: string,
): void {
  const inset = mm(5);
  const x = layout.window.x + inset;
  const width = layout.window.width - 2 * inset;
  doc.font(style.fonts.regular).fontSize(6.5).fillColor(style.colors.text);
  doc.text(printable(returnAddressLine(brand), style.fonts.regular), x, layout.returnLineTop, {
    width,
    lineBreak: false,
    ellipsis: true,
    height: 8,
  });
  doc
    .lineWidth(0.3)
    .strokeColor(style.colors.text)
    .moveTo(x, layout.returnLineTop + 8)
    .lineTo(x + width, layout.returnLineTop + 8)
    .stroke();
  const lines = windowLines(brand, recipient, faxNumber);
  const size = kind === 'fax' ? 11 : 10;
  const step = Math.min(size * 1.2, layout.recipientHeight / lines.length);
  lines.forEach((line, i) => {
    const font = i === 0 ? style.fonts.bold : style.fonts.regular;
    doc
      .font(font)
      .fontSize(Math.min(size, step / 1.15))
      .fillColor(style.colors.text);
    doc.text(printable(line, font), x, layout.recipientTop + i * step, {
      width,
      lineBreak: false,
      ellipsis: true,
      height: step,
    });
  });
  if (kind === 'letter') {
    doc.lineWidth(0.5).strokeColor(style.colors.rule);
    for (const y of [...layout.foldMarks, layout.punchMark])
      doc
        .moveTo(mm(3), y)
        .lineTo(y === layout.punchMark ? mm(8) : mm(6), y)
        .stroke();
  }
}

function footerLine(brand: Brand, font: string): string {
  return printable(
    [brand.companyName, addressLine(brand.returnAddress), brand.website].filter(Boolean).join(' · '),
    font,
  );
}

/** Footer height depends only on the brand and the kind: measured once per brand. */
const footerHeights = new WeakMap<Brand, Partial<Record<Kind, number>>>();

function footerHeight(doc: PDFKit.PDFDocument, kind: Kind, brand: Brand, style: PdfStyle): number {
  const known = footerHeights.get(brand)?.[kind];
  if (known !== undefined) return known;
  const legal = brand.legalFooter
    ? doc
        .font(style.fonts.regular)
        .fontSize(7)
        .heightOfString(printable(brand.legalFooter, style.fonts.regular), { width: contentWidth })
    : 0;
  const height = mm(3) + 10 + Math.min(legal, 3 * 9);
  footerHeights.set(brand, { ...footerHeights.get(brand), [kind]: height });
  return height;
}

function drawFooters(doc: PDFKit.PDFDocument, brand: Brand, style: PdfStyle, language: string, height: number): number {
  const { count } = doc.bufferedPageRange();
  const top = page.height - layout.footerBottom - height;
  const labelWidth = mm(35);
  for (let i = 0; i < count; i++) {
    doc.switchToPage(i);
    doc.page.margins.bottom = 0;
    doc
      .lineWidth(style.ruleWidth)
      .strokeColor(style.colors.rule)
      .moveTo(layout.left, top)
      .lineTo(page.width - layout.right, top)
      .stroke();
    doc.font(style.fonts.regular).fontSize(7.5).fillColor(style.colors.muted);
    doc.text(footerLine(brand, style.fonts.regular), layout.left, top + mm(2), {
      width: contentWidth - labelWidth,
      lineBreak: false,
      ellipsis: true,
      height: 10,
    });
    doc.text(
      printable(pageLabel(language, i + 1, count), style.fonts.regular),
      page.width - layout.right - labelWidth,
      top + mm(2),
      {
        width: labelWidth,
        align: 'right',
        lineBreak: false,
      },
    );
    if (brand.legalFooter) {
      doc.fontSize(7).text(printable(brand.legalFooter, style.fonts.regular), layout.left, top + mm(2) + 10, {
        width: contentWidth,
        height: 3 * 9,
        ellipsis: true,
      });
    }
  }
  return count;
}

/** What each part of the page prints, as an author is told when its text cannot be printed. */
const parts = {
  brand: { field: 'brand', where: 'the brand kit (letterhead, return address or footer)' },
  recipient: { field: 'recipient', where: "the recipient's name and address" },
  date: { field: 'date', where: 'the date' },
  body: { field: 'body', where: 'the body' },
} as const;

/** Draws one part of the page; text the font cannot print fails the whole document, naming the part and the script. */
function drawPart<T>(kind: Kind, part: keyof typeof parts, draw: () => T): T {
  try {
    return draw();
  } catch (err) {
    if (!(err instanceof UnprintableText)) throw err;
    const { field, where } = parts[part];
    throw new RenderError(
      field === 'brand' ? 'brand' : `${kind}.${field}`,
      `the ${kind} font cannot print ${err.message} in ${where}: "${err.excerpt}"`,
    );
  }
}

async function renderDocument(
  kind: Kind,
  body: CompiledField,
  ctx: RenderContext,
  recipient: Recipient,
  faxNumber?: string,
  reference?: string,
): Promise<RenderedDocument> {
  const markdown = renderField(body, templateScope(ctx), renderLocaleOf(ctx));
  let date: string;
  try {
    date = formatDate(ctx.now, renderLocaleOf(ctx), 'long');
  } catch (err) {
    throw new RenderError(`${kind}.date`, `cannot write today's date: ${(err as Error).message}`);
  }
  const PDFDocument = pdfDocument();
  const doc = new PDFDocument({
    size: 'A4',
    bufferPages: true,
    margins: { top: layout.continuationTop, left: layout.left, right: layout.right, bottom: mm(30) },
    info: {
      Title: `${ctx.brand.companyName} ${kind}`,
      Author: ctx.brand.companyName,
      Producer: 'Tidings',
      Creator: 'Tidings',
      CreationDate: ctx.now,
      ModDate: ctx.now,
    },
    lang: ctx.language,
    // No default font: pdfkit would load Helvetica, a standard font that is not embedded.
    font: null as unknown as string,
    autoFirstPage: false,
  });
  deflateStreamsFast(doc);
  doc.addPage();
  const style = styleFor(kind, ctx.brand, useLetterFonts(doc, ctx.brand.font));
  doc.font(style.fonts.regular);
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const finished = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });
  const footer = drawPart(kind, 'brand', () => footerHeight(doc, kind, ctx.brand, style));
  doc.page.margins.bottom = footer + layout.footerBottom + mm(5);
  doc.options.margins = { ...doc.page.margins };
  drawPart(kind, 'brand', () => drawLetterhead(doc, kind, ctx.brand, style));
  drawPart(kind, 'recipient', () => drawWindow(doc, kind, ctx.brand, style, recipient, faxNumber));
  // The code a paper answer is matched by (src/communications/reference-code.ts); previews have none.
  if (reference) drawReferenceMark(doc, reference, { font: style.fonts.code, color: style.colors.text });
  drawPart(kind, 'date', () => {
    doc.font(style.fonts.regular).fontSize(style.size).fillColor(style.colors.text);
    doc.text(printable(date, style.fonts.regular), layout.left, layout.dateTop, {
      width: contentWidth,
      align: 'right',
    });
  });
  doc.y = layout.bodyTop;
  const blocks = markdownBlocks(lexMarkdown(markdown));
  drawPart(kind, 'body', () => flowBlocks(doc, blocks, style, { x: layout.left, width: contentWidth }));
  const pages = drawPart(kind, 'brand', () => drawFooters(doc, ctx.brand, style, ctx.language, footer));
  doc.end();
  await finished;
  const text = [windowLines(ctx.brand, recipient, faxNumber).join('\n'), reference ? `Ref. ${reference}` : '', date];
  return { pdf: Buffer.concat(chunks), pages, text: [...text, blocksToText(blocks)].filter(Boolean).join('\n\n') };
}

/** A letter for print and post: letterhead, window address, date, the body over as many pages as it needs, "Page n of N". */
export async function renderLetter(
  template: CompiledTemplate,
  ctx: RenderContext,
  options: LetterOptions = {},
): Promise<RenderedDocument> {
  const { body } = channelParts(template, 'letter', 'letter.body');
  return renderDocument(
    'letter',
    body,
    ctx,
    recipientOf(ctx, options.recipient, 'letter.recipient'),
    undefined,
    options.reference,
  );
}

/** The same layout for a fax machine: black only, no logo, larger type, heavier rules, no tinted backgrounds. */
export async function renderFax(
  template: CompiledTemplate,
  ctx: RenderContext,
  options: FaxOptions = {},
): Promise<RenderedDocument> {
  const { body } = channelParts(template, 'fax', 'fax.body');
  return renderDocument(
    'fax',
    body,
    ctx,
    recipientOf(ctx, options.recipient, 'fax.recipient'),
    options.recipientFaxNumber,
    options.reference,
  );
}
