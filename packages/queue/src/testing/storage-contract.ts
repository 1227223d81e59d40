import { afterEach, describe, expect, it } from "vitest";
import type { QueueStorage } from "../storage";

/** The item type the contract stores: nested, with a Date, to exercise structured cloning. */
export interface ContractItem {
  n: number;
  tags: string[];
  at: Date;
}

export type OpenContractStorage = () => Promise<QueueStorage<ContractItem>>;
/** Opens a new storage over the same data as `closed`, after `closed.close()` (a reload). */
export type ReopenContractStorage = (
  closed: QueueStorage<ContractItem>,
) => Promise<QueueStorage<ContractItem>>;

const item = (n: number): ContractItem => ({ n, tags: [`t${n}`], at: new Date(1_000 + n) });
const reason = { code: "REJECTED", message: "no" };

/**
 * The `QueueStorage` contract (see its TSDoc), as a vitest suite. Test code
 * only: this module imports vitest. Call it from a `*.test.ts` file once per
 * adapter; `open` must give a fresh, empty storage each time. Pass `reopen`
 * when the adapter can persist across a close (the reload test needs it).
 */
export function runQueueStorageContract(
  name: string,
  open: OpenContractStorage,
  reopen?: ReopenContractStorage,
): void {
  describe(`QueueStorage contract: ${name}`, () => {
    const opened: QueueStorage<ContractItem>[] = [];
    const fresh = async (): Promise<{ storage: QueueStorage<ContractItem> }> => {
      const storage = await open();
      opened.push(storage);
      return { storage };
    };
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((storage) => storage.close()));
    });

    it("[Q1] append assigns strictly increasing seqs and stores a copy", async () => {
      const { storage } = await fresh();
      const original = item(1);
      const a = await storage.append(original, 10);
      const b = await storage.append(item(2), 11);
      original.tags.push("mutated");
      expect(b.seq).toBeGreaterThan(a.seq);
      expect(a).toEqual({ seq: a.seq, item: item(1), enqueuedAt: 10, attempts: 0 });
      const [first] = await storage.list();
      expect(first?.item).toEqual(item(1));
      expect(first?.item.at).toBeInstanceOf(Date);
    });

    it("[Q1] list returns pending entries oldest first, honouring limit", async () => {
      const { storage } = await fresh();
      for (let n = 0; n < 5; n++) await storage.append(item(n), 100 + n);
      expect((await storage.list()).map((e) => e.item.n)).toEqual([0, 1, 2, 3, 4]);
      expect((await storage.list(2)).map((e) => e.item.n)).toEqual([0, 1]);
      expect(await storage.list(0)).toEqual([]);
      expect(await storage.count()).toBe(5);
      expect((await storage.oldest())?.item.n).toBe(0);
    });

    it("an empty storage has no oldest entry and counts zero", async () => {
      const { storage } = await fresh();
      expect(await storage.oldest()).toBeUndefined();
      expect(await storage.count()).toBe(0);
      expect(await storage.list()).toEqual([]);
      expect(await storage.listDeadLetters()).toEqual([]);
    });

    it("[Q1] concurrent appends get distinct seqs, all listed in seq order", async () => {
      const { storage } = await fresh();
      const entries = await Promise.all(
        Array.from({ length: 20 }, (_, n) => storage.append(item(n), n)),
      );
      const seqs = entries.map((e) => e.seq);
      expect(new Set(seqs).size).toBe(20);
      const listed = (await storage.list()).map((e) => e.seq);
      expect(listed).toEqual([...seqs].sort((x, y) => x - y));
    });

    it("[Q1] an item that cannot be cloned rejects the append and stores nothing", async () => {
      const { storage } = await fresh();
      const uncloneable = { ...item(1), fn: () => 1 } as ContractItem;
      await expect(storage.append(uncloneable, 1)).rejects.toThrow();
      expect(await storage.count()).toBe(0);
      const next = await storage.append(item(2), 2);
      expect((await storage.list()).map((e) => e.seq)).toEqual([next.seq]);
    });

    it("[Q1] a seq is never reused after remove", async () => {
      const { storage } = await fresh();
      await storage.append(item(1), 1);
      const last = await storage.append(item(2), 2);
      await storage.remove([last.seq]);
      const next = await storage.append(item(3), 3);
      expect(next.seq).toBeGreaterThan(last.seq);
    });

    it("remove deletes the given seqs and ignores unknown ones", async () => {
      const { storage } = await fresh();
      const [a, b, c] = [
        await storage.append(item(1), 1),
        await storage.append(item(2), 2),
        await storage.append(item(3), 3),
      ];
      await storage.remove([a.seq, c.seq, 9_999]);
      expect((await storage.list()).map((e) => e.seq)).toEqual([b.seq]);
      expect(await storage.count()).toBe(1);
    });

    it("[Q3] recordAttempt counts attempts and keeps the last error", async () => {
      const { storage } = await fresh();
      const a = await storage.append(item(1), 1);
      const b = await storage.append(item(2), 2);
      await storage.recordAttempt([a.seq, 9_999], "first");
      await storage.recordAttempt([a.seq], "second");
      const [ea, eb] = await storage.list();
      expect(ea).toMatchObject({ seq: a.seq, attempts: 2, lastError: "second" });
      expect(eb).toEqual({ seq: b.seq, item: item(2), enqueuedAt: 2, attempts: 0 });
    });

    it("[Q4] moveToDeadLetter removes pending entries and inserts dead letters in seq order", async () => {
      const { storage } = await fresh();
      const a = await storage.append(item(1), 1);
      const b = await storage.append(item(2), 2);
      const c = await storage.append(item(3), 3);
      await storage.recordAttempt([c.seq], "flaky");
      const moved = await storage.moveToDeadLetter([c.seq, a.seq, 9_999], reason, 50, "g1");
      expect(moved.map((d) => d.seq)).toEqual([a.seq, c.seq]);
      expect(moved[1]).toEqual({
        id: moved[1]?.id,
        seq: c.seq,
        item: item(3),
        reason,
        failedAt: 50,
        attempts: 1,
        groupId: "g1",
      });
      expect(moved[1]?.id).toBeGreaterThan(moved[0]?.id ?? Number.POSITIVE_INFINITY);
      expect((await storage.list()).map((e) => e.seq)).toEqual([b.seq]);
      expect(await storage.listDeadLetters()).toEqual(moved);
    });

    it("[Q4] moveToDeadLetter without a group id stores none", async () => {
      const { storage } = await fresh();
      const a = await storage.append(item(1), 1);
      const [letter] = await storage.moveToDeadLetter([a.seq], reason, 5);
      expect(letter).not.toHaveProperty("groupId");
      expect(await storage.moveToDeadLetter([a.seq], reason, 6)).toEqual([]);
    });

    it("[Q7] removeDeadLetter returns the letter once, then undefined", async () => {
      const { storage } = await fresh();
      const a = await storage.append(item(1), 1);
      const [letter] = await storage.moveToDeadLetter([a.seq], reason, 5);
      expect(await storage.removeDeadLetter(letter?.id ?? -1)).toEqual(letter);
      expect(await storage.removeDeadLetter(letter?.id ?? -1)).toBeUndefined();
      expect(await storage.listDeadLetters()).toEqual([]);
    });

    it("[Q7] requeueDeadLetter moves a letter to the end of the pending entries", async () => {
      const { storage } = await fresh();
      const a = await storage.append(item(1), 1);
      const b = await storage.append(item(2), 2);
      const [letter] = await storage.moveToDeadLetter([a.seq], reason, 5);
      const entry = await storage.requeueDeadLetter(letter?.id ?? -1, item(10), 7);
      expect(entry).toEqual({ seq: entry?.seq, item: item(10), enqueuedAt: 7, attempts: 0 });
      expect(entry?.seq).toBeGreaterThan(b.seq);
      expect((await storage.list()).map((e) => e.item.n)).toEqual([2, 10]);
      expect(await storage.listDeadLetters()).toEqual([]);
      expect(await storage.requeueDeadLetter(letter?.id ?? -1, item(11), 8)).toBeUndefined();
      expect(await storage.count()).toBe(2);
    });

    it("every call after close rejects; close is idempotent", async () => {
      const { storage } = await fresh();
      await storage.append(item(1), 1);
      await storage.close();
      await storage.close();
      await expect(storage.append(item(2), 2)).rejects.toThrow();
      await expect(storage.list()).rejects.toThrow();
      await expect(storage.count()).rejects.toThrow();
      await expect(storage.listDeadLetters()).rejects.toThrow();
    });

    // Only adapters that persist across a close can prove the reload rule.
    if (reopen !== undefined) {
      const reopenStorage = reopen;
      it("[Q1] after a reopen, entries and dead letters are there in order and seq keeps increasing", async () => {
        const { storage } = await fresh();
        const entries = [];
        for (let n = 0; n < 4; n++) entries.push(await storage.append(item(n), n));
        const [dead] = await storage.moveToDeadLetter([entries[1]?.seq ?? -1], reason, 9, "g");
        await storage.recordAttempt([entries[2]?.seq ?? -1], "boom");
        const last = entries[3];
        await storage.remove([last?.seq ?? -1]);
        const before = await storage.list();
        await storage.close();

        const again = await reopenStorage(storage);
        opened.push(again);
        expect(await again.list()).toEqual(before);
        expect(before.map((e) => e.item.n)).toEqual([0, 2]);
        expect(await again.listDeadLetters()).toEqual([dead]);
        const next = await again.append(item(9), 10);
        expect(next.seq).toBeGreaterThan(last?.seq ?? Number.POSITIVE_INFINITY);
        const [second] = await again.moveToDeadLetter([next.seq], reason, 11);
        expect(second?.id).toBeGreaterThan(dead?.id ?? Number.POSITIVE_INFINITY);
      });
    }
  });
}
