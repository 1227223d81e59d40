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

const A = "01900000-0000-7000-8000-00000000000a";
const B = "01900000-0000-7000-8000-00000000000b";

/**
 * The LocalStore contract (see local-store.ts), run against every adapter. `reopen` opens a
 * new store over the same data after `close()`, like a reload.
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
    }
  });
}
