import { shoppingSchema } from "@sync/entities";
import type { QueueEntry } from "@sync/queue";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { PendingOp } from "./pending-op.js";
import { recordKey } from "./record-key.js";
import { ViewModel } from "./view-model.js";

const RUNS = Number(process.env.FC_NUM_RUNS ?? 200);
const IDS = ["a", "b", "c", "d"] as const;

function entry(seq: number, id: string, kind: "create" | "increment"): QueueEntry<PendingOp> {
  const fields = kind === "create" ? { listId: "l", text: `t${seq}` } : { qty: 1 };
  const hlc = String(seq).padStart(24, "0");
  const item: PendingOp = {
    opId: `op${seq}`,
    clientId: "c",
    entity: "item",
    id,
    kind,
    fields,
    hlc,
  };
  return { seq, item, enqueuedAt: 0, attempts: 0 };
}

type Step = { add: { id: string; kind: "create" | "increment" } } | { settle: number[] };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    add: fc.record({
      id: fc.constantFrom(...IDS),
      kind: fc.constantFrom("create" as const, "increment" as const),
    }),
  }),
  fc.record({ settle: fc.array(fc.integer({ min: 1, max: 40 }), { maxLength: 4 }) }),
);

describe("ViewModel pending bookkeeping", () => {
  it("[L1] adding and settling one operation at a time shows what a full rebuild shows", () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
        const view = new ViewModel(shoppingSchema);
        const all: QueueEntry<PendingOp>[] = [];
        const settled = new Set<number>();
        for (const s of steps) {
          if ("add" in s) {
            const e = entry(all.length + 1, s.add.id, s.add.kind);
            all.push(e);
            // Only the written record is recomputed.
            const keys = view.addPending(e);
            expect(keys).toEqual([recordKey("item", s.add.id)]);
            view.recompute(keys);
          } else {
            // The server settles only operations that were sent, so seqs already issued.
            const seqs = all.length === 0 ? [] : s.settle.map((n) => (n % all.length) + 1);
            for (const seq of seqs) settled.add(seq);
            view.recompute(view.settle(seqs));
          }
        }
        const rebuilt = new ViewModel(shoppingSchema);
        rebuilt.setPending(all.filter((e) => !settled.has(e.seq)));
        rebuilt.recompute(rebuilt.allKeys());
        expect(view.list("item")).toEqual(rebuilt.list("item"));
        // list() is in id order and holds exactly the records get() shows.
        const ids = view.list("item").map((record) => record.id);
        expect(ids).toEqual(IDS.filter((id) => view.get("item", id) !== undefined));
        expect(view.pendingCount()).toBe(rebuilt.pendingCount());
        expect(view.pendingEntries().map((e) => e.seq)).toEqual(
          rebuilt.pendingEntries().map((e) => e.seq),
        );
      }),
      { numRuns: RUNS },
    );
  });

  it("[L1] an operation added out of seq order is replayed in seq order", () => {
    const view = new ViewModel(shoppingSchema);
    view.recompute(view.addPending(entry(1, "a", "create")));
    view.recompute(view.addPending(entry(3, "a", "increment")));
    view.recompute(view.addPending(entry(2, "a", "increment")));
    expect(view.pendingEntries().map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(view.get("item", "a")?.fields.qty).toBe(3);
  });

  it("[L5] settling touches only the records of the settled operations", () => {
    const view = new ViewModel(shoppingSchema);
    view.recompute(view.addPending(entry(1, "a", "create")));
    view.recompute(view.addPending(entry(2, "b", "create")));
    expect(view.settle([2])).toEqual([recordKey("item", "b")]);
    // A settled seq never comes back, even from a stale read of the queue.
    expect(view.addPending(entry(2, "b", "create"))).toEqual([]);
    expect(view.pendingCount()).toBe(1);
  });
});

describe("ViewModel id order", () => {
  const hex = fc.stringMatching(/^[0-9a-f]{8}$/);
  const row = (id: string, text: string) => ({
    entity: "item",
    id,
    version: 1,
    fields: { listId: "l", text, checked: false, qty: 1 },
    clocks: {},
    deleted: false,
  });

  it("[L1] a page of records merged at once lists what placing them one by one lists", () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(hex, { minLength: 0, maxLength: 80 }), { maxLength: 5 }),
        fc.integer({ min: 0, max: 3 }),
        (pages, every) => {
          const bulk = new ViewModel(shoppingSchema);
          const single = new ViewModel(shoppingSchema);
          for (const [n, ids] of pages.entries()) {
            const rows = ids.map((id) => row(id, `p${n}`));
            bulk.recompute(bulk.putConfirmed(rows));
            for (const key of single.putConfirmed(rows)) single.recompute([key]);
          }
          // A full resync that drops every fourth record (starting at `every`).
          const rest = bulk
            .list("item")
            .filter((_, n) => n % 4 !== every)
            .map((r) => row(r.id, String(r.fields.text)));
          bulk.recompute(bulk.replaceConfirmed(rest));
          for (const key of single.replaceConfirmed(rest)) single.recompute([key]);
          const ids = bulk.list("item").map((r) => r.id);
          expect(ids).toEqual([...new Set(ids)].sort());
          expect(bulk.list("item")).toEqual(single.list("item"));
          expect(ids).toEqual(rest.map((r) => r.id));
        },
      ),
      { numRuns: Math.min(RUNS, 100) },
    );
  });
});
