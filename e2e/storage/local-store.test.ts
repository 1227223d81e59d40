import type { LocalStore } from "@sync/sync-client";
import { openIdbLocalStore } from "@sync/sync-client/idb";
import { runLocalStoreContract } from "@sync/sync-client/testing";

// The client's store contract on Chromium's own IndexedDB: the Node suites run it on
// fake-indexeddb, which does not reproduce a real engine's transaction scheduling.
let counter = 0;
const names = new WeakMap<LocalStore, string>();
const freshName = () => `local-store-${Date.now()}-${++counter}`;

async function openNamed(dbName: string): Promise<LocalStore> {
  const store = await openIdbLocalStore({ dbName });
  names.set(store, dbName);
  return store;
}

runLocalStoreContract(
  "IndexedDB in Chromium",
  () => openNamed(freshName()),
  (closed) => {
    const name = names.get(closed);
    if (!name) throw new Error("not opened here");
    return openNamed(name);
  },
);
