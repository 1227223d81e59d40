import type { SyncState, SyncStatus } from "@sync/sync-client";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "just now", "5 min ago", "3 h ago", then a date: precise enough for "when did this last sync". */
export function formatRelativeTime(then: number, now: number): string {
  const age = Math.max(0, now - then);
  if (age < 10_000) return "just now";
  if (age < MINUTE) return `${Math.floor(age / 1000)} s ago`;
  if (age < HOUR) return `${Math.floor(age / MINUTE)} min ago`;
  if (age < DAY) return `${Math.floor(age / HOUR)} h ago`;
  return new Date(then).toISOString().slice(0, 10);
}

export function formatLastSynced(lastSyncedAt: number | null, now: number): string {
  return lastSyncedAt === null
    ? "never synced"
    : `last sync ${formatRelativeTime(lastSyncedAt, now)}`;
}

/** The `data-state` of the status bar: "signed-out" also when there is no session at all. */
export function displayState(status: SyncStatus | null): SyncState {
  return status?.state ?? "signed-out";
}

const LABELS: Record<SyncState, string> = {
  offline: "Offline",
  syncing: "Syncing…",
  synced: "Synced",
  error: "Sync problem",
  "signed-out": "Signed out",
};

export function stateLabel(state: SyncState): string {
  return LABELS[state];
}

/** One sentence for screen readers and the tooltip: what the state means for the person. */
export function statusSentence(status: SyncStatus | null): string {
  if (!status) return "Signed out. Sign in to sync.";
  const pending = pendingPhrase(status.pendingCount);
  switch (status.state) {
    case "offline":
      return status.pendingCount > 0
        ? `Offline. ${pending} will sync when you are back online.`
        : "Offline. Changes are saved on this device.";
    case "syncing":
      return `Syncing. ${pending}.`;
    case "synced":
      return "All changes synced.";
    case "error":
      return status.lastError
        ? `Sync problem: ${status.lastError.message}. ${pending}; retrying.`
        : `Sync problem. ${pending}; retrying.`;
    case "signed-out":
      return `Signed out. ${pending} kept on this device until you sign in.`;
  }
}

export function pendingPhrase(count: number): string {
  if (count === 0) return "No changes waiting";
  return count === 1 ? "1 change waiting" : `${count} changes waiting`;
}

/** Field values of conflicts and dead letters are arbitrary JSON: show them short and readable. */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return "(empty)";
  if (typeof value === "string") return value === "" ? "(empty)" : `“${truncate(value, 80)}”`;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return value.map((v) => formatValue(v)).join(", ");
  return truncate(JSON.stringify(value), 80);
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}

const KIND_VERBS: Record<string, string> = {
  create: "Add",
  update: "Change",
  delete: "Delete",
  increment: "Change the quantity of",
};

const ENTITY_NOUNS: Record<string, string> = {
  list: "list",
  item: "item",
  membership: "membership",
};

/** "Add item “milk”", "Change list “Groceries”": what a failed operation tried to do. */
export function describeOperation(kind: string, entity: string, label: string | null): string {
  const verb = KIND_VERBS[kind] ?? kind;
  const noun = ENTITY_NOUNS[entity] ?? entity;
  return label ? `${verb} ${noun} ${formatValue(label)}` : `${verb} ${noun}`;
}
