import { type ChildServer, startChildServer } from "../child-server.js";
import { createApiClient } from "../http-client.js";
import { chunk, createOpFactory } from "../op-factory.js";
import { serverBackend } from "../server-backend.js";
import { openSse, type SseReader } from "../sse-reader.js";
import { median, percentile, round } from "../stats.js";
import type { Benchmark, BenchOutcome, Metric, Size } from "../types.js";

const SIZES = {
  quick: { streams: 20, rounds: 3 },
  full: { streams: 1_000, rounds: 10 },
} as const;

interface Fanout {
  readonly bytesPerStream: number;
  readonly rssPerStream: number;
  /** Every stream's latency of every round, from the trigger. */
  readonly latencies: number[];
  /** Per round: when the last stream had its poke. */
  readonly lastStream: number[];
  readonly triggerMs: number[];
  readonly delivered: number;
}

/** The figures both sides report, in the order the table shows them. */
function fanoutMetrics(run: Fanout): Metric[] {
  return [
    {
      label: "fan-out to the last stream (median over rounds)",
      value: round(median(run.lastStream)),
      unit: "ms",
    },
    {
      label: "per-stream poke latency p50",
      value: round(percentile(run.latencies, 50)),
      unit: "ms",
    },
    {
      label: "per-stream poke latency p99",
      value: round(percentile(run.latencies, 99)),
      unit: "ms",
    },
    { label: "server heap per open stream", value: round(run.bytesPerStream / 1024), unit: "KiB" },
    { label: "server RSS per open stream", value: round(run.rssPerStream / 1024), unit: "KiB" },
  ];
}

async function measure(
  server: ChildServer,
  streams: number,
  rounds: number,
  trigger: () => Promise<void>,
): Promise<Fanout> {
  let round = 0;
  let waiting: { start: number; got: Set<number>; done: () => void } | undefined;
  const latencies: number[] = [];
  const firstPoke: Promise<void>[] = [];
  const readers: SseReader[] = [];
  const before = await server.memory();
  for (const part of chunk(
    Array.from({ length: streams }, (_, i) => i),
    50,
  )) {
    const opened = part.map((i) => {
      let markOpen = () => {};
      firstPoke.push(new Promise<void>((resolve) => (markOpen = resolve)));
      const reader = openSse(
        `${server.url}/api/sync/stream`,
        { authorization: `Bearer ${server.token}` },
        (event, _data, at) => {
          if (event !== "poke") return;
          markOpen();
          const w = waiting;
          if (!w || w.got.has(i) || at < w.start) return;
          w.got.add(i);
          latencies.push(at - w.start);
          if (w.got.size === streams) w.done();
        },
      );
      readers.push(reader);
      return reader.opened;
    });
    await Promise.all(opened);
  }
  await Promise.all(firstPoke);
  const after = await server.memory();
  const lastStream: number[] = [];
  const triggerMs: number[] = [];
  let delivered = 0;
  try {
    for (round = 0; round < rounds; round++) {
      let done = () => {};
      const all = new Promise<void>((resolve) => (done = resolve));
      const start = performance.now();
      const w = { start, got: new Set<number>(), done };
      waiting = w;
      await trigger();
      triggerMs.push(performance.now() - start);
      await all;
      lastStream.push(Math.max(...latencies.slice(-streams)));
      delivered += w.got.size;
    }
  } finally {
    waiting = undefined;
    for (const r of readers) r.close();
  }
  return {
    bytesPerStream: (after.heapUsed - before.heapUsed) / streams,
    rssPerStream: (after.rss - before.rss) / streams,
    latencies,
    lastStream,
    triggerMs,
    delivered,
  };
}

/** Issue 6, benchmark 7: server memory and poke fan-out with many open streams. */
export const streamScale: Benchmark = {
  name: "stream-scale",
  async run(size: Size): Promise<BenchOutcome> {
    const s = SIZES[size];
    const oursServer = await startChildServer("ours");
    let ours: Fanout;
    try {
      const api = createApiClient(oursServer.url, oursServer.token);
      const factory = createOpFactory();
      const { ops } = factory.listWithItems(1);
      await api.push(ops);
      const itemId = ops[1]?.id ?? "";
      let n = 0;
      ours = await measure(oursServer, s.streams, s.rounds, async () => {
        n += 1;
        await api.push([factory.op("item", itemId, "update", { text: `fan-out ${n}` })]);
      });
    } finally {
      await oursServer.close();
    }
    const rawServer = await startChildServer("raw");
    let raw: Fanout;
    try {
      raw = await measure(rawServer, s.streams, s.rounds, async () => {
        const res = await fetch(`${rawServer.url}/poke`, { method: "POST" });
        await res.arrayBuffer();
      });
    } finally {
      await rawServer.close();
    }
    const oursLast = median(ours.lastStream);
    const rawLast = median(raw.lastStream);
    return {
      title: `Stream scale: server memory and poke fan-out with ${s.streams.toLocaleString("en-US")} open streams`,
      status: "ok",
      params: { streams: s.streams, rounds: s.rounds, backend: serverBackend(), users: 1 },
      ours: [
        ...fanoutMetrics(ours).slice(0, 3),
        {
          label: "triggering push round trip (median)",
          value: round(median(ours.triggerMs)),
          unit: "ms",
        },
        ...fanoutMetrics(ours).slice(3),
      ],
      baseline: fanoutMetrics(raw),
      ratio: {
        value: round(rawLast / oursLast),
        definition: "raw fan-out time / our fan-out time (to the last stream)",
      },
      goals: [
        {
          description: `all ${s.streams.toLocaleString("en-US")} streams poked (no goal in the issue beyond reporting memory and latency)`,
          target: "every stream",
          actual: `${ours.delivered} of ${s.streams * s.rounds}`,
          met: ours.delivered === s.streams * s.rounds,
        },
      ],
      checks: [
        {
          name: "every stream got every poke (ours)",
          passed: ours.delivered === s.streams * s.rounds,
        },
        {
          name: "every stream got every poke (raw)",
          passed: raw.delivered === s.streams * s.rounds,
        },
      ],
      notes: [
        "Each server runs in its own Node process (--expose-gc), so its memory is read alone, after two GCs, before and after the streams open.",
        "Ours: the real server; a round is one push of a one-field update, timed from sending it, so it includes the push itself.",
        "Baseline: a bare node:http SSE broadcaster holding the responses in a Set; a round is one POST /poke.",
        "All streams belong to one user who can see the list (signing up 1,000 users would dominate the run).",
      ],
    };
  },
};
