import type { BenchOutcome } from "./types.js";

/** The outcome of a benchmark that cannot run here (no database, no browser): said, not faked. */
export function skipped(title: string, reason: string): BenchOutcome {
  return {
    title,
    status: "skipped",
    skipReason: reason,
    params: {},
    ours: [],
    baseline: [],
    goals: [],
    checks: [],
    notes: [],
  };
}
