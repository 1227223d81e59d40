import type { QueueEntry } from "@sync/queue";
import { CLIENT_ERROR_CODES, SyncClientError } from "../errors.js";
import type { StoredMeta } from "../local-store.js";
import type { PendingOp } from "../pending-op.js";
import { STORES } from "./upgrades.js";

export const META_KEY = "meta";

/**
 * Each open store's last issued HLC, in the meta store under `["clock", storeId]`: a write puts
 * its own record without reading it first, so tabs never overwrite each other's. The last HLC
 * issued over the database is the highest of these and the meta's `lastHlc` (see `lastHlcIn`).
 */
export interface ClockRecord {
  readonly storeId: string;
  readonly lastHlc: string;
}

export function clockKey(storeId: string): IDBValidKey {
  return ["clock", storeId];
}

/** Every `["clock", id]` key: arrays sort after strings, so `["clock", []]` bounds them all. */
export function clockRange(): IDBKeyRange {
  return IDBKeyRange.bound(["clock"], ["clock", []]);
}

/** The highest HLC among the meta's and the clock records (fixed-width strings sort as HLCs). */
export function lastHlcIn(meta: StoredMeta, clocks: readonly ClockRecord[]): string | null {
  let last = meta.lastHlc;
  for (const clock of clocks) if (last === null || clock.lastHlc > last) last = clock.lastHlc;
  return last;
}

/** What one store remembers between its writes. */
export interface WriterState {
  readonly storeId: string;
  /** The seq of this store's last append; undefined before its first. */
  lastSeq: number | undefined;
}

/**
 * One local write in ONE readwrite transaction (rule L3): the queue entry (its seq from the
 * store's key generator) and this store's clock record with the entry's HLC.
 *
 * Both requests go out at once with the HLC of this tab's clock. When the seq follows this
 * store's previous one, no other store appended in between, so no other tab issued an HLC
 * since ours (every append stores its HLC in the same transaction) and ours is the highest:
 * the transaction commits with no read. Otherwise (another tab wrote, or this is the store's
 * first write) it reads every clock record and the meta, and re-stamps the entry above them
 * before it commits; overlapping readwrite transactions are serialised, so that read is exact.
 * Plain IndexedDB rather than idb's wrapper: a promise per request is measurable here.
 */
export function appendOperation(
  db: IDBDatabase,
  writer: WriterState,
  op: PendingOp,
  enqueuedAt: number,
  stamp: (after: string | null) => string,
): Promise<QueueEntry<PendingOp>> {
  return new Promise((resolve, reject) => {
    const tx = db.transaction([STORES.pending, STORES.meta], "readwrite");
    let failure: unknown;
    const fail = (error: unknown): void => {
      failure ??= error;
      abortQuietly(tx);
    };
    let seq = 0;
    let item: PendingOp = { ...op, hlc: stamp(null) };
    tx.oncomplete = () => resolve({ seq, item, enqueuedAt, attempts: 0 });
    tx.onabort = () => reject(failure ?? tx.error ?? abortedError());
    try {
      const pending = tx.objectStore(STORES.pending);
      const meta = tx.objectStore(STORES.meta);
      const own = clockKey(writer.storeId);
      const putClock = () => meta.put({ storeId: writer.storeId, lastHlc: item.hlc }, own);
      // A synchronous throw here (DataCloneError) must abort, or the earlier requests commit.
      const added = pending.add({ item, enqueuedAt, attempts: 0 });
      putClock();
      added.onsuccess = () => {
        seq = Number(added.result);
        const followsOwn = writer.lastSeq !== undefined && seq === writer.lastSeq + 1;
        writer.lastSeq = seq;
        if (followsOwn) {
          // Nothing more to ask: the commit need not wait for the remaining callbacks.
          tx.commit();
          return;
        }
        const clocks = meta.getAll(clockRange());
        const stored = meta.get(META_KEY);
        stored.onsuccess = () => {
          try {
            const current = stored.result as StoredMeta | undefined;
            if (!current) throw missingMeta();
            const others = (clocks.result as ClockRecord[]).filter(
              (clock) => clock.storeId !== writer.storeId,
            );
            const after = lastHlcIn(current, others);
            if (after !== null && after >= item.hlc) {
              item = { ...item, hlc: stamp(after) };
              pending.put({ seq, item, enqueuedAt, attempts: 0 });
              putClock();
            }
            tx.commit();
          } catch (error) {
            fail(error);
          }
        };
      };
    } catch (error) {
      fail(error);
    }
  });
}

export function missingMeta(): SyncClientError {
  return new SyncClientError(CLIENT_ERROR_CODES.storage, "sync metadata is missing");
}

function abortedError(): SyncClientError {
  return new SyncClientError(CLIENT_ERROR_CODES.storage, "the write transaction was aborted");
}

export function abortQuietly(tx: { abort(): void }): void {
  try {
    tx.abort();
  } catch {
    // InvalidStateError: the transaction already finished (it aborted itself). The original
    // error is rethrown by the caller; there is nothing else to report.
  }
}
