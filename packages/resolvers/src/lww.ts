import { compareHlc } from "@sync/clock";

/** A value with the hybrid logical clock of the write that produced it. */
export interface Stamped<T> {
  readonly value: T;
  readonly hlc: string;
}

/**
 * Last-writer-wins by HLC (R1). The HLC order is total (wall, counter, node id), so ties are
 * broken by node id, never by arrival order or bare wall time. An equal clock is the same
 * write seen twice: the current value stays, which makes re-delivery idempotent.
 */
export function incomingWins(currentHlc: string | undefined, incomingHlc: string): boolean {
  return currentHlc === undefined || compareHlc(incomingHlc, currentHlc) > 0;
}

export function lwwPick<T>(current: Stamped<T> | undefined, incoming: Stamped<T>): Stamped<T> {
  return current === undefined || incomingWins(current.hlc, incoming.hlc) ? incoming : current;
}
