import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createMemoryQueueData, createMemoryQueueStorage } from "./memory-storage";
import type { EntryOutcome } from "./outcomes";
import { type Processor, Queue } from "./queue";
import { QueueError } from "./queue-error";
import type { QueueEntry } from "./storage";
import { createManualClock } from "./testing/manual-clock";

const numRuns = Number(process.env.FC_NUM_RUNS ?? 200);
const MAX_CALLS = 2_000;
// Generous: CI may raise FC_NUM_RUNS on a shared machine. A runaway queue fails by MAX_CALLS, not by this.
const timeout = Math.max(10_000, numRuns * 50);

interface Item {
  id: number;
  key: string;
  poison: boolean;
}

type Behaviour =
  | { t: "done" }
  | { t: "prefix"; k: number }
  | { t: "reject"; i: number }
  | { t: "transient"; retryAfterMs?: number }
  | { t: "auth" }
  | { t: "permanent" };

type Command =
  | { t: "enqueue"; key: string; poison: boolean }
  | { t: "script"; behaviour: Behaviour }
  | { t: "drain" }
  | { t: "settle" }
  | { t: "advance"; ms: number }
  | { t: "retryNow" }
  | { t: "pause" }
  | { t: "resume" }
  | { t: "reload" }
  | { t: "retryDead" };

const behaviour: fc.Arbitrary<Behaviour> = fc.oneof(
  fc.constant({ t: "done" as const }),
  fc.integer({ min: 0, max: 4 }).map((k) => ({ t: "prefix" as const, k })),
  fc.integer({ min: 0, max: 9 }).map((i) => ({ t: "reject" as const, i })),
  fc.constant({ t: "transient" as const }),
  fc.integer({ min: 0, max: 5_000 }).map((ms) => ({ t: "transient" as const, retryAfterMs: ms })),
  fc.constant({ t: "auth" as const }),
  fc.constant({ t: "permanent" as const }),
);

const command: fc.Arbitrary<Command> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      t: fc.constant("enqueue" as const),
      key: fc.constantFrom("a", "b", "c"),
      poison: fc.integer({ min: 0, max: 7 }).map((n) => n === 0),
    }),
  },
  { weight: 4, arbitrary: behaviour.map((b) => ({ t: "script" as const, behaviour: b })) },
  { weight: 3, arbitrary: fc.constant({ t: "drain" as const }) },
  { weight: 2, arbitrary: fc.constant({ t: "settle" as const }) },
  {
    weight: 2,
    arbitrary: fc.integer({ min: 0, max: 40_000 }).map((ms) => ({ t: "advance" as const, ms })),
  },
  { weight: 1, arbitrary: fc.constant({ t: "retryNow" as const }) },
  { weight: 1, arbitrary: fc.constant({ t: "pause" as const }) },
  { weight: 2, arbitrary: fc.constant({ t: "resume" as const }) },
  { weight: 1, arbitrary: fc.constant({ t: "reload" as const }) },
  { weight: 1, arbitrary: fc.constant({ t: "retryDead" as const }) },
);

const rejected = (seq: number): EntryOutcome => ({
  seq,
  status: "rejected",
  reason: { code: "REJECTED", message: "scripted" },
});

async function run(commands: readonly Command[], withDependents: boolean): Promise<void> {
  const clock = createManualClock();
  const data = createMemoryQueueData();
  const script: Behaviour[] = [];
  const doneLog: { id: number; seq: number }[] = [];
  const violations: string[] = [];
  const enqueued: Item[] = [];
  let inProcessor = false;
  let nextId = 1;
  let calls = 0;

  const process: Processor<Item> = async (batch) => {
    if (++calls > MAX_CALLS) {
      // A runaway loop (an entry handed again and again): record it and stop the queue.
      violations.push(`more than ${MAX_CALLS} processor calls`);
      throw new QueueError("auth", "RUNAWAY", "stop");
    }
    if (inProcessor) violations.push("two processor calls at once");
    inProcessor = true;
    // [Q2] the batch is the head of the pending entries, in seq order.
    const head = [...data.pending.keys()].sort((x, y) => x - y).slice(0, batch.length);
    if (head.join() !== batch.map((e) => e.seq).join()) {
      violations.push(`batch ${batch.map((e) => e.seq)} is not the head ${head}`);
    }
    await Promise.resolve();
    inProcessor = false;
    const b = script.shift();
    const outcomes = decide(batch, b);
    for (const outcome of outcomes) {
      const entry = batch.find((e) => e.seq === outcome.seq);
      if (outcome.status === "done" && entry) doneLog.push({ id: entry.item.id, seq: entry.seq });
    }
    return outcomes;
  };

  const decide = (batch: readonly QueueEntry<Item>[], b: Behaviour | undefined): EntryOutcome[] => {
    const done = (e: QueueEntry<Item>): EntryOutcome => ({ seq: e.seq, status: "done" });
    // A poisoned entry fails any batch that holds it, the way a server refusing a request would,
    // unless the script throws something else first.
    const poisoned = batch.some((e) => e.item.poison);
    if (b === undefined || ((b.t === "done" || b.t === "prefix" || b.t === "reject") && poisoned)) {
      if (poisoned) throw new QueueError("permanent", "POISON", "poison");
      return batch.map(done);
    }
    switch (b.t) {
      case "done":
        return batch.map(done);
      case "prefix":
        return batch.slice(0, b.k).map(done);
      case "reject":
        return batch.map((e, i) => (i === b.i % batch.length ? rejected(e.seq) : done(e)));
      case "transient":
        throw new QueueError(
          "transient",
          "DOWN",
          "down",
          b.retryAfterMs === undefined ? {} : { retryAfterMs: b.retryAfterMs },
        );
      case "auth":
        throw new QueueError("auth", "UNAUTHORIZED", "sign in");
      case "permanent":
        throw new QueueError("permanent", "REFUSED", "refused");
    }
  };

  const makeQueue = () =>
    new Queue<Item>({
      storage: createMemoryQueueStorage<Item>({ data }),
      process,
      batchSize: 4,
      now: clock.now,
      timers: clock.timers,
      random: () => 0.5,
      ...(withDependents
        ? {
            dependents: (failed: QueueEntry<Item>, pending: readonly QueueEntry<Item>[]) =>
              pending.filter((e) => e.item.key === failed.item.key),
          }
        : {}),
    });

  let queue = makeQueue();
  const drains: Promise<void>[] = [];
  for (const c of commands) {
    switch (c.t) {
      case "enqueue": {
        const item = { id: nextId++, key: c.key, poison: c.poison };
        enqueued.push(item);
        await queue.enqueue(item);
        break;
      }
      case "script":
        script.push(c.behaviour);
        break;
      case "drain":
        drains.push(queue.drain());
        break;
      case "settle":
        await Promise.all(drains.splice(0));
        await queue.drain();
        break;
      case "advance":
        clock.advance(c.ms);
        break;
      case "retryNow":
        queue.retryNow();
        break;
      case "pause":
        queue.pause();
        break;
      case "resume":
        queue.resume();
        break;
      case "reload":
        await queue.close();
        await Promise.all(drains.splice(0));
        queue = makeQueue();
        await queue.drain();
        break;
      case "retryDead": {
        const [letter] = await queue.deadLetters();
        if (letter) await queue.retryDeadLetter(letter.id);
        break;
      }
    }
  }

  // Let everything finish: no more scripted failures, no pause, no auth stop.
  script.length = 0;
  await Promise.all(drains);
  queue.resume();
  for (let round = 0; round < 100 && data.pending.size > 0; round++) {
    await queue.drain();
    clock.runNext();
  }
  await queue.drain();

  expect(violations).toEqual([]);
  expect(data.pending.size).toBe(0);
  const doneIds = doneLog.map((d) => d.id);
  const deadIds = (await queue.deadLetters()).map((d) => d.item.id);
  // Never lost, never duplicated: each item exactly once, done or dead.
  expect([...doneIds, ...deadIds].sort((x, y) => x - y)).toEqual(enqueued.map((i) => i.id));
  // Done in seq order.
  const seqs = doneLog.map((d) => d.seq);
  expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
  // [Q4] a poisoned entry ends in the dead letters, never blocking the rest.
  const poisoned = enqueued.filter((i) => i.poison).map((i) => i.id);
  expect(deadIds).toEqual(expect.arrayContaining(poisoned));
  expect(queue.getState()).toMatchObject({ status: "idle", pending: 0 });
  await queue.close();
}

describe("Queue properties", () => {
  it(
    "[Q1-Q7] no entry is lost or duplicated, and done entries are processed in seq order",
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(command, { maxLength: 60 }), (commands) => run(commands, false)),
        { numRuns },
      );
    },
    timeout,
  );

  it(
    "[Q6] with dependents, no entry is lost or duplicated either",
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(command, { maxLength: 60 }), (commands) => run(commands, true)),
        { numRuns },
      );
    },
    timeout,
  );
});
