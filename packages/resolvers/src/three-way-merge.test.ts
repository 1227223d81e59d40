import { createNodeId, encodeHlc } from "@sync/clock";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { threeWayMerge } from "./three-way-merge.js";

const numRuns = Number.parseInt(process.env.FC_NUM_RUNS ?? "", 10) || 300;
fc.configureGlobal({ numRuns });

interface Item {
  text: string;
  checked: boolean;
  qty: number;
  tags?: string[];
}

const [nodeA, nodeB] = [createNodeId(() => 0.1), createNodeId(() => 0.9)];
const hlc = (wall: number, node = nodeA) => encodeHlc({ wall, counter: 0, node });
const base: Item = { text: "Milk", checked: false, qty: 1 };
const baseClocks = { text: hlc(1), checked: hlc(1), qty: hlc(1) };

describe("threeWayMerge", () => {
  it("[R2] a change on one side only is taken, with that side's clock", () => {
    const local = {
      values: { ...base, text: "Oat milk" },
      clocks: { ...baseClocks, text: hlc(5) },
    };
    const remote = { values: { ...base, qty: 2 }, clocks: { ...baseClocks, qty: hlc(3, nodeB) } };
    const result = threeWayMerge(base, local, remote);
    expect(result.merged).toEqual({ text: "Oat milk", checked: false, qty: 2 });
    expect(result.clocks).toEqual({ text: hlc(5), checked: hlc(1), qty: hlc(3, nodeB) });
    expect(result.conflicts).toEqual([]);
  });

  it("[R2] both sides changing a field to the same value is no conflict, even for an ask field", () => {
    const local = {
      values: { ...base, checked: true },
      clocks: { ...baseClocks, checked: hlc(4) },
    };
    const remote = {
      values: { ...base, checked: true },
      clocks: { ...baseClocks, checked: hlc(6, nodeB) },
    };
    const result = threeWayMerge(base, local, remote, { defaultStrategy: "ask" });
    expect(result.merged.checked).toBe(true);
    expect(result.clocks.checked).toBe(hlc(6, nodeB));
    expect(result.conflicts).toEqual([]);
  });

  it("[R2] a true conflict on an lww field goes to the greater HLC", () => {
    const local = {
      values: { ...base, text: "Soy milk" },
      clocks: { ...baseClocks, text: hlc(9) },
    };
    const remote = {
      values: { ...base, text: "Oat milk" },
      clocks: { ...baseClocks, text: hlc(7, nodeB) },
    };
    expect(threeWayMerge(base, local, remote).merged.text).toBe("Soy milk");
    expect(threeWayMerge(base, remote, local).merged.text).toBe("Soy milk");
    expect(threeWayMerge(base, local, remote).clocks.text).toBe(hlc(9));
  });

  it('[R2] a true conflict on an "ask" field yields { field, base, local, remote } and keeps the LWW winner for now', () => {
    const local = { values: { ...base, qty: 3 }, clocks: { ...baseClocks, qty: hlc(9) } };
    const remote = {
      values: { ...base, qty: 5, text: "Milk 2%" },
      clocks: { ...baseClocks, qty: hlc(8, nodeB), text: hlc(8, nodeB) },
    };
    const result = threeWayMerge(base, local, remote, { strategies: { qty: "ask" } });
    expect(result.conflicts).toEqual([{ field: "qty", base: 1, local: 3, remote: 5 }]);
    expect(result.merged).toEqual({ text: "Milk 2%", checked: false, qty: 3 });
  });

  it("[R2] values compare structurally and removed fields stay removed", () => {
    const withTags: Item = { ...base, tags: ["dairy", "cold"] };
    const local = { values: { ...withTags, tags: ["dairy", "cold"] }, clocks: baseClocks };
    const remote = { values: base, clocks: { ...baseClocks, tags: hlc(4, nodeB) } };
    const result = threeWayMerge<Item>(withTags, local, remote, { defaultStrategy: "ask" });
    expect("tags" in result.merged).toBe(false);
    expect(result.conflicts).toEqual([]);
  });

  it("[R2] a side with a clock beats one without on a true conflict", () => {
    const local = { values: { ...base, text: "A" }, clocks: {} };
    const remote = { values: { ...base, text: "B" }, clocks: { text: hlc(1, nodeB) } };
    expect(threeWayMerge(base, local, remote).merged.text).toBe("B");
  });

  const valueArb = fc.constantFrom(0, 1, 2);
  const sideArb = fc.record({
    values: fc.record({ a: valueArb, b: valueArb, c: valueArb }, { requiredKeys: [] }),
    clocks: fc.record(
      {
        a: fc.integer({ min: 1, max: 4 }).map((w) => hlc(w)),
        b: fc.integer({ min: 1, max: 4 }).map((w) => hlc(w, nodeB)),
        c: fc.integer({ min: 1, max: 4 }).map((w) => hlc(w)),
      },
      { requiredKeys: [] },
    ),
  });
  const baseArb = fc.record({ a: valueArb, b: valueArb, c: valueArb }, { requiredKeys: [] });

  it("[R2] with lww fields the merge is symmetric: swapping local and remote gives the same record", () => {
    fc.assert(
      fc.property(baseArb, sideArb, sideArb, (b, l, r) => {
        const one = threeWayMerge(b, l, r);
        const two = threeWayMerge(b, r, l);
        expect(one.merged).toEqual(two.merged);
        expect(one.clocks).toEqual(two.clocks);
      }),
    );
  });

  it("[R2] merging against an unchanged side returns the other side; merging a side with itself returns it", () => {
    fc.assert(
      fc.property(baseArb, sideArb, (b, side) => {
        const unchanged = { values: b, clocks: {} };
        expect(threeWayMerge(b, side, unchanged, { defaultStrategy: "ask" }).merged).toEqual(
          side.values,
        );
        expect(threeWayMerge(b, unchanged, side).merged).toEqual(side.values);
        const self = threeWayMerge(b, side, side, { defaultStrategy: "ask" });
        expect(self.merged).toEqual(side.values);
        expect(self.conflicts).toEqual([]);
      }),
    );
  });

  it('[R2] "ask" reports exactly the fields both sides changed differently', () => {
    fc.assert(
      fc.property(baseArb, sideArb, sideArb, (b, l, r) => {
        const { conflicts } = threeWayMerge(b, l, r, { defaultStrategy: "ask" });
        const expected = (["a", "b", "c"] as const).filter(
          (f) => l.values[f] !== r.values[f] && l.values[f] !== b[f] && r.values[f] !== b[f],
        );
        expect(conflicts.map((c) => c.field)).toEqual(expected);
      }),
    );
  });
});
