import type { Row } from "@sync/protocol";
import { createIdbQueueStorage } from "@sync/queue/idb";
import { type IDBPDatabase, unwrap, wrap } from "idb";
import { v7 as uuidv7 } from "uuid";
import { CLIENT_ERROR_CODES, SyncClientError } from "../errors.js";
import type { LocalStore, StoredConflict, StoredMeta } from "../local-store.js";
import type { PendingOp } from "../pending-op.js";
import { resyncedMeta } from "../pull-progress.js";
import { keepConfirmedAfter } from "../resync-merge.js";
import {
  abortQuietly,
  appendOperation,
  type ClockRecord,
  clockRange,
  lastHlcIn,
  META_KEY,
  missingMeta,
  type WriterState,
} from "./append-operation.js";
import { applyPullPage } from "./apply-pull.js";
import { DB_VERSION, runUpgrades, STORES } from "./upgrades.js";

export interface IdbLocalStoreOptions {
  dbName: string;
  /** Defaults to the global `indexedDB`. */
  indexedDB?: IDBFactory;
  /** The browser closed the connection behind our back (eviction, "clear site data"). */
  onTerminated?: () => void;
  /** Another tab wants a newer schema: we close so its upgrade can run. */
  onVersionChange?: () => void;
}

/** The two calls `putNewer` needs, whatever transaction the store belongs to. */
interface RwStore {
  get(key: IDBValidKey): Promise<unknown>;
  put(value: unknown): Promise<IDBValidKey>;
}

/** The reads `readMerged` needs, in whichever transaction over the meta store. */
interface MetaTx {
  objectStore(name: string): {
    get(key: IDBValidKey): Promise<unknown>;
    getAll(range: IDBKeyRange): Promise<unknown[]>;
  };
}

/** `LocalStore` over IndexedDB through `idb`; one transaction per method (see the port contract). */
export async function openIdbLocalStore(options: IdbLocalStoreOptions): Promise<LocalStore> {
  const factory = options.indexedDB ?? globalThis.indexedDB;
  if (!factory) throw new SyncClientError(CLIENT_ERROR_CODES.storage, "IndexedDB is not available");
  const db = await openWith(factory, options.dbName);
  if (options.onTerminated) {
    const onTerminated = options.onTerminated;
    db.addEventListener("close", () => onTerminated());
  }
  db.addEventListener("versionchange", () => {
    db.close();
    options.onVersionChange?.();
  });
  const queue = await createIdbQueueStorage<PendingOp>({
    db,
    pendingStore: STORES.pending,
    deadStore: STORES.dead,
  });
  return idbLocalStore(db, queue);
}

/** `openDB` of idb, but on an injected factory (idb's own helper only uses the global one). */
function openWith(factory: IDBFactory, name: string): Promise<IDBPDatabase<unknown>> {
  const request = factory.open(name, DB_VERSION);
  request.addEventListener("upgradeneeded", (event) => {
    // The versionchange transaction: steps that change an existing store need it.
    runUpgrades(wrap(request.result), event.oldVersion, request.transaction as IDBTransaction);
  });
  return wrap(request) as Promise<IDBPDatabase<unknown>>;
}

/**
 * Runs `work` inside `tx` and resolves once the transaction committed. A failure aborts the
 * transaction: a request that throws synchronously (DataCloneError) would otherwise let the
 * earlier requests of the same transaction commit, which breaks atomicity (rule L5).
 */
async function inTransaction<T>(
  tx: { abort(): void; readonly done: Promise<void> },
  work: () => Promise<T>,
): Promise<T> {
  // Observed at once, so an abort is never an unhandled rejection; awaited below.
  tx.done.catch(() => undefined);
  let result: T;
  try {
    result = await work();
  } catch (error) {
    abortQuietly(tx);
    await tx.done.catch(() => undefined);
    throw error;
  }
  await tx.done;
  return result;
}

function idbLocalStore(db: IDBPDatabase<unknown>, queue: LocalStore["queue"]): LocalStore {
  let closed = false;
  const open = (): void => {
    if (closed) throw new SyncClientError(CLIENT_ERROR_CODES.stopped, "local store is closed");
  };
  const raw = unwrap(db);
  const writer: WriterState = { storeId: uuidv7(), lastSeq: undefined };
  /** The meta, its `lastHlc` raised to the highest clock record (append-operation.ts). */
  const readMerged = async (tx: MetaTx): Promise<StoredMeta> => {
    const store = tx.objectStore(STORES.meta);
    const [meta, clocks] = await Promise.all([store.get(META_KEY), store.getAll(clockRange())]);
    if (!meta) throw missingMeta();
    const current = meta as StoredMeta;
    return { ...current, lastHlc: lastHlcIn(current, clocks as ClockRecord[]) };
  };

  /** Puts each row unless the stored one is newer; returns the rows written. */
  const putNewer = async (store: RwStore, rows: readonly Row[]): Promise<Row[]> => {
    const written: Row[] = [];
    for (const row of rows) {
      const current = (await store.get([row.entity, row.id])) as Row | undefined;
      if (current && current.version > row.version) continue;
      await store.put(row);
      written.push(row);
    }
    return written;
  };

  return {
    queue,
    async openMeta(init) {
      open();
      const tx = db.transaction(STORES.meta, "readwrite");
      return inTransaction(tx, async () => {
        const existing = (await tx.store.get(META_KEY)) as StoredMeta | undefined;
        if (!existing) {
          const meta = init();
          await tx.store.put(meta, META_KEY);
          return { meta, created: true };
        }
        // Folds the clock records of earlier sessions into the meta, so they do not pile up. A
        // live tab's record may go too: its HLC is in the meta now, and its next write reads it.
        const meta = await readMerged(tx);
        if (meta.lastHlc !== existing.lastHlc) await tx.store.put(meta, META_KEY);
        await tx.store.delete(clockRange());
        return { meta, created: false };
      });
    },
    async readMeta() {
      open();
      const tx = db.transaction(STORES.meta, "readonly");
      return inTransaction(tx, () => readMerged(tx));
    },
    async appendOperation(op, enqueuedAt, stamp) {
      open();
      return appendOperation(raw, writer, op, enqueuedAt, stamp);
    },
    async updateMeta(change) {
      open();
      const tx = db.transaction(STORES.meta, "readwrite");
      return inTransaction(tx, async () => {
        const next = change(await readMerged(tx));
        await tx.store.put(next, META_KEY);
        return next;
      });
    },
    async allRows() {
      open();
      return (await db.getAll(STORES.confirmed)) as Row[];
    },
    async getRows(keys) {
      open();
      const tx = db.transaction(STORES.confirmed, "readonly");
      const rows = await Promise.all(keys.map((key) => tx.store.get([key[0], key[1]])));
      await tx.done;
      return rows.filter((row): row is Row => row !== undefined);
    },
    async acknowledge(ack) {
      open();
      const tx = db.transaction([STORES.confirmed, STORES.pending, STORES.conflicts], "readwrite");
      const work = async (): Promise<Row[]> => {
        const written = await putNewer(tx.objectStore(STORES.confirmed), ack.rows);
        for (const seq of ack.doneSeqs) await tx.objectStore(STORES.pending).delete(seq);
        for (const conflict of ack.conflicts) await tx.objectStore(STORES.conflicts).put(conflict);
        return written;
      };
      return inTransaction(tx, work);
    },
    async applyPull(rows, cursor, after, processedSeq) {
      open();
      return applyPullPage(unwrap(db), rows, cursor, after, processedSeq);
    },
    async replaceAll(rows, cursor, processedSeq) {
      open();
      const tx = db.transaction([STORES.confirmed, STORES.meta], "readwrite");
      const work = async (): Promise<Row[]> => {
        const confirmed = tx.objectStore(STORES.confirmed);
        const next = keepConfirmedAfter((await confirmed.getAll()) as Row[], rows, cursor);
        await confirmed.clear();
        for (const row of next) await confirmed.put(row);
        const meta = tx.objectStore(STORES.meta);
        const current = (await meta.get(META_KEY)) as StoredMeta | undefined;
        if (current) await meta.put(resyncedMeta(current, cursor, processedSeq), META_KEY);
        return next;
      };
      return inTransaction(tx, work);
    },
    async deleteRows(keys) {
      open();
      const tx = db.transaction(STORES.confirmed, "readwrite");
      await inTransaction(tx, async () => {
        for (const key of keys) await tx.store.delete([key[0], key[1]]);
      });
    },
    async conflicts() {
      open();
      return (await db.getAll(STORES.conflicts)) as StoredConflict[];
    },
    async deleteConflict(key) {
      open();
      await db.delete(STORES.conflicts, key);
    },
    async close() {
      if (closed) return;
      closed = true;
      await queue.close();
      db.close();
    },
  };
}
