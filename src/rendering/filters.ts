import type { Context, Liquid } from 'liquidjs';
import { escapeFor, escapeHtml, liquidString, type OutputMode } from './escaping.js';
import { postalAddressLines, readPostalAddress } from './postal-address.js';

/** The reader's language and time zone, handed to filters through a Liquid register (invisible to templates). */
export type RenderLocale = { language: string; timeZone: string; now: Date; senderCountry: string };
export const localeRegister = 'tidings.locale';

/** What liquidjs binds `this` to when it calls a filter. */
export type FilterImpl = { context: Context };

const fallbackLocale: RenderLocale = { language: 'en', timeZone: 'UTC', now: new Date(0), senderCountry: '' };
const localeOf = (filter: FilterImpl) => filter.context.getRegister<RenderLocale>(localeRegister) ?? fallbackLocale;

/** Creating an Intl formatter costs far more than using one: keep them per (locale, zone, style). */
const formatterCacheLimit = 5000;
const dateFormatters = new Map<string, Intl.DateTimeFormat>();
const numberFormatters = new Map<string, Intl.NumberFormat>();

function cached<F>(cache: Map<string, F>, key: string, create: () => F): F {
  let formatter = cache.get(key);
  if (!formatter) {
    if (cache.size >= formatterCacheLimit) cache.clear();
    formatter = create();
    cache.set(key, formatter);
  }
  return formatter;
}

const dateFormatter = (language: string, timeZone: string, key: string, options: Intl.DateTimeFormatOptions) =>
  cached(
    dateFormatters,
    `${language}|${timeZone}|${key}`,
    () => new Intl.DateTimeFormat(language, { ...options, timeZone }),
  );

const numberFormatter = (language: string, key: string, options: Intl.NumberFormatOptions) =>
  cached(numberFormatters, `${language}|${key}`, () => new Intl.NumberFormat(language, options));

type DateStyle = 'short' | 'medium' | 'long' | 'full';
const dateStyles = new Set<string>(['short', 'medium', 'long', 'full']);
const isDateStyle = (value: unknown): value is DateStyle => typeof value === 'string' && dateStyles.has(value);

/** A date without a time ("2027-01-01") is a calendar day, the same in every time zone. */
const calendarDay = /^\d{4}-\d{2}-\d{2}$/;

function readDate(value: unknown, now: Date): { instant: Date; zoneless: boolean } {
  if (value instanceof Date && !Number.isNaN(value.getTime())) return { instant: value, zoneless: false };
  if (value === 'now' || value === 'today') return { instant: now, zoneless: false };
  if (typeof value === 'number' || (typeof value === 'string' && /^\d+$/.test(value))) {
    return { instant: new Date(Number(value) * 1000), zoneless: false };
  }
  if (typeof value === 'string') {
    const instant = new Date(calendarDay.test(value) ? `${value}T00:00:00Z` : value);
    if (!Number.isNaN(instant.getTime())) return { instant, zoneless: calendarDay.test(value) };
  }
  throw new Error(`date: cannot read ${JSON.stringify(value) ?? String(value)} as a date`);
}

const pad = (n: number) => String(n).padStart(2, '0');

type DateParts = {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  named: (key: string, options: Intl.DateTimeFormatOptions) => string;
};
const hour12 = (hour: number) => (hour % 12 === 0 ? 12 : hour % 12);

/** The strftime directives authors know from Shopify Liquid; numbers are the customer's local time. */
const strftimeDirectives: Record<string, (p: DateParts) => string> = {
  Y: (p) => String(p.year),
  y: (p) => pad(p.year % 100),
  m: (p) => pad(p.month),
  '-m': (p) => String(p.month),
  d: (p) => pad(p.day),
  '-d': (p) => String(p.day),
  e: (p) => String(p.day).padStart(2, ' '),
  H: (p) => pad(p.hour),
  '-H': (p) => String(p.hour),
  I: (p) => pad(hour12(p.hour)),
  '-I': (p) => String(hour12(p.hour)),
  M: (p) => pad(p.minute),
  S: (p) => pad(p.second),
  p: (p) => (p.hour < 12 ? 'AM' : 'PM'),
  B: (p) => p.named('B', { month: 'long' }),
  b: (p) => p.named('b', { month: 'short' }),
  A: (p) => p.named('A', { weekday: 'long' }),
  a: (p) => p.named('a', { weekday: 'short' }),
  Z: (p) => p.named('Z', { timeZoneName: 'short' }).split(' ').pop() ?? '',
  '%': () => '%',
};

function strftime(instant: Date, pattern: string, language: string, timeZone: string): string {
  const numbers: Record<string, number> = {};
  const numeric = dateFormatter('en-US', timeZone, 'parts', {
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
    hourCycle: 'h23',
  });
  for (const part of numeric.formatToParts(instant))
    if (part.type !== 'literal') numbers[part.type] = Number(part.value);
  const parts: DateParts = {
    year: numbers.year ?? 0,
    month: numbers.month ?? 1,
    day: numbers.day ?? 1,
    hour: numbers.hour ?? 0,
    minute: numbers.minute ?? 0,
    second: numbers.second ?? 0,
    named: (key, options) => dateFormatter(language, timeZone, key, options).format(instant),
  };
  return pattern.replace(
    /%(-?[a-zA-Z%])/g,
    (whole, directive: string) => strftimeDirectives[directive]?.(parts) ?? whole,
  );
}

/** `{{ x | date: 'long' }}` → "1 January 2027" (en-GB), "1. Januar 2027" (de); also strftime patterns. */
export function formatDate(
  value: unknown,
  locale: RenderLocale,
  format: unknown = 'medium',
  timeStyle?: unknown,
): string {
  const { instant, zoneless } = readDate(value, locale.now);
  const timeZone = zoneless ? 'UTC' : locale.timeZone;
  if (isDateStyle(format)) {
    const withTime = isDateStyle(timeStyle) && !zoneless ? timeStyle : undefined;
    return dateFormatter(locale.language, timeZone, `${format}/${withTime ?? ''}`, {
      dateStyle: format,
      timeStyle: withTime,
    }).format(instant);
  }
  if (typeof format === 'string' && format.includes('%')) return strftime(instant, format, locale.language, timeZone);
  throw new Error(
    `date: unknown format ${JSON.stringify(format)}; use short, medium, long, full or a pattern such as '%d.%m.%Y'`,
  );
}

function readNumber(filter: string, value: unknown): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  if (Number.isNaN(n)) throw new Error(`${filter}: ${JSON.stringify(value) ?? String(value)} is not a number`);
  return n;
}

export function formatMoney(value: unknown, locale: RenderLocale, currency: unknown): string {
  if (typeof currency !== 'string' || !/^[A-Za-z]{3}$/.test(currency)) {
    throw new Error("money: needs a currency code, e.g. money: 'EUR'");
  }
  const code = currency.toUpperCase();
  return numberFormatter(locale.language, `money:${code}`, { style: 'currency', currency: code }).format(
    readNumber('money', value),
  );
}

export function formatNumber(value: unknown, locale: RenderLocale, fractionDigits?: unknown): string {
  const digits =
    fractionDigits === undefined
      ? undefined
      : Math.min(Math.max(Math.trunc(readNumber('number', fractionDigits)), 0), 10);
  const options: Intl.NumberFormatOptions =
    digits === undefined ? {} : { minimumFractionDigits: digits, maximumFractionDigits: digits };
  return numberFormatter(locale.language, `number:${digits ?? ''}`, options).format(readNumber('number', value));
}

const lineBreakFor: Record<OutputMode, string> = { html: '<br>', markdown: '  \n', text: '\n' };

/**
 * Registers the locale-aware filters on one engine. `address` and `escape` escape their own
 * output and are marked raw, so HTML and Markdown outputs are escaped exactly once.
 */
export function registerRenderingFilters(engine: Liquid, mode: OutputMode): void {
  const escape = escapeFor(mode);
  const charged = (filter: FilterImpl, text: string) => {
    filter.context.memoryLimit.use(text.length);
    return text;
  };
  engine.registerFilter('date', function (this: FilterImpl, value: unknown, format?: unknown, timeStyle?: unknown) {
    return charged(this, formatDate(value, localeOf(this), format, timeStyle));
  });
  engine.registerFilter('money', function (this: FilterImpl, value: unknown, currency?: unknown) {
    return charged(this, formatMoney(value, localeOf(this), currency));
  });
  engine.registerFilter('number', function (this: FilterImpl, value: unknown, fractionDigits?: unknown) {
    return charged(this, formatNumber(value, localeOf(this), fractionDigits));
  });
  engine.registerFilter('address', {
    raw: true,
    handler(this: FilterImpl, value: unknown) {
      const lines = postalAddressLines(readPostalAddress(value), localeOf(this).senderCountry);
      return charged(this, lines.map(escape).join(lineBreakFor[mode]));
    },
  });
  // Markdown that staff wrote (a service reply's text) keeps its formatting; raw HTML in it stays text.
  engine.registerFilter('markdown', {
    raw: true,
    handler(this: FilterImpl, value: unknown) {
      const text = liquidString(value);
      return charged(this, mode === 'markdown' ? escapeHtml(text) : escape(text));
    },
  });
  if (mode !== 'text') {
    const once = {
      raw: true,
      handler(this: FilterImpl, value: unknown) {
        return charged(this, escape(liquidString(value)));
      },
    };
    engine.registerFilter('escape', once);
    engine.registerFilter('escape_once', once);
  }
}
