import { ErrorCode, type FieldMap } from "@sync/protocol";
import { v7 as uuidv7 } from "uuid";
import { createCore } from "./create-core.js";
import type { EngineCore, EngineHooks } from "./engine-core.js";
import { SyncClientError } from "./errors.js";
import { defaultLeader } from "./leader.js";
import { NetworkLoop } from "./network-loop.js";
import { closeSession, openSession } from "./open-session.js";
import {
  checkQuota,
  onStorageLost,
  requestPersistence,
  watchWindow,
  writeSessionMarker,
} from "./platform-hooks.js";
import { PullLoop } from "./pull-loop.js";
import * as repairs from "./repairs.js";
import { StatusTracker } from "./status-tracker.js";
import { reloadSession, StoreRefresh } from "./store-refresh.js";
import * as calls from "./sync-calls.js";
import { announceChanged, onTabMessage, post } from "./tab-channel.js";
import { failInBackground } from "./transport-failures.js";
import type {
  ConflictChoice,
  ConflictView,
  DeadLetterView,
  EditBase,
  Notice,
  SyncClient,
  SyncClientOptions,
  SyncStatus,
  UpdateOptions,
  ViewRecord,
} from "./types.js";
import { writeOperation } from "./write-path.js";

/** Creates the sync engine; call `start()` before reading or writing. */
export function createSyncClient(options: SyncClientOptions): SyncClient {
  return new SyncEngine(options);
}

/** The public face: lifecycle, reads, writes and sync calls, wired to the modules that do them. */
class SyncEngine implements SyncClient {
  readonly #core: EngineCore;
  readonly #listeners = new Set<() => void>();
  readonly #status: StatusTracker;
  readonly #pulls: PullLoop;
  readonly #network: NetworkLoop;
  readonly #refresher: StoreRefresh;
  #version = 0;
  #starting: Promise<void> | undefined;
  #leave: (() => void) | undefined;
  #removeWindowListeners: (() => void) | undefined;

  constructor(options: SyncClientOptions) {
    const hooks: EngineHooks = {
      emitStatus: () => this.#status.emit(),
      fail: (error) => failInBackground(this.#core, error),
      kickPull: () => this.#network.kickPull(),
      pull: () => this.#pulls.pull(),
      applyChanges: (changes) => this.#pulls.applyChanges(changes),
      isPulling: () => this.#pulls.running,
      refresh: (rows) => this.#refresher.refresh(rows),
      startNetwork: () => this.#network.start(),
      stopNetwork: () => this.#network.stop(),
      recompute: (keys) => this.#recompute(keys),
      changed: (rows) => announceChanged(this.#core, rows),
      writeMarker: (session) => writeSessionMarker(this.#core, session),
      checkQuota: () => checkQuota(this.#core),
    };
    this.#core = createCore(options, uuidv7(), hooks);
    this.#status = new StatusTracker(this.#core);
    this.#pulls = new PullLoop(this.#core);
    this.#network = new NetworkLoop(this.#core);
    this.#refresher = new StoreRefresh(this.#core);
    this.#status.get();
  }

  // ---- lifecycle -------------------------------------------------------------------------

  start(): Promise<void> {
    this.#starting ??= this.#start().catch((error: unknown) => {
      this.#starting = undefined;
      throw error;
    });
    return this.#starting;
  }

  async #start(): Promise<void> {
    const core = this.#core;
    const session = await openSession(core, () => onStorageLost(core));
    core.session = session;
    session.queue.subscribe((state) => this.#refresher.onQueueState(state));
    await session.queue.refresh();
    await reloadSession(core, session, "all", false);
    session.channel?.addEventListener("message", (event) =>
      onTabMessage(core, event.data, {
        ownStatus: () => this.#status.net(),
        resumeAfterSignIn: () => this.resumeAfterSignIn(),
      }),
    );
    post(core, { type: "hello", from: core.tabId });
    this.#removeWindowListeners = watchWindow(core, () => this.#network.onOnline());
    requestPersistence(core);
    checkQuota(core);
    if (core.options.autoSync !== false) {
      const leader = core.options.leader ?? defaultLeader();
      this.#leave = leader.campaign(
        `sync-client:${core.options.dbName}`,
        () => this.#network.becomeLeader(),
        () => this.#network.stopLeading(),
      );
    }
    this.#status.emit();
  }

  async stop(): Promise<void> {
    await this.#starting?.catch(() => undefined);
    const session = this.#core.session;
    if (!session) return;
    this.#core.session = undefined;
    this.#starting = undefined;
    this.#leave?.();
    this.#leave = undefined;
    this.#network.stopLeading();
    this.#removeWindowListeners?.();
    this.#removeWindowListeners = undefined;
    this.#status.stop();
    await closeSession(session);
  }

  // ---- reads (rule L1) -------------------------------------------------------------------

  list(
    entity: string,
    filter?: (record: ViewRecord) => boolean,
    options?: { includeDeleted?: boolean },
  ): ViewRecord[] {
    return this.#core.view
      .list(entity)
      .filter((r) => (options?.includeDeleted || !r.deleted) && (!filter || filter(r)));
  }

  get(entity: string, id: string): ViewRecord | undefined {
    return this.#core.view.get(entity, id);
  }

  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  };

  getVersion = (): number => this.#version;

  getStatus = (): SyncStatus => this.#status.get();

  subscribeStatus = (listener: (status: SyncStatus) => void): (() => void) =>
    this.#status.subscribe(listener);

  // ---- writes (rules L3, L6) -------------------------------------------------------------

  async create(entity: string, fields: FieldMap, id?: string): Promise<string> {
    const recordId = id ?? uuidv7();
    await writeOperation(this.#core, "create", entity, recordId, fields);
    return recordId;
  }

  async update(
    entity: string,
    id: string,
    fields: FieldMap,
    options?: UpdateOptions,
  ): Promise<void> {
    await writeOperation(this.#core, "update", entity, id, fields, editedFrom(entity, id, options));
  }

  editBase(entity: string, id: string): EditBase | undefined {
    const state = this.#core.view.state(entity, id);
    return state ? { entity, id, clocks: { ...state.clocks } } : undefined;
  }

  increment(entity: string, id: string, field: string, delta: number): Promise<void> {
    return writeOperation(this.#core, "increment", entity, id, { [field]: delta });
  }

  remove(entity: string, id: string): Promise<void> {
    return writeOperation(this.#core, "delete", entity, id, {});
  }

  restore(entity: string, id: string): Promise<void> {
    return writeOperation(this.#core, "restore", entity, id, {});
  }

  // ---- dead letters, conflicts, notices (rules L7, L9) -----------------------------------

  deadLetters(): Promise<DeadLetterView[]> {
    return repairs.listDeadLetters(this.#core);
  }

  retryDeadLetter(id: number): Promise<void> {
    return repairs.retryDeadLetter(this.#core, id);
  }

  discardDeadLetter(id: number): Promise<void> {
    return repairs.discardDeadLetter(this.#core, id);
  }

  conflicts(): ConflictView[] {
    return this.#core.conflicts;
  }

  resolveConflict(key: string, choice: ConflictChoice): Promise<void> {
    return repairs.resolveConflict(this.#core, key, choice);
  }

  notices(): Notice[] {
    return this.#core.notices.list();
  }

  dismissNotice(id: string): void {
    this.#core.notices.dismiss(id);
  }

  // ---- sync (rules L8, L11, L14) ---------------------------------------------------------

  syncNow(): Promise<void> {
    return calls.syncNow(this.#core, this.#pulls);
  }

  resumeAfterSignIn(): Promise<void> {
    return calls.resumeAfterSignIn(this.#core, this.#pulls, this.#network);
  }

  drainOnce(): Promise<{ pushed: number; remaining: number }> {
    return calls.drainOnce(this.#core);
  }

  // ---- internals -------------------------------------------------------------------------

  #recompute(keys: readonly string[]): void {
    if (this.#core.view.recompute(keys)) {
      this.#version++;
      for (const listener of [...this.#listeners]) listener();
    }
    this.#status.emit();
  }
}

/** The clocks an update is based on, when the caller took them as the edit began. */
function editedFrom(
  entity: string,
  id: string,
  options: UpdateOptions | undefined,
): Record<string, string> | undefined {
  const seen = options?.seen;
  if (!seen) return undefined;
  if (seen.entity !== entity || seen.id !== id) {
    throw new SyncClientError(
      ErrorCode.VALIDATION,
      `the edit base is of ${seen.entity} ${seen.id}, not of ${entity} ${id}`,
    );
  }
  return { ...seen.clocks };
}
