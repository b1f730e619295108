import { afterAll, describe, expect, it } from 'vitest';
import { extractText, MAX_TEXT_CHARS } from '../../src/documents/text/extract.js';
import { recognizeText, stopOcr } from '../../src/documents/text/ocr.js';
import { decodeImage, rasterizePdf } from '../../src/documents/text/raster.js';
import { AppError } from '../../src/shared/errors.js';
import { docx, eml, scannedPdf, textPdf, textPng } from '../search/generated-files.js';

afterAll(() => stopOcr());

/** Words as OCR and extraction give them back, so line breaks and case do not matter. */
const words = (text: string) => text.toLowerCase().split(/\W+/).filter(Boolean);

describe('text extraction', () => {
  it('reads the text of every page of a PDF', async () => {
    const pdf = await textPdf(['Supply contract for Harbour Street'], ['Termination notice period: three months']);
    const found = await extractText(pdf, 'application/pdf', 'contract.pdf');
    expect(found.method).toBe('text');
    expect(found.text).toContain('Supply contract for Harbour Street');
    expect(found.text).toContain('Termination notice period: three months');
  });

  it('reads a Word document', async () => {
    const bytes = await docx(['Minutes of the board meeting', 'The tariff rises by four percent.']);
    const found = await extractText(
      bytes,
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      'minutes.docx',
    );
    expect(found).toEqual({
      text: 'Minutes of the board meeting\n\nThe tariff rises by four percent.',
      method: 'text',
    });
  });

  it('reads HTML without its markup, scripts or styles', async () => {
    const html = Buffer.from(
      '<html><head><style>p{color:red}</style><script>var hidden = "scriptword";</script></head>' +
        '<body><h1>Price list</h1><p>Night tariff <b>cheaper</b> &amp; greener</p></body></html>',
    );
    const found = await extractText(html, 'text/html', 'prices.html');
    expect(found.text).toContain('Night tariff cheaper & greener');
    expect(found.text).not.toContain('scriptword');
    expect(found.text).not.toContain('color');
    expect(found.text).not.toContain('<');
  });

  it('reads Markdown as text, plain text in UTF-8 or Windows-1252', async () => {
    const markdown = await extractText(
      Buffer.from('# Heading\n\nSome **bold** words and a [link](https://x.test).'),
      'text/markdown',
      'a.md',
    );
    expect(markdown.text).toContain('Some bold words and a link');
    expect(markdown.text).not.toContain('**');
    expect(markdown.text).not.toContain('https://x.test');

    expect((await extractText(Buffer.from('Grüße aus Köln'), 'text/plain', 'a.txt')).text).toBe('Grüße aus Köln');
    const legacy = Buffer.from([0x47, 0x72, 0xfc, 0xdf, 0x65]); // "Grüße" as Windows-1252
    expect((await extractText(legacy, 'text/plain', 'old.txt')).text).toBe('Grüße');
  });

  it('recognizes the format by file name or content when the type says only octet-stream', async () => {
    const pdf = await textPdf(['Sniffed by its first bytes']);
    expect((await extractText(pdf, 'application/octet-stream', 'upload')).text).toContain('Sniffed by its first bytes');
    expect((await extractText(Buffer.from('plain words'), 'application/octet-stream', 'notes.txt')).text).toBe(
      'plain words',
    );
  });

  it('reads an email with its headers, body and the text of its attachments', async () => {
    const attachment = await textPdf(['Attached meter reading 81422']);
    const bytes = await eml({
      from: 'Ada Lovelace <ada@example.test>',
      to: 'service@tidings.test',
      subject: 'My complaint about the bill',
      html: '<p>The bill for <b>March</b> is wrong.</p>',
      attachments: [{ filename: 'reading.pdf', content: attachment, contentType: 'application/pdf' }],
    });
    const found = await extractText(bytes, 'message/rfc822', 'complaint.eml');
    expect(found.method).toBe('text');
    expect(found.text).toContain('Subject: My complaint about the bill');
    expect(found.text).toContain('ada@example.test');
    expect(found.text).toContain('The bill for March is wrong.');
    expect(found.text).toContain('Attached meter reading 81422');
  });

  it('recognizes the printed text of a picture', async () => {
    const png = await textPng(['Meter reading zephyrine', 'Invoice number 4711']);
    const found = await extractText(png, 'image/png', 'scan.png');
    expect(found.method).toBe('ocr');
    expect(words(found.text)).toEqual(['meter', 'reading', 'zephyrine', 'invoice', 'number', '4711']);
  });

  it('fails a recognition stopped half-way, and reads the next one with a new worker', async () => {
    const png = await textPng(['Meter reading zephyrine', 'Invoice number 4711']);
    await recognizeText(png);
    const stopped = recognizeText(png);
    // Stopped once that recognition has begun, as when the app closes while a job reads a scan.
    await new Promise((resolve) => setImmediate(resolve));
    await stopOcr();
    await expect(stopped).rejects.toThrow('stopped before it finished');
    expect(words(await recognizeText(png))).toEqual(['meter', 'reading', 'zephyrine', 'invoice', 'number', '4711']);
  });

  it('reads an image-only PDF page by page with OCR', async () => {
    const pdf = await scannedPdf(['Customer reply quokka', 'Reference ABC123']);
    const found = await extractText(pdf, 'application/pdf', 'scan.pdf');
    expect(found.method).toBe('ocr');
    expect(words(found.text)).toEqual(expect.arrayContaining(['customer', 'reply', 'quokka', 'reference', 'abc123']));
  });

  it('finds no text in formats it does not read, and refuses a file that is not what it claims', async () => {
    expect(await extractText(Buffer.from([1, 2, 3, 4]), 'application/zip', 'archive.zip')).toEqual({
      text: '',
      method: 'none',
    });
    await expect(extractText(Buffer.from('not a pdf at all'), 'application/pdf', 'broken.pdf')).rejects.toThrow(
      AppError,
    );
  });

  it('keeps at most the bounded length and drops characters no column holds', async () => {
    const found = await extractText(
      Buffer.from(`a\u0000b ${'x'.repeat(MAX_TEXT_CHARS + 10)}`),
      'text/plain',
      'big.txt',
    );
    expect(found.text.startsWith('ab x')).toBe(true);
    expect(found.text).toHaveLength(MAX_TEXT_CHARS - 1);
    const cutPair = await extractText(Buffer.from(`${'x'.repeat(MAX_TEXT_CHARS - 1)}😀`), 'text/plain', 'emoji.txt');
    expect(cutPair.text).toBe('x'.repeat(MAX_TEXT_CHARS - 1));
  });
});

describe('rasterizing and OCR', () => {
  it('draws each PDF page as pixels at the asked scale, and at most maxPages', async () => {
    const pdf = await textPdf(['one'], ['two'], ['three']);
    const pages = await rasterizePdf(pdf, { scale: 1, maxPages: 2 });
    expect(pages).toHaveLength(2);
    // A4 is 595.28 × 841.89 points, rounded up to whole pixels.
    expect([pages[0]!.width, pages[0]!.height]).toEqual([596, 842]);
    expect(pages[0]!.rgba).toHaveLength(596 * 842 * 4);
    const dark = pages[0]!.rgba.filter((value, index) => index % 4 === 0 && value < 128).length;
    expect(dark).toBeGreaterThan(0);
    const again = await decodeImage(await pages[0]!.png());
    expect([again.width, again.height]).toEqual([596, 842]);
  });

  it('reads text from a rasterized page as well as from image bytes', async () => {
    const [page] = await rasterizePdf(await scannedPdf(['Walrus tariff']));
    expect(words(await recognizeText(page!))).toEqual(['walrus', 'tariff']);
  });

  it('refuses bytes that are no picture', async () => {
    await expect(decodeImage(Buffer.from('no picture'))).rejects.toThrow(AppError);
  });
});
