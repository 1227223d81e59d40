import { LIMITS, type Operation, type PushResponse } from "@sync/protocol";
import { countStatuses, createApiClient } from "../http-client.js";
import { chunk, createOpFactory } from "../op-factory.js";
import { serverBackend } from "../server-backend.js";
import { withServer } from "../server-pool.js";
import { round } from "../stats.js";
import type { Benchmark, BenchOutcome, Size } from "../types.js";
import { drainThroughClient } from "./drain-client.js";

const SIZES = {
  quick: {
    ops: 40,
    warm: 10,
    naiveBudgetMs: 1_500,
    batchedBudgetMs: 10_000,
    clientBudgetMs: 2_000,
  },
  full: {
    ops: 10_000,
    warm: 200,
    naiveBudgetMs: 60_000,
    batchedBudgetMs: 120_000,
    clientBudgetMs: 90_000,
  },
} as const;

/** Pushes `ops` in order, `batch` per request, one request in flight: how a queue drains. */
async function drain(
  push: (ops: Operation[]) => Promise<PushResponse>,
  ops: readonly Operation[],
  batch: number,
  budgetMs = Infinity,
) {
  const responses: PushResponse[] = [];
  const start = performance.now();
  let sent = 0;
  for (const part of chunk(ops, batch)) {
    responses.push(await push(part));
    sent += part.length;
    if (performance.now() - start > budgetMs) break;
  }
  return { ms: performance.now() - start, sent, responses };
}

/** Issue 6, benchmark 1: draining queued offline operations, batched vs one request per op. */
export const drainQueue: Benchmark = {
  name: "drain",
  async run(size: Size): Promise<BenchOutcome> {
    const s = SIZES[size];
    return withServer(size, async (server) => {
      const session = await server.signup();
      const api = createApiClient(server.url, session.token);
      const push = (ops: Operation[]) => api.push(ops);
      // Warm-up: connections, prepared statements, JIT of the push path, both request shapes.
      const warm = createOpFactory().listWithItems(s.warm).ops;
      await drain(push, warm.slice(0, s.warm / 2), 1);
      await drain(push, warm.slice(s.warm / 2), LIMITS.maxOpsPerPush);

      // Naive first, so it does not pay for a table the batched run filled.
      const naiveOps = createOpFactory().listWithItems(s.ops - 1).ops;
      const naive = await drain(push, naiveOps, 1, s.naiveBudgetMs);
      const naivePerOpMs = naive.ms / naive.sent;
      const naiveProjectedMs = naivePerOpMs * naiveOps.length;

      const queued = createOpFactory().listWithItems(s.ops - 1).ops;
      const batched = await drain(push, queued, LIMITS.maxOpsPerPush, s.batchedBudgetMs);
      // Replay exactly what reached the server: a retry after lost acknowledgements.
      const ops = queued.slice(0, batched.sent);
      const replay = await drain(push, ops, LIMITS.maxOpsPerPush);
      const batchedProjectedMs = (batched.ms / batched.sent) * queued.length;
      const client = await drainThroughClient(server, s.ops, s.clientBudgetMs);

      const batchedCounts = countStatuses(batched.responses);
      const naiveCounts = countStatuses(naive.responses);
      const replayCounts = countStatuses(replay.responses);
      const ratio = naiveProjectedMs / batchedProjectedMs;
      const replayRatio = replay.ms / batched.ms;
      const partial = naive.sent < naiveOps.length;
      const batchedPartial = batched.sent < queued.length;
      return {
        title: `Drain ${s.ops.toLocaleString("en-US")} queued offline operations: batched push vs one request per op`,
        status: "ok",
        params: {
          ops: s.ops,
          batch: LIMITS.maxOpsPerPush,
          backend: serverBackend(),
          naiveOpsMeasured: naive.sent,
          batchedOpsMeasured: batched.sent,
        },
        ours: [
          {
            label: batchedPartial
              ? "batched drain (projected from the measured ops)"
              : "batched drain",
            value: round(batchedProjectedMs),
            unit: "ms",
          },
          {
            label: "batched throughput",
            value: round((ops.length / batched.ms) * 1000),
            unit: "ops/s",
          },
          { label: "replay of the same ops (all duplicates)", value: round(replay.ms), unit: "ms" },
          {
            label: `sync client queue drain, ${client.ops} offline ops (fake-indexeddb)`,
            value: round(client.drainMs),
            unit: "ms",
          },
          {
            label: "sync client queue drain throughput",
            value: round((client.ops / client.drainMs) * 1000),
            unit: "ops/s",
          },
          {
            label: "sync client offline write (mutate to durable, fake-indexeddb)",
            value: round(client.localWriteMs / client.ops),
            unit: "ms/op",
          },
        ],
        baseline: [
          {
            label: partial ? "naive drain (projected from the measured ops)" : "naive drain",
            value: round(naiveProjectedMs),
            unit: "ms",
          },
          { label: "naive per-op request", value: round(naivePerOpMs), unit: "ms" },
          { label: "naive throughput", value: round(1000 / naivePerOpMs), unit: "ops/s" },
        ],
        ratio: {
          value: round(ratio),
          definition: "naive drain time / batched drain time",
          target: 20,
        },
        goals: [
          {
            description: `drain of ${s.ops.toLocaleString("en-US")} queued operations under 2 s`,
            target: "< 2000 ms",
            actual: `${round(batchedProjectedMs)} ms`,
            met: batchedProjectedMs < 2000,
          },
          {
            description: "at least 20x the naive queue",
            target: ">= 20x",
            actual: `${round(ratio)}x`,
            met: ratio >= 20,
          },
          {
            description:
              "replaying the same operations (all duplicates) costs at most 1.2x the first drain",
            target: "<= 1.2x",
            actual: `${round(replayRatio)}x`,
            met: replayRatio <= 1.2,
          },
        ],
        checks: [
          {
            name: "every batched op applied",
            passed: batchedCounts.applied === ops.length,
            detail: JSON.stringify(batchedCounts),
          },
          {
            name: "every naive op applied",
            passed: naiveCounts.applied === naive.sent,
            detail: JSON.stringify(naiveCounts),
          },
          {
            name: "the sync client's queue drained without dead letters",
            passed: client.pendingAfter === 0 && client.deadLetters === 0,
            detail: `pending ${client.pendingAfter}, dead letters ${client.deadLetters}`,
          },
          {
            name: "every replayed op is a duplicate",
            passed: replayCounts.duplicate === ops.length,
            detail: JSON.stringify(replayCounts),
          },
        ],
        notes: [
          "Same server process and database for both; requests go one at a time, in order, like a queue draining.",
          "Headline figures use the protocol directly (the requests the queue sends); the sync client's own queue is measured too, from going online until nothing is pending.",
          "Ops: one list create, then item creates {listId, text} in it, built with @sync/protocol types, HybridClock and UUIDv7.",
          ...(batchedPartial
            ? [
                `The batched drain was stopped after ${batched.sent} ops (time budget); its total is that rate times ${queued.length} ops, and the replay covers the ${batched.sent} ops sent.`,
              ]
            : []),
          ...(partial
            ? [
                `The naive queue was stopped after ${naive.sent} ops (time budget); its total is that rate times ${naiveOps.length} ops.`,
              ]
            : []),
        ],
      };
    });
  },
};
