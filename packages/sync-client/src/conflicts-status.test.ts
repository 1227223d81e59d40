import "fake-indexeddb/auto";
import { hlcWall } from "@sync/clock";
import { shoppingSchema } from "@sync/entities";
import { describe, expect, it } from "vitest";
import { createFakeServer, switchableFetch } from "./test-support/fake-server.js";
import { conflictingRenames, freshDbName, idle, startedClients } from "./test-support/harness.js";
import { waitFor } from "./test-support/wait-for.js";
import type { EventSourceLike } from "./types.js";

const started = startedClients({ awaitLeader: true });

describe("ask-the-user fields", () => {
  it("[L9] a conflict stays listed when a re-read of the store started before its push was answered", async () => {
    const server = createFakeServer(shoppingSchema);
    const net = switchableFetch(server.fetch);
    const a = await started({ fetch: net.fetch, dbName: freshDbName("a"), pushBatchSize: 1 });
    const b = await started({ fetch: server.fetch, dbName: freshDbName("b") });
    const listId = await a.create("list", { title: "Original" });
    const itemId = await a.create("item", { listId, text: "Milk" });
    await waitFor(idle(a), "a synced");
    await b.syncNow();
    await waitFor(() => b.get("list", listId) !== undefined, "b sees it");
    net.setOffline(true);
    // Two pushes: the first one's answer makes this tab re-read the store while the second,
    // the conflicting rename, is with the server.
    await a.update("item", itemId, { text: "Oat milk" });
    await a.update("list", listId, { title: "Mine" });
    await b.update("list", listId, { title: "Theirs" });
    await waitFor(idle(b), "b synced");
    net.setOffline(false);
    await a.syncNow();
    await waitFor(idle(a), "a settled");
    expect(a.conflicts()).toMatchObject([{ id: listId, field: "title", clientValue: "Mine" }]);
    expect(a.getStatus().conflictCount).toBe(1);
  });

  it("[L9] a concurrent rename is stored as a conflict; keeping mine writes it with the server clock as base", async () => {
    const { server, a, listId } = await conflictingRenames(started, {
      original: "Groceries",
      mine: "Food",
      theirs: "Shopping",
    });
    await waitFor(idle(a), "a settled");
    const [conflict] = a.conflicts();
    expect(conflict).toMatchObject({
      field: "title",
      serverValue: "Shopping",
      clientValue: "Food",
    });
    expect(a.get("list", listId)?.fields.title).toBe("Shopping");
    expect(a.getStatus().conflictCount).toBe(1);

    await a.resolveConflict(conflict?.key ?? "", { keep: "mine" });
    expect(a.conflicts()).toHaveLength(0);
    await waitFor(idle(a), "resolution pushed");
    expect(a.conflicts()).toHaveLength(0);
    expect(server.rows.get(`list/${listId}`)?.fields.title).toBe("Food");
  });

  it("[L9] keeping the server's value just closes the conflict", async () => {
    const { server, a, listId } = await conflictingRenames(started, {
      original: "One",
      mine: "Two",
      theirs: "Three",
    });
    const pushes = server.pushes;
    await a.resolveConflict(a.conflicts()[0]?.key ?? "", { keep: "server" });
    expect(a.conflicts()).toHaveLength(0);
    expect(a.getStatus().pendingCount).toBe(0);
    expect(server.pushes).toBe(pushes);
    expect(a.get("list", listId)?.fields.title).toBe("Three");
  });
});

describe("status", () => {
  it("[L11] no network: offline, with the pending count and the age of the oldest pending op", async () => {
    const server = createFakeServer(shoppingSchema);
    const net = switchableFetch(server.fetch);
    const client = await started({ fetch: net.fetch, dbName: freshDbName() });
    await waitFor(idle(client), "synced");
    const seen: string[] = [];
    const unsubscribe = client.subscribeStatus((s) => seen.push(s.state));
    net.setOffline(true);
    await client.create("list", { title: "x" });
    await waitFor(() => client.getStatus().state === "offline", "offline");
    expect(client.getStatus().pendingCount).toBe(1);
    expect(client.getStatus().oldestPendingAt).not.toBeNull();
    net.setOffline(false);
    await client.syncNow();
    await waitFor(idle(client), "back");
    unsubscribe();
    expect(seen).toContain("offline");
    expect(seen.at(-1)).toBe("synced");
    expect(client.getStatus().lastSyncedAt).not.toBeNull();
  });

  it("[L11] online, pending work, no progress: error state, then stuck", async () => {
    const failing: typeof fetch = async (input, init) =>
      String(input).includes("/push")
        ? new Response(JSON.stringify({ error: { code: "UNAVAILABLE", message: "down" } }), {
            status: 503,
          })
        : createFakeServer(shoppingSchema).fetch(input, init);
    const client = await started({ fetch: failing, dbName: freshDbName(), stuckAfterMs: 50 });
    await client.create("list", { title: "never lands" });
    await waitFor(() => client.getStatus().stuck, "stuck");
    expect(client.getStatus()).toMatchObject({
      state: "error",
      online: true,
      pendingCount: 1,
      deadLetterCount: 0,
    });
    expect(client.getStatus().lastError?.code).toBe("UNAVAILABLE");
  });

  it("[L11] getStatus and getVersion keep their identity until something changes", async () => {
    const server = createFakeServer(shoppingSchema);
    const client = await started({ fetch: server.fetch, dbName: freshDbName() });
    await waitFor(idle(client), "synced");
    expect(client.getStatus()).toBe(client.getStatus());
    const version = client.getVersion();
    let calls = 0;
    const unsubscribe = client.subscribe(() => calls++);
    await client.create("list", { title: "v" });
    expect(client.getVersion()).not.toBe(version);
    expect(calls).toBeGreaterThan(0);
    unsubscribe();
  });
});

describe("clock", () => {
  it("[L4] the wall-clock offset is estimated from serverTime and applied to new HLCs", async () => {
    const hour = 3_600_000;
    const server = createFakeServer(shoppingSchema, () => Date.now());
    const client = await started({
      fetch: server.fetch,
      dbName: freshDbName(),
      now: () => Date.now() - hour, // this device is an hour behind
    });
    await waitFor(idle(client), "first exchange");
    const listId = await client.create("list", { title: "t" });
    await waitFor(idle(client), "pushed");
    const clock = server.rows.get(`list/${listId}`)?.clocks.title ?? "";
    expect(hlcWall(clock)).toBeGreaterThan(Date.now() - hour / 2);
  });
});

describe("stream", () => {
  function fakeSources() {
    const opened: (EventSourceLike & { emit(type: string, data: string): void })[] = [];
    const open = (_url: string) => {
      const listeners = new Map<string, ((e: { data: string }) => void)[]>();
      const source = {
        onerror: null as ((e: unknown) => void) | null,
        onopen: null as ((e: unknown) => void) | null,
        closed: false,
        addEventListener(type: string, l: (e: { data: string }) => void) {
          listeners.set(type, [...(listeners.get(type) ?? []), l]);
        },
        close() {
          source.closed = true;
        },
        emit(type: string, data: string) {
          for (const l of listeners.get(type) ?? []) l({ data });
        },
      };
      opened.push(source);
      return source;
    };
    return { opened, open };
  }

  it("[L8] a poke triggers a pull; an error reconnects with backoff", async () => {
    const server = createFakeServer(shoppingSchema);
    const { opened, open } = fakeSources();
    const other = await started({ fetch: server.fetch, dbName: freshDbName("other") });
    const client = await started({ fetch: server.fetch, dbName: freshDbName(), eventSource: open });
    await waitFor(() => opened.length === 1, "stream opened");
    await waitFor(idle(client), "first pull");
    const listId = await other.create("list", { title: "from elsewhere" });
    await waitFor(idle(other), "other pushed");
    expect(client.get("list", listId)).toBeUndefined();
    opened[0]?.emit("poke", JSON.stringify({ cursor: 1 }));
    await waitFor(() => client.get("list", listId) !== undefined, "pulled on poke");

    opened[0]?.onerror?.({});
    await waitFor(() => opened.length === 2, "reconnected");
    const second = await other.create("list", { title: "after reconnect" });
    await waitFor(idle(other), "other pushed");
    opened[1]?.onopen?.({});
    await waitFor(() => client.get("list", second) !== undefined, "pulled on reopen");
  });

  it("[L8] a stream event sends a push that is waiting out a backoff at once", async () => {
    const server = createFakeServer(shoppingSchema);
    const { opened, open } = fakeSources();
    const net = switchableFetch(server.fetch);
    // A backoff of about an hour, so only the stream event can send the push in time.
    const retryMs = Math.floor(0.999 * 3_600_000);
    const retries = new Set<unknown>();
    const timers = {
      setTimeout(fn: () => void, ms: number): unknown {
        const handle = setTimeout(() => {
          retries.delete(handle);
          fn();
        }, ms);
        if (ms === retryMs) retries.add(handle);
        return handle;
      },
      clearTimeout(handle: unknown) {
        retries.delete(handle);
        clearTimeout(handle as Parameters<typeof clearTimeout>[0]);
      },
    };
    const client = await started({
      fetch: net.fetch,
      dbName: freshDbName(),
      eventSource: open,
      backoff: { baseMs: 3_600_000, maxMs: 3_600_000 },
      random: () => 0.999,
      timers,
    });
    await waitFor(() => opened.length === 1, "stream opened");
    await waitFor(idle(client), "first pull");
    net.setOffline(true);
    const listId = await client.create("list", { title: "waits" });
    await waitFor(() => retries.size > 0, "the push waiting out its backoff");
    net.setOffline(false);
    opened[0]?.emit("poke", JSON.stringify({ cursor: 0 }));
    await waitFor(() => server.rows.has(`list/${listId}`), "pushed on the stream event");
  });
});
