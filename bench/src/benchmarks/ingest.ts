import { LIMITS, type Operation, type PushResponse } from "@sync/protocol";
import { startTestServer, type TestServer } from "@sync/server/testing";
import { withFreshDatabase } from "../fresh-database.js";
import { countStatuses, createApiClient } from "../http-client.js";
import { chunk, createOpFactory } from "../op-factory.js";
import { skipped } from "../skipped.js";
import { round } from "../stats.js";
import type { Benchmark, BenchOutcome, Size } from "../types.js";
import { createRawTable, rawUpsert } from "./ingest-raw.js";

const SIZES = {
  quick: {
    clients: 8,
    opsPerClient: 40,
    batch: 20,
    manyClients: 10,
    opsPerManyClient: 10,
    budgetMs: 10_000,
  },
  full: {
    clients: 8,
    opsPerClient: 2_500,
    batch: LIMITS.maxOpsPerPush,
    manyClients: 100,
    opsPerManyClient: 100,
    budgetMs: 90_000,
  },
} as const;

interface Load {
  readonly token: string;
  readonly userId: string;
  readonly ops: Operation[];
}

/** Every client pushes its batches in order, all clients at once; stops early past the budget. */
async function ingest(server: TestServer, loads: readonly Load[], batch: number, budgetMs: number) {
  const start = performance.now();
  const responses: PushResponse[] = [];
  let sent = 0;
  await Promise.all(
    loads.map(async (load) => {
      const api = createApiClient(server.url, load.token);
      for (const part of chunk(load.ops, batch)) {
        if (performance.now() - start > budgetMs) return;
        responses.push(await api.push(part));
        sent += part.length;
      }
    }),
  );
  const ms = performance.now() - start;
  return { ms, sent, opsPerSec: (sent / ms) * 1000, counts: countStatuses(responses) };
}

async function makeLoads(
  server: TestServer,
  clients: number,
  opsPerClient: number,
): Promise<Load[]> {
  const loads: Load[] = [];
  for (let i = 0; i < clients; i++) {
    const session = await server.signup();
    loads.push({ ...session, ops: createOpFactory().listWithItems(opsPerClient - 1).ops });
  }
  return loads;
}

/** Issue 6, benchmark 2: server ingest into real Postgres vs a raw multi-row upsert (the ceiling). */
export const serverIngest: Benchmark = {
  name: "ingest",
  async run(size: Size): Promise<BenchOutcome> {
    const s = SIZES[size];
    const title = `Server ingest: ${s.clients} concurrent clients pushing batches into Postgres vs raw multi-row upsert`;
    const adminUrl = process.env.DATABASE_URL;
    if (!adminUrl) {
      return skipped(title, "skipped (needs DATABASE_URL)");
    }
    const server = await startTestServer({ backend: "postgres" });
    try {
      // Warm-up: one client's small drain, so pools and JIT are ready for everyone.
      await ingest(server, await makeLoads(server, 1, 50), 25, s.budgetMs);
      const loads = await makeLoads(server, s.clients, s.opsPerClient);
      const ours = await ingest(server, loads, s.batch, s.budgetMs);
      const many = await ingest(
        server,
        await makeLoads(server, s.manyClients, s.opsPerManyClient),
        s.batch,
        s.budgetMs,
      );

      // The ceiling: the same item rows (what reached the server), same concurrency, same batch size.
      const raw = await withFreshDatabase(
        adminUrl,
        async (sql) => {
          await createRawTable(sql);
          const warm = createOpFactory().listWithItems(200).ops.slice(1);
          await rawUpsert(sql, warm, loads[0]?.userId ?? "", s.batch);
          const start = performance.now();
          let rows = 0;
          await Promise.all(
            loads.map(async (load) => {
              const items = load.ops.slice(1, 1 + Math.ceil(ours.sent / loads.length));
              rows += items.length;
              await rawUpsert(sql, items, load.userId, s.batch);
            }),
          );
          const ms = performance.now() - start;
          const [count] = await sql<{ n: number }[]>`select count(*)::int as n from raw_items`;
          return {
            ms,
            rows,
            rowsPerSec: (rows / ms) * 1000,
            stored: (count?.n ?? 0) - warm.length,
          };
        },
        { max: s.clients },
      );
      const ratio = ours.opsPerSec / raw.rowsPerSec;
      return {
        title,
        status: "ok",
        params: {
          clients: s.clients,
          opsPerClient: s.opsPerClient,
          batch: s.batch,
          opsMeasured: ours.sent,
          manyClients: s.manyClients,
          opsPerManyClient: s.opsPerManyClient,
          manyOpsMeasured: many.sent,
        },
        ours: [
          {
            label: `push ingest, ${s.clients} clients`,
            value: round(ours.opsPerSec),
            unit: "ops/s",
          },
          {
            label: `push ingest, ${s.manyClients} clients`,
            value: round(many.opsPerSec),
            unit: "ops/s",
          },
          { label: `wall time, ${s.clients} clients`, value: round(ours.ms), unit: "ms" },
        ],
        baseline: [
          {
            label: "raw multi-row upsert (postgres.js)",
            value: round(raw.rowsPerSec),
            unit: "rows/s",
          },
          { label: "raw wall time", value: round(raw.ms), unit: "ms" },
        ],
        ratio: { value: round(ratio), definition: "our ops/s / raw upsert rows/s", target: 0.4 },
        goals: [
          {
            description: "server ingest at least 40% of the raw batched upsert of the same rows",
            target: ">= 40%",
            actual: `${round(ratio * 100)}%`,
            met: ratio >= 0.4,
          },
          {
            description: `at least 10k ops/s with ${s.manyClients} concurrent clients`,
            target: ">= 10,000 ops/s",
            actual: `${round(many.opsPerSec)} ops/s`,
            met: many.opsPerSec >= 10_000 && s.manyClients >= 100,
          },
        ],
        checks: [
          {
            name: "every op pushed by 8 clients applied",
            passed: ours.counts.applied === ours.sent,
            detail: JSON.stringify(ours.counts),
          },
          {
            name: "every op pushed by many clients applied",
            passed: many.counts.applied === many.sent,
            detail: JSON.stringify(many.counts),
          },
          {
            name: "the raw upsert stored every row",
            passed: raw.stored === raw.rows,
            detail: `${raw.stored} of ${raw.rows}`,
          },
        ],
        notes: [
          "Ours: the real HTTP server (auth, zod validation, dedup log, membership check, per-field merge) on a fresh Postgres database.",
          "Ceiling: INSERT ... ON CONFLICT DO UPDATE ... WHERE newer clock, one statement per batch, into a copy of the items table with its indexes, in a second fresh database.",
          ...(ours.sent < loads.length * s.opsPerClient
            ? [
                `Stopped at the ${s.budgetMs / 1000} s budget after ${ours.sent} ops; the ceiling upserts the same number of rows.`,
              ]
            : []),
        ],
      };
    } finally {
      await server.close();
    }
  },
};
