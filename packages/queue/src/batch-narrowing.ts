/**
 * Q4: finds the culprit of a batch that failed permanently without saying
 * which entry is to blame. The failed range becomes suspect and is retried
 * in halves; a failing half is halved again, down to a batch of one, which
 * the queue dead-letters. Batches that pass make progress, so the search
 * ends in O(k log n) calls for k culprits among n entries. Once the head of
 * the queue is past the suspect range, batches are full size again.
 */
export class BatchNarrowing {
  readonly #batchSize: number;
  #probeSize: number;
  #suspectUntil = 0;

  constructor(batchSize: number) {
    this.#batchSize = batchSize;
    this.#probeSize = batchSize;
  }

  /** The part of `head` (pending entries, oldest first) to hand over next. */
  cut<E extends { seq: number }>(head: E[]): E[] {
    const first = head[0];
    if (first === undefined || first.seq > this.#suspectUntil) {
      this.#probeSize = this.#batchSize;
      return head;
    }
    return head.slice(0, this.#probeSize);
  }

  /** A batch of more than one entry failed permanently: suspect it and halve. */
  narrow(batch: readonly { seq: number }[]): void {
    this.#probeSize = Math.max(1, Math.floor(batch.length / 2));
    this.#suspectUntil = batch[batch.length - 1]?.seq ?? this.#suspectUntil;
  }
}
