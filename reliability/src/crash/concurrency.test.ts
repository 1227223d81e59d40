import type { PushResponse } from "@sync/protocol";
import { availableBackends, startTestServer, type TestServer } from "@sync/server/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SimDevice } from "../simulation/sim-device.js";
import { seededRandom } from "../support/prng.js";
import { RawClient } from "../support/raw-client.js";
import { pullAll } from "../support/server-view.js";
import { waitFor } from "../support/wait-for.js";

const OUTAGE_MS = Number(process.env.CRASH_OUTAGE_MS ?? 3_000);
const BACKOFF_CAP_MS = 2_000;

describe.each(availableBackends())("push under concurrency and outage (%s)", (backend) => {
  let server: TestServer;
  let down = false;
  beforeAll(async () => {
    server = await startTestServer({ backend });
  });
  afterAll(async () => {
    await server?.close();
  });

  const device = (session: Awaited<ReturnType<TestServer["signup"]>>, batchSize = 500) =>
    new SimDevice({
      index: 0,
      session,
      upstream: () => (down ? undefined : server.url),
      skewMs: 0,
      stream: false,
      batchSize,
      random: seededRandom(7),
      backoff: { baseMs: 50, maxMs: BACKOFF_CAP_MS },
      pollIntervalMs: 3_600_000,
    });

  it("[P1][G2] 50 concurrent identical pushes apply each op exactly once", async () => {
    const alice = new RawClient(server.url, await server.signup());
    const { listId } = await alice.newList();
    const item = alice.createItem(listId, "bread");
    const inc = alice.op({ entity: "item", id: item.id, kind: "increment", fields: { qty: 7 } });
    const body = alice.body([item, inc]);
    const responses = await Promise.all(
      Array.from({ length: 50 }, () =>
        fetch(`${server.url}/api/sync/push`, {
          method: "POST",
          headers: { ...alice.auth, "content-type": "application/json" },
          body,
        }),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(50).fill(200));
    const bodies = (await Promise.all(responses.map((r) => r.json()))) as PushResponse[];
    for (const opId of [item.opId, inc.opId]) {
      const statuses = bodies.map((b) => b.results.find((r) => r.opId === opId)?.status);
      expect(statuses.filter((s) => s === "applied")).toHaveLength(1);
      expect(statuses.filter((s) => s === "duplicate")).toHaveLength(49);
    }
    const rows = (await pullAll(server.url, alice.session.token)).rows.filter(
      (r) => r.entity === "item",
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]?.fields.qty).toBe(8);
  });

  it("[P3][G1] one poisoned op among 100 lets the other 99 through within 2 push cycles", async () => {
    const owner = new RawClient(server.url, await server.signup());
    const foreign = await owner.newList("not yours");
    const d = device(await server.signup());
    await d.start();
    try {
      const listId = await d.client.create("list", { title: "Mine" });
      await waitFor(async () => {
        await d.client.syncNow();
        return d.client.getStatus().pendingCount === 0;
      }, "the list is confirmed");
      d.net.offline = true;
      for (let i = 0; i < 100; i++) {
        const target = i === 50 ? foreign.listId : listId;
        await d.client.create("item", { listId: target, text: `item ${i}` });
      }
      const before = d.net.pushes;
      d.net.offline = false;
      await d.client.syncNow();
      await waitFor(() => d.client.getStatus().pendingCount === 0, "the queue to empty");
      expect(d.net.pushes - before).toBeLessThanOrEqual(2);
      const rows = (await pullAll(server.url, d.session.token)).rows.filter(
        (r) => r.entity === "item",
      );
      expect(rows).toHaveLength(99);
      const letters = await d.client.deadLetters();
      expect(letters.map((l) => l.fields.text)).toEqual(["item 50"]);
    } finally {
      await d.close();
    }
  });

  it(`[Q3][G1] after a ${OUTAGE_MS} ms outage the queue drains within the backoff cap + 5 s, with no new write to wake it`, async () => {
    const d = device(await server.signup(), 10);
    await d.start();
    try {
      down = true;
      const listId = await d.client.create("list", { title: "Outage" });
      for (let i = 0; i < 30; i++) await d.client.create("item", { listId, text: `x${i}` });
      // The engine retries on its own while the server is unreachable.
      await waitFor(
        () => d.net.failedWhileDown >= 3,
        "retries during the outage",
        OUTAGE_MS + 10_000,
      );
      const start = Date.now();
      await waitFor(() => Date.now() - start >= OUTAGE_MS, "the outage to last", OUTAGE_MS + 1_000);
      const pushesBefore = d.net.pushes;
      down = false;
      // The bound is on the engine waking up by itself (its backoff timer), not on how fast a
      // loaded machine then applies the batch: the first retry must reach the server in time.
      await waitFor(
        () => d.net.pushes > pushesBefore,
        "a push to reach the server after the outage",
        BACKOFF_CAP_MS + 5_000,
      );
      await waitFor(
        () => d.client.getStatus().pendingCount === 0,
        "the queue to drain after the outage",
        60_000,
      );
      const rows = (await pullAll(server.url, d.session.token)).rows.filter(
        (r) => r.entity === "item",
      );
      expect(rows).toHaveLength(30);
    } finally {
      down = false;
      await d.close();
    }
  });
});
