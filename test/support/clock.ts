import type { Clock } from '../../src/shared/clock.js';

/**
 * A clock that tests move by hand, starting at a known instant. A ticking one also runs on with real
 * time, for a test app whose workers run: a retry or a re-check due in a second must come due
 * without the test stepping in, and records made one after another must not share an instant.
 */
export function testClock(start = new Date('2026-11-23T09:00:00Z'), { ticking = false } = {}) {
  const startedAt = performance.now();
  let offset = start.getTime();
  return {
    now: () => new Date(offset + (ticking ? Math.floor(performance.now() - startedAt) : 0)),
    advance(ms: number) {
      offset += ms;
    },
  } satisfies Clock & { advance(ms: number): void };
}
