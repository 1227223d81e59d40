import { describe, expect, it } from "vitest";
import { createMemoryQueueData, createMemoryQueueStorage } from "./memory-storage";
import type { EntryOutcome } from "./outcomes";
import { type Processor, Queue } from "./queue";
import type { QueueEntry } from "./storage";

interface Op {
  key: string;
  n: number;
}

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((res) => {
    resolve = res;
  });
  return { promise, resolve };
}

/** Two queues over one storage's data: two tabs (or a tab and a service worker) of one database. */
function tab(data: ReturnType<typeof createMemoryQueueData>, process: Processor<Op>) {
  return new Queue<Op>({
    storage: createMemoryQueueStorage<Op>({ data }),
    process,
    dependents: (failed, pending) => pending.filter((e) => e.item.key === failed.item.key),
  });
}

/** The server's answer: it refused the original (n 1) and applies everything else. */
const answer = (batch: readonly QueueEntry<Op>[]): EntryOutcome[] =>
  batch.map((e) =>
    e.item.n === 1
      ? { seq: e.seq, status: "rejected", reason: { code: "NO", message: "no" } }
      : { seq: e.seq, status: "done" },
  );

describe("Queue over storage shared by two tabs", () => {
  it("[Q6][Q7] a rejection another tab already dead-lettered does not take the retry of it along", async () => {
    const data = createMemoryQueueData();
    // The other tab's push of entry 1 is slow: its answer (rejected) comes last.
    const slowAnswer = deferred();
    const slowSent = deferred();
    const other = tab(data, async (batch) => {
      slowSent.resolve();
      await slowAnswer.promise;
      return answer(batch);
    });
    const retryAnswer = deferred();
    const retrySent = deferred();
    const here = tab(data, async (batch) => {
      if (batch.some((e) => e.item.n !== 1)) {
        retrySent.resolve();
        await retryAnswer.promise;
      }
      return answer(batch);
    });
    here.pause();
    await here.enqueue({ key: "a", n: 1 });
    const slow = other.drain();
    await slowSent.promise;
    here.resume();
    await here.drain();
    const [letter] = await here.deadLetters();
    expect(letter?.item.n).toBe(1);

    // The person retries it; the server applies the retry, while the other tab's late answer
    // for the original (a duplicate of its rejection) is settled.
    await here.retryDeadLetter(letter?.id ?? -1, (item) => ({ ...item, n: 2 }));
    await retrySent.promise;
    slowAnswer.resolve();
    await slow;
    retryAnswer.resolve();
    await here.drain();

    // The applied retry is not a dead letter: retrying it again would apply it twice.
    expect((await here.deadLetters()).map((d) => d.item.n)).toEqual([]);
    expect(await here.pending()).toEqual([]);
  });
});
