import { convert as htmlToText } from 'html-to-text';
import { marked } from 'marked';
import PostalMime from 'postal-mime';
import { AppError } from '../../shared/errors.js';
import { recognizeText } from './ocr.js';
import { decodeImage, drawPage, openPdf } from './raster.js';

/** How a text was found: read from the file, recognized on its pictures, or none at all. */
export type ExtractionMethod = 'text' | 'ocr' | 'none';
export type ExtractedText = { text: string; method: ExtractionMethod };

/** The most text kept of one file: enough for any real document, bounded for the index. */
export const MAX_TEXT_CHARS = 1_000_000;
/** Pages of one PDF read by OCR at most: a page costs about a second. */
export const MAX_OCR_PAGES = 50;
/** Emails inside emails are read this deep. */
const MAX_EMAIL_DEPTH = 3;

type Format = 'pdf' | 'docx' | 'html' | 'markdown' | 'text' | 'email' | 'image';

const byMediaType: Record<string, Format> = {
  'application/pdf': 'pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'text/html': 'html',
  'application/xhtml+xml': 'html',
  'text/markdown': 'markdown',
  'text/x-markdown': 'markdown',
  'message/rfc822': 'email',
  'image/png': 'image',
  'image/jpeg': 'image',
  'image/gif': 'image',
  'image/webp': 'image',
  'image/bmp': 'image',
  'application/json': 'text',
  'application/xml': 'text',
};

const byExtension: Record<string, Format> = {
  pdf: 'pdf',
  docx: 'docx',
  html: 'html',
  htm: 'html',
  xhtml: 'html',
  md: 'markdown',
  markdown: 'markdown',
  txt: 'text',
  text: 'text',
  csv: 'text',
  log: 'text',
  json: 'text',
  xml: 'text',
  eml: 'email',
  png: 'image',
  jpg: 'image',
  jpeg: 'image',
  gif: 'image',
  webp: 'image',
  bmp: 'image',
};

const startsWith = (bytes: Buffer, signature: number[]) => signature.every((byte, index) => bytes[index] === byte);

/** The format by the declared type, else the file name, else the first bytes (uploads often say octet-stream). */
export function formatOf(bytes: Buffer, mediaType: string, filename: string): Format | null {
  const type = mediaType.split(';')[0]!.trim().toLowerCase();
  const declared = byMediaType[type];
  if (declared) return declared;
  if (type.startsWith('text/') && type !== 'text/rtf') return 'text';
  const extension = filename.toLowerCase().match(/\.([a-z0-9]+)$/)?.[1];
  if (extension && byExtension[extension]) return byExtension[extension];
  if (bytes.subarray(0, 5).toString('latin1') === '%PDF-') return 'pdf';
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47]) || startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image';
  return null;
}

/** UTF-8 when the bytes are valid UTF-8, else Windows-1252 (what older tools write). */
function decodeText(bytes: Buffer) {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

/**
 * Text as it is stored and indexed: no characters a database column refuses (NUL, lone surrogates)
 * or that only draw (other controls), trailing spaces and runs of blank lines gone, bounded.
 */
export function tidyText(text: string) {
  return (
    text
      // Cut first: a cut through a surrogate pair leaves a lone half, which the next step removes.
      .slice(0, MAX_TEXT_CHARS)
      .replace(/\r\n?/g, '\n')
      .replace(/(?![\n\t])[\p{Cc}\p{Cs}]/gu, '')
      .replace(/[ \t\u00a0]+\n/g, '\n')
      .replace(/\n{3,}/g, '\n\n')
      .trim()
  );
}

const htmlText = (html: string) =>
  htmlToText(html, {
    wordwrap: false,
    selectors: [
      { selector: 'a', options: { ignoreHref: true } },
      { selector: 'img', format: 'skip' },
    ],
  });

/** The text of a PDF's pages; a page without any (a scan) is drawn and read by OCR. */
async function pdfText(bytes: Buffer): Promise<ExtractedText> {
  const document = await openPdf(bytes);
  try {
    const pages: string[] = [];
    let recognized = 0;
    for (let number = 1; number <= document.numPages; number++) {
      const page = await document.getPage(number);
      const content = await page.getTextContent();
      let text = content.items.map((item) => ('str' in item ? item.str + (item.hasEOL ? '\n' : '') : '')).join('');
      if (!text.trim() && recognized < MAX_OCR_PAGES) {
        recognized++;
        text = await recognizeText(await drawPage(page));
      }
      page.cleanup();
      pages.push(text);
    }
    const text = pages.join('\n\n');
    return { text, method: recognized > 0 && text.trim() ? 'ocr' : 'text' };
  } finally {
    await document.destroy();
  }
}

/** An email as a reader finds it: who wrote to whom, when, the subject, the body and its attachments' text. */
async function emailText(bytes: Buffer, depth: number): Promise<ExtractedText> {
  const email = await PostalMime.parse(bytes, { attachmentEncoding: 'arraybuffer' });
  const address = (person: { name?: string; address?: string } | undefined) =>
    person ? [person.name, person.address && `<${person.address}>`].filter(Boolean).join(' ') : '';
  const heading = [
    email.subject && `Subject: ${email.subject}`,
    email.from && `From: ${address(email.from)}`,
    email.to?.length && `To: ${email.to.map(address).join(', ')}`,
    email.date && `Date: ${email.date}`,
  ].filter(Boolean);
  const body = email.text?.trim() ? email.text : email.html ? htmlText(email.html) : '';
  const parts = [heading.join('\n'), body];
  let recognized = false;
  for (const attachment of email.attachments) {
    const content = Buffer.from(attachment.content as ArrayBuffer);
    const found = await extractFrom(content, attachment.mimeType, attachment.filename ?? '', depth + 1).catch(
      () => null,
    );
    if (!found?.text) continue;
    recognized ||= found.method === 'ocr';
    parts.push(`${attachment.filename ?? 'Attachment'}:\n${found.text}`);
  }
  return { text: parts.join('\n\n'), method: recognized ? 'ocr' : 'text' };
}

async function extractFrom(bytes: Buffer, mediaType: string, filename: string, depth: number): Promise<ExtractedText> {
  const format = formatOf(bytes, mediaType, filename);
  switch (format) {
    case 'pdf':
      return pdfText(bytes);
    case 'docx':
      // mammoth loads with the first Word file: most processes read none.
      return {
        text: (await (await import('mammoth')).default.extractRawText({ buffer: bytes })).value,
        method: 'text',
      };
    case 'html':
      return { text: htmlText(decodeText(bytes)), method: 'text' };
    case 'markdown':
      return { text: htmlText(await marked.parse(decodeText(bytes))), method: 'text' };
    case 'text':
      return { text: decodeText(bytes), method: 'text' };
    case 'email':
      return depth < MAX_EMAIL_DEPTH ? emailText(bytes, depth) : { text: '', method: 'none' };
    case 'image':
      return { text: await recognizeText(await decodeImage(bytes)), method: 'ocr' };
    case null:
      return { text: '', method: 'none' };
  }
}

/**
 * The text of a file, by its format: PDF (pages without text by OCR), DOCX, HTML, Markdown, plain
 * text, email (.eml, attachments included) and pictures (OCR). Other formats have none. A file that
 * claims a format but cannot be read as it is refused with `document.unreadable`.
 */
export async function extractText(bytes: Buffer, mediaType: string, filename: string): Promise<ExtractedText> {
  let found: ExtractedText;
  try {
    found = await extractFrom(bytes, mediaType, filename, 0);
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError('bad_request', 'document.unreadable', `The file cannot be read: ${(error as Error).message}.`);
  }
  const text = tidyText(found.text);
  return { text, method: text ? found.method : 'none' };
}
