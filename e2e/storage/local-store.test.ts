import { openIdbLocalStore } from "@sync/sync-client/idb";
import { runLocalStoreContract } from "@sync/sync-client/testing";
import { byName } from "./by-name.js";

// The client's store contract on Chromium's own IndexedDB: the Node suites run it on
// fake-indexeddb, which does not reproduce a real engine's transaction scheduling.
const stores = byName("local-store", (dbName) => openIdbLocalStore({ dbName }));
runLocalStoreContract("IndexedDB in Chromium", stores.fresh, stores.reopen);
