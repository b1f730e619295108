import type { Clock } from '../../src/shared/clock.js';

/** A clock that tests move by hand. */
export function testClock(start = new Date('2026-11-23T09:00:00Z')) {
  let now = start.getTime();
  return {
    now: () => new Date(now),
    advance(ms: number) {
      now += ms;
    },
  } satisfies Clock & { advance(ms: number): void };
}
