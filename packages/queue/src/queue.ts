import { type BackoffOptions, backoffDelay } from "./backoff";
import { BatchNarrowing } from "./batch-narrowing";
import { type EntryOutcome, settle } from "./outcomes";
import { QUEUE_ERROR_CODES, QueueError, toFailureReason, toQueueError } from "./queue-error";
import { INITIAL_STATE, type QueueState, type QueueStatus, sameState } from "./queue-state";
import type { DeadLetter, FailureReason, QueueEntry, QueueStorage } from "./storage";

/**
 * Hands a batch (oldest first) to the outside world. Return one outcome per
 * entry you finished; entries without an outcome stay pending, in place.
 * Throw a `QueueError` for a failure of the whole batch: `transient` (retry
 * with backoff), `auth` (stop until `resume()`), `permanent` (the batch is
 * narrowed down until the culprit is found). Anything else thrown counts as
 * transient.
 */
export type Processor<T> = (batch: readonly QueueEntry<T>[]) => Promise<readonly EntryOutcome[]>;

export interface QueueTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface QueueOptions<T> {
  storage: QueueStorage<T>;
  process: Processor<T>;
  /** Most entries per batch; default 100. */
  batchSize?: number;
  /** Exponential backoff with full jitter and a cap; defaults 500 ms / 30 s. */
  backoff?: BackoffOptions;
  random?: () => number;
  now?: () => number;
  timers?: QueueTimers;
  /** [Q6] Pending entries that must fail together with `failed` (e.g. later edits of the same record). */
  dependents?: (
    failed: QueueEntry<T>,
    pending: readonly QueueEntry<T>[],
  ) => readonly QueueEntry<T>[];
  /** Errors nobody awaits: storage failures of background drains, throwing listeners. */
  onError?: (error: unknown) => void;
}

const DEFAULT_BATCH_SIZE = 100;

const defaultTimers: QueueTimers = {
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as Parameters<typeof clearTimeout>[0]),
};

/**
 * A persistent queue of opaque operations, drained in order through one
 * processor. Rules (tests are named after them):
 * - Q1 `enqueue` resolves only once the entry is durable; a new Queue over
 *   the same storage (a reload) sees every pending entry, in order.
 * - Q2 One processor call at a time; batches in seq order, each starting at
 *   the oldest pending entry; concurrent `drain()` calls coalesce.
 * - Q3 Transient failure: attempts recorded, backoff with full jitter capped
 *   at `maxMs`, at least `retryAfterMs`; order kept; a timer resumes.
 * - Q4 Permanent failure of an entry: dead-lettered with its reason, the
 *   rest goes on. A batch that fails permanently is halved until the culprit
 *   is alone, so a poisoned entry never blocks the ones behind it.
 * - Q5 Auth failure: `auth-required`; nothing moves or retries until `resume()`.
 * - Q6 `dependents` of a rejected entry are dead-lettered with it, one group.
 * - Q7 Dead letters can be listed, retried (appended at the END with a new
 *   seq: it goes after everything pending, since its old place is gone) and
 *   discarded.
 * - Q8 Subscribers hear the pending count, status changes and progress.
 *
 * The constructor does no I/O: call `refresh()` to load the counts and
 * `drain()` to process what a previous session left.
 */
export class Queue<T> {
  readonly #storage: QueueStorage<T>;
  readonly #process: Processor<T>;
  readonly #batchSize: number;
  readonly #backoff: BackoffOptions;
  readonly #random: () => number;
  readonly #now: () => number;
  readonly #timers: QueueTimers;
  readonly #dependents: QueueOptions<T>["dependents"];
  readonly #onError: ((error: unknown) => void) | undefined;
  readonly #listeners = new Set<(state: QueueState) => void>();

  #state: QueueState = INITIAL_STATE;
  #paused = false;
  #authBlocked = false;
  #closed = false;
  #closing: Promise<void> | undefined;
  #inFlight = false;
  #retryTimer: { handle?: unknown } | undefined;
  #wanted = false;
  #running: Promise<void> | undefined;
  /** Bumped by every local write, so a count read that raced one is read again. */
  #writes = 0;
  readonly #narrowing: BatchNarrowing;

  constructor(options: QueueOptions<T>) {
    const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
    if (!Number.isInteger(batchSize) || batchSize < 1) {
      throw new RangeError(`batchSize must be a positive integer, got ${batchSize}`);
    }
    this.#storage = options.storage;
    this.#process = options.process;
    this.#batchSize = batchSize;
    this.#narrowing = new BatchNarrowing(batchSize);
    this.#backoff = options.backoff ?? {};
    this.#random = options.random ?? Math.random;
    this.#now = options.now ?? Date.now;
    this.#timers = options.timers ?? defaultTimers;
    this.#dependents = options.dependents;
    this.#onError = options.onError;
  }

  /** [Q1] Resolves once the entry is durable, then starts a drain. */
  enqueue(item: T): Promise<QueueEntry<T>> {
    return this.enqueueWith((enqueuedAt) => this.#storage.append(item, enqueuedAt));
  }

  /**
   * [Q1] `enqueue` for a host that appends the entry itself, in a transaction that also writes
   * state of its own (the IndexedDB record layout is documented for that). `append` must keep
   * the contract of `QueueStorage.append` on this queue's storage: the entry is durable when it
   * resolves, and its seq comes from the storage.
   */
  async enqueueWith(
    append: (enqueuedAt: number) => Promise<QueueEntry<T>>,
  ): Promise<QueueEntry<T>> {
    if (this.#closed) throw closedError();
    const entry = await append(this.#now());
    this.#writes++;
    this.#update({
      pending: this.#state.pending + 1,
      oldestEnqueuedAt: this.#state.oldestEnqueuedAt ?? entry.enqueuedAt,
    });
    this.#kick();
    return entry;
  }

  /**
   * [Q2] Processes batches until the queue is empty or blocked (backoff,
   * pause, auth). Calls while a drain runs join it and make it look again.
   * Rejects only on storage errors (after scheduling a retry).
   */
  drain(): Promise<void> {
    if (this.#closed) return this.#running ?? Promise.resolve();
    this.#wanted = true;
    if (this.#running === undefined) this.#running = this.#run();
    return this.#running;
  }

  /** Re-reads counts from storage (another tab appended) and notifies. Starts no drain. */
  async refresh(): Promise<void> {
    if (this.#closed) return;
    await this.#refreshCounts();
  }

  pause(): void {
    if (this.#closed) return;
    this.#paused = true;
    this.#clearRetryTimer();
    this.#update({});
  }

  /** Ends a manual pause and an auth stop, and retries at once. */
  resume(): void {
    if (this.#closed) return;
    this.#paused = false;
    this.#authBlocked = false;
    this.#clearRetryTimer();
    this.#update({});
    this.#kick();
  }

  /** Skips the current backoff wait (e.g. on the `online` event). No effect when paused or auth-required. */
  retryNow(): void {
    if (this.#closed || this.#paused || this.#authBlocked) return;
    this.#clearRetryTimer();
    this.#update({});
    this.#kick();
  }

  getState(): QueueState {
    return this.#state;
  }

  /** The listener hears every later change of state (not the current one: read `getState()`). */
  subscribe(listener: (state: QueueState) => void): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  pending(): Promise<QueueEntry<T>[]> {
    return this.#storage.list();
  }

  deadLetters(): Promise<DeadLetter<T>[]> {
    return this.#storage.listDeadLetters();
  }

  /** [Q7] Moves a dead letter back to the END of the queue (new seq), atomically. */
  async retryDeadLetter(id: number, rewrite?: (item: T) => T): Promise<QueueEntry<T>> {
    if (this.#closed) throw closedError();
    const letter = (await this.#storage.listDeadLetters()).find((d) => d.id === id);
    const item = letter && (rewrite ? rewrite(letter.item) : letter.item);
    const entry = letter && (await this.#storage.requeueDeadLetter(id, item as T, this.#now()));
    if (!entry) {
      throw new QueueError(
        "permanent",
        QUEUE_ERROR_CODES.deadLetterNotFound,
        `no dead letter ${id}`,
      );
    }
    this.#writes++;
    await this.#refreshCounts();
    this.#kick();
    return entry;
  }

  /**
   * [Q7] Retries every dead letter of a group (a failed entry and its
   * dependents), keeping their original relative order at the END of the
   * queue. Each move is atomic; a crash midway leaves the rest dead-lettered,
   * never lost. Returns the new entries.
   */
  async retryDeadLetterGroup(groupId: string, rewrite?: (item: T) => T): Promise<QueueEntry<T>[]> {
    if (this.#closed) throw closedError();
    const group = (await this.#storage.listDeadLetters())
      .filter((letter) => letter.groupId === groupId)
      .sort((a, b) => a.seq - b.seq);
    const entries: QueueEntry<T>[] = [];
    for (const letter of group) {
      const item = rewrite ? rewrite(letter.item) : letter.item;
      const entry = await this.#storage.requeueDeadLetter(letter.id, item, this.#now());
      this.#writes++;
      if (entry) entries.push(entry);
    }
    await this.#refreshCounts();
    if (entries.length > 0) this.#kick();
    return entries;
  }

  /** [Q7] Drops a dead letter for good. Unknown ids are ignored. */
  async discardDeadLetter(id: number): Promise<void> {
    if (this.#closed) throw closedError();
    await this.#storage.removeDeadLetter(id);
    this.#writes++;
    await this.#refreshCounts();
  }

  /** Stops timers, lets the in-flight batch finish, then closes the storage. */
  close(): Promise<void> {
    if (this.#closing) return this.#closing;
    this.#closed = true;
    this.#clearRetryTimer();
    this.#update({});
    const running = this.#running;
    this.#closing = (async () => {
      // A failed drain already reached its caller or onError.
      await running?.catch(() => undefined);
      await this.#storage.close();
    })();
    return this.#closing;
  }

  #canRun(): boolean {
    return !this.#closed && !this.#paused && !this.#authBlocked && this.#retryTimer === undefined;
  }

  #kick(): void {
    // Paused, blocked or waiting for a retry: whatever ends that kicks again (a follower tab's
    // writes then cost no drain attempt each).
    if (!this.#canRun()) return;
    this.drain().catch((error: unknown) => this.#report(error));
  }

  async #run(): Promise<void> {
    // Be asynchronous before the finally below, so drain() has stored #running when it clears it.
    await null;
    try {
      while (this.#wanted && this.#canRun()) {
        this.#wanted = false;
        await this.#drainPass();
      }
    } catch (error) {
      const failure =
        error instanceof QueueError
          ? error
          : new QueueError("transient", QUEUE_ERROR_CODES.storage, messageOf(error), {
              cause: error,
            });
      this.#scheduleRetry(failure);
      throw error;
    } finally {
      this.#running = undefined;
    }
  }

  async #drainPass(): Promise<void> {
    await this.#refreshCounts();
    while (this.#canRun()) {
      const batch = this.#narrowing.cut(await this.#storage.list(this.#batchSize));
      if (!this.#canRun() || batch.length === 0) return;
      await this.#processBatch(batch);
      await this.#refreshCounts();
    }
  }

  async #processBatch(batch: QueueEntry<T>[]): Promise<void> {
    this.#inFlight = true;
    this.#update({});
    try {
      let outcomes: readonly EntryOutcome[];
      try {
        outcomes = await this.#process(batch);
      } catch (error) {
        await this.#batchFailed(batch, toQueueError(error));
        return;
      }
      await this.#applyOutcomes(batch, outcomes);
    } finally {
      this.#inFlight = false;
      this.#update({});
    }
  }

  async #applyOutcomes(batch: QueueEntry<T>[], outcomes: readonly EntryOutcome[]): Promise<void> {
    const { done, rejected } = settle(batch, outcomes);
    if (done.length === 0 && rejected.length === 0) {
      // Retrying at once would spin; treat "nothing settled" as a transient failure.
      const message = "processor settled no entry of the batch";
      await this.#batchFailed(
        batch,
        new QueueError("transient", QUEUE_ERROR_CODES.noProgress, message),
      );
      return;
    }
    if (done.length > 0) await this.#storage.remove(done);
    const gone = new Set<number>();
    for (const { entry, reason } of rejected) {
      // Already moved as a dependent of an earlier rejected entry of this batch.
      if (gone.has(entry.seq)) continue;
      for (const seq of await this.#deadLetter(entry, reason)) gone.add(seq);
    }
    this.#progress();
  }

  async #batchFailed(batch: QueueEntry<T>[], error: QueueError): Promise<void> {
    const first = batch[0];
    if (error.kind === "auth") {
      this.#authBlocked = true;
      this.#update({ lastError: toFailureReason(error) });
    } else if (error.kind === "permanent" && batch.length === 1 && first) {
      await this.#deadLetter(first, toFailureReason(error));
      this.#progress();
    } else if (error.kind === "permanent") {
      this.#narrowing.narrow(batch);
    } else {
      await this.#storage.recordAttempt(
        batch.map((e) => e.seq),
        error.message,
      );
      this.#scheduleRetry(error);
    }
  }

  /** [Q4][Q6] Dead-letters `entry` with its dependents in one group; returns the seqs moved. */
  async #deadLetter(entry: QueueEntry<T>, reason: FailureReason): Promise<number[]> {
    let seqs = [entry.seq];
    if (this.#dependents) {
      const pending = await this.#storage.list();
      // Another queue over the same storage (a tab, a service worker) settled it already, with
      // its dependents: what is pending now came later (its retry, say) and may be applied.
      if (!pending.some((e) => e.seq === entry.seq)) return [];
      const others = pending.filter((e) => e.seq !== entry.seq);
      seqs = [entry.seq, ...this.#dependents(entry, others).map((e) => e.seq)];
    }
    const moved = await this.#storage.moveToDeadLetter(
      seqs,
      reason,
      this.#now(),
      `seq-${entry.seq}`,
    );
    this.#writes++;
    return moved.map((letter) => letter.seq);
  }

  #progress(): void {
    this.#update({ attempt: 0, nextRetryAt: null, lastError: null, lastProgressAt: this.#now() });
  }

  #scheduleRetry(error: QueueError): void {
    if (this.#closed) return;
    const attempt = this.#state.attempt + 1;
    const jittered = backoffDelay(attempt, this.#random, this.#backoff);
    const delay = Math.max(jittered, error.retryAfterMs ?? 0);
    this.#clearRetryTimer();
    // Stored before setTimeout, in case a timer implementation fires synchronously.
    const timer: { handle?: unknown } = {};
    this.#retryTimer = timer;
    this.#update({ attempt, nextRetryAt: this.#now() + delay, lastError: toFailureReason(error) });
    timer.handle = this.#timers.setTimeout(() => {
      if (this.#retryTimer !== timer) return;
      this.#retryTimer = undefined;
      this.#update({ nextRetryAt: null });
      this.#kick();
    }, delay);
  }

  #clearRetryTimer(): void {
    const timer = this.#retryTimer;
    if (!timer) return;
    this.#retryTimer = undefined;
    this.#timers.clearTimeout(timer.handle);
    this.#update({ nextRetryAt: null });
  }

  async #refreshCounts(): Promise<void> {
    for (;;) {
      const writes = this.#writes;
      const [pending, oldest, dead] = await Promise.all([
        this.#storage.count(),
        this.#storage.oldest(),
        this.#storage.listDeadLetters(),
      ]);
      if (writes !== this.#writes) continue;
      this.#update({
        pending,
        oldestEnqueuedAt: oldest?.enqueuedAt ?? null,
        deadLetters: dead.length,
      });
      return;
    }
  }

  #status(): QueueStatus {
    if (this.#closed) return "closed";
    if (this.#inFlight) return "processing";
    if (this.#authBlocked) return "auth-required";
    if (this.#paused) return "paused";
    if (this.#retryTimer) return "backoff";
    return "idle";
  }

  #update(patch: Partial<QueueState>): void {
    const next: QueueState = { ...this.#state, ...patch, status: this.#status() };
    if (sameState(next, this.#state)) return;
    this.#state = next;
    for (const listener of [...this.#listeners]) {
      try {
        listener(next);
      } catch (error) {
        this.#report(error);
      }
    }
  }

  #report(error: unknown): void {
    if (this.#onError) this.#onError(error);
    // Without a handler, surface it as an uncaught error rather than lose it.
    else
      queueMicrotask(() => {
        throw error;
      });
  }
}

function closedError(): QueueError {
  return new QueueError("permanent", QUEUE_ERROR_CODES.closed, "queue is closed");
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
