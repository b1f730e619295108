import { describe, expect, it } from 'vitest';
import { compileTemplate, renderFax, renderLetter, RenderError } from '../../src/rendering/index.js';
import {
  brandWithLogo,
  context,
  fragments,
  normalizeSpaces,
  palettePng,
  readPdf,
  solidPng,
  tariffLetter,
} from './fixtures.js';

const letterTemplate = () =>
  compileTemplate({ letter: { body: tariffLetter }, fax: { body: tariffLetter } }, fragments);

/** About three A4 pages of prose after the letterhead. */
const longBody = [
  '# Änderung Ihrer Vertragsbedingungen',
  ...Array.from(
    { length: 24 },
    (_, i) =>
      `Absatz ${i + 1}: ${'Wir passen die Bedingungen Ihres Vertrags an die gesetzlichen Vorgaben an. '.repeat(4)}`,
  ),
  'Letzter Absatz.',
].join('\n\n');

const isGrey = (hex: string) => hex.slice(1, 3) === hex.slice(3, 5) && hex.slice(3, 5) === hex.slice(5, 7);

describe('letters', () => {
  it('prints the recipient in the window, the date, the body and every table cell', async () => {
    const { pdf, pages } = await renderLetter(await letterTemplate(), context());
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const [page] = await readPdf(pdf);
    const text = normalizeSpaces(page!.text);
    expect(pages).toBe(1);
    for (const expected of [
      'Anna Müller',
      'Lindenweg 5',
      '10115 Berlin',
      'Stadtwerke Nord GmbH · Hafenstraße 1 · 20457 Hamburg',
      '15. November 2026',
    ]) {
      expect(text).toContain(expected);
    }
    expect(text).toContain('Ihr neuer Tarif');
    expect(text).toContain('1. Januar 2027');
    expect(text).toContain('1.234,50 € im Jahr');
    for (let i = 1; i <= 10; i++) expect(text).toContain(`Position ${i}`);
    expect(text).toContain('100,00 €');
    expect(text).toContain('Grundpreis bleibt gleich');
    expect(text).toContain('widersprechen');
    expect(text).toContain('Seite 1 von 1');
    expect(text).toContain('Amtsgericht Hamburg HRB 12345');
  });

  it('flows a long body over three pages and numbers every page in the reader’s language', async () => {
    const template = await compileTemplate({ letter: { body: longBody } }, {});
    const { pdf, pages } = await renderLetter(template, context({ language: 'en-GB' }));
    const read = await readPdf(pdf);
    expect(pages).toBe(3);
    expect(read).toHaveLength(3);
    read.forEach((page, i) => expect(normalizeSpaces(page.text)).toContain(`Page ${i + 1} of 3`));
    expect(normalizeSpaces(read[2]!.text)).toContain('Letzter Absatz.');
    const german = await renderLetter(template, context());
    expect(normalizeSpaces((await readPdf(german.pdf))[2]!.text)).toContain('Seite 3 von 3');
  });

  it('repeats the table header when the rows carry over to the next page', async () => {
    const rows = Array.from({ length: 70 }, (_, i) => `| Zähler ${i + 1} | ${i + 1} kWh |`).join('\n');
    const template = await compileTemplate(
      { letter: { body: `Ihre Zählerstände:\n\n| Zähler | Verbrauch |\n|---|--:|\n${rows}` } },
      {},
    );
    const { pdf, pages } = await renderLetter(template, context());
    const read = await readPdf(pdf);
    expect(pages).toBeGreaterThan(1);
    expect(read[1]!.text).toContain('Verbrauch');
    expect(normalizeSpaces(read.map((page) => page.text).join(' '))).toContain('Zähler 70');
  });

  it('takes the recipient given by the caller over the customer’s address and writes the country abroad', async () => {
    const template = await letterTemplate();
    const recipient = {
      name: 'Jean Dupont',
      lines: ['12 rue de la Paix'],
      postalCode: '75002',
      city: 'Paris',
      country: 'FR',
    };
    const [page] = await readPdf((await renderLetter(template, context(), { recipient })).pdf);
    expect(normalizeSpaces(page!.text)).toContain('75002 Paris');
    expect(page!.text).toContain('FRANCE');
    expect(page!.text).not.toContain('Lindenweg');
  });

  it('places the brand logo and colours on a letter', async () => {
    const [page] = await readPdf((await renderLetter(await letterTemplate(), context({ brand: brandWithLogo }))).pdf);
    expect(page!.images).toEqual([{ width: 120, height: 40, channels: 3, firstPixel: [11, 95, 255] }]);
    expect(page!.fillColors).toContain('#0b5fff');
  });

  it.each([
    ['an RGBA', solidPng(30, 10, [200, 30, 40], 128)],
    ['a palette', palettePng(30, 10, [200, 30, 40], 128)],
  ])('keeps the colour and transparency of %s PNG logo', async (_, data) => {
    const brand = { ...brandWithLogo, logo: { mimeType: 'image/png' as const, data } };
    const [page] = await readPdf((await renderLetter(await letterTemplate(), context({ brand }))).pdf);
    expect(page!.images).toEqual([{ width: 30, height: 10, channels: 4, firstPixel: [200, 30, 40, 128] }]);
  });

  it('writes the same bytes for the same input', async () => {
    const template = await letterTemplate();
    const first = await renderLetter(template, context());
    const second = await renderLetter(template, context());
    expect(first.pdf.equals(second.pdf)).toBe(true);
  });

  it('refuses a letter for a customer without a postal address', async () => {
    const ctx = context();
    const error = await renderLetter(await letterTemplate(), {
      ...ctx,
      customer: { ...ctx.customer, address: null },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RenderError);
    expect(error).toMatchObject({ field: 'letter.recipient' });
  });
});

describe('faxes', () => {
  it('prints the same content in black only, without the logo or tinted backgrounds', async () => {
    const { pdf, pages } = await renderFax(await letterTemplate(), context({ brand: brandWithLogo }), {
      recipientFaxNumber: '+49 30 5550100',
    });
    const read = await readPdf(pdf);
    expect(read).toHaveLength(pages);
    const text = normalizeSpaces(read.map((page) => page.text).join(' '));
    for (const expected of [
      'Anna Müller',
      'Fax +49 30 5550100',
      'Stadtwerke Nord GmbH',
      'Position 10',
      '100,00 €',
      `Seite ${pages} von ${pages}`,
    ]) {
      expect(text).toContain(expected);
    }
    const colors = read.flatMap((page) => [...page.fillColors, ...page.strokeColors]);
    expect(colors.length).toBeGreaterThan(0);
    expect(colors.filter((color) => !isGrey(color))).toEqual([]);
    expect(colors.filter((color) => color !== '#000000')).toEqual([]);
    expect(read.flatMap((page) => page.images)).toEqual([]);
  });

  it('sets the body in larger type than the letter', async () => {
    const template = await compileTemplate({ letter: { body: longBody }, fax: { body: longBody } }, {});
    const bodySize = async (pdf: Buffer) =>
      (await readPdf(pdf))[0]!.runs.find((run) => run.text.startsWith('Absatz 1:'))!.size;
    expect(await bodySize((await renderLetter(template, context())).pdf)).toBe(10.5);
    expect(await bodySize((await renderFax(template, context())).pdf)).toBe(12);
  });
});
