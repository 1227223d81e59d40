/** Size of a run: "quick" keeps the suite alive inside `pnpm test`, "full" produces the published numbers. */
export type Size = "quick" | "full";

/** One absolute figure, always with its unit. */
export interface Metric {
  readonly label: string;
  readonly value: number;
  readonly unit: string;
}

/**
 * How much better ours is than the baseline, as one number where higher is better
 * (1 = parity): a throughput quotient or a cost quotient turned the right way round.
 */
export interface Ratio {
  readonly value: number;
  /** How the number was formed, e.g. "naive time / batched time". */
  readonly definition: string;
  /** The goal in the same terms, when it has one (drawn on the chart). */
  readonly target?: number;
}

/** A goal from issue 6: reported, never asserted. */
export interface Goal {
  readonly description: string;
  readonly target: string;
  readonly actual: string;
  readonly met: boolean;
}

/** A correctness check inside a benchmark (convergence, row counts): the test suite asserts these. */
export interface Check {
  readonly name: string;
  readonly passed: boolean;
  readonly detail?: string;
}

export interface BenchResult {
  readonly name: string;
  readonly title: string;
  readonly size: Size;
  readonly status: "ok" | "skipped";
  readonly skipReason?: string;
  /** Sizes and settings of this run. */
  readonly params: Readonly<Record<string, number | string>>;
  readonly ours: readonly Metric[];
  readonly baseline: readonly Metric[];
  /** Absent when the benchmark was skipped. */
  readonly ratio?: Ratio;
  readonly goals: readonly Goal[];
  readonly checks: readonly Check[];
  readonly notes: readonly string[];
  readonly durationMs: number;
  readonly finishedAt: string;
  /** One-minute load average when it started: shows whether others were using the CPU. */
  readonly loadAtStart: number;
}

/** What a benchmark module returns; the runner adds name, size, duration, time and load. */
export type BenchOutcome = Omit<
  BenchResult,
  "name" | "size" | "durationMs" | "finishedAt" | "loadAtStart"
>;

export interface Benchmark {
  /** Stable id: file name of its JSON result, and the name on the command line. */
  readonly name: string;
  run(size: Size): Promise<BenchOutcome>;
}
