import { describe, expect, it } from 'vitest';
import { weekdays, type BusinessCalendarRules } from '../../src/tickets/sla/business-time.js';
import {
  breachesUnder,
  choosePolicy,
  resumedClock,
  slaStates,
  type SlaTicket,
} from '../../src/tickets/sla/sla-rules.js';
import type { TicketKind, TicketPriority } from '../../src/tickets/tickets.tables.js';

const policies = [
  { name: 'catch-all', kind: null, priority: null },
  { name: 'complaints', kind: 'complaint', priority: null },
  { name: 'urgent', kind: null, priority: 'urgent' },
  { name: 'urgent complaints', kind: 'complaint', priority: 'urgent' },
  { name: 'low inquiries', kind: 'inquiry', priority: 'low' },
] as const;

describe('which policy applies', () => {
  it.each([
    ['complaint', 'urgent', 'urgent complaints'],
    ['complaint', 'normal', 'complaints'],
    ['request', 'urgent', 'urgent'],
    ['inquiry', 'low', 'low inquiries'],
    ['inquiry', 'normal', 'catch-all'],
  ] as [TicketKind, TicketPriority, string][])('a %s of %s priority: %s', (kind, priority, name) => {
    expect(choosePolicy(policies, { kind, priority })?.name).toBe(name);
  });

  it('names priority over kind, and none when nothing matches', () => {
    expect(choosePolicy([policies[1], policies[2]], { kind: 'complaint', priority: 'urgent' })?.name).toBe('urgent');
    expect(choosePolicy([policies[4]], { kind: 'request', priority: 'low' })).toBeUndefined();
  });
});

const now = new Date('2026-11-23T09:00:00Z');
const at = (minutesFromNow: number) => new Date(now.getTime() + minutesFromNow * 60_000);
const open: SlaTicket = {
  status: 'open',
  firstResponseDueAt: at(120),
  resolutionDueAt: at(600),
  firstRespondedAt: null,
  resolvedAt: null,
  closedAt: null,
};

describe('what the badges say', () => {
  it.each([
    ['no policy', { firstResponseDueAt: null, resolutionDueAt: null }, 'none', 'none'],
    ['both running', {}, 'running', 'running'],
    ['within the hour', { firstResponseDueAt: at(60) }, 'due_soon', 'running'],
    ['past due', { firstResponseDueAt: at(-1), resolutionDueAt: now }, 'breached', 'breached'],
    ['answered in time', { firstRespondedAt: at(-5), firstResponseDueAt: at(-1) }, 'met', 'running'],
    ['answered late', { firstRespondedAt: at(-1), firstResponseDueAt: at(-5) }, 'met_late', 'running'],
    ['pending the customer', { status: 'pending_customer', resolutionDueAt: at(-1) }, 'running', 'paused'],
    ['resolved without a reply', { status: 'resolved', resolvedAt: at(-1) }, 'met', 'met'],
    ['resolved late', { status: 'resolved', resolvedAt: at(-1), resolutionDueAt: at(-2) }, 'met', 'met_late'],
    ['closed by a merge', { status: 'closed', closedAt: at(-1) }, 'met', 'met'],
  ] as [string, Partial<SlaTicket>, string, string][])('%s', (_case, fields, firstResponse, resolution) => {
    expect(slaStates({ ...open, ...fields }, now)).toEqual({ firstResponse, resolution });
  });
});

describe('changes to the clock', () => {
  const calendar: BusinessCalendarRules = {
    timeZone: 'Europe/Berlin',
    weeklyHours: Object.fromEntries(
      weekdays.map((day) => [day, [{ from: '08:00', to: '17:00' }]]),
    ) as BusinessCalendarRules['weeklyHours'],
    holidays: [],
  };

  it('moves the resolution due time on by the business time the clock stood still', () => {
    // Stood still Monday 10:00–18:00 in Berlin: seven business hours.
    const resumed = resumedClock(
      {
        status: 'pending_customer',
        resolutionDueAt: new Date('2026-11-23T12:00:00Z'),
        slaPausedAt: new Date('2026-11-23T09:00:00Z'),
        slaPausedMinutes: 30,
      },
      new Date('2026-11-23T17:00:00Z'),
      calendar,
    );
    expect(resumed).toEqual({
      slaPausedAt: null,
      slaPausedMinutes: 450,
      resolutionDueAt: new Date('2026-11-24T10:00:00Z'), // Monday 13:00 + 7 h = Tuesday 11:00
    });
  });

  it('keeps a breach mark only while the new due time, too, has passed unmet', () => {
    const marked = {
      firstResponseBreachedAt: at(-10),
      resolutionBreachedAt: at(-10),
      firstRespondedAt: at(-5),
      resolvedAt: null,
    };
    expect(breachesUnder({ firstResponseDueAt: at(-2), resolutionDueAt: at(60) }, marked, now)).toEqual({
      firstResponseBreachedAt: null, // answered at -5, before the new due time -2
      resolutionBreachedAt: null,
    });
    expect(breachesUnder({ firstResponseDueAt: at(-20), resolutionDueAt: at(-20) }, marked, now)).toEqual({
      firstResponseBreachedAt: at(-10),
      resolutionBreachedAt: at(-10),
    });
  });
});
