import { type Changes, ErrorCode, LIMITS, type Row } from "@sync/protocol";
import { dropLists, lostLists } from "./access-loss.js";
import { onExchange, seeClocks } from "./clock-sync.js";
import { type EngineCore, requireSession, type Session } from "./engine-core.js";
import { advancedMeta, resyncedMeta } from "./pull-progress.js";
import { recordKey } from "./record-key.js";
import type { Timers } from "./timers.js";
import { type Transport, TransportError } from "./transport.js";
import { onTransportError } from "./transport-failures.js";

/**
 * Rows asked for per page: the most the server gives. Half the transactions and requests of the
 * default page measured about 10% faster for an initial sync in Chromium; the work per task is
 * bounded by the slices and yields below, not by the page.
 */
export const PULL_PAGE_ROWS = LIMITS.maxPullLimit;

/**
 * The pull loop (rules L8, L10): from the stored cursor, page by page while `hasMore`; a
 * `RESET_REQUIRED` answer starts a full resync. Concurrent calls coalesce into one more round.
 */
export class PullLoop {
  readonly #core: EngineCore;
  #pulling: Promise<void> | undefined;
  #again = false;
  /** Stream rows waiting for the ones being stored, in arrival order. */
  #queued: Changes[] = [];
  /** While stream rows are being stored: the cursor they (and the queued ones) end at. */
  #applyingTo: number | undefined;

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
    // Rows that continue the stream rows being stored wait for them: a burst of changes is
    // applied one after the other instead of costing a pull each.
    if (this.#pulling && this.#applyingTo !== undefined && changes.from <= this.#applyingTo) {
      this.#queued.push(changes);
      this.#applyingTo = Math.max(this.#applyingTo, changes.cursor);
      return this.#pulling;
    }
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
          await this.#applyStreamed(requireSession(this.#core), changes);
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

  /** `first` and the stream rows queued behind it, each stored as a page (L20). */
  async #applyStreamed(session: Session, first: Changes): Promise<void> {
    const { net } = this.#core;
    this.#applyingTo = first.cursor;
    this.#queued = [first];
    try {
      for (let next = this.#queued.shift(); next; next = this.#queued.shift()) {
        if (!net.leader || net.signedOut) return;
        if (next.cursor <= session.meta.cursor) continue;
        // Not reached by what was stored (cannot happen while they chain): a pull covers it.
        if (session.meta.cursor < next.from) {
          this.#again = true;
          return;
        }
        await this.#applyPage(session, next.rows, next.cursor, next.lastSeq);
        if (this.#queued.length === 0) await markSynced(this.#core, session);
      }
    } finally {
      this.#applyingTo = undefined;
      this.#queued = [];
    }
  }

  async #pullPages(): Promise<void> {
    const core = this.#core;
    const session = requireSession(core);
    let from = session.meta.cursor;
    const { clientId } = session.meta;
    let next = fetchPage(core.transport, from, clientId);
    // The previous page's write, still committing while this one is fetched and written.
    let writing: PageWrite | undefined;
    for (;;) {
      const fetched = await next;
      if (!fetched.ok) {
        if (writing) await this.#finishPage(session, writing);
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
      const { rows, cursor, hasMore, lastSeq } = page.body;
      // One page ahead: the next page travels while this one is written.
      const after = from;
      from = Math.max(from, cursor);
      if (hasMore) next = fetchPage(core.transport, from, clientId);
      // Parsing and validating the page was one task; its puts start in the next one, and
      // showing it is a third, so no task holds input long.
      await nextTurn(core.timers);
      // Written now, queued behind the previous page's transaction (IndexedDB keeps their
      // order), and only if that one stored its cursor: a failed page stops every later one,
      // so the cursor never passes rows that were not stored. Shown in cursor order.
      // Only the last page's lastSeq holds: the rows up to its cursor are then all stored.
      const write = this.#startPage(session, rows, cursor, after, hasMore ? undefined : lastSeq);
      if (writing) await this.#finishPage(session, writing);
      writing = write;
      // A lost list drops rows: nothing else may be written until that is done.
      if (!hasMore || write.lost.length > 0) {
        writing = undefined;
        await this.#finishPage(session, write);
      }
      if (!hasMore) break;
    }
    await markSynced(core, session);
  }

  /** One page of confirmed rows ending at `cursor`: stored with it in one transaction, shown. */
  async #applyPage(
    session: Session,
    rows: readonly Row[],
    cursor: number,
    processedSeq: number | undefined,
  ): Promise<void> {
    await this.#finishPage(
      session,
      this.#startPage(session, rows, cursor, undefined, processedSeq),
    );
  }

  #startPage(
    session: Session,
    rows: readonly Row[],
    cursor: number,
    after: number | undefined,
    processedSeq: number | undefined,
  ): PageWrite {
    const written = session.store.applyPull(rows, cursor, after, processedSeq);
    // Observed now: when an earlier page fails first, this one's rejection is never awaited.
    written.catch(() => undefined);
    const lost = lostLists(rows, this.#core.options.userId);
    return { rows, cursor, processedSeq, written, lost };
  }

  async #finishPage(session: Session, page: PageWrite): Promise<void> {
    const core = this.#core;
    const written = await page.written;
    // A small page (a stream's changes, a few pulled rows) is shown at once: cheap, and late
    // by a whole task otherwise.
    if (page.rows.length > SHOW_AT_ONCE_ROWS) await nextTurn(core.timers);
    session.meta = advancedMeta(session.meta, page.cursor, page.processedSeq) ?? session.meta;
    seeClocks(session, page.rows);
    const keys = core.view.putConfirmed(written);
    // L23: operations the server had processed are in these rows now; replaying them would
    // count an increment whose answer was lost twice.
    const settled = core.view.settleThrough(session.meta.processedSeq ?? 0);
    core.hooks.recompute([...keys, ...settled]);
    if (written.length > 0 || settled.length > 0) core.hooks.changed(written);
    if (page.lost.length > 0) await dropLists(core, session, page.lost);
  }

  /** L10: RESET_REQUIRED: pull everything from 0, then replace the confirmed set in one go. */
  async #resync(session: Session): Promise<void> {
    const core = this.#core;
    const rows: Row[] = [];
    let cursor = 0;
    let processedSeq: number | undefined;
    for (;;) {
      const page = await core.transport.pull(cursor, PULL_PAGE_ROWS, session.meta.clientId);
      onExchange(core, session, page);
      rows.push(...page.body.rows);
      cursor = page.body.cursor;
      processedSeq = page.body.lastSeq;
      if (!page.body.hasMore) break;
    }
    const all = latestRows(rows);
    // A push acknowledged while the resync ran is newer than its snapshot: the store keeps it.
    const confirmed = await session.store.replaceAll(all, cursor, processedSeq);
    session.meta = resyncedMeta(session.meta, cursor, processedSeq);
    seeClocks(session, all);
    core.hooks.recompute([
      ...core.view.replaceConfirmed(confirmed),
      ...core.view.settleThrough(session.meta.processedSeq ?? 0),
    ]);
    core.hooks.changed("all");
    await markSynced(core, session);
  }
}

type PulledPage = Awaited<ReturnType<Transport["pull"]>>;

/** Pages up to this size are shown in the task their write completed in. */
const SHOW_AT_ONCE_ROWS = 50;

/** A page whose store write has started: shown once `written` resolves. */
interface PageWrite {
  readonly rows: readonly Row[];
  readonly cursor: number;
  /** The last page's `lastSeq` (L23), stored with its cursor. */
  readonly processedSeq: number | undefined;
  readonly written: Promise<Row[]>;
  /** Lists this page says the user lost (rule L17). */
  readonly lost: readonly string[];
}

/**
 * A pull that never rejects: a prefetched page may fail while the previous one is being
 * written, and its error is handled only once the loop reaches it (never unhandled).
 */
function fetchPage(
  transport: Transport,
  cursor: number,
  clientId: string,
): Promise<{ ok: true; page: PulledPage } | { ok: false; error: unknown }> {
  return transport.pull(cursor, PULL_PAGE_ROWS, clientId).then(
    (page) => ({ ok: true, page }) as const,
    (error: unknown) => ({ ok: false, error }) as const,
  );
}

/**
 * Resolves in a later task, letting input and rendering run between two pieces of a sync.
 * `scheduler.yield` where the browser has it (no 4 ms clamp on chained timers), else a timer.
 */
function nextTurn(timers: Timers): Promise<void> {
  const scheduler = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler;
  if (typeof scheduler?.yield === "function") return scheduler.yield();
  return new Promise((resolve) => timers.setTimeout(resolve, 0));
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
