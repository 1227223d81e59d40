import { createNodeId, HybridClock } from "@sync/clock";
import { describe, expect, it } from "vitest";
import { LWWMap } from "./lww-map.js";
import { ORSet } from "./or-set.js";
import { threeWayMerge } from "./three-way-merge.js";

/** Two devices whose wall clocks we move by hand. */
function devices() {
  const wall = { ms: 1_700_000_000_000 };
  const make = () => new HybridClock({ node: createNodeId(), now: () => wall.ms });
  return { wall, a: make(), b: make() };
}

/**
 * The shopping list as our system stores it: membership is an LWW map of item ids whose
 * removals are tombstones with their own clock; each item's fields are an LWW map of their own.
 * A field edit never touches membership, so it cannot resurrect a deleted item (R10).
 */
interface ShoppingList {
  readonly members: LWWMap<true>;
  readonly items: ReadonlyMap<string, LWWMap<unknown>>;
}

const emptyList = (): ShoppingList => ({ members: LWWMap.empty(), items: new Map() });

function edit(list: ShoppingList, id: string, field: string, value: unknown, hlc: string) {
  const items = new Map(list.items);
  items.set(id, (list.items.get(id) ?? LWWMap.empty()).set(field, value, hlc));
  return { ...list, items };
}

function addItem(list: ShoppingList, id: string, text: string, clock: HybridClock): ShoppingList {
  const hlc = clock.now();
  const withFields = edit(edit(list, id, "text", text, hlc), id, "checked", false, hlc);
  return { ...withFields, members: list.members.set(id, true, hlc) };
}

const removeItem = (list: ShoppingList, id: string, clock: HybridClock): ShoppingList => ({
  ...list,
  members: list.members.remove(id, clock.now()),
});

const restoreItem = (list: ShoppingList, id: string, clock: HybridClock): ShoppingList => ({
  ...list,
  members: list.members.set(id, true, clock.now()),
});

function mergeLists(x: ShoppingList, y: ShoppingList): ShoppingList {
  const items = new Map(x.items);
  for (const [id, fields] of y.items) items.set(id, items.get(id)?.merge(fields) ?? fields);
  return { members: x.members.merge(y.members), items };
}

function visible(list: ShoppingList): Record<string, Record<string, unknown>> {
  return Object.fromEntries(
    list.members.keys().map((id) => [id, list.items.get(id)?.value() ?? {}]),
  );
}

describe("reference scenarios", () => {
  it("[R8] Alice edits the title while Bob edits the description: both kept (threeWayMerge)", () => {
    const { wall, a: alice, b: bob } = devices();
    const t0 = alice.now();
    const base = { title: "Groceries", description: "" };
    const clocks = { title: t0, description: t0 };
    wall.ms += 1000;
    const local = {
      values: { ...base, title: "Weekend groceries" },
      clocks: { ...clocks, title: alice.now() },
    };
    const remote = {
      values: { ...base, description: "Before Saturday" },
      clocks: { ...clocks, description: bob.now() },
    };
    for (const [l, r] of [
      [local, remote],
      [remote, local],
    ] as const) {
      const result = threeWayMerge(base, l, r, { defaultStrategy: "ask" });
      expect(result.merged).toEqual({ title: "Weekend groceries", description: "Before Saturday" });
      expect(result.conflicts).toEqual([]);
    }
  });

  it("[R8] Alice edits the title while Bob edits the description: both kept (LWWMap)", () => {
    const { a: alice, b: bob } = devices();
    const t0 = alice.now();
    const shared = LWWMap.empty<string>().set("title", "Groceries", t0).set("description", "", t0);
    bob.receive(t0);
    const a = shared.set("title", "Weekend groceries", alice.now());
    const b = shared.set("description", "Before Saturday", bob.now());
    const expected = { title: "Weekend groceries", description: "Before Saturday" };
    expect(a.merge(b).value()).toEqual(expected);
    expect(b.merge(a).value()).toEqual(expected);
  });

  it("[R9] the family shopping list: Mom adds Milk and checks off Bread, Dad adds Eggs and removes Butter: all four effects survive", () => {
    const { wall, a: mom, b: dad } = devices();
    let shared = addItem(emptyList(), "bread", "Bread", mom);
    shared = addItem(shared, "butter", "Butter", mom);
    dad.receive(mom.last());

    // Both offline, editing the same list in the same milliseconds.
    wall.ms += 60_000;
    let momList = addItem(shared, "milk", "Milk", mom);
    momList = edit(momList, "bread", "checked", true, mom.now());
    let dadList = addItem(shared, "eggs", "Eggs", dad);
    dadList = removeItem(dadList, "butter", dad);

    const expected = {
      bread: { text: "Bread", checked: true },
      eggs: { text: "Eggs", checked: false },
      milk: { text: "Milk", checked: false },
    };
    expect(visible(mergeLists(momList, dadList))).toEqual(expected);
    expect(visible(mergeLists(dadList, momList))).toEqual(expected);
    expect(visible(mergeLists(mergeLists(momList, dadList), shared))).toEqual(expected);
  });

  it("[R7] both add the same item: one element; removing it removes both observed tags", () => {
    const { a: mom, b: dad } = devices();
    const momSet = ORSet.empty<string>().add("Milk", mom.now());
    const dadSet = ORSet.empty<string>().add("Milk", dad.now());
    const merged = momSet.merge(dadSet);
    expect(merged.value()).toEqual(["Milk"]);
    expect(merged.tagsOf("Milk")).toHaveLength(2);

    const removed = merged.remove("Milk");
    expect(removed.toJSON().tombstones).toEqual(merged.tagsOf("Milk"));
    // Neither device's copy brings it back, in either merge order.
    expect(removed.merge(momSet).merge(dadSet).value()).toEqual([]);
    expect(dadSet.merge(momSet).merge(removed).value()).toEqual([]);
  });

  it("[R10] one removes while the other checks off: the tombstone holds, even against a later edit clock", () => {
    const { wall, a: mom, b: dad } = devices();
    const shared = addItem(emptyList(), "bread", "Bread", mom);
    dad.receive(mom.last());
    wall.ms += 1000;
    const momList = removeItem(shared, "bread", mom);
    wall.ms += 1000; // Dad's check-off is even the later write.
    const dadList = edit(shared, "bread", "checked", true, dad.now());

    const merged = mergeLists(momList, dadList);
    expect(visible(merged)).toEqual({});
    expect(visible(mergeLists(dadList, momList))).toEqual({});
    // The edit is not lost, only hidden with its item.
    expect(merged.items.get("bread")?.get("checked")).toBe(true);
  });

  it("[R10] an explicit restore with a newer clock brings the item back, with the concurrent check-off", () => {
    const { wall, a: mom, b: dad } = devices();
    const shared = addItem(emptyList(), "bread", "Bread", mom);
    dad.receive(mom.last());
    wall.ms += 1000;
    const momList = removeItem(shared, "bread", mom);
    const dadList = edit(shared, "bread", "checked", true, dad.now());
    const merged = mergeLists(momList, dadList);

    dad.receive(mom.last());
    const restored = restoreItem(merged, "bread", dad);
    expect(visible(restored)).toEqual({ bread: { text: "Bread", checked: true } });
    // A stale copy of the removal arriving again does not undo the restore.
    expect(visible(mergeLists(restored, momList))).toEqual({
      bread: { text: "Bread", checked: true },
    });
    // A restore with an older clock than the removal does not win.
    const stale = {
      ...merged,
      members: merged.members.set("bread", true, shared.members.clockOf("bread") ?? ""),
    };
    expect(visible(stale)).toEqual({});
  });
});
