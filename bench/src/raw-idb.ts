import "fake-indexeddb/auto";
import type { Row } from "@sync/protocol";

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error ?? new Error("transaction aborted"));
  });
}

/** A fresh database with one object store keyed like a client's row store. */
export async function openRawDb(name: string): Promise<IDBDatabase> {
  const open = indexedDB.open(name, 1);
  open.onupgradeneeded = () => open.result.createObjectStore("rows", { keyPath: ["entity", "id"] });
  return request(open);
}

/** The ceiling: every row put in one readwrite transaction, resolved when it is durable. */
export async function bulkPut(db: IDBDatabase, rows: readonly Row[]): Promise<void> {
  const tx = db.transaction("rows", "readwrite", { durability: "strict" });
  const store = tx.objectStore("rows");
  for (const row of rows) store.put(row);
  await done(tx);
}

/** The same rows in transactions of `size` (a pull page each): big transactions are slow in some engines. */
export async function pagedPut(db: IDBDatabase, rows: readonly Row[], size: number): Promise<void> {
  for (let i = 0; i < rows.length; i += size) await bulkPut(db, rows.slice(i, i + size));
}

export async function countRows(db: IDBDatabase): Promise<number> {
  return request(db.transaction("rows").objectStore("rows").count());
}
