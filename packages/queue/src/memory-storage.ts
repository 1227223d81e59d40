import { QUEUE_ERROR_CODES, QueueError } from "./queue-error";
import type { DeadLetter, FailureReason, QueueEntry, QueueStorage } from "./storage";

/**
 * The data behind memory storages. Several storages over the same data act
 * like tabs sharing one database, and a new storage over it after `close()`
 * acts like a reload.
 */
export interface MemoryQueueData {
  readonly pending: Map<number, QueueEntry<unknown>>;
  readonly dead: Map<number, DeadLetter<unknown>>;
  nextSeq: number;
  nextDeadId: number;
}

export function createMemoryQueueData(): MemoryQueueData {
  return { pending: new Map(), dead: new Map(), nextSeq: 1, nextDeadId: 1 };
}

export interface MemoryQueueStorageOptions {
  data?: MemoryQueueData;
}

/**
 * A `QueueStorage` in memory, for tests and for environments without
 * IndexedDB. Not durable across processes. Each method runs synchronously
 * inside its promise, which makes it atomic.
 */
export function createMemoryQueueStorage<T>(
  options: MemoryQueueStorageOptions = {},
): QueueStorage<T> {
  const data = options.data ?? createMemoryQueueData();
  let closed = false;

  // The data map holds clones typed as unknown; values only ever come from append().
  const pending = data.pending as Map<number, QueueEntry<T>>;
  const dead = data.dead as Map<number, DeadLetter<T>>;

  const open = (): void => {
    if (closed) {
      throw new QueueError("permanent", QUEUE_ERROR_CODES.storageClosed, "queue storage is closed");
    }
  };
  const sortedPending = (): QueueEntry<T>[] =>
    [...pending.values()].sort((a, b) => a.seq - b.seq).map((e) => structuredClone(e));
  const appendNow = (item: T, enqueuedAt: number): QueueEntry<T> => {
    // Clone before taking a seq, so an uncloneable item leaves no gap and no entry.
    const entry: QueueEntry<T> = { seq: 0, item: structuredClone(item), enqueuedAt, attempts: 0 };
    entry.seq = data.nextSeq++;
    pending.set(entry.seq, entry);
    return structuredClone(entry);
  };

  return {
    async append(item, enqueuedAt) {
      open();
      return appendNow(item, enqueuedAt);
    },
    async list(limit) {
      open();
      const all = sortedPending();
      return limit === undefined ? all : all.slice(0, limit);
    },
    async count() {
      open();
      return pending.size;
    },
    async oldest() {
      open();
      return sortedPending()[0];
    },
    async remove(seqs) {
      open();
      for (const seq of seqs) pending.delete(seq);
    },
    async recordAttempt(seqs, error) {
      open();
      for (const seq of seqs) {
        const entry = pending.get(seq);
        if (entry) pending.set(seq, { ...entry, attempts: entry.attempts + 1, lastError: error });
      }
    },
    async moveToDeadLetter(seqs, reason: FailureReason, failedAt, groupId) {
      open();
      const moved: DeadLetter<T>[] = [];
      for (const seq of [...new Set(seqs)].sort((a, b) => a - b)) {
        const entry = pending.get(seq);
        if (!entry) continue;
        pending.delete(seq);
        const letter: DeadLetter<T> = {
          id: data.nextDeadId++,
          seq,
          item: entry.item,
          reason: { code: reason.code, message: reason.message },
          failedAt,
          attempts: entry.attempts,
        };
        if (groupId !== undefined) letter.groupId = groupId;
        dead.set(letter.id, letter);
        moved.push(structuredClone(letter));
      }
      return moved;
    },
    async listDeadLetters() {
      open();
      return [...dead.values()].sort((a, b) => a.id - b.id).map((d) => structuredClone(d));
    },
    async removeDeadLetter(id) {
      open();
      const letter = dead.get(id);
      dead.delete(id);
      return letter && structuredClone(letter);
    },
    async requeueDeadLetter(id, item, enqueuedAt) {
      open();
      if (!dead.has(id)) return undefined;
      const entry = appendNow(item, enqueuedAt);
      dead.delete(id);
      return entry;
    },
    async close() {
      closed = true;
    },
  };
}
