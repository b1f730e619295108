import { describe, expect, it } from 'vitest';
import {
  addBusinessMinutes,
  businessMinutesBetween,
  weekdays,
  type BusinessCalendarRules,
  type WorkingInterval,
} from '../../src/tickets/sla/business-time.js';

const week = (days: Partial<Record<(typeof weekdays)[number], WorkingInterval[]>>) =>
  Object.fromEntries(weekdays.map((day) => [day, days[day] ?? []])) as BusinessCalendarRules['weeklyHours'];
const workdays = (...intervals: [string, string][]) => {
  const hours = intervals.map(([from, to]) => ({ from, to }));
  return week({ monday: hours, tuesday: hours, wednesday: hours, thursday: hours, friday: hours });
};
const everyDay = (from: string, to: string) =>
  Object.fromEntries(weekdays.map((day) => [day, [{ from, to }]])) as BusinessCalendarRules['weeklyHours'];

const calendars = {
  /** Mon–Fri 08:00–17:00 in Berlin, Christmas Eve and Christmas Day off. */
  berlin: {
    timeZone: 'Europe/Berlin',
    weeklyHours: workdays(['08:00', '17:00']),
    holidays: [{ date: '2026-12-24' }, { date: '2026-12-25' }],
  },
  /** Mon–Fri 08:00–12:00 and 13:00–17:00 in Berlin: a lunch break. */
  lunch: { timeZone: 'Europe/Berlin', weeklyHours: workdays(['08:00', '12:00'], ['13:00', '17:00']), holidays: [] },
  /** Mon–Fri 09:00–17:00 in New York. */
  newYork: { timeZone: 'America/New_York', weeklyHours: workdays(['09:00', '17:00']), holidays: [] },
  /** Around the clock in Berlin and in New York. */
  berlinAlways: { timeZone: 'Europe/Berlin', weeklyHours: everyDay('00:00', '24:00'), holidays: [] },
  newYorkAlways: { timeZone: 'America/New_York', weeklyHours: everyDay('00:00', '24:00'), holidays: [] },
  /** Sundays 01:00–04:00 in Berlin only: the night the clocks change. */
  berlinSundayNight: {
    timeZone: 'Europe/Berlin',
    weeklyHours: week({ sunday: [{ from: '01:00', to: '04:00' }] }),
    holidays: [],
  },
  /** Sundays 02:30–04:00 in Berlin: in spring 02:30 never shows, the window opens at the jump to 03:00. */
  berlinInTheGap: {
    timeZone: 'Europe/Berlin',
    weeklyHours: week({ sunday: [{ from: '02:30', to: '04:00' }] }),
    holidays: [],
  },
} satisfies Record<string, BusinessCalendarRules>;

type Calendar = keyof typeof calendars;

// Instants are written in UTC; the comment says what the calendar's clock reads.
const additions: [string, Calendar, string, number, string][] = [
  ['within the day', 'berlin', '2026-11-23T08:00:00Z', 60, '2026-11-23T09:00:00Z'], // Mon 09:00 → 10:00 CET
  ['over the night', 'berlin', '2026-11-23T15:30:00Z', 60, '2026-11-24T07:30:00Z'], // Mon 16:30 → Tue 08:30
  ['starting before hours', 'berlin', '2026-11-24T04:00:00Z', 30, '2026-11-24T07:30:00Z'], // Tue 05:00 → 08:30
  ['starting after hours', 'berlin', '2026-11-23T19:00:00Z', 30, '2026-11-24T07:30:00Z'], // Mon 20:00 → Tue 08:30
  ['over the weekend', 'berlin', '2026-11-27T15:30:00Z', 60, '2026-11-30T07:30:00Z'], // Fri 16:30 → Mon 08:30
  ['starting on a Saturday', 'berlin', '2026-11-28T09:00:00Z', 60, '2026-11-30T08:00:00Z'], // Sat 10:00 → Mon 09:00
  ['over holidays and a weekend', 'berlin', '2026-12-23T15:00:00Z', 120, '2026-12-28T08:00:00Z'], // Wed 16:00 → Mon 09:00
  ['ending exactly at closing time', 'berlin', '2026-11-23T15:00:00Z', 60, '2026-11-23T16:00:00Z'], // Mon 16:00 → 17:00
  ['five business days', 'berlin', '2026-11-23T08:00:00Z', 5 * 540, '2026-11-30T08:00:00Z'], // Mon 09:00 → Mon 09:00
  ['three weeks of whole days', 'berlin', '2026-11-23T07:00:00Z', 15 * 540, '2026-12-11T16:00:00Z'], // Mon 08:00 → Fri 17:00
  ['zero minutes in hours', 'berlin', '2026-11-23T08:00:00Z', 0, '2026-11-23T08:00:00Z'],
  ['zero minutes out of hours', 'berlin', '2026-11-28T09:00:00Z', 0, '2026-11-28T09:00:00Z'],
  ['seconds kept', 'berlin', '2026-11-23T08:00:30.250Z', 1, '2026-11-23T08:01:30.250Z'],
  ['over the lunch break', 'lunch', '2026-11-23T10:30:00Z', 60, '2026-11-23T12:30:00Z'], // Mon 11:30 → 13:30
  ['ending at lunch', 'lunch', '2026-11-23T10:00:00Z', 60, '2026-11-23T11:00:00Z'], // Mon 11:00 → 12:00
  ['starting in the lunch break', 'lunch', '2026-11-23T11:15:00Z', 30, '2026-11-23T12:30:00Z'], // Mon 12:15 → 13:30
  ['a whole split day', 'lunch', '2026-11-23T07:00:00Z', 480, '2026-11-23T16:00:00Z'], // Mon 08:00 → 17:00
  // Europe/Berlin: CET → CEST on Sunday 29 March 2026, CEST → CET on Sunday 25 October 2026.
  ['over the spring change, Berlin', 'berlin', '2026-03-27T15:00:00Z', 120, '2026-03-30T07:00:00Z'], // Fri 16:00 CET → Mon 09:00 CEST
  ['over the autumn change, Berlin', 'berlin', '2026-10-23T14:00:00Z', 120, '2026-10-26T08:00:00Z'], // Fri 16:00 CEST → Mon 09:00 CET
  ['around the clock, spring night', 'berlinAlways', '2026-03-28T22:00:00Z', 240, '2026-03-29T02:00:00Z'], // Sat 23:00 CET → Sun 04:00 CEST
  ['around the clock, autumn night', 'berlinAlways', '2026-10-24T21:00:00Z', 240, '2026-10-25T01:00:00Z'], // Sat 23:00 CEST → Sun 02:00 CET
  ['01:00–04:00 is two hours in spring', 'berlinSundayNight', '2026-03-28T12:00:00Z', 120, '2026-03-29T02:00:00Z'], // → 04:00 CEST
  ['01:00–04:00 is four hours in autumn', 'berlinSundayNight', '2026-10-24T12:00:00Z', 240, '2026-10-25T03:00:00Z'], // → 04:00 CET
  ['a window opening in the skipped hour', 'berlinInTheGap', '2026-03-28T12:00:00Z', 30, '2026-03-29T01:30:00Z'], // 03:00 → 03:30 CEST
  ['a window opening in the repeated hour', 'berlinInTheGap', '2026-10-24T12:00:00Z', 30, '2026-10-25T01:00:00Z'], // first 02:30 (CEST) → 02:00 CET
  // America/New_York: EST → EDT on Sunday 8 March 2026, EDT → EST on Sunday 1 November 2026.
  ['over the spring change, New York', 'newYork', '2026-03-06T21:00:00Z', 120, '2026-03-09T14:00:00Z'], // Fri 16:00 EST → Mon 10:00 EDT
  ['over the autumn change, New York', 'newYork', '2026-10-30T20:00:00Z', 120, '2026-11-02T15:00:00Z'], // Fri 16:00 EDT → Mon 10:00 EST
  ['around the clock, New York spring', 'newYorkAlways', '2026-03-08T04:00:00Z', 240, '2026-03-08T08:00:00Z'], // Sat 23:00 EST → Sun 04:00 EDT
  ['around the clock, New York autumn', 'newYorkAlways', '2026-11-01T04:00:00Z', 180, '2026-11-01T07:00:00Z'], // 00:00 EDT → 02:00 EST
];

describe('adding business minutes', () => {
  it.each(additions)('%s (%s, %s + %i min)', (_case, calendar, start, minutes, due) => {
    expect(addBusinessMinutes(calendars[calendar], new Date(start), minutes).toISOString()).toBe(
      new Date(due).toISOString(),
    );
  });

  it('refuses negative minutes and a calendar without working time', () => {
    expect(() => addBusinessMinutes(calendars.berlin, new Date('2026-11-23T08:00:00Z'), -1)).toThrow(RangeError);
    const never = { timeZone: 'Europe/Berlin', weeklyHours: week({}), holidays: [] };
    expect(() => addBusinessMinutes(never, new Date('2026-11-23T08:00:00Z'), 1)).toThrow(/no working time/);
  });
});

const elapsed: [string, Calendar, string, string, number][] = [
  ['within the day', 'berlin', '2026-11-23T08:00:00Z', '2026-11-23T09:30:00Z', 90],
  ['over the night', 'berlin', '2026-11-23T15:00:00Z', '2026-11-24T08:00:00Z', 120], // Mon 16:00 → Tue 09:00
  ['only the night', 'berlin', '2026-11-23T17:00:00Z', '2026-11-24T06:00:00Z', 0], // Mon 18:00 → Tue 07:00
  ['over the weekend', 'berlin', '2026-11-27T15:00:00Z', '2026-11-30T08:00:00Z', 120], // Fri 16:00 → Mon 09:00
  ['over holidays', 'berlin', '2026-12-23T15:00:00Z', '2026-12-28T08:00:00Z', 120], // Wed 16:00 → Mon 09:00
  ['two weeks', 'berlin', '2026-11-23T07:00:00Z', '2026-12-07T07:00:00Z', 10 * 540],
  ['backwards', 'berlin', '2026-11-23T09:00:00Z', '2026-11-23T08:00:00Z', 0],
  ['no time at all', 'berlin', '2026-11-23T09:00:00Z', '2026-11-23T09:00:00Z', 0],
  ['over the lunch break', 'lunch', '2026-11-23T10:30:00Z', '2026-11-23T12:30:00Z', 60], // 11:30 → 13:30
  ['over the spring change, Berlin', 'berlin', '2026-03-27T15:00:00Z', '2026-03-30T07:00:00Z', 120],
  ['over the autumn change, Berlin', 'berlin', '2026-10-23T14:00:00Z', '2026-10-26T08:00:00Z', 120],
  ['the spring Sunday has 23 hours', 'berlinAlways', '2026-03-28T23:00:00Z', '2026-03-29T22:00:00Z', 23 * 60],
  ['the autumn Sunday has 25 hours', 'berlinAlways', '2026-10-24T22:00:00Z', '2026-10-25T23:00:00Z', 25 * 60],
  ['02:30–04:00 is an hour in spring', 'berlinInTheGap', '2026-03-28T12:00:00Z', '2026-03-29T12:00:00Z', 60],
  [
    '02:30–04:00 is two and a half hours in autumn',
    'berlinInTheGap',
    '2026-10-24T12:00:00Z',
    '2026-10-25T12:00:00Z',
    150,
  ],
  ['the New York spring Sunday has 23 hours', 'newYorkAlways', '2026-03-08T05:00:00Z', '2026-03-09T04:00:00Z', 23 * 60],
  ['the New York autumn Sunday has 25 hours', 'newYorkAlways', '2026-11-01T04:00:00Z', '2026-11-02T05:00:00Z', 25 * 60],
  ['over the spring change, New York', 'newYork', '2026-03-06T21:00:00Z', '2026-03-09T14:00:00Z', 120],
  ['a few seconds', 'berlin', '2026-11-23T08:00:00Z', '2026-11-23T08:00:30Z', 0.5],
];

describe('business minutes between two instants', () => {
  it.each(elapsed)('%s (%s)', (_case, calendar, from, to, minutes) => {
    expect(businessMinutesBetween(calendars[calendar], new Date(from), new Date(to))).toBe(minutes);
  });

  it('gives back what was added, from any start, in every calendar', () => {
    const starts = ['2026-03-27T10:17:00Z', '2026-03-28T23:59:00Z', '2026-10-24T20:00:00Z', '2026-12-23T16:45:00Z'];
    for (const calendar of Object.values(calendars))
      for (const start of starts)
        for (const minutes of [1, 59, 61, 540, 2000]) {
          const due = addBusinessMinutes(calendar, new Date(start), minutes);
          expect(
            businessMinutesBetween(calendar, new Date(start), due),
            `${calendar.timeZone} ${start} + ${minutes}`,
          ).toBe(minutes);
        }
  });
});
