export { createIdbQueueStorage, type IdbQueueStorageOptions } from "./idb-storage";
export { upgradeQueueStores } from "./upgrade";
