export { type IdbLocalStoreOptions, openIdbLocalStore } from "./idb-local-store.js";
export { DB_VERSION, STORES, UPGRADE_STEPS } from "./upgrades.js";
