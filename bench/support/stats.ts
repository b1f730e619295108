/** Nearest-rank percentile of an ascending array; p in [0, 100]. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export type Summary = { count: number; min: number; mean: number; p50: number; p95: number; p99: number; max: number };

export function summarize(samples: readonly number[]): Summary {
  const sorted = Float64Array.from(samples).sort();
  const values = Array.from(sorted);
  let total = 0;
  for (const value of values) total += value;
  return {
    count: values.length,
    min: values[0] ?? Number.NaN,
    mean: values.length ? total / values.length : Number.NaN,
    p50: percentile(values, 50),
    p95: percentile(values, 95),
    p99: percentile(values, 99),
    max: values[values.length - 1] ?? Number.NaN,
  };
}

/** value / baseline, or null when either side is missing. */
export function ratio(value: number | null | undefined, baseline: number | null | undefined): number | null {
  if (value == null || baseline == null || !Number.isFinite(value) || !Number.isFinite(baseline) || baseline === 0)
    return null;
  return value / baseline;
}

export const elapsedMs = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;
export const now = () => process.hrtime.bigint();

/** Times `runs` calls of `work` after `warmup` unmeasured ones (plans, caches, JIT). */
export async function timeRuns(
  runs: number,
  work: (run: number) => Promise<unknown>,
  warmup: number,
): Promise<Summary> {
  for (let run = 0; run < warmup; run++) await work(run);
  const samples: number[] = [];
  for (let run = 0; run < runs; run++) {
    const start = now();
    await work(run);
    samples.push(elapsedMs(start));
  }
  return summarize(samples);
}
