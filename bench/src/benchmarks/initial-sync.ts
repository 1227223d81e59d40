import { monitorEventLoopDelay } from "node:perf_hooks";
import type { Row } from "@sync/protocol";
import type { TestSession } from "@sync/server/testing";
import { createApiClient } from "../http-client.js";
import { createNodeClient, whenStatus } from "../node-client.js";
import { bulkPut, countRows, openRawDb, pagedPut } from "../raw-idb.js";
import { round } from "../stats.js";
import type { Benchmark, BenchOutcome, Size } from "../types.js";
import { seedServer } from "./initial-sync-seed.js";

const SIZES = { quick: { rows: 1_000 }, full: { rows: 100_000 } } as const;

/** Issue 6, benchmark 4: initial sync into IndexedDB vs a raw bulk put of the same rows. */
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
    const server = await seedServer(rows, size);
    try {
      const session: TestSession = { token: server.token, userId: "", username: "" };
      // Raw pull of every page first: it warms the server and yields the very rows the ceiling puts.
      const api = createApiClient(server.url, server.token);
      const pulled: Row[] = [];
      let cursor = 0;
      let pullBytes = 0;
      const pullStart = performance.now();
      for (;;) {
        const { response, bytes } = await api.pull(cursor);
        pulled.push(...response.rows);
        pullBytes += bytes;
        cursor = response.cursor;
        if (!response.hasMore) break;
      }
      const pullMs = performance.now() - pullStart;

      const rawDb = await openRawDb(`raw-initial-${process.pid}-${Date.now()}`);
      const bulkStart = performance.now();
      await bulkPut(rawDb, pulled);
      const bulkMs = performance.now() - bulkStart;
      const rawCount = await countRows(rawDb);
      rawDb.close();
      const pagedDb = await openRawDb(`raw-paged-${process.pid}-${Date.now()}`);
      const pagedStart = performance.now();
      await pagedPut(pagedDb, pulled, 500);
      const pagedMs = performance.now() - pagedStart;
      const pagedCount = await countRows(pagedDb);
      pagedDb.close();
      // The ceiling is the faster way of putting the same rows.
      const putMs = Math.min(bulkMs, pagedMs);

      // Ours: a fresh client syncs from cursor 0 until every row is in its store and view.
      let wireBytes = 0;
      const node = createNodeClient(server.url, session, {
        fetch: async (input, init) => {
          const res = await fetch(input, init);
          const body = await res.arrayBuffer();
          wireBytes += body.byteLength;
          return new Response(body, {
            status: res.status,
            statusText: res.statusText,
            headers: res.headers,
          });
        },
      });
      const loop = monitorEventLoopDelay({ resolution: 10 });
      loop.enable();
      const start = performance.now();
      await node.client.start();
      let synced = 0;
      try {
        await whenStatus(
          node.client,
          (s) =>
            s.state === "synced" &&
            node.client.list("item").length + node.client.list("list").length >= rows,
          600_000,
          "the initial sync",
        );
        synced = node.client.list("item").length + node.client.list("list").length;
      } finally {
        loop.disable();
      }
      const oursMs = performance.now() - start;
      await node.client.stop();
      const longestBlockMs = loop.max / 1e6;
      const ratio = putMs / oursMs;
      return {
        title: `Initial sync of ${rows.toLocaleString("en-US")} rows into IndexedDB vs raw bulk put (Node + fake-indexeddb)`,
        status: "ok",
        params: {
          rows,
          backend: server.backend,
          indexedDB: "fake-indexeddb (Node)",
          pages: Math.ceil(rows / 500),
        },
        ours: [
          {
            label: "sync client: start() to every row in store and view",
            value: round(oursMs),
            unit: "ms",
          },
          { label: "throughput", value: round((rows / oursMs) * 1000), unit: "rows/s" },
          { label: "bytes on the wire (response bodies)", value: wireBytes, unit: "B" },
          { label: "bytes per row on the wire", value: round(wireBytes / rows), unit: "B" },
          { label: "longest event-loop block", value: round(longestBlockMs), unit: "ms" },
        ],
        baseline: [
          { label: "raw bulk put, the faster of the two below", value: round(putMs), unit: "ms" },
          { label: "raw bulk put throughput", value: round((rows / putMs) * 1000), unit: "rows/s" },
          { label: "raw bulk put, one transaction", value: round(bulkMs), unit: "ms" },
          { label: "raw bulk put, 500-row transactions", value: round(pagedMs), unit: "ms" },
          { label: "raw pull of every page (no storage)", value: round(pullMs), unit: "ms" },
          { label: "raw pull bytes", value: pullBytes, unit: "B" },
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
            actual: `${round(oursMs / putMs)}x`,
            met: oursMs <= 1.3 * putMs,
          },
          {
            description: "no main-thread task over 50 ms",
            target: "<= 50 ms",
            actual: `${round(longestBlockMs)} ms (event-loop delay max)`,
            met: longestBlockMs <= 50,
          },
        ],
        checks: [
          {
            name: "the client holds every row",
            passed: synced === rows,
            detail: `${synced} of ${rows}`,
          },
          {
            name: "the paged raw store holds every row",
            passed: pagedCount === pulled.length,
            detail: `${pagedCount} of ${pulled.length}`,
          },
          {
            name: "the raw store holds every row",
            passed: rawCount === pulled.length,
            detail: `${rawCount} of ${pulled.length}`,
          },
          {
            name: "the raw pull returned every row",
            passed: pulled.filter((r) => r.entity !== "membership").length === rows,
          },
        ],
        notes: [
          "Node with fake-indexeddb, not Chromium: absolute figures differ from a browser; both sides use the same IndexedDB.",
          "Rows: one list and its items, seeded with one SQL statement when the database is Postgres, by push otherwise.",
          ...(rows < SIZES[size].rows
            ? [
                `PGlite (DATABASE_URL unset): ${rows} rows seeded through push instead of ${SIZES[size].rows}.`,
              ]
            : []),
        ],
      };
    } finally {
      await server.close();
    }
  },
};
