import "fake-indexeddb/auto";
import { startTestServer, type TestServer } from "@sync/server/testing";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { openIdbLocalStore } from "./idb/idb-local-store.js";
import type { LocalStore } from "./local-store.js";
import { type Device, device } from "./test-support/real-server.js";
import { waitFor } from "./test-support/wait-for.js";
import type { ChannelLike, SyncClient } from "./types.js";

/** A promise to hold something back until the test lets it go. */
function gate(): { wait: Promise<void>; open(): void } {
  let open = () => {};
  const wait = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { wait, open };
}

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
}, 60_000);
afterAll(async () => {
  await server?.close();
});

const running: SyncClient[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((c) => c.stop()));
});

async function open(d: Device): Promise<Device> {
  running.push(d.client);
  await d.client.start();
  await waitFor(() => d.client.getStatus().leader, "leadership");
  return d;
}

const idle = (c: SyncClient) => () =>
  c.getStatus().pendingCount === 0 && c.getStatus().state === "synced";
const T = 20_000;

describe("the view against acknowledgements that overtake a re-read", () => {
  it.each([
    ["named rows", "update"],
    ["the whole store", "create"],
  ] as const)(
    "[L5][L13] a re-read of %s that an acknowledgement overtakes does not undo the acknowledged %s",
    async (scope, kind) => {
      const me = await server.signup();
      let pushHeld: ReturnType<typeof gate> | undefined;
      const holding: typeof fetch = async (input, init) => {
        if (pushHeld && String(input).includes("/api/sync/push")) await pushHeld.wait;
        return fetch(input, init);
      };
      // Ids of the rows pulled (or streamed) into the store.
      const pulled = new Set<string>();
      // The store as the client sees it, with one re-read held after it read the store.
      let readHeld: { read: ReturnType<typeof gate>; release: ReturnType<typeof gate> } | undefined;
      const holdAfter = async <R>(rows: Promise<R>): Promise<R> => {
        const result = await rows;
        const held = readHeld;
        if (held) {
          readHeld = undefined;
          held.read.open();
          await held.release.wait;
        }
        return result;
      };
      const localStore = async (dbName: string): Promise<LocalStore> => {
        const store = await openIdbLocalStore({ dbName });
        return Object.assign(Object.create(store) as LocalStore, {
          getRows: (keys: Parameters<LocalStore["getRows"]>[0]) =>
            keys.length > 0 ? holdAfter(store.getRows(keys)) : store.getRows(keys),
          allRows: () => holdAfter(store.allRows()),
          applyPull: async (...args: Parameters<LocalStore["applyPull"]>) => {
            const written = await store.applyPull(...args);
            for (const row of args[0]) pulled.add(row.id);
            return written;
          },
        });
      };
      // Another tab of the same database, as far as this one can tell: it posts on the channel.
      const listeners: ((event: { data: unknown }) => void)[] = [];
      const channel: ChannelLike = {
        postMessage: () => {},
        addEventListener: (_type, listener) => listeners.push(listener),
        close: () => {},
      };
      const tab = await open(
        device(server, me, { fetch: holding, localStore, channel: () => channel }),
      );
      const listId = await tab.client.create("list", { title: "Tabs" });
      let itemId = await tab.client.create("item", { listId, text: "old" });
      await waitFor(idle(tab.client), "synced", T);

      pushHeld = gate();
      if (kind === "update") await tab.client.update("item", itemId, { text: "new" });
      else itemId = await tab.client.create("item", { listId, text: "new" });
      readHeld = { read: gate(), release: gate() };
      const { read, release } = readHeld;
      // Another tab says the store changed: this tab re-reads it, before the push is answered.
      const rows = scope === "named rows" ? [["item", itemId]] : "all";
      for (const listener of listeners) {
        listener({ data: { type: "changed", from: "other-tab", rows } });
      }
      await read.wait;
      // The push goes through and is acknowledged while that re-read is still on its way.
      pulled.clear();
      pushHeld.open();
      await waitFor(() => tab.client.get("item", itemId)?.pending === false, "acknowledged", T);
      // And the stream brought the change too: the cursor is past it, no later pull heals the view.
      await waitFor(() => pulled.has(itemId), "the change streamed back", T);
      release.open();
      await waitFor(idle(tab.client), "settled", T);
      await tab.client.syncNow();
      expect(tab.client.get("item", itemId)?.fields.text).toBe("new");
    },
    30_000,
  );
});
