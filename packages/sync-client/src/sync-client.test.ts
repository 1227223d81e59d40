import "fake-indexeddb/auto";
import { shoppingSchema } from "@sync/entities";
import { ErrorCode } from "@sync/protocol";
import { afterEach, describe, expect, it } from "vitest";
import { SyncClientError } from "./errors.js";
import { openIdbLocalStore } from "./idb/idb-local-store.js";
import type { LocalStore } from "./local-store.js";
import { createMemoryLocalData, createMemoryLocalStore } from "./memory-local-store.js";
import { createFakeServer, switchableFetch } from "./test-support/fake-server.js";
import { freshDbName, testClient } from "./test-support/harness.js";
import { waitFor } from "./test-support/wait-for.js";
import type { SyncClient } from "./types.js";

const clients: SyncClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.stop()));
});

function track(client: SyncClient): SyncClient {
  clients.push(client);
  return client;
}

const offline: typeof fetch = () => Promise.reject(new TypeError("Failed to fetch"));

const synced = (client: SyncClient) => () =>
  client.getStatus().pendingCount === 0 && client.getStatus().state === "synced";

async function setup() {
  const server = createFakeServer(shoppingSchema);
  const net = switchableFetch(server.fetch);
  const dbName = freshDbName();
  const client = track(testClient({ fetch: net.fetch, dbName }));
  await client.start();
  await waitFor(() => client.getStatus().leader, "leadership");
  return { server, net, dbName, client };
}

async function listWithItem(client: SyncClient) {
  const listId = await client.create("list", { title: "Groceries" });
  const itemId = await client.create("item", { listId, text: "Milk" });
  return { listId, itemId };
}

describe("writes and the view", () => {
  it("[L1] a write shows in the view at once, pending until the server confirms", async () => {
    const { client, net } = await setup();
    net.setOffline(true);
    const { itemId } = await listWithItem(client);
    expect(client.get("item", itemId)).toMatchObject({
      pending: true,
      fields: { text: "Milk", checked: false, qty: 1 },
    });
    net.setOffline(false);
    await client.syncNow();
    await waitFor(synced(client), "sync");
    const item = client.get("item", itemId);
    expect(item?.pending).toBe(false);
    // L4: server-assigned values arrive with the canonical row.
    expect(typeof item?.fields.createdAt).toBe("number");
  });

  it("[L6] invalid input throws with a code and queues nothing", async () => {
    const { client } = await setup();
    const { listId } = await listWithItem(client);
    await expect(client.create("item", { listId, text: "" })).rejects.toMatchObject({
      code: ErrorCode.VALIDATION,
    });
    await expect(client.update("item", listId, { qty: 3 })).rejects.toBeInstanceOf(SyncClientError);
    await expect(client.update("item", crypto.randomUUID(), { text: "x" })).rejects.toMatchObject({
      code: ErrorCode.NOT_FOUND,
    });
    await expect(client.create("nope", {})).rejects.toMatchObject({
      code: ErrorCode.UNKNOWN_ENTITY,
    });
    await waitFor(synced(client), "sync");
    expect(client.list("item")).toHaveLength(1);
  });

  it("[L3] a reload (new client over the same database) keeps pending work", async () => {
    const { client, net, dbName, server } = await setup();
    net.setOffline(true);
    const { itemId } = await listWithItem(client);
    await client.increment("item", itemId, "qty", 2);
    await client.stop();
    clients.splice(clients.indexOf(client), 1);

    const reloaded = track(testClient({ fetch: net.fetch, dbName }));
    await reloaded.start();
    expect(reloaded.get("item", itemId)?.fields.qty).toBe(3);
    expect(reloaded.getStatus().pendingCount).toBe(3);
    net.setOffline(false);
    await reloaded.syncNow();
    await waitFor(synced(reloaded), "sync after reload");
    expect(server.rows.get(`item/${itemId}`)?.fields.qty).toBe(3);
  });
});

describe("durable writes (L3)", () => {
  /** A memory store whose writes wait for `gate` and then fail with `failWith`, if set. */
  function gatedStore() {
    const data = createMemoryLocalData();
    const control = { gate: Promise.resolve(), failWith: undefined as Error | undefined };
    const localStore = async (): Promise<LocalStore> => {
      const store = createMemoryLocalStore(data);
      return {
        ...store,
        queue: store.queue,
        appendOperation: async (op, at, stamp) => {
          await control.gate;
          if (control.failWith) throw control.failWith;
          return store.appendOperation(op, at, stamp);
        },
      };
    };
    return { data, control, localStore };
  }

  it("[L3] a write shows in the view only once it is durable", async () => {
    const { control, localStore } = gatedStore();
    const client = track(testClient({ fetch: offline, dbName: freshDbName(), localStore }));
    await client.start();
    let open!: () => void;
    control.gate = new Promise((resolve) => {
      open = resolve;
    });
    let durable = false;
    const writing = client.create("list", { title: "Groceries" }).then((id) => {
      durable = true;
      return id;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(durable).toBe(false);
    expect(client.list("list")).toEqual([]);
    expect(client.getStatus().pendingCount).toBe(0);
    open();
    const id = await writing;
    expect(client.get("list", id)).toMatchObject({ pending: true, fields: { title: "Groceries" } });
  });

  it("[L3] a write the disk refuses (quota) rejects, shows and queues nothing, and tells the person", async () => {
    const { data, control, localStore } = gatedStore();
    const client = track(testClient({ fetch: offline, dbName: freshDbName(), localStore }));
    await client.start();
    control.failWith = new DOMException("quota", "QuotaExceededError");
    await expect(client.create("list", { title: "Groceries" })).rejects.toMatchObject({
      name: "QuotaExceededError",
    });
    expect(client.list("list")).toEqual([]);
    expect(data.queue.pending.size).toBe(0);
    expect(client.getStatus().pendingCount).toBe(0);
    expect(client.notices().some((n) => /out of storage/.test(n.message))).toBe(true);
    control.failWith = undefined;
    await client.create("list", { title: "Groceries" });
    expect(client.list("list")).toHaveLength(1);
  });

  it("[L3] HLCs never go back across tabs and reloads, and seqs increase", async () => {
    const dbName = freshDbName();
    // The second tab's wall clock is far behind the first's.
    const first = track(testClient({ fetch: offline, dbName, now: () => 5_000_000_000 }));
    const second = track(testClient({ fetch: offline, dbName, now: () => 1_000_000_000 }));
    await first.start();
    await second.start();
    const listId = await first.create("list", { title: "Groceries" });
    await second.create("item", { listId, text: "Milk" });
    await Promise.all([
      first.update("list", listId, { title: "Food" }),
      second.create("item", { listId, text: "Bread" }),
      first.create("item", { listId, text: "Eggs" }),
    ]);
    await second.stop();
    const reloaded = track(testClient({ fetch: offline, dbName, now: () => 1_000_000_000 }));
    await reloaded.start();
    await reloaded.update("list", listId, { title: "Shop" });
    await Promise.all([first.stop(), reloaded.stop()]);

    const store = await openIdbLocalStore({ dbName });
    const entries = await store.queue.list();
    await store.close();
    const hlcs = entries.map((entry) => entry.item.hlc);
    expect(hlcs).toHaveLength(6);
    expect([...hlcs].sort()).toEqual(hlcs);
    expect(new Set(hlcs).size).toBe(6);
    const seqs = entries.map((entry) => entry.seq);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
  });
});

describe("rollback", () => {
  it("[L2] a rejected update restores the exact prior view", async () => {
    const { client, server } = await setup();
    const { itemId } = await listWithItem(client);
    await waitFor(synced(client), "sync");
    const before = client.get("item", itemId);
    server.rejectWhen((op) => (op.kind === "update" ? ErrorCode.FORBIDDEN : undefined));
    await client.update("item", itemId, { text: "Oat milk", checked: true });
    await waitFor(() => client.getStatus().deadLetterCount === 1, "dead letter");
    await waitFor(() => client.get("item", itemId)?.pending === false, "recompute");
    expect(client.get("item", itemId)).toEqual(before);
    expect(client.notices().some((n) => n.level === "error")).toBe(true);
    const [letter] = await client.deadLetters();
    expect(letter).toMatchObject({ kind: "update", code: ErrorCode.FORBIDDEN, recordId: itemId });
  });

  it("[L2] a rejected create disappears; a rejected delete brings the record back", async () => {
    const { client, server } = await setup();
    const { listId, itemId } = await listWithItem(client);
    await waitFor(synced(client), "sync");
    const before = client.get("item", itemId);
    server.rejectWhen((op) =>
      op.kind === "delete" || op.kind === "create" ? ErrorCode.FORBIDDEN : undefined,
    );
    await client.remove("item", itemId);
    expect(client.list("item")).toHaveLength(0);
    const otherId = await client.create("item", { listId, text: "Bread" });
    expect(client.get("item", otherId)).toBeDefined();
    await waitFor(() => client.getStatus().deadLetterCount === 2, "dead letters");
    await waitFor(() => client.get("item", otherId) === undefined, "create rolled back");
    expect(client.get("item", itemId)).toEqual(before);
    expect(client.list("item")).toEqual([before]);
  });
});
