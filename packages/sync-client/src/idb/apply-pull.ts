import type { Row } from "@sync/protocol";
import type { StoredMeta } from "../local-store.js";
import { CONFIRMED_BY_VERSION, STORES } from "./upgrades.js";

const META_KEY = "meta";

/** Puts issued per turn of the event loop: each turn stays far below a 50 ms task. */
export const PUTS_PER_TURN = 100;

/**
 * One pulled page in ONE transaction (the `applyPull` contract): each row unless the stored one
 * is newer, and the cursor when it moved forward.
 *
 * Which stored rows could be newer is one range read of the version index: only a row whose
 * version is at least the page's lowest can beat one of its rows (earlier pages all lie below
 * it; a push acknowledged meanwhile may not). That replaces a get per row, which made the
 * transaction's requests wait on one another. The puts go out in slices, the next slice from
 * the first success of the previous one: the transaction stays busy, and no turn of the event
 * loop clones more than PUTS_PER_TURN rows. Written on the plain API: a promise per request
 * would cost more than the request.
 *
 * Resolves with the rows written, in page order, once the transaction committed; rejects (and
 * has aborted, so nothing of the page is stored) on any failure.
 */
export function applyPullPage(
  db: IDBDatabase,
  rows: readonly Row[],
  cursor: number,
): Promise<Row[]> {
  return new Promise((resolve, reject) => {
    let failure: unknown;
    const tx = db.transaction([STORES.confirmed, STORES.meta], "readwrite");
    const fail = (error: unknown) => {
      failure ??= error;
      try {
        tx.abort();
      } catch {
        // Already finished: onabort reports it.
      }
    };
    const confirmed = tx.objectStore(STORES.confirmed);
    const meta = tx.objectStore(STORES.meta);
    const written: Row[] = [];
    tx.oncomplete = () => resolve(written);
    tx.onabort = () => reject(failure ?? tx.error ?? new Error("pull transaction aborted"));

    const putFrom = (start: number, newer: ReadonlyMap<string, number>) => {
      const end = Math.min(rows.length, start + PUTS_PER_TURN);
      let first: IDBRequest | undefined;
      try {
        for (let at = start; at < end; at++) {
          const row = rows[at] as Row;
          const stored = newer.get(`${row.entity}\u0000${row.id}`);
          if (stored !== undefined && stored > row.version) continue;
          // A row that cannot be cloned throws here: the whole page is aborted (atomicity).
          const request = confirmed.put(row);
          first ??= request;
          written.push(row);
        }
      } catch (error) {
        fail(error);
        return;
      }
      if (end >= rows.length) return;
      // Nothing put in this slice (all beaten): go on at once, still inside the transaction.
      if (!first) putFrom(end, newer);
      else first.onsuccess = () => putFrom(end, newer);
    };

    try {
      let lowest = Number.POSITIVE_INFINITY;
      for (const row of rows) if (row.version < lowest) lowest = row.version;
      if (rows.length > 0) {
        const read = confirmed.index(CONFIRMED_BY_VERSION).getAll(IDBKeyRange.lowerBound(lowest));
        read.onsuccess = () => {
          const newer = new Map<string, number>();
          for (const row of read.result as Row[]) {
            newer.set(`${row.entity}\u0000${row.id}`, row.version);
          }
          putFrom(0, newer);
        };
      }
      const current = meta.get(META_KEY);
      current.onsuccess = () => {
        const stored = current.result as StoredMeta | undefined;
        if (stored && cursor > stored.cursor) meta.put({ ...stored, cursor }, META_KEY);
      };
    } catch (error) {
      fail(error);
    }
  });
}
