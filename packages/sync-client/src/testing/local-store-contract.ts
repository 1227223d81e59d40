import { HybridClock } from "@sync/clock";
import type { Row } from "@sync/protocol";
import { describe, expect, it } from "vitest";
import type { LocalStore, StoredMeta } from "../local-store.js";
import type { PendingOp } from "../pending-op.js";

const META: StoredMeta = {
  version: 1,
  clientId: "01900000-0000-7000-8000-000000000001",
  nodeId: "abcdefghijk",
  createdAt: 1,
  cursor: 0,
  lastHlc: null,
};

const HLC = "00000000a0000abcdefghijk";

function row(id: string, version: number, title = `t${version}`): Row {
  return { entity: "list", id, version, fields: { title }, clocks: { title: HLC }, deleted: false };
}

function op(id: string): PendingOp {
  return {
    opId: "01900000-0000-7000-8000-0000000000aa",
    clientId: META.clientId,
    entity: "list",
    id,
    kind: "update",
    fields: { title: "x" },
    hlc: HLC,
  };
}

/**
 * A `stamp` for `appendOperation`, as the client builds it: a clock at wall time `wall` that
 * jumps above `after`. `issued` records every value it returned.
 */
function stamper(wall: number) {
  let clock = new HybridClock({ node: META.nodeId, now: () => wall });
  const issued: string[] = [];
  const stamp = (after: string | null): string => {
    if (after && after > clock.last()) {
      clock = new HybridClock({ node: META.nodeId, now: () => wall, last: after });
    }
    const hlc = clock.now();
    issued.push(hlc);
    return hlc;
  };
  return { stamp, issued };
}

const A = "01900000-0000-7000-8000-00000000000a";
const B = "01900000-0000-7000-8000-00000000000b";

/**
 * The LocalStore contract (see local-store.ts), run against every adapter. `reopen` opens a
 * new store over the same data: after `close()` it acts as a reload, while the first one is
 * still open as a second tab.
 */
export function runLocalStoreContract(
  name: string,
  open: () => Promise<LocalStore>,
  reopen?: (closed: LocalStore) => Promise<LocalStore>,
): void {
  describe(`LocalStore contract: ${name}`, () => {
    it("openMeta creates the meta once; updateMeta is read-modify-write", async () => {
      const store = await open();
      expect(await store.openMeta(() => META)).toEqual({ meta: META, created: true });
      const again = await store.openMeta(() => ({ ...META, clientId: "other" }));
      expect(again).toEqual({ meta: META, created: false });
      const next = await store.updateMeta((m) => ({ ...m, lastHlc: HLC }));
      expect(next.lastHlc).toBe(HLC);
      expect((await store.readMeta()).lastHlc).toBe(HLC);
      await store.close();
    });

    it("rows are replaced only by the same or a newer version", async () => {
      const store = await open();
      await store.openMeta(() => META);
      expect(await store.applyPull([row(A, 5)], 5)).toHaveLength(1);
      expect(await store.applyPull([row(A, 3, "older")], 3)).toHaveLength(0);
      expect(await store.acknowledge({ rows: [row(A, 4)], doneSeqs: [], conflicts: [] })).toEqual(
        [],
      );
      expect((await store.getRows([["list", A]]))[0]?.fields.title).toBe("t5");
      expect((await store.readMeta()).cursor).toBe(5);
      expect(await store.getRows([["list", B]])).toEqual([]);
      await store.close();
    });

    it("[L8] a pulled page of several hundred rows keeps only the stored rows that are newer", async () => {
      const store = await open();
      await store.openMeta(() => META);
      const id = (n: number) => `01900000-0000-7000-8000-${String(n).padStart(12, "0")}`;
      // A push acknowledged at version 500, above the copy of the same row in the page.
      // Pushes acknowledged at versions above their copies in the page, early and late in it.
      const acked = [row(id(7), 900, "acked"), row(id(407), 901, "acked")];
      await store.acknowledge({ rows: acked, doneSeqs: [], conflicts: [] });
      const page = Array.from({ length: 600 }, (_, n) => row(id(n), 10 + n));
      const written = await store.applyPull(page, 609);
      expect(written.map((r) => r.id)).toEqual(
        page.filter((_, n) => n !== 7 && n !== 407).map((r) => r.id),
      );
      const stored = await store.allRows();
      expect(stored).toHaveLength(600);
      expect(stored.find((r) => r.id === id(7))).toMatchObject({ version: 900 });
      expect(stored.find((r) => r.id === id(407))).toMatchObject({ version: 901 });
      expect(stored.find((r) => r.id === id(599))).toMatchObject({ version: 609 });
      expect((await store.readMeta()).cursor).toBe(609);
      await store.close();
    });

    it("[L8] a page written after a cursor the store has not reached stores nothing", async () => {
      const store = await open();
      await store.openMeta(() => META);
      await store.applyPull([row(A, 5)], 5, 0);
      await expect(store.applyPull([row(B, 9)], 9, 7)).rejects.toThrow();
      expect(await store.getRows([["list", B]])).toEqual([]);
      expect((await store.readMeta()).cursor).toBe(5);
      expect(await store.applyPull([row(B, 9)], 9, 5)).toHaveLength(1);
      expect((await store.readMeta()).cursor).toBe(9);
      await store.close();
    });

    it("[L23] the processed seq is stored with the cursor and, like it, only moves forward", async () => {
      const store = await open();
      await store.openMeta(() => META);
      await store.applyPull([row(A, 5)], 5, 0, 3);
      expect(await store.readMeta()).toMatchObject({ cursor: 5, processedSeq: 3 });
      // A last page with no new rows still records that the server processed more.
      await store.applyPull([], 5, 5, 4);
      expect(await store.readMeta()).toMatchObject({ cursor: 5, processedSeq: 4 });
      await store.applyPull([], 5, 5, 2);
      expect(await store.readMeta()).toMatchObject({ cursor: 5, processedSeq: 4 });
      await store.replaceAll([row(A, 9)], 9, 6);
      expect(await store.readMeta()).toMatchObject({ cursor: 9, processedSeq: 6 });
      await store.close();
    });

    it("[L5] acknowledge writes rows, removes the settled pending entries and stores conflicts together", async () => {
      const store = await open();
      await store.openMeta(() => META);
      const first = await store.queue.append(op(A), 1);
      const second = await store.queue.append(op(B), 2);
      const conflict = {
        key: `list/${A}/title`,
        detectedAt: 3,
        opId: op(A).opId,
        entity: "list",
        id: A,
        field: "title",
        serverValue: "s",
        serverHlc: HLC,
        clientValue: "c",
        clientHlc: HLC,
      };
      await store.acknowledge({ rows: [row(A, 7)], doneSeqs: [first.seq], conflicts: [conflict] });
      expect((await store.queue.list()).map((e) => e.seq)).toEqual([second.seq]);
      expect(await store.allRows()).toEqual([row(A, 7)]);
      expect(await store.conflicts()).toEqual([conflict]);
      await store.deleteConflict(conflict.key);
      expect(await store.conflicts()).toEqual([]);
      await store.close();
    });

    it("[L5] an acknowledgement that fails changes nothing", async () => {
      const store = await open();
      await store.openMeta(() => META);
      const entry = await store.queue.append(op(A), 1);
      const poisoned = { ...row(A, 9), fields: { title: (() => 1) as unknown as string } };
      await expect(
        store.acknowledge({ rows: [row(B, 8), poisoned], doneSeqs: [entry.seq], conflicts: [] }),
      ).rejects.toThrow();
      expect(await store.queue.count()).toBe(1);
      expect(await store.allRows()).toEqual([]);
      await store.close();
    });

    it("[L10] replaceAll swaps the confirmed set and cursor, and leaves pending work alone", async () => {
      const store = await open();
      await store.openMeta(() => META);
      await store.applyPull([row(A, 1), row(B, 2)], 2);
      await store.queue.append(op(A), 1);
      await store.replaceAll([row(B, 10)], 10);
      expect(await store.allRows()).toEqual([row(B, 10)]);
      expect((await store.readMeta()).cursor).toBe(10);
      expect(await store.queue.count()).toBe(1);
      await store.close();
    });

    it("[L10] replaceAll keeps what a push confirmed after the resync's snapshot", async () => {
      const store = await open();
      await store.openMeta(() => META);
      await store.applyPull([row(A, 1), row(B, 2)], 2);
      // While the resync (ending at cursor 5) was fetched, a push confirmed A at version 7.
      await store.acknowledge({ rows: [row(A, 7)], doneSeqs: [], conflicts: [] });
      const kept = await store.replaceAll([row(A, 4)], 5);
      expect(await store.allRows()).toEqual([row(A, 7)]);
      expect(kept).toEqual([row(A, 7)]);
      await store.close();
    });

    it("[L17] deleteRows drops exactly the named rows", async () => {
      const store = await open();
      await store.openMeta(() => META);
      await store.applyPull([row(A, 1), row(B, 2)], 2);
      await store.deleteRows([[row(A, 1).entity, row(A, 1).id]]);
      expect(await store.allRows()).toEqual([row(B, 2)]);
      await store.close();
    });

    it("[L3] appendOperation stores the entry and its HLC as the last one issued, together", async () => {
      const store = await open();
      await store.openMeta(() => META);
      const { stamp } = stamper(1_000);
      const first = await store.appendOperation(op(A), 5, stamp);
      const second = await store.appendOperation(op(B), 6, stamp);
      expect(second.seq).toBeGreaterThan(first.seq);
      expect(second.item.hlc > first.item.hlc).toBe(true);
      expect(second).toMatchObject({ item: { ...op(B), hlc: second.item.hlc }, enqueuedAt: 6 });
      expect(await store.queue.list()).toEqual([first, second]);
      expect((await store.readMeta()).lastHlc).toBe(second.item.hlc);
      await store.close();
    });

    it("[L3] an appendOperation that fails stores nothing", async () => {
      const store = await open();
      await store.openMeta(() => META);
      const { stamp } = stamper(1_000);
      const poisoned = { ...op(A), fields: { title: (() => 1) as unknown as string } };
      await expect(store.appendOperation(poisoned, 1, stamp)).rejects.toThrow();
      expect(await store.queue.count()).toBe(0);
      expect((await store.readMeta()).lastHlc).toBeNull();
      await store.close();
      await expect(store.appendOperation(op(A), 1, stamp)).rejects.toThrow();
    });

    it("every call after close() rejects", async () => {
      const store = await open();
      await store.openMeta(() => META);
      await store.close();
      await store.close();
      await expect(store.allRows()).rejects.toThrow();
      await expect(store.readMeta()).rejects.toThrow();
    });

    if (reopen) {
      it("[L3] a reopened store sees everything that was committed", async () => {
        const store = await open();
        await store.openMeta(() => META);
        await store.applyPull([row(A, 1)], 1);
        await store.queue.append(op(A), 1);
        await store.close();
        const again = await reopen(store);
        expect(await again.openMeta(() => ({ ...META, clientId: "x" }))).toMatchObject({
          created: false,
        });
        expect(await again.allRows()).toEqual([row(A, 1)]);
        expect(await again.queue.count()).toBe(1);
        await again.close();
      });

      it("[L3] two stores over the same data (tabs) append HLCs that increase in seq order", async () => {
        const one = await open();
        await one.openMeta(() => META);
        const two = await reopen(one);
        await two.openMeta(() => META);
        // The second tab's wall clock is far behind: only the stored HLCs keep it in order.
        const ahead = stamper(5_000_000);
        const behind = stamper(1_000);
        await one.appendOperation(op(A), 1, ahead.stamp);
        await two.appendOperation(op(B), 2, behind.stamp);
        await two.appendOperation(op(B), 3, behind.stamp);
        await Promise.all([
          one.appendOperation(op(A), 4, ahead.stamp),
          two.appendOperation(op(B), 5, behind.stamp),
          one.appendOperation(op(A), 6, ahead.stamp),
        ]);
        await two.appendOperation(op(B), 7, behind.stamp);
        const hlcs = (await one.queue.list()).map((entry) => entry.item.hlc);
        expect(hlcs).toHaveLength(7);
        expect([...hlcs].sort()).toEqual(hlcs);
        expect(new Set(hlcs).size).toBe(7);
        const last = hlcs[hlcs.length - 1];
        expect((await one.readMeta()).lastHlc).toBe(last);
        expect((await two.readMeta()).lastHlc).toBe(last);
        await one.close();
        await two.close();
        // A reload starts from the highest HLC either tab issued, and keeps the rest of the meta.
        const reloaded = await reopen(two);
        const { meta } = await reloaded.openMeta(() => ({ ...META, clientId: "x" }));
        expect(meta).toEqual({ ...META, lastHlc: last });
        await reloaded.close();
      });

      it("[L3] a write keeps the meta changes another store made meanwhile", async () => {
        const one = await open();
        await one.openMeta(() => META);
        const two = await reopen(one);
        await two.openMeta(() => META);
        const { stamp } = stamper(1_000);
        await one.appendOperation(op(A), 1, stamp);
        await two.applyPull([row(A, 9)], 9);
        await two.updateMeta((meta) => ({ ...meta, lastSyncedAt: 42, restamps: { x: "y" } }));
        const entry = await one.appendOperation(op(A), 2, stamp);
        expect(await one.readMeta()).toEqual({
          ...META,
          cursor: 9,
          lastSyncedAt: 42,
          restamps: { x: "y" },
          lastHlc: entry.item.hlc,
        });
        await one.close();
        await two.close();
      });
    }
  });
}
