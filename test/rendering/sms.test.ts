import { describe, expect, it } from 'vitest';
import { compileTemplate, renderSms, smsSegments } from '../../src/rendering/index.js';
import { context } from './fixtures.js';

describe('SMS segments', () => {
  it.each([
    ['empty', '', 'GSM-7', 0, 0],
    ['160 GSM characters fit one SMS', 'a'.repeat(160), 'GSM-7', 160, 1],
    ['161 need two parts', 'a'.repeat(161), 'GSM-7', 161, 2],
    ['306 fill two parts of 153', 'a'.repeat(306), 'GSM-7', 306, 2],
    ['307 need three', 'a'.repeat(307), 'GSM-7', 307, 3],
    ['GSM letters with accents stay GSM-7', 'Grüße aus Köln, Señor Müller! ¿Qué tal? £5 @ 10:00', 'GSM-7', 50, 1],
    ['an extension character counts two', `${'a'.repeat(158)}€`, 'GSM-7', 160, 1],
    ['… and so overflows one SMS', `${'a'.repeat(159)}€`, 'GSM-7', 161, 2],
    ['every extension character counts two', '{}[]~^|\\€', 'GSM-7', 18, 1],
    ['an escape pair never straddles two parts', `${'a'.repeat(152)}€${'a'.repeat(10)}`, 'GSM-7', 164, 2],
    ['… moving to the next part when it would', `${'a'.repeat(152)}€${'a'.repeat(152)}`, 'GSM-7', 306, 3],
    ['70 UCS-2 characters fit one SMS', 'ж'.repeat(70), 'UCS-2', 70, 1],
    ['71 need two parts', 'ж'.repeat(71), 'UCS-2', 71, 2],
    ['134 fill two parts of 67', 'ж'.repeat(134), 'UCS-2', 134, 2],
    ['135 need three', 'ж'.repeat(135), 'UCS-2', 135, 3],
    ['one character outside GSM makes the whole text UCS-2', `${'a'.repeat(69)}ç`, 'UCS-2', 70, 1],
    ['an emoji is two UTF-16 units', `${'a'.repeat(68)}😀`, 'UCS-2', 70, 1],
    ['… and overflows when it no longer fits', `${'a'.repeat(69)}😀`, 'UCS-2', 71, 2],
    ['a surrogate pair never straddles two parts', `${'a'.repeat(66)}😀${'a'.repeat(10)}`, 'UCS-2', 78, 2],
  ] as const)('%s', (_, text, encoding, characters, segments) => {
    expect(smsSegments(text)).toEqual({ encoding, characters, segments });
  });
});

describe('SMS rendering', () => {
  it('drops the blanks at the ends of lines, in linear time for 400,000 spaces of customer data', async () => {
    const spaces = ' '.repeat(400_000);
    const template = await compileTemplate({ sms: { text: 'Hallo {{ data.name }}\nbis bald' } }, {});
    expect((await renderSms(template, context({ data: { name: `Anna${spaces}` } }))).text).toBe('Hallo Anna\nbis bald');
    const inside = await renderSms(template, context({ data: { name: `Anna${spaces}Müller` } }));
    expect(inside.text).toBe(`Hallo Anna${spaces}Müller\nbis bald`);
  });

  it('renders Liquid without HTML escaping and measures the result', async () => {
    const template = await compileTemplate(
      {
        sms: {
          text: 'Hallo {{ customer.givenName }} & Co: ab {{ data.effective | date: "long" }} {{ data.amount | money: "EUR" }}/Jahr. <Stadtwerke>',
        },
      },
      {},
    );
    const sms = await renderSms(template, context());
    expect(sms.text).toBe('Hallo Anna & Co: ab 1. Januar 2027 1.234,50 €/Jahr. <Stadtwerke>');
    expect(sms).toMatchObject({ encoding: 'GSM-7', segments: 1, characters: sms.text.length + 1 });
  });

  it('keeps GSM-7 when Intl or authors bring typographic spaces, quotes and dashes', async () => {
    const template = await compileTemplate(
      { sms: { text: '“Ihr Tarif” – {{ data.amount | money: "EUR" }} ’26…' } },
      {},
    );
    const sms = await renderSms(template, context());
    expect(sms.text).toBe('"Ihr Tarif" - 1.234,50 € \'26...');
    expect(sms.encoding).toBe('GSM-7');
  });

  it('inserts a fragment as plain text', async () => {
    const template = await compileTemplate(
      { sms: { text: '{% fragment "stop" %}' } },
      { stop: 'Abmelden: **STOP** an [0800 123](tel:0800123)' },
    );
    expect((await renderSms(template, context())).text).toBe('Abmelden: STOP an 0800 123 (tel:0800123)');
  });
});
