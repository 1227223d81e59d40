import type { Operation } from "@sync/protocol";
import type { QueueEntry } from "@sync/queue";

/**
 * What the queue stores: an operation without its `seq`. The wire `seq` is the queue entry's
 * seq, which IndexedDB assigns in append order, never reuses and shares across tabs, so it is
 * strictly increasing per client with no counter of our own to keep in step (rule L3).
 */
export type PendingOp = Omit<Operation, "seq">;

export function toOperation(entry: QueueEntry<PendingOp>): Operation {
  return { ...entry.item, seq: entry.seq };
}
