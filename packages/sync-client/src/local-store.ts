import type { Conflict, Row } from "@sync/protocol";
import type { QueueEntry, QueueStorage } from "@sync/queue";
import type { PendingOp } from "./pending-op.js";

/** Sync metadata kept beside the records. Persisted records carry a `version`. */
export interface StoredMeta {
  readonly version: 1;
  readonly clientId: string;
  /** HLC node id of this database's replica. */
  readonly nodeId: string;
  /** When this database was created: compared with a mirror outside IndexedDB to detect eviction. */
  readonly createdAt: number;
  readonly cursor: number;
  /** The last HLC issued, so the clock never goes back across reloads. */
  readonly lastHlc: string | null;
  /**
   * The highest seq of this client the server had processed as of `cursor` (rule L23): the
   * stored rows already hold those operations' effects, so the view does not replay them.
   */
  readonly processedSeq?: number;
  /** When a pull last completed (rule L15); absent until the first one. */
  readonly lastSyncedAt?: number;
  /**
   * Server re-stamps still needed (rule L19): the HLC an operation was sent with, to the HLC the
   * server stored instead. Later queued "ask" bases that name the first mean the second.
   */
  readonly restamps?: Readonly<Record<string, string>>;
}

export interface StoredConflict extends Conflict {
  readonly key: string;
  readonly detectedAt: number;
}

export interface Acknowledgement {
  /** Canonical rows from the server's results. */
  readonly rows: readonly Row[];
  /** Queue seqs the server settled as applied (or duplicate of applied). */
  readonly doneSeqs: readonly number[];
  readonly conflicts: readonly StoredConflict[];
}

/**
 * Port: the client's local database. The IndexedDB adapter lives in `./idb`.
 *
 * Contract:
 * - Every method resolves once its change is committed and rejects on any failure; nothing is
 *   caught and swallowed.
 * - Rows are stored only when their `version` is at least the stored one, so an older answer
 *   arriving late never replaces newer state. Methods return the rows they actually stored.
 * - `acknowledge` writes the canonical rows, deletes the settled pending entries and stores the
 *   conflicts in ONE transaction (rule L5): a crash leaves either none or all of it.
 * - `applyPull` stores rows and the new cursor in one transaction; with `after`, only when the
 *   stored cursor is at least `after`, else it rejects and stores nothing (so a page written
 *   while the one before it is still committing cannot outlive that one's failure: the cursor
 *   never passes rows that were not stored, rule L8); a `processedSeq` goes into the meta with the
 *   cursor (both only move forward). `replaceAll` (full resync
 *   that ended at `cursor`) makes the confirmed set the given rows and stores the cursor in one
 *   transaction, but keeps what a push confirmed after the resync's snapshot: a stored row with
 *   a version above `cursor`, or above its incoming copy, stays (rule L10). It resolves with the
 *   confirmed set it left. `deleteRows` drops the named rows in one transaction. None of them
 *   touches pending operations.
 * - `appendOperation` appends a local operation to the queue, stamped with the next HLC, and
 *   stores that HLC as the last one issued, in ONE transaction (rule L3). The HLC is
 *   `stamp(after)`; `stamp` must return an HLC above `after` and above every HLC it returned
 *   before (a monotonic clock). The adapter may call it more than once, first with `null`, then
 *   with the last HLC stored if that was not below; the entry keeps the last value, which is above
 *   every HLC appended before by any store over the same data: appended HLCs increase in seq
 *   order, across tabs and reloads. The entry it resolves with is not a copy: `op` is taken over.
 *   The meta's `lastHlc`, as every method here returns it, includes what it stored.
 * - `queue` is the operation queue's storage, hosted in the same database.
 * - `close()` closes the database; later calls reject.
 */
export interface LocalStore {
  readonly queue: QueueStorage<PendingOp>;
  /** Reads the meta or creates it with `init()` in one transaction; `created` tells which. */
  openMeta(init: () => StoredMeta): Promise<{ meta: StoredMeta; created: boolean }>;
  readMeta(): Promise<StoredMeta>;
  /** One local write, durable when it resolves: see the contract above. */
  appendOperation(
    op: PendingOp,
    enqueuedAt: number,
    stamp: (after: string | null) => string,
  ): Promise<QueueEntry<PendingOp>>;
  /** Read-modify-write of the meta in one transaction (serialised across tabs). */
  updateMeta(change: (meta: StoredMeta) => StoredMeta): Promise<StoredMeta>;
  allRows(): Promise<Row[]>;
  getRows(keys: readonly (readonly [string, string])[]): Promise<Row[]>;
  acknowledge(ack: Acknowledgement): Promise<Row[]>;
  applyPull(
    rows: readonly Row[],
    cursor: number,
    after?: number,
    processedSeq?: number,
  ): Promise<Row[]>;
  replaceAll(rows: readonly Row[], cursor: number, processedSeq?: number): Promise<Row[]>;
  deleteRows(keys: readonly (readonly [string, string])[]): Promise<void>;
  conflicts(): Promise<StoredConflict[]>;
  deleteConflict(key: string): Promise<void>;
  close(): Promise<void>;
}
