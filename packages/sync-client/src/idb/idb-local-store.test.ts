// idb's wrapper needs the IDB classes as globals (as in browsers and workers); the factory is ours.
import "fake-indexeddb/auto";
import { IDBFactory } from "fake-indexeddb";
import { describe, expect, it } from "vitest";
import type { LocalStore } from "../local-store.js";
import { freshDbName } from "../test-support/harness.js";
import { runLocalStoreContract } from "../testing/local-store-contract.js";
import { openIdbLocalStore } from "./idb-local-store.js";
import { DB_VERSION, STORES } from "./upgrades.js";

// A second factory, not the global one: the adapter must open the database it is given.
const factory = new IDBFactory();
const names = new WeakMap<LocalStore, string>();

async function openNamed(dbName: string): Promise<LocalStore> {
  const store = await openIdbLocalStore({ dbName, indexedDB: factory });
  names.set(store, dbName);
  return store;
}

runLocalStoreContract(
  "IndexedDB",
  () => openNamed(freshDbName("idb")),
  (closed) => {
    const name = names.get(closed);
    if (!name) throw new Error("not opened here");
    return openNamed(name);
  },
);

describe("IndexedDB schema", () => {
  it("creates every store at the current version", async () => {
    const dbName = freshDbName("schema");
    const store = await openNamed(dbName);
    await store.close();
    const request = factory.open(dbName);
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    expect(db.version).toBe(DB_VERSION);
    expect([...db.objectStoreNames].sort()).toEqual(Object.values(STORES).sort());
    db.close();
  });
});
