import { describe, expect, it } from 'vitest';
import {
  addYears,
  isCalendarDate,
  latestStartDue,
  retainUntil,
  retentionEnded,
  type RetentionRule,
} from '../../src/records/retention.js';

const tenYearsFromCreation: RetentionRule = { trigger: 'creation', years: 10, eventField: null };
const sixYearsAfterContractEnd: RetentionRule = { trigger: 'event', years: 6, eventField: 'end' };
const forGood: RetentionRule = { trigger: 'permanent', years: null, eventField: null };

describe('retention arithmetic', () => {
  it.each([
    ['2020-06-15', 10, '2030-06-15'],
    ['2024-02-29', 1, '2025-03-01'],
    ['2024-02-29', 4, '2028-02-29'],
    ['2023-02-28', 1, '2024-02-28'],
    ['2025-12-31', 1, '2026-12-31'],
    ['2025-01-31', 0, '2025-01-31'],
  ])('%s plus %i years is %s', (start, years, end) => {
    expect(addYears(start, years)).toBe(end);
  });

  it.each([
    ['2025-02-28', 1, '2024-02-28'],
    ['2025-03-01', 1, '2024-03-01'],
    ['2028-02-29', 1, '2027-02-28'],
    ['2028-02-29', 4, '2024-02-29'],
  ])('on %s the records started up to %s years earlier are due: %s', (today, years, latest) => {
    expect(latestStartDue(today, years)).toBe(latest);
  });

  it('agrees with addYears on every day around two leap days: due exactly when its years are over', () => {
    const days = (from: string, count: number) =>
      Array.from({ length: count }, (_, index) =>
        new Date(Date.parse(`${from}T00:00:00Z`) + index * 86_400_000).toISOString().slice(0, 10),
      );
    for (const years of [1, 3, 4]) {
      for (const start of days('2024-02-20', 20)) {
        for (const today of days(addYears('2024-02-15', years), 30)) {
          expect(start <= latestStartDue(today, years)).toBe(retentionEnded(addYears(start, years), today));
        }
      }
    }
  });

  it('counts from creation, in UTC', () => {
    expect(retainUntil(tenYearsFromCreation, { createdAt: new Date('2016-02-29T23:30:00Z'), eventDate: null })).toBe(
      '2026-03-01',
    );
  });

  it('counts from the event: the metadata field first, else the date set by hand, else not yet', () => {
    const createdAt = new Date('2020-01-01T00:00:00Z');
    expect(
      retainUntil(sixYearsAfterContractEnd, { createdAt, eventDate: '2021-01-01', metadata: { end: '2024-02-29' } }),
    ).toBe('2030-03-01');
    expect(
      retainUntil(sixYearsAfterContractEnd, { createdAt, eventDate: '2021-05-31', metadata: { end: 'soon' } }),
    ).toBe('2027-05-31');
    expect(retainUntil(sixYearsAfterContractEnd, { createdAt, eventDate: null, metadata: {} })).toBeNull();
  });

  it('keeps a permanent record for good', () => {
    const until = retainUntil(forGood, { createdAt: new Date('1990-01-01T00:00:00Z'), eventDate: '1990-01-01' });
    expect(until).toBeNull();
    expect(retentionEnded(until, '2999-12-31')).toBe(false);
  });

  it('ends on the day itself, not the day before', () => {
    expect(retentionEnded('2030-06-15', '2030-06-14')).toBe(false);
    expect(retentionEnded('2030-06-15', '2030-06-15')).toBe(true);
  });

  it('knows a real calendar date', () => {
    expect(isCalendarDate('2024-02-29')).toBe(true);
    expect(isCalendarDate('2025-02-29')).toBe(false);
    expect(isCalendarDate('2025-13-01')).toBe(false);
    expect(isCalendarDate('25-01-01')).toBe(false);
  });
});
