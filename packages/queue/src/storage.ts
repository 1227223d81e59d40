/**
 * The storage port of the queue. The queue owns this interface; adapters
 * (memory, IndexedDB, ...) implement it and run `runQueueStorageContract`
 * from `@sync/queue/testing`.
 *
 * Contract every adapter keeps:
 * - Durability: a returned promise resolves only once the change is committed
 *   (for IndexedDB: the transaction completed). Failures reject; an adapter
 *   never catches and swallows an error, because that would be a lost write.
 * - Ordering: `seq` is assigned by the storage, strictly increasing, never
 *   reused (not after `remove`, not after a reopen). `list` and `oldest`
 *   return pending entries lowest `seq` first. Dead-letter `id`s follow the
 *   same rule, and `listDeadLetters` returns them lowest `id` first.
 * - Atomicity: every method that takes several seqs applies all of them or
 *   none. `moveToDeadLetter` and `requeueDeadLetter` move an entry between
 *   the two stores in one transaction, so a crash never loses or doubles it.
 * - Unknown seqs or ids are ignored (another tab may have got there first).
 * - Items are stored as structured clones: later mutation of the caller's
 *   object does not change what is stored, and every read returns a copy.
 * - `close()` releases what the adapter opened (the adapter-owned database
 *   connection; a host-owned one stays open). Every call after `close()`
 *   rejects, except `close()` itself, which is idempotent.
 */
export interface QueueStorage<T> {
  /** Stores `item` as the newest pending entry, with `attempts: 0`. */
  append(item: T, enqueuedAt: number): Promise<QueueEntry<T>>;
  /** Pending entries, oldest first, at most `limit` (a non-negative integer) of them. */
  list(limit?: number): Promise<QueueEntry<T>[]>;
  count(): Promise<number>;
  oldest(): Promise<QueueEntry<T> | undefined>;
  /** Deletes the pending entries with these seqs (atomic). */
  remove(seqs: readonly number[]): Promise<void>;
  /** Adds one to `attempts` and sets `lastError` on each entry (atomic). */
  recordAttempt(seqs: readonly number[], error: string): Promise<void>;
  /**
   * Removes these pending entries and inserts one dead letter per entry, all
   * in one transaction. Returns the dead letters created, in seq order.
   */
  moveToDeadLetter(
    seqs: readonly number[],
    reason: FailureReason,
    failedAt: number,
    groupId?: string,
  ): Promise<DeadLetter<T>[]>;
  listDeadLetters(): Promise<DeadLetter<T>[]>;
  /** Deletes a dead letter and returns it, or `undefined` if it is not there. */
  removeDeadLetter(id: number): Promise<DeadLetter<T> | undefined>;
  /**
   * Deletes a dead letter and appends `item` as a new pending entry (new,
   * highest seq), in one transaction. `undefined` if the dead letter is gone.
   */
  requeueDeadLetter(id: number, item: T, enqueuedAt: number): Promise<QueueEntry<T> | undefined>;
  close(): Promise<void>;
}

/** A pending operation. `T` must be structured-cloneable. */
export interface QueueEntry<T> {
  seq: number;
  item: T;
  enqueuedAt: number;
  /** Failed attempts recorded so far (transient failures). */
  attempts: number;
  lastError?: string;
}

export interface FailureReason {
  code: string;
  message: string;
}

/** An operation that failed for good, kept until it is retried or discarded. */
export interface DeadLetter<T> {
  id: number;
  /** The seq it had while pending. */
  seq: number;
  item: T;
  reason: FailureReason;
  failedAt: number;
  /** Failed attempts recorded before it was dead-lettered. */
  attempts: number;
  /** Entries dead-lettered together (a failed entry and its dependents) share it. */
  groupId?: string;
}
