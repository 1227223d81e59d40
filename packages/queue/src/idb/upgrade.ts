import type { IDBPDatabase } from "idb";

/**
 * Creates the two object stores of a queue if they are missing. Call it from
 * the `upgrade` callback of your own `openDB` to host a queue inside another
 * database; then pass `{ db, pendingStore, deadStore }` to
 * `createIdbQueueStorage`.
 *
 * Both stores use an autoIncrement key generator: IndexedDB never lowers or
 * reuses its keys, which is exactly the `seq` rule of the port.
 *
 * Record layout (stable, so a host may touch the stores inside its own
 * transactions): pending store, keyPath `seq`, values are `QueueEntry<T>`;
 * dead store, keyPath `id`, values are `DeadLetter<T>`.
 */
export function upgradeQueueStores(
  db: IDBPDatabase<unknown>,
  pendingStore: string,
  deadStore: string,
): void {
  if (!db.objectStoreNames.contains(pendingStore)) {
    db.createObjectStore(pendingStore, { keyPath: "seq", autoIncrement: true });
  }
  if (!db.objectStoreNames.contains(deadStore)) {
    db.createObjectStore(deadStore, { keyPath: "id", autoIncrement: true });
  }
}
