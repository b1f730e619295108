import { createSelectSchema } from 'drizzle-zod';
import { z } from 'zod';
import { isTimeZone } from '../../customers/customer-fields.js';
import { ticketKinds, ticketPriorities } from '../tickets.tables.js';
import { weekdays, type Weekday } from './business-time.js';
import { slaTargetStates } from './sla-rules.js';
import { businessCalendars, slaPolicies } from './sla.tables.js';

const wallTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'is not a time HH:MM (00:00–23:59)');

const workingInterval = z
  .strictObject({
    from: wallTime.describe('Local time the work starts, HH:MM'),
    to: z
      .string()
      .regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'is not a time HH:MM (00:00–24:00)')
      .describe('Local time the work ends, HH:MM; 24:00 is midnight at the end of the day'),
  })
  .refine((interval) => interval.from < interval.to, { message: 'ends before it starts', path: ['to'] });

const dayHours = z
  .array(workingInterval)
  .max(12)
  .superRefine((intervals, context) => {
    const sorted = intervals
      .map((interval, index) => ({ ...interval, index }))
      .sort((a, b) => (a.from < b.from ? -1 : 1));
    for (let index = 1; index < sorted.length; index++)
      if (sorted[index]!.from < sorted[index - 1]!.to)
        context.addIssue({
          code: 'custom',
          message: 'overlaps another interval of the day',
          path: [sorted[index]!.index],
        });
  });

const weeklyHours = z
  .strictObject(Object.fromEntries(weekdays.map((day) => [day, dayHours])) as Record<Weekday, typeof dayHours>)
  .refine((week) => weekdays.some((day) => week[day].length > 0), 'has no working time on any day')
  .describe('Working intervals per weekday, in the calendar’s time zone; several a day (a lunch break) are allowed');

const holiday = z.strictObject({
  date: z.iso.date().describe('Local date, YYYY-MM-DD'),
  name: z.string().trim().min(1).max(100),
});

const calendarFields = {
  name: z.string().trim().min(1).max(100),
  timeZone: z.string().max(100).refine(isTimeZone, 'is not an IANA time zone').describe('IANA time zone'),
  weeklyHours,
  holidays: z
    .array(holiday)
    .max(1000)
    .refine((days) => new Set(days.map((day) => day.date)).size === days.length, 'names a date twice')
    .describe('Days without working time'),
  isDefault: z.boolean().describe('The calendar of policies that name none; setting it takes it from the former one'),
};

export const calendarBody = z.strictObject({
  ...calendarFields,
  holidays: calendarFields.holidays.default([]),
  isDefault: calendarFields.isDefault.default(false),
});
export type CalendarInput = z.infer<typeof calendarBody>;

export const updateCalendarBody = z.strictObject(calendarFields).partial();
export type CalendarPatch = z.infer<typeof updateCalendarBody>;

export const calendarResponse = createSelectSchema(businessCalendars, {
  weeklyHours: z.record(z.enum(weekdays), z.array(z.object({ from: z.string(), to: z.string() }))),
  holidays: z.array(z.object({ date: z.string(), name: z.string() })),
}).describe('BusinessCalendar');

const businessMinutes = z.number().int().min(1).max(525_600);

const policyFields = {
  name: z.string().trim().min(1).max(100),
  kind: z.enum(ticketKinds).nullable().describe('null: tickets of any kind'),
  priority: z.enum(ticketPriorities).nullable().describe('null: tickets of any priority'),
  firstResponseMinutes: businessMinutes.describe('Business minutes to the first public reply'),
  resolutionMinutes: businessMinutes.describe('Business minutes to resolution, not counting time pending the customer'),
  calendarId: z.uuid().describe('The business calendar the minutes count in'),
};

export const policyBody = z.strictObject({
  ...policyFields,
  kind: policyFields.kind.default(null),
  priority: policyFields.priority.default(null),
  calendarId: policyFields.calendarId.optional().describe('The default calendar unless given'),
});
export type PolicyInput = z.infer<typeof policyBody>;

export const updatePolicyBody = z.strictObject(policyFields).partial();
export type PolicyPatch = z.infer<typeof updatePolicyBody>;

export const policyResponse = createSelectSchema(slaPolicies, {
  kind: z.enum(ticketKinds).nullable(),
  priority: z.enum(ticketPriorities).nullable(),
}).describe('SlaPolicy');

const targetState = z
  .enum(slaTargetStates)
  .describe(
    'none: no policy; running; due_soon: within the hour; breached: past due, not met; paused: pending the customer; met; met_late',
  );

/** What the ticket responses add for SLA badges, beside the due and breach times of the ticket itself. */
export const ticketSlaResponse = z
  .object({ firstResponse: targetState, resolution: targetState })
  .describe('TicketSlaStates');
