import zlib from 'node:zlib';
import { getDocument, OPS } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { Brand, RenderContext } from '../../src/rendering/index.js';

const pngChunk = (type: string, data: Buffer) => {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(body));
  return Buffer.concat([length, body, crc]);
};

function png(width: number, height: number, colorType: number, pixel: number[], extra: Buffer[] = []): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, colorType, 0, 0, 0], 8);
  const row = Buffer.from([0, ...Array.from({ length: width }, () => pixel).flat()]);
  const pixels = zlib.deflateSync(Buffer.concat(Array.from({ length: height }, () => row)));
  const signature = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]);
  return Buffer.concat([
    signature,
    pngChunk('IHDR', header),
    ...extra,
    pngChunk('IDAT', pixels),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A one-colour RGBA PNG, so the letterhead has a real image to place. */
export const solidPng = (width: number, height: number, [r, g, b]: [number, number, number], alpha = 255) =>
  png(width, height, 6, [r, g, b, alpha]);

/** The same as a palette PNG with a transparency entry, as optimizers write logos. */
export const palettePng = (width: number, height: number, [r, g, b]: [number, number, number], alpha: number) =>
  png(width, height, 3, [0], [pngChunk('PLTE', Buffer.from([r, g, b])), pngChunk('tRNS', Buffer.from([alpha]))]);

export const brand: Brand = {
  companyName: 'Stadtwerke Nord GmbH',
  colors: { primary: '#0b5fff', accent: '#ff6a00', text: '#1f2937' },
  font: 'Helvetica',
  senders: {
    emailFrom: 'service@stadtwerke.example',
    emailName: 'Stadtwerke Nord',
    smsSender: 'SWNord',
    faxNumber: '+49 40 1234-99',
  },
  returnAddress: { lines: ['Hafenstraße 1'], postalCode: '20457', city: 'Hamburg', country: 'DE' },
  website: 'stadtwerke.example',
  legalFooter: 'Sitz Hamburg · Amtsgericht Hamburg HRB 12345 · Geschäftsführung: Erika Muster',
};

export const brandWithLogo: Brand = {
  ...brand,
  logo: { mimeType: 'image/png', data: solidPng(120, 40, [11, 95, 255]) },
};

export function context(overrides: Partial<RenderContext> = {}): RenderContext {
  return {
    customer: {
      name: 'Anna Müller',
      givenName: 'Anna',
      familyName: 'Müller',
      emails: ['anna@example.com'],
      phones: ['+4915123456789'],
      address: { lines: ['Lindenweg 5'], postalCode: '10115', city: 'Berlin', country: 'DE' },
      language: 'de',
      timeZone: 'Europe/Berlin',
      attributes: { tariff: 'plus' },
    },
    brand,
    data: {
      amount: 1234.5,
      effective: '2027-01-01',
      items: Array.from({ length: 10 }, (_, i) => ({ name: `Position ${i + 1}`, amount: 10 * (i + 1) })),
    },
    language: 'de',
    timeZone: 'Europe/Berlin',
    now: new Date('2026-11-15T10:00:00Z'),
    ...overrides,
  };
}

/** A letter body with a heading, formatting, a list, a 10-row table from a loop and a fragment. */
export const tariffLetter = `# Ihr neuer Tarif

Hallo {{ customer.givenName }},

ab dem **{{ data.effective | date: 'long' }}** zahlen Sie {{ data.amount | money: 'EUR' }} im Jahr.

| Position | Betrag |
|---|--:|
{% for item in data.items %}| {{ item.name }} | {{ item.amount | money: 'EUR' }} |
{% endfor %}
- Grundpreis bleibt gleich
- *Arbeitspreis* sinkt

{% fragment 'legal-disclosure' %}

Mit freundlichen Grüßen`;

export const fragments = {
  'legal-disclosure': 'Sie können bis zum {{ data.effective | date: "long" }} **widersprechen**.',
};

export type PdfImage = { width: number; height: number; channels: number; firstPixel: number[] };
export type PdfPage = {
  text: string;
  runs: { text: string; size: number }[];
  fillColors: string[];
  strokeColors: string[];
  images: PdfImage[];
};

/** Reads a PDF back as a reader would: text per page, and the colours and images it paints with. */
export async function readPdf(pdf: Buffer): Promise<PdfPage[]> {
  const doc = await getDocument({ data: new Uint8Array(pdf), verbosity: 0, isEvalSupported: false }).promise;
  const pages: PdfPage[] = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const page = await doc.getPage(n);
    const content = await page.getTextContent();
    const operators = await page.getOperatorList();
    const result: PdfPage = { text: '', runs: [], fillColors: [], strokeColors: [], images: [] };
    for (const item of content.items) {
      if (!('str' in item)) continue;
      result.text += item.str + (item.hasEOL ? '\n' : '');
      result.runs.push({
        text: item.str,
        size: Math.round(Math.hypot(item.transform[2], item.transform[3]) * 10) / 10,
      });
    }
    for (const [i, fn] of operators.fnArray.entries()) {
      const args = operators.argsArray[i] as unknown[];
      if (fn === OPS.setFillRGBColor) result.fillColors.push(String(args[0]));
      if (fn === OPS.setStrokeRGBColor) result.strokeColors.push(String(args[0]));
      if (fn === OPS.paintImageXObject) {
        const image = await new Promise<{ width: number; height: number; kind: number; data: Uint8ClampedArray }>(
          (resolve) => page.objs.get(String(args[0]), resolve),
        );
        const channels = image.data.length / (image.width * image.height);
        result.images.push({
          width: image.width,
          height: image.height,
          channels,
          firstPixel: Array.from(image.data.subarray(0, channels)),
        });
      }
    }
    pages.push(result);
  }
  await doc.destroy();
  return pages;
}

/** Intl writes no-break spaces ("1.234,50 €"); tests compare words, not space characters. */
export const normalizeSpaces = (text: string) => text.replace(/[\s\u00a0\u202f]+/g, ' ');
