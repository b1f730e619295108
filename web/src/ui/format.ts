// `undefined` locale: dates and numbers follow the browser's language settings.
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dateTimeWithSeconds = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
const numberFormat = new Intl.NumberFormat();

/** A server timestamp (ISO string) in the user's locale; a dash when there is none. */
export function formatDateTime(iso: string | null | undefined, { seconds = false } = {}): string {
  if (!iso) return '—';
  return (seconds ? dateTimeWithSeconds : dateTime).format(new Date(iso));
}

export const formatNumber = (value: number) => numberFormat.format(value);

const moneyFormats = new Map<string, Intl.NumberFormat>();

/**
 * A cost the server keeps in thousandths of a cent (hundred-thousandths of the currency's unit), in
 * the brand kit's currency: 85000 → "€0.85", 100 → "€0.001" (en-US); a dash when there is none, an
 * ellipsis while the currency is not known yet.
 */
export function formatMoney(millicents: number | null, currency: string | undefined): string {
  if (millicents === null) return '—';
  if (currency === undefined) return '…';
  let format = moneyFormats.get(currency);
  if (!format) {
    format = new Intl.NumberFormat(undefined, { style: 'currency', currency, maximumFractionDigits: 5 });
    moneyFormats.set(currency, format);
  }
  return format.format(millicents / 100_000);
}

/** The first line of a multi-line text such as a stack trace. */
export const firstLine = (text: string) => text.split('\n', 1)[0] ?? '';

/** Local midnight at the start of a `YYYY-MM-DD` day, as the ISO instant the API expects. */
export const startOfDay = (day: string) => new Date(`${day}T00:00:00`).toISOString();

/** The last millisecond of a `YYYY-MM-DD` day in local time. */
export const endOfDay = (day: string) => new Date(`${day}T23:59:59.999`).toISOString();

/** A file's size as people read it: 512 B, 14 KB, 2.3 MB. */
export const formatFileSize = (bytes: number) =>
  bytes < 1024
    ? `${bytes} B`
    : bytes < 1_048_576
      ? `${Math.round(bytes / 1024)} KB`
      : `${(bytes / 1_048_576).toFixed(1)} MB`;
