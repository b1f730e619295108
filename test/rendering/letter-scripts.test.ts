import fs from 'node:fs';
import { createRequire } from 'node:module';
import * as fontkit from 'fontkit';
import { describe, expect, it } from 'vitest';
import { TrueTypeSource } from '../../src/rendering/font-subset.js';
import {
  compileTemplate,
  renderFax,
  renderLetter,
  RenderError,
  type Brand,
  type PostalAddress,
} from '../../src/rendering/index.js';
import { brand, context } from './fixtures.js';
import { pdfFonts, pdfTextLines } from './poppler.js';

const body = [
  '# {{ data.heading }}',
  'Sehr geehrte Kundin, sehr geehrter Kunde {{ customer.name }},',
  '**{{ data.bold }}** und *{{ data.italic }}*, Zählernummer `{{ data.code }}`.',
  '| Name | Ort |\n|---|---|\n| {{ customer.name }} | {{ customer.address.city }} |',
].join('\n\n');

const letterTemplate = () => compileTemplate({ letter: { body }, fax: { body } }, {});

type Case = { name: string; address: PostalAddress; words: { heading: string; bold: string; italic: string } };

/** Names, addresses and words as customers in each language write them. */
const customers: Record<string, Case> = {
  German: {
    name: 'Jürgen Weiß-Größer',
    address: { lines: ['Äußere Füßener Straße 7'], postalCode: '87629', city: 'Füssen', country: 'DE' },
    words: { heading: 'Änderung Ihres Vertrags', bold: 'Grundgebühr', italic: 'Übergangsfrist' },
  },
  Turkish: {
    name: 'Mehmet Yılmaz Çağlayan',
    address: { lines: ['İstiklal Caddesi No: 12', 'Şişli'], postalCode: '34433', city: 'İstanbul', country: 'TR' },
    words: { heading: 'Sözleşme değişikliği', bold: 'Işık', italic: 'ığüşöç İĞÜŞÖÇ' },
  },
  Vietnamese: {
    name: 'Nguyễn Thị Minh Khai',
    address: {
      lines: ['Đường Lê Lợi 12', 'Phường Bến Thành'],
      postalCode: '700000',
      city: 'Hồ Chí Minh',
      country: 'VN',
    },
    words: { heading: 'Thay đổi hợp đồng', bold: 'Phường Bến Nghé', italic: 'ưởng ặ ữ ỹ ậ' },
  },
  Polish: {
    name: 'Łukasz Wałęsa-Źróbek',
    address: { lines: ['ul. Żółkiewskiego 15/3'], postalCode: '90-001', city: 'Łódź', country: 'PL' },
    words: { heading: 'Zmiana umowy', bold: 'Zażółć gęślą jaźń', italic: 'ĄĆĘŁŃÓŚŹŻ' },
  },
  Greek: {
    name: 'Γιώργος Παπαδόπουλος',
    address: { lines: ['Οδός Ερμού 12'], postalCode: '105 63', city: 'Αθήνα', country: 'GR' },
    words: { heading: 'Αλλαγή σύμβασης', bold: 'Ξεσκεπάζω τὴν ψυχοφθόρα βδελυγμία', italic: 'ΐΰϊϋάέήίόύώ' },
  },
  Cyrillic: {
    name: 'Иван Петров',
    address: { lines: ['ул. Тверская, д. 7, кв. 12'], postalCode: '125009', city: 'Москва', country: 'RU' },
    words: {
      heading: 'Изменение договора',
      bold: 'Съешь ещё булок',
      italic: 'Ґанна Їжак, Ўладзімір',
    },
  },
};

function customerContext({ name, address, words }: Case, font: Brand['font'] = 'Helvetica') {
  const ctx = context({ brand: { ...brand, font } });
  return {
    ...ctx,
    customer: { ...ctx.customer, name, address },
    data: { ...ctx.data, ...words, code: `${address.postalCode} ${address.city}` },
  };
}

/** The window's lines as printed for a German sender: the address lines, "postal code city", the country abroad. */
const windowLines = ({ name, address }: Case) => [name, ...address.lines, `${address.postalCode} ${address.city}`];

async function expectEmbeddedAndExact(pdf: Buffer, expected: string[]) {
  const fonts = await pdfFonts(pdf);
  expect(fonts.length).toBeGreaterThan(0);
  for (const font of fonts) expect(font).toMatchObject({ embedded: true, subset: true, unicode: true });
  const lines = await pdfTextLines(pdf);
  for (const line of expected) expect(lines).toContain(line);
  return { fonts, lines };
}

describe('letters print every character of the customer’s data', () => {
  it.each(Object.entries(customers))(
    'prints a %s name, address and text with embedded fonts, extracted exactly',
    async (_, person) => {
      const { pdf } = await renderLetter(await letterTemplate(), customerContext(person));
      const { fonts, lines } = await expectEmbeddedAndExact(pdf, [
        ...windowLines(person),
        person.words.heading,
        `Sehr geehrte Kundin, sehr geehrter Kunde ${person.name},`,
        `${person.words.bold} und ${person.words.italic}, Zählernummer ${person.address.postalCode} ${person.address.city}.`,
      ]);
      expect(fonts.map((font) => font.name.split('+')[1])).toEqual(
        expect.arrayContaining(['NotoSans-Regular', 'NotoSans-Bold', 'NotoSans-Italic', 'NotoSansMono-Regular']),
      );
      expect(lines.join('\n')).not.toContain('?');
    },
  );

  it('prints the same in a fax, and in the serif and typewriter faces of the brand kit', async () => {
    const person = customers.Turkish!;
    const template = await letterTemplate();
    const fax = await renderFax(template, customerContext(person), { recipientFaxNumber: '+90 212 555 01 00' });
    await expectEmbeddedAndExact(fax.pdf, [
      ...windowLines(person),
      'Fax +90 212 555 01 00',
      person.words.bold + ' und ' + person.words.italic + ', Zählernummer 34433 İstanbul.',
    ]);
    for (const [face, regular] of [
      ['Times-Roman', 'NotoSerif-Regular'],
      ['Courier', 'NotoSansMono-Regular'],
    ] as const) {
      const { pdf } = await renderLetter(template, customerContext(customers.Greek!, face));
      const { fonts } = await expectEmbeddedAndExact(pdf, windowLines(customers.Greek!));
      expect(fonts.map((font) => font.name.split('+')[1])).toContain(regular);
    }
  });

  it('keeps a letter readable after an earlier one embedded its letters only as parts of accented ones', async () => {
    const template = await compileTemplate({ letter: { body: 'Code `{{ data.code }}`' } }, {});
    const ctx = customerContext(customers.German!);
    // In the typewriter face "ü" is drawn from "u" and a diaeresis: the first letter embeds "u" only as a part.
    await renderLetter(template, { ...ctx, data: { code: 'Füssen' } });
    const { pdf } = await renderLetter(template, { ...ctx, data: { code: 'Istanbul' } });
    await expectEmbeddedAndExact(pdf, ['Code Istanbul']);
  });

  it('keeps text in decomposed Unicode as the same characters', async () => {
    const person = customers.Vietnamese!;
    const decomposed = { ...person, name: person.name.normalize('NFD') };
    expect(decomposed.name).not.toBe(person.name);
    const { pdf } = await renderLetter(await letterTemplate(), customerContext(decomposed));
    await expectEmbeddedAndExact(pdf, [person.name]);
  });
});

describe('letters refuse what their font cannot print', () => {
  const refusal = async (ctx: ReturnType<typeof customerContext>) => {
    const error = await renderLetter(await letterTemplate(), ctx).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RenderError);
    return error as RenderError;
  };

  it('refuses a recipient whose name is in Arabic script, saying so', async () => {
    const error = await refusal(
      customerContext({
        ...customers.German!,
        name: 'محمد العلي',
      }),
    );
    expect(error.field).toBe('letter.recipient');
    expect(error.message).toBe(
      `the letter font cannot print Arabic script ("م", U+0645) in the recipient's name and address: "محمد العلي"`,
    );
  });

  it('refuses Hebrew in the body and a character of no covered script, naming where', async () => {
    const hebrew = await refusal(
      customerContext({ ...customers.German!, words: { ...customers.German!.words, bold: 'שלום עליכם' } }),
    );
    expect(hebrew.field).toBe('letter.body');
    expect(hebrew.message).toMatch(/^the letter font cannot print Hebrew script \("ש", U\+05E9\) in the body: "/);
    const fax = await renderFax(await letterTemplate(), {
      ...customerContext(customers.German!),
      customer: { ...customerContext(customers.German!).customer, name: 'Anna 🙂 Müller' },
    }).catch((e: unknown) => e);
    expect(fax).toMatchObject({
      field: 'fax.recipient',
      message: `the fax font cannot print the character "🙂" (U+1F642) in the recipient's name and address: "Anna 🙂 Müller"`,
    });
  });

  it('refuses a brand kit whose company name the font cannot print', async () => {
    const ctx = customerContext(customers.German!);
    const error = await refusal({ ...ctx, brand: { ...ctx.brand, companyName: 'شركة المياه' } });
    expect(error.field).toBe('brand');
    expect(error.message).toMatch(/^the letter font cannot print Arabic script .* in the brand kit/);
  });
});

describe('font subsets', () => {
  it('carries each glyph’s outline and width, composite glyphs with their parts renumbered', () => {
    const file = fs.readFileSync(
      createRequire(import.meta.url).resolve('@expo-google-fonts/noto-sans/700Bold/NotoSans_700Bold.ttf'),
    );
    const original = fontkit.create(file) as fontkit.Font;
    const subset = new TrueTypeSource(file).createSubset();
    // Vietnamese and Polish letters are composites in Noto Sans: a base glyph plus marks.
    const characters = [...'Nguyễn Thị Ộ Łódź Ωμέγα Жж'].filter((character) => character !== ' ');
    const numbers = characters.map((character) =>
      subset.includeGlyph(original.glyphForCodePoint(character.codePointAt(0)!).id),
    );
    const embedded = fontkit.create(subset.encode()) as fontkit.Font;
    expect(embedded.numGlyphs).toBeGreaterThan(new Set(numbers).size);
    characters.forEach((character, i) => {
      const from = original.glyphForCodePoint(character.codePointAt(0)!);
      const to = embedded.getGlyph(numbers[i]!);
      expect(to.path.toSVG(), character).toBe(from.path.toSVG());
      expect(to.advanceWidth, character).toBe(from.advanceWidth);
    });
  });
});
