import { createIdbQueueStorage } from "@sync/queue/idb";
import { type ContractItem, runQueueStorageContract } from "@sync/queue/testing";
import { byName } from "./by-name.js";

// The queue's storage contract on Chromium's own IndexedDB (Node runs it on fake-indexeddb).
const storages = byName("queue", (dbName) => createIdbQueueStorage<ContractItem>({ dbName }));
runQueueStorageContract("IndexedDB in Chromium", storages.fresh, storages.reopen);
