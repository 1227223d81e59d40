/** Percentile by nearest rank on a copy (p in 0..100). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new RangeError("percentile of no values");
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

export interface Repeated<T> {
  /** Milliseconds of each measured repetition (warm-ups excluded). */
  readonly timesMs: number[];
  readonly medianMs: number;
  /** What the last repetition returned (for checks). */
  readonly last: T;
}

/**
 * Runs `fn` `warmup` times unmeasured (JIT, caches, connection pools), then `repeat` times
 * measured; reports every time and the median, which resists a neighbour's CPU burst.
 */
export async function repeatTimed<T>(
  fn: () => Promise<T> | T,
  options: { warmup: number; repeat: number },
): Promise<Repeated<T>> {
  for (let i = 0; i < options.warmup; i++) await fn();
  const timesMs: number[] = [];
  let last: T | undefined;
  for (let i = 0; i < options.repeat; i++) {
    const start = performance.now();
    last = await fn();
    timesMs.push(performance.now() - start);
  }
  if (timesMs.length === 0) throw new RangeError("repeat must be at least 1");
  return { timesMs, medianMs: median(timesMs), last: last as T };
}

/** Rounds for display and JSON: three significant digits is all a shared machine supports. */
export function round(value: number, digits = 3): number {
  if (!Number.isFinite(value) || value === 0) return value;
  const magnitude = Math.floor(Math.log10(Math.abs(value)));
  const factor = 10 ** (digits - 1 - magnitude);
  return Math.round(value * factor) / factor;
}
