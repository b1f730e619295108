import { describe, expect, it } from 'vitest';
import { compileTemplate, renderLetter } from '../../src/rendering/index.js';
import { readScan } from '../../src/scans/scan-reading.js';
import { context, fragments, tariffLetter } from '../rendering/fixtures.js';
import { letterPage, scannedReply } from './paper.js';

// A fixed letter and code, so the picture OCR reads is the same on every run.
const CODE = 'TDG-RZWBD-44AHC';

describe('reading a scan', () => {
  it('reads the printed reference from a sheet fed upside down, the QR code torn off', async () => {
    const template = await compileTemplate({ letter: { body: tariffLetter } }, fragments);
    const { pdf } = await renderLetter(template, context(), { reference: CODE });
    const png = await scannedReply(await letterPage(pdf), {
      withoutQr: true,
      upsideDown: true,
      skewDegrees: -1,
      handwriting: 'Wrong meter number!',
    });
    const asked: string[][] = [];
    const reading = await readScan(png, 'image/png', async (codes) => {
      asked.push(codes);
      return codes.includes(CODE);
    });
    expect(reading).toMatchObject({ method: 'text', pages: 1 });
    expect(reading.references[0]).toBe(CODE);
    expect(asked.at(-1)).toContain(CODE);
  }, 120_000);

  it('finds the QR code at once, asking OCR nothing', async () => {
    const template = await compileTemplate({ letter: { body: tariffLetter } }, fragments);
    const { pdf } = await renderLetter(template, context(), { reference: CODE });
    const reading = await readScan(pdf, 'application/pdf', async (codes) => codes.includes(CODE));
    expect(reading).toEqual({ references: [CODE], method: 'qr', text: null, pages: 1 });
  });
});
