import { ErrorCode, type PushResponse, type Row } from "@sync/protocol";
import {
  classifyHttpStatus,
  type EntryOutcome,
  parseRetryAfter,
  type QueueEntry,
  QueueError,
} from "@sync/queue";
import { CLIENT_ERROR_CODES } from "./errors.js";
import type { Acknowledgement, StoredConflict } from "./local-store.js";
import type { PendingOp } from "./pending-op.js";
import { TransportError } from "./transport.js";

export interface SettledPush extends Acknowledgement {
  readonly outcomes: EntryOutcome[];
}

/** Conflicts are keyed per field: a newer conflict on the same field replaces the older one. */
export function conflictKey(entity: string, id: string, field: string): string {
  return `${entity}/${id}/${field}`;
}

/**
 * Turns the server's per-operation results into what the client stores and what the queue
 * settles (rule L4): applied and duplicates of applied are done, with their canonical rows;
 * rejected and duplicates of rejected are dead-lettered; an operation without a result stays
 * pending and goes again.
 */
export function settlePush(
  batch: readonly QueueEntry<PendingOp>[],
  response: PushResponse,
  now: number,
): SettledPush {
  const byOpId = new Map(batch.map((entry) => [entry.item.opId, entry]));
  const rows: Row[] = [];
  const doneSeqs: number[] = [];
  const conflicts: StoredConflict[] = [];
  const outcomes: EntryOutcome[] = [];
  for (const result of response.results) {
    const entry = byOpId.get(result.opId);
    if (!entry) continue;
    if (result.status === "applied") {
      rows.push(result.row);
      doneSeqs.push(entry.seq);
      outcomes.push({ seq: entry.seq, status: "done" });
      for (const conflict of result.conflicts ?? []) {
        const key = conflictKey(conflict.entity, conflict.id, conflict.field);
        conflicts.push({ ...conflict, key, detectedAt: now });
      }
    } else if (result.status === "duplicate" && result.original === "applied") {
      if (result.row) rows.push(result.row);
      doneSeqs.push(entry.seq);
      outcomes.push({ seq: entry.seq, status: "done" });
    } else {
      const code = result.code ?? ErrorCode.CONFLICT;
      const message = result.message ?? "the server rejected this change";
      outcomes.push({ seq: entry.seq, status: "rejected", reason: { code, message } });
    }
  }
  return { rows, doneSeqs, conflicts, outcomes };
}

/**
 * How a failed request counts for the queue: no answer and server trouble are transient, 401
 * stops until sign-in, and so does CLIENT_MISMATCH (the session is another user's), other 4xx
 * are permanent (the queue then narrows the batch down).
 * An answer we cannot read, CLIENT_TOO_OLD and CLIENT_TOO_NEW retry: dead-lettering good work
 * for a client bug or an upgrade (of either side) would lose it.
 */
export function toQueueFailure(error: unknown, now: number): QueueError {
  if (!(error instanceof TransportError)) {
    return new QueueError("transient", CLIENT_ERROR_CODES.network, String(error), { cause: error });
  }
  const unreadable =
    error.code === CLIENT_ERROR_CODES.badResponse ||
    error.code === ErrorCode.CLIENT_TOO_OLD ||
    error.code === ErrorCode.CLIENT_TOO_NEW;
  // CLIENT_MISMATCH: the session is another user's (a sign-in in another tab replaced the
  // cookie). The operations are fine: stop as for a 401 until this database's user signs in.
  const kind = unreadable
    ? "transient"
    : error.code === ErrorCode.CLIENT_MISMATCH
      ? "auth"
      : classifyHttpStatus(error.status, error.retryAfter);
  const retryAfterMs = parseRetryAfter(error.retryAfter, now);
  return new QueueError(
    kind,
    error.code,
    error.message,
    retryAfterMs === undefined ? { cause: error } : { cause: error, retryAfterMs },
  );
}
