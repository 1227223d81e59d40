/** The method section of docs/performance.md. */
export const METHOD = [
  "- Each benchmark runs ours and its baseline back to back in one process, on the same data, after a warm-up;",
  "  where a run is short it is repeated and the median is reported; latencies are p50/p99 by nearest rank.",
  "- Ratios are oriented so that higher is better for us: a baseline cost divided by ours, or our throughput",
  '  divided by the baseline\'s. 1x is parity; a goal of "within 1.3x of the ceiling" appears as a target of 0.77x.',
  "- Server benchmarks start the real HTTP server from `@sync/server/testing` on loopback; Postgres figures use",
  "  a fresh database created for the run and dropped after it (from `DATABASE_URL`).",
  "- Traces are generated from fixed seeds, so both sides see identical input and reruns are comparable.",
  "- `pnpm bench` runs the full sizes; `pnpm bench -- --quick` tiny sizes (what `pnpm test` runs, asserting only",
  "  that results are well-formed and convergence checks pass, never timings); `pnpm bench -- <name> ...` a subset;",
  "  `pnpm bench -- --render-only` rewrites this page from the stored results.",
  "- The published run was made on 2 cores shared with other engineers' builds, tests and browsers (each",
  "  benchmark lists the load average at its start): absolute figures are pessimistic; ratios suffer less,",
  "  since both sides of a benchmark run back to back under the same load.",
].join("\n");
