// idb's wrapper needs the IDB classes as globals (as in browsers and workers); the factory is ours.
import "fake-indexeddb/auto";
import { IDBFactory } from "fake-indexeddb";
import { wrap } from "idb";
import { describe, expect, it } from "vitest";
import type { LocalStore } from "../local-store.js";
import { freshDbName } from "../test-support/harness.js";
import { runLocalStoreContract } from "../testing/local-store-contract.js";
import { openIdbLocalStore } from "./idb-local-store.js";
import { DB_VERSION, STORES, UPGRADE_STEPS } from "./upgrades.js";

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

describe("IndexedDB upgrades", () => {
  it("a database of version 1 gets the confirmed rows' version index and keeps its rows", async () => {
    const dbName = freshDbName("upgrade");
    const old = factory.open(dbName, 1);
    // Exactly what the first release's step made.
    old.onupgradeneeded = () =>
      UPGRADE_STEPS[0]?.(wrap(old.result), old.transaction as IDBTransaction);
    const v1 = await new Promise<IDBDatabase>((resolve, reject) => {
      old.onsuccess = () => resolve(old.result);
      old.onerror = () => reject(old.error);
    });
    const id = "01900000-0000-7000-8000-000000000001";
    const stored = {
      entity: "list",
      id,
      version: 9,
      fields: { title: "kept" },
      clocks: {},
      deleted: false,
    };
    await new Promise<void>((resolve, reject) => {
      const tx = v1.transaction(STORES.confirmed, "readwrite");
      tx.objectStore(STORES.confirmed).put(stored);
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
    });
    v1.close();
    const store = await openNamed(dbName);
    await store.openMeta(() => ({
      version: 1,
      clientId: id,
      nodeId: "abcdefghijk",
      createdAt: 1,
      cursor: 0,
      lastHlc: null,
    }));
    // The stored row is newer than the page's copy: the index finds it and it stays.
    expect(await store.applyPull([{ ...stored, version: 5, fields: { title: "old" } }], 5)).toEqual(
      [],
    );
    expect(await store.allRows()).toEqual([stored]);
    await store.close();
  });
});
