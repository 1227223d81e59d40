import type { Operation } from "@sync/protocol";
import { describe, expect, it } from "vitest";
import { type Applied, applyOperation, type RecordState } from "./apply.js";
import { item, list } from "./shopping.js";

const listId = "01936f3e-5c1a-7b2e-9c4d-2f1e0a9b8c00";
const itemId = "01936f3e-5c1a-7b2e-9c4d-2f1e0a9b8c71";
// Encoded HLCs in increasing order (wall 1..5 ms, node ids differ).
const t = (wall: number, node = "aaaaaaaaaaa") =>
  `${wall.toString(36).padStart(9, "0")}0000${node}`;

let seq = 0;
function op(
  kind: Operation["kind"],
  fields: Operation["fields"],
  hlc: string,
  extra: Partial<Operation> = {},
): Operation {
  seq += 1;
  return {
    opId: `01936f3e-5c1a-7b2e-9c4d-${String(seq).padStart(12, "0")}`,
    clientId: "01936f3e-5c1a-7b2e-9c4d-2f1e0a9b8c7d",
    seq,
    entity: "item",
    id: itemId,
    kind,
    fields,
    hlc,
    ...extra,
  };
}

function ok(result: ReturnType<typeof applyOperation>): Applied {
  if (!result.ok) throw new Error(`expected success, got ${result.code}: ${result.message}`);
  return result;
}

const created = (): RecordState =>
  ok(
    applyOperation(item, undefined, op("create", { listId, text: "Bread" }, t(1)), {
      serverValues: { createdAt: 5, createdBy: listId },
      changeValues: { changedAt: 5, changedBy: listId },
    }),
  ).state;

describe("applyOperation", () => {
  it("[M1] a create fills defaults, server values and one clock per writable field", () => {
    const state = created();
    expect(state.fields).toEqual({
      listId,
      text: "Bread",
      checked: false,
      qty: 1,
      createdAt: 5,
      createdBy: listId,
      changedAt: 5,
      changedBy: listId,
    });
    expect(state.clocks).toEqual({ text: t(1), checked: t(1) });
    expect(state.deleted).toBe(false);
  });

  it("[M2] per-field LWW: the newer clock wins whatever the arrival order", () => {
    const a = op("update", { text: "Rye bread" }, t(3));
    const b = op("update", { text: "Sourdough" }, t(2));
    const ab = ok(applyOperation(item, ok(applyOperation(item, created(), a)).state, b)).state;
    const ba = ok(applyOperation(item, ok(applyOperation(item, created(), b)).state, a)).state;
    expect(ab.fields.text).toBe("Rye bread");
    expect(ba).toEqual(ab);
  });

  it("[M2] an older write that loses everything reports no change", () => {
    const newer = ok(applyOperation(item, created(), op("update", { checked: true }, t(4)))).state;
    const result = ok(applyOperation(item, newer, op("update", { checked: false }, t(2))));
    expect(result.changed).toBe(false);
    expect(result.state).toEqual(newer);
  });

  it("[M2] Alice edits the text while Bob checks it off: both changes survive", () => {
    const alice = op("update", { text: "Wholegrain bread" }, t(2, "alice000000"));
    const bob = op("update", { checked: true }, t(2, "bob00000000"));
    const state = ok(
      applyOperation(item, ok(applyOperation(item, created(), bob)).state, alice),
    ).state;
    expect(state.fields).toMatchObject({ text: "Wholegrain bread", checked: true });
  });

  it("[M3] an ask field keeps the server value and reports a conflict when the writer did not see it", () => {
    const base = ok(
      applyOperation(
        list,
        undefined,
        op("create", { title: "Groceries" }, t(1), { entity: "list", id: listId }),
      ),
    ).state;
    const renamed = ok(
      applyOperation(
        list,
        base,
        op("update", { title: "Food" }, t(3), {
          entity: "list",
          id: listId,
          base: { title: t(1) },
        }),
      ),
    );
    expect(renamed.conflicts).toEqual([]);
    expect(renamed.state.fields.title).toBe("Food");
    const stale = ok(
      applyOperation(
        list,
        renamed.state,
        op("update", { title: "Weekly" }, t(4), {
          entity: "list",
          id: listId,
          base: { title: t(1) },
        }),
      ),
    );
    expect(stale.state.fields.title).toBe("Food");
    expect(stale.conflicts).toHaveLength(1);
    expect(stale.conflicts[0]).toMatchObject({
      field: "title",
      serverValue: "Food",
      clientValue: "Weekly",
      serverHlc: t(3),
    });
    const same = ok(
      applyOperation(
        list,
        renamed.state,
        op("update", { title: "Food" }, t(5), {
          entity: "list",
          id: listId,
          base: { title: t(1) },
        }),
      ),
    );
    expect(same.conflicts).toEqual([]);
  });

  it("[M4] counter increments add up in any order", () => {
    const plus2 = op("increment", { qty: 2 }, t(2));
    const plus3 = op("increment", { qty: 3 }, t(2, "bbbbbbbbbbb"));
    const x = ok(
      applyOperation(item, ok(applyOperation(item, created(), plus2)).state, plus3),
    ).state;
    const y = ok(
      applyOperation(item, ok(applyOperation(item, created(), plus3)).state, plus2),
    ).state;
    expect(x.fields.qty).toBe(6);
    expect(y).toEqual(x);
  });

  it("[M5] delete is a tombstone: a concurrent edit does not resurrect it, a newer restore does", () => {
    const deleted = ok(applyOperation(item, created(), op("delete", {}, t(3)))).state;
    const edited = ok(applyOperation(item, deleted, op("update", { checked: true }, t(4)))).state;
    expect(edited.deleted).toBe(true);
    expect(edited.fields.checked).toBe(true);
    const staleRestore = ok(applyOperation(item, edited, op("restore", {}, t(2)))).state;
    expect(staleRestore.deleted).toBe(true);
    const restored = ok(applyOperation(item, edited, op("restore", {}, t(5)))).state;
    expect(restored.deleted).toBe(false);
    expect(restored.fields.checked).toBe(true);
  });

  it("[M6] updates of a missing record and creates that move a record are rejected", () => {
    const missing = applyOperation(item, undefined, op("update", { text: "x" }, t(2)));
    expect(missing.ok ? "ok" : missing.code).toBe("NOT_FOUND");
    const otherList = "01936f3e-5c1a-7b2e-9c4d-2f1e0a9b8c01";
    const moved = applyOperation(
      item,
      created(),
      op("create", { listId: otherList, text: "x" }, t(2)),
    );
    expect(moved.ok ? "ok" : moved.code).toBe("CONFLICT");
  });

  it("[M1] replaying the same operation is a no-op for LWW fields and tombstones", () => {
    const update = op("update", { text: "Rye" }, t(2));
    const once = ok(applyOperation(item, created(), update)).state;
    const twice = ok(applyOperation(item, once, update));
    expect(twice.state).toEqual(once);
    expect(twice.changed).toBe(false);
  });

  describe("server values on change (serverOnChange)", () => {
    const bob = "01936f3e-5c1a-7b2e-9c4d-2f1e0a9b8cbb";
    const byBob = { changeValues: { changedBy: bob, changedAt: 9 } };

    it.each<[string, Operation["kind"], Operation["fields"]]>([
      ["an update", "update", { checked: true }],
      ["an increment", "increment", { qty: 2 }],
      ["a delete", "delete", {}],
      ["a create that merges into the record", "create", { listId, text: "Rye" }],
    ])("[M1] %s that changes the record sets them", (_name, kind, fields) => {
      const result = ok(applyOperation(item, created(), op(kind, fields, t(3)), byBob));
      expect(result.changed).toBe(true);
      expect(result.state.fields).toMatchObject({ changedBy: bob, changedAt: 9, createdAt: 5 });
      expect(result.state.clocks.changedBy).toBeUndefined();
    });

    it("[M2] an operation that changes nothing leaves them as they were", () => {
      const newer = ok(applyOperation(item, created(), op("update", { checked: true }, t(4))));
      const lost = ok(
        applyOperation(item, newer.state, op("update", { checked: false }, t(2)), byBob),
      );
      expect(lost.changed).toBe(false);
      expect(lost.state).toEqual(newer.state);
      const update = op("update", { text: "Rye" }, t(3));
      const once = ok(applyOperation(item, created(), update)).state;
      const replayed = ok(applyOperation(item, once, update, byBob));
      expect(replayed.state.fields.changedBy).toBe(listId);
    });

    it("[M3] an ask conflict that keeps the server value leaves them as they were", () => {
      const listState = ok(
        applyOperation(list, undefined, {
          ...op("create", { title: "Shop" }, t(1)),
          entity: "list",
          id: listId,
        }),
      ).state;
      const renamed = ok(
        applyOperation(list, listState, {
          ...op("update", { title: "A" }, t(2), { base: { title: t(1) } }),
          entity: "list",
          id: listId,
        }),
      ).state;
      const stale = {
        ...op("update", { title: "B" }, t(3), { base: { title: t(1) } }),
        entity: "list",
        id: listId,
      };
      const result = ok(applyOperation(list, renamed, stale, { changeValues: { createdAt: 1 } }));
      expect(result.conflicts).toHaveLength(1);
      expect(result.state).toEqual(renamed);
    });
  });
});
