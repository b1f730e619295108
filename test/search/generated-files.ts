import { createRequire } from 'node:module';
import { GlobalFonts, createCanvas } from '@napi-rs/canvas';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import PDFDocument from 'pdfkit';
import { ZipFile } from 'yazl';

/** Files of every format the extractor reads, made by the tests themselves. */

const require = createRequire(import.meta.url);
// A font the project ships, so pictures of text look the same on every machine.
GlobalFonts.registerFromPath(
  require.resolve('@expo-google-fonts/noto-sans/400Regular/NotoSans_400Regular.ttf'),
  'Test Sans',
);

const collect = (stream: NodeJS.ReadableStream) =>
  new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });

/** A PDF with these lines as real text, one page each for every entry of `pages`. */
export async function textPdf(...pages: string[][]) {
  const document = new PDFDocument({ size: 'A4', autoFirstPage: false });
  const bytes = collect(document);
  for (const lines of pages) {
    document.addPage();
    document.fontSize(14);
    for (const line of lines) document.text(line);
  }
  document.end();
  return bytes;
}

/** A PNG of printed lines, as a scanner or a phone camera would deliver them (black on white, 48 px). */
export async function textPng(lines: string[]) {
  const canvas = createCanvas(1400, 120 + lines.length * 90);
  const context = canvas.getContext('2d');
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.fillStyle = '#000000';
  context.font = '48px "Test Sans"';
  lines.forEach((line, index) => context.fillText(line, 60, 100 + index * 90));
  return canvas.encode('png');
}

/** A PDF that holds only a picture of the lines, like a scanned letter: no text to read without OCR. */
export async function scannedPdf(lines: string[]) {
  const picture = await textPng(lines);
  const document = new PDFDocument({ size: 'A4', margin: 0 });
  const bytes = collect(document);
  document.image(picture, 40, 40, { width: 515 });
  document.end();
  return bytes;
}

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A Word document (the smallest valid OOXML package) with one paragraph per entry. */
export async function docx(paragraphs: string[]) {
  const zip = new ZipFile();
  zip.addBuffer(
    Buffer.from(
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
        '<Default Extension="xml" ContentType="application/xml"/>' +
        '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>' +
        '</Types>',
    ),
    '[Content_Types].xml',
  );
  zip.addBuffer(
    Buffer.from(
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>' +
        '</Relationships>',
    ),
    '_rels/.rels',
  );
  const body = paragraphs.map((text) => `<w:p><w:r><w:t xml:space="preserve">${escapeXml(text)}</w:t></w:r></w:p>`);
  zip.addBuffer(
    Buffer.from(
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">' +
        `<w:body>${body.join('')}</w:body></w:document>`,
    ),
    'word/document.xml',
  );
  zip.end();
  return collect(zip.outputStream);
}

/** An email as a mail client saves it (.eml), with optional attachments. */
export function eml(options: {
  from: string;
  to: string;
  subject: string;
  text?: string;
  html?: string;
  attachments?: { filename: string; content: Buffer; contentType: string }[];
}) {
  return new MailComposer({ ...options, date: new Date('2026-03-02T09:00:00Z') }).compile().build();
}
