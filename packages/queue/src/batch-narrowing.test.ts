import { describe, expect, it } from "vitest";
import { BatchNarrowing } from "./batch-narrowing";

const entries = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => ({ seq: from + i }));

describe("BatchNarrowing", () => {
  it("[Q4] halves a failed batch until one entry is left, then returns to full size", () => {
    const narrowing = new BatchNarrowing(8);
    expect(narrowing.cut(entries(1, 8))).toHaveLength(8);
    narrowing.narrow(entries(1, 8));
    expect(narrowing.cut(entries(1, 8)).map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    // [1-4] passed; [5-8] fails as well.
    narrowing.narrow(entries(5, 8));
    expect(narrowing.cut(entries(5, 12)).map((e) => e.seq)).toEqual([5, 6]);
    narrowing.narrow(entries(5, 6));
    expect(narrowing.cut(entries(5, 12)).map((e) => e.seq)).toEqual([5]);
    // 5 was the culprit; 6 is still inside the last failed range: alone too.
    expect(narrowing.cut(entries(6, 13)).map((e) => e.seq)).toEqual([6]);
    // Past it: the whole head again (a later culprit starts a new search).
    expect(narrowing.cut(entries(7, 14))).toHaveLength(8);
    expect(narrowing.cut(entries(7, 14))).toHaveLength(8);
  });
});
