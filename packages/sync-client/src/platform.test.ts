import "fake-indexeddb/auto";
import { shoppingSchema } from "@sync/entities";
import { afterEach, describe, expect, it } from "vitest";
import { fetchEventSource } from "./fetch-event-source.js";
import { webLocksLeader } from "./leader.js";
import { createFakeServer } from "./test-support/fake-server.js";
import { freshDbName, testClient } from "./test-support/harness.js";
import { waitFor } from "./test-support/wait-for.js";
import type { SyncClient } from "./types.js";

/** A minimal exclusive LockManager: grants in request order, honours abort signals. */
function fakeLocks() {
  const queues = new Map<string, (() => void)[]>();
  return {
    request(
      name: string,
      options: { signal?: AbortSignal },
      callback: (lock: unknown) => Promise<void>,
    ) {
      return new Promise<unknown>((resolve, reject) => {
        const line = queues.get(name) ?? [];
        queues.set(name, line);
        const run = () => {
          callback({ name })
            .then(resolve, reject)
            .finally(() => {
              line.shift();
              line[0]?.();
            });
        };
        options.signal?.addEventListener("abort", () => {
          const index = line.indexOf(run);
          if (index > 0) {
            line.splice(index, 1);
            reject(new DOMException("aborted", "AbortError"));
          }
        });
        line.push(run);
        if (line.length === 1) run();
      });
    },
  };
}

describe("leader election over Web Locks", () => {
  it("[L13] one holder at a time; leaving hands the lock to the next in line", async () => {
    const leader = webLocksLeader(fakeLocks());
    const events: string[] = [];
    const leaveA = leader.campaign(
      "l",
      () => events.push("a+"),
      () => events.push("a-"),
    );
    const leaveB = leader.campaign(
      "l",
      () => events.push("b+"),
      () => events.push("b-"),
    );
    const leaveC = leader.campaign(
      "l",
      () => events.push("c+"),
      () => events.push("c-"),
    );
    await waitFor(() => events.includes("a+"), "a leads");
    leaveC(); // c gives up while waiting: never leads
    leaveA();
    await waitFor(() => events.includes("b+"), "b takes over");
    leaveB();
    await waitFor(() => events.includes("b-"), "b released");
    expect(events).toEqual(["a+", "a-", "b+", "b-"]);
  });
});

describe("storage durability", () => {
  const clients: SyncClient[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.stop()));
  });

  it("[L12] asks for persistent storage at start and warns when the quota is nearly used", async () => {
    let persistCalls = 0;
    const client = testClient({
      fetch: createFakeServer(shoppingSchema).fetch,
      dbName: freshDbName("quota"),
      storageManager: {
        persisted: async () => false,
        persist: async () => {
          persistCalls++;
          return true;
        },
        estimate: async () => ({ usage: 90, quota: 100 }),
      },
    });
    clients.push(client);
    await client.start();
    await waitFor(() => client.notices().some((n) => n.level === "warning"), "quota warning");
    expect(persistCalls).toBe(1);
    expect(client.notices().find((n) => n.level === "warning")?.message).toMatch(/90%/);
    const [notice] = client.notices();
    client.dismissNotice(notice?.id ?? "");
    expect(client.notices()).toHaveLength(0);
    expect(client.getStatus().noticeCount).toBe(0);
  });

  it("[L12] no warning below the threshold", async () => {
    const client = testClient({
      fetch: createFakeServer(shoppingSchema).fetch,
      dbName: freshDbName("quota"),
      storageManager: { estimate: async () => ({ usage: 10, quota: 100 }) },
    });
    clients.push(client);
    await client.start();
    await waitFor(() => client.getStatus().state === "synced", "synced");
    expect(client.notices()).toHaveLength(0);
  });
});

describe("fetchEventSource", () => {
  it("[L8] parses named SSE events across chunk boundaries and reports the end of the stream", async () => {
    const text =
      'event: poke\ndata: {"cursor":7}\n\n: comment\n\nevent: ping\ndata: x\n\nevent: poke\ndata: "é"\n\n';
    const bytes = new TextEncoder().encode(text);
    // Cut inside an event, and inside the two bytes of "é".
    const cuts = [22, bytes.length - 4];
    const chunks = [bytes.slice(0, cuts[0]), bytes.slice(cuts[0], cuts[1]), bytes.slice(cuts[1])];
    const fakeFetch: typeof fetch = async () =>
      new Response(
        new ReadableStream({
          start(controller) {
            for (const chunk of chunks) controller.enqueue(chunk);
            controller.close();
          },
        }),
        { status: 200, headers: { "content-type": "text/event-stream" } },
      );
    const source = fetchEventSource(fakeFetch)("http://x/api/sync/stream");
    const pokes: string[] = [];
    let opened = false;
    let failed = false;
    source.onopen = () => {
      opened = true;
    };
    source.onerror = () => {
      failed = true;
    };
    source.addEventListener("poke", (e) => pokes.push(e.data));
    await waitFor(() => failed, "end of stream reported");
    expect(opened).toBe(true);
    expect(pokes).toEqual(['{"cursor":7}', '"é"']);
  });
});
