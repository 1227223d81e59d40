import { existsSync } from "node:fs";
import { bundlePage } from "../browser/bundle.js";
import { CHROMIUM_PATH, launchChromium, servePage } from "../browser/chromium.js";
import type { WriteTimings } from "../browser/local-write-page.js";
import { percentile, round } from "../stats.js";
import type { Benchmark, BenchOutcome, Size } from "../types.js";

const SIZES = {
  quick: { records: 20, writes: 30, warm: 10, liveQueries: 100 },
  full: { records: 100, writes: 1_000, warm: 50, liveQueries: 100 },
} as const;

const TITLE =
  "Local write latency in Chromium: mutate() to durable in IndexedDB and rendered vs a raw IndexedDB put";

/** Issue 6, benchmark 3: local write latency in headless Chromium. */
export const localWrite: Benchmark = {
  name: "local-write",
  async run(size: Size): Promise<BenchOutcome> {
    const s = SIZES[size];
    if (!existsSync(CHROMIUM_PATH)) {
      return {
        title: TITLE,
        status: "skipped",
        skipReason: `skipped (no Chromium at ${CHROMIUM_PATH}; set CHROMIUM_PATH)`,
        params: {},
        ours: [],
        baseline: [],
        goals: [],
        checks: [],
        notes: [],
      };
    }
    const page = await servePage(await bundlePage("./local-write-page.ts"));
    const browser = await launchChromium();
    try {
      const tab = await browser.newPage();
      await tab.goto(page.url);
      await tab.waitForFunction(() => "bench" in window);
      const version = browser.version();
      // Warm-up of both paths, then ours and raw alternately in two halves.
      await tab.evaluate(([r, w, q]) => window.bench.runOurs(r, w, q), [
        s.records,
        s.warm,
        s.liveQueries,
      ] as const);
      await tab.evaluate(([r, w]) => window.bench.runRaw(r, w), [s.records, s.warm] as const);
      const half = Math.ceil(s.writes / 2);
      const ours: WriteTimings = { durable: [], visible: [], frame: [] };
      const raw: number[] = [];
      for (const writes of [half, s.writes - half]) {
        const o = await tab.evaluate(([r, w, q]) => window.bench.runOurs(r, w, q), [
          s.records,
          writes,
          s.liveQueries,
        ] as const);
        ours.durable.push(...o.durable);
        ours.visible.push(...o.visible);
        ours.frame.push(...o.frame);
        raw.push(
          ...(await tab.evaluate(([r, w]) => window.bench.runRaw(r, w), [
            s.records,
            writes,
          ] as const)),
        );
      }
      const durableP99 = percentile(ours.durable, 99);
      const visibleP99 = percentile(ours.visible, 99);
      const rawP99 = percentile(raw, 99);
      const ratio = rawP99 / durableP99;
      return {
        title: TITLE,
        status: "ok",
        params: {
          writes: s.writes,
          records: s.records,
          liveQueries: s.liveQueries,
          browser: `Chromium ${version} headless`,
        },
        ours: [
          {
            label: "mutate() to durable, p50",
            value: round(percentile(ours.durable, 50)),
            unit: "ms",
          },
          { label: "mutate() to durable, p99", value: round(durableP99), unit: "ms" },
          {
            label: "mutate() to rendered, p50",
            value: round(percentile(ours.visible, 50)),
            unit: "ms",
          },
          { label: "mutate() to rendered, p99", value: round(visibleP99), unit: "ms" },
          {
            label: "mutate() to next frame after both, p99",
            value: round(percentile(ours.frame, 99)),
            unit: "ms",
          },
        ],
        baseline: [
          {
            label: "raw IndexedDB put, one transaction, p50",
            value: round(percentile(raw, 50)),
            unit: "ms",
          },
          { label: "raw IndexedDB put, one transaction, p99", value: round(rawP99), unit: "ms" },
        ],
        ratio: {
          value: round(ratio),
          definition: "raw put p99 / our durable write p99",
          target: round(1 / 1.5),
        },
        goals: [
          {
            description: `optimistic update visible p99 under 16 ms with ${s.liveQueries} live queries`,
            target: "< 16 ms",
            actual: `${round(visibleP99)} ms`,
            met: visibleP99 < 16,
          },
          {
            description: "durable local write p99 at most 1.5x one raw IndexedDB transaction",
            target: "<= 1.5x",
            actual: `${round(durableP99 / rawP99)}x`,
            met: durableP99 <= 1.5 * rawP99,
          },
        ],
        checks: [
          {
            name: "every write was timed on both sides",
            passed: ours.durable.length === s.writes && raw.length === s.writes,
          },
        ],
        notes: [
          "One page: our sync client (local writes only, autoSync off) with a keyed list renderer and 100 live queries (subscribers that re-run a filtered list), then raw puts into a separate database.",
          "Each update changes one item's text; the next write starts once the previous one is durable, rendered and a frame has passed.",
          "The raw side uses the plain IndexedDB API (what idb wraps), default durability like the client's, one readwrite transaction per put.",
        ],
      };
    } finally {
      await browser.close();
      await page.close();
    }
  },
};
