import { createNodeId } from "@sync/clock";
import { describe, expect, it } from "vitest";
import { GCounter } from "./g-counter.js";
import { PNCounter } from "./pn-counter.js";

const alice = createNodeId();
const bob = createNodeId();

describe("GCounter and PNCounter", () => {
  it("[R5] concurrent increments on two replicas all count, once", () => {
    const a = GCounter.empty().increment(alice).increment(alice, 2);
    const b = GCounter.empty().increment(bob, 4);
    const merged = a.merge(b);
    expect(merged.value()).toBe(7);
    expect(merged.merge(a).merge(b).value()).toBe(7);
    expect(merged.get(alice)).toBe(3);
  });

  it("[R5] a GCounter refuses negative or fractional increments", () => {
    expect(() => GCounter.empty().increment(alice, -1)).toThrow(RangeError);
    expect(() => GCounter.empty().increment(alice, 0.5)).toThrow(RangeError);
    expect(() => GCounter.fromJSON({ [alice]: -3 })).toThrow(RangeError);
    expect(GCounter.empty().increment(alice, 0).toJSON()).toEqual({});
  });

  it("[R5] a PNCounter counts up and down across replicas (quantity of an item)", () => {
    const shared = PNCounter.empty().increment(alice, 2);
    const a = shared.increment(alice);
    const b = shared.decrement(bob).decrement(bob);
    expect(a.merge(b).value()).toBe(1);
    expect(b.merge(a).value()).toBe(1);
  });

  it("[R11] counters round-trip through JSON text", () => {
    const g = GCounter.empty().increment(bob, 2).increment(alice, 5);
    expect(GCounter.fromJSON(JSON.parse(JSON.stringify(g))).toJSON()).toEqual(g.toJSON());
    const p = PNCounter.empty().increment(alice, 3).decrement(bob, 1);
    const back = PNCounter.fromJSON(JSON.parse(JSON.stringify(p)));
    expect(back.value()).toBe(2);
    expect(back.toJSON()).toEqual({ p: { [alice]: 3 }, n: { [bob]: 1 } });
  });
});
