import { shoppingSchema } from "@sync/entities";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createMemoryLocalStore } from "./memory-local-store.js";
import { createFakeServer, switchableFetch } from "./test-support/fake-server.js";
import { freshDbName, testClient } from "./test-support/harness.js";
import { waitFor } from "./test-support/wait-for.js";
import type { SyncClient } from "./types.js";

// Each run starts two engines and syncs them: several times the cost of a pure property, so the
// default is a quarter of the usual 200 runs; CI raises it through FC_NUM_RUNS.
const RUNS = Math.max(1, Math.round(Number(process.env.FC_NUM_RUNS ?? 200) / 4));

type Command =
  | { who: 0 | 1; kind: "text"; value: string }
  | { who: 0 | 1; kind: "check"; value: boolean }
  | { who: 0 | 1; kind: "inc"; value: number }
  | { who: 0 | 1; kind: "net"; value: boolean }
  | { who: 0 | 1; kind: "sync" };

const who = fc.constantFrom<0 | 1>(0, 1);
const command: fc.Arbitrary<Command> = fc.oneof(
  fc.record({
    who,
    kind: fc.constant("text" as const),
    value: fc.string({ minLength: 1, maxLength: 8 }),
  }),
  fc.record({ who, kind: fc.constant("check" as const), value: fc.boolean() }),
  fc.record({
    who,
    kind: fc.constant("inc" as const),
    value: fc.integer({ min: -3, max: 3 }).filter((n) => n !== 0),
  }),
  fc.record({ who, kind: fc.constant("net" as const), value: fc.boolean() }),
  fc.record({ who, kind: fc.constant("sync" as const) }),
);

const idle = (c: SyncClient) =>
  c.getStatus().pendingCount === 0 && c.getStatus().state === "synced";

describe("convergence (seeded simulation)", () => {
  it("[L2] whatever the interleaving of edits and outages, both replicas end equal to the server, counters exact", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 25 }), async (commands) => {
        const server = createFakeServer(shoppingSchema);
        const nets = [switchableFetch(server.fetch), switchableFetch(server.fetch)];
        const clients = nets.map((net) =>
          testClient({
            fetch: net.fetch,
            dbName: freshDbName("prop"),
            localStore: async () => createMemoryLocalStore(),
          }),
        );
        const [a, b] = clients as [SyncClient, SyncClient];
        try {
          await Promise.all(clients.map((c) => c.start()));
          const listId = await a.create("list", { title: "P" });
          const itemId = await a.create("item", { listId, text: "start" });
          await waitFor(() => idle(a), "seed pushed");
          await b.syncNow();
          await waitFor(() => b.get("item", itemId) !== undefined, "b has the item");
          let expectedQty = 1;
          for (const cmd of commands) {
            const client = clients[cmd.who] as SyncClient;
            if (cmd.kind === "text") await client.update("item", itemId, { text: cmd.value });
            else if (cmd.kind === "check")
              await client.update("item", itemId, { checked: cmd.value });
            else if (cmd.kind === "inc") {
              await client.increment("item", itemId, "qty", cmd.value);
              expectedQty += cmd.value;
            } else if (cmd.kind === "net") nets[cmd.who]?.setOffline(cmd.value);
            else await client.syncNow();
          }
          for (const net of nets) net.setOffline(false);
          for (const c of clients) await c.syncNow();
          await waitFor(() => idle(a) && idle(b), "both drained");
          // No pokes in the fake: one more pull each sees everything.
          for (const c of clients) await c.syncNow();
          const row = server.rows.get(`item/${itemId}`);
          expect(row?.fields.qty).toBe(expectedQty);
          for (const c of clients) {
            expect(c.get("item", itemId)).toEqual({
              entity: "item",
              id: itemId,
              fields: row?.fields,
              deleted: false,
              pending: false,
            });
          }
        } finally {
          await Promise.all(clients.map((c) => c.stop()));
        }
      }),
      { numRuns: RUNS },
    );
  }, 60_000);
});
