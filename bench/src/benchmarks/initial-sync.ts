import { LIMITS } from "@sync/protocol";
import { bundlePage } from "../browser/bundle.js";
import { launchChromium, missingChromium } from "../browser/chromium.js";
import type { OursRun, RawPull, RawPut } from "../browser/initial-sync-page.js";
import { servePageWithApi } from "../browser/page-with-api.js";
import { skipped } from "../skipped.js";
import { round } from "../stats.js";
import type { Benchmark, BenchOutcome, Size } from "../types.js";
import { seedServer } from "./initial-sync-seed.js";

const SIZES = { quick: { rows: 1_000 }, full: { rows: 100_000 } } as const;

const title = (rows: number) =>
  `Initial sync of ${rows.toLocaleString("en-US")} rows into IndexedDB in Chromium vs raw bulk put`;

/** Issue 6, benchmark 4: initial sync into Chromium's IndexedDB vs a raw bulk put of the same rows. */
export const initialSync: Benchmark = {
  name: "initial-sync",
  async run(size: Size): Promise<BenchOutcome> {
    // Without Postgres the rows are seeded through push, which is slow: full runs drop to the
    // quick size, and quick runs (inside `pnpm test`) to a quarter of it.
    const rows = process.env.DATABASE_URL
      ? SIZES[size].rows
      : size === "quick"
        ? SIZES.quick.rows / 4
        : SIZES.quick.rows;
    const missing = missingChromium();
    if (missing) return skipped(title(rows), missing);
    const server = await seedServer(rows, size);
    try {
      const page = await servePageWithApi(await bundlePage("./initial-sync-page.ts"), server.api);
      const browser = await launchChromium();
      try {
        const tab = await browser.newPage();
        await tab.goto(page.url);
        await tab.waitForFunction(() => "bench" in window);
        const version = browser.version();
        const probeMs = await tab.evaluate(() => window.bench.probeLongTask());
        // Raw pull of every page first: it warms the server and yields the very rows the
        // baseline puts (kept in the page, not shipped back here).
        const pull: RawPull = await tab.evaluate(
          ([token, limit]) => window.bench.rawPull(token, limit),
          // Pages as the client asks for them (LIMITS.maxPullLimit rows).
          [server.token, LIMITS.maxPullLimit] as const,
        );
        const one: RawPut = await tab.evaluate(() => window.bench.rawPut(0));
        const paged: RawPut = await tab.evaluate(
          (limit) => window.bench.rawPut(limit),
          LIMITS.defaultPullLimit,
        );
        // The baseline is the faster way of putting the same rows.
        const putMs = Math.min(one.ms, paged.ms);
        const ours: OursRun = await tab.evaluate(
          ([token, expected]) => window.bench.runOurs(token, expected),
          [server.token, rows] as const,
        );
        const ratio = putMs / ours.ms;
        const entityRows = pull.rows; // lists, items and the caller's membership
        return {
          title: title(rows),
          status: "ok",
          params: {
            rows,
            backend: server.backend,
            browser: `Chromium ${version} headless`,
            pages: pull.pages,
          },
          ours: [
            {
              label: "sync client: start() to every row in store and view",
              value: round(ours.ms),
              unit: "ms",
            },
            { label: "throughput", value: round((rows / ours.ms) * 1000), unit: "rows/s" },
            { label: "bytes on the wire (response bodies)", value: ours.bytes, unit: "B" },
            { label: "bytes per row on the wire", value: round(ours.bytes / rows), unit: "B" },
            {
              label: "longest main-thread task (longtask observer)",
              value: round(ours.longestTaskMs),
              unit: "ms",
            },
            { label: "main-thread tasks over 50 ms", value: ours.longTasks, unit: "tasks" },
            {
              label: "longest gap of a 0 ms timer chain",
              value: round(ours.longestGapMs),
              unit: "ms",
            },
          ],
          baseline: [
            { label: "raw bulk put, the faster of the two below", value: round(putMs), unit: "ms" },
            {
              label: "raw bulk put throughput",
              value: round((rows / putMs) * 1000),
              unit: "rows/s",
            },
            { label: "raw bulk put, one transaction", value: round(one.ms), unit: "ms" },
            { label: "raw bulk put, 500-row transactions", value: round(paged.ms), unit: "ms" },
            {
              label: "raw bulk put, longest task of the 500-row transactions",
              value: round(paged.longestTaskMs),
              unit: "ms",
            },
            {
              label: "raw pull of every page (1,000 rows each), fetch + JSON.parse (no storage)",
              value: round(pull.ms),
              unit: "ms",
            },
            { label: "raw pull bytes", value: pull.bytes, unit: "B" },
          ],
          ratio: {
            value: round(ratio),
            definition: "raw bulk put time / our sync time",
            target: round(1 / 1.3),
          },
          goals: [
            {
              description: "initial sync within 1.3x the raw bulk put",
              target: "<= 1.3x",
              actual: `${round(ours.ms / putMs)}x`,
              met: ours.ms <= 1.3 * putMs,
            },
            {
              description: "no main-thread task over 50 ms",
              target: "<= 50 ms",
              actual: `${round(ours.longestTaskMs)} ms (longest task, ${ours.longTasks} over 50 ms)`,
              met: ours.longTasks === 0,
            },
          ],
          checks: [
            {
              name: "the client's view holds every row",
              passed: ours.inView === rows,
              detail: `${ours.inView} of ${rows}`,
            },
            {
              name: "the client's store holds every pulled row",
              passed: ours.inStore === entityRows,
              detail: `${ours.inStore} of ${entityRows}`,
            },
            {
              name: "the raw stores hold every row",
              passed: one.stored === entityRows && paged.stored === entityRows,
              detail: `${one.stored} and ${paged.stored} of ${entityRows}`,
            },
            {
              name: "the long-task observer reports in this browser (an 80 ms busy loop)",
              passed: probeMs >= 50,
              detail: `${round(probeMs)} ms`,
            },
          ],
          notes: [
            "One page in headless Chromium with real IndexedDB, served from the API's origin; the server runs in the benchmark's Node process, so it shares the machine's 2 cores with Chromium.",
            "Order: raw pull of every page (fetch + JSON.parse), the raw puts of those rows (default durability, like the client), then our client from an empty database.",
            "Long tasks: PerformanceObserver('longtask') on the page's main thread from start() until the view holds every row.",
            "Rows: one list and its items, seeded with one SQL statement when the database is Postgres, by push otherwise.",
            ...(rows < SIZES[size].rows
              ? [
                  `PGlite (DATABASE_URL unset): ${rows} rows seeded through push instead of ${SIZES[size].rows}.`,
                ]
              : []),
          ],
        };
      } finally {
        await browser.close();
        await page.close();
      }
    } finally {
      await server.close();
    }
  },
};
