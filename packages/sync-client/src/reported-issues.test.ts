import "fake-indexeddb/auto";
import { createNodeId, HybridClock } from "@sync/clock";
import { shoppingSchema } from "@sync/entities";
import { ErrorCode, errorEnvelope } from "@sync/protocol";
import { v7 as uuidv7 } from "uuid";
import { describe, expect, it } from "vitest";
import { createFakeServer, switchableFetch } from "./test-support/fake-server.js";
import { conflictingRenames, freshDbName, idle, startedClients } from "./test-support/harness.js";
import { waitFor } from "./test-support/wait-for.js";

const started = startedClients();

describe("service worker drain", () => {
  it("[L14] drainOnce pushes after start() with autoSync: false (no leader)", async () => {
    const server = createFakeServer(shoppingSchema);
    const client = await started({ fetch: server.fetch, dbName: freshDbName(), autoSync: false });
    const listId = await client.create("list", { title: "From the worker" });
    expect(await client.drainOnce()).toEqual({ pushed: 1, remaining: 0 });
    expect(server.rows.has(`list/${listId}`)).toBe(true);
    // Still no leader: the queue does not keep pushing on its own afterwards.
    await client.create("list", { title: "Later" });
    expect(client.getStatus().pendingCount).toBe(1);
    expect(server.pushes).toBe(1);
  });
});

describe("last sync time", () => {
  it("[L15] lastSyncedAt is persisted in the meta and restored after an offline reload", async () => {
    const server = createFakeServer(shoppingSchema);
    const net = switchableFetch(server.fetch);
    const dbName = freshDbName();
    const first = await started({ fetch: net.fetch, dbName });
    await first.create("list", { title: "L" });
    await waitFor(() => idle(first)() && first.getStatus().lastSyncedAt !== null, "first sync");
    const syncedAt = first.getStatus().lastSyncedAt ?? 0;
    await first.stop();

    net.setOffline(true);
    const reloaded = await started({ fetch: net.fetch, dbName, isOnline: () => false });
    expect(reloaded.getStatus().state).toBe("offline");
    expect(reloaded.getStatus().lastSyncedAt).toBeGreaterThanOrEqual(syncedAt);
  });
});

describe("notices", () => {
  it("[L16] the rejections of one push raise one notice", async () => {
    const server = createFakeServer(shoppingSchema);
    const net = switchableFetch(server.fetch);
    const client = await started({ fetch: net.fetch, dbName: freshDbName() });
    const listId = await client.create("list", { title: "L" });
    await waitFor(idle(client), "list synced");
    net.setOffline(true);
    for (const text of ["A", "B", "C"]) await client.create("item", { listId, text });
    server.rejectWhen((op) => (op.entity === "item" ? ErrorCode.FORBIDDEN : undefined));
    net.setOffline(false);
    await client.syncNow();
    await waitFor(
      () => client.getStatus().deadLetterCount === 3 && client.notices().length > 0,
      "dead letters announced",
    );
    const errors = client.notices().filter((n) => n.level === "error");
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toMatch(/3 changes to item/);
  });

  it("[L16] a conflict notice goes away once its conflicts are resolved", async () => {
    const { a } = await conflictingRenames(started, {
      original: "Groceries",
      mine: "Food",
      theirs: "Shopping",
    });
    expect(a.notices().filter((n) => n.level === "warning")).toHaveLength(1);

    await a.resolveConflict(a.conflicts()[0]?.key ?? "", { keep: "server" });
    expect(a.notices().filter((n) => n.level === "warning")).toHaveLength(0);
    expect(a.getStatus().noticeCount).toBe(0);
  });
});

describe("losing access to a list", () => {
  it("[L17] the user's own membership tombstone drops the list and its records locally, with a notice", async () => {
    const server = createFakeServer(shoppingSchema);
    const userId = uuidv7();
    const dbName = freshDbName();
    const client = await started({ fetch: server.fetch, dbName, userId });
    const listId = await client.create("list", { title: "Shared" });
    const itemId = await client.create("item", { listId, text: "Milk" });
    const keptId = await client.create("list", { title: "Mine" });
    await waitFor(idle(client), "synced");

    // Another member removed us: the server sends our own membership row as a tombstone.
    const membership = { listId, userId, username: "me", joinedAt: 1 };
    server.putRow({
      entity: "membership",
      id: uuidv7(),
      fields: membership,
      clocks: {},
      deleted: true,
    });
    await client.syncNow();
    await waitFor(() => client.get("list", listId) === undefined, "list dropped", 3_000);
    expect(client.get("item", itemId)).toBeUndefined();
    expect(client.get("list", keptId)).toBeDefined();
    expect(client.notices().some((n) => /no longer have access/.test(n.message))).toBe(true);
    await client.stop();

    const reloaded = await started({ fetch: server.fetch, dbName, userId, autoSync: false });
    expect(reloaded.get("list", listId)).toBeUndefined();
    expect(reloaded.get("item", itemId)).toBeUndefined();
    expect(reloaded.get("list", keptId)).toBeDefined();
  });
});

describe("syncNow", () => {
  it("[L18] syncNow that joins a failing push resolves after the retry it asked for", async () => {
    const server = createFakeServer(shoppingSchema);
    let gate: Promise<void> | undefined;
    let release = (): void => undefined;
    let arrived = false;
    const fetch: typeof globalThis.fetch = async (input, init) => {
      if (String(input).includes("/api/sync/push") && gate) {
        const wait = gate;
        gate = undefined;
        arrived = true;
        await wait;
        const body = JSON.stringify(errorEnvelope(ErrorCode.UNAVAILABLE, "down for a moment"));
        return new Response(body, { status: 503, headers: { "content-type": "application/json" } });
      }
      return server.fetch(input, init);
    };
    // A long backoff: only the retry syncNow asked for can push before it resolves.
    const client = await started({
      fetch,
      dbName: freshDbName(),
      backoff: { baseMs: 60_000, maxMs: 60_000 },
    });
    await waitFor(idle(client), "first pull");
    gate = new Promise((resolve) => {
      release = resolve;
    });
    const listId = await client.create("list", { title: "Now" });
    await waitFor(() => arrived, "the push in flight");
    const syncing = client.syncNow();
    release();
    await syncing;
    expect(server.rows.has(`list/${listId}`)).toBe(true);
    expect(client.getStatus().pendingCount).toBe(0);
  });
});

describe("re-stamped clocks", () => {
  /** A client that pushes one op at a time, its list "A" synced, and a clock to re-stamp with. */
  async function syncedList() {
    const server = createFakeServer(shoppingSchema);
    const net = switchableFetch(server.fetch);
    const serverClock = new HybridClock({ node: createNodeId(), now: Date.now });
    const client = await started({ fetch: net.fetch, dbName: freshDbName(), pushBatchSize: 1 });
    const listId = await client.create("list", { title: "A" });
    await waitFor(idle(client), "created");
    return { server, net, serverClock, client, listId };
  }

  it("[L19] a server restampedHlc rebases the 'ask' base of later queued operations", async () => {
    const { server, net, serverClock, client, listId } = await syncedList();
    net.setOffline(true);
    await client.update("list", listId, { title: "B" });
    await client.update("list", listId, { title: "C" });
    server.restampWhen((op) => (op.kind === "update" ? serverClock.now() : undefined));
    net.setOffline(false);
    await client.syncNow();
    await waitFor(idle(client), "pushed");
    expect(client.conflicts()).toHaveLength(0);
    expect(server.rows.get(`list/${listId}`)?.fields.title).toBe("C");
    expect(client.get("list", listId)?.fields.title).toBe("C");
  });

  it("[L19] a re-stamp is kept when it replaces one no longer needed (same number of entries)", async () => {
    const { server, net, serverClock, client, listId } = await syncedList();
    server.restampWhen((op) => (op.kind === "update" ? serverClock.now() : undefined));
    // A first pair: the second's base names the first's re-stamped HLC, which is kept.
    net.setOffline(true);
    await client.update("list", listId, { title: "B" });
    await client.update("list", listId, { title: "C" });
    net.setOffline(false);
    await client.syncNow();
    await waitFor(idle(client), "first pair pushed");
    // A second pair: its re-stamp replaces the first one, no longer named by anything.
    net.setOffline(true);
    await client.update("list", listId, { title: "D" });
    await client.update("list", listId, { title: "E" });
    net.setOffline(false);
    await client.syncNow();
    await waitFor(idle(client), "second pair pushed");
    expect(client.conflicts()).toHaveLength(0);
    expect(server.rows.get(`list/${listId}`)?.fields.title).toBe("E");
  });
});
