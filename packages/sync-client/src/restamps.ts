import type { Operation, PushResponse } from "@sync/protocol";
import type { QueueEntry } from "@sync/queue";
import type { PendingOp } from "./pending-op.js";

/**
 * Rule L19: when the server re-stamps an operation (its HLC was too far ahead), the field clocks
 * it stored are the new HLC. Later queued "ask" updates took, as `base`, the clock the person saw:
 * the old HLC. The map old -> new translates those bases, for the push and the view alike, so
 * the server does not see a conflict that is none. HLCs are unique, so a stale entry is harmless.
 */
export type Restamps = ReadonlyMap<string, string>;

export function rebase(op: Operation, restamps: Restamps): Operation {
  const base = op.base;
  if (!base || restamps.size === 0) return op;
  let changed = false;
  const next: Record<string, string> = {};
  for (const [field, hlc] of Object.entries(base)) {
    const stamped = restamps.get(hlc);
    if (stamped) changed = true;
    next[field] = stamped ?? hlc;
  }
  return changed ? { ...op, base: next } : op;
}

/** The re-stamps a push answer reports: the HLC each operation was sent with, to the server's. */
export function restampsOf(
  batch: readonly QueueEntry<PendingOp>[],
  response: PushResponse,
): Map<string, string> {
  const sent = new Map(batch.map((entry) => [entry.item.opId, entry.item.hlc]));
  const found = new Map<string, string>();
  for (const result of response.results) {
    if (result.status !== "applied" || !result.restampedHlc) continue;
    const hlc = sent.get(result.opId);
    if (hlc && hlc !== result.restampedHlc) found.set(hlc, result.restampedHlc);
  }
  return found;
}

/** Keeps the entries some pending operation's base still names (what is worth persisting). */
export function stillNeeded(
  restamps: Restamps,
  pending: readonly QueueEntry<PendingOp>[],
): Map<string, string> {
  const named = new Set(pending.flatMap((entry) => Object.values(entry.item.base ?? {})));
  return new Map([...restamps].filter(([hlc]) => named.has(hlc)));
}
