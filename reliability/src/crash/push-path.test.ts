import { availableBackends, type TestSession } from "@sync/server/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SimDevice } from "../simulation/sim-device.js";
import { ChildServer } from "../support/child-server.js";
import { seededRandom } from "../support/prng.js";
import { pullAll } from "../support/server-view.js";
import { waitFor } from "../support/wait-for.js";
import { KILL_POINTS } from "./kill-points.js";

// Each run costs a server restart (node + tsx boot); CRASH_RUNS=20 for many runs per point.
const RUNS = Number(process.env.CRASH_RUNS ?? 1);
const ALL_POINTS = process.env.CRASH_ALL === "1";
const ITEMS = 60;

const signup = async (url: string): Promise<TestSession> => {
  const username = `crash_${process.pid}_${Math.random().toString(36).slice(2, 9)}`;
  const res = await fetch(`${url}/api/auth/signup`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username, password: "correct-horse-1" }),
  });
  if (res.status !== 201) throw new Error(`signup ${res.status}`);
  const body = (await res.json()) as { token: string; user: { id: string; username: string } };
  return { token: body.token, userId: body.user.id, username };
};

// A PGlite child needs ~30 s to boot on a loaded 2-core machine: with Postgres available the crash
// suite runs on Postgres (where transactions can be watched from outside); CRASH_ALL=1 runs both.
const BACKENDS = ALL_POINTS
  ? availableBackends()
  : process.env.DATABASE_URL
    ? (["postgres"] as const)
    : (["pglite"] as const);

describe.each(BACKENDS)("kill -9 of the server process (%s)", (backend) => {
  let server: ChildServer;
  const hits = new Map<string, number>();
  beforeAll(async () => {
    server = await ChildServer.create(backend);
    await server.start();
  }, 180_000);
  afterAll(async () => {
    await server?.close();
    process.stdout.write(
      `crash (${backend}): ${server?.kills} kills, points reached ${JSON.stringify(Object.fromEntries(hits))}\n`,
    );
  });

  const device = (session: TestSession, stream = false) =>
    new SimDevice({
      index: 0,
      session,
      upstream: () => server.url,
      skewMs: 0,
      stream,
      batchSize: 500,
      random: seededRandom(11),
      backoff: { baseMs: 20, maxMs: 500 },
    });

  /** Queues a list, ITEMS items and one increment per item while offline: 1 + 2 * ITEMS ops. */
  async function queueWork(d: SimDevice): Promise<Map<string, number>> {
    d.net.offline = true;
    const listId = await d.client.create("list", { title: "Crash" });
    const expected = new Map<string, number>();
    for (let i = 0; i < ITEMS; i++) {
      const id = await d.client.create("item", { listId, text: `item ${i}` });
      await d.client.increment("item", id, "qty", (i % 5) + 1);
      expected.set(id, 1 + (i % 5) + 1);
    }
    return expected;
  }

  /** Nothing lost, nothing applied twice: rows, counters and (Postgres) the dedup log. */
  async function verify(
    session: TestSession,
    expected: Map<string, number>,
    lists = 1,
  ): Promise<void> {
    const rows = (await pullAll(server.url, session.token)).rows;
    const items = rows.filter((r) => r.entity === "item");
    expect(items).toHaveLength(expected.size);
    for (const row of items) expect(row.fields.qty, row.id).toBe(expected.get(row.id));
    expect(rows.filter((r) => r.entity === "list")).toHaveLength(lists);
    if (server.sql) {
      const [log] = await server.sql`select count(*)::int as n, count(distinct a.op_id)::int as d
        from applied_ops a join clients c on c.client_id = a.client_id where c.user_id = ${session.userId}`;
      const ops = lists + 2 * expected.size;
      expect(log).toEqual({ n: ops, d: ops });
    }
  }

  for (const point of KILL_POINTS) {
    if (backend !== "postgres" && (point.needsProbe || !(point.onPglite || ALL_POINTS))) continue;
    it(`[G1][G2] kill -9 ${point.name}: after restart the client retries, nothing lost or doubled`, async () => {
      for (let run = 0; run < RUNS; run++) {
        await server.start();
        const session = await signup(server.url);
        const d = device(session);
        await d.start();
        try {
          const expected = await queueWork(d);
          let reached: boolean | undefined;
          d.net.interceptPush = point.intercept(server, (r) => {
            reached = r;
          });
          d.net.offline = false;
          void d.client.syncNow().catch(() => undefined);
          await waitFor(() => reached !== undefined, "the kill point", 60_000);
          if (reached) hits.set(point.name, (hits.get(point.name) ?? 0) + 1);
          expect(server.running).toBe(false);
          await server.start();
          await waitFor(
            async () => {
              await d.client.syncNow();
              return d.client.getStatus().pendingCount === 0;
            },
            "the retried push",
            60_000,
          );
          expect(await d.client.deadLetters()).toEqual([]);
          await verify(session, expected);
        } finally {
          await d.close();
        }
      }
    }, 240_000);
  }

  // Postgres only by default: a PGlite restart costs half a minute on a loaded 2-core machine.
  if (backend === "postgres" || ALL_POINTS)
    it("[G1][S1] kill -9 while streaming: the stream reconnects by itself and nothing is lost", async () => {
      await server.start();
      const session = await signup(server.url);
      const d = device(session, true);
      const other = device(session);
      await d.start();
      await other.start();
      try {
        const expected = await queueWork(d);
        d.net.offline = false;
        await waitFor(() => d.client.getStatus().pendingCount === 0, "the first drain", 60_000);
        // Streams are open (the poke wakes pulls); the server dies under them.
        await server.kill();
        const writes = await queueWork(other);
        for (const [id, qty] of writes) expected.set(id, qty);
        other.net.offline = false;
        await server.start();
        await waitFor(
          async () => {
            await other.client.syncNow();
            return other.client.getStatus().pendingCount === 0;
          },
          "the other device's push",
          60_000,
        );
        // No syncNow on `d`: only its reconnected stream (or its poll) can bring the new rows.
        await waitFor(
          () => d.client.list("item").length === expected.size,
          "d to see every item",
          60_000,
        );
        await verify(session, expected, 2);
      } finally {
        await d.close();
        await other.close();
      }
    }, 240_000);
});
