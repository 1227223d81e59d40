import "fake-indexeddb/auto";
import { shoppingSchema } from "@sync/entities";
import { ErrorCode } from "@sync/protocol";
import { describe, expect, it } from "vitest";
import { openIdbLocalStore } from "./idb/idb-local-store.js";
import { createFakeServer, switchableFetch } from "./test-support/fake-server.js";
import {
  freshDbName,
  idle,
  memoryKeyValue,
  sharedLeader,
  startedClients,
  testClient,
} from "./test-support/harness.js";
import { waitFor } from "./test-support/wait-for.js";

const started = startedClients();

describe("acknowledgement", () => {
  it("[L5] a crash between writing the canonical row and the queue's removal shows no double increment", async () => {
    const server = createFakeServer(shoppingSchema);
    const dbName = freshDbName();
    const first = await started({ fetch: server.fetch, dbName });
    const listId = await first.create("list", { title: "L" });
    const itemId = await first.create("item", { listId, text: "Eggs" });
    await waitFor(idle(first), "first sync");
    await first.stop();

    // The queue's own removal step "crashes": only our acknowledgement transaction commits.
    let crashed = false;
    const crashing = await started({
      fetch: server.fetch,
      dbName,
      localStore: async (name) => {
        const store = await openIdbLocalStore({ dbName: name });
        const remove = store.queue.remove.bind(store.queue);
        store.queue.remove = async (seqs) => {
          if (seqs.length > 0) {
            crashed = true;
            throw new Error("crash after the acknowledgement");
          }
          return remove(seqs);
        };
        return store;
      },
    });
    await waitFor(() => crashing.get("item", itemId) !== undefined, "load");
    await crashing.increment("item", itemId, "qty", 4);
    await waitFor(() => crashed, "the crash");
    await crashing.stop();

    const reloaded = await started({ fetch: server.fetch, dbName });
    expect(reloaded.get("item", itemId)?.fields.qty).toBe(5);
    expect(reloaded.getStatus().pendingCount).toBe(0);
    await waitFor(idle(reloaded), "sync after reload");
    expect(reloaded.get("item", itemId)?.fields.qty).toBe(5);
    expect(server.rows.get(`item/${itemId}`)?.fields.qty).toBe(5);
  });
});

describe("dependent operations", () => {
  it("[L7] a rejected create takes the queued edits of its record (and records pointing to it) with it, in one group and one notice", async () => {
    const server = createFakeServer(shoppingSchema);
    const net = switchableFetch(server.fetch);
    // One op per push: the dependents must fail without ever reaching the server.
    const client = await started({ fetch: net.fetch, dbName: freshDbName(), pushBatchSize: 1 });
    net.setOffline(true);
    const listId = await client.create("list", { title: "Doomed" });
    const itemId = await client.create("item", { listId, text: "Tea" });
    await client.update("list", listId, { title: "Still doomed" });
    await client.increment("item", itemId, "qty", 1);
    const keeperList = await client.create("list", { title: "Fine" });
    server.rejectWhen((op) =>
      op.kind === "create" && op.id === listId ? ErrorCode.NOT_A_MEMBER : undefined,
    );
    net.setOffline(false);
    await client.syncNow();
    await waitFor(() => client.getStatus().deadLetterCount === 4, "4 dead letters");
    await waitFor(idle(client), "rest synced");
    const letters = await client.deadLetters();
    expect(new Set(letters.map((l) => l.groupId)).size).toBe(1);
    expect(letters.map((l) => l.kind)).toEqual(["create", "create", "update", "increment"]);
    expect(client.notices().filter((n) => n.level === "error")).toHaveLength(1);
    expect(client.get("list", listId)).toBeUndefined();
    expect(client.get("item", itemId)).toBeUndefined();
    expect(client.get("list", keeperList)?.pending).toBe(false);
    expect(server.pushes).toBe(2);
  });

  it("[L9] dead letters can be retried (new opId) and discarded", async () => {
    const server = createFakeServer(shoppingSchema);
    const client = await started({ fetch: server.fetch, dbName: freshDbName() });
    server.rejectWhen(() => ErrorCode.FORBIDDEN);
    const a = await client.create("list", { title: "A" });
    const b = await client.create("list", { title: "B" });
    await waitFor(() => client.getStatus().deadLetterCount === 2, "dead letters");
    server.rejectWhen(null);
    const [first, second] = await client.deadLetters();
    await client.retryDeadLetter(first?.id ?? -1);
    await client.discardDeadLetter(second?.id ?? -1);
    await waitFor(idle(client), "retried");
    expect(client.getStatus().deadLetterCount).toBe(0);
    expect(client.get("list", a)?.fields.title).toBe("A");
    expect(client.get("list", b)).toBeUndefined();
    expect(server.rows.has(`list/${a}`)).toBe(true);
  });
});

describe("auth and resync", () => {
  it("[L11] a 401 shows signed-out and drops nothing; resumeAfterSignIn drains", async () => {
    const server = createFakeServer(shoppingSchema);
    const client = await started({ fetch: server.fetch, dbName: freshDbName() });
    await waitFor(idle(client), "first pull");
    server.setAuthorized(false);
    const listId = await client.create("list", { title: "While signed out" });
    await waitFor(() => client.getStatus().state === "signed-out", "signed-out");
    expect(client.getStatus().pendingCount).toBe(1);
    expect(client.getStatus().deadLetterCount).toBe(0);
    server.setAuthorized(true);
    await client.resumeAfterSignIn();
    await waitFor(idle(client), "drained after sign-in");
    expect(server.rows.has(`list/${listId}`)).toBe(true);
  });

  it("[L10] RESET_REQUIRED resyncs from 0, keeps pending ops and drops rows the server no longer has", async () => {
    const server = createFakeServer(shoppingSchema);
    const net = switchableFetch(server.fetch);
    const client = await started({ fetch: net.fetch, dbName: freshDbName() });
    const gone = await client.create("list", { title: "Gone" });
    const kept = await client.create("list", { title: "Kept" });
    await waitFor(idle(client), "synced");
    await client.syncNow(); // the cursor now passes both rows
    net.setOffline(true);
    await client.update("list", kept, { title: "Kept, renamed offline" });
    server.dropRow("list", gone);
    server.setGcCursor(Number.MAX_SAFE_INTEGER);
    net.setOffline(false);
    await client.syncNow();
    await waitFor(idle(client), "resynced");
    expect(client.get("list", gone)).toBeUndefined();
    expect(client.get("list", kept)?.fields.title).toBe("Kept, renamed offline");
    expect(server.rows.get(`list/${kept}`)?.fields.title).toBe("Kept, renamed offline");
  });
});

describe("convergence", () => {
  it("[L2][L4] two clients converge after concurrent offline edits; counters +2 and +3 sum to +5", async () => {
    const server = createFakeServer(shoppingSchema);
    const netA = switchableFetch(server.fetch);
    const netB = switchableFetch(server.fetch);
    const a = await started({ fetch: netA.fetch, dbName: freshDbName("a") });
    const b = await started({ fetch: netB.fetch, dbName: freshDbName("b") });
    const listId = await a.create("list", { title: "Shared" });
    const itemId = await a.create("item", { listId, text: "Apples" });
    await waitFor(idle(a), "a synced");
    await b.syncNow();
    await waitFor(() => b.get("item", itemId) !== undefined, "b sees the item");

    netA.setOffline(true);
    netB.setOffline(true);
    await a.increment("item", itemId, "qty", 2);
    await b.increment("item", itemId, "qty", 3);
    await a.update("item", itemId, { text: "Green apples" });
    await b.update("item", itemId, { checked: true });
    netA.setOffline(false);
    netB.setOffline(false);
    // No pokes from the fake server: each pulls once the other's pushes are in.
    await a.syncNow();
    await waitFor(idle(a), "a pushed");
    await b.syncNow();
    await waitFor(idle(b), "b pushed");
    await b.syncNow();
    await a.syncNow();
    for (const client of [a, b]) {
      expect(client.get("item", itemId)?.fields).toMatchObject({
        qty: 6,
        text: "Green apples",
        checked: true,
      });
    }
    expect(a.get("item", itemId)).toEqual(b.get("item", itemId));
  });
});

describe("tabs", () => {
  it("[L13] followers write locally, the leader pushes; a follower takes over when the leader stops", async () => {
    const server = createFakeServer(shoppingSchema);
    const dbName = freshDbName("tabs");
    const leader = sharedLeader();
    const channel = (name: string) => new BroadcastChannel(name);
    const first = await started({ fetch: server.fetch, dbName, leader: leader(), channel });
    await waitFor(() => first.getStatus().leader, "first leads");
    const second = await started({ fetch: server.fetch, dbName, leader: leader(), channel });
    expect(second.getStatus().leader).toBe(false);

    const listId = await second.create("list", { title: "From the follower" });
    await waitFor(() => server.rows.has(`list/${listId}`), "leader pushed the follower's write");
    await waitFor(() => first.get("list", listId)?.pending === false, "leader view");
    await waitFor(() => second.get("list", listId)?.pending === false, "follower view");

    await first.stop();
    await waitFor(() => second.getStatus().leader, "hand-over");
    const other = await second.create("list", { title: "After hand-over" });
    await waitFor(() => server.rows.has(`list/${other}`), "new leader pushes");
    await waitFor(idle(second), "new leader synced");
  });
});

describe("tabs and sign-in", () => {
  it("[L11][L13] a follower shows the leader's signed-out state, and signing in there resumes the leader", async () => {
    const server = createFakeServer(shoppingSchema);
    const dbName = freshDbName("tabs-auth");
    const leader = sharedLeader();
    const channel = (name: string) => new BroadcastChannel(name);
    const first = await started({ fetch: server.fetch, dbName, leader: leader(), channel });
    await waitFor(() => first.getStatus().leader, "first leads");
    const second = await started({ fetch: server.fetch, dbName, leader: leader(), channel });
    server.setAuthorized(false);
    const listId = await second.create("list", { title: "Signed out" });
    await waitFor(() => second.getStatus().state === "signed-out", "follower shows signed-out");
    expect(first.getStatus().state).toBe("signed-out");
    server.setAuthorized(true);
    await second.resumeAfterSignIn();
    await waitFor(() => server.rows.has(`list/${listId}`), "leader resumed and pushed");
    await waitFor(idle(second), "follower synced");
  });
});

describe("storage durability", () => {
  it("[L12] a database that comes back empty while work was pending raises storageEvicted and a notice", async () => {
    const server = createFakeServer(shoppingSchema);
    const net = switchableFetch(server.fetch);
    const keyValueStorage = memoryKeyValue();
    const dbName = freshDbName("evict");
    const client = await started({ fetch: net.fetch, dbName, keyValueStorage });
    net.setOffline(true);
    await client.create("list", { title: "Unsynced" });
    await client.stop();
    indexedDB.deleteDatabase(dbName);

    const after = await started({ fetch: net.fetch, dbName, keyValueStorage });
    expect(after.getStatus().storageEvicted).toBe(true);
    expect(after.getStatus().state).not.toBe("synced");
    expect(after.notices().some((n) => n.level === "error")).toBe(true);
  });

  it("[L12] a database recreated with nothing pending is no eviction", async () => {
    const server = createFakeServer(shoppingSchema);
    const keyValueStorage = memoryKeyValue();
    const dbName = freshDbName("evict");
    const client = await started({ fetch: server.fetch, dbName, keyValueStorage });
    await client.create("list", { title: "Synced" });
    await waitFor(idle(client), "synced");
    await client.stop();
    indexedDB.deleteDatabase(dbName);
    const after = await started({ fetch: server.fetch, dbName, keyValueStorage });
    expect(after.getStatus().storageEvicted).toBe(false);
  });
});

describe("service worker", () => {
  it("[L14] drainOnce pushes what is pending without starting the loop", async () => {
    const server = createFakeServer(shoppingSchema);
    const net = switchableFetch(server.fetch);
    const dbName = freshDbName("sw");
    const tab = await started({ fetch: net.fetch, dbName });
    net.setOffline(true);
    const listId = await tab.create("list", { title: "Queued" });
    await tab.stop();
    net.setOffline(false);
    const worker = testClient({ fetch: net.fetch, dbName });
    expect(await worker.drainOnce()).toEqual({ pushed: 1, remaining: 0 });
    expect(server.rows.has(`list/${listId}`)).toBe(true);
  });
});
