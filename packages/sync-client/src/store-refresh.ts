import type { QueueState } from "@sync/queue";
import { seeClocks } from "./clock-sync.js";
import { announceDeadLetters } from "./dead-letter-notices.js";
import type { EngineCore, Session } from "./engine-core.js";
import { recordKey } from "./record-key.js";

type RowKeys = readonly (readonly [string, string])[];

/**
 * Re-reads what another tab (or the queue) may have changed: pending work, dead letters and
 * conflicts always, confirmed rows only those named (rule C13). Concurrent calls coalesce.
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
    if (deadChanged || state.pending !== core.view.pendingCount()) {
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
  const [confirmed, pending, conflicts, letters] = await Promise.all([
    rows === "all" ? session.store.allRows() : session.store.getRows(rows),
    session.store.queue.list(),
    session.store.conflicts(),
    session.store.queue.listDeadLetters(),
  ]);
  await session.queue.refresh();
  seeClocks(session, confirmed);
  const keys =
    rows === "all" ? core.view.replaceConfirmed(confirmed) : core.view.putConfirmed(confirmed);
  keys.push(...core.view.setPending(pending));
  core.conflicts = conflicts;
  const fresh = letters.filter((letter) => !core.deadLetterIds.has(letter.id));
  core.deadLetterIds = new Set(letters.map((letter) => letter.id));
  core.deadLetterCount = letters.length;
  if (announce && fresh.length > 0) announceDeadLetters(core.notices, fresh);
  core.hooks.recompute(keys);
  core.hooks.writeMarker(session);
  core.hooks.emitStatus();
}
