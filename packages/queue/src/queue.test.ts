import { describe, expect, it, vi } from "vitest";
import { createMemoryQueueData, createMemoryQueueStorage } from "./memory-storage";
import type { EntryOutcome } from "./outcomes";
import { type Processor, Queue, type QueueOptions } from "./queue";
import { QUEUE_ERROR_CODES, QueueError } from "./queue-error";
import type { QueueState } from "./queue-state";
import type { QueueEntry, QueueStorage } from "./storage";
import { createManualClock } from "./testing/manual-clock";

interface Op {
  key: string;
  n: number;
}

function deferred<V = void>() {
  let resolve!: (value: V) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<V>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const done = (batch: readonly QueueEntry<Op>[]): EntryOutcome[] =>
  batch.map((e) => ({ seq: e.seq, status: "done" as const }));

/** A queue over memory storage and a manual clock; `handled` lists the items processed done. */
function setup(
  process?: Processor<Op>,
  options: Partial<QueueOptions<Op>> & { storage?: QueueStorage<Op> } = {},
) {
  const clock = createManualClock(1_000);
  const data = createMemoryQueueData();
  const storage = options.storage ?? createMemoryQueueStorage<Op>({ data });
  const batches: number[][] = [];
  const handled: number[] = [];
  const processor: Processor<Op> = process ?? (async (batch) => done(batch));
  const queue = new Queue<Op>({
    now: clock.now,
    timers: clock.timers,
    random: () => 0.5,
    ...options,
    storage,
    process: async (batch) => {
      batches.push(batch.map((e) => e.item.n));
      const outcomes = await processor(batch);
      for (const outcome of outcomes) {
        const entry = batch.find((e) => e.seq === outcome.seq);
        if (outcome.status === "done" && entry) handled.push(entry.item.n);
      }
      return outcomes;
    },
  });
  const op = (n: number, key = `k${n}`): Op => ({ key, n });
  return { queue, storage, data, clock, batches, handled, op };
}

describe("Queue", () => {
  it("[Q1] enqueue resolves only after the storage has made the entry durable", async () => {
    const inner = createMemoryQueueStorage<Op>();
    const gate = deferred();
    const storage: QueueStorage<Op> = {
      ...inner,
      append: async (item, at) => {
        await gate.promise;
        return inner.append(item, at);
      },
    };
    const { queue, op } = setup(undefined, { storage });
    queue.pause();
    let resolved = false;
    const pending = queue.enqueue(op(1)).then(() => {
      resolved = true;
    });
    await Promise.resolve();
    await Promise.resolve();
    expect(resolved).toBe(false);
    gate.resolve();
    await pending;
    expect(resolved).toBe(true);
    expect(await inner.count()).toBe(1);
  });

  it("[Q1] enqueueWith: an entry the host appends resolves once durable, counts, and drains in order", async () => {
    const { queue, storage, data, clock, handled, op } = setup();
    queue.pause();
    await queue.enqueue(op(1));
    const gate = deferred();
    let resolved = false;
    const hosted = queue
      .enqueueWith(async (enqueuedAt) => {
        await gate.promise;
        return storage.append(op(2), enqueuedAt);
      })
      .then((entry) => {
        resolved = true;
        return entry;
      });
    await Promise.resolve();
    await Promise.resolve();
    expect(resolved).toBe(false);
    gate.resolve();
    const entry = await hosted;
    expect(entry).toMatchObject({ seq: 2, enqueuedAt: clock.now(), attempts: 0 });
    expect(queue.getState().pending).toBe(2);
    expect(data.pending.size).toBe(2);
    queue.resume();
    await queue.drain();
    expect(handled).toEqual([1, 2]);
    await queue.close();
    await expect(queue.enqueueWith((at) => storage.append(op(3), at))).rejects.toMatchObject({
      code: QUEUE_ERROR_CODES.closed,
    });
  });

  it("[Q1] a reload (new Queue over the same data) sees every pending entry in order", async () => {
    const first = setup();
    first.queue.pause();
    for (let n = 1; n <= 5; n++) await first.queue.enqueue(first.op(n));
    await first.queue.close();

    const handled: number[] = [];
    const reloaded = new Queue<Op>({
      storage: createMemoryQueueStorage<Op>({ data: first.data }),
      process: async (batch) => {
        handled.push(...batch.map((e) => e.item.n));
        return done(batch);
      },
    });
    expect((await reloaded.pending()).map((e) => e.item.n)).toEqual([1, 2, 3, 4, 5]);
    await reloaded.refresh();
    expect(reloaded.getState()).toMatchObject({ pending: 5, oldestEnqueuedAt: 1_000 });
    await reloaded.drain();
    expect(handled).toEqual([1, 2, 3, 4, 5]);
    expect(reloaded.getState().pending).toBe(0);
    await reloaded.close();
  });

  it("[Q2] concurrent drains coalesce: one processor call at a time, batches in seq order", async () => {
    const gates: ReturnType<typeof deferred<void>>[] = [];
    let active = 0;
    let maxActive = 0;
    const { queue, batches, handled, op } = setup(
      async (batch) => {
        active++;
        maxActive = Math.max(maxActive, active);
        const gate = deferred();
        gates.push(gate);
        await gate.promise;
        active--;
        return done(batch);
      },
      { batchSize: 2 },
    );
    queue.pause();
    for (let n = 1; n <= 3; n++) await queue.enqueue(op(n));
    queue.resume();
    const drains = [queue.drain(), queue.drain(), queue.drain()];
    await vi.waitFor(() => expect(gates).toHaveLength(1));
    await queue.enqueue(op(4));
    await queue.enqueue(op(5));
    for (let i = 0; i < 3; i++) {
      await vi.waitFor(() => expect(gates[i]).toBeDefined());
      gates[i]?.resolve();
    }
    await Promise.all(drains);
    expect(maxActive).toBe(1);
    expect(batches).toEqual([[1, 2], [3, 4], [5]]);
    expect(handled).toEqual([1, 2, 3, 4, 5]);
  });

  it("[Q2] entries without an outcome stay pending and lead the next batch", async () => {
    let calls = 0;
    const { queue, batches, handled, op } = setup(async (batch) => {
      calls++;
      // The first call settles only the first entry.
      return calls === 1 ? done(batch.slice(0, 1)) : done(batch);
    });
    queue.pause();
    for (let n = 1; n <= 3; n++) await queue.enqueue(op(n));
    queue.resume();
    await queue.drain();
    expect(batches).toEqual([
      [1, 2, 3],
      [2, 3],
    ]);
    expect(handled).toEqual([1, 2, 3]);
  });

  it("[Q3] a transient failure records attempts, backs off, keeps order and resumes by timer", async () => {
    let fail = true;
    const { queue, storage, clock, batches, handled, op } = setup(async (batch) => {
      if (fail) throw new QueueError("transient", "OFFLINE", "network down");
      return done(batch);
    });
    queue.pause();
    await queue.enqueue(op(1));
    await queue.enqueue(op(2));
    queue.resume();
    await queue.drain();

    expect(queue.getState()).toMatchObject({
      status: "backoff",
      attempt: 1,
      nextRetryAt: 1_000 + 250,
      lastError: { code: "OFFLINE", message: "network down" },
      pending: 2,
    });
    expect((await storage.list()).map((e) => [e.item.n, e.attempts, e.lastError])).toEqual([
      [1, 1, "network down"],
      [2, 1, "network down"],
    ]);
    await queue.drain();
    expect(batches).toHaveLength(1);

    clock.advance(249);
    await queue.drain();
    expect(batches).toHaveLength(1);
    clock.advance(1);
    await queue.drain();
    expect(queue.getState()).toMatchObject({ status: "backoff", attempt: 2, nextRetryAt: 1_750 });

    fail = false;
    clock.advance(500);
    await queue.drain();
    expect(handled).toEqual([1, 2]);
    expect(batches).toEqual([
      [1, 2],
      [1, 2],
      [1, 2],
    ]);
    expect(queue.getState()).toMatchObject({
      status: "idle",
      attempt: 0,
      nextRetryAt: null,
      lastError: null,
      pending: 0,
    });
  });

  it("[Q3] the backoff grows exponentially, with full jitter, up to maxMs", async () => {
    const { queue, clock, op } = setup(
      async () => {
        throw new QueueError("transient", "DOWN", "down");
      },
      { backoff: { baseMs: 100, maxMs: 1_000 }, random: () => 0.999 },
    );
    await queue.enqueue(op(1));
    await queue.drain();
    const delays: number[] = [];
    for (let i = 0; i < 6; i++) {
      const { nextRetryAt } = queue.getState();
      delays.push((nextRetryAt ?? 0) - clock.now());
      clock.runNext();
      await queue.drain();
    }
    expect(delays).toEqual([99, 199, 399, 799, 999, 999]);
  });

  it("[Q3] Retry-After is honoured when longer than the jittered delay", async () => {
    const { queue, clock, op } = setup(
      async () => {
        throw new QueueError("transient", "RATE_LIMITED", "slow down", { retryAfterMs: 7_000 });
      },
      { random: () => 0 },
    );
    await queue.enqueue(op(1));
    await queue.drain();
    expect(queue.getState().nextRetryAt).toBe(clock.now() + 7_000);
  });

  it("[Q3] retryNow skips the backoff wait", async () => {
    let fail = true;
    const { queue, clock, handled, op } = setup(async (batch) => {
      if (fail) throw new Error("fetch failed");
      return done(batch);
    });
    await queue.enqueue(op(1));
    await queue.drain();
    expect(queue.getState()).toMatchObject({
      status: "backoff",
      lastError: { code: QUEUE_ERROR_CODES.unknown, message: "fetch failed" },
    });
    fail = false;
    queue.retryNow();
    await queue.drain();
    expect(handled).toEqual([1]);
    expect(clock.pendingTimers()).toBe(0);
  });

  it("[Q3] a processor that settles nothing backs off instead of spinning", async () => {
    const { queue, batches, op } = setup(async () => []);
    await queue.enqueue(op(1));
    await queue.drain();
    expect(batches).toHaveLength(1);
    expect(queue.getState()).toMatchObject({
      status: "backoff",
      lastError: { code: QUEUE_ERROR_CODES.noProgress },
    });
  });

  it("[Q4] a rejected entry goes to the dead letters with its reason; the rest goes on", async () => {
    const { queue, clock, handled, op } = setup(async (batch) =>
      batch.map((e) =>
        e.item.n === 2
          ? { seq: e.seq, status: "rejected" as const, reason: { code: "INVALID", message: "bad" } }
          : { seq: e.seq, status: "done" as const },
      ),
    );
    queue.pause();
    for (let n = 1; n <= 3; n++) await queue.enqueue(op(n));
    clock.advance(5);
    queue.resume();
    await queue.drain();
    expect(handled).toEqual([1, 3]);
    const [letter, ...others] = await queue.deadLetters();
    expect(others).toEqual([]);
    expect(letter).toMatchObject({
      item: op(2),
      reason: { code: "INVALID", message: "bad" },
      failedAt: 1_005,
      attempts: 0,
    });
    expect(queue.getState()).toMatchObject({ pending: 0, deadLetters: 1, status: "idle" });
  });

  it("[Q4] a permanent error on a batch of one dead-letters that entry", async () => {
    const { queue, handled, op } = setup(
      async (batch) => {
        if (batch[0]?.item.n === 1) throw new QueueError("permanent", "FORBIDDEN", "not allowed");
        return done(batch);
      },
      { batchSize: 1 },
    );
    await queue.enqueue(op(1));
    await queue.enqueue(op(2));
    await queue.drain();
    expect(handled).toEqual([2]);
    expect((await queue.deadLetters()).map((d) => [d.item.n, d.reason.code])).toEqual([
      [1, "FORBIDDEN"],
    ]);
  });

  it("[Q4] a poisoned entry in a failing batch is narrowed down; only it is dead-lettered", async () => {
    const poisoned = new Set([5, 6, 13]);
    const { queue, handled, batches, op } = setup(
      async (batch) => {
        if (batch.some((e) => poisoned.has(e.item.n))) {
          throw new QueueError("permanent", "BAD_REQUEST", "batch refused");
        }
        return done(batch);
      },
      { batchSize: 8 },
    );
    queue.pause();
    for (let n = 1; n <= 20; n++) await queue.enqueue(op(n));
    queue.resume();
    await queue.drain();
    expect((await queue.deadLetters()).map((d) => d.item.n)).toEqual([5, 6, 13]);
    expect(handled).toEqual([1, 2, 3, 4, 7, 8, 9, 10, 11, 12, 14, 15, 16, 17, 18, 19, 20]);
    // Once past the suspect range, batches go back to full size.
    expect(batches.at(-1)).toEqual([15, 16, 17, 18, 19, 20]);
    expect(queue.getState()).toMatchObject({ status: "idle", pending: 0, deadLetters: 3 });
  });

  it("[Q5] an auth failure stops everything until resume()", async () => {
    let signedIn = false;
    const { queue, storage, clock, batches, handled, op } = setup(async (batch) => {
      if (!signedIn) throw new QueueError("auth", "UNAUTHORIZED", "sign in again");
      return done(batch);
    });
    await queue.enqueue(op(1));
    await queue.enqueue(op(2));
    await queue.drain();
    expect(queue.getState()).toMatchObject({
      status: "auth-required",
      pending: 2,
      deadLetters: 0,
      lastError: { code: "UNAUTHORIZED" },
    });
    queue.retryNow();
    clock.advance(60 * 60_000);
    await queue.enqueue(op(3));
    await queue.drain();
    expect(batches).toHaveLength(1);
    expect((await storage.list()).map((e) => [e.item.n, e.attempts])).toEqual([
      [1, 0],
      [2, 0],
      [3, 0],
    ]);
    expect(clock.pendingTimers()).toBe(0);

    signedIn = true;
    queue.resume();
    await queue.drain();
    expect(handled).toEqual([1, 2, 3]);
    expect(queue.getState().status).toBe("idle");
  });

  it("[Q6] dependents are dead-lettered with the failed entry, in one group, in one move", async () => {
    const inner = createMemoryQueueStorage<Op>();
    const moves: number[][] = [];
    const storage: QueueStorage<Op> = {
      ...inner,
      moveToDeadLetter: (seqs, reason, at, groupId) => {
        moves.push([...seqs]);
        return inner.moveToDeadLetter(seqs, reason, at, groupId);
      },
    };
    const { queue, handled, op } = setup(
      async (batch) =>
        batch.map((e) =>
          e.item.n === 1
            ? { seq: e.seq, status: "rejected" as const, reason: { code: "GONE", message: "x" } }
            : { seq: e.seq, status: "done" as const },
        ),
      {
        storage,
        batchSize: 2,
        dependents: (failed, pending) => pending.filter((e) => e.item.key === failed.item.key),
      },
    );
    queue.pause();
    await queue.enqueue(op(1, "a"));
    await queue.enqueue(op(2, "b"));
    await queue.enqueue(op(3, "a"));
    await queue.enqueue(op(4, "b"));
    await queue.enqueue(op(5, "a"));
    queue.resume();
    await queue.drain();
    expect(handled).toEqual([2, 4]);
    expect(moves).toHaveLength(1);
    const letters = await queue.deadLetters();
    expect(letters.map((d) => d.item.n)).toEqual([1, 3, 5]);
    expect(new Set(letters.map((d) => d.groupId)).size).toBe(1);
    expect(letters[0]?.groupId).toEqual(expect.any(String));
    expect(letters.every((d) => d.reason.code === "GONE")).toBe(true);
  });

  it("[Q7] dead letters can be listed, retried at the end with a new seq, and discarded", async () => {
    let reject = true;
    const { queue, handled, op } = setup(async (batch) =>
      batch.map((e) =>
        reject && e.item.n <= 2
          ? { seq: e.seq, status: "rejected" as const, reason: { code: "NO", message: "no" } }
          : { seq: e.seq, status: "done" as const },
      ),
    );
    queue.pause();
    for (let n = 1; n <= 3; n++) await queue.enqueue(op(n));
    queue.resume();
    await queue.drain();
    const [first, second] = await queue.deadLetters();
    expect([first?.item.n, second?.item.n]).toEqual([1, 2]);
    expect(queue.getState().deadLetters).toBe(2);

    reject = false;
    queue.pause();
    await queue.enqueue(op(4));
    const retried = await queue.retryDeadLetter(first?.id ?? -1, (item) => ({ ...item, n: 10 }));
    expect(retried.seq).toBeGreaterThan(first?.seq ?? Number.POSITIVE_INFINITY);
    expect((await queue.pending()).map((e) => e.item.n)).toEqual([4, 10]);
    expect(queue.getState()).toMatchObject({ pending: 2, deadLetters: 1 });

    await queue.discardDeadLetter(second?.id ?? -1);
    expect(await queue.deadLetters()).toEqual([]);
    expect(queue.getState().deadLetters).toBe(0);

    queue.resume();
    await queue.drain();
    expect(handled).toEqual([3, 4, 10]);
    await expect(queue.retryDeadLetter(first?.id ?? -1)).rejects.toMatchObject({
      code: QUEUE_ERROR_CODES.deadLetterNotFound,
    });
  });

  it("[Q6][Q7] a dead-letter group is retried together, in its original order, at the end", async () => {
    let reject = true;
    const { queue, handled, op } = setup(
      async (batch) =>
        batch.map((e) =>
          reject && e.item.n === 1
            ? { seq: e.seq, status: "rejected" as const, reason: { code: "NO", message: "no" } }
            : { seq: e.seq, status: "done" as const },
        ),
      {
        batchSize: 1,
        dependents: (failed, pending) => pending.filter((e) => e.item.key === failed.item.key),
      },
    );
    queue.pause();
    await queue.enqueue(op(1, "a"));
    await queue.enqueue(op(2, "a"));
    await queue.enqueue(op(3, "b"));
    queue.resume();
    await queue.drain();
    const [letter] = await queue.deadLetters();
    expect(handled).toEqual([3]);

    reject = false;
    queue.pause();
    await queue.enqueue(op(4, "b"));
    const entries = await queue.retryDeadLetterGroup(letter?.groupId ?? "");
    expect(entries.map((e) => e.item.n)).toEqual([1, 2]);
    expect((await queue.pending()).map((e) => e.item.n)).toEqual([4, 1, 2]);
    expect(queue.getState()).toMatchObject({ pending: 3, deadLetters: 0 });
    queue.resume();
    await queue.drain();
    expect(handled).toEqual([3, 4, 1, 2]);
  });

  it("[Q8] subscribers hear the pending count, status changes and progress", async () => {
    const gate = deferred();
    const { queue, clock, op } = setup(async (batch) => {
      await gate.promise;
      return done(batch);
    });
    const seen: QueueState[] = [];
    const unsubscribe = queue.subscribe((state) => seen.push(state));
    await queue.enqueue(op(1));
    expect(seen.at(0)).toMatchObject({ pending: 1, oldestEnqueuedAt: 1_000, status: "idle" });
    await vi.waitFor(() => expect(queue.getState().status).toBe("processing"));
    expect(seen.at(-1)).toBe(queue.getState());
    clock.advance(42);
    gate.resolve();
    await queue.drain();
    expect(seen.at(-1)).toMatchObject({
      status: "idle",
      pending: 0,
      oldestEnqueuedAt: null,
      lastProgressAt: 1_042,
    });
    expect(seen.map((s) => s.status)).toContain("processing");

    const count = seen.length;
    unsubscribe();
    await queue.enqueue(op(2));
    await queue.drain();
    expect(seen).toHaveLength(count);
  });

  it("[Q8] refresh() picks up entries another tab appended and notifies", async () => {
    const { queue, data, op } = setup();
    queue.pause();
    const otherTab = createMemoryQueueStorage<Op>({ data });
    await otherTab.append(op(1), 5);
    await otherTab.append(op(2), 6);
    const listener = vi.fn();
    queue.subscribe(listener);
    await queue.refresh();
    expect(queue.getState()).toMatchObject({ pending: 2, oldestEnqueuedAt: 5 });
    expect(listener).toHaveBeenCalledTimes(1);
  });

  it("pause() holds the queue and resume() drains it", async () => {
    const { queue, batches, handled, op } = setup();
    queue.pause();
    await queue.enqueue(op(1));
    await queue.drain();
    expect(batches).toEqual([]);
    expect(queue.getState()).toMatchObject({ status: "paused", pending: 1 });
    queue.resume();
    await queue.drain();
    expect(handled).toEqual([1]);
  });

  it("close() waits for the in-flight batch, applies it, then closes the storage", async () => {
    const gate = deferred();
    const { queue, storage, clock, op } = setup(async (batch) => {
      await gate.promise;
      return done(batch);
    });
    await queue.enqueue(op(1));
    await vi.waitFor(() => expect(queue.getState().status).toBe("processing"));
    let closed = false;
    const closing = queue.close().then(() => {
      closed = true;
    });
    await Promise.resolve();
    expect(closed).toBe(false);
    gate.resolve();
    await closing;
    expect(queue.getState().status).toBe("closed");
    await expect(storage.count()).rejects.toMatchObject({ code: QUEUE_ERROR_CODES.storageClosed });
    await expect(queue.enqueue(op(2))).rejects.toMatchObject({ code: QUEUE_ERROR_CODES.closed });
    expect(clock.pendingTimers()).toBe(0);
  });

  it("close() cancels a pending retry timer", async () => {
    const { queue, clock, op } = setup(async () => {
      throw new QueueError("transient", "DOWN", "down");
    });
    await queue.enqueue(op(1));
    await queue.drain();
    expect(clock.pendingTimers()).toBe(1);
    await queue.close();
    expect(clock.pendingTimers()).toBe(0);
  });

  it("a storage failure in a background drain reaches onError and is retried with backoff", async () => {
    const inner = createMemoryQueueStorage<Op>();
    let failList = true;
    const storage: QueueStorage<Op> = {
      ...inner,
      list: async (limit) => {
        if (failList) throw new Error("disk on fire");
        return inner.list(limit);
      },
    };
    const errors: unknown[] = [];
    const { queue, clock, handled, op } = setup(undefined, {
      storage,
      onError: (error) => errors.push(error),
    });
    await queue.enqueue(op(1));
    await vi.waitFor(() => expect(errors).toHaveLength(1));
    expect(queue.getState()).toMatchObject({
      status: "backoff",
      lastError: { code: QUEUE_ERROR_CODES.storage, message: "disk on fire" },
    });
    await expect(queue.drain()).resolves.toBeUndefined();
    failList = false;
    clock.runNext();
    await vi.waitFor(() => expect(handled).toEqual([1]));
  });

  it("a throwing listener reaches onError and does not stop the queue", async () => {
    const errors: unknown[] = [];
    const { queue, handled, op } = setup(undefined, { onError: (error) => errors.push(error) });
    queue.subscribe(() => {
      throw new Error("listener bug");
    });
    await queue.enqueue(op(1));
    await queue.drain();
    expect(handled).toEqual([1]);
    expect(errors.length).toBeGreaterThan(0);
  });

  it("rejects a batch size below 1", () => {
    const storage = createMemoryQueueStorage<Op>();
    expect(() => new Queue({ storage, process: async () => [], batchSize: 0 })).toThrow(RangeError);
  });
});
