import { describe, expect, it } from 'vitest';
import { compileTemplate, formatDate, renderSms, RenderError } from '../../src/rendering/index.js';
import { context } from './fixtures.js';

async function render(text: string, overrides: Parameters<typeof context>[0] = {}): Promise<string> {
  const template = await compileTemplate({ sms: { text } }, {});
  return (await renderSms(template, context(overrides))).text;
}

const locale = (language: string, timeZone = 'Europe/Berlin') => ({
  language,
  timeZone,
  now: new Date('2026-11-15T10:00:00Z'),
  senderCountry: 'DE',
});

describe('date filter', () => {
  it.each([
    ['en-GB', 'long', '1 January 2027'],
    ['de', 'long', '1. Januar 2027'],
    ['en-US', 'long', 'January 1, 2027'],
    ['de', 'short', '01.01.27'],
    ['de', 'medium', '01.01.2027'],
    ['de', 'full', 'Freitag, 1. Januar 2027'],
    ['fr', 'full', 'vendredi 1 janvier 2027'],
    ['de', '%d.%m.%Y', '01.01.2027'],
    ['de', '%A, %-d. %B %Y', 'Freitag, 1. Januar 2027'],
    ['en-GB', '%a %e %b %y', 'Fri  1 Jan 27'],
  ])('%s %s', async (language, format, expected) => {
    expect(await render(`{{ data.effective | date: '${format}' }}`, { language })).toBe(expected);
  });

  it('formats an instant in the customer’s time zone, where it may be another day', async () => {
    const data = { sent: '2027-01-01T03:30:00Z' };
    expect(
      await render("{{ data.sent | date: 'long' }} {{ data.sent | date: '%H:%M %Z' }}", {
        language: 'en-GB',
        timeZone: 'Europe/Berlin',
        data,
      }),
    ).toBe('1 January 2027 04:30 CET');
    expect(
      await render("{{ data.sent | date: 'long' }} {{ data.sent | date: '%H:%M' }}", {
        language: 'en-GB',
        timeZone: 'America/New_York',
        data,
      }),
    ).toBe('31 December 2026 22:30');
  });

  it('keeps a calendar date the same day in every time zone', () => {
    expect(formatDate('2027-01-01', locale('en-GB', 'America/New_York'), 'long')).toBe('1 January 2027');
    expect(formatDate('2027-01-01', locale('en-GB', 'Pacific/Kiritimati'), 'long')).toBe('1 January 2027');
  });

  it('adds the time when asked, and reads now, Date objects and Unix seconds', async () => {
    expect(await render("{{ now | date: 'medium', 'short' }}", { language: 'de' })).toBe('15.11.2026, 11:00');
    expect(formatDate(new Date('2027-03-01T12:00:00Z'), locale('de'), 'long')).toBe('1. März 2027');
    expect(formatDate(1798761600, locale('en-GB', 'UTC'), 'long')).toBe('1 January 2027');
  });

  it('says what is wrong with a date or a format', async () => {
    await expect(render("{{ 'soon' | date: 'long' }}")).rejects.toThrow('date: cannot read "soon" as a date');
    await expect(render("{{ data.effective | date: 'longish' }}")).rejects.toThrow(/unknown format "longish"/);
  });
});

describe('money and number filters', () => {
  // Through an SMS, whose typographic characters become GSM ones (de-CH's ’ separator becomes ').
  it.each([
    ['de', "money: 'EUR'", '1.234,50 €'],
    ['en-GB', "money: 'EUR'", '€1,234.50'],
    ['en-US', "money: 'usd'", '$1,234.50'],
    ['de-CH', "money: 'CHF'", "CHF 1'234.50"],
    ['ja', "money: 'JPY'", '￥1,235'],
    ['de', 'number', '1.234,5'],
    ['en-US', 'number: 2', '1,234.50'],
  ])('%s %s', async (language, filter, expected) => {
    expect(await render(`{{ data.amount | ${filter} }}`, { language, data: { amount: '1234.5' } })).toBe(expected);
  });

  it('says what is missing', async () => {
    const error = await render('{{ data.amount | money }}').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RenderError);
    expect(error).toMatchObject({
      field: 'sms.text',
      message: "money: needs a currency code, e.g. money: 'EUR'",
      line: 1,
    });
    await expect(render("{{ 'viel' | money: 'EUR' }}")).rejects.toThrow('money: "viel" is not a number');
    await expect(render('{{ data.amount | currency }}')).rejects.toThrow("unknown filter 'currency'");
  });
});

describe('address filter', () => {
  const address = (value: Record<string, unknown>) =>
    render('{{ data.address | address }}', { data: { address: value } });

  it('writes an address in the order of its country, with the country when it is abroad', async () => {
    expect(await address({ lines: ['Lindenweg 5'], postalCode: '10115', city: 'Berlin', country: 'DE' })).toBe(
      'Lindenweg 5\n10115 Berlin',
    );
    expect(
      await address({
        lines: ['1600 Amphitheatre Pkwy'],
        postalCode: '94043',
        city: 'Mountain View',
        region: 'CA',
        country: 'US',
      }),
    ).toBe('1600 Amphitheatre Pkwy\nMountain View, CA 94043\nUNITED STATES');
    expect(await address({ lines: ['10 Downing Street'], postalCode: 'SW1A 2AA', city: 'London', country: 'GB' })).toBe(
      '10 Downing Street\nLONDON\nSW1A 2AA\nUNITED KINGDOM',
    );
  });

  it('refuses something that is not an address', async () => {
    await expect(address({ street: 'x' })).rejects.toThrow(
      'address: expects an address with lines, postalCode, city and country',
    );
  });
});
