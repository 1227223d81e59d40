import { shoppingSchema } from "@sync/entities";
import { type Changes, ErrorCode, errorEnvelope } from "@sync/protocol";
import { v7 as uuidv7 } from "uuid";
import { afterEach, describe, expect, it } from "vitest";
import type { LocalStore } from "./local-store.js";
import { createMemoryLocalStore } from "./memory-local-store.js";
import { PULL_PAGE_ROWS } from "./pull-loop.js";
import { createFakeServer, type FakeServer } from "./test-support/fake-server.js";
import { freshDbName, testClient } from "./test-support/harness.js";
import { waitFor } from "./test-support/wait-for.js";
import type { EventSourceLike, SyncClient } from "./types.js";

const clients: SyncClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.stop()));
});

const PAGES = 3;

function seed(server: FakeServer): void {
  for (let i = 0; i < PULL_PAGE_ROWS * (PAGES - 1) + 10; i++) {
    server.putRow({
      entity: "list",
      id: uuidv7(),
      fields: { title: `L${i}` },
      clocks: {},
      deleted: false,
    });
  }
}

/** Counts pull requests; `onPull` sees each cursor and may answer in the server's place. */
function countingFetch(server: FakeServer, onPull: (cursor: number) => Response | undefined) {
  const pulls: number[] = [];
  const fetch: typeof globalThis.fetch = (input, init) => {
    const url = new URL(typeof input === "string" ? input : input.toString(), "http://fake.test");
    if (url.pathname === "/api/sync/pull") {
      const cursor = Number(url.searchParams.get("cursor"));
      pulls.push(cursor);
      const answer = onPull(cursor);
      if (answer) return Promise.resolve(answer);
    }
    return server.fetch(input, init);
  };
  return { fetch, pulls };
}

describe("pull pages", () => {
  it("[L8] the next page is requested while the current one is written, and pages apply in cursor order", async () => {
    const server = createFakeServer(shoppingSchema);
    seed(server);
    const net = countingFetch(server, () => undefined);
    const applied: number[] = [];
    const client = testClient({
      fetch: net.fetch,
      dbName: freshDbName(),
      localStore: async () => {
        const store = createMemoryLocalStore();
        const applyPull = store.applyPull.bind(store);
        store.applyPull = async (rows, cursor) => {
          // The write of page n holds until page n + 1 has been asked for.
          if (applied.length < PAGES - 1) {
            const seen = applied.length + 2;
            await waitFor(() => net.pulls.length >= seen, `request of page ${seen}`);
          }
          applied.push(cursor);
          return applyPull(rows, cursor);
        };
        return store;
      },
    });
    clients.push(client);
    await client.start();
    await waitFor(() => client.getStatus().lastSyncedAt !== null, "initial sync");
    expect(applied).toEqual([...applied].sort((a, b) => a - b));
    expect(applied).toHaveLength(PAGES);
    expect(net.pulls.slice(1, PAGES)).toEqual(applied.slice(0, PAGES - 1));
    expect(client.list("list")).toHaveLength(server.rows.size);
  });

  it("[L10] RESET_REQUIRED on a prefetched page still ends in a full resync", async () => {
    const server = createFakeServer(shoppingSchema);
    seed(server);
    // The tombstone horizon passes our cursor just as the second page is asked for.
    let moved = false;
    const net = countingFetch(server, (cursor) => {
      if (cursor === 0 || moved) return undefined;
      moved = true;
      const body = errorEnvelope(ErrorCode.RESET_REQUIRED, "cursor is older than the horizon");
      return new Response(JSON.stringify(body), {
        status: 409,
        headers: { "content-type": "application/json" },
      });
    });
    const client = testClient({
      fetch: net.fetch,
      dbName: freshDbName(),
      localStore: async () => createMemoryLocalStore(),
    });
    clients.push(client);
    await client.start();
    await waitFor(() => client.getStatus().lastSyncedAt !== null, "resync");
    expect(net.pulls.filter((cursor) => cursor === 0).length).toBeGreaterThan(1);
    expect(client.list("list")).toHaveLength(server.rows.size);
    expect(client.getStatus().lastError).toBeNull();
  });

  it("[L8] a page whose write fails stops the page queued behind it: the cursor never passes rows that were not stored", async () => {
    const server = createFakeServer(shoppingSchema);
    seed(server);
    const net = countingFetch(server, () => undefined);
    const afters: (number | undefined)[] = [];
    let store: LocalStore | undefined;
    let failed = false;
    const client = testClient({
      fetch: net.fetch,
      dbName: freshDbName(),
      localStore: async () => {
        const inner = createMemoryLocalStore();
        const applyPull = inner.applyPull.bind(inner);
        inner.applyPull = async (rows, cursor, after) => {
          afters.push(after);
          // The second page's write fails (a full disk, say) while the third is queued.
          if (!failed && after !== undefined && after > 0) {
            failed = true;
            throw new Error("disk full");
          }
          return applyPull(rows, cursor, after);
        };
        store = inner;
        return inner;
      },
    });
    clients.push(client);
    await client.start();
    await waitFor(() => afters.length >= PAGES, "the third page's write");
    await waitFor(() => client.getStatus().lastError !== null, "the failure reported");
    const firstCursor = afters[1];
    if (firstCursor === undefined || !store) throw new Error("no second page");
    // The third page's write came after the failed one and stored nothing.
    expect(afters[2]).toBeGreaterThan(firstCursor);
    expect((await store.readMeta()).cursor).toBe(firstCursor);
    expect(await store.allRows()).toHaveLength(PULL_PAGE_ROWS);
    // The next pull starts again from the last stored page and gets everything.
    await client.syncNow();
    expect(client.list("list")).toHaveLength(server.rows.size);
  });
});

describe("stream rows", () => {
  it("[L20] rows that arrive while earlier stream rows are being stored wait for them instead of costing a pull", async () => {
    const server = createFakeServer(shoppingSchema);
    const net = countingFetch(server, () => undefined);
    const listeners = new Map<string, ((event: { data: string }) => void)[]>();
    const source: EventSourceLike = {
      onerror: null,
      onopen: null,
      addEventListener(type, listener) {
        listeners.set(type, [...(listeners.get(type) ?? []), listener]);
      },
      close() {},
    };
    const emit = (data: Changes) => {
      for (const listener of listeners.get("changes") ?? [])
        listener({ data: JSON.stringify(data) });
    };
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const client = testClient({
      fetch: net.fetch,
      dbName: freshDbName(),
      eventSource: () => source,
      localStore: async () => {
        const store = createMemoryLocalStore();
        const applyPull = store.applyPull.bind(store);
        store.applyPull = async (rows, cursor, after) => {
          // The first stream rows' write holds until the next rows have arrived.
          if (rows.length > 0 && cursor === 1) await held;
          return applyPull(rows, cursor, after);
        };
        return store;
      },
    });
    clients.push(client);
    await client.start();
    await waitFor(() => client.getStatus().lastSyncedAt !== null, "initial sync");
    const pullsBefore = net.pulls.length;
    const row = (title: string) =>
      server.putRow({
        entity: "list",
        id: uuidv7(),
        fields: { title },
        clocks: {},
        deleted: false,
      });
    const first = row("first");
    const second = row("second");
    emit({ from: 0, cursor: first.version, rows: [first] });
    emit({ from: first.version, cursor: second.version, rows: [second] });
    release();
    await waitFor(() => client.list("list").length === 2, "both stream rows shown");
    expect(net.pulls.length).toBe(pullsBefore);
  });
});
