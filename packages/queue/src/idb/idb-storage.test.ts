import "fake-indexeddb/auto";
import { deleteDB, openDB } from "idb";
import { describe, expect, it } from "vitest";
import { type ContractItem, runQueueStorageContract } from "../testing/storage-contract";
import { createIdbQueueStorage } from "./idb-storage";
import { upgradeQueueStores } from "./upgrade";

let dbCounter = 0;
const names = new WeakMap<object, string>();

runQueueStorageContract(
  "IndexedDB (own database)",
  async () => {
    const dbName = `queue-contract-${++dbCounter}`;
    const storage = await createIdbQueueStorage<ContractItem>({ dbName });
    names.set(storage, dbName);
    return storage;
  },
  async (closed) => {
    const dbName = names.get(closed);
    if (!dbName) throw new Error("storage was not opened by this test");
    const storage = await createIdbQueueStorage<ContractItem>({ dbName });
    names.set(storage, dbName);
    return storage;
  },
);

const openHostDb = (name: string) =>
  openDB(name, 1, {
    upgrade(db) {
      db.createObjectStore("records", { keyPath: "id" });
      upgradeQueueStores(db, "ops", "ops-dead");
    },
  });

runQueueStorageContract("IndexedDB (stores hosted in another database)", async () => {
  const db = await openHostDb(`queue-host-${++dbCounter}`);
  return createIdbQueueStorage<ContractItem>({ db, pendingStore: "ops", deadStore: "ops-dead" });
});

describe("IndexedDB adapter", () => {
  it("gives way when another tab deletes the database; later calls reject", async () => {
    const dbName = `queue-blocking-${++dbCounter}`;
    const storage = await createIdbQueueStorage<string>({ dbName });
    await storage.append("a", 1);
    await deleteDB(dbName);
    await expect(storage.append("b", 2)).rejects.toThrow();
    await storage.close();
  });

  it("close() leaves a host-owned database open", async () => {
    const name = `queue-host-${++dbCounter}`;
    const db = await openHostDb(name);
    const storage = await createIdbQueueStorage<string>({
      db,
      pendingStore: "ops",
      deadStore: "ops-dead",
    });
    await storage.append("a", 1);
    await storage.close();
    await db.put("records", { id: "r1" });
    expect(await db.count("ops")).toBe(1);
    db.close();
    await deleteDB(name);
  });

  it("upgradeQueueStores keeps existing stores on a later upgrade", async () => {
    const name = `queue-upgrade-${++dbCounter}`;
    const first = await openHostDb(name);
    await first.add("ops", { item: "kept", enqueuedAt: 1, attempts: 0 });
    first.close();
    const second = await openDB(name, 2, {
      upgrade(db) {
        upgradeQueueStores(db, "ops", "ops-dead");
      },
    });
    const storage = await createIdbQueueStorage<string>({
      db: second,
      pendingStore: "ops",
      deadStore: "ops-dead",
    });
    expect((await storage.list()).map((e) => e.item)).toEqual(["kept"]);
    second.close();
  });
});
