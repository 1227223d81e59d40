/**
 * Hand-written reading of the last full run, per benchmark: why a goal is missed and what would
 * close it. Shown in docs/performance.md only while that benchmark misses a goal.
 */
export const ANALYSIS: Readonly<Record<string, string>> = {};
