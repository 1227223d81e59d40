import type { ViewRecord } from "@sync/sync-client";
import { describe, expect, it } from "vitest";
import {
  allowedDelta,
  editedText,
  itemsOfList,
  listSummaries,
  memberNames,
  membersOfList,
  summaryLine,
  toItemView,
} from "./view-model.js";

const rec = (entity: string, id: string, fields: ViewRecord["fields"], over = {}): ViewRecord => ({
  entity,
  id,
  fields,
  deleted: false,
  pending: false,
  ...over,
});

const L1 = "01900000-0000-7000-8000-000000000001";
const L2 = "01900000-0000-7000-8000-000000000002";

describe("items of a list", () => {
  it("keeps only the list's live items, in id (creation) order", () => {
    const items = [
      rec("item", "0190-c", { listId: L1, text: "c" }),
      rec("item", "0190-a", { listId: L1, text: "a" }),
      rec("item", "0190-b", { listId: L2, text: "b" }),
      rec("item", "0190-d", { listId: L1, text: "d" }, { deleted: true }),
    ];
    expect(itemsOfList(items, L1).map((i) => i.text)).toEqual(["a", "c"]);
  });

  it("reads fields defensively, with the entity's defaults", () => {
    const view = toItemView(rec("item", "x", { listId: L1, text: 5, qty: "2", checked: null }));
    expect(view).toEqual({
      id: "x",
      text: "",
      checked: false,
      qty: 1,
      pending: false,
      changedBy: null,
    });
    expect(toItemView(rec("item", "y", { qty: -3 })).qty).toBe(0);
  });
});

describe("list summaries", () => {
  it("counts items to get and done per list", () => {
    const lists = [rec("list", L2, { title: "Hardware" }), rec("list", L1, { title: "Food" })];
    const items = [
      rec("item", "a", { listId: L1, checked: true }),
      rec("item", "b", { listId: L1, checked: false }),
      rec("item", "c", { listId: L1 }, { deleted: true }),
    ];
    const summaries = listSummaries(lists, items);
    expect(summaries.map((s) => s.title)).toEqual(["Food", "Hardware"]);
    expect(summaries[0]).toMatchObject({ total: 2, remaining: 1 });
    expect(summaries[1]).toMatchObject({ total: 0, remaining: 0 });
  });

  it("words the summary for empty, done and open lists", () => {
    const base = { id: L1, title: "t", pending: false };
    expect(summaryLine({ ...base, total: 0, remaining: 0 })).toBe("No items");
    expect(summaryLine({ ...base, total: 3, remaining: 0 })).toBe("All 3 done");
    expect(summaryLine({ ...base, total: 3, remaining: 2 })).toBe("2 of 3 to get");
  });

  it("falls back to a readable title before the server filled it in", () => {
    expect(listSummaries([rec("list", L1, {})], [])[0]?.title).toBe("Untitled list");
  });
});

describe("members", () => {
  it("lists the usernames of a list's members", () => {
    const ms = [
      rec("membership", "2", { listId: L1, username: "bo" }),
      rec("membership", "1", { listId: L1, username: "al" }),
      rec("membership", "3", { listId: L2, username: "cy" }),
    ];
    expect(membersOfList(ms, L1)).toEqual(["al", "bo"]);
  });
});

describe("last writer", () => {
  const U1 = "01900000-0000-7000-8000-0000000000a1";
  const U2 = "01900000-0000-7000-8000-0000000000b2";
  const ms = [
    rec("membership", "1", { listId: L1, userId: U1, username: "ann" }),
    rec("membership", "2", { listId: L1, userId: U2, username: "ben" }, { deleted: true }),
    rec("membership", "3", { listId: L2, userId: U2, username: "ben" }),
  ];

  it("names the member who made the item's last change", () => {
    const names = memberNames(ms, L1);
    const items = [rec("item", "a", { listId: L1, text: "a", checked: true, changedBy: U1 })];
    expect(itemsOfList(items, L1, names)[0]?.changedBy).toBe("ann");
  });

  it("names nobody for an item from before it was recorded, or a writer no longer a member", () => {
    const names = memberNames(ms, L1);
    expect(names.has(U2)).toBe(false);
    expect(toItemView(rec("item", "a", { listId: L1, changedBy: U2 }), names).changedBy).toBe(null);
    expect(toItemView(rec("item", "b", { listId: L1, changedBy: null }), names).changedBy).toBe(
      null,
    );
  });
});

describe("quantity buttons", () => {
  it("never take the quantity below zero, counting steps still in flight", () => {
    expect(allowedDelta(1, 0, -1)).toBe(-1);
    expect(allowedDelta(0, 0, -1)).toBe(0);
    expect(allowedDelta(1, -1, -1)).toBe(0);
    expect(allowedDelta(0, 0, 1)).toBe(1);
  });
});

describe("inline edit", () => {
  it("saves trimmed, changed, non-empty text only", () => {
    expect(editedText("milk", "  oat milk ", 500)).toBe("oat milk");
    expect(editedText("milk", "milk ", 500)).toBeNull();
    expect(editedText("milk", "   ", 500)).toBeNull();
    expect(editedText("a", "abcdef", 3)).toBe("abc");
  });
});
