import { startChildServer } from "../child-server.js";
import { startChildSubscribers } from "../child-subscribers.js";
import { createApiClient } from "../http-client.js";
import { createNodeClient, whenView } from "../node-client.js";
import { createOpFactory } from "../op-factory.js";
import { serverBackend } from "../server-backend.js";
import { percentile, round } from "../stats.js";
import type { Benchmark, BenchOutcome, Size } from "../types.js";

const SIZES = {
  quick: { changes: 20, warm: 3, subscribers: 5 },
  full: { changes: 500, warm: 20, subscribers: 100 },
} as const;

/** Issue 6, benchmark 5: a change by client A visible to client B through the stream. */
export const propagation: Benchmark = {
  name: "propagation",
  async run(size: Size): Promise<BenchOutcome> {
    const s = SIZES[size];
    // Three processes, as three machines would be: the server, the other subscribers, and this
    // one with A and B (timing A's call to B's view needs one clock).
    const server = await startChildServer("ours");
    try {
      const session = server.session;
      const a = createNodeClient(server.url, session);
      // B's pulls are counted: a change that came as rows on the stream needed none (L20).
      let bPulls = 0;
      const countingFetch: typeof fetch = (input, init) => {
        if (String(input).includes("/api/sync/pull")) bPulls++;
        return fetch(input, init);
      };
      const b = createNodeClient(server.url, session, { stream: true, fetch: countingFetch });
      await a.client.start();
      await b.client.start();
      // Other subscribers of the same lists: each change fans out to all of them too.
      const others = await startChildSubscribers(server.url, session.token, s.subscribers - 1);
      try {
        const listId = await a.client.create("list", { title: "Propagation" });
        const itemId = await a.client.create("item", { listId, text: "v0" });
        const seen = (text: string) => () => b.client.get("item", itemId)?.fields.text === text;
        await whenView(b.client, seen("v0"), 30_000, "B to see the item");

        const ours: number[] = [];
        let pullsBefore = bPulls;
        for (let i = 1; i <= s.warm + s.changes; i++) {
          if (i === s.warm + 1) pullsBefore = bPulls;
          const text = `v${i}`;
          const arrived = whenView(b.client, seen(text), 30_000, `B to see ${text}`);
          const start = performance.now();
          await a.client.update("item", itemId, { text });
          await arrived;
          if (i > s.warm) ours.push(performance.now() - start);
        }

        const measuredPulls = bPulls - pullsBefore;
        // Every other stream had its event for every measured change (plus the setup's).
        const otherCounts = await others.counts();
        const othersGotAll = otherCounts.every((n) => n >= s.warm + s.changes);

        // The floor: the same edit as one push, then B pulls at once (no stream, no client engine).
        const api = createApiClient(server.url, session.token);
        const factory = createOpFactory();
        const { ops } = factory.listWithItems(1);
        const pushed = await api.push(ops);
        let cursor = pushed.cursor;
        const floorItem = ops[1]?.id ?? "";
        const floor: number[] = [];
        for (let i = 1; i <= s.warm + s.changes; i++) {
          const start = performance.now();
          await api.push([factory.op("item", floorItem, "update", { text: `w${i}` })]);
          const { response } = await api.pull(cursor);
          cursor = response.cursor;
          if (!response.rows.some((r) => r.id === floorItem && r.fields.text === `w${i}`)) {
            throw new Error("the pull after a push did not return the change");
          }
          if (i > s.warm) floor.push(performance.now() - start);
        }

        const p50 = percentile(ours, 50);
        const p99 = percentile(ours, 99);
        const floorP50 = percentile(floor, 50);
        return {
          title:
            "Propagation: a change by client A visible to client B through the stream (rows, or poke then pull)",
          status: "ok",
          params: {
            changes: s.changes,
            warmup: s.warm,
            subscribers: s.subscribers,
            backend: serverBackend(),
          },
          ours: [
            { label: "p50, A's update() to B's view", value: round(p50), unit: "ms" },
            { label: "p99", value: round(p99), unit: "ms" },
            { label: "max", value: round(Math.max(...ours)), unit: "ms" },
            {
              label: "changes B pulled (the rest came as rows)",
              value: measuredPulls,
              unit: "pulls",
            },
          ],
          baseline: [
            {
              label: "p50, push then immediate pull (no stream)",
              value: round(floorP50),
              unit: "ms",
            },
            { label: "p99", value: round(percentile(floor, 99)), unit: "ms" },
          ],
          ratio: { value: round(floorP50 / p50), definition: "floor p50 / our p50" },
          goals: [
            {
              description: `propagation p50 under 10 ms with ${s.subscribers} subscribers on loopback`,
              target: "< 10 ms",
              actual: `${round(p50)} ms`,
              met: p50 < 10 && s.subscribers >= 100,
            },
            {
              description: `propagation p99 under 50 ms with ${s.subscribers} subscribers on loopback`,
              target: "< 50 ms",
              actual: `${round(p99)} ms`,
              met: p99 < 50 && s.subscribers >= 100,
            },
          ],
          checks: [
            { name: "B saw every change", passed: ours.length === s.changes },
            {
              name: `each of the ${s.subscribers - 1} other streams got an event for every change`,
              passed: othersGotAll && otherCounts.length === s.subscribers - 1,
            },
            { name: "the floor's pull returned every change", passed: floor.length === s.changes },
          ],
          notes: [
            "A and B are sync clients (fake-indexeddb) of the same user on different databases; B's poll interval is 10 minutes, so only the stream can deliver in time.",
            "One change at a time: the next starts once B saw the previous; timed from A's update() call to B's view change.",
            "B's stream asks for changes (`?changes=1`): a change the server can vouch for arrives as its rows and B applies them without a pull (S5, L20); otherwise a poke, then a pull.",
            "Where things run: the server (startTestServer: Hono on @hono/node-server, Postgres when DATABASE_URL is set, else PGlite, and the in-process notifier, which publishes right after commit) in a child Node process; A and B in the benchmark's process (one clock times them); the other subscribers in a third Node process; all on the same 2 cores, over loopback. The processes stand for separate machines: in one process, reading 99 more streams delayed B's read by 8-11 ms.",
            `${s.subscribers - 1} more raw SSE subscribers of the same user (plain streams) receive every poke as well.`,
            "Goals are judged met only at 100 or more subscribers (the full size).",
          ],
        };
      } finally {
        await others.close();
        await a.client.stop();
        await b.client.stop();
      }
    } finally {
      await server.close();
    }
  },
};
