import type { SharedStatus } from "./channel.js";
import { clearTimer, DEFAULT_STUCK_MS, type EngineCore } from "./engine-core.js";
import { CLIENT_ERROR_CODES } from "./errors.js";
import { computeStatus, isStuck, sameStatus } from "./status.js";
import type { SyncStatus } from "./types.js";

/**
 * Derives the status (rule L11) from the queue, the network state and the leader's shared view,
 * keeps its identity until something changes, and tells the listeners and the other tabs.
 */
export class StatusTracker {
  readonly #core: EngineCore;
  readonly #listeners = new Set<(status: SyncStatus) => void>();
  #status: SyncStatus | undefined;
  #stuckTimer: unknown;

  constructor(core: EngineCore) {
    this.#core = core;
  }

  get(): SyncStatus {
    this.#status ??= this.#compute();
    return this.#status;
  }

  subscribe(listener: (status: SyncStatus) => void): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  emit(): void {
    const core = this.#core;
    const next = this.#compute();
    const before = this.get();
    if (sameStatus(next, before)) return;
    this.#status = next;
    if (core.net.leader && core.session) {
      core.session.channel?.postMessage({ type: "status", from: core.tabId, status: this.net() });
    }
    if (before.pendingCount !== next.pendingCount && core.session) {
      core.hooks.writeMarker(core.session);
    }
    for (const listener of [...this.#listeners]) listener(next);
  }

  /** This tab's own view of the network: what a leader shares with its followers. */
  net(): SharedStatus {
    const core = this.#core;
    const { net } = core;
    const queue = core.session?.queue.getState();
    const online = this.platformOnline() && net.networkUp;
    const signedOut = net.signedOut || queue?.status === "auth-required";
    const pending = queue?.pending ?? 0;
    const stuck = isStuck({
      online,
      signedOut,
      pending,
      oldestEnqueuedAt: queue?.oldestEnqueuedAt ?? null,
      lastProgressAt: queue?.lastProgressAt ?? null,
      now: core.now(),
      stuckAfterMs: core.options.stuckAfterMs ?? DEFAULT_STUCK_MS,
    });
    this.#scheduleStuckCheck(stuck.recheckInMs);
    const queueError =
      queue?.lastError && queue.lastError.code !== CLIENT_ERROR_CODES.network
        ? queue.lastError
        : null;
    return {
      online,
      // Only the leader syncs; a follower that has not heard from it shows its pending count.
      syncing:
        net.leader && (queue?.status === "processing" || core.hooks.isPulling() || !net.pulledOnce),
      stuck: stuck.stuck,
      signedOut,
      lastSyncedAt: net.lastSyncedAt,
      lastError: signedOut || !online ? null : (net.lastError ?? queueError),
    };
  }

  platformOnline(): boolean {
    const isOnline = this.#core.options.isOnline;
    if (isOnline) return isOnline();
    const onLine = (globalThis.navigator as { onLine?: boolean } | undefined)?.onLine;
    return onLine ?? true;
  }

  stop(): void {
    clearTimer(this.#core.timers, this.#stuckTimer);
    this.#stuckTimer = undefined;
  }

  #compute(): SyncStatus {
    const core = this.#core;
    const queue = core.session?.queue.getState();
    const own = this.net();
    const shared = core.net.shared;
    // Followers show the leader's view of the network, when they have heard it.
    const net =
      core.net.leader || !shared
        ? own
        : { ...shared, online: shared.online && this.platformOnline() };
    return computeStatus({
      net: core.session ? net : { ...net, syncing: false },
      pendingCount: queue?.pending ?? 0,
      oldestPendingAt: queue?.oldestEnqueuedAt ?? null,
      deadLetterCount: queue?.deadLetters ?? core.deadLetterCount,
      conflictCount: core.conflicts.length,
      noticeCount: core.notices.list().length,
      leader: core.net.leader,
      storageEvicted: core.net.storageEvicted,
    });
  }

  #scheduleStuckCheck(inMs: number | null): void {
    this.stop();
    if (inMs === null || !this.#core.session) return;
    this.#stuckTimer = this.#core.timers.setTimeout(() => {
      this.#stuckTimer = undefined;
      this.emit();
    }, inMs);
  }
}
