import type { FailureReason } from "./storage";

/**
 * `processing`: a batch is with the processor. `backoff`: waiting for the
 * retry timer after a transient failure. `paused`: `pause()` was called.
 * `auth-required`: the processor reported an auth failure; only `resume()`
 * continues. `closed`: `close()` was called.
 */
export type QueueStatus = "idle" | "processing" | "backoff" | "paused" | "auth-required" | "closed";

export interface QueueState {
  status: QueueStatus;
  pending: number;
  oldestEnqueuedAt: number | null;
  deadLetters: number;
  /** Consecutive failed batches; 0 after any progress. */
  attempt: number;
  nextRetryAt: number | null;
  /** The last whole-batch failure; cleared by the next progress. */
  lastError: FailureReason | null;
  /** When entries last completed (done or dead-lettered). */
  lastProgressAt: number | null;
}

export const INITIAL_STATE: QueueState = {
  status: "idle",
  pending: 0,
  oldestEnqueuedAt: null,
  deadLetters: 0,
  attempt: 0,
  nextRetryAt: null,
  lastError: null,
  lastProgressAt: null,
};

export function sameState(a: QueueState, b: QueueState): boolean {
  return (
    a.status === b.status &&
    a.pending === b.pending &&
    a.oldestEnqueuedAt === b.oldestEnqueuedAt &&
    a.deadLetters === b.deadLetters &&
    a.attempt === b.attempt &&
    a.nextRetryAt === b.nextRetryAt &&
    a.lastError?.code === b.lastError?.code &&
    a.lastError?.message === b.lastError?.message &&
    a.lastProgressAt === b.lastProgressAt
  );
}
