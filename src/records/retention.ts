import { AppError, inBody } from '../shared/errors.js';
import type { RetentionTrigger } from './records.tables.js';

/** A calendar date as YYYY-MM-DD; retention counts whole days in UTC. */
export type CalendarDate = string;

export type RetentionRule = { trigger: RetentionTrigger; years: number | null; eventField: string | null };

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

const daysInMonth = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

function parts(date: CalendarDate) {
  const match = DATE.exec(date);
  if (!match) throw new Error(`${date} is not a date as YYYY-MM-DD.`);
  return { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
}

const format = (year: number, month: number, day: number) =>
  `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;

/** The UTC calendar date of an instant. */
export const dateOf = (instant: Date): CalendarDate => instant.toISOString().slice(0, 10);

/** Whether text is a real calendar date written YYYY-MM-DD (no 2025-02-29). */
export function isCalendarDate(text: string) {
  if (!DATE.test(text)) return false;
  const { year, month, day } = parts(text);
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/**
 * The date N years after another. A 29 February start lands on 1 March in a year without one:
 * a record is never released a day before its N full years are over.
 */
export function addYears(date: CalendarDate, years: number): CalendarDate {
  const { year, month, day } = parts(date);
  const target = year + years;
  return day > daysInMonth(target, month) ? format(target, month + 1, 1) : format(target, month, day);
}

/**
 * The latest start date whose N years are over by `today`: the inverse of addYears, so
 * `addYears(start, n) <= today` exactly when `start <= latestStartDue(today, n)`. On 29 February of a
 * leap year the answer is 28 February N years before when that year has no 29th.
 */
export function latestStartDue(today: CalendarDate, years: number): CalendarDate {
  const { year, month, day } = parts(today);
  const target = year - years;
  return format(target, month, Math.min(day, daysInMonth(target, month)));
}

/**
 * The first day a record may be disposed of, or null: kept for good (permanent), or its event has
 * no date yet. The event date is the document's metadata field when it holds a date, else the one
 * set by hand.
 */
export function retainUntil(
  rule: RetentionRule,
  record: { createdAt: Date; eventDate: CalendarDate | null; metadata?: Record<string, unknown> },
): CalendarDate | null {
  if (rule.trigger === 'permanent' || rule.years === null) return null;
  if (rule.trigger === 'creation') return addYears(dateOf(record.createdAt), rule.years);
  const fromField = rule.eventField ? record.metadata?.[rule.eventField] : undefined;
  const event = typeof fromField === 'string' && isCalendarDate(fromField) ? fromField : record.eventDate;
  return event ? addYears(event, rule.years) : null;
}

/** Whether a record whose retention runs until `until` may be disposed of on `today`. */
export const retentionEnded = (until: CalendarDate | null, today: CalendarDate) => until !== null && until <= today;

/** A rule's fields agree with each other: years unless permanent, an event field only for an event trigger. */
export function checkRule(rule: RetentionRule, builtIn: boolean) {
  const problems = [];
  if ((rule.trigger === 'permanent') !== (rule.years === null))
    problems.push({
      path: 'years',
      message: rule.trigger === 'permanent' ? 'must be null when permanent' : 'is required',
    });
  if (rule.eventField !== null && rule.trigger !== 'event')
    problems.push({ path: 'eventField', message: 'applies only to an event trigger' });
  if (builtIn && rule.trigger === 'event')
    problems.push({ path: 'trigger', message: 'communications count from their creation or are kept for good' });
  if (problems.length)
    throw new AppError(
      'validation_failed',
      'record_category.invalid_rule',
      'The retention rule does not hold together.',
      inBody(problems),
    );
}
