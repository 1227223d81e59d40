import type { SyncStatus } from "@sync/sync-client";

/** A synced, idle status for tests, with the fields a test cares about overridden. */
export function syncStatus(over: Partial<SyncStatus> = {}): SyncStatus {
  return {
    state: "synced",
    online: true,
    pendingCount: 0,
    oldestPendingAt: null,
    stuck: false,
    lastSyncedAt: null,
    deadLetterCount: 0,
    conflictCount: 0,
    leader: true,
    storageEvicted: false,
    lastError: null,
    noticeCount: 0,
    ...over,
  };
}
