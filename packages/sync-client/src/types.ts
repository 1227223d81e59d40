import type { EntitySchema } from "@sync/entities";
import type { Conflict, FieldMap, FieldValue } from "@sync/protocol";
import type { LocalStore } from "./local-store.js";
import type { KeyValueStorage, StorageManagerLike } from "./storage-durability.js";

/**
 * Public contract of the sync client. apps/web codes against this file; keep it stable and
 * extend it only by adding members.
 */

/** What the UI shows for one record: confirmed server state with pending operations replayed on top. */
export interface ViewRecord {
  readonly entity: string;
  readonly id: string;
  readonly fields: Readonly<FieldMap>;
  readonly deleted: boolean;
  /** True while operations on this record wait to be confirmed by the server. */
  readonly pending: boolean;
}

/**
 * The clocks of a record as the person saw it when an edit began (from `editBase`). Passed to
 * `update`, it lets an "ask" field that someone else changed meanwhile come back as a conflict
 * instead of being overwritten by a save made over a value the person never saw (rule L9).
 */
export interface EditBase {
  readonly entity: string;
  readonly id: string;
  readonly clocks: Readonly<Record<string, string>>;
}

export interface UpdateOptions {
  /** What the person saw when the edit began; without it, the view at the time of the call. */
  readonly seen?: EditBase;
}

export type SyncState = "offline" | "syncing" | "synced" | "error" | "signed-out";

export interface SyncStatus {
  readonly state: SyncState;
  readonly online: boolean;
  /** Operations waiting for the server (all tabs). */
  readonly pendingCount: number;
  readonly oldestPendingAt: number | null;
  /** Online with pending work and no progress for a while: the person should know. */
  readonly stuck: boolean;
  readonly lastSyncedAt: number | null;
  readonly deadLetterCount: number;
  readonly conflictCount: number;
  /** This tab does the network work (Web Locks leader). */
  readonly leader: boolean;
  /** The local database vanished (browser eviction) while work was pending. */
  readonly storageEvicted: boolean;
  readonly lastError: { readonly code: string; readonly message: string } | null;
  /** Notices not yet dismissed; changes whenever `notices()` does. */
  readonly noticeCount: number;
}

export interface DeadLetterView {
  readonly id: number;
  readonly entity: string;
  readonly recordId: string;
  readonly kind: string;
  readonly fields: Readonly<FieldMap>;
  readonly code: string;
  readonly message: string;
  readonly failedAt: number;
  /** Operations that failed together (a rejected create and the edits behind it). */
  readonly groupId: string | null;
}

export interface ConflictView extends Conflict {
  /** Local key of the open conflict. */
  readonly key: string;
  readonly detectedAt: number;
}

export type NoticeLevel = "info" | "warning" | "error";

export interface Notice {
  readonly id: string;
  readonly level: NoticeLevel;
  readonly message: string;
  readonly at: number;
}

export type ConflictChoice =
  | { readonly keep: "server" }
  | { readonly keep: "mine" }
  | { readonly value: FieldValue };

export interface SyncClient {
  /** Opens the local store, loads the view, starts the sync loop (leader election, stream, polling). */
  start(): Promise<void>;
  /** Stops timers, streams and leadership; closes the local store. */
  stop(): Promise<void>;

  /** Synchronous reads from the in-memory view (loaded from IndexedDB at start). Deleted records are excluded unless asked. */
  list(
    entity: string,
    filter?: (record: ViewRecord) => boolean,
    options?: { includeDeleted?: boolean },
  ): ViewRecord[];
  get(entity: string, id: string): ViewRecord | undefined;
  /** Called after every view change (local write, server confirmation, pull, another tab). */
  subscribe(listener: () => void): () => void;
  /** Changes identity whenever the view changes: suitable for React's useSyncExternalStore. */
  getVersion(): number;

  /** Each write resolves once it is durable locally (view updated, operation queued). */
  create(entity: string, fields: FieldMap, id?: string): Promise<string>;
  update(entity: string, id: string, fields: FieldMap, options?: UpdateOptions): Promise<void>;
  /** Take when an edit of "ask" fields begins (a rename box opens); pass to `update` on save. */
  editBase(entity: string, id: string): EditBase | undefined;
  increment(entity: string, id: string, field: string, delta: number): Promise<void>;
  remove(entity: string, id: string): Promise<void>;
  restore(entity: string, id: string): Promise<void>;

  getStatus(): SyncStatus;
  subscribeStatus(listener: (status: SyncStatus) => void): () => void;

  deadLetters(): Promise<DeadLetterView[]>;
  retryDeadLetter(id: number): Promise<void>;
  discardDeadLetter(id: number): Promise<void>;

  conflicts(): ConflictView[];
  resolveConflict(key: string, choice: ConflictChoice): Promise<void>;

  notices(): Notice[];
  dismissNotice(id: string): void;

  /**
   * Push and pull now (also wakes a paused backoff). Resolves after a push attempt that started
   * after the call (joining a push already in flight that then fails runs one more attempt; rule
   * L18) and after a pull round that started after it. A follower only nudges the leader.
   */
  syncNow(): Promise<void>;
  /** After a 401 the client is "signed-out"; call this once the person signed in again. */
  resumeAfterSignIn(): Promise<void>;
  /**
   * Drain pending operations once and resolve (used by the service worker's Background Sync
   * handler). Works without `start()`, and after it even when this tab does not lead (rule L14).
   */
  drainOnce(): Promise<{ pushed: number; remaining: number }>;
}

export interface SyncClientOptions {
  /** Origin of the server API ("" for same origin). */
  baseUrl: string;
  schema: EntitySchema;
  /** IndexedDB database name; one per signed-in user keeps accounts apart. */
  dbName: string;
  /** Injected for Node tests and the service worker; defaults to globals. */
  fetch?: typeof fetch;
  /** Extra headers for each request, e.g. a bearer token in Node. */
  headers?: () => Record<string, string>;
  indexedDB?: IDBFactory;
  /** Defaults to the global EventSource when there is one; without it the client polls. */
  eventSource?: ((url: string) => EventSourceLike) | null;
  /** Leader election port; defaults to Web Locks, or "always leader" when unavailable. */
  leader?: Leader;
  /** Cross-tab channel port; defaults to BroadcastChannel when available. */
  channel?: ((name: string) => ChannelLike) | null;
  now?: () => number;
  pollIntervalMs?: number;
  pushBatchSize?: number;
  backoff?: { baseMs?: number; maxMs?: number };
  /** Drive the sync loop (false: only local writes, for a pure follower or a test). Default true. */
  autoSync?: boolean;
  /** Whether the platform says we are online; defaults to navigator.onLine or true. */
  isOnline?: () => boolean;
  /** Opens the local database; defaults to the IndexedDB adapter over `indexedDB`. */
  localStore?: (dbName: string) => Promise<LocalStore>;
  /** Timers for polling, stream reconnects, backoff and the stuck check; default global timers. */
  timers?: {
    setTimeout(fn: () => void, ms: number): unknown;
    clearTimeout(handle: unknown): void;
  };
  /** Jitter source; default Math.random. */
  random?: () => number;
  /** `navigator.storage` by default (persist, estimate); null to skip. */
  storageManager?: StorageManagerLike | null;
  /** `localStorage` by default: the eviction mirror; null to skip. */
  keyValueStorage?: KeyValueStorage | null;
  /** Online with pending work and no progress for this long counts as stuck. Default 30 s. */
  stuckAfterMs?: number;
  /**
   * The signed-in user's id. With it, the user's own membership tombstone (left or removed from
   * a list) drops that list's records from this device (rule L17).
   */
  userId?: string;
}

/** Port: the tab that holds the lock does the network work. `release` gives it up. */
export interface Leader {
  /** Resolves `onAcquire` whenever this instance becomes leader; returns a function that leaves the election. */
  campaign(name: string, onAcquire: () => void, onLose: () => void): () => void;
}

export interface ChannelLike {
  postMessage(message: unknown): void;
  addEventListener(type: "message", listener: (event: { data: unknown }) => void): void;
  close(): void;
}

export interface EventSourceLike {
  addEventListener(type: string, listener: (event: { data: string }) => void): void;
  onerror: ((event: unknown) => void) | null;
  onopen: ((event: unknown) => void) | null;
  close(): void;
}

export type { EntitySchema };
