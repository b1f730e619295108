import { Marked, type Token, type Tokens } from 'marked';
import { decodeEntities } from './escaping.js';

/** A stretch of text in one style. Links are already written out as "text (url)": letters and text parts are read, not clicked. */
export type InlineRun = { text: string; bold?: boolean; italic?: boolean; code?: boolean };
export type CellAlign = 'left' | 'center' | 'right' | null;

/** Markdown as the letter, fax and plain-text renderers see it. */
export type MarkdownBlock =
  | { kind: 'heading'; level: number; runs: InlineRun[] }
  | { kind: 'paragraph'; runs: InlineRun[] }
  | { kind: 'list'; ordered: boolean; start: number; items: MarkdownBlock[][] }
  | { kind: 'table'; align: CellAlign[]; header: InlineRun[][]; rows: InlineRun[][][] }
  | { kind: 'quote'; blocks: MarkdownBlock[] }
  | { kind: 'code'; text: string }
  | { kind: 'rule' };

const markdown = new Marked({ gfm: true, breaks: false });

export const lexMarkdown = (source: string): Token[] => markdown.lexer(source);
export const markdownTokensToHtml = (tokens: Token[]): string => markdown.parser(tokens);
export const markdownToHtml = (source: string): string => markdownTokensToHtml(lexMarkdown(source));

type Style = Omit<InlineRun, 'text'>;

function collectRuns(tokens: Token[] | undefined, style: Style, runs: InlineRun[]): InlineRun[] {
  for (const token of tokens ?? []) {
    switch (token.type) {
      case 'strong':
        collectRuns(token.tokens, { ...style, bold: true }, runs);
        break;
      case 'em':
        collectRuns(token.tokens, { ...style, italic: true }, runs);
        break;
      case 'codespan':
        runs.push({ ...style, code: true, text: token.text });
        break;
      case 'br':
        runs.push({ ...style, text: '\n' });
        break;
      case 'escape':
        runs.push({ ...style, text: token.text });
        break;
      case 'link': {
        const link = token as Tokens.Link;
        const before = runs.length;
        collectRuns(link.tokens, style, runs);
        const text = runs
          .slice(before)
          .map((run) => run.text)
          .join('');
        const target = /^(https?:|mailto:|tel:)/i.test(link.href) ? link.href.replace(/^mailto:/i, '') : '';
        if (target && target !== text) runs.push({ ...style, text: ` (${target})` });
        break;
      }
      case 'image':
        runs.push({ ...style, text: decodeEntities(token.text) });
        break;
      case 'html':
        if (/^<br\s*\/?>$/i.test(token.text)) runs.push({ ...style, text: '\n' });
        break;
      default:
        if ('tokens' in token && token.tokens) collectRuns(token.tokens, style, runs);
        else if ('text' in token && typeof token.text === 'string')
          runs.push({ ...style, text: decodeEntities(token.text) });
    }
  }
  return runs;
}

const inlineRuns = (tokens: Token[] | undefined) => collectRuns(tokens, {}, []);

const stripTags = (html: string) => decodeEntities(html.replace(/<[^>]*>/g, '')).trim();

export function markdownBlocks(tokens: Token[]): MarkdownBlock[] {
  const blocks: MarkdownBlock[] = [];
  for (const token of tokens) {
    switch (token.type) {
      case 'heading':
        blocks.push({ kind: 'heading', level: token.depth, runs: inlineRuns(token.tokens) });
        break;
      case 'paragraph':
        blocks.push({ kind: 'paragraph', runs: inlineRuns(token.tokens) });
        break;
      case 'text':
        blocks.push({
          kind: 'paragraph',
          runs: token.tokens ? inlineRuns(token.tokens) : [{ text: decodeEntities(token.text) }],
        });
        break;
      case 'list': {
        const list = token as Tokens.List;
        const start = typeof list.start === 'number' ? list.start : 1;
        blocks.push({
          kind: 'list',
          ordered: list.ordered,
          start,
          items: list.items.map((item) => markdownBlocks(item.tokens)),
        });
        break;
      }
      case 'table': {
        const table = token as Tokens.Table;
        blocks.push({
          kind: 'table',
          align: table.align,
          header: table.header.map((cell) => inlineRuns(cell.tokens)),
          rows: table.rows.map((row) => row.map((cell) => inlineRuns(cell.tokens))),
        });
        break;
      }
      case 'blockquote':
        blocks.push({ kind: 'quote', blocks: markdownBlocks(token.tokens ?? []) });
        break;
      case 'code':
        blocks.push({ kind: 'code', text: token.text });
        break;
      case 'hr':
        blocks.push({ kind: 'rule' });
        break;
      case 'html': {
        const text = stripTags(token.text);
        if (text) blocks.push({ kind: 'paragraph', runs: [{ text }] });
        break;
      }
    }
  }
  return blocks;
}

export const runsText = (runs: InlineRun[]): string => runs.map((run) => run.text).join('');

const indentLines = (text: string, first: string, rest: string) =>
  text
    .split('\n')
    .map((line, i) => (i === 0 ? first : rest) + line)
    .join('\n');

function tableText(block: Extract<MarkdownBlock, { kind: 'table' }>): string {
  const rows = [block.header, ...block.rows].map((row) => row.map((cell) => runsText(cell).replace(/\n/g, ' ')));
  const widths = block.header.map((_, col) => Math.max(...rows.map((row) => row[col]?.length ?? 0)));
  const line = (row: string[]) =>
    row
      .map((cell, col) => (block.align[col] === 'right' ? cell.padStart(widths[col]!) : cell.padEnd(widths[col]!)))
      .join('  ')
      .trimEnd();
  return [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

/** Plain text from the same source as the HTML: lists with "- ", links as "text (url)", tables as aligned columns. */
export function blocksToText(blocks: MarkdownBlock[]): string {
  return blocks
    .map((block): string => {
      switch (block.kind) {
        case 'heading':
        case 'paragraph':
          return runsText(block.runs);
        case 'list':
          return block.items
            .map((item, i) => {
              const marker = block.ordered ? `${block.start + i}. ` : '- ';
              return indentLines(blocksToText(item), marker, ' '.repeat(marker.length));
            })
            .join('\n');
        case 'table':
          return tableText(block);
        case 'quote':
          return indentLines(blocksToText(block.blocks), '> ', '> ');
        case 'code':
          return block.text;
        case 'rule':
          return '----------';
      }
    })
    .join('\n\n');
}

export const markdownToText = (source: string): string => blocksToText(markdownBlocks(lexMarkdown(source)));

type Colors = { primary: string; accent: string; text: string };
const emailStyleCache = new Map<string, Record<string, string>>();

function emailStyles(colors: Colors): Record<string, string> {
  const key = `${colors.primary}|${colors.accent}|${colors.text}`;
  let styles = emailStyleCache.get(key);
  if (!styles) {
    const border = 'border:1px solid #d0d5dd;padding:6px 8px';
    styles = {
      p: 'margin:0 0 16px',
      h1: `margin:0 0 16px;font-size:24px;line-height:1.25;color:${colors.primary}`,
      h2: `margin:0 0 12px;font-size:20px;color:${colors.primary}`,
      h3: `margin:0 0 12px;font-size:17px;color:${colors.primary}`,
      a: `color:${colors.accent}`,
      table: 'border-collapse:collapse;width:100%;margin:0 0 16px',
      th: `${border};background:#f2f4f7;text-align:left`,
      td: border,
      ul: 'margin:0 0 16px;padding-left:24px',
      ol: 'margin:0 0 16px;padding-left:24px',
      blockquote: `margin:0 0 16px;padding-left:12px;border-left:3px solid ${colors.accent}`,
      hr: 'border:none;border-top:1px solid #d0d5dd;margin:16px 0',
      code: 'font-family:Menlo,Consolas,monospace',
    };
    if (emailStyleCache.size > 1000) emailStyleCache.clear();
    emailStyleCache.set(key, styles);
  }
  return styles;
}

/** Email clients drop <style> blocks unevenly; content inserted after MJML's inlining gets its styles here. */
export function styleEmailHtml(html: string, colors: Colors): string {
  const styles = emailStyles(colors);
  return html.replace(
    /<(p|h[1-3]|a|table|th|td|ul|ol|blockquote|hr|code)(?=[\s>/])/g,
    (tag, name: string) => `${tag} style="${styles[name]}"`,
  );
}
