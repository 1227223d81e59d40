import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { backoffDelay } from "./backoff";

const numRuns = Number(process.env.FC_NUM_RUNS ?? 200);

describe("backoffDelay", () => {
  it("[Q3] doubles the ceiling per attempt up to the cap", () => {
    const top = () => 0.5;
    const delays = [1, 2, 3, 4, 5, 6].map((n) =>
      backoffDelay(n, top, { baseMs: 100, maxMs: 1000 }),
    );
    expect(delays).toEqual([50, 100, 200, 400, 500, 500]);
  });

  it("[Q3] defaults to 500 ms base and a 30 s cap", () => {
    expect(backoffDelay(1, () => 0.5)).toBe(250);
    expect(backoffDelay(40, () => 0.5)).toBe(15_000);
  });

  it("[Q3] full jitter: every delay lies in [0, min(cap, base * 2^(attempt-1)))", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2000 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 1, max: 100_000 }),
        (attempt, r, baseMs, maxMs) => {
          const delay = backoffDelay(attempt, () => r, { baseMs, maxMs });
          const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(attempt - 1, 52));
          expect(Number.isInteger(delay)).toBe(true);
          expect(delay).toBeGreaterThanOrEqual(0);
          expect(delay).toBeLessThan(ceiling);
        },
      ),
      { numRuns },
    );
  });
});
