import { createNodeId, HybridClock } from "@sync/clock";
import { applyOperation, type EntitySchema, validateOperation } from "@sync/entities";
import {
  ErrorCode,
  type FieldMap,
  LIMITS,
  type OpKind,
  PROTOCOL_VERSION,
  type Row,
} from "@sync/protocol";
import { type EntryOutcome, Queue, type QueueEntry, type QueueState } from "@sync/queue";
import { v7 as uuidv7 } from "uuid";
import { defaultChannel, isTabMessage, type SharedStatus, type TabMessage } from "./channel.js";
import { createDependents } from "./dependents.js";
import { CLIENT_ERROR_CODES, errorInfo, SyncClientError } from "./errors.js";
import { openIdbLocalStore } from "./idb/idb-local-store.js";
import { defaultLeader } from "./leader.js";
import type { LocalStore, StoredConflict, StoredMeta } from "./local-store.js";
import { Notices } from "./notices.js";
import type { PendingOp } from "./pending-op.js";
import { PokeStream } from "./poke-stream.js";
import { settlePush, toQueueFailure } from "./push-results.js";
import { recordKey } from "./record-key.js";
import { computeStatus, isStuck, sameStatus } from "./status.js";
import {
  defaultKeyValueStorage,
  defaultStorageManager,
  quotaWarning,
  readMarker,
  wasEvicted,
  writeMarker,
} from "./storage-durability.js";
import { defaultTimers, type Timers } from "./timers.js";
import { createHttpTransport, type Transport, TransportError } from "./transport.js";
import type {
  ChannelLike,
  ConflictChoice,
  ConflictView,
  DeadLetterView,
  EventSourceLike,
  Notice,
  SyncClient,
  SyncClientOptions,
  SyncStatus,
  ViewRecord,
} from "./types.js";
import { ViewModel } from "./view-model.js";

const DEFAULT_POLL_MS = 30_000;
const DEFAULT_STUCK_MS = 30_000;
const DEFAULT_BATCH = 100;
const QUOTA_CHECK_EVERY = 25;
const NO_HLC = "000000000000000000000000";

/** Creates the sync engine; call `start()` before reading or writing. */
export function createSyncClient(options: SyncClientOptions): SyncClient {
  return new SyncEngine(options);
}

/** The open local database and everything built on it, for one start..stop. */
interface Session {
  readonly store: LocalStore;
  meta: StoredMeta;
  clock: HybridClock;
  readonly queue: Queue<PendingOp>;
  readonly channel: ChannelLike | null;
}

class SyncEngine implements SyncClient {
  readonly #options: SyncClientOptions;
  readonly #schema: EntitySchema;
  readonly #now: () => number;
  readonly #timers: Timers;
  readonly #random: () => number;
  readonly #transport: Transport;
  readonly #tabId = uuidv7();
  readonly #notices: Notices;
  readonly #listeners = new Set<() => void>();
  readonly #statusListeners = new Set<(status: SyncStatus) => void>();

  #view: ViewModel;
  #version = 0;
  #session: Session | undefined;
  #starting: Promise<void> | undefined;
  #conflicts: StoredConflict[] = [];
  #deadLetterIds = new Set<number>();
  #deadLetterCount = 0;
  #status: SyncStatus;

  // Network state, owned by the leader and shared with the other tabs.
  #leader = false;
  #leave: (() => void) | undefined;
  #stream: PokeStream | undefined;
  #pollTimer: unknown;
  #stuckTimer: unknown;
  #networkUp = true;
  #signedOut = false;
  #pulling: Promise<void> | undefined;
  #pullAgain = false;
  #lastSyncedAt: number | null = null;
  #lastError: { code: string; message: string } | null = null;
  #shared: SharedStatus | undefined;
  #storageEvicted = false;
  #pushed = 0;
  #writes = 0;
  #refreshing: Promise<void> | undefined;
  #refreshRows: Map<string, readonly [string, string]> | "all" = new Map();
  #refreshAgain = false;
  #removeWindowListeners: (() => void) | undefined;

  constructor(options: SyncClientOptions) {
    this.#options = options;
    this.#schema = options.schema;
    this.#now = options.now ?? Date.now;
    this.#timers = options.timers ?? defaultTimers;
    this.#random = options.random ?? Math.random;
    this.#view = new ViewModel(options.schema);
    this.#notices = new Notices(this.#now, () => this.#emitStatus());
    const fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.#transport = createHttpTransport({
      baseUrl: options.baseUrl,
      fetch: fetchImpl,
      now: this.#now,
      ...(options.headers ? { headers: options.headers } : {}),
    });
    this.#status = this.#computeStatus();
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
    const session = await this.#open();
    this.#session = session;
    session.queue.subscribe((state) => this.#onQueueState(state));
    await session.queue.refresh();
    await this.#reload(session, "all", false);
    session.channel?.addEventListener("message", (event) => this.#onMessage(event.data));
    this.#post({ type: "hello", from: this.#tabId });
    this.#watchWindow();
    this.#requestPersistence();
    this.#checkQuota();
    if (this.#options.autoSync !== false) {
      const leader = this.#options.leader ?? defaultLeader();
      this.#leave = leader.campaign(
        `sync-client:${this.#options.dbName}`,
        () => this.#becomeLeader(),
        () => this.#stopLeading(),
      );
    }
    this.#emitStatus();
  }

  async #open(): Promise<Session> {
    const dbName = this.#options.dbName;
    const store = await (this.#options.localStore
      ? this.#options.localStore(dbName)
      : openIdbLocalStore({
          dbName,
          ...(this.#options.indexedDB ? { indexedDB: this.#options.indexedDB } : {}),
          onTerminated: () => this.#onStorageLost(),
        }));
    const { meta, created } = await store.openMeta(() => ({
      version: 1,
      clientId: uuidv7(),
      nodeId: createNodeId(),
      createdAt: this.#now(),
      cursor: 0,
      lastHlc: null,
    }));
    const kv = this.#keyValueStorage();
    const marker = readMarker(kv, dbName);
    if (created && wasEvicted(marker, meta.createdAt)) {
      this.#storageEvicted = true;
      this.#notices.add(
        "error",
        `The browser cleared this device's copy of your data, and ${marker?.pending ?? 0} unsynced change(s) with it. What the server has was kept.`,
      );
    }
    const clock = new HybridClock({
      node: meta.nodeId,
      now: this.#now,
      ...(meta.lastHlc ? { last: meta.lastHlc } : {}),
    });
    const queue = new Queue<PendingOp>({
      storage: store.queue,
      process: (batch) => this.#push(batch),
      batchSize: Math.min(this.#options.pushBatchSize ?? DEFAULT_BATCH, LIMITS.maxOpsPerPush),
      backoff: this.#options.backoff ?? {},
      dependents: createDependents(this.#schema),
      now: this.#now,
      random: this.#random,
      timers: this.#timers,
      onError: (error) => this.#fail(error),
    });
    // Only the leader drains; every tab starts as a follower.
    queue.pause();
    const channelFactory =
      this.#options.channel === undefined ? defaultChannel() : this.#options.channel;
    const channel = channelFactory ? channelFactory(`sync-client:${dbName}`) : null;
    const session: Session = { store, meta, clock, queue, channel };
    writeMarker(kv, dbName, { createdAt: meta.createdAt, pending: await store.queue.count() });
    return session;
  }

  async stop(): Promise<void> {
    await this.#starting?.catch(() => undefined);
    const session = this.#session;
    if (!session) return;
    this.#session = undefined;
    this.#starting = undefined;
    this.#leave?.();
    this.#leave = undefined;
    this.#stopLeading();
    this.#removeWindowListeners?.();
    this.#clearTimer(this.#stuckTimer);
    session.channel?.close();
    await session.queue.close();
    await session.store.close();
  }

  // ---- reads -----------------------------------------------------------------------------

  list(
    entity: string,
    filter?: (record: ViewRecord) => boolean,
    options?: { includeDeleted?: boolean },
  ): ViewRecord[] {
    return this.#view
      .list(entity)
      .filter((r) => (options?.includeDeleted || !r.deleted) && (!filter || filter(r)));
  }

  get(entity: string, id: string): ViewRecord | undefined {
    return this.#view.get(entity, id);
  }

  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  };

  getVersion = (): number => this.#version;

  getStatus = (): SyncStatus => this.#status;

  subscribeStatus = (listener: (status: SyncStatus) => void): (() => void) => {
    this.#statusListeners.add(listener);
    return () => {
      this.#statusListeners.delete(listener);
    };
  };

  // ---- writes (rules C3, C6) -------------------------------------------------------------

  async create(entity: string, fields: FieldMap, id?: string): Promise<string> {
    const recordId = id ?? uuidv7();
    await this.#write("create", entity, recordId, fields);
    return recordId;
  }

  update(entity: string, id: string, fields: FieldMap): Promise<void> {
    return this.#write("update", entity, id, fields);
  }

  increment(entity: string, id: string, field: string, delta: number): Promise<void> {
    return this.#write("increment", entity, id, { [field]: delta });
  }

  remove(entity: string, id: string): Promise<void> {
    return this.#write("delete", entity, id, {});
  }

  restore(entity: string, id: string): Promise<void> {
    return this.#write("restore", entity, id, {});
  }

  async #write(
    kind: OpKind,
    entity: string,
    id: string,
    fields: FieldMap,
    baseOverride?: Record<string, string>,
  ): Promise<void> {
    const session = this.#requireSession();
    const draft: PendingOp = {
      opId: uuidv7(),
      clientId: session.meta.clientId,
      entity,
      id,
      kind,
      fields,
      hlc: NO_HLC,
    };
    const base = this.#baseFor(draft, baseOverride);
    const op: PendingOp = base ? { ...draft, base } : draft;
    this.#check(op);
    let entry: QueueEntry<PendingOp>;
    try {
      const hlc = await this.#nextHlc(session);
      entry = await session.queue.enqueue({ ...op, hlc });
    } catch (error) {
      // The write rejects either way; a full disk also deserves a word to the person.
      if (error instanceof Error && error.name === "QuotaExceededError") {
        this.#notices.add(
          "error",
          "This device is out of storage space: the change was not saved.",
        );
      }
      throw error;
    }
    this.#applyPending([...this.#view.pendingEntries(), entry]);
    this.#changed([]);
    this.#afterWrite(session);
  }

  /** "Ask" fields carry the clock of the value the person saw: the rebased view's clock. */
  #baseFor(op: PendingOp, override?: Record<string, string>): Record<string, string> | undefined {
    if (op.kind !== "update") return undefined;
    const definition = this.#schema.get(op.entity);
    const state = this.#view.state(op.entity, op.id);
    const base: Record<string, string> = {};
    for (const name of Object.keys(op.fields)) {
      if (definition?.fields[name]?.merge !== "ask") continue;
      const clock = override?.[name] ?? state?.clocks[name];
      if (clock) base[name] = clock;
    }
    return Object.keys(base).length > 0 ? base : undefined;
  }

  /** Invalid input throws with the server's error code, and nothing is queued. */
  #check(op: PendingOp): void {
    const operation = { ...op, seq: 1 };
    const definition = this.#schema.get(op.entity);
    const valid = definition
      ? applyOperation(definition, this.#view.state(op.entity, op.id), operation)
      : undefined;
    const checked = validateOperation(this.#schema, operation);
    const rejection = !checked.ok ? checked : valid && !valid.ok ? valid : undefined;
    if (rejection) throw new SyncClientError(rejection.code, rejection.message);
  }

  /** Next HLC, read-modify-write on the meta so it never goes back across reloads and tabs. */
  async #nextHlc(session: Session): Promise<string> {
    let hlc = NO_HLC;
    session.meta = await session.store.updateMeta((meta) => {
      if (meta.lastHlc && meta.lastHlc > session.clock.last()) {
        session.clock = new HybridClock({
          node: meta.nodeId,
          now: this.#now,
          last: meta.lastHlc,
          offsetMs: session.clock.offsetMs,
        });
      }
      hlc = session.clock.now();
      return { ...meta, lastHlc: hlc };
    });
    return hlc;
  }

  #afterWrite(session: Session): void {
    this.#writeMarker(session);
    if (++this.#writes % QUOTA_CHECK_EVERY === 0) this.#checkQuota();
  }

  // ---- dead letters and conflicts (rules C6, C7, C9) -------------------------------------

  async deadLetters(): Promise<DeadLetterView[]> {
    const session = this.#requireSession();
    const letters = await session.queue.deadLetters();
    return letters.map((letter) => ({
      id: letter.id,
      entity: letter.item.entity,
      recordId: letter.item.id,
      kind: letter.item.kind,
      fields: letter.item.fields,
      code: letter.reason.code,
      message: letter.reason.message,
      failedAt: letter.failedAt,
      groupId: letter.groupId ?? null,
    }));
  }

  /** Requeues at the end with a new opId (the server remembers the old one as rejected). */
  async retryDeadLetter(id: number): Promise<void> {
    const session = this.#requireSession();
    const hlc = await this.#nextHlc(session);
    await session.queue.retryDeadLetter(id, (item) => {
      const fresh: PendingOp = { ...item, opId: uuidv7(), hlc };
      const { base: _stale, ...rest } = fresh;
      const base = this.#baseFor(rest);
      return base ? { ...rest, base } : rest;
    });
    await this.#refresh();
    this.#changed([]);
  }

  async discardDeadLetter(id: number): Promise<void> {
    const session = this.#requireSession();
    await session.queue.discardDeadLetter(id);
    await this.#refresh();
    this.#changed([]);
  }

  conflicts(): ConflictView[] {
    return this.#conflicts;
  }

  async resolveConflict(key: string, choice: ConflictChoice): Promise<void> {
    const session = this.#requireSession();
    const conflict = this.#conflicts.find((c) => c.key === key);
    if (!conflict) {
      throw new SyncClientError(CLIENT_ERROR_CODES.conflictNotFound, `no open conflict ${key}`);
    }
    if (!("keep" in choice) || choice.keep === "mine") {
      const value = "value" in choice ? choice.value : conflict.clientValue;
      // The person saw the server's value and chose: base is the server clock, so this wins.
      const base = conflict.serverHlc ? { [conflict.field]: conflict.serverHlc } : undefined;
      await this.#write(
        "update",
        conflict.entity,
        conflict.id,
        { [conflict.field]: value as FieldMap[string] },
        base,
      );
    }
    await session.store.deleteConflict(key);
    this.#conflicts = this.#conflicts.filter((c) => c.key !== key);
    this.#emitStatus();
    this.#changed([]);
  }

  notices(): Notice[] {
    return this.#notices.list();
  }

  dismissNotice(id: string): void {
    this.#notices.dismiss(id);
  }

  // ---- sync (rules C4, C8, C10) ----------------------------------------------------------

  async syncNow(): Promise<void> {
    const session = this.#requireSession();
    if (!this.#leader) {
      this.#changed([]);
      return;
    }
    session.queue.retryNow();
    await Promise.all([session.queue.drain(), this.#pull()]);
  }

  async resumeAfterSignIn(): Promise<void> {
    const session = this.#requireSession();
    this.#signedOut = false;
    this.#lastError = null;
    if (this.#leader) {
      session.queue.resume();
      this.#startNetwork();
      await Promise.all([session.queue.drain(), this.#pull()]);
    } else {
      // The leader is the one that stopped on the 401: it resumes.
      this.#post({ type: "resume", from: this.#tabId });
    }
    this.#emitStatus();
  }

  async drainOnce(): Promise<{ pushed: number; remaining: number }> {
    if (this.#session) {
      const before = this.#pushed;
      this.#session.queue.retryNow();
      await this.#session.queue.drain();
      return { pushed: this.#pushed - before, remaining: this.#session.queue.getState().pending };
    }
    // Service worker: no leader, stream or timers; open, push what is pending, close.
    const session = await this.#open();
    this.#session = session;
    try {
      await this.#reload(session, "all", false);
      session.queue.resume();
      await session.queue.drain();
      await session.queue.refresh();
      return { pushed: this.#pushed, remaining: session.queue.getState().pending };
    } finally {
      this.#session = undefined;
      session.channel?.close();
      await session.queue.close();
      await session.store.close();
    }
  }

  async #push(batch: readonly QueueEntry<PendingOp>[]): Promise<EntryOutcome[]> {
    const session = this.#requireSession();
    let response: Awaited<ReturnType<Transport["push"]>>;
    try {
      response = await this.#transport.push({
        protocolVersion: PROTOCOL_VERSION,
        clientId: session.meta.clientId,
        ops: batch.map((entry) => ({ ...entry.item, seq: entry.seq })),
      });
    } catch (error) {
      this.#onTransportError(error);
      throw toQueueFailure(error, this.#now());
    }
    this.#onExchange(session, response);
    const settled = settlePush(batch, response.body, this.#now());
    // C5: canonical rows, removal of the settled ops and conflicts commit together.
    const written = await session.store.acknowledge(settled);
    this.#pushed += settled.doneSeqs.length;
    this.#seeClocks(session, settled.rows);
    const keys = this.#view.putConfirmed(written);
    keys.push(...this.#view.settle(settled.doneSeqs));
    if (settled.conflicts.length > 0) {
      const fresh = new Set(settled.conflicts.map((c) => c.key));
      this.#conflicts = [...this.#conflicts.filter((c) => !fresh.has(c.key)), ...settled.conflicts];
      this.#notices.add(
        "warning",
        `${settled.conflicts.length} change(s) conflict with someone else's: choose which to keep.`,
      );
    }
    this.#recompute(keys);
    this.#changed(written);
    return settled.outcomes;
  }

  /** Pulls from the cursor until `hasMore` is false; concurrent calls coalesce. */
  #pull(): Promise<void> {
    if (this.#pulling) {
      this.#pullAgain = true;
      return this.#pulling;
    }
    this.#pulling = (async () => {
      try {
        do {
          this.#pullAgain = false;
          await this.#pullPages();
        } while (this.#pullAgain && this.#leader && !this.#signedOut);
      } finally {
        this.#pulling = undefined;
        this.#emitStatus();
      }
    })();
    this.#emitStatus();
    return this.#pulling;
  }

  async #pullPages(): Promise<void> {
    const session = this.#requireSession();
    for (;;) {
      let page: Awaited<ReturnType<Transport["pull"]>>;
      try {
        page = await this.#transport.pull(session.meta.cursor, LIMITS.defaultPullLimit);
      } catch (error) {
        if (error instanceof TransportError && error.code === ErrorCode.RESET_REQUIRED) {
          await this.#resync(session);
          return;
        }
        this.#onTransportError(error);
        if (error instanceof TransportError) return;
        throw error;
      }
      this.#onExchange(session, page);
      const { rows, cursor, hasMore } = page.body;
      const written = await session.store.applyPull(rows, cursor);
      session.meta = { ...session.meta, cursor: Math.max(session.meta.cursor, cursor) };
      this.#seeClocks(session, rows);
      this.#recompute(this.#view.putConfirmed(written));
      if (written.length > 0) this.#changed(written);
      if (!hasMore) break;
    }
    this.#lastSyncedAt = this.#now();
  }

  /** C10: RESET_REQUIRED: pull everything from 0, then replace the confirmed set in one go. */
  async #resync(session: Session): Promise<void> {
    const rows: Row[] = [];
    let cursor = 0;
    for (;;) {
      const page = await this.#transport.pull(cursor, LIMITS.defaultPullLimit);
      this.#onExchange(session, page);
      rows.push(...page.body.rows);
      cursor = page.body.cursor;
      if (!page.body.hasMore) break;
    }
    // Several pages may carry the same row; the highest version wins.
    const latest = new Map<string, Row>();
    for (const row of rows) {
      const key = recordKey(row.entity, row.id);
      const seen = latest.get(key);
      if (!seen || seen.version <= row.version) latest.set(key, row);
    }
    const all = [...latest.values()];
    await session.store.replaceAll(all, cursor);
    session.meta = { ...session.meta, cursor };
    this.#seeClocks(session, all);
    this.#recompute(this.#view.replaceConfirmed(all));
    this.#lastSyncedAt = this.#now();
    this.#changed("all");
  }

  /** Any answer: the network is up, and serverTime refines the clock offset (NTP-like). */
  #onExchange(
    session: Session,
    timed: { body: { serverTime: number }; sentAt: number; receivedAt: number },
  ): void {
    this.#networkUp = true;
    this.#lastError = null;
    const offset = timed.body.serverTime - (timed.sentAt + timed.receivedAt) / 2;
    session.clock.setOffset(offset);
    this.#emitStatus();
  }

  /** Later local writes must follow every clock we have seen (causality across replicas). */
  #seeClocks(session: Session, rows: readonly Row[]): void {
    let newest: string | undefined;
    for (const row of rows) {
      for (const hlc of Object.values(row.clocks)) if (!newest || hlc > newest) newest = hlc;
    }
    // "restamp": a far-ahead remote clock must not drag ours along (guarantee 5).
    if (newest && newest > session.clock.last()) session.clock.stamp(newest, "restamp");
  }

  #onTransportError(error: unknown): void {
    if (!(error instanceof TransportError)) return;
    if (error.status === 0) {
      this.#networkUp = false;
    } else if (error.status === 401) {
      this.#signedOut = true;
      this.#session?.queue.pause();
      this.#stopNetwork();
    } else {
      this.#networkUp = true;
      this.#lastError = { code: error.code, message: error.message };
    }
    this.#emitStatus();
  }

  // ---- leadership and tabs (rule C13) ----------------------------------------------------

  async #becomeLeader(): Promise<void> {
    const session = this.#session;
    if (!session) return;
    this.#leader = true;
    try {
      // A follower's memory may be behind what the old leader stored.
      session.meta = await session.store.readMeta();
      await this.#refresh("all");
      // Stopped or demoted while reading: starting the network now would outlive the session.
      if (this.#session !== session || !this.#leader) return;
      if (!this.#signedOut) {
        session.queue.resume();
        this.#startNetwork();
        this.#kickPull();
      }
    } catch (error) {
      this.#fail(error);
    }
    this.#emitStatus();
  }

  #stopLeading(): void {
    if (!this.#leader) return;
    this.#leader = false;
    this.#session?.queue.pause();
    this.#stopNetwork();
    this.#emitStatus();
  }

  #startNetwork(): void {
    const open = this.#eventSourceFactory();
    if (open && !this.#stream) {
      this.#stream = new PokeStream({
        url: `${this.#options.baseUrl}/api/sync/stream`,
        open,
        onPoke: (cursor) => {
          if (!this.#session || cursor > this.#session.meta.cursor) this.#kickPull();
          this.#session?.queue.retryNow();
        },
        onOpen: () => {
          this.#networkUp = true;
          this.#kickPull();
          this.#session?.queue.retryNow();
        },
        timers: this.#timers,
        random: this.#random,
        backoff: this.#options.backoff ?? {},
      });
      this.#stream.start();
    }
    this.#schedulePoll();
  }

  #stopNetwork(): void {
    this.#stream?.stop();
    this.#stream = undefined;
    this.#clearTimer(this.#pollTimer);
    this.#pollTimer = undefined;
  }

  #schedulePoll(): void {
    this.#clearTimer(this.#pollTimer);
    this.#pollTimer = this.#timers.setTimeout(() => {
      this.#pollTimer = undefined;
      if (!this.#leader || this.#signedOut) return;
      this.#kickPull();
      this.#session?.queue.drain().catch((error: unknown) => this.#fail(error));
      this.#schedulePoll();
    }, this.#options.pollIntervalMs ?? DEFAULT_POLL_MS);
  }

  #kickPull(): void {
    if (!this.#leader || this.#signedOut) return;
    this.#pull().catch((error: unknown) => this.#fail(error));
  }

  #eventSourceFactory(): ((url: string) => EventSourceLike) | null {
    if (this.#options.eventSource !== undefined) return this.#options.eventSource;
    const EventSourceCtor = (
      globalThis as { EventSource?: new (url: string, init?: object) => EventSourceLike }
    ).EventSource;
    return EventSourceCtor ? (url) => new EventSourceCtor(url, { withCredentials: true }) : null;
  }

  #onMessage(data: unknown): void {
    if (!isTabMessage(data) || data.from === this.#tabId || !this.#session) return;
    if (data.type === "status") {
      this.#shared = data.status;
      this.#emitStatus();
    } else if (data.type === "resume") {
      if (this.#leader) this.resumeAfterSignIn().catch((error: unknown) => this.#fail(error));
    } else if (data.type === "hello") {
      if (this.#leader) this.#post({ type: "status", from: this.#tabId, status: this.#net() });
    } else {
      this.#refresh(data.rows)
        .then(() => {
          if (this.#leader) {
            this.#session?.queue.drain().catch((error: unknown) => this.#fail(error));
          }
        })
        .catch((error: unknown) => this.#fail(error));
    }
  }

  /** Tells the other tabs to re-read: pending work always, and these confirmed rows. */
  #changed(rows: readonly Row[] | "all"): void {
    const keys = rows === "all" ? "all" : rows.map((row) => [row.entity, row.id] as const);
    this.#post({ type: "changed", from: this.#tabId, rows: keys });
  }

  #post(message: TabMessage): void {
    this.#session?.channel?.postMessage(message);
  }

  // ---- store reloads ---------------------------------------------------------------------

  /**
   * Re-reads what another tab (or the queue) may have changed: pending work, dead letters and
   * conflicts always, confirmed rows only those named. Concurrent calls coalesce.
   */
  #refresh(rows: readonly (readonly [string, string])[] | "all" = []): Promise<void> {
    if (rows === "all" || this.#refreshRows === "all") this.#refreshRows = "all";
    else for (const key of rows) this.#refreshRows.set(recordKey(key[0], key[1]), key);
    if (this.#refreshing) {
      this.#refreshAgain = true;
      return this.#refreshing;
    }
    this.#refreshing = (async () => {
      try {
        do {
          this.#refreshAgain = false;
          const scope = this.#refreshRows === "all" ? "all" : [...this.#refreshRows.values()];
          this.#refreshRows = new Map();
          const session = this.#session;
          if (session) await this.#reload(session, scope, true);
        } while (this.#refreshAgain);
      } finally {
        this.#refreshing = undefined;
      }
    })();
    return this.#refreshing;
  }

  async #reload(
    session: Session,
    rows: readonly (readonly [string, string])[] | "all",
    announce: boolean,
  ): Promise<void> {
    const [confirmed, pending, conflicts, letters] = await Promise.all([
      rows === "all" ? session.store.allRows() : session.store.getRows(rows),
      session.store.queue.list(),
      session.store.conflicts(),
      session.store.queue.listDeadLetters(),
    ]);
    await session.queue.refresh();
    this.#seeClocks(session, confirmed);
    const keys =
      rows === "all" ? this.#view.replaceConfirmed(confirmed) : this.#view.putConfirmed(confirmed);
    keys.push(...this.#view.setPending(pending));
    this.#conflicts = conflicts;
    const fresh = letters.filter((letter) => !this.#deadLetterIds.has(letter.id));
    this.#deadLetterIds = new Set(letters.map((letter) => letter.id));
    this.#deadLetterCount = letters.length;
    if (announce && fresh.length > 0) this.#announceDeadLetters(fresh);
    this.#recompute(keys);
    this.#writeMarker(session);
    this.#emitStatus();
  }

  /** One notice per group: a rejected create and the edits that failed with it. */
  #announceDeadLetters(
    letters: readonly { item: PendingOp; reason: { message: string }; groupId?: string }[],
  ): void {
    const groups = new Map<string, typeof letters>();
    for (const letter of letters) {
      const group = letter.groupId ?? `${letter.item.opId}`;
      groups.set(group, [...(groups.get(group) ?? []), letter]);
    }
    for (const group of groups.values()) {
      const first = group[0];
      if (!first) continue;
      const what =
        group.length === 1
          ? `A change to ${first.item.entity} was`
          : `${group.length} changes to ${first.item.entity} were`;
      this.#notices.add(
        "error",
        `${what} refused by the server (${first.reason.message}) and undone. See failed changes to retry or discard.`,
      );
    }
  }

  #onQueueState(state: QueueState): void {
    if (state.status === "auth-required" && !this.#signedOut) {
      this.#signedOut = true;
      this.#stopNetwork();
    }
    const deadChanged = state.deadLetters !== this.#deadLetterCount;
    if (deadChanged || state.pending !== this.#view.pendingCount()) {
      this.#refresh().catch((error: unknown) => this.#fail(error));
    }
    this.#emitStatus();
  }

  #applyPending(entries: readonly QueueEntry<PendingOp>[]): void {
    this.#recompute(this.#view.setPending(entries));
  }

  #recompute(keys: readonly string[]): void {
    if (this.#view.recompute(keys)) {
      this.#version++;
      for (const listener of [...this.#listeners]) listener();
    }
    this.#emitStatus();
  }

  // ---- status ----------------------------------------------------------------------------

  #net(): SharedStatus {
    const queue = this.#session?.queue.getState();
    const platformOnline = this.#platformOnline();
    const online = platformOnline && this.#networkUp;
    const signedOut = this.#signedOut || queue?.status === "auth-required";
    const pending = queue?.pending ?? 0;
    const stuck = isStuck({
      online,
      signedOut,
      pending,
      oldestEnqueuedAt: queue?.oldestEnqueuedAt ?? null,
      lastProgressAt: queue?.lastProgressAt ?? null,
      now: this.#now(),
      stuckAfterMs: this.#options.stuckAfterMs ?? DEFAULT_STUCK_MS,
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
        this.#leader &&
        (queue?.status === "processing" ||
          this.#pulling !== undefined ||
          this.#lastSyncedAt === null),
      stuck: stuck.stuck,
      signedOut,
      lastSyncedAt: this.#lastSyncedAt,
      lastError: signedOut || !online ? null : (this.#lastError ?? queueError),
    };
  }

  #computeStatus(): SyncStatus {
    const queue = this.#session?.queue.getState();
    const own = this.#net();
    // Followers show the leader's view of the network, when they have heard it.
    const net =
      this.#leader || !this.#shared
        ? own
        : { ...this.#shared, online: this.#shared.online && this.#platformOnline() };
    return computeStatus({
      net: this.#session ? net : { ...net, syncing: false },
      pendingCount: queue?.pending ?? 0,
      oldestPendingAt: queue?.oldestEnqueuedAt ?? null,
      deadLetterCount: queue?.deadLetters ?? this.#deadLetterCount,
      conflictCount: this.#conflicts.length,
      noticeCount: this.#notices.list().length,
      leader: this.#leader,
      storageEvicted: this.#storageEvicted,
    });
  }

  #emitStatus(): void {
    const next = this.#computeStatus();
    if (sameStatus(next, this.#status)) return;
    const before = this.#status;
    this.#status = next;
    if (this.#leader && this.#session) {
      this.#post({ type: "status", from: this.#tabId, status: this.#net() });
    }
    if (before.pendingCount !== next.pendingCount && this.#session)
      this.#writeMarker(this.#session);
    for (const listener of [...this.#statusListeners]) listener(next);
  }

  #scheduleStuckCheck(inMs: number | null): void {
    this.#clearTimer(this.#stuckTimer);
    this.#stuckTimer = undefined;
    if (inMs === null || !this.#session) return;
    this.#stuckTimer = this.#timers.setTimeout(() => {
      this.#stuckTimer = undefined;
      this.#emitStatus();
    }, inMs);
  }

  #platformOnline(): boolean {
    if (this.#options.isOnline) return this.#options.isOnline();
    const onLine = (globalThis.navigator as { onLine?: boolean } | undefined)?.onLine;
    return onLine ?? true;
  }

  // ---- platform --------------------------------------------------------------------------

  #watchWindow(): void {
    const target = globalThis as {
      addEventListener?: (type: string, listener: () => void) => void;
      removeEventListener?: (type: string, listener: () => void) => void;
    };
    if (typeof target.addEventListener !== "function") return;
    const online = (): void => {
      this.#networkUp = true;
      this.#session?.queue.retryNow();
      this.#kickPull();
      if (this.#leader && !this.#signedOut) {
        // A stream that died while offline reconnects now rather than after its backoff.
        this.#stopNetwork();
        this.#startNetwork();
      }
      this.#emitStatus();
    };
    const offline = (): void => this.#emitStatus();
    target.addEventListener("online", online);
    target.addEventListener("offline", offline);
    this.#removeWindowListeners = () => {
      target.removeEventListener?.("online", online);
      target.removeEventListener?.("offline", offline);
    };
  }

  #keyValueStorage() {
    return this.#options.keyValueStorage === undefined
      ? defaultKeyValueStorage()
      : this.#options.keyValueStorage;
  }

  #storageManager() {
    return this.#options.storageManager === undefined
      ? defaultStorageManager()
      : this.#options.storageManager;
  }

  #writeMarker(session: Session): void {
    const pending = session.queue.getState().pending;
    writeMarker(this.#keyValueStorage(), this.#options.dbName, {
      createdAt: session.meta.createdAt,
      pending,
    });
  }

  #requestPersistence(): void {
    const storage = this.#storageManager();
    if (!storage?.persist) return;
    const ask = async (): Promise<void> => {
      if (storage.persisted && (await storage.persisted())) return;
      const granted = await storage.persist?.();
      if (granted === false) {
        this.#notices.add(
          "info",
          "This browser may clear offline data when space runs low; sync regularly.",
        );
      }
    };
    ask().catch((error: unknown) => this.#fail(error));
  }

  #checkQuota(): void {
    quotaWarning(this.#storageManager())
      .then((warning) => {
        if (warning && !this.#notices.has(warning)) this.#notices.add("warning", warning);
      })
      .catch((error: unknown) => this.#fail(error));
  }

  #onStorageLost(): void {
    this.#lastError = {
      code: CLIENT_ERROR_CODES.storage,
      message: "the local database was closed by the browser",
    };
    this.#notices.add("error", "The local database was closed by the browser; reload the page.");
    this.#emitStatus();
  }

  /** Background failures nobody awaits: recorded in the status and told to the person. */
  #fail(error: unknown): void {
    if (error instanceof TransportError) {
      this.#onTransportError(error);
      return;
    }
    this.#lastError = errorInfo(error);
    this.#notices.add("error", `Sync problem: ${this.#lastError.message}`);
    this.#emitStatus();
  }

  #requireSession(): Session {
    if (!this.#session) {
      throw new SyncClientError(CLIENT_ERROR_CODES.notStarted, "call start() first");
    }
    return this.#session;
  }

  #clearTimer(handle: unknown): void {
    if (handle !== undefined) this.#timers.clearTimeout(handle);
  }
}
