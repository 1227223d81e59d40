import type { HybridClock } from "@sync/clock";
import type { EntitySchema } from "@sync/entities";
import type { Changes, Row } from "@sync/protocol";
import type { Queue } from "@sync/queue";
import type { SharedStatus } from "./channel.js";
import type { ConflictNotices } from "./conflict-notices.js";
import type { RejectionNotices } from "./dead-letter-notices.js";
import { CLIENT_ERROR_CODES, SyncClientError } from "./errors.js";
import type { LocalStore, StoredConflict, StoredMeta } from "./local-store.js";
import type { Notices } from "./notices.js";
import type { PendingOp } from "./pending-op.js";
import type { Timers } from "./timers.js";
import type { Transport } from "./transport.js";
import type { ChannelLike, SyncClientOptions } from "./types.js";
import type { ViewModel } from "./view-model.js";

export const DEFAULT_POLL_MS = 30_000;
export const DEFAULT_STUCK_MS = 30_000;
export const DEFAULT_BATCH = 100;
export const QUOTA_CHECK_EVERY = 25;
export const NO_HLC = "000000000000000000000000";

/** The open local database and everything built on it, for one start..stop. */
export interface Session {
  readonly store: LocalStore;
  meta: StoredMeta;
  clock: HybridClock;
  readonly queue: Queue<PendingOp>;
  readonly channel: ChannelLike | null;
}

/** Network state, owned by the leader and shared with the other tabs. */
export interface NetState {
  leader: boolean;
  networkUp: boolean;
  signedOut: boolean;
  lastSyncedAt: number | null;
  /** A pull completed in this session: until then the leader counts as syncing. */
  pulledOnce: boolean;
  lastError: { code: string; message: string } | null;
  /** What the leader last told this follower. */
  shared: SharedStatus | undefined;
  storageEvicted: boolean;
}

/** Cross-module calls, wired once by the engine (sync-client.ts). */
export interface EngineHooks {
  emitStatus(): void;
  /** Background failures nobody awaits: recorded in the status and told to the person. */
  fail(error: unknown): void;
  /** Pulls now, when this tab leads and is signed in. */
  kickPull(): void;
  pull(): Promise<void>;
  /** Applies rows the stream vouched for, or pulls when they cannot be applied (L20). */
  applyChanges(changes: Changes): Promise<void>;
  isPulling(): boolean;
  refresh(rows?: readonly (readonly [string, string])[] | "all"): Promise<void>;
  startNetwork(): void;
  stopNetwork(): void;
  /** Recomputes these records and tells the view's subscribers. */
  recompute(keys: readonly string[]): void;
  /** Tells the other tabs to re-read: pending work always, and these confirmed rows. */
  changed(rows: readonly Row[] | "all"): void;
  writeMarker(session: Session): void;
  checkQuota(): void;
}

/** The state the engine's modules share; one per client. */
export interface EngineCore {
  readonly options: SyncClientOptions;
  readonly schema: EntitySchema;
  readonly now: () => number;
  readonly timers: Timers;
  readonly random: () => number;
  readonly transport: Transport;
  readonly tabId: string;
  readonly notices: Notices;
  readonly conflictNotices: ConflictNotices;
  /** One notice per push's rejections (rule L16). */
  readonly rejections: RejectionNotices;
  /** Server re-stamps of our operations' HLCs (rule L19). */
  restamps: Map<string, string>;
  readonly view: ViewModel;
  readonly net: NetState;
  readonly hooks: EngineHooks;
  session: Session | undefined;
  conflicts: StoredConflict[];
  deadLetterIds: Set<number>;
  deadLetterCount: number;
  /** Operations settled as applied by this client's pushes. */
  pushed: number;
  writes: number;
  /**
   * Bumped when this tab stores or deletes conflicts (an acknowledgement, a resolution), so a
   * re-read of the store that raced one reads again instead of showing its older list.
   */
  conflictWrites: number;
  /** Local writes between enqueue and the view: the queue counts them a moment before the view. */
  enqueuing: number;
}

export function clearTimer(timers: Timers, handle: unknown): void {
  if (handle !== undefined) timers.clearTimeout(handle);
}

export function requireSession(core: EngineCore): Session {
  if (!core.session) {
    throw new SyncClientError(CLIENT_ERROR_CODES.notStarted, "call start() first");
  }
  return core.session;
}
