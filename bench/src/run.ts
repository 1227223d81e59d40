import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { describeMachine } from "./machine.js";
import { BENCHMARKS } from "./registry.js";
import { ANALYSIS } from "./report/analysis.js";
import { renderChart } from "./report/chart.js";
import { renderMarkdown } from "./report/markdown.js";
import { METHOD } from "./report/method.js";
import { closeSharedServer } from "./server-pool.js";
import type { Benchmark, BenchResult, Size } from "./types.js";

const RESULTS_DIR = fileURLToPath(new URL("../results/", import.meta.url));
const DOCS_DIR = fileURLToPath(new URL("../../docs/", import.meta.url));

export interface RunOptions {
  readonly size: Size;
  /** Benchmark names; all when empty. */
  readonly names: readonly string[];
  /** Write docs/performance.md and the chart (off in the test suite: docs hold full-size numbers). */
  readonly render: boolean;
  readonly log?: (line: string) => void;
}

/** Runs the selected benchmarks one after the other, writing each result as soon as it exists. */
export async function runBenchmarks(options: RunOptions): Promise<BenchResult[]> {
  const selected = select(options.names);
  const log = options.log ?? (() => {});
  await mkdir(RESULTS_DIR, { recursive: true });
  const results: BenchResult[] = [];
  for (const bench of selected) {
    log(`${bench.name} (${options.size}) ...`);
    const loadAtStart = Math.round((loadavg()[0] ?? 0) * 100) / 100;
    const start = performance.now();
    const outcome = await bench.run(options.size);
    const result: BenchResult = {
      ...outcome,
      name: bench.name,
      size: options.size,
      durationMs: Math.round(performance.now() - start),
      finishedAt: new Date().toISOString(),
      loadAtStart,
    };
    results.push(result);
    if (options.render)
      await writeFile(`${RESULTS_DIR}${bench.name}.json`, `${JSON.stringify(result, null, 2)}\n`);
    log(
      `  ${result.status}${result.ratio ? `, ratio ${result.ratio.value}x` : ""} in ${result.durationMs} ms`,
    );
  }
  if (options.render) await renderReport();
  return results;
}

function select(names: readonly string[]): Benchmark[] {
  if (names.length === 0) return [...BENCHMARKS];
  const unknown = names.filter((n) => !BENCHMARKS.some((b) => b.name === n));
  if (unknown.length > 0) {
    throw new Error(
      `unknown benchmark(s): ${unknown.join(", ")}; known: ${BENCHMARKS.map((b) => b.name).join(", ")}`,
    );
  }
  return BENCHMARKS.filter((b) => names.includes(b.name));
}

/** Renders the report from every stored result, so a partial run keeps the others' numbers. */
export async function renderReport(): Promise<void> {
  const stored: BenchResult[] = [];
  for (const file of await readdir(RESULTS_DIR)) {
    if (!file.endsWith(".json")) continue;
    stored.push(JSON.parse(await readFile(`${RESULTS_DIR}${file}`, "utf8")) as BenchResult);
  }
  const order = (r: BenchResult) => BENCHMARKS.findIndex((b) => b.name === r.name);
  const results = stored.filter((r) => order(r) >= 0).sort((a, b) => order(a) - order(b));
  await mkdir(DOCS_DIR, { recursive: true });
  await writeFile(
    `${DOCS_DIR}performance.md`,
    renderMarkdown({ machine: describeMachine(), results, analysis: ANALYSIS, method: METHOD }),
  );
  await writeFile(`${DOCS_DIR}performance-chart.svg`, renderChart(results));
}

const isMain = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  const args = process.argv.slice(2).filter((a) => a !== "--");
  const size: Size = args.includes("--quick") ? "quick" : "full";
  const names = args.filter((a) => !a.startsWith("--"));
  try {
    // --render-only rewrites docs/performance.md from the stored results (after editing the analysis).
    if (args.includes("--render-only")) await renderReport();
    else await runBenchmarks({ size, names, render: true, log: (line) => console.log(line) });
  } finally {
    await closeSharedServer();
  }
  // Server handles and pools must not keep the process alive after the report is written.
  process.exit(0);
}
