import type { LocalStore } from "./local-store.js";
import {
  createMemoryLocalData,
  createMemoryLocalStore,
  type MemoryLocalData,
} from "./memory-local-store.js";
import { runLocalStoreContract } from "./testing/local-store-contract.js";

const dataOf = new WeakMap<LocalStore, MemoryLocalData>();

runLocalStoreContract(
  "memory",
  async () => {
    const data = createMemoryLocalData();
    const store = createMemoryLocalStore(data);
    dataOf.set(store, data);
    return store;
  },
  async (other) => {
    const data = dataOf.get(other);
    if (!data) throw new Error("not opened here");
    const store = createMemoryLocalStore(data);
    dataOf.set(store, data);
    return store;
  },
);
