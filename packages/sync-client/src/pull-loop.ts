import { type Changes, ErrorCode, LIMITS, type Row } from "@sync/protocol";
import { dropLists, lostLists } from "./access-loss.js";
import { onExchange, seeClocks } from "./clock-sync.js";
import { type EngineCore, requireSession, type Session } from "./engine-core.js";
import { recordKey } from "./record-key.js";
import { type Transport, TransportError } from "./transport.js";
import { onTransportError } from "./transport-failures.js";

/**
 * The pull loop (rules L8, L10): from the stored cursor, page by page while `hasMore`; a
 * `RESET_REQUIRED` answer starts a full resync. Concurrent calls coalesce into one more round.
 */
export class PullLoop {
  readonly #core: EngineCore;
  #pulling: Promise<void> | undefined;
  #again = false;

  constructor(core: EngineCore) {
    this.#core = core;
  }

  get running(): boolean {
    return this.#pulling !== undefined;
  }

  pull(): Promise<void> {
    return this.#run(undefined);
  }

  /**
   * Rows the stream vouched for (rule L20): every change this user may see in (from, cursor].
   * Applied like a pulled page when nothing is pulling and the stored cursor reaches `from`,
   * which saves the pull's round trip; otherwise a pull fetches them.
   */
  applyChanges(changes: Changes): Promise<void> {
    const session = this.#core.session;
    if (!session || changes.cursor <= session.meta.cursor) return Promise.resolve();
    if (this.#pulling || session.meta.cursor < changes.from) return this.pull();
    return this.#run(changes);
  }

  #run(changes: Changes | undefined): Promise<void> {
    if (this.#pulling) {
      this.#again = true;
      return this.#pulling;
    }
    const { net, hooks } = this.#core;
    this.#pulling = (async () => {
      try {
        if (changes) {
          const session = requireSession(this.#core);
          await this.#applyPage(session, changes.rows, changes.cursor);
          await markSynced(this.#core, session);
        } else {
          this.#again = false;
          await this.#pullPages();
        }
        while (this.#again && net.leader && !net.signedOut) {
          this.#again = false;
          await this.#pullPages();
        }
      } finally {
        this.#pulling = undefined;
        hooks.emitStatus();
      }
    })();
    hooks.emitStatus();
    return this.#pulling;
  }

  async #pullPages(): Promise<void> {
    const core = this.#core;
    const session = requireSession(core);
    let next = fetchPage(core.transport, session.meta.cursor);
    for (;;) {
      const fetched = await next;
      if (!fetched.ok) {
        const { error } = fetched;
        if (error instanceof TransportError && error.code === ErrorCode.RESET_REQUIRED) {
          await this.#resync(session);
          return;
        }
        onTransportError(core, error);
        if (error instanceof TransportError) return;
        throw error;
      }
      const page = fetched.page;
      onExchange(core, session, page);
      const { rows, cursor, hasMore } = page.body;
      // One page ahead: the next page travels while this one is written. Pages are still
      // applied one at a time in cursor order, each as one "rows + cursor" transaction.
      if (hasMore) next = fetchPage(core.transport, Math.max(session.meta.cursor, cursor));
      await this.#applyPage(session, rows, cursor);
      if (!hasMore) break;
    }
    await markSynced(core, session);
  }

  /** One page of confirmed rows ending at `cursor`: stored with it in one transaction, shown. */
  async #applyPage(session: Session, rows: readonly Row[], cursor: number): Promise<void> {
    const core = this.#core;
    const written = await session.store.applyPull(rows, cursor);
    session.meta = { ...session.meta, cursor: Math.max(session.meta.cursor, cursor) };
    seeClocks(session, rows);
    core.hooks.recompute(core.view.putConfirmed(written));
    if (written.length > 0) core.hooks.changed(written);
    const lost = lostLists(rows, core.options.userId);
    if (lost.length > 0) await dropLists(core, session, lost);
  }

  /** L10: RESET_REQUIRED: pull everything from 0, then replace the confirmed set in one go. */
  async #resync(session: Session): Promise<void> {
    const core = this.#core;
    const rows: Row[] = [];
    let cursor = 0;
    for (;;) {
      const page = await core.transport.pull(cursor, LIMITS.defaultPullLimit);
      onExchange(core, session, page);
      rows.push(...page.body.rows);
      cursor = page.body.cursor;
      if (!page.body.hasMore) break;
    }
    const all = latestRows(rows);
    // A push acknowledged while the resync ran is newer than its snapshot: the store keeps it.
    const confirmed = await session.store.replaceAll(all, cursor);
    session.meta = { ...session.meta, cursor };
    seeClocks(session, all);
    core.hooks.recompute(core.view.replaceConfirmed(confirmed));
    core.hooks.changed("all");
    await markSynced(core, session);
  }
}

type PulledPage = Awaited<ReturnType<Transport["pull"]>>;

/**
 * A pull that never rejects: a prefetched page may fail while the previous one is being
 * written, and its error is handled only once the loop reaches it (never unhandled).
 */
function fetchPage(
  transport: Transport,
  cursor: number,
): Promise<{ ok: true; page: PulledPage } | { ok: false; error: unknown }> {
  return transport.pull(cursor, LIMITS.defaultPullLimit).then(
    (page) => ({ ok: true, page }) as const,
    (error: unknown) => ({ ok: false, error }) as const,
  );
}

/** L15: the time of the last complete pull is kept in the meta, so a reload still knows it. */
async function markSynced(core: EngineCore, session: Session): Promise<void> {
  const at = core.now();
  await session.store.updateMeta((meta) => ({ ...meta, lastSyncedAt: at }));
  session.meta = { ...session.meta, lastSyncedAt: at };
  core.net.lastSyncedAt = at;
  core.net.pulledOnce = true;
}

/** Several pages may carry the same row; the highest version wins. */
function latestRows(rows: readonly Row[]): Row[] {
  const latest = new Map<string, Row>();
  for (const row of rows) {
    const key = recordKey(row.entity, row.id);
    const seen = latest.get(key);
    if (!seen || seen.version <= row.version) latest.set(key, row);
  }
  return [...latest.values()];
}
