import type { CellAlign, InlineRun, MarkdownBlock } from './markdown-blocks.js';
import { runsText } from './markdown-blocks.js';
import { printable, type FontSet } from './letter-fonts.js';

type Doc = PDFKit.PDFDocument;

/** How a document looks: a letter in brand colours, or a fax in black with larger type and heavier rules. */
export type PdfStyle = {
  fonts: FontSet;
  size: number;
  colors: { text: string; heading: string; rule: string; muted: string };
  /** null: no filled backgrounds (a fax turns tints into noise). */
  tableHeaderFill: string | null;
  ruleWidth: number;
};

type Box = { x: number; width: number };

export const lineHeight = (doc: Doc, size: number) => doc.fontSize(size).currentLineHeight(true);

/** Starts a new page unless `height` still fits above the bottom margin. */
export function ensureSpace(doc: Doc, height: number): void {
  if (doc.y + height > doc.page.maxY()) doc.addPage();
}

const fontOf = (fonts: FontSet, run: InlineRun, bold = false) => {
  if (run.code) return fonts.code;
  const b = bold || run.bold;
  return b && run.italic ? fonts.boldItalic : b ? fonts.bold : run.italic ? fonts.italic : fonts.regular;
};

function mergeRuns(runs: InlineRun[]): InlineRun[] {
  const merged: InlineRun[] = [];
  for (const run of runs) {
    const last = merged.at(-1);
    if (last && !!last.bold === !!run.bold && !!last.italic === !!run.italic && !!last.code === !!run.code)
      last.text += run.text;
    else if (run.text) merged.push({ ...run });
  }
  return merged.filter((run) => run.text !== '');
}

type RunOptions = { size: number; color: string; bold?: boolean; align?: 'left' | 'right' | 'center' };

/** One paragraph of styled runs, wrapped to the box; pdfkit carries it over page breaks. */
function drawRuns(doc: Doc, runs: InlineRun[], style: PdfStyle, box: Box, options: RunOptions): void {
  const merged = mergeRuns(runs);
  if (merged.length === 0) return;
  doc.fontSize(options.size).fillColor(options.color);
  merged.forEach((run, i) => {
    const textOptions = {
      width: box.width,
      continued: i < merged.length - 1,
      lineGap: options.size * 0.25,
      align: options.align ?? 'left',
    };
    const font = fontOf(style.fonts, run, options.bold);
    doc.font(font);
    if (i === 0) doc.text(printable(run.text, font), box.x, doc.y, textOptions);
    else doc.text(printable(run.text, font), textOptions);
  });
}

const headingSize = (style: PdfStyle, level: number) => style.size * (level === 1 ? 1.45 : level === 2 ? 1.25 : 1.1);

function drawList(
  doc: Doc,
  block: Extract<MarkdownBlock, { kind: 'list' }>,
  style: PdfStyle,
  box: Box,
  depth: number,
): void {
  doc.font(style.fonts.regular).fontSize(style.size);
  const markers = block.items.map((_, i) => (block.ordered ? `${block.start + i}.` : depth % 2 === 0 ? '•' : '–'));
  const indent = Math.max(...markers.map((marker) => doc.widthOfString(marker))) + style.size * 0.8;
  block.items.forEach((item, i) => {
    ensureSpace(doc, lineHeight(doc, style.size));
    const y = doc.y;
    doc.font(style.fonts.regular).fontSize(style.size).fillColor(style.colors.text);
    doc.text(markers[i]!, box.x, y, { width: indent, lineBreak: false });
    doc.y = y;
    flowBlocks(doc, item, style, { x: box.x + indent, width: box.width - indent }, depth + 1, style.size * 0.2);
  });
}

/** Shares the width among columns by their natural widths, never below their longest word (measured only when needed). */
function columnWidths(natural: number[], measureMinimum: () => number[], width: number): number[] {
  const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
  if (sum(natural) <= width) return natural.map((w) => (w / sum(natural)) * width);
  const minimum = measureMinimum();
  if (sum(minimum) >= width) return minimum.map((w) => (w / sum(minimum)) * width);
  const spare = width - sum(minimum);
  const stretch = natural.map((w, i) => w - minimum[i]!);
  return minimum.map((w, i) => w + (stretch[i]! / sum(stretch)) * spare);
}

function drawTable(doc: Doc, block: Extract<MarkdownBlock, { kind: 'table' }>, style: PdfStyle, box: Box): void {
  const size = style.size * 0.92;
  const pad = size * 0.45;
  const rows = [block.header, ...block.rows];
  const measureFont = (cell: InlineRun[], header: boolean) =>
    header || cell.some((run) => run.bold) ? style.fonts.bold : style.fonts.regular;
  doc.fontSize(size);
  const widest = (cell: InlineRun[], header: boolean, pieces: (text: string) => string[]) =>
    Math.max(
      ...pieces(printable(runsText(cell), measureFont(cell, header))).map((piece) =>
        doc.font(measureFont(cell, header)).widthOfString(piece),
      ),
    );
  const columnNeed = (col: number, pieces: (text: string) => string[]) =>
    Math.max(...rows.map((row, r) => widest(row[col] ?? [], r === 0, pieces))) + 2 * pad + 1;
  const natural = block.header.map((_, col) => columnNeed(col, (text) => text.split('\n')));
  const minimum = () => block.header.map((_, col) => columnNeed(col, (text) => text.split(/\s+/)));
  const widths = columnWidths(natural, minimum, box.width);
  const rowHeight = (row: InlineRun[][], header: boolean) =>
    Math.max(
      ...row.map((cell, col) =>
        doc
          .font(measureFont(cell, header))
          .fontSize(size)
          .heightOfString(printable(runsText(cell), measureFont(cell, header)) || ' ', {
            width: widths[col]! - 2 * pad,
            lineGap: size * 0.25,
          }),
      ),
    ) +
    2 * pad;
  const headerHeight = rowHeight(block.header, true);

  const drawRow = (row: InlineRun[][], header: boolean, height: number) => {
    const top = doc.y;
    let x = box.x;
    row.forEach((cell, col) => {
      const width = widths[col]!;
      if (header && style.tableHeaderFill) doc.rect(x, top, width, height).fill(style.tableHeaderFill);
      doc
        .lineWidth(header ? style.ruleWidth * 1.5 : style.ruleWidth)
        .strokeColor(style.colors.rule)
        .rect(x, top, width, height)
        .stroke();
      doc.y = top + pad;
      const align = (block.align[col] ?? 'left') as Exclude<CellAlign, null>;
      drawRuns(
        doc,
        cell,
        style,
        { x: x + pad, width: width - 2 * pad },
        { size, color: style.colors.text, bold: header, align },
      );
      x += width;
    });
    doc.y = top + height;
  };

  ensureSpace(doc, headerHeight + rowHeight(block.rows[0] ?? block.header, false));
  drawRow(block.header, true, headerHeight);
  for (const row of block.rows) {
    const height = rowHeight(row, false);
    if (doc.y + height > doc.page.maxY()) {
      doc.addPage();
      drawRow(block.header, true, headerHeight);
    }
    drawRow(row, false, height);
  }
}

/** Lays Markdown blocks out from doc.y down, over as many pages as they need. */
export function flowBlocks(
  doc: Doc,
  blocks: MarkdownBlock[],
  style: PdfStyle,
  box: Box,
  depth = 0,
  gap = style.size * 0.7,
): void {
  for (const block of blocks) {
    switch (block.kind) {
      case 'heading': {
        const size = headingSize(style, block.level);
        ensureSpace(doc, lineHeight(doc, size) + 2 * lineHeight(doc, style.size));
        if (doc.y > doc.page.margins.top) doc.y += style.size * 0.4;
        drawRuns(doc, block.runs, style, box, { size, color: style.colors.heading, bold: true });
        break;
      }
      case 'paragraph':
        drawRuns(doc, block.runs, style, box, { size: style.size, color: style.colors.text });
        break;
      case 'list':
        drawList(doc, block, style, box, depth);
        break;
      case 'table':
        drawTable(doc, block, style, box);
        break;
      case 'quote': {
        const top = doc.y;
        const page = doc.bufferedPageRange().count;
        flowBlocks(doc, block.blocks, style, { x: box.x + style.size, width: box.width - style.size }, depth, gap);
        const from = doc.bufferedPageRange().count === page ? top : doc.page.margins.top;
        doc
          .lineWidth(style.ruleWidth * 2)
          .strokeColor(style.colors.rule)
          .moveTo(box.x + 2, from)
          .lineTo(box.x + 2, doc.y - gap)
          .stroke();
        continue;
      }
      case 'code':
        doc
          .font(style.fonts.code)
          .fontSize(style.size * 0.9)
          .fillColor(style.colors.text)
          .text(printable(block.text, style.fonts.code), box.x, doc.y, { width: box.width });
        break;
      case 'rule':
        ensureSpace(doc, style.size);
        doc
          .lineWidth(style.ruleWidth)
          .strokeColor(style.colors.rule)
          .moveTo(box.x, doc.y + style.size / 2)
          .lineTo(box.x + box.width, doc.y + style.size / 2)
          .stroke();
        doc.y += style.size;
        break;
    }
    doc.y += gap;
  }
}
