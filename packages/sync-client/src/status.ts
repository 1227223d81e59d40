import type { SharedStatus } from "./channel.js";
import type { SyncState, SyncStatus } from "./types.js";

export interface StatusInput {
  readonly net: SharedStatus;
  readonly pendingCount: number;
  readonly oldestPendingAt: number | null;
  readonly deadLetterCount: number;
  readonly conflictCount: number;
  readonly noticeCount: number;
  readonly leader: boolean;
  readonly storageEvicted: boolean;
}

/** Rule L11: one state, by precedence: signed-out, offline, error, syncing, synced. */
export function computeStatus(input: StatusInput): SyncStatus {
  const { net } = input;
  const lastError =
    net.lastError ??
    (input.storageEvicted
      ? { code: "STORAGE_EVICTED", message: "the local database was cleared by the browser" }
      : null);
  let state: SyncState;
  if (net.signedOut) state = "signed-out";
  else if (!net.online) state = "offline";
  else if (lastError) state = "error";
  else if (net.syncing || input.pendingCount > 0) state = "syncing";
  else state = "synced";
  return {
    state,
    online: net.online,
    pendingCount: input.pendingCount,
    oldestPendingAt: input.oldestPendingAt,
    stuck: net.stuck,
    lastSyncedAt: net.lastSyncedAt,
    deadLetterCount: input.deadLetterCount,
    conflictCount: input.conflictCount,
    leader: input.leader,
    storageEvicted: input.storageEvicted,
    lastError,
    noticeCount: input.noticeCount,
  };
}

export function sameStatus(a: SyncStatus, b: SyncStatus): boolean {
  return (
    a.state === b.state &&
    a.online === b.online &&
    a.pendingCount === b.pendingCount &&
    a.oldestPendingAt === b.oldestPendingAt &&
    a.stuck === b.stuck &&
    a.lastSyncedAt === b.lastSyncedAt &&
    a.deadLetterCount === b.deadLetterCount &&
    a.conflictCount === b.conflictCount &&
    a.leader === b.leader &&
    a.storageEvicted === b.storageEvicted &&
    a.lastError?.code === b.lastError?.code &&
    a.lastError?.message === b.lastError?.message &&
    a.noticeCount === b.noticeCount
  );
}

/** Online, work pending, and nothing settled for `stuckAfterMs` (counting from the newest of both). */
export function isStuck(input: {
  online: boolean;
  signedOut: boolean;
  pending: number;
  oldestEnqueuedAt: number | null;
  lastProgressAt: number | null;
  now: number;
  stuckAfterMs: number;
}): { stuck: boolean; recheckInMs: number | null } {
  if (!input.online || input.signedOut || input.pending === 0) {
    return { stuck: false, recheckInMs: null };
  }
  const since = Math.max(input.lastProgressAt ?? 0, input.oldestEnqueuedAt ?? 0);
  const left = since + input.stuckAfterMs - input.now;
  return left <= 0 ? { stuck: true, recheckInMs: null } : { stuck: false, recheckInMs: left + 1 };
}
