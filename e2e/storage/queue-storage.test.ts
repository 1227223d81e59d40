import { createIdbQueueStorage } from "@sync/queue/idb";
import { type ContractItem, runQueueStorageContract } from "@sync/queue/testing";

// The queue's storage contract on Chromium's own IndexedDB (Node runs it on fake-indexeddb).
let counter = 0;
const names = new WeakMap<object, string>();
const freshName = () => `queue-${Date.now()}-${++counter}`;

async function openNamed(dbName: string) {
  const storage = await createIdbQueueStorage<ContractItem>({ dbName });
  names.set(storage, dbName);
  return storage;
}

runQueueStorageContract(
  "IndexedDB in Chromium",
  () => openNamed(freshName()),
  (closed) => {
    const name = names.get(closed);
    if (!name) throw new Error("not opened here");
    return openNamed(name);
  },
);
