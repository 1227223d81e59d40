import type { QueueState } from "@sync/queue";
import { seeClocks } from "./clock-sync.js";
import type { EngineCore, Session } from "./engine-core.js";
import { recordKey } from "./record-key.js";

type RowKeys = readonly (readonly [string, string])[];

/**
 * Re-reads what another tab (or the queue) may have changed: pending work, dead letters and
 * conflicts always, confirmed rows only those named (rule L13). Concurrent calls coalesce.
 */
export class StoreRefresh {
  readonly #core: EngineCore;
  #refreshing: Promise<void> | undefined;
  #rows: Map<string, readonly [string, string]> | "all" = new Map();
  #again = false;

  constructor(core: EngineCore) {
    this.#core = core;
  }

  refresh(rows: RowKeys | "all" = []): Promise<void> {
    if (rows === "all" || this.#rows === "all") this.#rows = "all";
    else for (const key of rows) this.#rows.set(recordKey(key[0], key[1]), key);
    if (this.#refreshing) {
      this.#again = true;
      return this.#refreshing;
    }
    this.#refreshing = (async () => {
      try {
        do {
          this.#again = false;
          const scope = this.#rows === "all" ? "all" : [...this.#rows.values()];
          this.#rows = new Map();
          const session = this.#core.session;
          if (session) await reloadSession(this.#core, session, scope, true);
        } while (this.#again);
      } finally {
        this.#refreshing = undefined;
      }
    })();
    return this.#refreshing;
  }

  /** Queue changes the view has not seen yet (another tab, a dead letter) trigger a refresh. */
  onQueueState(state: QueueState): void {
    const core = this.#core;
    if (state.status === "auth-required" && !core.net.signedOut) {
      core.net.signedOut = true;
      core.hooks.stopNetwork();
    }
    const deadChanged = state.deadLetters !== core.deadLetterCount;
    // The queue counts this tab's own write just before the write adds it to the view: that gap
    // needs no re-read of the whole queue (which made every write O(pending)).
    const gap = state.pending - core.view.pendingCount();
    const ownWrites = gap > 0 && gap <= core.enqueuing;
    if (deadChanged || (gap !== 0 && !ownWrites)) {
      this.refresh().catch((error: unknown) => core.hooks.fail(error));
    }
    core.hooks.emitStatus();
  }
}

/** Loads the view from the store: these confirmed rows (or all), pending work, conflicts, dead letters. */
export async function reloadSession(
  core: EngineCore,
  session: Session,
  rows: RowKeys | "all",
  announce: boolean,
): Promise<void> {
  let snapshot: Awaited<ReturnType<typeof readStore>>;
  for (;;) {
    const writes = core.writes;
    const shown = core.view.confirmedChanges;
    const conflictWrites = core.conflictWrites;
    snapshot = await readStore(session, rows);
    await session.queue.refresh();
    // A local write landed while we read: this snapshot may lack it, and would hide it. So may
    // a whole-store read lack a row this tab confirmed meanwhile (a create acknowledged): the
    // view keeps newer versions of rows it reads (L5), but not rows the snapshot lacks. And the
    // conflicts it read may be older than the ones an acknowledgement just stored (L9).
    const raced =
      conflictWrites !== core.conflictWrites ||
      (rows === "all" && shown !== core.view.confirmedChanges);
    if (writes === core.writes && !raced) break;
  }
  const [confirmed, pending, conflicts, letters, meta] = snapshot;
  seeClocks(session, confirmed);
  const keys =
    rows === "all" ? core.view.replaceConfirmed(confirmed) : core.view.putConfirmed(confirmed);
  // L19: the leader's re-stamps, for this tab's view; stale entries are harmless, so merge.
  const stored = Object.entries(meta.restamps ?? {});
  if (stored.some(([hlc]) => !core.restamps.has(hlc))) {
    core.restamps = new Map([...core.restamps, ...stored]);
    keys.push(...core.view.setRestamps(core.restamps));
  }
  // L23: what the server had processed as of the stored rows is not replayed over them.
  keys.push(...core.view.settleThrough(meta.processedSeq ?? 0));
  keys.push(...core.view.setPending(pending));
  core.conflicts = conflicts;
  core.conflictNotices.settle(conflicts);
  const fresh = letters.filter((letter) => !core.deadLetterIds.has(letter.id));
  const held =
    announce && fresh.length > 0
      ? new Set(core.rejections.announce(fresh, new Set(pending.map((e) => e.seq))))
      : new Set();
  core.deadLetterIds = new Set(letters.filter((l) => !held.has(l)).map((l) => l.id));
  core.deadLetterCount = letters.length;
  core.hooks.recompute(keys);
  core.hooks.writeMarker(session);
  core.hooks.emitStatus();
}

function readStore(session: Session, rows: RowKeys | "all") {
  return Promise.all([
    rows === "all" ? session.store.allRows() : session.store.getRows(rows),
    session.store.queue.list(),
    session.store.conflicts(),
    session.store.queue.listDeadLetters(),
    session.store.readMeta(),
  ]);
}
