import "fake-indexeddb/auto";
import type { TestSession } from "@sync/server/testing";
import { describe, expect, it } from "vitest";
import { openIdbLocalStore } from "./idb/idb-local-store.js";
import type { LocalStore } from "./local-store.js";
import { idle } from "./test-support/harness.js";
import { device, realServerSuite, SYNC_WAIT_MS } from "./test-support/real-server.js";
import { waitFor } from "./test-support/wait-for.js";
import type { ChannelLike } from "./types.js";

/** A promise to hold something back until the test lets it go. */
function gate(): { wait: Promise<void>; open(): void } {
  let open = () => {};
  const wait = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { wait, open };
}

const suite = realServerSuite();
const { open } = suite;

const T = SYNC_WAIT_MS;

type Gate = ReturnType<typeof gate>;

/**
 * A leading tab whose pushes and one re-read of the store can be held, which hears "changed"
 * from a make-believe other tab of its database.
 */
async function heldTab(me: TestSession) {
  let pushHeld: Gate | undefined;
  const net: typeof fetch = async (input, init) => {
    if (pushHeld && String(input).includes("/api/sync/push")) await pushHeld.wait;
    return fetch(input, init);
  };
  // Ids of the rows pulled (or streamed) into the store.
  const pulled = new Set<string>();
  let readHeld: { read: Gate; release: Gate } | undefined;
  const holdAfter = async <R>(result: Promise<R>): Promise<R> => {
    const value = await result;
    const held = readHeld;
    if (held) {
      readHeld = undefined;
      held.read.open();
      await held.release.wait;
    }
    return value;
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
  const listeners: ((event: { data: unknown }) => void)[] = [];
  const channel: ChannelLike = {
    postMessage: () => {},
    addEventListener: (_type, listener) => listeners.push(listener),
    close: () => {},
  };
  const tab = await open(
    device(suite.server, me, { fetch: net, localStore, channel: () => channel }),
  );
  return {
    client: tab.client,
    pulled,
    holdPushes(): Gate {
      pushHeld = gate();
      return pushHeld;
    },
    /** The next re-read reads the store, then waits for `release`; `read` opens once it read. */
    holdNextRead(): { read: Gate; release: Gate } {
      readHeld = { read: gate(), release: gate() };
      return readHeld;
    },
    /** Another tab of the same database says these rows changed: this tab re-reads the store. */
    announce(rows: readonly (readonly [string, string])[] | "all") {
      for (const listener of listeners) {
        listener({ data: { type: "changed", from: "other-tab", rows } });
      }
    },
  };
}

describe("the view against acknowledgements that overtake a re-read", () => {
  it.each([
    ["named rows", "update"],
    ["the whole store", "create"],
  ] as const)(
    "[L5][L13] a re-read of %s that an acknowledgement overtakes does not undo the acknowledged %s",
    async (scope, kind) => {
      const me = await suite.server.signup();
      const tab = await heldTab(me);
      const listId = await tab.client.create("list", { title: "Tabs" });
      let itemId = await tab.client.create("item", { listId, text: "old" });
      await waitFor(idle(tab.client), "synced", T);

      const push = tab.holdPushes();
      if (kind === "update") await tab.client.update("item", itemId, { text: "new" });
      else itemId = await tab.client.create("item", { listId, text: "new" });
      const { read, release } = tab.holdNextRead();
      tab.announce(scope === "named rows" ? [["item", itemId]] : "all");
      await read.wait;
      // The push goes through and is acknowledged while that re-read is still on its way.
      tab.pulled.clear();
      push.open();
      await waitFor(() => tab.client.get("item", itemId)?.pending === false, "acknowledged", T);
      // And the stream brought the change too: the cursor is past it, no later pull heals it.
      await waitFor(() => tab.pulled.has(itemId), "the change streamed back", T);
      release.open();
      await waitFor(idle(tab.client), "settled", T);
      await tab.client.syncNow();
      expect(tab.client.get("item", itemId)?.fields.text).toBe("new");
    },
    30_000,
  );
});
