import "fake-indexeddb/auto";
import { describe, expect, it } from "vitest";
import { Queue } from "../queue";
import type { QueueEntry } from "../storage";
import { createIdbQueueStorage } from "./idb-storage";

interface Op {
  n: number;
}

const done = (batch: readonly QueueEntry<Op>[]) =>
  batch.map((e) => ({ seq: e.seq, status: "done" as const }));

describe("Queue over IndexedDB", () => {
  it("[Q1] a reload sees every pending entry in order and seq keeps increasing", async () => {
    const dbName = "queue-reload";
    const first = new Queue<Op>({
      storage: await createIdbQueueStorage<Op>({ dbName }),
      process: async (batch) => done(batch),
    });
    first.pause();
    const entries = [];
    for (let n = 1; n <= 4; n++) entries.push(await first.enqueue({ n }));
    await first.close();

    const handled: number[] = [];
    const second = new Queue<Op>({
      storage: await createIdbQueueStorage<Op>({ dbName }),
      process: async (batch) => {
        handled.push(...batch.map((e) => e.item.n));
        return done(batch);
      },
      batchSize: 3,
    });
    expect((await second.pending()).map((e) => e.seq)).toEqual(entries.map((e) => e.seq));
    await second.drain();
    expect(handled).toEqual([1, 2, 3, 4]);
    const next = await second.enqueue({ n: 5 });
    expect(next.seq).toBeGreaterThan(entries.at(-1)?.seq ?? Number.POSITIVE_INFINITY);
    await second.drain();
    expect(handled).toEqual([1, 2, 3, 4, 5]);
    await second.close();
  });

  it("[Q4][Q6] dead letters survive a reload with their group", async () => {
    const dbName = "queue-reload-dead";
    const first = new Queue<Op>({
      storage: await createIdbQueueStorage<Op>({ dbName }),
      process: async (batch) =>
        batch.map((e) => ({
          seq: e.seq,
          status: "rejected" as const,
          reason: { code: "NO", message: "no" },
        })),
      dependents: (_failed, pending) => pending,
    });
    first.pause();
    await first.enqueue({ n: 1 });
    await first.enqueue({ n: 2 });
    first.resume();
    await first.drain();
    await first.close();

    const second = new Queue<Op>({
      storage: await createIdbQueueStorage<Op>({ dbName }),
      process: async (batch) => done(batch),
    });
    const letters = await second.deadLetters();
    expect(letters.map((d) => d.item.n)).toEqual([1, 2]);
    expect(letters[0]?.groupId).toBeDefined();
    expect(letters[1]?.groupId).toBe(letters[0]?.groupId);
    await second.refresh();
    expect(second.getState()).toMatchObject({ pending: 0, deadLetters: 2 });
    await second.close();
  });
});
