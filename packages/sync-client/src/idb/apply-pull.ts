import type { Row } from "@sync/protocol";
import { CLIENT_ERROR_CODES, SyncClientError } from "../errors.js";
import type { StoredMeta } from "../local-store.js";
import { advancedMeta } from "../pull-progress.js";
import { CONFIRMED_BY_VERSION, STORES } from "./upgrades.js";

const META_KEY = "meta";

/** Puts issued per turn of the event loop. */
export const PUTS_PER_TURN = 250;

const keyOf = (row: Row) => `${row.entity}\u0000${row.id}`;

/**
 * One pulled page in ONE transaction (the `applyPull` contract): each row unless the stored one
 * is newer, and the cursor (and processed seq) when it moved forward; with `after`, only when the stored cursor is
 * at least `after` (the page before it was stored), else nothing.
 *
 * The requests go out in this order: the meta, a range read of the version index, the puts,
 * their first slice at once. So rows are cloned and sent even while an earlier page's
 * transaction is still committing (IndexedDB runs transactions in order), instead of a get per
 * row, each waiting on the one before. Only a stored row whose version is at least the page's
 * lowest can beat one of its rows (earlier pages lie below it; a push acknowledged meanwhile
 * may not): the index read runs before the puts and finds those; each is put back after the
 * puts already issued, and later slices skip it. Plain API: a promise per request would cost
 * more than the request.
 *
 * Resolves with the rows written, in page order, once the transaction committed; rejects (and
 * has aborted, so nothing of the page is stored) on any failure.
 */
export function applyPullPage(
  db: IDBDatabase,
  rows: readonly Row[],
  cursor: number,
  after?: number,
  processedSeq?: number,
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
    const beaten = new Set<string>();
    tx.oncomplete = () => resolve(rows.filter((row) => !beaten.has(keyOf(row))));
    tx.onabort = () => reject(failure ?? tx.error ?? new Error("pull transaction aborted"));
    // A slice now, the next one from the first success of the previous: no task clones more
    // than PUTS_PER_TURN rows (500 at once made tasks over 50 ms under load).
    const putFrom = (start: number): void => {
      const end = Math.min(rows.length, start + PUTS_PER_TURN);
      let first: IDBRequest | undefined;
      try {
        for (let at = start; at < end; at++) {
          const row = rows[at] as Row;
          if (beaten.has(keyOf(row))) continue;
          // A row that cannot be cloned throws here: the whole page is aborted (atomicity).
          const request = confirmed.put(row);
          first ??= request;
        }
      } catch (error) {
        fail(error);
        return;
      }
      if (end >= rows.length) return;
      if (first) first.onsuccess = () => putFrom(end);
      else putFrom(end);
    };
    try {
      const current = meta.get(META_KEY);
      current.onsuccess = () => {
        const stored = current.result as StoredMeta | undefined;
        if (after !== undefined && (stored?.cursor ?? 0) < after) {
          fail(
            new SyncClientError(
              CLIENT_ERROR_CODES.storage,
              `pulled page after cursor ${after} not stored: the stored cursor is behind it`,
            ),
          );
        } else if (stored) {
          const next = advancedMeta(stored, cursor, processedSeq);
          if (next) meta.put(next, META_KEY);
        }
      };
      if (rows.length === 0) return;
      let lowest = Number.POSITIVE_INFINITY;
      for (const row of rows) if (row.version < lowest) lowest = row.version;
      const read = confirmed.index(CONFIRMED_BY_VERSION).getAll(IDBKeyRange.lowerBound(lowest));
      read.onsuccess = () => {
        const incoming = new Map(rows.map((row) => [keyOf(row), row.version]));
        for (const stored of read.result as Row[]) {
          const version = incoming.get(keyOf(stored));
          if (version === undefined || stored.version <= version) continue;
          beaten.add(keyOf(stored));
          confirmed.put(stored);
        }
      };
      putFrom(0);
    } catch (error) {
      fail(error);
    }
  });
}
