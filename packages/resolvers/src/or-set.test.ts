import { createNodeId, HybridClock } from "@sync/clock";
import { describe, expect, it } from "vitest";
import { ORSet } from "./or-set.js";

const at = (ms: number) => () => ms;
const mom = new HybridClock({ node: createNodeId(), now: at(1000) });
const dad = new HybridClock({ node: createNodeId(), now: at(1000) });

describe("ORSet", () => {
  it("[R7] a remove tombstones only the tags it observed: a concurrent add wins", () => {
    const shared = ORSet.empty<string>().add("Milk", mom.now());
    const removedByMom = shared.remove("Milk");
    const readdedByDad = shared.add("Milk", dad.now());
    expect(removedByMom.merge(readdedByDad).value()).toEqual(["Milk"]);
    expect(readdedByDad.merge(removedByMom).value()).toEqual(["Milk"]);
  });

  it("[R7] a remove that observed every add removes the element everywhere", () => {
    const a = ORSet.empty<string>().add("Milk", mom.now()).add("Eggs", mom.now());
    const b = ORSet.empty<string>().merge(a).remove("Milk");
    expect(a.merge(b).value()).toEqual(["Eggs"]);
    expect(b.merge(a).has("Milk")).toBe(false);
    // A stale copy merged in later does not bring it back.
    expect(b.merge(a).merge(a).value()).toEqual(["Eggs"]);
  });

  it("[R7] add and remove are idempotent; removing an absent element changes nothing", () => {
    const tag = mom.now();
    const once = ORSet.empty<string>().add("Milk", tag);
    expect(once.add("Milk", tag)).toBe(once);
    expect(once.remove("Bread")).toBe(once);
    const gone = once.remove("Milk");
    expect(gone.add("Milk", tag).value()).toEqual([]);
    expect(gone.size).toBe(0);
  });

  it("[R7] a tag is unique: reusing it for another element is refused", () => {
    const tag = mom.now();
    const set = ORSet.empty<string>().add("Milk", tag);
    expect(() => set.add("Eggs", tag)).toThrow(RangeError);
    expect(() => set.add("Eggs", "")).toThrow(RangeError);
  });

  it("[R7] structurally equal elements are one element", () => {
    const set = ORSet.empty<{ id: string; n: number }>()
      .add({ id: "x", n: 1 }, mom.now())
      .add({ n: 1, id: "x" }, dad.now());
    expect(set.size).toBe(1);
    expect(set.has({ n: 1, id: "x" })).toBe(true);
  });

  it("[R11] fromJSON takes a state with many tombstones (no argument-spread limit)", () => {
    const tombstones = Array.from({ length: 200_000 }, (_, i) => `t${String(i).padStart(6, "0")}`);
    const back = ORSet.fromJSON<string>({ entries: [["Milk", ["live"]]], tombstones });
    expect(back.toJSON().tombstones).toHaveLength(200_000);
    expect(back.add("Eggs", "t000001").value()).toEqual(["Milk"]);
  });

  it("[R11] toJSON/fromJSON round-trips through JSON text", () => {
    const set = ORSet.empty<string>()
      .add("Milk", mom.now())
      .add("Eggs", dad.now())
      .remove("Milk")
      .add("Bread", mom.now());
    const text = JSON.stringify(set.toJSON());
    const back = ORSet.fromJSON<string>(JSON.parse(text));
    expect(back.toJSON()).toEqual(set.toJSON());
    expect(back.value()).toEqual(["Bread", "Eggs"]);
    expect(set.toJSON().tombstones).toHaveLength(1);
  });
});
