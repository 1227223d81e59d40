import type { FailureReason, QueueEntry } from "./storage";

export type EntryOutcome =
  | { seq: number; status: "done" }
  | { seq: number; status: "rejected"; reason: FailureReason };

export interface Settlement<T> {
  /** Seqs settled done, in batch order. */
  done: number[];
  /** Entries rejected, in batch order, with their reasons. */
  rejected: { entry: QueueEntry<T>; reason: FailureReason }[];
}

/**
 * Sorts a processor's outcomes against its batch. Outcomes for seqs not in
 * the batch are ignored (they are not the processor's to settle); for a seq
 * given twice, the first outcome counts.
 */
export function settle<T>(
  batch: readonly QueueEntry<T>[],
  outcomes: readonly EntryOutcome[],
): Settlement<T> {
  const bySeq = new Map<number, EntryOutcome>();
  const inBatch = new Set(batch.map((entry) => entry.seq));
  for (const outcome of outcomes) {
    if (inBatch.has(outcome.seq) && !bySeq.has(outcome.seq)) bySeq.set(outcome.seq, outcome);
  }
  const settlement: Settlement<T> = { done: [], rejected: [] };
  for (const entry of batch) {
    const outcome = bySeq.get(entry.seq);
    if (outcome?.status === "done") settlement.done.push(entry.seq);
    else if (outcome?.status === "rejected")
      settlement.rejected.push({ entry, reason: outcome.reason });
  }
  return settlement;
}
