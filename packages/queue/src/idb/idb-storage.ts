import { type IDBPDatabase, openDB } from "idb";
import { QUEUE_ERROR_CODES, QueueError } from "../queue-error";
import type { DeadLetter, FailureReason, QueueEntry, QueueStorage } from "../storage";
import { upgradeQueueStores } from "./upgrade";

export type IdbQueueStorageOptions =
  /** The adapter opens (and on close, closes) its own database. */
  | { dbName: string }
  /** The host owns `db` (its upgrade called `upgradeQueueStores`); close() leaves it open. */
  | { db: IDBPDatabase<unknown>; pendingStore: string; deadStore: string };

const OWN_DB_VERSION = 1;
const OWN_PENDING = "pending";
const OWN_DEAD = "dead";

type PendingRecord<T> = QueueEntry<T>;
type NewPendingRecord<T> = Omit<QueueEntry<T>, "seq">;
type DeadRecord<T> = DeadLetter<T>;

/**
 * `QueueStorage` over IndexedDB (through `idb`). Each method is one
 * transaction and resolves when it has completed, so a resolved `append` is
 * on disk. Errors (quota, DataCloneError, closed connection) reject.
 */
export async function createIdbQueueStorage<T>(
  options: IdbQueueStorageOptions,
): Promise<QueueStorage<T>> {
  if ("dbName" in options) {
    const db = await openDB(options.dbName, OWN_DB_VERSION, {
      upgrade(database) {
        upgradeQueueStores(database, OWN_PENDING, OWN_DEAD);
      },
      // Another tab deletes or upgrades the database (sign-out, new app version): let it.
      // Later calls here then reject; nothing is dropped silently.
      blocking() {
        db.close();
      },
    });
    return idbQueueStorage<T>(db, OWN_PENDING, OWN_DEAD, true);
  }
  return idbQueueStorage<T>(options.db, options.pendingStore, options.deadStore, false);
}

function idbQueueStorage<T>(
  db: IDBPDatabase<unknown>,
  pendingName: string,
  deadName: string,
  ownsDb: boolean,
): QueueStorage<T> {
  let closed = false;
  const open = (): void => {
    if (closed) {
      throw new QueueError("permanent", QUEUE_ERROR_CODES.storageClosed, "queue storage is closed");
    }
  };

  return {
    async append(item, enqueuedAt) {
      open();
      const tx = db.transaction(pendingName, "readwrite");
      const record: NewPendingRecord<T> = { item, enqueuedAt, attempts: 0 };
      const [key] = await Promise.all([tx.store.add(record), tx.done]);
      return { seq: Number(key), item: structuredClone(item), enqueuedAt, attempts: 0 };
    },
    async list(limit) {
      open();
      // IndexedDB reads a count of 0 as "no limit".
      if (limit === 0) return [];
      return (await db.getAll(pendingName, undefined, limit)) as PendingRecord<T>[];
    },
    async count() {
      open();
      return db.count(pendingName);
    },
    async oldest() {
      open();
      const [first] = (await db.getAll(pendingName, undefined, 1)) as PendingRecord<T>[];
      return first;
    },
    async remove(seqs) {
      open();
      const tx = db.transaction(pendingName, "readwrite");
      await Promise.all([...seqs.map((seq) => tx.store.delete(seq)), tx.done]);
    },
    async recordAttempt(seqs, error) {
      open();
      const tx = db.transaction(pendingName, "readwrite");
      const update = async (seq: number): Promise<void> => {
        const entry = (await tx.store.get(seq)) as PendingRecord<T> | undefined;
        if (entry) await tx.store.put({ ...entry, attempts: entry.attempts + 1, lastError: error });
      };
      await Promise.all([...seqs.map(update), tx.done]);
    },
    async moveToDeadLetter(seqs, reason: FailureReason, failedAt, groupId) {
      open();
      const tx = db.transaction([pendingName, deadName], "readwrite");
      const pending = tx.objectStore(pendingName);
      const dead = tx.objectStore(deadName);
      const move = async (seq: number): Promise<DeadLetter<T> | undefined> => {
        const entry = (await pending.get(seq)) as PendingRecord<T> | undefined;
        if (!entry) return undefined;
        const letter: Omit<DeadLetter<T>, "id"> = {
          seq,
          item: entry.item,
          reason: { code: reason.code, message: reason.message },
          failedAt,
          attempts: entry.attempts,
        };
        if (groupId !== undefined) letter.groupId = groupId;
        const [, id] = await Promise.all([pending.delete(seq), dead.add(letter)]);
        return { ...letter, id: Number(id) };
      };
      // Sorted first: requests run in issue order, so dead-letter ids follow seq order.
      const unique = [...new Set(seqs)].sort((a, b) => a - b);
      const [moved] = await Promise.all([Promise.all(unique.map(move)), tx.done]);
      return moved.filter((letter): letter is DeadLetter<T> => letter !== undefined);
    },
    async listDeadLetters() {
      open();
      return (await db.getAll(deadName)) as DeadRecord<T>[];
    },
    async removeDeadLetter(id) {
      open();
      const tx = db.transaction(deadName, "readwrite");
      const [letter] = await Promise.all([
        tx.store.get(id) as Promise<DeadRecord<T> | undefined>,
        tx.store.delete(id),
        tx.done,
      ]);
      return letter;
    },
    async requeueDeadLetter(id, item, enqueuedAt) {
      open();
      const tx = db.transaction([pendingName, deadName], "readwrite");
      const dead = tx.objectStore(deadName);
      const requeue = async (): Promise<QueueEntry<T> | undefined> => {
        if ((await dead.getKey(id)) === undefined) return undefined;
        const record: NewPendingRecord<T> = { item, enqueuedAt, attempts: 0 };
        const [, key] = await Promise.all([
          dead.delete(id),
          tx.objectStore(pendingName).add(record),
        ]);
        return { seq: Number(key), item: structuredClone(item), enqueuedAt, attempts: 0 };
      };
      const [entry] = await Promise.all([requeue(), tx.done]);
      return entry;
    },
    async close() {
      if (closed) return;
      closed = true;
      if (ownsDb) db.close();
    },
  };
}
