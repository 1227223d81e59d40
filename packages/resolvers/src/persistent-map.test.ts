import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PersistentMap } from "./persistent-map.js";

const numRuns = Number.parseInt(process.env.FC_NUM_RUNS ?? "", 10) || 200;

// Few distinct keys so writes collide, enough of them that buckets split into branches.
const key = fc.integer({ min: 0, max: 300 }).map((n) => `k${n}`);
const op = fc.oneof(
  fc.tuple(fc.constant("set" as const), key, fc.integer({ min: 0, max: 5 })),
  fc.tuple(fc.constant("delete" as const), key, fc.constant(0)),
);

function build(ops: ReadonlyArray<readonly ["set" | "delete", string, number]>) {
  let map = PersistentMap.empty<number>();
  const model = new Map<string, number>();
  const versions: Array<[PersistentMap<number>, Map<string, number>]> = [];
  for (const [kind, k, v] of ops) {
    if (kind === "set") {
      map = map.set(k, v);
      model.set(k, v);
    } else {
      map = map.delete(k);
      model.delete(k);
    }
    versions.push([map, new Map(model)]);
  }
  return { map, model, versions };
}

const contents = (map: PersistentMap<number>) =>
  [...map.entries()].sort(([a], [b]) => (a < b ? -1 : 1));

describe("PersistentMap", () => {
  it("behaves like a Map, and every older version keeps its own contents", () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 400 }), (ops) => {
        const { versions } = build(ops);
        for (const [map, model] of versions) {
          expect(map.size).toBe(model.size);
          expect(contents(map)).toEqual([...model].sort(([a], [b]) => (a < b ? -1 : 1)));
          for (const [k, v] of model) expect(map.get(k)).toBe(v);
        }
      }),
      { numRuns },
    );
  });

  it("merge is the union with pick deciding shared keys, and leaves both inputs unchanged", () => {
    const max = (a: number, b: number) => Math.max(a, b);
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), fc.array(op, { maxLength: 300 }), (xs, ys) => {
        const a = build(xs);
        const b = build(ys);
        const before = [contents(a.map), contents(b.map)];
        const merged = a.map.merge(b.map, max);
        const expected = new Map(a.model);
        for (const [k, v] of b.model) expected.set(k, max(expected.get(k) ?? v, v));
        expect(merged.size).toBe(expected.size);
        expect(contents(merged)).toEqual([...expected].sort(([x], [y]) => (x < y ? -1 : 1)));
        expect([contents(a.map), contents(b.map)]).toEqual(before);
        // Merging again, or merging the result into either side, changes nothing more.
        expect(contents(merged.merge(b.map, max))).toEqual(contents(merged));
        expect(contents(b.map.merge(merged, max))).toEqual(contents(merged));
      }),
      { numRuns },
    );
  });

  it("a write that changes nothing returns the same map", () => {
    const map = PersistentMap.empty<number>().set("a", 1);
    expect(map.set("a", 1)).toBe(map);
    expect(map.delete("b")).toBe(map);
    expect(map.merge(map, (x) => x)).toBe(map);
  });
});
