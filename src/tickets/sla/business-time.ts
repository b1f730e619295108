/**
 * Business time: the instants a calendar counts as working time, and arithmetic over them. Pure: no
 * database, no clock. Local wall times are turned into instants with the platform's IANA time zone
 * data (Intl), so daylight saving time is that of the calendar's zone, whatever the server's.
 *
 * A working interval of a day runs from the first moment the local clock reads `from` or later to
 * the first moment it reads `to` or later. So a time the clocks skip in spring (02:30 in Berlin)
 * starts or ends the interval at the jump, and a time they show twice in autumn means its first
 * occurrence; a whole day 00:00–24:00 is 23 hours long in spring and 25 in autumn.
 */

export const weekdays = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
export type Weekday = (typeof weekdays)[number];

/** Local wall times "HH:MM"; `to` may be "24:00", the end of the day. */
export type WorkingInterval = { from: string; to: string };
export type WeeklyHours = Record<Weekday, WorkingInterval[]>;

export type BusinessCalendarRules = {
  /** IANA time zone, e.g. Europe/Berlin. */
  timeZone: string;
  weeklyHours: WeeklyHours;
  /** Local dates ("YYYY-MM-DD") with no working time at all. */
  holidays: readonly { date: string }[];
};

const MINUTE = 60_000;
const DAY = 86_400_000;
/** A calendar that has no working time for this long has none at all (a mistake, not a long wait). */
const SEARCH_DAYS = 3 * 366;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string) {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, format);
  }
  return format;
}

/** What the local clock reads at an instant, as milliseconds since 1970-01-01 00:00 on that clock. */
function wallClock(timeZone: string, epochMs: number): number {
  const parts: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(epochMs))
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  const wholeSecond = Math.floor(epochMs / 1000) * 1000;
  return (
    Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!) +
    (epochMs - wholeSecond)
  );
}

const offsetAt = (timeZone: string, epochMs: number) => wallClock(timeZone, epochMs) - epochMs;

/**
 * Readings already worked out, by zone and wall time: tickets opened on the same days ask for the
 * same working windows, and each reading costs several Intl calls. Bounded by starting afresh.
 */
const readings = new Map<string, number>();
const MAX_READINGS = 20_000;

/** The first instant at which the local clock reads `wall` or later (see the module comment). */
function firstInstantReading(timeZone: string, wall: number): number {
  const key = `${timeZone}|${wall}`;
  let instant = readings.get(key);
  if (instant === undefined) {
    if (readings.size >= MAX_READINGS) readings.clear();
    instant = readInstant(timeZone, wall);
    readings.set(key, instant);
  }
  return instant;
}

function readInstant(timeZone: string, wall: number): number {
  // Within a day of any instant the zone has at most one transition, so its offset is one of these two.
  const before = offsetAt(timeZone, wall - DAY);
  const after = offsetAt(timeZone, wall + DAY);
  const candidates = [wall - before, wall - after].filter((instant) => offsetAt(timeZone, instant) === wall - instant);
  if (candidates.length > 0) return Math.min(...candidates);
  // The clocks skipped this wall time: find the moment they jumped, between the two readings.
  let [low, high] = [wall - after, wall - before];
  while (high - low > 1000) {
    const middle = Math.floor((low + high) / 2000) * 1000;
    if (wallClock(timeZone, middle) >= wall) high = middle;
    else low = middle;
  }
  return high;
}

const minutesOf = (hhmm: string) => {
  const [hours, minutes] = hhmm.split(':').map(Number);
  return hours! * 60 + minutes!;
};

/** Days since 1970-01-01 of the local date at an instant. */
const localDay = (timeZone: string, epochMs: number) => Math.floor(wallClock(timeZone, epochMs) / DAY);
const weekdayOf = (day: number) => weekdays[(((day + 3) % 7) + 7) % 7]!;
const isoDate = (day: number) => new Date(day * DAY).toISOString().slice(0, 10);

/**
 * The calendar's working windows as instants [start, end), in order, from the local day that holds
 * `fromMs` to the local day `lastDay` (days since 1970-01-01).
 */
function* workingWindows(
  calendar: BusinessCalendarRules,
  fromMs: number,
  lastDay: number,
): Generator<[number, number]> {
  const holidays = new Set(calendar.holidays.map((holiday) => holiday.date));
  const intervals = Object.fromEntries(
    weekdays.map((weekday) => [
      weekday,
      calendar.weeklyHours[weekday]
        .map((interval) => [minutesOf(interval.from), minutesOf(interval.to)] as const)
        .sort((a, b) => a[0] - b[0]),
    ]),
  ) as Record<Weekday, (readonly [number, number])[]>;
  for (let day = localDay(calendar.timeZone, fromMs); day <= lastDay; day++) {
    if (holidays.has(isoDate(day))) continue;
    for (const [from, to] of intervals[weekdayOf(day)]) {
      const start = firstInstantReading(calendar.timeZone, day * DAY + from * MINUTE);
      const end = firstInstantReading(calendar.timeZone, day * DAY + to * MINUTE);
      if (end > start) yield [start, end];
    }
  }
}

/**
 * The instant `minutes` business minutes after `start`. Zero minutes is `start` itself, in or out
 * of working time; otherwise the clock starts at the next working moment, and a target that uses
 * up a window exactly ends with it (17:00, not the next morning).
 */
export function addBusinessMinutes(calendar: BusinessCalendarRules, start: Date, minutes: number): Date {
  if (!(minutes >= 0)) throw new RangeError(`Business minutes must be zero or more, not ${minutes}.`);
  let remaining = minutes * MINUTE;
  if (remaining === 0) return start;
  const from = start.getTime();
  const lastDay = localDay(calendar.timeZone, from) + SEARCH_DAYS;
  for (const [windowStart, windowEnd] of workingWindows(calendar, from, lastDay)) {
    const begin = Math.max(windowStart, from);
    if (windowEnd <= begin) continue;
    if (remaining <= windowEnd - begin) return new Date(begin + remaining);
    remaining -= windowEnd - begin;
  }
  throw new RangeError(`The calendar has no working time in the ${SEARCH_DAYS} days after ${start.toISOString()}.`);
}

/** Business minutes between two instants (zero when `to` is not after `from`); may be fractional. */
export function businessMinutesBetween(calendar: BusinessCalendarRules, from: Date, to: Date): number {
  const [fromMs, toMs] = [from.getTime(), to.getTime()];
  let elapsed = 0;
  if (toMs <= fromMs) return 0;
  for (const [windowStart, windowEnd] of workingWindows(calendar, fromMs, localDay(calendar.timeZone, toMs))) {
    if (windowStart >= toMs) break;
    elapsed += Math.max(0, Math.min(windowEnd, toMs) - Math.max(windowStart, fromMs));
  }
  return elapsed / MINUTE;
}
