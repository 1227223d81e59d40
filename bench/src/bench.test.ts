import { afterAll, describe, expect, it } from "vitest";
import { BENCHMARKS } from "./registry.js";
import { runBenchmarks } from "./run.js";
import { closeSharedServer } from "./server-pool.js";
import type { BenchResult } from "./types.js";

const finite = (value: number) => Number.isFinite(value);

function expectWellFormed(result: BenchResult): void {
  expect(result.name).toMatch(/^[a-z][a-z0-9-]*$/);
  expect(result.title.length).toBeGreaterThan(0);
  expect(result.size).toBe("quick");
  if (result.status === "skipped") {
    expect(result.skipReason?.length ?? 0).toBeGreaterThan(0);
    return;
  }
  expect(result.ours.length).toBeGreaterThan(0);
  expect(result.baseline.length).toBeGreaterThan(0);
  for (const m of [...result.ours, ...result.baseline]) {
    expect(finite(m.value), `${m.label} = ${m.value}`).toBe(true);
    expect(m.unit.length).toBeGreaterThan(0);
  }
  expect(result.ratio && finite(result.ratio.value) && result.ratio.value > 0).toBe(true);
  expect(result.goals.length).toBeGreaterThan(0);
  for (const goal of result.goals) expect(typeof goal.met).toBe("boolean");
  expect(result.checks.length).toBeGreaterThan(0);
}

// Keeps the benchmarks working; timings are measured here but never judged.
describe("benchmark suite (--quick)", () => {
  afterAll(() => closeSharedServer(), 30_000);
  for (const bench of BENCHMARKS) {
    it(`${bench.name} produces a well-formed result whose checks pass`, async () => {
      const [result, ...rest] = await runBenchmarks({
        size: "quick",
        names: [bench.name],
        render: false,
      });
      expect(rest).toHaveLength(0);
      if (!result) throw new Error("no result");
      expect(result.name).toBe(bench.name);
      expectWellFormed(result);
      for (const check of result.checks) {
        expect(check.passed, `${check.name} ${check.detail ?? ""}`).toBe(true);
      }
    }, 120_000);
  }
});
