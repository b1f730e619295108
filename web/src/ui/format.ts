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

/** The first line of a multi-line text such as a stack trace. */
export const firstLine = (text: string) => text.split('\n', 1)[0] ?? '';

/** Local midnight at the start of a `YYYY-MM-DD` day, as the ISO instant the API expects. */
export const startOfDay = (day: string) => new Date(`${day}T00:00:00`).toISOString();

/** The last millisecond of a `YYYY-MM-DD` day in local time. */
export const endOfDay = (day: string) => new Date(`${day}T23:59:59.999`).toISOString();
